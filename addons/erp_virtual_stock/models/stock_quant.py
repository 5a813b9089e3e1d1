# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _update_available_quantity(
        self,
        product_id,
        location_id,
        quantity=False,
        reserved_quantity=False,
        *args,
        **kwargs,
    ):
        warehouse = location_id.warehouse_id
        if not quantity or not warehouse or not product_id.is_storable:
            return super()._update_available_quantity(
                product_id, location_id, quantity, reserved_quantity, *args, **kwargs
            )
        ledger = self.env["erp.virtual.stock.ledger"]
        with ledger._erp_operation(
            "transfer", source=location_id, pairs={(product_id.id, warehouse.id)}
        ) as operation:
            return super(StockQuant, operation.bind(self))._update_available_quantity(
                product_id, location_id, quantity, reserved_quantity, *args, **kwargs
            )
