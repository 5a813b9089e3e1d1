# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# context key of the ledger rows whose trigger runs once they are written
# (_erp_create_rows), with the quantities the operation read
TRIGGER_LATER_KEY = "erp_stock_alert_trigger_later"


class ErpVirtualStockLedger(models.Model):
    _inherit = "erp.virtual.stock.ledger"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if not self.env.context.get(TRIGGER_LATER_KEY):
            records._check_stock_thresholds()
        return records

    @api.model
    def _erp_create_rows(self, vals_list, components):
        # the trigger compares the components the operation has just read
        # (the rows' balances) with the rules instead of reading them again
        records = super(
            ErpVirtualStockLedger, self.with_context(**{TRIGGER_LATER_KEY: True})
        )._erp_create_rows(vals_list, components)
        records.with_env(self.sudo().env)._check_stock_thresholds(components)
        return records

    def _check_stock_thresholds(self, components=None):
        """Immediate trigger: compare the touched (product, warehouse) pairs
        with their threshold rules, in the same transaction, in one batch.

        Only the alerts are raised or resolved here (the warning users rely
        on at once); their replenishment is left to the replenishment job
        (``erp.stock.alert._cron_replenish_pending``), outside of the
        transaction that moved the stock. ``components``: the engine's
        components of the rows' products x warehouses (``_erp_create_rows``),
        not read again."""
        if not self or self.env.context.get("erp_stock_alert_skip_trigger"):
            return
        warehouses = self.warehouse_id
        if not warehouses:
            return
        # sudo: whoever moves virtual stock (a salesman confirming an
        # order) must raise the alerts, which only stock users may read.
        self.env["erp.stock.alert"].sudo()._evaluate_thresholds(
            warehouses, self.product_id.ids, components=components
        )
