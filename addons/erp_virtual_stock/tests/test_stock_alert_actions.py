# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import tagged

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestStockAlertActions(ShortageCommon):
    """Every alert offers what the buyer can do; catch-all rules raise no
    noise and a negative virtual stock always alerts."""

    def _scan(self):
        """The scheduled scan, then the replenishment job it triggers."""
        self.Alert._cron_scan_thresholds()
        self._run_replenish_job()

    def _receive_later(self, product, warehouse, qty):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": self.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def test_notify_alert_offers_rfq_and_creates_it(self):
        """Given a notify-only alert 26 short of its target for a product with
        a vendor, then it offers Create RFQ; when the buyer clicks it, then an
        RFQ line of 26 is linked, the alert is in progress and Create RFQ is
        no longer offered."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._set_stock(self.product, self.wh_short, 4)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertRecordValues(
            alert, [{"state": "open", "can_purchase": True, "can_transfer": False}]
        )
        alert.action_replenish_purchase()
        self.assertEqual(alert.purchase_line_ids.product_qty, 26)
        alert.invalidate_recordset(["can_purchase", "incoming_qty"])
        self.assertRecordValues(
            alert, [{"state": "in_progress", "can_purchase": False}]
        )

    def test_shared_vendor_line_offers_rfq(self):
        """Given a product whose vendor line is shared by every company (no
        company), its alert offers Create RFQ."""
        self.product.seller_ids.company_id = False
        self._rule(self.wh_short, product_id=self.product.id)
        self._set_stock(self.product, self.wh_short, 4)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertRecordValues(alert, [{"state": "open", "can_purchase": True}])

    def test_notify_alert_offers_transfer_from_surplus(self):
        """Given a notify-only alert and another warehouse with 100 in stock,
        then it offers Transfer; when the buyer clicks it, then a transfer of
        the 26 missing comes from that warehouse."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._set_stock(self.product, self.wh_short, 4)
        self._set_stock(self.product, self.wh_surplus, 100)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertTrue(alert.can_transfer)
        alert.action_replenish_transfer()
        self.assertEqual(alert.picking_ids.move_ids.product_uom_qty, 26)
        self.assertEqual(
            alert.picking_ids.move_ids.location_id, self.wh_surplus.lot_stock_id
        )
        self.assertEqual(alert.state, "in_progress")

    def test_alert_without_vendor_or_surplus_offers_no_replenishment(self):
        """Given a product without vendor and no stock elsewhere, its alert
        offers neither Transfer nor Create RFQ."""
        self._rule(self.wh_short, product_id=self.product_novendor.id)
        self._scan()
        alert = self._alerts(self.product_novendor, self.wh_short)
        self.assertRecordValues(alert, [{"can_purchase": False, "can_transfer": False}])

    def test_negative_virtual_stock_always_alerts(self):
        """Given an on-hand rule (minimum 1) and 5 on hand, when a customer
        order of 8 drives the virtual stock to -3, then the scan raises an
        alert showing -3 (4 short) and a second scan keeps it open."""
        self._rule(
            self.wh_short,
            product_id=self.product.id,
            basis="on_hand",
            min_qty=1,
            target_qty=5,
        )
        self._set_stock(self.product, self.wh_short, 5)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.vendor.id,
                "warehouse_id": self.wh_short.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 8}
                    )
                ],
            }
        )
        order.action_confirm()
        self._scan()
        self._scan()
        self.assertRecordValues(
            self._alerts(self.product, self.wh_short),
            [{"state": "open", "qty_at_trigger": -3, "shortage_qty": 4}],
        )

    def test_catch_all_rule_counts_incoming_and_skips_unstocked(self):
        """Given a rule for every product on the on-hand basis (minimum 1), a
        product with nothing on hand but 125 being received, one with nothing
        at all, a consumable not tracked in stock and a service, when the scan
        runs, then the product with nothing at all alerts and none of the others."""
        service = self.env["product.product"].create(
            {"name": "Shortage Software", "type": "service"}
        )
        self._rule(self.wh_short, basis="on_hand", min_qty=1, target_qty=5)
        self._receive_later(self.product, self.wh_short, 125)
        self._scan()
        alerts = self._alerts(warehouse=self.wh_short)
        self.assertNotIn(self.product, alerts.product_id)
        self.assertIn(self.product_b, alerts.product_id)
        self.assertNotIn(self.consumable, alerts.product_id)
        self.assertNotIn(service, alerts.product_id)
