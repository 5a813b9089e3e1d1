# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


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
    @api.depends_context(
        "lot_id",
        "owner_id",
        "package_id",
        "from_date",
        "to_date",
        "location",
        "warehouse_id",
        "allowed_company_ids",
    )
    def _compute_erp_virtual_stock(self):
        variants = self.product_variant_ids._origin
        # prefetch the variants' figures in one batch
        variants.mapped("virtual_stock_qty")
        for template in self:
            tmpl_variants = template.product_variant_ids._origin
            template.virtual_manual_qty = sum(
                tmpl_variants.mapped("virtual_manual_qty")
            )
            template.committed_qty = sum(tmpl_variants.mapped("committed_qty"))
            template.virtual_stock_qty = sum(tmpl_variants.mapped("virtual_stock_qty"))

    def _search_virtual_stock_qty(self, operator, value):
        domain = self.env["product.product"]._search_virtual_stock_qty(operator, value)
        return [("product_variant_ids", "any", domain)]

    def action_open_virtual_stock_breakdown(self):
        return self.env["erp.virtual.stock.report"].action_open_for_products(
            self.product_variant_ids
        )
