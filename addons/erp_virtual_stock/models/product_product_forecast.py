# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


# the forecast fields live apart from the virtual stock core (other team)
class ProductProduct(models.Model):
    _inherit = "product.product"  # pylint: disable=consider-merging-classes-inherited

    demand_forecast_ids = fields.One2many(
        "erp.demand.forecast",
        "product_id",
        string="Demand Forecasts",
    )
    demand_rate = fields.Float(
        "Daily Demand",
        compute="_compute_demand_forecast",
        digits="Product Unit of Measure",
        help="Average daily demand of the latest forecast, summed over the "
        "warehouses (or the warehouse of the context).",
    )
    days_of_cover = fields.Float(
        compute="_compute_demand_forecast",
        digits=(16, 1),
        help="Virtual stock divided by the daily demand.",
    )
    stockout_date = fields.Date(
        "Projected Stock-out",
        compute="_compute_demand_forecast",
        help="Earliest projected stock-out date over the warehouses.",
    )
    forecast_qty_30 = fields.Float(
        "Forecast 30 Days",
        compute="_compute_demand_forecast",
        digits="Product Unit of Measure",
        help="Expected demand over the next 30 days.",
    )

    @api.depends_context("warehouse_id", "allowed_company_ids")
    def _compute_demand_forecast(self):
        domain = [("product_id", "in", self.ids)]
        warehouse = self.env.context.get("warehouse_id")
        if isinstance(warehouse, int):
            domain.append(("warehouse_id", "=", warehouse))
        groups = {
            product: (rate, virtual, stockout, qty_30)
            for product, rate, virtual, stockout, qty_30 in self.env[
                "erp.demand.forecast"
            ]._read_group(
                domain,
                groupby=["product_id"],
                aggregates=[
                    "demand_rate:sum",
                    "virtual_stock_qty:sum",
                    "stockout_date:min",
                    "forecast_qty_30:sum",
                ],
            )
        }
        for product in self:
            rate, virtual, stockout, qty_30 = groups.get(
                product._origin, (0.0, 0.0, False, 0.0)
            )
            product.demand_rate = rate
            product.days_of_cover = virtual / rate if rate > 0 else 0.0
            product.stockout_date = stockout
            product.forecast_qty_30 = qty_30

    def action_open_demand_forecast(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_virtual_stock.erp_demand_forecast_action"
        )
        action["domain"] = [("product_id", "=", self.id)]
        return action
