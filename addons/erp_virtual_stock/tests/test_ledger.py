# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import VirtualStockCommon

LEDGER_LOGGER = "odoo.addons.erp_virtual_stock.models.erp_virtual_stock_ledger"


@tagged("post_install", "-at_install")
class TestLedger(VirtualStockCommon):
    def test_confirmation_writes_row(self):
        """Given 10 on hand, confirming an order of 3 writes an
        order_confirmed row of -3 with balance 7 and the order as source."""
        self._set_on_hand(self.product, 10)
        order = self._create_order([(self.product, 3)])
        order.action_confirm()
        row = self._ledger_rows(self.product)[-1]
        self.assertRecordValues(
            row,
            [
                {
                    "event": "order_confirmed",
                    "delta": -3,
                    "balance": 7,
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "user_id": self.env.user.id,
                }
            ],
        )
        self.assertEqual(row.source_ref, order)

    def test_stock_update_writes_transfer_row(self):
        """Given no stock, adding 10 on hand writes a +10 row."""
        self._set_on_hand(self.product, 10)
        self.assertRecordValues(
            self._ledger_rows(self.product),
            [{"event": "transfer", "delta": 10, "balance": 10}],
        )

    def test_inventory_adjustment_writes_row(self):
        """Given no stock, applying an inventory count of 5 writes a +5 row."""
        quant = self.env["stock.quant"].create(
            {
                "product_id": self.product.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "inventory_quantity": 5,
            }
        )
        quant.action_apply_inventory()
        self.assertRecordValues(
            self._ledger_rows(self.product),
            [{"event": "transfer", "delta": 5, "balance": 5}],
        )

    def test_change_and_cancel_write_rows(self):
        """Given a confirmed order of 3, raising it to 5 then cancelling it
        writes order_changed -2 and order_cancelled +5."""
        self._set_on_hand(self.product, 10)
        order = self._create_order([(self.product, 3)])
        order.action_confirm()
        order.order_line.product_uom_qty = 5
        order._action_cancel()
        rows = self._ledger_rows(self.product)
        self.assertRecordValues(
            rows[-2:],
            [
                {"event": "order_changed", "delta": -2, "balance": 5},
                {"event": "order_cancelled", "delta": 5, "balance": 10},
            ],
        )

    def test_receipt_outside_horizon_writes_received_row(self):
        """Given a horizon of 0, receiving 4 units writes a received +4 row."""
        self.warehouse.virtual_incoming_days = 0
        move = self._create_incoming(self.product, 4)
        self.assertFalse(self._ledger_rows(self.product))
        move.quantity = 4
        move.picked = True
        move._action_done()
        rows = self._ledger_rows(self.product)
        self.assertEqual(rows[-1].delta, 4)
        self.assertEqual(rows[-1].balance, 4)

    def test_manual_entry_rows(self):
        """Given a +5 entry, activating then cancelling it writes manual +5
        and -5 rows with the entry as source."""
        entry = self._create_entry(self.product, 5)
        entry.action_cancel()
        self.assertRecordValues(
            self._ledger_rows(self.product),
            [
                {"event": "manual", "delta": 5, "balance": 5, "res_id": entry.id},
                {"event": "manual", "delta": -5, "balance": 0, "res_id": entry.id},
            ],
        )

    def test_balances_follow_deltas(self):
        """Given a sequence of changes, each balance is the previous balance
        plus the delta, and the last equals the virtual stock."""
        self._set_on_hand(self.product, 10)
        order = self._create_order([(self.product, 4)])
        order.action_confirm()
        self._create_entry(self.product, 2)
        order.order_line.product_uom_qty = 1
        rows = self._ledger_rows(self.product)
        balance = 0
        for row in rows:
            balance += row.delta
            self.assertAlmostEqual(row.balance, balance)
        self.assertEqual(rows[-1].balance, self._virtual(self.product))

    def test_ledger_is_append_only(self):
        """Given a ledger row, a user cannot edit or delete it."""
        self._set_on_hand(self.product, 1)
        row = self._ledger_rows(self.product)
        user_env = self.env(user=self.env.ref("base.user_admin"))
        with self.assertRaises(UserError):
            row.with_env(user_env).write({"delta": 5})
        with self.assertRaises(UserError):
            row.with_env(user_env).unlink()
        self.assertEqual(row.delta, 1)

    def test_reconcile_finds_drift(self):
        """Given a ledger in line with the stock, when the quant is changed
        behind Odoo's back, the reconciliation writes one reconcile row."""
        self._set_on_hand(self.product, 10)
        with mute_logger(LEDGER_LOGGER):
            self.ledger._cron_reconcile()  # opening rows of other pairs
            self.assertFalse(
                self.ledger._cron_reconcile(), "no drift after a reconciliation"
            )
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.warehouse.lot_stock_id.id),
            ]
        )
        self.env.execute_query(
            SQL("UPDATE stock_quant SET quantity = 7 WHERE id = %s", quant.id)
        )
        self.env.invalidate_all()
        with mute_logger(LEDGER_LOGGER):
            drift = self.ledger._cron_reconcile()
        self.assertEqual(
            drift,
            [
                {
                    "product_id": self.product.id,
                    "warehouse_id": self.warehouse.id,
                    "delta": -3,
                    "balance": 7,
                    "event": "reconcile",
                }
            ],
        )
        self.assertEqual(self._ledger_rows(self.product)[-1].event, "reconcile")
