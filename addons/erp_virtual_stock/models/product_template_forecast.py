# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


# the forecast fields live apart from the virtual stock core (other team)
class ProductTemplate(models.Model):
    _inherit = "product.template"  # pylint: disable=consider-merging-classes-inherited

    demand_rate = fields.Float(
        "Daily Demand",
        compute="_compute_demand_forecast",
        digits="Product Unit of Measure",
        help="Average daily demand of the latest forecast, over the variants.",
    )
    days_of_cover = fields.Float(
        compute="_compute_demand_forecast",
        digits=(16, 1),
        help="Virtual stock divided by the daily demand.",
    )
    stockout_date = fields.Date(
        "Projected Stock-out",
        compute="_compute_demand_forecast",
        help="Earliest projected stock-out date over the variants and warehouses.",
    )

    @api.depends_context("warehouse_id", "allowed_company_ids")
    def _compute_demand_forecast(self):
        variants = self.product_variant_ids
        variants.fetch(["demand_rate", "days_of_cover", "stockout_date"])
        for template in self:
            products = template.product_variant_ids
            rate = sum(products.mapped("demand_rate"))
            template.demand_rate = rate
            template.days_of_cover = (
                sum(p.days_of_cover * p.demand_rate for p in products) / rate
                if rate > 0
                else 0.0
            )
            dates = [d for d in products.mapped("stockout_date") if d]
            template.stockout_date = min(dates) if dates else False

    def action_open_demand_forecast(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_virtual_stock.erp_demand_forecast_action"
        )
        action["domain"] = [("product_id", "in", self.product_variant_ids.ids)]
        return action
