# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import VirtualStockCommon


@tagged("post_install", "-at_install")
class TestEntries(VirtualStockCommon):
    def test_sequence_and_code(self):
        """Given a new entry, it gets a sequence name and the product code."""
        entry = self._create_entry(self.product, 5, activate=False)
        self.assertTrue(entry.name.startswith("VS/"))
        self.assertEqual(entry.default_code, "VS-W")
        self.assertEqual(entry.state, "draft")

    @mute_logger("odoo.sql_db")
    def test_zero_quantity_refused(self):
        """Given a zero quantity, the entry is refused."""
        with self.assertRaises(IntegrityError):
            self._create_entry(self.product, 0, activate=False)

    @mute_logger("odoo.sql_db")
    def test_end_before_start_refused(self):
        """Given an end date before the start date, the entry is refused."""
        today = fields.Date.context_today(self.env.user)
        with self.assertRaises(IntegrityError):
            self._create_entry(
                self.product,
                5,
                activate=False,
                date_start=today,
                date_end=today - timedelta(days=1),
            )

    def test_non_storable_refused(self):
        """Given a service, an entry for it is refused."""
        with self.assertRaisesRegex(ValidationError, "storable"):
            self._create_entry(self.service, 5, activate=False)

    def test_other_company_warehouse_refused(self):
        """Given a warehouse of another company, the entry is refused."""
        company_b = self.env["res.company"].create({"name": "VS Entry Company"})
        warehouse_b = self.env["stock.warehouse"].search(
            [("company_id", "=", company_b.id)], limit=1
        )
        with self.assertRaises(UserError):
            self._create_entry(self.product, 5, warehouse=warehouse_b, activate=False)

    def test_cancelled_entry_is_locked(self):
        """Given a cancelled entry, changing its quantity is refused."""
        entry = self._create_entry(self.product, 5)
        entry.action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be modified"):
            entry.quantity = 7
        self.assertEqual(entry.quantity, 5)

    def test_activate_twice_refused(self):
        """Given an active entry, activating it again is refused."""
        entry = self._create_entry(self.product, 5)
        with self.assertRaises(UserError):
            entry.action_activate()

    def test_active_entry_cannot_be_deleted(self):
        """Given an active entry, deleting it is refused."""
        entry = self._create_entry(self.product, 5)
        with self.assertRaises(UserError):
            entry.unlink()

    def test_cron_expires_entries(self):
        """Given an active entry that ended yesterday, the cron expires it and
        the virtual stock drops."""
        # the user's day, the one the activation check and the cron read
        today = fields.Date.context_today(self.env.user)
        yesterday = today - timedelta(days=1)
        entry = self._create_entry(
            self.product,
            5,
            date_start=yesterday - timedelta(days=3),
            date_end=today,
        )
        self.assertEqual(self._virtual(self.product), 5)
        entry.date_end = yesterday
        self.env["erp.virtual.stock"]._cron_expire_entries()
        self.assertEqual(entry.state, "expired")
        self.assertEqual(self._virtual(self.product), 0)
        self.assertEqual(self._ledger_rows(self.product)[-1].delta, -5)


@tagged("post_install", "-at_install")
class TestAccess(VirtualStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vs_user = new_test_user(
            cls.env,
            login="vs_acc_user",
            groups="erp_virtual_stock.erp_virtual_stock_group_user",
        )
        cls.vs_manager = new_test_user(
            cls.env,
            login="vs_acc_manager",
            groups="erp_virtual_stock.erp_virtual_stock_group_manager",
        )
        cls.salesman = new_test_user(
            cls.env, login="vs_acc_sales", groups="sales_team.group_sale_salesman"
        )

    def _entry_vals(self):
        return {
            "product_id": self.product.id,
            "warehouse_id": self.warehouse.id,
            "quantity": 3,
        }

    def test_user_reads_but_cannot_create(self):
        """Given a virtual stock user, entries are readable, not creatable."""
        entry = self._create_entry(self.product, 5)
        self.assertEqual(entry.with_user(self.vs_user).quantity, 5)
        with self.assertRaises(AccessError):
            self.env["erp.virtual.stock"].with_user(self.vs_user).create(
                self._entry_vals()
            )

    def test_manager_creates_and_activates(self):
        """Given a manager, an entry is created and activated."""
        entry = (
            self.env["erp.virtual.stock"]
            .with_user(self.vs_manager)
            .create(self._entry_vals())
        )
        entry.action_activate()
        self.assertEqual(entry.state, "active")
        self.assertEqual(self._ledger_rows(self.product)[-1].user_id, self.vs_manager)

    def test_nobody_creates_ledger_rows(self):
        """Given a manager, creating a ledger row directly is refused."""
        with self.assertRaises(AccessError):
            self.ledger.with_user(self.vs_manager).create(
                {
                    "product_id": self.product.id,
                    "warehouse_id": self.warehouse.id,
                    "delta": 1,
                    "balance": 1,
                    "event": "manual",
                }
            )

    def test_salesman_confirms_and_ledger_is_written(self):
        """Given a salesman, confirming an order writes the ledger."""
        self._set_on_hand(self.product, 5)
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "warehouse_id": self.warehouse.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 2}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        row = self._ledger_rows(self.product)[-1]
        self.assertEqual(row.user_id, self.salesman)
        # the balance is the true virtual stock, whatever the user may read
        self.assertRecordValues(row, [{"delta": -2, "balance": 3}])
        self.assertEqual(order.order_line.availability_state, "available")
