# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestGroupOrder(ErpPriorityCommon):
    """Screens group orders in workflow order, not by technical value."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_stock(cls.product, 100)

    def _confirmed(self, partner=None, **vals):
        order = self._create_order(
            partner or self.partner_standard, [(self.product, 1)], **vals
        )
        order.action_confirm()
        return order

    def _groups(self, model, domain, groupby, lazy=True):
        return [
            (group[groupby], group[f"{groupby}_count"] if lazy else group["__count"])
            for group in self.env[model].read_group(
                domain, [groupby], [groupby], lazy=lazy
            )
        ]

    def test_fulfillment_kanban_columns_in_workflow_order(self):
        """Given one pending order, when the fulfillment kanban groups by state,
        then the columns are Pending, Processing, Completed, Closed, empty ones
        included."""
        order = self._confirmed()
        result = self.env["sale.order"].web_read_group(
            [("id", "=", order.id)], ["fulfillment_state"], ["fulfillment_state"]
        )
        self.assertEqual(
            [
                (group["fulfillment_state"], group["fulfillment_state_count"])
                for group in result["groups"]
            ],
            [("pending", 1), ("processing", 0), ("completed", 0), ("closed", 0)],
        )

    def test_priority_groups_in_level_order(self):
        """Given a critical order, when orders are grouped by priority level,
        then the groups read Normal, High, Urgent, Critical."""
        order = self._confirmed(priority_manual="critical", priority_manual_reason="x")
        self.assertEqual(
            self._groups("sale.order", [("id", "=", order.id)], "priority_level"),
            [("normal", 0), ("high", 0), ("urgent", 0), ("critical", 1)],
        )

    def test_order_analysis_pivot_in_workflow_order(self):
        """Given a pending normal order and a completed critical one, when the
        pivot reads all its groupbys at once, then states come Pending before
        Completed and levels Normal before Critical."""
        pending = self._confirmed()
        completed = self._confirmed(
            priority_manual="critical", priority_manual_reason="x"
        )
        self._deliver(completed.picking_ids)
        self.assertEqual(completed.fulfillment_state, "completed")
        domain = [("order_id", "in", (pending | completed).ids)]
        self.assertEqual(
            self._groups("erp.order.report", domain, "fulfillment_state", lazy=False),
            [("pending", 1), ("completed", 1)],
        )
        rows = self.env["erp.order.report"].read_group(
            domain,
            ["order_count:sum"],
            ["priority_level", "fulfillment_state"],
            lazy=False,
        )
        self.assertEqual(
            [(row["priority_level"], row["fulfillment_state"]) for row in rows],
            [("normal", "pending"), ("critical", "completed")],
        )

    def test_priority_queue_sorted_by_score_without_finished_orders(self):
        """Given orders of 10, 40 and 25 points and a completed one of 60, when
        the priority queue opens, then its default filter leaves the completed
        order out (and can be removed) and its list shows the highest score
        first."""
        self._create_rule(
            name="Gold", criterion="customer_tier", customer_tier="gold", points=25
        )
        self._create_rule(
            name="VIP", criterion="customer_tier", customer_tier="vip", points=40
        )
        self._create_rule(
            name="Standard",
            criterion="customer_tier",
            customer_tier="standard",
            points=10,
        )
        standard = self._create_order(self.partner_standard, [(self.product, 1)])
        vip = self._confirmed(self.partner_vip)
        gold = self._confirmed(self.partner_gold)
        done = self._confirmed(self.partner_vip)
        self._deliver(done.picking_ids)
        self.assertEqual(done.fulfillment_state, "completed")
        orders = standard | vip | gold | done

        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_order_priority.sale_order_priority_action"
        )
        context = safe_eval(action["context"])
        views = self.env["sale.order"].get_views(
            [*action["views"], (action.get("search_view_id"), "search")]
        )["views"]
        search_arch = etree.fromstring(views["search"]["arch"])
        default_filters = [
            node
            for node in search_arch.iter("filter")
            if context.get(f"search_default_{node.get('name')}") and node.get("domain")
        ]
        self.assertTrue(default_filters, "the queue has a default filter")
        domain = [("id", "in", orders.ids), *safe_eval(action["domain"])]
        for node in default_filters:
            domain += safe_eval(node.get("domain"))
        order_by = etree.fromstring(views["list"]["arch"]).get("default_order")
        self.assertEqual(
            self.env["sale.order"].search(domain, order=order_by),
            vip | gold | standard,
        )
        # the user removes the filter: the completed order is back
        self.assertIn(
            done,
            self.env["sale.order"].search(
                [("id", "in", orders.ids), *safe_eval(action["domain"])]
            ),
        )
