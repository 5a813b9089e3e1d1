# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestStockAlertOnHand(ShortageCommon):
    """Validating a delivery, a receipt, an inventory adjustment or a scrap
    raises or resolves the alerts of on-hand rules at once, without waiting
    for the hourly scan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Alert.search([("replenish_state", "=", "pending")]).replenish_state = False
        cls._set_stock(cls.product, cls.wh_short, 15)

    def _picking(self, picking_type, qty, src, dest):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": src.id,
                "location_dest_id": dest.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": qty,
                            "product_uom": self.product.uom_id.id,
                            "location_id": src.id,
                            "location_dest_id": dest.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        return picking

    def test_delivery_raises_alert_at_once(self):
        """A validated delivery takes the stock on hand to 7: the alert is
        open at once; its RFQ is left to the replenishment job."""
        self._rule(self.wh_short, product_id=self.product.id, action="purchase")
        picking = self._picking(
            self.wh_short.out_type_id,
            8,
            self.wh_short.lot_stock_id,
            self.env.ref("stock.stock_location_customers"),
        )
        self.assertFalse(self._alerts(self.product, self.wh_short))
        picking.button_validate()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.qty_at_trigger, 7)
        self.assertEqual(alert.replenish_state, "pending")
        self.assertFalse(alert.purchase_line_ids)

    def test_receipt_resolves_alert_at_once(self):
        """A validated receipt brings the stock back above the minimum."""
        self._rule(self.wh_short, product_id=self.product.id, min_qty=20)
        self.Alert._evaluate_thresholds(self.wh_short, [self.product.id])
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(len(alert), 1)
        self._picking(
            self.wh_short.in_type_id,
            10,
            self.env.ref("stock.stock_location_suppliers"),
            self.wh_short.lot_stock_id,
        ).button_validate()
        self.assertEqual(alert.state, "resolved")

    def test_inventory_adjustment_raises_alert_at_once(self):
        self._rule(self.wh_short, product_id=self.product.id)
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.wh_short.lot_stock_id.id),
            ]
        )
        quant.inventory_quantity = 3
        quant.action_apply_inventory()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.qty_at_trigger, 3)

    def test_scrap_raises_alert_at_once(self):
        self._rule(self.wh_short, product_id=self.product.id)
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "scrap_qty": 9,
                "location_id": self.wh_short.lot_stock_id.id,
            }
        )
        scrap.do_scrap()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.qty_at_trigger, 6)
