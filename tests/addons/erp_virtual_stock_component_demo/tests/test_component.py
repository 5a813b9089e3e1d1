# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSubModuleComponent(TransactionCase):
    """A component added by overriding _erp_virtual_stock_components reaches
    every reader of the virtual stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Component test product",
                "is_storable": True,
                "erp_test_producible_qty": 5.0,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 10.0
        )

    def test_fields_and_map_count_the_component(self):
        """Given 10 on hand and 5 producible, the virtual stock is 15 in the
        field (warehouse or location context), the set-based map and the
        threshold quantities."""
        product = self.product.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(product.virtual_stock_qty, 15.0)
        by_location = self.product.with_context(
            location=self.warehouse.view_location_id.id
        )
        self.assertEqual(by_location.virtual_stock_qty, 15.0)
        self.assertEqual(
            self.env["product.product"]._erp_virtual_stock_map(
                self.warehouse, self.product
            ),
            {(self.product.id, self.warehouse.id): 15.0},
        )
        self.assertEqual(
            self.env["erp.stock.threshold"]._get_quantity_map(
                "virtual_stock", self.warehouse, self.product.ids
            ),
            {(self.product.id, self.warehouse.id): 15.0},
        )

    def test_search_counts_the_component(self):
        """Searching a virtual stock above the on-hand quantity finds the
        product thanks to the producible quantity."""
        found = (
            self.env["product.product"]
            .with_context(warehouse_id=self.warehouse.id)
            .search([("virtual_stock_qty", ">", 12), ("id", "=", self.product.id)])
        )
        self.assertEqual(found, self.product)

    def test_order_line_counts_the_component(self):
        """A quotation line of 14 units is available: 10 on hand + 5 that
        could be produced."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "C"}).id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 14}
                    )
                ],
            }
        )
        self.assertEqual(order.order_line.virtual_stock_qty, 15.0)
        self.assertEqual(order.order_line.availability_state, "available")

    def test_trigger_supply_counts_the_component(self):
        """Given 10 on hand, 5 producible and 12 to deliver, the virtual stock
        is 3: the threshold trigger sees no negative virtual stock (the
        engine's SQL alone would see -2); with 1 producible it sees -1."""
        Product = self.env["product.product"]
        Alert = self.env["erp.stock.alert"]
        self.assertFalse(Product._erp_virtual_stock_is_engine_only())
        self.env["stock.move"].create(
            {
                "name": self.product.name,
                "product_id": self.product.id,
                "product_uom_qty": 12,
                "product_uom": self.product.uom_id.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )._action_confirm()
        supply = Alert._get_trigger_supply(self.warehouse, self.product.ids)
        self.assertEqual(supply, {})
        self.product.erp_test_producible_qty = 1.0
        supply = Alert._get_trigger_supply(self.warehouse, self.product.ids)
        self.assertEqual(supply, {(self.product.id, self.warehouse.id): (-1.0, 0.0)})

    def test_scan_counts_the_component(self):
        """Given 10 on hand, 5 producible and a virtual-stock minimum of 12,
        the full scan raises no alert (15); with 1 producible it raises one
        at 11: the scan sums the components in Python when a sub-module adds
        one (the engine's SQL alone would see 10 both times)."""
        Alert = self.env["erp.stock.alert"]
        self.env["erp.stock.threshold"].create(
            {
                "name": "Component scan rule",
                "warehouse_id": self.warehouse.id,
                "product_id": self.product.id,
                "basis": "virtual_stock",
                "min_qty": 12,
                "target_qty": 20,
                "action": "notify",
            }
        )
        domain = [("product_id", "=", self.product.id)]
        Alert._evaluate_thresholds(self.warehouse)
        self.assertFalse(Alert.search(domain))
        self.product.erp_test_producible_qty = 1.0
        Alert._evaluate_thresholds(self.warehouse)
        self.assertRecordValues(
            Alert.search(domain), [{"qty_at_trigger": 11.0, "state": "open"}]
        )

    def test_scan_overstock_counts_the_component(self):
        """Given 10 on hand, 5 producible and a virtual-stock maximum of 14,
        the full scan raises an overstock alert at 15 through the overstock
        evaluation's own reads (the engine's SQL alone would see 10, under
        the maximum); with 1 producible (11) it resolves it."""
        Alert = self.env["erp.stock.alert"]
        self.env["erp.stock.threshold"].create(
            {
                "name": "Component overstock rule",
                "warehouse_id": self.warehouse.id,
                "product_id": self.product.id,
                "basis": "virtual_stock",
                "min_qty": 2,
                "target_qty": 12,
                "max_qty": 14,
                "action": "notify",
            }
        )
        domain = [("product_id", "=", self.product.id)]
        Alert._evaluate_thresholds(self.warehouse)
        alert = Alert.search(domain)
        self.assertRecordValues(
            alert,
            [{"alert_type": "overstock", "qty_at_trigger": 15.0, "state": "open"}],
        )
        self.product.erp_test_producible_qty = 1.0
        Alert._evaluate_thresholds(self.warehouse)
        self.assertEqual(alert.state, "resolved")
