# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    """On-hand alerts at once: a validated delivery, receipt, inventory
    adjustment or scrap changes the stock on hand without always writing a
    ledger row (the virtual stock may not move), so the rules on the
    ``on_hand`` basis of the products touched are evaluated here, in one
    batch, through the evaluation entry point the order confirmation uses.
    The replenishment still goes through the job."""

    _inherit = "stock.move"  # pylint: disable=consider-merging-classes-inherited

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._erp_check_on_hand_thresholds()
        return moves

    def _erp_check_on_hand_thresholds(self):
        if self.env.context.get("erp_stock_alert_skip_trigger"):
            return
        done = self.filtered(lambda m: m.state == "done")
        pairs = done._erp_virtual_stock_pairs()
        if not pairs:
            return
        warehouses = self.env["stock.warehouse"].browse({wh for _p, wh in pairs})
        # sudo: whoever validates a transfer (a stock user without the alert
        # groups) must raise the alerts, as the ledger trigger does
        Threshold = self.env["erp.stock.threshold"].sudo()
        on_hand = Threshold.search(
            [("warehouse_id", "in", warehouses.ids), ("basis", "=", "on_hand")]
        )
        if not on_hand:
            return
        self.env["erp.stock.alert"].sudo()._evaluate_thresholds(
            on_hand.warehouse_id, list({pid for pid, _wh in pairs})
        )
