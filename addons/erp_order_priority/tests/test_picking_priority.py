# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestPickingPriority(ErpPriorityCommon):
    """A delivery shows the priority level of its order (issue 21 item 12)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_rule(
            name="Gold", criterion="customer_tier", customer_tier="gold", points=40
        )

    def test_delivery_shows_order_level(self):
        """Given a high (gold) order, when confirmed, its delivery carries the
        level High and follows a change of the order's level."""
        order = self._create_order(self.partner_gold, [(self.product, 1)])
        order.action_confirm()
        self.assertEqual(order.priority_level, "high")
        self.assertRecordValues(order.picking_ids, [{"erp_priority_level": "high"}])
        order.write({"priority_manual": "urgent", "priority_manual_reason": "Test"})
        self.assertEqual(order.picking_ids.erp_priority_level, "urgent")

    def test_delivery_views_show_level_badge(self):
        """Given the delivery list and form, the order's level is a badge."""
        Picking = self.env["stock.picking"]
        for view_type, view_id in (
            ("list", self.env.ref("stock.vpicktree").id),
            ("form", self.env.ref("stock.view_picking_form").id),
        ):
            arch = Picking.get_view(view_id, view_type)["arch"]
            nodes = etree.fromstring(arch).xpath("//field[@name='erp_priority_level']")
            self.assertEqual(nodes[0].get("widget"), "badge", view_type)
