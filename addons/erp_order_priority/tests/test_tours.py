# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged

from odoo.addons.erp_virtual_stock.tests.common_tour import TourScreenshotCase


@tagged("post_install", "-at_install")
class TestAllocationTour(TourScreenshotCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_stock(
            {"name": "Alloc Tour WH", "code": "ATWH", "virtual_stock_policy": "allow"},
            "Alloc Tour Lamp",
            5,
            20,
        )
        cls.env["erp.order.priority.rule"].create(
            {
                "name": "Alloc tour VIP",
                "criterion": "customer_tier",
                "customer_tier": "vip",
                "points": 80,
            }
        )
        cls.orders = cls.env["sale.order"]
        for name, tier in (("Alloc Tour Std", "standard"), ("Alloc Tour VIP", "vip")):
            partner = cls.env["res.partner"].create(
                {"name": name, "customer_tier": tier}
            )
            cls.orders |= cls.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "warehouse_id": cls.warehouse.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "product_uom_qty": 4}
                        )
                    ],
                }
            )
        cls.orders.action_confirm()

    def test_simulate_allocation(self):
        """Given two orders for 8 units of a product with 5 in stock, when a
        user runs an allocation in simulate mode in the web client, the result
        lists both orders and no reservation changes."""
        moves = self.orders.order_line.move_ids
        reserved_before = moves.mapped("quantity")
        self.start_tour_with_screenshot(
            "/odoo/action-erp_order_priority.erp_allocation_run_action",
            "erp_allocation_simulate_tour",
            login="admin",
        )
        run = self.env["erp.allocation.run"].search(
            [("warehouse_id", "=", self.warehouse.id)]
        )
        self.assertEqual(run.mode, "simulate")
        vip_line = run.line_ids.filtered(
            lambda line: line.order_id.partner_id.name == "Alloc Tour VIP"
        )
        self.assertEqual(vip_line.allocated_qty, 4)
        moves.invalidate_recordset()
        self.assertEqual(moves.mapped("quantity"), reserved_before)

    def test_apply_simulation(self):
        """Given a finished simulation, when the user clicks *Apply this
        Simulation* and confirms, then the applied run opens, linked to the
        simulation, and the VIP order holds its 4 units."""
        simulation = self.env["erp.allocation.run"].create(
            {"warehouse_id": self.warehouse.id, "mode": "simulate"}
        )
        simulation.action_run()
        self.start_tour_with_screenshot(
            f"/odoo/action-erp_order_priority.erp_allocation_run_action/{simulation.id}",
            "erp_allocation_apply_simulation_tour",
            login="admin",
        )
        applied = self.env["erp.allocation.run"].search(
            [("source_run_id", "=", simulation.id)]
        )
        self.assertEqual(applied.mode, "apply")
        vip_move = self.orders.filtered(
            lambda order: order.partner_id.name == "Alloc Tour VIP"
        ).order_line.move_ids
        self.assertEqual(vip_move.quantity, 4)

    def test_backorder_simulate_compare_apply(self):
        """Given 5 units, VIP holding 4 and standard 1, and a variant where
        VIP wins and standard loses, when a user simulates with it, compares
        per customer (standard loses 1) and applies, then the VIP order holds
        its 4 units and the standard order none."""
        self.env["erp.allocation.variant"].create(
            {
                "name": "Tour Key Accounts",
                "warehouse_id": self.warehouse.id,
                "segment_ids": [
                    Command.create(
                        {
                            "name": name,
                            "domain": repr(
                                [("order_id.partner_id.customer_tier", "=", tier)]
                            ),
                            "strategy": strategy,
                        }
                    )
                    for name, tier, strategy in (
                        ("VIP", "vip", "win"),
                        ("Standard", "standard", "lose"),
                    )
                ],
            }
        )
        self.start_tour_with_screenshot(
            "/odoo/action-erp_order_priority.erp_allocation_run_action",
            "erp_backorder_simulate_compare_apply_tour",
            login="admin",
        )
        applied = self.env["erp.allocation.run"].search(
            [("warehouse_id", "=", self.warehouse.id), ("mode", "=", "apply")]
        )
        self.assertEqual(applied.source_run_id.mode, "simulate")
        quantities = {
            order.partner_id.name: order.order_line.move_ids.quantity
            for order in self.orders
        }
        self.assertEqual(quantities, {"Alloc Tour Std": 0, "Alloc Tour VIP": 4})
