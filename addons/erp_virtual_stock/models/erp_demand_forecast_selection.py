# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging
from datetime import timedelta

import numpy as np

from odoo import api, fields, models, modules
from odoo.tools import SQL

from ..lib import forecast_path, forecast_selection

_logger = logging.getLogger(__name__)

METHODS = [
    ("moving_average", "Moving Average"),
    ("ses", "Simple Exponential Smoothing"),
    ("holt", "Holt (Trend)"),
    ("holt_winters", "Holt-Winters (Weekly Season)"),
    ("croston", "Croston"),
    ("sba", "Syntetos-Boylan (SBA)"),
    ("tsb", "Teunter-Syntetos-Babai (TSB)"),
    ("holt_winters_yearly", "Holt-Winters (Weekly and Yearly Season)"),
]
SELECTION_PARAMS = {
    "history_days": 364,
    # read for the yearly season (two years); at most history_days: none
    "yearly_history_days": 728,
    "backtest_days": 28,
    "backtest_folds": 3,
    "batch_size": 5000,
}


class ErpDemandForecastSelection(models.Model):
    """The method chosen for a product in a warehouse by the last refresh,
    its backtest errors and the forecast it made (daily rate and totals over
    the horizons): the refresh reads its rate instead of the moving average
    (stock-out date, days of cover) and copies the rest on the forecast."""

    _name = "erp.demand.forecast.selection"
    _description = "Demand Forecast Method Selection"
    _order = "product_id, warehouse_id"
    _rec_name = "product_id"
    _check_company_auto = True
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, ondelete="cascade"
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, readonly=True, ondelete="cascade"
    )
    date = fields.Date("Selection Date", readonly=True)
    method = fields.Selection(METHODS, readonly=True)
    mase = fields.Float("MASE", digits=(16, 3), readonly=True)
    wape = fields.Float("WAPE (%)", digits=(16, 1), readonly=True)
    bias = fields.Float("Bias (%)", digits=(16, 1), readonly=True)
    rate = fields.Float("Daily Demand", readonly=True)
    qty_7 = fields.Float(readonly=True)
    qty_30 = fields.Float(readonly=True)
    qty_90 = fields.Float(readonly=True)
    override_id = fields.Many2one(
        "erp.demand.forecast.override", readonly=True, ondelete="set null"
    )
    # the daily forecast as cumulative demand (lib/forecast_path.py)
    demand_cum = fields.Json("Daily Forecast (cumulative)", readonly=True)
    tail_rate = fields.Float("Daily Demand after the Horizon", readonly=True)

    _sql_constraints = [
        (
            "product_warehouse_uniq",
            "UNIQUE(product_id, warehouse_id)",
            "The method of a product in a warehouse is chosen once.",
        ),
    ]

    def init(self):
        # the daily forecast as a float8[] too: what the refresh's SQL reads
        # (binary search by width_bucket), without parsing the JSON of
        # 150,000 pairs on every refresh; not an ORM field (no array type)
        self.env.cr.execute(
            SQL(
                "ALTER TABLE %s ADD COLUMN IF NOT EXISTS demand_cum_values float8[]",
                SQL.identifier(self._table),
            )
        )


class ErpDemandForecast(models.Model):
    """Refresh steps of the method selection: the demand series of every
    pair, the rolling-origin backtest choosing a method per series, the
    manual overrides, then the usual refresh reading the chosen forecast."""

    _inherit = "erp.demand.forecast"  # pylint: disable=consider-merging-classes-inherited

    method = fields.Selection(
        METHODS,
        readonly=True,
        help="Forecasting method chosen for this product in this warehouse "
        "by the rolling-origin backtest on its own demand history.",
    )
    mase = fields.Float(
        "MASE",
        digits=(16, 3),
        readonly=True,
        aggregator="avg",
        help="Mean absolute scaled error of the chosen method in the "
        "backtest: its mean absolute daily error divided by the mean absolute "
        "day-to-day change of the history. Below 1: better than repeating "
        "yesterday's demand.",
    )
    wape = fields.Float(
        "WAPE (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Weighted absolute percentage error of the chosen method in the "
        "backtest: the sum of absolute daily errors over the actual demand.",
    )
    bias = fields.Float(
        "Bias (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Forecast minus actual demand in the backtest, over the actual "
        "demand: positive when the method over-forecasts.",
    )
    override_id = fields.Many2one(
        "erp.demand.forecast.override",
        string="Manual Override",
        readonly=True,
        help="Manual forecast in force for part of the horizon.",
    )

    @api.model
    def _get_selection_param(self, key):
        default = SELECTION_PARAMS[key]
        raw = (
            self.env["ir.config_parameter"]
            .sudo()  # technical settings, readable by every forecast user
            .get_param("erp_virtual_stock.forecast_" + key)
        )
        try:
            return max(int(raw), 1) if raw else default
        except ValueError:
            return default

    @api.model
    def _refresh_company(self, company, today=None, now=None):
        """Choose the methods first (``_select_methods``), then run the
        refresh reading their forecast."""
        today = today or fields.Date.context_today(self)
        selected = self._select_methods(company, today)
        return super(
            ErpDemandForecast,
            self.with_context(
                erp_forecast_selection=company.id,
                erp_forecast_selection_kept=not selected,
            ),
        )._refresh_company(company, today=today, now=now)

    @api.model
    def _select_methods(self, company, today):
        """Replace the method selection of ``company``: the series of every
        pair with demand in the history, in batches of products (committed
        one by one with the cron's progress when run by the cron).

        With ``forecast_selection_interval_days`` set to N > 0, a selection
        less than N days old is kept: the refresh then reads its forecast
        without re-selecting (the stock, cover and stock-out move on)."""
        Selection = self.env["erp.demand.forecast.selection"]
        if self._selection_is_recent(company, today):
            return False
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)]
        )
        days = self._get_selection_param("history_days")
        date_from = today - timedelta(days=days)
        pairs = (
            self._get_demand_pairs(warehouses, date_from, today) if warehouses else []
        )
        Selection.flush_model()
        self.env.execute_query(
            SQL(
                "DELETE FROM erp_demand_forecast_selection WHERE company_id = %s",
                company.id,
            )
        )
        batch = self._get_selection_param("batch_size")
        products = sorted({p for p, __ in pairs})
        batches = [products[k : k + batch] for k in range(0, len(products), batch)]
        selector = self
        if len(batches) > 1:
            # the done moves of every batch in one scan of stock_move
            read = max(days, self._get_selection_param("yearly_history_days"))
            selector = self.with_context(
                erp_series_moves=self._store_series_moves(
                    warehouses, today - timedelta(days=read), read
                )
            )
        for done, ids in enumerate(batches):
            chunk = set(ids)
            selector._select_batch(
                company, warehouses, [p for p in pairs if p[0] in chunk], today
            )
            if self.env.context.get("erp_forecast_commit"):
                self.env["ir.cron"]._notify_progress(
                    done=done + 1, remaining=len(batches) - done - 1
                )
                if not modules.module.current_test:
                    # the nightly job keeps each batch's selection (and its
                    # progress) even if a later batch fails or times out
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        if selector is not self:
            self._drop_series_moves(selector.env.context["erp_series_moves"])
        Selection.invalidate_model()
        return True

    @api.model
    def _selection_is_recent(self, company, today):
        raw = (
            self.env["ir.config_parameter"]
            .sudo()  # technical settings, readable by every forecast user
            .get_param("erp_virtual_stock.forecast_selection_interval_days")
        )
        try:
            interval = int(raw or 0)
        except ValueError:
            interval = 0
        if interval <= 0:
            return False
        Selection = self.env["erp.demand.forecast.selection"]
        Selection.flush_model()
        last = self.env.execute_query(
            SQL(
                "SELECT MAX(date) FROM erp_demand_forecast_selection"
                " WHERE company_id = %s",
                company.id,
            )
        )[0][0]
        return bool(last and last > today - timedelta(days=interval))

    @api.model
    def _select_batch(self, company, warehouses, pairs, today):
        """Backtest and store the chosen method of ``pairs``."""
        days = self._get_selection_param("history_days")
        read = max(days, self._get_selection_param("yearly_history_days"))
        series = self._get_demand_series(
            warehouses, pairs, today - timedelta(days=read), read
        )
        result = forecast_selection.select(
            series,
            short=days,
            test=self._get_selection_param("backtest_days"),
            folds=self._get_selection_param("backtest_folds"),
            horizon=90,
            season=7,
            window=self._get_param("window_days"),
        )
        if days and pairs:
            self.env["erp.demand.forecast.history"]._record_actuals(
                company, today - timedelta(days=1), pairs, series[:, -1]
            )
        overrides = self.env["erp.demand.forecast.override"]._apply_overrides(
            pairs, today, result["forecast"]
        )
        path = result["forecast"]
        # the pairs without a backtest (too little history to compare the
        # methods) keep today's weighted moving average, unless overridden
        keep = [
            k
            for k in range(len(pairs))
            if overrides[k] or not np.isnan(result["mase"][k])
        ]
        pairs = [pairs[k] for k in keep]
        overrides = [overrides[k] for k in keep]
        result = {key: value[keep] for key, value in result.items()}
        path = path[keep]

        def floats(values, factor=1.0):
            return [None if np.isnan(v) else float(v) * factor for v in values]

        cum, tail = forecast_path.cumulative(path)
        self.env.execute_query(
            SQL(
                "INSERT INTO erp_demand_forecast_selection (company_id, product_id,"
                " warehouse_id, date, method, mase, wape, bias, rate, qty_7, qty_30,"
                " qty_90, override_id, tail_rate, demand_cum, demand_cum_values)"
                " SELECT %(company)s, p, w, d, m, e1, e2, e3, r, q1, q2, q3, o, t,"
                " c::jsonb, translate(c, '[]', '{}')::float8[]"
                " FROM unnest(%(products)s::int[],"
                " %(whs)s::int[], %(dates)s::date[], %(methods)s::varchar[],"
                " %(mase)s::float8[], %(wape)s::float8[], %(bias)s::float8[],"
                " %(rate)s::float8[], %(q7)s::float8[], %(q30)s::float8[],"
                " %(q90)s::float8[], %(overrides)s::int[], %(tail)s::float8[],"
                " %(cum)s::text[])"
                " AS u(p, w, d, m, e1, e2, e3, r, q1, q2, q3, o, t, c)",
                company=company.id,
                products=[p for p, __ in pairs],
                whs=[w for __, w in pairs],
                dates=[today] * len(pairs),
                methods=list(result["method"]),
                mase=floats(result["mase"]),
                wape=floats(result["wape"], 100.0),
                bias=floats(result["bias"], 100.0),
                rate=floats(path[:, :30].mean(axis=1) if len(pairs) else []),
                q7=floats(path[:, :7].sum(axis=1) if len(pairs) else []),
                q30=floats(path[:, :30].sum(axis=1) if len(pairs) else []),
                q90=floats(path.sum(axis=1) if len(pairs) else []),
                overrides=overrides,
                tail=[float(v) for v in tail],
                cum=[json.dumps(row) for row in cum.tolist()],
            )
        )

    @api.model
    def _selection_weighted_days(self):
        window = max(self._get_param("window_days"), 1)
        recent = min(max(self._get_param("recent_days"), 0), window)
        weight = max(self._get_param("recent_weight"), 0.0)
        return (window - recent) + recent * weight or window

    @api.model
    def _get_demand_query(self, warehouses, date_from, date_to, weighted=True):
        """In a refresh with a method selection, the demand rate is the
        chosen method's (its daily forecast over the next 30 days), for
        every pair it has a forecast for."""
        query = super()._get_demand_query(warehouses, date_from, date_to, weighted)
        company = self.env.context.get("erp_forecast_selection")
        if not weighted or not company:
            return query
        self.env["erp.demand.forecast.selection"].flush_model()
        return SQL(
            "SELECT COALESCE(d.product_id, s.product_id) AS product_id,"
            " COALESCE(d.warehouse_id, s.warehouse_id) AS warehouse_id,"
            " COALESCE(d.net_qty, 0) AS net_qty,"
            " COALESCE(s.rate * %(days)s, d.weighted_qty) AS weighted_qty"
            " FROM (%(query)s) AS d(product_id, warehouse_id, net_qty, weighted_qty)"
            " FULL JOIN (SELECT * FROM erp_demand_forecast_selection"
            "  WHERE company_id = %(company)s AND warehouse_id = ANY(%(whs)s)"
            "  AND rate IS NOT NULL) s"
            " ON s.product_id = d.product_id AND s.warehouse_id = d.warehouse_id",
            query=query,
            days=float(self._selection_weighted_days()),
            company=company,
            whs=warehouses.ids or [0],
        )

    def action_open_forecast_vs_actual(self):
        """The daily forecast against the actual demand of this product in
        this warehouse (graph of the forecast history)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_virtual_stock.erp_demand_forecast_history_action"
        )
        action["domain"] = [
            ("product_id", "=", self.product_id.id),
            ("warehouse_id", "=", self.warehouse_id.id),
        ]
        action["name"] = self.env._(
            "Forecast vs Actual: %(product)s", product=self.product_id.display_name
        )
        return action

    @api.model
    def _cron_refresh(self):
        """The nightly job commits the method selection batch by batch."""
        return super(
            ErpDemandForecast, self.with_context(erp_forecast_commit=True)
        )._cron_refresh()
