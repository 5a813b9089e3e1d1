# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

FORECAST_HORIZONS = (7, 30, 90)
PARAM_PREFIX = "erp_virtual_stock.forecast_"
DEFAULT_PARAMS = {
    "window_days": 90,
    "recent_days": 28,
    "recent_weight": 1.0,
    "soon_days": 14,
    "retention_days": 35,
    "accuracy_horizon": 7,
}


class ErpDemandForecast(models.Model):
    """The current demand forecast, one row per product and warehouse.

    Every refresh updates the rows in place where a figure changed (new
    pairs are inserted, pairs left without stock or demand deleted; the
    snapshot date is the company's, one per refresh) and stores the forecast
    it made as
    the forecast it made in ``erp.demand.forecast.history`` (one row per
    product, warehouse and day): the forecasts that the forecast accuracy
    later compares with the actual demand.
    """

    _name = "erp.demand.forecast"
    _description = "Demand Forecast Snapshot"
    _order = "date desc, stockout_date, product_id, warehouse_id, id"
    _rec_name = "product_id"
    _check_company_auto = True
    # a bulk snapshot with the company's date: no per-row audit columns (and no
    # foreign keys to res_users to check on every inserted row)
    _log_access = False

    # indexed by the unique (product_id, warehouse_id) constraint
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", string="Product Template"
    )
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", index=True, readonly=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    # the day of the company's last refresh, kept once on the company (not on
    # every row: a refresh rewrites only the rows whose figures changed)
    date = fields.Date(
        "Snapshot Date",
        related="company_id.erp_forecast_date",
        readonly=True,
        help="Day of the refresh that computed this forecast.",
    )
    window_days = fields.Integer(
        "Window (days)",
        readonly=True,
        help="Number of days of delivery history the demand rate is computed from.",
    )
    demand_qty = fields.Float(
        "Net Demand",
        digits="Product Unit of Measure",
        readonly=True,
        help="Quantity delivered to customers over the window, net of returns.",
    )
    demand_rate = fields.Float(
        "Daily Demand",
        digits="Product Unit of Measure",
        readonly=True,
        aggregator="sum",
        help="Average daily demand over the window (recent weeks weighted as "
        "configured), net of customer returns.",
    )
    virtual_stock_qty = fields.Float(
        "Virtual Stock",
        digits="Product Unit of Measure",
        readonly=True,
        help="Virtual stock of the product in the warehouse at the refresh.",
    )
    days_of_cover = fields.Float(
        "Days of Cover",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Virtual stock divided by the daily demand; empty without demand.",
    )
    stockout_date = fields.Date(
        "Projected Stock-out",
        readonly=True,
        aggregator="min",
        help="Day the virtual stock is projected to reach zero, taking the "
        "incoming receptions and manual entries by date into account.",
    )
    forecast_qty_7 = fields.Float(
        "Forecast 7 Days",
        digits="Product Unit of Measure",
        readonly=True,
        help="Expected demand over the next 7 days.",
    )
    forecast_qty_30 = fields.Float(
        "Forecast 30 Days",
        digits="Product Unit of Measure",
        readonly=True,
        help="Expected demand over the next 30 days.",
    )
    forecast_qty_90 = fields.Float(
        "Forecast 90 Days",
        digits="Product Unit of Measure",
        readonly=True,
        help="Expected demand over the next 90 days.",
    )
    runs_out_soon = fields.Boolean(
        compute="_compute_runs_out_soon",
        search="_search_runs_out_soon",
        help="The projected stock-out falls within the configured number of days.",
    )

    _sql_constraints = [
        (
            "product_warehouse_uniq",
            "UNIQUE(product_id, warehouse_id)",
            "The forecast of a product in a warehouse is stored once.",
        ),
    ]

    @api.depends("stockout_date")
    def _compute_runs_out_soon(self):
        limit = self._runs_out_soon_limit()
        for forecast in self:
            forecast.runs_out_soon = bool(
                forecast.stockout_date and forecast.stockout_date <= limit
            )

    def _search_runs_out_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'runs out soon'."))
        domain = [
            ("stockout_date", "!=", False),
            ("stockout_date", "<=", self._runs_out_soon_limit()),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.model
    def _runs_out_soon_limit(self):
        return fields.Date.context_today(self) + timedelta(
            days=self._get_param("soon_days")
        )

    # ------------------------------------------------------------------
    # Parameters
    # ------------------------------------------------------------------
    @api.model
    def _get_param(self, key):
        default = DEFAULT_PARAMS[key]
        raw = (
            self.env["ir.config_parameter"]
            .sudo()  # technical settings, readable by every forecast user
            .get_param(PARAM_PREFIX + key)
        )
        try:
            return type(default)(raw) if raw else default
        except ValueError:
            _logger.info("Ignoring invalid parameter %s=%r", PARAM_PREFIX + key, raw)
            return default

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------
    @api.model
    def _refresh_company(self, company, today=None, now=None):
        """Refresh the forecast of ``company`` set-based: the forecast is
        computed and written over the current rows in one statement (inserted
        for new pairs, deleted for pairs gone), then copied as the day's
        history (no row goes through Python).

        Steps: the forecast query (``_get_refresh_query``), its write over the
        current rows (``_write_forecast``), the day's history and accuracy
        (``_record_refresh``).
        """
        today = today or fields.Date.context_today(self)
        now = now or fields.Datetime.now()
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)]
        )
        self.flush_model()
        self.env["erp.demand.forecast.history"].flush_model()
        forecast = self._get_refresh_query(warehouses, today, now)
        count = self._write_forecast(company, forecast, today)
        self._record_refresh(company, today)
        # when the snapshot was taken, shown with it; forecast managers may
        # refresh without being allowed to edit the company
        company.sudo().write(
            {"erp_forecast_refreshed_at": now, "erp_forecast_date": today}
        )
        return count

    @api.model
    def _write_forecast(self, company, forecast, today):
        """Write the rows of ``forecast`` (SQL of the forecast query) over the
        current rows of ``company``: updated in place, inserted for new
        pairs, deleted for pairs gone. Returns the number of pairs of the
        forecast.

        The answer goes first into a temporary table, analyzed, that the
        write statement reads (``_store_forecast_answer``): with the answer
        as a CTE of the same statement the planner had no statistics of it
        and the statement, costed as a whole, crossed PostgreSQL's JIT
        optimisation threshold (compiling it took longer than the write at
        50,000 products, see bench/README.md)."""
        answer = self._store_forecast_answer(forecast)
        changed = SQL(
            "demand_qty = f.demand_qty, demand_rate = f.rate,"
            " virtual_stock_qty = f.virtual, days_of_cover = f.cover,"
            " stockout_date = f.stockout, forecast_qty_7 = f.qty_7,"
            " forecast_qty_30 = f.qty_30, forecast_qty_90 = f.qty_90,"
            " product_categ_id = f.categ_id, window_days = %s",
            self._get_param("window_days"),
        )
        self.env.cr.execute(
            SQL(
                # the rows of the previous refresh, updated in place where a
                # figure changed (the others are left alone: the snapshot
                # date is the company's)
                "WITH upd AS ("
                "  UPDATE erp_demand_forecast cur SET %(changed)s FROM %(answer)s f"
                "  WHERE cur.id = f.cur_id"
                "  AND (cur.demand_qty, cur.demand_rate, cur.virtual_stock_qty,"
                "  cur.days_of_cover, cur.stockout_date, cur.forecast_qty_7,"
                "  cur.forecast_qty_30, cur.forecast_qty_90, cur.product_categ_id,"
                "  cur.window_days) IS DISTINCT FROM"
                "  (f.demand_qty, f.rate, f.virtual, f.cover, f.stockout,"
                "  f.qty_7, f.qty_30, f.qty_90, f.categ_id, %(window)s)"
                "  RETURNING 1),"
                # the new pairs
                " ins AS ("
                "  INSERT INTO erp_demand_forecast (product_id,"
                "  warehouse_id, company_id, demand_qty, demand_rate,"
                "  virtual_stock_qty, days_of_cover, stockout_date,"
                "  forecast_qty_7, forecast_qty_30, forecast_qty_90,"
                "  product_categ_id, window_days)"
                "  SELECT f.product_id, f.warehouse_id, %(company)s,"
                "  f.demand_qty, f.rate, f.virtual, f.cover, f.stockout,"
                "  f.qty_7, f.qty_30, f.qty_90, f.categ_id, %(window)s"
                "  FROM %(answer)s f WHERE f.cur_id IS NULL"
                "  ON CONFLICT (product_id, warehouse_id) DO NOTHING RETURNING 1),"
                # the pairs gone
                " gone AS ("
                "  DELETE FROM erp_demand_forecast d"
                "  WHERE d.company_id = %(company)s AND NOT EXISTS"
                "  (SELECT 1 FROM %(answer)s f WHERE f.cur_id = d.id) RETURNING 1)"
                " SELECT (SELECT COUNT(*) FROM %(answer)s),"
                " (SELECT COUNT(*) FROM upd), (SELECT COUNT(*) FROM ins),"
                " (SELECT COUNT(*) FROM gone)",
                answer=answer,
                company=company.id,
                window=self._get_param("window_days"),
                changed=changed,
            )
        )
        count = self.env.cr.fetchone()[0]
        self.env.cr.execute(SQL("DROP TABLE %s", answer))
        return count

    @api.model
    def _store_forecast_answer(self, forecast):
        """Store the rows of ``forecast`` with the id of the row of the
        previous refresh of each pair (``cur_id``) in a temporary table of
        the transaction, analyzed (autovacuum never analyzes temporary
        tables), and return the SQL identifier of that table."""
        answer = SQL.identifier("erp_demand_forecast_answer")
        self.env.cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE %(answer)s ON COMMIT DROP AS"
                " SELECT n.*, cur.id AS cur_id"
                " FROM (%(forecast)s) AS n(product_id, categ_id, warehouse_id,"
                " demand_qty, rate, virtual, cover, stockout, qty_7, qty_30,"
                " qty_90)"
                " LEFT JOIN erp_demand_forecast cur"
                " ON cur.product_id = n.product_id"
                " AND cur.warehouse_id = n.warehouse_id",
                answer=answer,
                forecast=forecast,
            )
        )
        self.env.cr.execute(SQL("ANALYZE %s", answer))
        return answer

    @api.model
    def _record_refresh(self, company, today):
        """Copy the refreshed forecast of ``company`` as the day's history
        (dropping what is older than the retention) and evaluate the accuracy
        of the past forecasts."""
        History = self.env["erp.demand.forecast.history"]
        History._record_forecast(
            company,
            today,
            today - timedelta(days=self._get_param("retention_days")),
        )
        self.invalidate_model()
        History.invalidate_model()
        self.env["erp.demand.forecast.accuracy"]._evaluate_company(company, today)

    @api.model
    def action_refresh(self):
        """Refresh the forecasts of the allowed companies now (button).
        Managers only: the refresh rewrites every snapshot of the companies
        and, through _after_refresh, the dynamic thresholds (as superuser)."""
        if not self.env.su and not self.env.user.has_group(
            "erp_virtual_stock.erp_virtual_stock_group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only virtual stock administrators may refresh the forecast."
                )
            )
        for company in self.env.companies:
            self.with_company(company)._refresh_company(company)
        self._after_refresh()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Demand forecast refreshed."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_open_graph(self):
        return self.env.ref(
            "erp_virtual_stock.erp_demand_forecast_graph_report"
        ).report_action(self)

    @api.model
    def _after_refresh(self):
        """Hook called once the snapshots are refreshed: dynamic thresholds
        follow the new demand."""
        # thresholds follow the demand whoever refreshed (users only read them)
        self.env["erp.stock.threshold"].sudo()._cron_apply_demand_quantities()

    @api.model
    def _cron_refresh(self):
        companies = self.env["res.company"].search([])
        for done, company in enumerate(companies):
            self.with_company(company)._refresh_company(company)
            self.env["ir.cron"]._notify_progress(
                done=done + 1, remaining=len(companies) - done - 1
            )
        self._after_refresh()
