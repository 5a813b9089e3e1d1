# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user, tagged

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestStockAlertTrigger(ShortageCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Shortage Customer"})
        cls._set_stock(cls.product, cls.wh_short, 15)
        cls._set_stock(cls.product, cls.wh_surplus, 100)

    def _order(self, qty, warehouse=None, user=None):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": (user or self.env.user).id,
                "warehouse_id": (warehouse or self.wh_short).id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": qty}
                    )
                ],
            }
        )

    def _virtual_rule(self, **vals):
        return self._rule(
            self.wh_short, product_id=self.product.id, basis="virtual_stock", **vals
        )

    def test_confirmed_order_raises_alert_at_once(self):
        """Given 15 virtual and a minimum of 10, when an order of 8 is
        confirmed, then an alert at 7 exists right away (no scan)."""
        self._virtual_rule()
        order = self._order(8)
        order.action_confirm()
        self.assertRecordValues(
            self._alerts(self.product, self.wh_short),
            [{"qty_at_trigger": 7, "shortage_qty": 3, "state": "open"}],
        )

    def test_order_above_min_raises_nothing(self):
        """Given 15 virtual and a minimum of 10, an order of 5 raises nothing."""
        self._virtual_rule()
        self._order(5).action_confirm()
        self.assertFalse(self._alerts(self.product, self.wh_short))

    def test_salesman_confirmation_raises_alert(self):
        """Given a salesman without stock rights, his confirmation still
        raises the alert."""
        self._virtual_rule()
        salesman = new_test_user(
            self.env,
            login="shortage_trigger_salesman",
            groups="sales_team.group_sale_salesman",
        )
        order = self._order(8, user=salesman)
        self.assertEqual(order.warehouse_id, self.wh_short)
        order.with_user(salesman).action_confirm()
        self.assertRecordValues(
            self._alerts(self.product, self.wh_short), [{"qty_at_trigger": 7}]
        )

    def test_cancel_resolves_alert_at_once(self):
        """Given an alert raised by an order, cancelling the order resolves
        the alert in the same transaction."""
        self._virtual_rule()
        order = self._order(8)
        order.action_confirm()
        alert = self._alerts(self.product, self.wh_short)
        order._action_cancel()
        self.assertEqual(alert.state, "resolved")

    def test_manual_entry_raises_alert(self):
        """Given a manual entry holding back 10 units, an alert is raised."""
        self._virtual_rule()
        entry = self.env["erp.virtual.stock"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.wh_short.id,
                "quantity": -10,
                "reason": "safety_buffer",
            }
        )
        entry.action_activate()
        self.assertRecordValues(
            self._alerts(self.product, self.wh_short), [{"qty_at_trigger": 5}]
        )

    def test_trigger_transfer_moves_both_virtual_stocks(self):
        """Given a transfer rule, when an order takes the stock below the
        minimum, then the job triggered at once creates a transfer and both
        warehouses' virtual stock reflect it, with ledger rows."""
        self._virtual_rule(action="transfer")
        self._order(8).action_confirm()
        self._run_replenish_job()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.picking_ids.move_ids.product_uom_qty, 23)
        stock = self.env["product.product"]._erp_virtual_stock_map(
            self.wh_short | self.wh_surplus, self.product
        )
        self.assertEqual(stock[(self.product.id, self.wh_short.id)], 30)
        self.assertEqual(stock[(self.product.id, self.wh_surplus.id)], 77)
        ledger = self.env["erp.virtual.stock.ledger"].search(
            [
                ("product_id", "=", self.product.id),
                ("warehouse_id", "=", self.wh_surplus.id),
            ],
            order="id desc",
            limit=1,
        )
        self.assertRecordValues(ledger, [{"delta": -23, "balance": 77}])

    def test_scan_and_trigger_share_one_alert(self):
        """Given an alert raised at once, the scan does not raise another."""
        self._virtual_rule()
        self._order(8).action_confirm()
        self.Alert._cron_scan_thresholds()
        self.assertEqual(len(self._alerts(self.product, self.wh_short)), 1)

    def test_trigger_supply_in_sql_matches_the_components(self):
        """Given an order of 20 on 15 in stock (virtual -5) and a receipt of 4
        into the other warehouse, the supply the scan reads in SQL is the
        components summed in Python, kept to the pairs that change a trigger:
        the negative one, and the incoming one only when a rule counts it."""
        self._order(20).action_confirm()
        self.env["stock.move"].create(
            {
                "name": self.product.name,
                "product_id": self.product.id,
                "product_uom_qty": 4,
                "product_uom": self.product.uom_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.wh_surplus.lot_stock_id.id,
            }
        )._action_confirm()
        self.wh_surplus.virtual_incoming_days = -1
        Product = self.env["product.product"]
        Alert = self.env["erp.stock.alert"]
        self.assertTrue(Product._erp_virtual_stock_is_engine_only())
        warehouses = self.wh_short | self.wh_surplus
        expected = {}
        for key, values in Product._erp_virtual_stock_components(warehouses).items():
            virtual = Product._erp_virtual_stock_total(values)
            if virtual < 0 or values["incoming"]:
                expected[key] = (virtual, values["incoming"])
        supply = Alert._get_trigger_supply(warehouses)
        self.assertEqual(supply, expected)
        self.assertEqual(supply[self.product.id, self.wh_short.id], (-5.0, 0.0))
        self.assertEqual(supply[self.product.id, self.wh_surplus.id], (104.0, 4.0))
        self.assertEqual(
            Alert._get_trigger_supply(
                warehouses, self.product.ids, with_incoming=False
            ),
            {(self.product.id, self.wh_short.id): (-5.0, 0.0)},
        )
