# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .erp_virtual_stock_ledger import OPERATION_KEY


class ErpVirtualStockLedger(models.Model):
    _inherit = "erp.virtual.stock.ledger"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_stock_thresholds()
        return records

    def _check_stock_thresholds(self):
        """Immediate trigger: compare the touched (product, warehouse) pairs
        with their threshold rules, in the same transaction, in one batch."""
        if not self or self.env.context.get("erp_stock_alert_skip_trigger"):
            return
        warehouses = self.warehouse_id
        if not warehouses:
            return
        # The ledger rows are written when the virtual stock operation ends;
        # detach it so that the transfers created by a replenishment are
        # recorded by an operation of their own instead of being lost in the
        # finished one.
        cache = self.env.cr.cache
        operation = cache.pop(OPERATION_KEY, None)
        try:
            # sudo: whoever moves virtual stock (a salesman confirming an
            # order) must raise the alerts, which only stock users may read.
            self.env["erp.stock.alert"].sudo()._evaluate_thresholds(
                warehouses, self.product_id.ids
            )
        finally:
            if operation is not None:
                cache[OPERATION_KEY] = operation
