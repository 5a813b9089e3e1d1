# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestDashboardOrders(ErpPriorityCommon):
    def _figure(self, key):
        data = self.env["erp.dashboard"].get_dashboard_data()
        return {figure["key"]: figure for figure in data["figures"]}[key]

    def test_overdue_orders(self):
        """Given three confirmed orders, two past their delivery date of which
        one is delivered, then one more order is overdue, and the figure's list
        holds it."""
        before = self._figure("overdue_orders")["value"]
        self._set_stock(self.product, 10)
        past = self._now() - timedelta(days=2)
        late, delivered, on_time = (
            self._create_order(self.partner_standard, [(self.product, 1)], **vals)
            for vals in (
                {"commitment_date": past},
                {"commitment_date": past},
                {"commitment_date": self._now() + timedelta(days=5)},
            )
        )
        (late | delivered | on_time).action_confirm()
        self._deliver(delivered.picking_ids)
        self.assertEqual(delivered.fulfillment_state, "completed")
        figure = self._figure("overdue_orders")
        self.assertEqual(figure["value"], before + 1)
        overdue = self.env["sale.order"].search(figure["action"]["domain"])
        self.assertIn(late, overdue)
        self.assertFalse((delivered | on_time) & overdue)

    def test_orders_by_date_graph(self):
        """Given the dashboard, its order graph is grouped by date, not by
        warehouse."""
        graphs = self.env["erp.dashboard"].get_dashboard_data()["graphs"]
        graph = {g["key"]: g for g in graphs}["orders_by_date"]
        self.assertEqual(graph["action"]["res_model"], "erp.order.report")
        self.assertEqual(graph["graph_context"]["graph_groupbys"][0], "date_order:week")
        self.assertEqual(graph["action"]["views"][0][1], "graph")
