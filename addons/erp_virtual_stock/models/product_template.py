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
    # a compute of its own: the product lists show this column alone, and
    # every figure a compute assigns costs its conversion per row
    virtual_stock_qty = fields.Float(
        "Virtual Stock",
        compute="_compute_virtual_stock_qty",
        search="_search_virtual_stock_qty",
        digits="Product Unit of Measure",
        help="Sum of the virtual stock of the variants.",
    )

    @api.depends("product_variant_ids")
    @api.depends_context(*VIRTUAL_STOCK_CONTEXT_KEYS)
    def _compute_erp_virtual_stock(self):
        sums = self._erp_variant_sums(("manual", "committed"))
        for template in self:
            template.virtual_manual_qty = sums[template]["manual"]
            template.committed_qty = sums[template]["committed"]

    @api.depends("product_variant_ids")
    @api.depends_context(*VIRTUAL_STOCK_CONTEXT_KEYS)
    def _compute_virtual_stock_qty(self):
        sums = self._erp_variant_sums(("total",))
        for template in self:
            template.virtual_stock_qty = sums[template]["total"]

    def _erp_variant_sums(self, figures):
        """{template: {figure: sum over its variants}} of ``figures`` among
        "manual", "committed" (components) and "total" (the virtual stock),
        each variant's figure rounded to the unit as its own field is.

        Straight from the engine's figures of the variants, in one batch
        (not through the variants' fields: a list of templates would set
        and read four fields per variant first)."""
        Product = self.env["product.product"]
        variants = self.product_variant_ids._origin
        values = variants._erp_virtual_stock_values() if variants else {}
        sums = {}
        for template in self:
            sums[template] = dict.fromkeys(figures, 0.0)
            # the variants' unit is their template's (read with the template
            # by the list or form that shows the figures: no query of its own)
            rounding = template.uom_id.rounding or 0.01
            for variant in template.product_variant_ids._origin:
                vals = values.get(variant.id)
                if not vals:
                    continue
                for figure in figures:
                    sums[template][figure] += float_round(
                        Product._erp_virtual_stock_figure(vals, figure),
                        precision_rounding=rounding,
                    )
        return sums

    def _search_virtual_stock_qty(self, operator, value):
        domain = self.env["product.product"]._search_virtual_stock_qty(operator, value)
        return [("product_variant_ids", "any", domain)]

    def action_open_virtual_stock_breakdown(self):
        return self.env["erp.virtual.stock.report"].action_open_for_products(
            self.product_variant_ids
        )
