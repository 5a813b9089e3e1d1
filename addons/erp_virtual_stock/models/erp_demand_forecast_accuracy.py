# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .erp_demand_forecast import FORECAST_HORIZONS


class ErpDemandForecastAccuracy(models.Model):
    """Accuracy of a past forecast snapshot against the actual demand, per
    product category (an empty category is the total of the snapshot)."""

    _name = "erp.demand.forecast.accuracy"
    _description = "Demand Forecast Accuracy"
    _order = "snapshot_date desc, product_categ_id, id"
    _rec_name = "snapshot_date"
    _check_company_auto = True

    snapshot_date = fields.Date(
        required=True,
        index=True,
        readonly=True,
        help="Day of the forecast that is evaluated.",
    )
    evaluation_date = fields.Date(readonly=True)
    horizon_days = fields.Integer(
        "Horizon (days)",
        readonly=True,
        help="The forecast demand over this many days is compared with the "
        "demand that actually followed.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        index=True,
        readonly=True,
        help="Empty: every product of the snapshot.",
    )
    sample_count = fields.Integer(
        "Products × Warehouses",
        readonly=True,
        help="Number of product and warehouse pairs with actual demand, on "
        "which the error is measured.",
    )
    forecast_qty = fields.Float(
        "Forecast Demand", digits="Product Unit of Measure", readonly=True
    )
    actual_qty = fields.Float(
        "Actual Demand", digits="Product Unit of Measure", readonly=True
    )
    wape = fields.Float(
        "WAPE (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Weighted absolute percentage error: the sum over the products of "
        "|actual - forecast| divided by the sum of the actual demand. Defined "
        "when some products sell nothing (unlike a mean of percentages). "
        "Lower is better.",
    )
    bias = fields.Float(
        "Bias (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Forecast minus actual demand, over the actual demand: positive "
        "when the forecast was too high.",
    )

    _sql_constraints = [
        (
            "snapshot_categ_uniq",
            "UNIQUE(company_id, snapshot_date, horizon_days, product_categ_id)",
            "The accuracy of a forecast is stored once per category.",
        ),
    ]

    @api.model
    def _evaluate_company(self, company, today):
        """Compare every snapshot whose horizon has elapsed and that was not
        evaluated yet with the demand that followed."""
        Forecast = self.env["erp.demand.forecast"]
        horizon = Forecast._get_param("accuracy_horizon")
        if horizon not in FORECAST_HORIZONS:
            horizon = FORECAST_HORIZONS[0]
        History = self.env["erp.demand.forecast.history"]
        self.flush_model()
        History.flush_model()
        dates = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT DISTINCT h.date FROM erp_demand_forecast_history h"
                    " WHERE h.company_id = %(company)s AND h.date <= %(limit)s"
                    " AND NOT EXISTS (SELECT 1 FROM erp_demand_forecast_accuracy a"
                    "  WHERE a.company_id = h.company_id"
                    "  AND a.snapshot_date = h.date AND a.horizon_days = %(h)s)",
                    company=company.id,
                    limit=today - timedelta(days=horizon),
                    h=horizon,
                )
            )
        ]
        if not dates:
            return self
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)]
        )
        Forecast._flush_demand_sources()
        # the actual demand over the horizon after each snapshot date
        actual = Forecast._get_demand_query(
            warehouses,
            SQL("s.snapshot_date::timestamp"),
            SQL("s.snapshot_date::timestamp + make_interval(days => %s)", horizon),
            weighted=False,
        )
        # one aggregate for every pending snapshot: per category and in total
        # (ROLLUP); a snapshot without any actual demand gets an empty total
        rows = self.env.execute_query(
            SQL(
                "WITH actual AS ("
                " SELECT s.snapshot_date, a.product_id, a.warehouse_id, a.net_qty"
                " FROM unnest(%(dates)s::date[]) AS s(snapshot_date)"
                " CROSS JOIN LATERAL (%(actual)s) AS a),"
                " forecast AS (%(forecast)s),"
                " acc AS ("
                " SELECT f.date, GROUPING(f.categ_id) AS is_total,"
                " f.categ_id, COUNT(*) AS samples,"
                " SUM(f.rate * %(h)s) AS forecast_qty,"
                " SUM(COALESCE(a.net_qty, 0)) AS actual_qty,"
                " SUM(ABS(COALESCE(a.net_qty, 0) - f.rate * %(h)s)) AS abs_error"
                " FROM forecast f"
                " LEFT JOIN actual a ON a.snapshot_date = f.date"
                "  AND a.product_id = f.product_id"
                "  AND a.warehouse_id = f.warehouse_id"
                # every pair forecast to sell or that sold (a pair forecast to
                # sell that sold nothing is an error too)
                " WHERE f.rate > 0 OR a.net_qty > 0"
                " GROUP BY f.date, ROLLUP (f.categ_id))"
                " SELECT s.snapshot_date, COALESCE(acc.is_total, 1),"
                " acc.categ_id, acc.samples, acc.forecast_qty,"
                " acc.actual_qty, acc.abs_error"
                " FROM unnest(%(dates)s::date[]) AS s(snapshot_date)"
                " LEFT JOIN acc ON acc.date = s.snapshot_date"
                " ORDER BY 1, 2 DESC, 3",
                dates=sorted(dates),
                actual=actual,
                forecast=History._rates_query(company, dates),
                h=float(horizon),
            )
        )
        vals_list = []
        for date, is_total, categ_id, count, forecast_qty, actual_qty, error in rows:
            actual = actual_qty or 0.0
            vals_list.append(
                {
                    "snapshot_date": date,
                    "evaluation_date": today,
                    "horizon_days": horizon,
                    "company_id": company.id,
                    "product_categ_id": False if is_total else categ_id,
                    "sample_count": count or 0,
                    "forecast_qty": forecast_qty or 0.0,
                    "actual_qty": actual,
                    "wape": 100.0 * (error or 0.0) / actual if actual > 0 else 0.0,
                    "bias": 100.0 * ((forecast_qty or 0.0) - actual) / actual
                    if actual > 0
                    else 0.0,
                }
            )
        return self.create(vals_list)

    @api.model
    def _get_latest_wape(self, categories):
        """{category_id: wape} of the latest evaluation of each category."""
        result = {}
        for accuracy in self.search(
            [("product_categ_id", "in", categories.ids)],
            order="snapshot_date desc, id desc",
        ):
            result.setdefault(accuracy.product_categ_id.id, accuracy.wape)
        return result
