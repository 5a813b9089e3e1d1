# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ProductProduct(models.Model):
    """What a sub-module does to add a component to the virtual stock (say,
    what manufacturing could produce): override one method with super(),
    no SQL copied. Here the quantity is a plain field per product, counted
    in every warehouse."""

    _inherit = "product.product"

    erp_test_producible_qty = fields.Float("Producible (test)")

    @api.model
    def _erp_virtual_stock_components(self, warehouses, products=None):
        result = super()._erp_virtual_stock_components(warehouses, products)
        domain = [("erp_test_producible_qty", "!=", 0), ("is_storable", "=", True)]
        if products is not None:
            domain.append(("id", "in", products.ids))
        for product in self.search(domain):
            for warehouse in warehouses:
                values = result.setdefault(
                    (product.id, warehouse.id),
                    {"on_hand": 0.0, "committed": 0.0, "incoming": 0.0, "manual": 0.0},
                )
                values["producible"] = product.erp_test_producible_qty
        return result
