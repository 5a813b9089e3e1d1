# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class ErpStockSlowMoverReport(models.Model):
    """Slow movers: the products whose days of cover in a warehouse exceed
    the company's limit (Inventory > Settings), with the value of their stock
    on hand.

    The days of cover are the demand forecast's (virtual stock divided by the
    daily demand, as of the last forecast refresh); a product with stock and
    no demand at all has no cover figure and is the slowest of all. The
    quantity on hand and its value (at the product's cost in the company)
    are read live, in one query."""

    _name = "erp.stock.slow.mover.report"
    _description = "Slow Movers"
    _auto = False
    _order = "stock_value desc, id"
    _rec_name = "product_id"

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one(
        "product.template", "Product Template", readonly=True
    )
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    on_hand_qty = fields.Float(
        "On Hand", digits="Product Unit of Measure", readonly=True
    )
    virtual_stock_qty = fields.Float(
        "Virtual Stock", digits="Product Unit of Measure", readonly=True
    )
    demand_rate = fields.Float(
        "Daily Demand", digits="Product Unit of Measure", readonly=True
    )
    days_of_cover = fields.Float(
        "Days of Cover",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Virtual stock divided by the daily demand; empty without demand.",
    )
    cover_limit_days = fields.Integer(
        "Cover Limit (days)",
        aggregator="max",
        readonly=True,
        help="Days of cover above which the company counts a product as a slow "
        "mover (Inventory > Configuration > Settings).",
    )
    has_demand = fields.Boolean(
        readonly=True, help="The product was delivered in the forecast window."
    )
    excess_qty = fields.Float(
        "Excess Quantity",
        digits="Product Unit of Measure",
        readonly=True,
        help="Stock on hand beyond what the demand uses within the cover limit.",
    )
    stock_value = fields.Monetary(
        readonly=True,
        help="Quantity on hand at the product's cost.",
    )
    excess_value = fields.Monetary(
        readonly=True, help="Excess quantity at the product's cost."
    )
    forecast_date = fields.Date(
        readonly=True,
        help="Day of the forecast refresh the days of cover come from.",
    )

    @property
    def _table_query(self):
        cost = SQL("COALESCE((pp.standard_price ->> f.company_id::text)::numeric, 0)")
        return SQL(
            "SELECT f.id, f.product_id, pp.product_tmpl_id, pt.categ_id,"
            " f.warehouse_id, f.company_id, c.currency_id,"
            " q.qty AS on_hand_qty, f.virtual_stock_qty, f.demand_rate,"
            " f.days_of_cover, c.erp_slow_mover_days AS cover_limit_days,"
            " COALESCE(f.demand_rate, 0) > 0 AS has_demand,"
            " %(excess)s AS excess_qty,"
            " q.qty * %(cost)s AS stock_value,"
            " %(excess)s * %(cost)s AS excess_value,"
            " c.erp_forecast_date AS forecast_date"
            " FROM erp_demand_forecast f"
            " JOIN res_company c ON c.id = f.company_id"
            " JOIN product_product pp ON pp.id = f.product_id"
            " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
            " JOIN (SELECT sq.product_id, sl.warehouse_id,"
            "  SUM(sq.quantity) AS qty FROM stock_quant sq"
            "  JOIN stock_location sl ON sl.id = sq.location_id"
            "  WHERE sl.usage = 'internal' AND sl.warehouse_id IS NOT NULL"
            "  GROUP BY sq.product_id, sl.warehouse_id) q"
            " ON q.product_id = f.product_id AND q.warehouse_id = f.warehouse_id"
            " WHERE q.qty > 0 AND c.erp_slow_mover_days > 0"
            # no demand: no cover figure, the slowest of all
            " AND (COALESCE(f.demand_rate, 0) <= 0"
            "  OR f.days_of_cover > c.erp_slow_mover_days)",
            cost=cost,
            excess=SQL("GREATEST(q.qty - f.demand_rate * c.erp_slow_mover_days, 0)"),
        )
