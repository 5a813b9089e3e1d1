# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import forecast_path


class ErpDemandForecast(models.Model):
    """The daily forecast in the plan: the chosen method's forecast per day
    (cumulative, ``lib/forecast_path``) is copied on the forecast row; the
    refresh reads it for the stock-out date and the days of cover, the
    dynamic thresholds and the promise date of quotations read it too."""

    _inherit = "erp.demand.forecast"  # pylint: disable=consider-merging-classes-inherited

    # read on the method selection the row was copied from (kept there once:
    # not rewritten with the row by every daily refresh)
    demand_cum = fields.Json(
        "Daily Forecast (cumulative)",
        compute="_compute_demand_cum",
        help="Cumulative demand forecast per day from the selection date; "
        "empty when the forecast is the flat daily demand.",
    )
    demand_tail = fields.Float(
        "Daily Demand after the Horizon",
        readonly=True,
        help="Daily demand assumed after the last day of the daily forecast.",
    )
    demand_cum_date = fields.Date(
        "Daily Forecast Date",
        readonly=True,
        help="Day the daily forecast starts from (the day of its selection).",
    )

    @api.depends("product_id", "warehouse_id", "demand_cum_date")
    def _compute_demand_cum(self):
        # the readers of the forecast (salesmen: promise dates) may not read
        # the selection; only the rows' own pairs are read
        selections = (
            self.env["erp.demand.forecast.selection"]
            .sudo()
            .search_fetch(
                [
                    ("product_id", "in", self.product_id.ids),
                    ("warehouse_id", "in", self.warehouse_id.ids),
                    ("demand_cum", "!=", False),
                ],
                ["product_id", "warehouse_id", "date", "demand_cum"],
            )
        )
        paths = {
            (s.product_id.id, s.warehouse_id.id, s.date): s.demand_cum
            for s in selections
        }
        for forecast in self:
            key = (forecast.product_id.id, forecast.warehouse_id.id)
            forecast.demand_cum = (
                paths.get((*key, forecast.demand_cum_date), False)
                if forecast.demand_cum_date
                else False
            )

    @api.model
    def _get_demand_path_query(self, warehouses, today):
        """In a refresh with a method selection: the daily forecast of the
        chosen methods, read from its day on (a selection kept from an
        earlier day is shifted by the days since)."""
        company = self.env.context.get("erp_forecast_selection")
        if not company:
            return super()._get_demand_path_query(warehouses, today)
        self.env["erp.demand.forecast.selection"].flush_model()
        return SQL(
            "SELECT q.product_id, q.warehouse_id, q.cum, q.tail, q.off,"
            " CASE WHEN q.off < array_length(q.cum, 1) THEN q.cum[q.off + 1]"
            "  ELSE q.cum[array_length(q.cum, 1)]"
            "  + q.tail * (q.off + 1 - array_length(q.cum, 1)) END"
            " FROM (SELECT s.product_id, s.warehouse_id,"
            "  COALESCE(s.demand_cum_values,"
            "  translate(s.demand_cum::text, '[]', '{}')::float8[]) AS cum,"
            "  COALESCE(s.tail_rate, 0) AS tail,"
            "  GREATEST(%(today)s::date - s.date, 0) AS off"
            "  FROM erp_demand_forecast_selection s"
            "  WHERE s.company_id = %(company)s AND s.warehouse_id = ANY(%(whs)s)"
            "  AND s.demand_cum IS NOT NULL AND s.rate IS NOT NULL) q",
            today=today,
            company=company,
            whs=warehouses.ids or [0],
        )

    @api.model
    def _write_forecast(self, company, forecast, today):
        """Then copy the chosen method, its errors and its daily forecast
        on the rows (the totals over the horizons are read on that daily
        forecast by the forecast query, every day)."""
        count = super()._write_forecast(company, forecast, today)
        self.env["erp.demand.forecast.selection"].flush_model()
        if self.env.context.get(
            "erp_forecast_selection_kept"
        ) and self._selection_copied(company):
            return count
        self.env.execute_query(
            SQL(
                "UPDATE erp_demand_forecast f SET method = s.method,"
                " mase = s.mase, wape = s.wape, bias = s.bias,"
                " override_id = s.override_id,"
                " demand_tail = s.tail_rate, demand_cum_date = s.date"
                " FROM erp_demand_forecast_selection s"
                " WHERE f.company_id = %(company)s"
                " AND s.product_id = f.product_id AND s.warehouse_id = f.warehouse_id"
                " AND (f.method, f.mase, f.wape, f.bias, f.override_id,"
                "  f.demand_cum_date, f.demand_tail)"
                "  IS DISTINCT FROM (s.method, s.mase, s.wape, s.bias,"
                "  s.override_id, s.date, s.tail_rate)",
                company=company.id,
            )
        )
        self.env.execute_query(
            SQL(
                "UPDATE erp_demand_forecast f SET method = NULL, mase = NULL,"
                " wape = NULL, bias = NULL, override_id = NULL,"
                " demand_tail = NULL, demand_cum_date = NULL"
                " WHERE f.company_id = %(company)s AND f.method IS NOT NULL"
                " AND NOT EXISTS (SELECT 1 FROM erp_demand_forecast_selection s"
                "  WHERE s.product_id = f.product_id"
                "  AND s.warehouse_id = f.warehouse_id)",
                company=company.id,
            )
        )
        self.invalidate_model()
        return count

    @api.model
    def _selection_copied(self, company):
        """Whether the rows of ``company`` carry its current selection
        already (a refresh without re-selection then skips the copy): as
        many rows with a method as selected pairs, of the same day."""
        return self.env.execute_query(
            SQL(
                "SELECT (SELECT (COUNT(*), MAX(date))"
                "  FROM erp_demand_forecast_selection WHERE company_id = %(c)s)"
                " = (SELECT (COUNT(*), MAX(demand_cum_date))"
                "  FROM erp_demand_forecast"
                "  WHERE company_id = %(c)s AND method IS NOT NULL)",
                c=company.id,
            )
        )[0][0]

    def _demand_within(self, days, today=None):
        """Forecast demand of this row over the next ``days`` days from
        ``today``: read on its daily forecast, else its rate x days."""
        self.ensure_one()
        if not self.demand_cum:
            return self.demand_rate * max(days, 0.0)
        today = today or fields.Date.context_today(self)
        offset = max((today - (self.demand_cum_date or today)).days, 0)
        return forecast_path.demand_within(
            self.demand_cum, self.demand_tail or 0.0, days, offset
        )
