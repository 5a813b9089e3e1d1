# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import tagged

from .common_tour import TourScreenshotCase


@tagged("post_install", "-at_install")
class TestVirtualStockTours(TourScreenshotCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_stock(
            {"name": "Tour Warehouse", "code": "TOURW"}, "Tour Tea Pot", 5, 30
        )
        # quotations of the tour are taken from the tour warehouse
        cls.env.ref("base.user_admin").property_warehouse_id = cls.warehouse
        cls.partner = cls.env["res.partner"].create({"name": "Tour Customer"})

    def test_create_manual_entry(self):
        """Given a product, when a user creates and activates a manual virtual
        stock entry in the web client, the entry is active and the product's
        virtual stock grows by its quantity."""
        before = self.product.with_context(
            warehouse_id=self.warehouse.id
        ).virtual_stock_qty
        self.start_tour_with_screenshot(
            "/odoo/action-erp_virtual_stock.erp_virtual_stock_action",
            "erp_virtual_stock_entry_tour",
            login="admin",
        )
        entry = self.env["erp.virtual.stock"].search(
            [("product_id", "=", self.product.id)]
        )
        self.assertRecordValues(entry, [{"state": "active", "quantity": 25}])
        self.assertEqual(entry.warehouse_id, self.warehouse)
        self.product.invalidate_recordset()
        after = self.product.with_context(
            warehouse_id=self.warehouse.id
        ).virtual_stock_qty
        self.assertEqual(after, before + 25)

    def test_quotation_shows_partial_availability(self):
        """Given 5 units in stock and 10 more promised by the supplier in 5
        days, when a user quotes 8 in the web client, the line shows a partial
        availability badge and a promise date, and the order confirms."""
        self.warehouse.virtual_stock_policy = "warn"
        supply = self.env["erp.virtual.stock"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.warehouse.id,
                "quantity": 10,
                "reason": "supplier_stock",
                "date_start": fields.Date.add(
                    fields.Date.context_today(self.env.user), days=5
                ),
            }
        )
        supply.action_activate()
        self.start_tour_with_screenshot(
            "/odoo/action-sale.action_quotations_with_onboarding",
            "erp_virtual_stock_quotation_tour",
            login="admin",
        )
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.partner.id)], limit=1
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.product_uom_qty, 8)
        self.assertEqual(order.order_line.promise_date, supply.date_start)


@tagged("post_install", "-at_install")
class TestStockAlertTour(TourScreenshotCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_stock(
            {"name": "Alert Tour WH", "code": "ALTW", "virtual_stock_policy": "warn"},
            "Alert Tour Kettle",
            12,
            40,
        )
        cls.rule = cls.env["erp.stock.threshold"].create(
            {
                "name": "Kettles: keep 10 sellable",
                "warehouse_id": cls.warehouse.id,
                "product_id": cls.product.id,
                "basis": "virtual_stock",
                "min_qty": 10,
                "target_qty": 20,
                "action": "notify",
            }
        )
        partner = cls.env["res.partner"].create({"name": "Alert Tour Customer"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 4})
                ],
            }
        )

    def test_confirm_raises_alert(self):
        """Given 12 units and a rule keeping 10 sellable, when a user confirms a
        quotation of 4 in the web client and opens Inventory > Virtual Stock >
        Stock Alerts, the kettle's open alert (8 left, 2 short) is there."""
        alerts = self.env["erp.stock.alert"].search(
            [("product_id", "=", self.product.id)]
        )
        self.assertFalse(alerts)
        self.start_tour_with_screenshot(
            f"/odoo/action-sale.action_quotations_with_onboarding/{self.order.id}",
            "erp_virtual_stock_alert_tour",
            login="admin",
        )
        self.assertEqual(self.order.state, "sale")
        alert = self.env["erp.stock.alert"].search(
            [("product_id", "=", self.product.id)]
        )
        self.assertRecordValues(
            alert,
            [
                {
                    "threshold_id": self.rule.id,
                    "warehouse_id": self.warehouse.id,
                    "state": "open",
                    "qty_at_trigger": 8,
                    "shortage_qty": 2,
                }
            ],
        )
