# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestStockAlertReplenish(ShortageCommon):
    def _scan(self):
        """The scheduled scan, then the replenishment job it triggers."""
        self.Alert._cron_scan_thresholds()
        self._run_replenish_job()

    def _rfq_lines(self, product):
        return self.env["purchase.order.line"].search(
            [("product_id", "=", product.id), ("order_id.state", "=", "draft")]
        )

    def test_transfer_from_largest_surplus(self):
        """Given 4 units short of 30 and two warehouses with surplus, when the
        scan runs, then a transfer of the refill (26) comes from the warehouse
        with the largest surplus and the alert is in progress."""
        self._rule(self.wh_short, product_id=self.product.id, action="transfer")
        self._set_stock(self.product, self.wh_short, 4)
        self._set_stock(self.product, self.wh_surplus, 100)
        self._set_stock(self.product, self.wh_small, 40)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.state, "in_progress")
        self.assertEqual(len(alert.picking_ids), 1)
        move = alert.picking_ids.move_ids
        self.assertEqual(move.product_uom_qty, 26)
        self.assertEqual(move.location_id, self.wh_surplus.lot_stock_id)
        self.assertEqual(move.location_dest_id, self.wh_short.lot_stock_id)
        self.assertEqual(alert.incoming_qty, 26)

    def test_transfer_limited_by_source_rule(self):
        """Given a source warehouse whose own rule keeps 35 of its 40, the
        transfer moves only the 5 of surplus."""
        self._rule(self.wh_short, product_id=self.product.id, action="transfer")
        self._rule(self.wh_small, product_id=self.product.id, min_qty=20, target_qty=35)
        self._set_stock(self.product, self.wh_short, 4)
        self._set_stock(self.product, self.wh_small, 40)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.picking_ids.move_ids.product_uom_qty, 5)

    def test_transfer_through_resupply_route(self):
        """Given the short warehouse resupplied from the surplus one, the
        transfer runs Odoo's resupply route through the transit location."""
        self.env.user.groups_id += self.env.ref("stock.group_stock_multi_locations")
        self.wh_short.resupply_wh_ids = self.wh_surplus
        self._rule(self.wh_short, product_id=self.product.id, action="transfer")
        self._set_stock(self.product, self.wh_short, 4)
        self._set_stock(self.product, self.wh_surplus, 100)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        transit = self.company.internal_transit_location_id
        self.assertEqual(len(alert.picking_ids), 2)
        self.assertIn(transit, alert.picking_ids.location_dest_id)
        self.assertIn(transit, alert.picking_ids.location_id)
        self.assertEqual(sum(alert.picking_ids.move_ids.mapped("product_uom_qty")), 52)

    def test_transfer_without_surplus_notes_problem(self):
        """Given no warehouse with surplus, the transfer rule leaves a note
        and the alert stays open."""
        self._rule(
            self.wh_short,
            product_id=self.product.id,
            action="transfer",
            notify_user_ids=[self.stock_user.id],
        )
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.state, "open")
        self.assertIn("surplus", alert.note)

    def test_never_transfer_across_companies(self):
        """Given surplus only in another company's warehouse, no transfer."""
        company_b = self.env["res.company"].create({"name": "Shortage Co B"})
        wh_b = self.env["stock.warehouse"].search(
            [("company_id", "=", company_b.id)], limit=1
        )
        self.env["stock.quant"].with_company(company_b)._update_available_quantity(
            self.product, wh_b.lot_stock_id, 500
        )
        self._rule(self.wh_short, product_id=self.product.id, action="transfer")
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertFalse(alert.picking_ids)

    def test_transfer_to_same_warehouse_refused(self):
        """Given an alert, a transfer from its own warehouse is refused."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        with self.assertRaises(UserError):
            alert._create_transfer(self.wh_short, 5)
        self.assertFalse(alert.picking_ids)

    def test_purchase_creates_rfq(self):
        """Given a purchase rule, the scan runs the buy procurement: an RFQ
        for the vendor with the refill quantity, linked to the alert."""
        self._rule(self.wh_short, product_id=self.product.id, action="purchase")
        self._set_stock(self.product, self.wh_short, 4)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.state, "in_progress")
        self.assertRecordValues(
            alert.purchase_line_ids, [{"product_qty": 26, "partner_id": self.vendor.id}]
        )
        self.assertEqual(
            alert.purchase_line_ids.order_id.picking_type_id, self.wh_short.in_type_id
        )

    def test_purchase_honours_vendor_moq(self):
        """Given a vendor minimum of 100, the RFQ asks for 100, not 26."""
        self.product.seller_ids.min_qty = 100
        self._rule(self.wh_short, product_id=self.product.id, action="purchase")
        self._set_stock(self.product, self.wh_short, 4)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.purchase_line_ids.product_qty, 100)

    def test_purchase_merges_into_open_rfq(self):
        """Given two short products of one vendor, one RFQ holds both."""
        self._rule(
            self.wh_short, product_categ_id=self.categ_child.id, action="purchase"
        )
        self._scan()
        lines = self._rfq_lines(self.product) | self._rfq_lines(self.product_b)
        self.assertEqual(len(lines), 2)
        self.assertEqual(len(lines.order_id), 1)

    def test_no_vendor_gets_note_and_activity(self):
        """Given a product without vendor, the purchase rule leaves a note and
        an activity, and the other products still get their RFQ."""
        self._rule(
            self.wh_short,
            product_categ_id=self.categ_child.id,
            action="purchase",
            notify_user_ids=[self.stock_user.id],
        )
        self._scan()
        orphan = self._alerts(self.product_novendor, self.wh_short)
        self.assertEqual(orphan.state, "open")
        self.assertIn("no vendor", orphan.note)
        self.assertGreaterEqual(len(orphan.activity_ids), 2)
        self.assertTrue(self._alerts(self.product, self.wh_short).purchase_line_ids)

    def test_no_double_replenishment(self):
        """Given an alert with an RFQ, a second scan and a replenish click do
        not order again."""
        self._rule(self.wh_short, product_id=self.product.id, action="purchase")
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self._scan()
        alert.action_replenish()
        self.assertEqual(sum(self._rfq_lines(self.product).mapped("product_qty")), 30)

    def test_transfer_then_purchase(self):
        """Given 10 of surplus for a refill of 30, 10 are transferred and 20
        bought."""
        self._rule(
            self.wh_short, product_id=self.product.id, action="transfer_then_purchase"
        )
        self._set_stock(self.product, self.wh_small, 10)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.picking_ids.move_ids.product_uom_qty, 10)
        self.assertEqual(alert.purchase_line_ids.product_qty, 20)

    def test_replenish_after_vendor_added(self):
        """Given an alert that failed for lack of vendor, once a vendor is
        added, Replenish creates the RFQ."""
        self._rule(
            self.wh_short, product_id=self.product_novendor.id, action="purchase"
        )
        self._scan()
        alert = self._alerts(self.product_novendor, self.wh_short)
        self.product_novendor.seller_ids = [
            (0, 0, {"partner_id": self.vendor.id, "price": 3})
        ]
        alert.action_replenish()
        self.assertEqual(alert.purchase_line_ids.product_qty, 30)
        self.assertEqual(alert.state, "in_progress")

    def test_purchase_rounds_up_to_packaging(self):
        """Given a purchase packaging of 12, a refill of 26 is bought as 36."""
        self.env["product.packaging"].create(
            {
                "name": "Box of 12",
                "product_id": self.product.id,
                "qty": 12,
                "purchase": True,
            }
        )
        self._rule(self.wh_short, product_id=self.product.id, action="purchase")
        self._set_stock(self.product, self.wh_short, 4)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.purchase_line_ids.product_qty, 36)

    def test_purchase_honours_vendor_lead_time(self):
        """Given a vendor lead time of 7 days, the RFQ line is planned at
        least 7 days ahead."""
        self.product.seller_ids.delay = 7
        self._rule(self.wh_short, product_id=self.product.id, action="purchase")
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertGreaterEqual(
            alert.purchase_line_ids.date_planned,
            fields.Datetime.now() + timedelta(days=6),
        )
