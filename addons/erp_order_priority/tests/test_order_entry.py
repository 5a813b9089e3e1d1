# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestOrderEntry(ErpPriorityCommon):
    def _customer_messages(self, order):
        return self.env["mail.message"].search(
            [
                ("model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
                ("partner_ids", "in", order.partner_id.ids),
            ]
        )

    def test_required_fields_block_confirmation(self):
        """Given required delivery date and customer reference, an order
        without them cannot be confirmed and stays a quotation."""
        self.company.write(
            {"erp_require_commitment_date": True, "erp_require_client_order_ref": True}
        )
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        with self.assertRaisesRegex(UserError, "Delivery Date"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        order.write(
            {
                "commitment_date": self._now() + timedelta(days=3),
                "client_order_ref": "PO-1",
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_duplicate_warning(self):
        """Given a 24 h window, a second quotation of the same customer with
        the same products lists the first as probable duplicate; another
        product does not."""
        self.company.erp_duplicate_window_hours = 24
        first = self._create_order(self.partner_gold, [(self.product, 1)])
        second = self._create_order(self.partner_gold, [(self.product, 2)])
        other = self._create_order(self.partner_gold, [(self.critical_product, 1)])
        self.assertEqual(second.erp_duplicate_order_ids, first)
        self.assertFalse(other.erp_duplicate_order_ids)

    def test_duplicate_warning_off(self):
        """Given the window at 0, no duplicate is reported."""
        self._create_order(self.partner_gold, [(self.product, 1)])
        second = self._create_order(self.partner_gold, [(self.product, 1)])
        self.assertFalse(second.erp_duplicate_order_ids)

    def test_auto_confirmation_email_on(self):
        """Given the email setting on, confirming posts the confirmation email."""
        self.company.erp_auto_confirmation_email = True
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        self.partner_standard.email = "customer@example.com"
        order.action_confirm()
        self.assertTrue(self._customer_messages(order))

    def test_auto_confirmation_email_off(self):
        """Given the email setting off, confirming sends no email."""
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        self.partner_standard.email = "customer@example.com"
        order.action_confirm()
        self.assertFalse(self._customer_messages(order))

    @mute_logger("odoo.addons.erp_order_priority.models.sale_order")
    def test_auto_confirmation_email_failure_keeps_confirmation(self):
        """Given the email setting on and a failing email (no PDF engine),
        confirming still confirms the order and notes the failure."""
        self.company.erp_auto_confirmation_email = True
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        with patch.object(
            type(order),
            "_send_order_confirmation_mail",
            side_effect=UserError("no PDF engine"),
        ):
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        notes = self.env["mail.message"].search(
            [
                ("model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("body", "ilike", "could not be sent"),
            ]
        )
        self.assertEqual(len(notes), 1)
