# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class ErpDemandForecastHistory(models.Model):
    """The forecasts that past refreshes made, kept to measure the forecast
    accuracy: the daily demand rate of a product in a warehouse as forecast
    on a day, one compact row per product, warehouse and day.

    The current forecast (``erp.demand.forecast``) is updated in place by
    every refresh, which then copies it here."""

    _name = "erp.demand.forecast.history"
    _description = "Demand Forecast History"
    _order = "date desc, id desc"
    _rec_name = "date"
    _check_company_auto = True
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(
        "Snapshot Date",
        required=True,
        readonly=True,
        help="Day of the refresh that made this forecast.",
    )
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, ondelete="cascade"
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, readonly=True, ondelete="cascade"
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    rate = fields.Float(
        "Daily Demand",
        readonly=True,
        help="Daily demand rate forecast on that day.",
    )
    day_qty = fields.Float(
        "Forecast of the Day",
        readonly=True,
        help="Demand forecast on that day for that day: the daily forecast of "
        "the chosen method (a weekday differs from a Sunday), else the rate.",
    )

    _sql_constraints = [
        (
            "company_date_pair_uniq",
            "UNIQUE(company_id, date, product_id, warehouse_id)",
            "The forecast of a product in a warehouse is stored once a day.",
        ),
    ]

    @api.model
    def _record_forecast(self, company, date, keep_from):
        """Store the current forecast of ``company`` as its history of
        ``date`` (replacing the one of the same day) and drop the history
        made before ``keep_from``."""
        self.env["erp.demand.forecast"].flush_model()
        self.env["erp.demand.forecast.selection"].flush_model()
        self.flush_model()
        self.env.execute_query(
            SQL(
                "DELETE FROM erp_demand_forecast_history"
                " WHERE company_id = %(company)s"
                " AND (date = %(date)s OR date < %(keep_from)s)",
                company=company.id,
                date=date,
                keep_from=keep_from,
            )
        )
        columns, values = self._record_forecast_columns()
        joins = self._record_forecast_joins()
        self.env.execute_query(
            SQL(
                "INSERT INTO erp_demand_forecast_history"
                " (company_id, date, product_id, warehouse_id, categ_id, rate,"
                " day_qty%(columns)s)"
                " SELECT f.company_id, %(date)s, f.product_id, f.warehouse_id,"
                " f.product_categ_id, COALESCE(f.demand_rate, 0),"
                # the day's own forecast, read on the daily forecast of the
                # selection the row carries (made ``off`` days before; an
                # array from 1): cum[off + 2] - cum[off + 1]
                " CASE WHEN s.cum IS NULL THEN COALESCE(f.demand_rate, 0)"
                "  WHEN %(date)s::date - s.date + 1 < array_length(s.cum, 1)"
                "  THEN s.cum[%(date)s::date - s.date + 2]"
                "  - s.cum[%(date)s::date - s.date + 1]"
                "  ELSE COALESCE(f.demand_tail, 0) END%(values)s"
                " FROM erp_demand_forecast f"
                " LEFT JOIN (SELECT product_id, warehouse_id, date,"
                "  COALESCE(demand_cum_values,"
                "  translate(demand_cum::text, '[]', '{}')::float8[]) AS cum"
                "  FROM erp_demand_forecast_selection"
                "  WHERE company_id = %(company)s AND demand_cum IS NOT NULL) s"
                " ON s.product_id = f.product_id AND s.warehouse_id = f.warehouse_id"
                " AND s.date = f.demand_cum_date%(joins)s"
                " WHERE f.company_id = %(company)s",
                company=company.id,
                date=date,
                columns=columns,
                values=values,
                joins=joins,
            )
        )
        self.invalidate_model()

    @api.model
    def _record_forecast_columns(self):
        """(columns, values): SQL of more columns of the history and of
        their values over the forecast row ``f``, each starting with a
        comma (set in the same INSERT, not updated after it)."""
        return SQL(), SQL()

    @api.model
    def _record_forecast_joins(self):
        """SQL of more joins of that INSERT (each starting with a space) for
        the values of ``_record_forecast_columns``: a join rather than a
        subquery per row keeps the statement's estimated cost, and so
        PostgreSQL's JIT compilation, in proportion to its rows."""
        return SQL()

    @api.model
    def _store(self, company, date, rows):
        """Store ``rows`` [(product_id, warehouse_id, categ_id, rate)] as the
        forecast of ``company`` made on ``date``, replacing the one of that
        day (demo data, tests)."""
        self.search([("company_id", "=", company.id), ("date", "=", date)]).unlink()
        self.create(
            [
                {
                    "company_id": company.id,
                    "date": date,
                    "product_id": product_id,
                    "warehouse_id": warehouse_id,
                    "categ_id": categ_id or False,
                    "rate": rate,
                }
                for product_id, warehouse_id, categ_id, rate in rows
            ]
        )

    @api.model
    def _rates_query(self, company, dates):
        """SQL giving (date, product_id, warehouse_id, categ_id, rate) of the
        forecasts of ``company`` made on ``dates``."""
        self.flush_model()
        return SQL(
            "SELECT h.date, h.product_id, h.warehouse_id, h.categ_id, h.rate"
            " FROM erp_demand_forecast_history h"
            " WHERE h.company_id = %(company)s AND h.date = ANY(%(dates)s::date[])",
            company=company.id,
            dates=list(dates),
        )
