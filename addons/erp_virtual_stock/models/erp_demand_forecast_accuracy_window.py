# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from .erp_demand_forecast_selection import METHODS

DEFAULT_WINDOW_DAYS = 28


class ErpDemandForecastAccuracyWindow(models.Model):
    """Accuracy of the daily forecasts over a rolling window (the last
    ``erp_virtual_stock.forecast_accuracy_window_days`` days, 28 by default):
    the forecast each refresh made for its own day (``day_qty`` of the
    forecast history) against the demand of that day (``actual_qty``, censored
    days left out), per product and warehouse, per product category and per
    method (``level``).

    - WAPE: sum of |actual - forecast| / sum of actual demand;
    - bias: (sum of forecasts - sum of actual demand) / sum of actual demand;
    - MASE: mean |actual - forecast| / mean |actual - actual of the day
      before| over the same days (the one-day naive forecast, out of sample):
      below 1, better than repeating yesterday's demand.

    A group's figures are ratios of its sums (not means of its products'
    ratios), so that a product selling 1 unit weighs less than one selling
    1,000.
    """

    _name = "erp.demand.forecast.accuracy.window"
    _description = "Demand Forecast Accuracy over a Rolling Window"
    _auto = False
    _order = "level, wape desc, id"
    _rec_name = "product_id"

    level = fields.Selection(
        [
            ("product", "Product"),
            ("category", "Product Category"),
            ("method", "Method"),
        ],
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    method = fields.Selection(
        METHODS,
        readonly=True,
        help="Method of the latest forecast of the product in the window.",
    )
    day_count = fields.Integer("Days", readonly=True)
    forecast_qty = fields.Float(
        "Forecast Demand", digits="Product Unit of Measure", readonly=True
    )
    actual_qty = fields.Float(
        "Actual Demand", digits="Product Unit of Measure", readonly=True
    )
    mase = fields.Float(
        "MASE",
        digits=(16, 3),
        readonly=True,
        aggregator="avg",
        help="Mean absolute error of the daily forecast over the mean absolute "
        "error of repeating the day before's demand, over the window. Below 1: "
        "the forecast beats the naive one.",
    )
    wape = fields.Float(
        "WAPE (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Sum of the absolute daily errors over the actual demand, over "
        "the window.",
    )
    bias = fields.Float(
        "Bias (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Forecast minus actual demand over the actual demand, over the "
        "window: positive when the forecast is too high.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE VIEW %(table)s AS ("
                " WITH win AS (SELECT GREATEST(COALESCE((SELECT value"
                "  ::int FROM ir_config_parameter WHERE key = %(key)s"
                "  AND value ~ '^[0-9]+$'), %(days)s), 1) AS days),"
                " h AS (SELECT h.company_id, h.product_id, h.warehouse_id,"
                "  h.categ_id, h.method, h.date,"
                "  COALESCE(h.day_qty, h.rate) AS f, h.actual_qty AS a,"
                "  CASE WHEN LAG(h.date) OVER w = h.date - 1"
                "   THEN ABS(h.actual_qty - LAG(h.actual_qty) OVER w) END AS naive"
                "  FROM erp_demand_forecast_history h, win"
                "  WHERE h.actual_qty IS NOT NULL"
                "  AND h.date >= CURRENT_DATE - win.days"
                "  WINDOW w AS (PARTITION BY h.company_id, h.product_id,"
                "  h.warehouse_id ORDER BY h.date)),"
                " pair AS (SELECT h.company_id, h.product_id, h.warehouse_id,"
                "  (array_agg(h.categ_id ORDER BY h.date DESC))[1] AS categ_id,"
                "  (array_agg(COALESCE(h.method, 'moving_average')"
                "   ORDER BY h.date DESC))[1] AS method,"
                "  COUNT(*) AS n, SUM(h.f) AS f, SUM(h.a) AS a,"
                "  SUM(ABS(h.f - h.a)) AS err, COUNT(h.naive) AS n_naive,"
                "  SUM(h.naive) AS naive"
                "  FROM h GROUP BY h.company_id, h.product_id, h.warehouse_id),"
                " g AS (SELECT company_id,"
                "  CASE WHEN GROUPING(product_id) = 0 THEN 'product'"
                "   WHEN GROUPING(categ_id) = 0 THEN 'category'"
                "   ELSE 'method' END AS level,"
                "  product_id, warehouse_id, categ_id,"
                "  CASE WHEN GROUPING(product_id) = 0 OR GROUPING(method) = 0"
                "   THEN MAX(method) END AS method,"
                "  SUM(n) AS n, SUM(f) AS f, SUM(a) AS a, SUM(err) AS err,"
                "  SUM(n_naive) AS n_naive, SUM(naive) AS naive"
                "  FROM pair GROUP BY company_id, GROUPING SETS ("
                "  (product_id, warehouse_id, categ_id, method),"
                "  (categ_id), (method)))"
                " SELECT row_number() OVER (ORDER BY level, company_id,"
                "  product_id, warehouse_id, categ_id, method) AS id,"
                " level, company_id, product_id, warehouse_id, categ_id,"
                " method, n AS day_count, f AS forecast_qty, a AS actual_qty,"
                " CASE WHEN naive > 0 AND n_naive > 0"
                "  THEN (err / n) / (naive / n_naive) END AS mase,"
                " CASE WHEN a > 0 THEN 100 * err / a END AS wape,"
                " CASE WHEN a > 0 THEN 100 * (f - a) / a END AS bias"
                " FROM g)",
                table=SQL.identifier(self._table),
                key="erp_virtual_stock.forecast_accuracy_window_days",
                days=DEFAULT_WINDOW_DAYS,
            )
        )
