# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ErpVirtualStockLedger(models.Model):
    _inherit = "erp.virtual.stock.ledger"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_stock_thresholds()
        return records

    def _check_stock_thresholds(self):
        """Immediate trigger: compare the touched (product, warehouse) pairs
        with their threshold rules, in the same transaction, in one batch.

        Only the alerts are raised or resolved here (the warning users rely
        on at once); their replenishment is left to the replenishment job
        (``erp.stock.alert._cron_replenish_pending``), outside of the
        transaction that moved the stock."""
        if not self or self.env.context.get("erp_stock_alert_skip_trigger"):
            return
        warehouses = self.warehouse_id
        if not warehouses:
            return
        # sudo: whoever moves virtual stock (a salesman confirming an
        # order) must raise the alerts, which only stock users may read.
        self.env["erp.stock.alert"].sudo()._evaluate_thresholds(
            warehouses, self.product_id.ids
        )
