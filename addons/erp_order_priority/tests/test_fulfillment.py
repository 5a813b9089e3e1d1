# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestFulfillment(ErpPriorityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_stock(cls.product, 100)

    def _confirmed_order(self, qty=10, **vals):
        order = self._create_order(self.partner_standard, [(self.product, qty)], **vals)
        order.action_confirm()
        return order

    def test_quotation_has_no_state(self):
        """Given a quotation, it has no fulfillment state."""
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        self.assertFalse(order.fulfillment_state)

    def test_confirmed_is_pending(self):
        """Given a confirmed order with nothing prepared, it is pending with
        its date recorded."""
        order = self._confirmed_order()
        self.assertEqual(order.fulfillment_state, "pending")
        self.assertTrue(order.fulfillment_date_pending)
        self.assertFalse(order.fulfillment_date_processing)

    def test_picked_is_processing(self):
        """Given a confirmed order, when its delivery is picked, it is processing."""
        order = self._confirmed_order()
        order.picking_ids.move_ids.picked = True
        self.assertEqual(order.fulfillment_state, "processing")
        self.assertTrue(order.fulfillment_date_processing)

    def test_partial_delivery_with_backorder_is_processing(self):
        """Given a partial delivery with a backorder, the order is processing;
        when the backorder is delivered, it is completed."""
        order = self._confirmed_order()
        self._deliver(order.picking_ids, {self.product: 4})
        self.assertEqual(order.fulfillment_state, "processing")
        backorder = order.picking_ids.filtered(lambda p: p.state != "done")
        self.assertEqual(len(backorder), 1)
        self._deliver(backorder)
        self.assertEqual(order.fulfillment_state, "completed")
        self.assertTrue(order.fulfillment_date_completed)

    def test_partial_delivery_without_backorder_is_completed(self):
        """Given a partial delivery whose rest is cancelled, the order is
        completed: nothing more will ship."""
        order = self._confirmed_order()
        self._deliver(order.picking_ids, {self.product: 4}, backorder=False)
        self.assertEqual(order.fulfillment_state, "completed")

    def test_customer_confirm_closes(self):
        """Given a completed order, when the customer confirms, it is closed,
        dated and logged."""
        order = self._confirmed_order()
        self._deliver(order.picking_ids)
        order.action_customer_confirm()
        self.assertEqual(order.fulfillment_state, "closed")
        self.assertTrue(order.fulfillment_date_closed)
        self.assertTrue(order.fulfillment_date_completed)
        self.assertIn("confirmed receipt", order.message_ids[0].body)

    def test_customer_confirm_refused_when_not_completed(self):
        """Given a pending order, confirming receipt raises and changes nothing."""
        order = self._confirmed_order()
        with self.assertRaisesRegex(UserError, "completed"):
            order.action_customer_confirm()
        self.assertEqual(order.fulfillment_state, "pending")
        self.assertFalse(order.fulfillment_closed)

    def test_customer_confirm_twice_is_harmless(self):
        """Given a closed order, confirming again keeps it closed."""
        order = self._confirmed_order()
        self._deliver(order.picking_ids)
        order.action_customer_confirm()
        closed_at = order.fulfillment_date_closed
        order.action_customer_confirm()
        self.assertEqual(order.fulfillment_state, "closed")
        self.assertEqual(order.fulfillment_date_closed, closed_at)

    def test_return_keeps_completed(self):
        """Given a completed order, a customer return (incoming) does not reopen
        the order's fulfillment."""
        order = self._confirmed_order()
        picking = order.picking_ids
        self._deliver(picking)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 2
        result = wizard.action_create_returns()
        return_picking = self.env["stock.picking"].browse(result["res_id"])
        self._deliver(return_picking)
        self.assertEqual(order.fulfillment_state, "completed")

    def test_cancel_clears_state(self):
        """Given a pending order, when cancelled, it has no fulfillment state
        and no dates."""
        order = self._confirmed_order()
        order._action_cancel()
        self.assertFalse(order.fulfillment_state)
        self.assertFalse(order.fulfillment_date_pending)

    def test_service_only_order_is_completed(self):
        """Given an order of services only, when confirmed, nothing is to
        deliver: it is completed."""
        order = self._create_order(self.partner_standard, [(self.service, 1)])
        order.action_confirm()
        self.assertEqual(order.fulfillment_state, "completed")

    def test_late_flag_and_search(self):
        """Given a pending order past its delivery date, it is flagged late and
        found by the Late filter; once completed it is not."""
        order = self._confirmed_order(commitment_date=self._now() - timedelta(days=1))
        on_time = self._confirmed_order(commitment_date=self._now() + timedelta(days=5))
        self.assertTrue(order.fulfillment_late)
        self.assertFalse(on_time.fulfillment_late)
        late = self.env["sale.order"].search([("fulfillment_late", "=", True)])
        self.assertIn(order, late)
        self.assertNotIn(on_time, late)
        undated = self._confirmed_order()
        self.assertFalse(undated.commitment_date)
        not_late = self.env["sale.order"].search([("fulfillment_late", "=", False)])
        self.assertIn(on_time, not_late)
        # open without a delivery date: not late, and found as such
        self.assertIn(undated, not_late)
        self.assertNotIn(order, not_late)
        self.assertEqual(
            self.env["sale.order"].search([("fulfillment_late", "!=", True)]),
            not_late,
        )
        self._deliver(order.picking_ids)
        self.assertFalse(order.fulfillment_late)

    def test_auto_close_cron(self):
        """Given auto-close after 7 days, an order completed 8 days ago is
        closed by the cron and one completed 2 days ago is not."""
        old = self._confirmed_order()
        recent = self._confirmed_order()
        with freeze_time(fields.Datetime.now() - timedelta(days=8)):
            self._deliver(old.picking_ids)
            self.env.flush_all()
        with freeze_time(fields.Datetime.now() - timedelta(days=2)):
            self._deliver(recent.picking_ids)
            self.env.flush_all()
        self.env["sale.order"]._cron_auto_close()
        self.assertEqual(old.fulfillment_state, "closed")
        self.assertEqual(recent.fulfillment_state, "completed")

    def test_auto_close_disabled(self):
        """Given auto-close days 0, the cron closes nothing."""
        self.company.erp_auto_close_days = 0
        order = self._confirmed_order()
        with freeze_time(fields.Datetime.now() - timedelta(days=80)):
            self._deliver(order.picking_ids)
            self.env.flush_all()
        self.env["sale.order"]._cron_auto_close()
        self.assertEqual(order.fulfillment_state, "completed")
