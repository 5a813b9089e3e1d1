# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestStockAlertOverstock(ShortageCommon):
    """A rule with a maximum raises an overstock alert above it, suggesting
    a transfer-out to the warehouse that lacks the product most."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Alert.search([("replenish_state", "=", "pending")]).replenish_state = False

    def _overstock(self, product=None, warehouse=None):
        return self._alerts(product or self.product, warehouse or self.wh_surplus)

    def test_overstock_alert_suggests_largest_shortage(self):
        """60 on hand above a maximum of 50: an overstock alert of 10 in
        excess, to the warehouse the furthest below its minimum."""
        self._set_stock(self.product, self.wh_surplus, 60)
        self._set_stock(self.product, self.wh_small, 8)
        self._rule(self.wh_surplus, product_id=self.product.id, max_qty=50)
        self._rule(self.wh_short, product_id=self.product.id, min_qty=10)
        self._rule(self.wh_small, product_id=self.product.id, min_qty=10)
        self.Alert._evaluate_thresholds(
            self.wh_surplus | self.wh_short | self.wh_small, [self.product.id]
        )
        alert = self._overstock()
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.alert_type, "overstock")
        self.assertEqual(alert.excess_qty, 10)
        self.assertEqual(alert.suggested_warehouse_id, self.wh_short)  # short of 10
        self.assertIn(self.wh_short.display_name, alert.note)
        # it never orders, and the shortage alerts are of the shortage type
        self.assertEqual(alert._get_needed_qty(), 0)
        short = self._alerts(self.product, self.wh_short)
        self.assertEqual(short.alert_type, "shortage")
        # a second evaluation keeps the one alert; back below the maximum
        # it resolves
        self.Alert._evaluate_thresholds(self.wh_surplus, [self.product.id])
        self.assertEqual(self._overstock(), alert)
        self._set_stock(self.product, self.wh_surplus, -15)
        self.Alert._evaluate_thresholds(self.wh_surplus, [self.product.id])
        self.assertEqual(alert.state, "resolved")

    def test_overstock_without_shortage_elsewhere_leaves_a_note(self):
        # no other rule of the company (demo data) makes a warehouse short
        self.Threshold.search([("company_id", "=", self.company.id)]).active = False
        self._set_stock(self.product, self.wh_surplus, 60)
        self._rule(self.wh_surplus, product_id=self.product.id, max_qty=50)
        self.Alert._cron_scan_thresholds()
        alert = self._overstock()
        self.assertEqual(len(alert), 1)
        self.assertFalse(alert.suggested_warehouse_id)
        self.assertIn("no other warehouse", alert.note)

    def test_scan_opens_and_resolves_overstock_in_one_pass(self):
        """The hourly scan finds an overstocked product among the engine's
        candidates (above a maximum, neither short nor with an open alert
        before), without reading the covered products on a path of its own;
        it keeps the alert while over and resolves it back at the maximum."""
        Product = self.env["product.product"]
        self.assertTrue(Product._erp_virtual_stock_is_engine_only())
        # no other rule (demo data) makes the product a candidate as short
        self.Threshold.search([("company_id", "=", self.company.id)]).active = False
        self._set_stock(self.product, self.wh_surplus, 60)
        self._rule(self.wh_surplus, product_id=self.product.id, max_qty=50)
        Alert = type(self.Alert)
        with patch.object(
            Alert, "_get_overstock_quantities", side_effect=AssertionError("slow")
        ):
            self.Alert._cron_scan_thresholds()
            alert = self._overstock()
            self.assertEqual(len(alert), 1)
            self.assertEqual(alert.alert_type, "overstock")
            self.assertEqual(alert.qty_at_trigger, 60)
            self.Alert._cron_scan_thresholds()
            self.assertEqual(self._overstock(), alert)
            self._set_stock(self.product, self.wh_surplus, -10)  # 50: the maximum
            self.Alert._cron_scan_thresholds()
            self.assertEqual(alert.state, "resolved")
            self.assertFalse(self._overstock())

    def test_max_below_target_is_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._rule(self.wh_surplus, product_id=self.product.id, max_qty=20)
