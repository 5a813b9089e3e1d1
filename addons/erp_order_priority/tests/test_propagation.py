# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestPriorityPropagation(ErpPriorityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_rule(
            name="VIP", criterion="customer_tier", customer_tier="vip", points=95
        )
        cls._create_rule(
            name="Gold", criterion="customer_tier", customer_tier="gold", points=40
        )

    def test_critical_order_stars_picking(self):
        """Given a critical (VIP) order, when confirmed, its delivery is starred;
        a normal order's delivery is not."""
        vip = self._create_order(self.partner_vip, [(self.product, 1)])
        std = self._create_order(self.partner_standard, [(self.product, 1)])
        (vip | std).action_confirm()
        self.assertEqual(vip.priority_level, "critical")
        self.assertRecordValues(vip.picking_ids, [{"priority": "1"}])
        self.assertRecordValues(std.picking_ids, [{"priority": "0"}])

    def test_moves_carry_score(self):
        """Given confirmed orders, their moves carry the order's score and
        follow later changes of it."""
        gold = self._create_order(self.partner_gold, [(self.product, 1)])
        gold.action_confirm()
        self.assertEqual(gold.picking_ids.move_ids.erp_priority_score, 40)
        self.partner_gold.customer_tier = "vip"
        self.assertEqual(gold.picking_ids.move_ids.erp_priority_score, 95)

    def test_override_stars_open_picking(self):
        """Given a normal confirmed order, overriding it to urgent stars its
        open delivery."""
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        order.action_confirm()
        order.write({"priority_manual": "urgent", "priority_manual_reason": "Rush"})
        self.assertEqual(order.picking_ids.priority, "1")
        self.assertEqual(order.picking_ids.move_ids.erp_priority_score, 60)

    def test_reservation_serves_higher_score_first(self):
        """Given 3 units and a standard order confirmed before a VIP order
        (both for 3), when both are reserved together, the VIP order gets
        the stock."""
        std = self._create_order(self.partner_standard, [(self.product, 3)])
        vip = self._create_order(self.partner_vip, [(self.product, 3)])
        (std | vip).action_confirm()
        self._set_stock(self.product, 3)
        moves = std.picking_ids.move_ids | vip.picking_ids.move_ids
        moves._action_assign()
        self.assertEqual(vip.picking_ids.move_ids.quantity, 3)
        self.assertEqual(std.picking_ids.move_ids.quantity, 0)

    def test_reservation_keeps_odoo_order_among_equal_scores(self):
        """Given two standard orders (same score) and stock for one, when
        their moves are reserved in the order Odoo's caller chose (here the
        later order first, as for an earlier deadline), the first move given
        gets the stock: the score does not reorder moves it does not
        decide."""
        first = self._create_order(self.partner_standard, [(self.product, 3)])
        second = self._create_order(self.partner_standard, [(self.product, 3)])
        (first | second).action_confirm()
        self._set_stock(self.product, 3)
        moves = second.picking_ids.move_ids | first.picking_ids.move_ids
        moves._action_assign()
        self.assertEqual(second.picking_ids.move_ids.quantity, 3)
        self.assertEqual(first.picking_ids.move_ids.quantity, 0)
