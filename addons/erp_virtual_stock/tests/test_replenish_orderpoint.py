# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestReplenishOrderpoint(ShortageCommon):
    """A product with both an Odoo reordering rule and a threshold on the
    same warehouse is ordered once, whichever acts first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Alert.search([("replenish_state", "=", "pending")]).replenish_state = False
        cls.orderpoint = cls.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": cls.product.id,
                "warehouse_id": cls.wh_short.id,
                "location_id": cls.wh_short.lot_stock_id.id,
                "product_min_qty": 10,
                "product_max_qty": 30,
                "trigger": "manual",
            }
        )

    def _rfq_qty(self):
        lines = self.env["purchase.order.line"].search(
            [("product_id", "=", self.product.id), ("order_id.state", "=", "draft")]
        )
        return lines, sum(lines.mapped("product_qty"))

    def _threshold_acts(self):
        self._rule(self.wh_short, action="purchase", product_id=self.product.id)
        self.Alert._evaluate_thresholds(self.wh_short, [self.product.id])
        self._run_replenish_job()

    def _orderpoint_acts(self):
        self.orderpoint.invalidate_recordset()
        self.orderpoint.action_replenish()

    def test_forecast_is_the_orderpoint_forecast(self):
        """The helper reads Odoo's forecast, with and without a rule."""
        self._set_stock(self.product, self.wh_short, 4)
        forecast = self.Alert._get_orderpoint_forecast_map(
            [(self.product, self.wh_short), (self.product_b, self.wh_short)]
        )
        self.assertEqual(forecast[(self.product.id, self.wh_short.id)], 4)
        self.assertEqual(forecast[(self.product_b.id, self.wh_short.id)], 0)

    def test_orderpoint_first_then_threshold(self):
        """Odoo's replenishment orders 30; the threshold's job orders nothing."""
        self._orderpoint_acts()
        lines, qty = self._rfq_qty()
        self.assertEqual((len(lines), qty), (1, 30))
        self._threshold_acts()
        lines, qty = self._rfq_qty()
        self.assertEqual((len(lines), qty), (1, 30))
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(len(alert), 1)
        self.assertFalse(alert.purchase_line_ids)

    def test_threshold_first_then_orderpoint(self):
        """The threshold orders 30; Odoo's rule sees it in progress."""
        self._threshold_acts()
        lines, qty = self._rfq_qty()
        self.assertEqual((len(lines), qty), (1, 30))
        self.orderpoint.invalidate_recordset()
        self.assertEqual(self.orderpoint.qty_to_order, 0)
        self._orderpoint_acts()
        lines, qty = self._rfq_qty()
        self.assertEqual((len(lines), qty), (1, 30))

    def test_without_orderpoint_the_threshold_still_orders(self):
        """No double counting: a threshold alone refills to its target."""
        self.orderpoint.unlink()
        self._threshold_acts()
        lines, qty = self._rfq_qty()
        self.assertEqual((len(lines), qty), (1, 30))
