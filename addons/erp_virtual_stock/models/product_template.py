# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_round

from .product_product import VIRTUAL_STOCK_CONTEXT_KEYS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    virtual_manual_qty = fields.Float(
        "Manual Virtual Stock",
        compute="_compute_erp_virtual_stock",
        digits="Product Unit of Measure",
    )
    committed_qty = fields.Float(
        "Committed",
        compute="_compute_erp_virtual_stock",
        digits="Product Unit of Measure",
    )
    virtual_stock_qty = fields.Float(
        "Virtual Stock",
        compute="_compute_erp_virtual_stock",
        search="_search_virtual_stock_qty",
        digits="Product Unit of Measure",
        help="Sum of the virtual stock of the variants.",
    )

    @api.depends("product_variant_ids")
    @api.depends_context(*VIRTUAL_STOCK_CONTEXT_KEYS)
    def _compute_erp_virtual_stock(self):
        # straight from the engine's figures of the variants, in one batch
        # (not through the variants' fields: a list of templates would set
        # and read four fields per variant first)
        Product = self.env["product.product"]
        variants = self.product_variant_ids._origin
        values = variants._erp_virtual_stock_values() if variants else {}
        for template in self:
            manual = committed = total = 0.0
            # the variants' unit is their template's (read with the template
            # by the list or form that shows the figures: no query of its own)
            rounding = template.uom_id.rounding or 0.01
            for variant in template.product_variant_ids._origin:
                vals = values.get(variant.id)
                if not vals:
                    continue
                manual += float_round(
                    vals.get("manual", 0.0), precision_rounding=rounding
                )
                committed += float_round(
                    vals.get("committed", 0.0), precision_rounding=rounding
                )
                total += float_round(
                    Product._erp_virtual_stock_total(vals),
                    precision_rounding=rounding,
                )
            template.virtual_manual_qty = manual
            template.committed_qty = committed
            template.virtual_stock_qty = total

    def _search_virtual_stock_qty(self, operator, value):
        domain = self.env["product.product"]._search_virtual_stock_qty(operator, value)
        return [("product_variant_ids", "any", domain)]

    def action_open_virtual_stock_breakdown(self):
        return self.env["erp.virtual.stock.report"].action_open_for_products(
            self.product_variant_ids
        )
