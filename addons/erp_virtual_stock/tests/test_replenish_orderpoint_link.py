# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestReplenishOrderpointLink(ShortageCommon):
    """Thresholds and Odoo's reordering rules: each shows the other, an
    administrator converts one into the other and back, history kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Orderpoint = cls.env["stock.warehouse.orderpoint"]
        cls.Alert.search([("replenish_state", "=", "pending")]).replenish_state = False

    def _orderpoint(self, product, warehouse, **vals):
        return self.Orderpoint.create(
            {
                "product_id": product.id,
                "warehouse_id": warehouse.id,
                "location_id": warehouse.lot_stock_id.id,
                "product_min_qty": 5,
                "product_max_qty": 20,
                "trigger": "manual",
                **vals,
            }
        )

    def _raise_alert(self, rule, product, qty=4):
        self._set_stock(product, rule.warehouse_id, qty)
        self.Alert._evaluate_thresholds(rule.warehouse_id, [product.id])
        return self._alerts(product, rule.warehouse_id)

    def test_orderpoint_shows_threshold_and_its_need(self):
        """Given a category threshold with an open alert, the reordering rule
        of a product of the category shows the threshold, the alert and the
        quantity it asks for; the rule of another warehouse shows none."""
        rule = self._rule(self.wh_short, product_categ_id=self.categ_parent.id)
        alert = self._raise_alert(rule, self.product)
        self.assertEqual(len(alert), 1)
        orderpoint = self._orderpoint(self.product, self.wh_short)
        elsewhere = self._orderpoint(self.product, self.wh_surplus)
        self.assertRecordValues(
            orderpoint,
            [
                {
                    "erp_threshold_id": rule.id,
                    "erp_alert_id": alert.id,
                    "erp_alert_refill_qty": 26.0,
                }
            ],
        )
        self.assertRecordValues(
            elsewhere, [{"erp_threshold_id": False, "erp_alert_id": False}]
        )

    def test_replenishment_filters(self):
        """The filters of the Replenishment screen find the rules watched by
        a threshold, and those with an open alert."""
        rule = self._rule(self.wh_short, product_id=self.product.id)
        watched = self._orderpoint(self.product, self.wh_short)
        other = self._orderpoint(self.product_b, self.wh_short)
        ours = [("id", "in", (watched | other).ids)]
        self.assertEqual(
            self.Orderpoint.search([*ours, ("erp_threshold_id", "!=", False)]),
            watched,
        )
        self.assertEqual(
            self.Orderpoint.search([*ours, ("erp_threshold_id", "=", False)]), other
        )
        self.assertFalse(self.Orderpoint.search([*ours, ("erp_alert_id", "!=", False)]))
        self._raise_alert(rule, self.product)
        self.assertEqual(
            self.Orderpoint.search([*ours, ("erp_alert_id", "!=", False)]), watched
        )
        with self.assertRaises(UserError):
            self.Orderpoint.search([("erp_threshold_id", "=", rule.id)])

    def test_threshold_opens_its_orderpoints(self):
        """A category threshold counts and opens the reordering rules of its
        products in its warehouse, in the Replenishment screen."""
        rule = self._rule(self.wh_short, product_categ_id=self.categ_parent.id)
        orderpoints = self._orderpoint(self.product, self.wh_short) | self._orderpoint(
            self.product_b, self.wh_short
        )
        self._orderpoint(self.product, self.wh_surplus)
        self.assertEqual(rule.orderpoint_count, 2)
        action = rule.action_view_orderpoints()
        self.assertEqual(action["res_model"], "stock.warehouse.orderpoint")
        self.assertEqual(self.Orderpoint.search(action["domain"]), orderpoints)
        orderpoint = orderpoints[0]
        opened = orderpoint.action_open_erp_threshold()
        self.assertEqual(opened["res_id"], rule.id)

    def test_convert_threshold_keeps_its_alerts(self):
        """Converting a product threshold creates an automatic reordering rule
        with its minimum and target; the threshold is archived, linked, and
        keeps its alerts."""
        rule = self._rule(self.wh_short, product_id=self.product.id, action="purchase")
        alert = self._raise_alert(rule, self.product)
        action = rule.action_convert_to_orderpoint()
        orderpoint = self.Orderpoint.search(action["domain"])
        self.assertRecordValues(
            orderpoint,
            [
                {
                    "product_id": self.product.id,
                    "location_id": self.wh_short.lot_stock_id.id,
                    "product_min_qty": 10,
                    "product_max_qty": 30,
                    "trigger": "auto",
                    "erp_converted_threshold_id": rule.id,
                }
            ],
        )
        self.assertFalse(rule.active)
        self.assertTrue(rule.exists())
        self.assertEqual(rule.converted_orderpoint_ids, orderpoint)
        self.assertEqual(alert.threshold_id, rule)
        self.assertEqual(rule.with_context(active_test=False).alert_ids, alert)

    def test_convert_category_threshold(self):
        """A category threshold becomes one rule per storable product of the
        category; a rule already there is updated, not duplicated."""
        rule = self._rule(self.wh_short, product_categ_id=self.categ_parent.id)
        existing = self._orderpoint(self.product, self.wh_short, trigger="auto")
        action = rule.action_convert_to_orderpoint()
        orderpoints = self.Orderpoint.search(action["domain"])
        self.assertEqual(
            orderpoints.product_id,
            self.product | self.product_b | self.product_novendor,
        )
        self.assertIn(existing, orderpoints)
        # notify only: the rules wait for a buyer (manual trigger)
        self.assertEqual(set(orderpoints.mapped("trigger")), {"manual"})
        self.assertEqual(set(orderpoints.mapped("product_min_qty")), {10.0})

    def test_convert_every_product_threshold_refused(self):
        """A threshold for every product is not converted."""
        rule = self._rule(self.wh_short)
        with self.assertRaises(UserError):
            rule.action_convert_to_orderpoint()
        self.assertTrue(rule.active)

    def test_convert_back_reactivates_the_threshold(self):
        """Converted into a rule and back, the same threshold is reactivated
        with the rule's min and max; the rule is archived and linked."""
        rule = self._rule(self.wh_short, product_id=self.product.id)
        alert = self._raise_alert(rule, self.product)
        orderpoint = self.Orderpoint.search(
            rule.action_convert_to_orderpoint()["domain"]
        )
        orderpoint.write({"product_min_qty": 12, "product_max_qty": 40})
        orderpoint.action_convert_to_erp_threshold()
        self.assertRecordValues(
            rule, [{"active": True, "min_qty": 12, "target_qty": 40}]
        )
        self.assertFalse(orderpoint.active)
        self.assertEqual(orderpoint.erp_converted_threshold_id, rule)
        self.assertEqual(rule.alert_ids, alert)

    def test_convert_orderpoint_creates_threshold(self):
        """A reordering rule without a threshold becomes a new product
        threshold on Odoo's forecast, buying when the rule was automatic."""
        orderpoint = self._orderpoint(self.product_b, self.wh_short, trigger="auto")
        action = orderpoint.action_convert_to_erp_threshold()
        rule = self.Threshold.search(action["domain"])
        self.assertRecordValues(
            rule,
            [
                {
                    "product_id": self.product_b.id,
                    "warehouse_id": self.wh_short.id,
                    "basis": "forecast",
                    "min_qty": 5,
                    "target_qty": 20,
                    "action": "purchase",
                    "active": True,
                }
            ],
        )
        self.assertEqual(rule.converted_orderpoint_ids, orderpoint)
        self.assertFalse(orderpoint.active)

    def test_conversion_needs_the_administrator(self):
        """A user of the addon (not administrator) cannot convert."""
        user = new_test_user(
            self.env,
            login="link_erp_user",
            groups="erp_virtual_stock.erp_virtual_stock_group_user",
        )
        rule = self._rule(self.wh_short, product_id=self.product.id)
        with self.assertRaises(AccessError):
            rule.with_user(user).action_convert_to_orderpoint()
        self.assertTrue(rule.active)

    def test_inventory_user_keeps_the_replenishment_screen(self):
        """Standard Inventory users without the addon's groups open the
        Replenishment screen (no threshold column for them) and order."""
        user = new_test_user(
            self.env,
            login="link_stock_user",
            groups="stock.group_stock_user,purchase.group_purchase_user",
        )
        self._rule(self.wh_short, product_id=self.product.id)
        orderpoint = self._orderpoint(self.product, self.wh_short)
        self._set_stock(self.product, self.wh_short, 1)
        Orderpoint = self.Orderpoint.with_user(user)
        arch = Orderpoint.get_views([(False, "list"), (False, "search")])["views"]
        self.assertNotIn("erp_threshold_id", arch["list"]["arch"])
        self.assertNotIn("filter_erp_threshold", arch["search"]["arch"])
        found = Orderpoint.search_read(
            [("id", "=", orderpoint.id)], ["product_id", "qty_to_order"]
        )
        self.assertEqual(found[0]["qty_to_order"], 19)
        # ordering from the screen is for Inventory administrators (Odoo's
        # access rights), here without the addon's groups either
        manager = new_test_user(
            self.env,
            login="link_stock_manager",
            groups="stock.group_stock_manager,purchase.group_purchase_user",
        )
        self.Orderpoint.with_user(manager).browse(orderpoint.id).action_replenish()
        lines = self.env["purchase.order.line"].search(
            [("product_id", "=", self.product.id)]
        )
        self.assertEqual(sum(lines.mapped("product_qty")), 19)

    def _lock_version(self):
        row = self.env["erp.virtual.stock.lock"].search(
            [
                ("product_id", "=", self.product.id),
                ("warehouse_id", "=", self.wh_short.id),
            ]
        )
        row.invalidate_recordset()
        return row.version

    def test_both_replenishments_lock_the_pair(self):
        """Odoo's rule and the threshold each take the serialization row of
        the product and warehouse before ordering (what makes the second of
        two concurrent ones retry)."""
        rule = self._rule(self.wh_short, product_id=self.product.id)
        orderpoint = self._orderpoint(self.product, self.wh_short)
        self._set_stock(self.product, self.wh_short, 1)
        before = self._lock_version()
        orderpoint.action_replenish()
        after_orderpoint = self._lock_version()
        self.assertGreater(after_orderpoint, before)
        rule.write({"action": "purchase", "target_qty": 60})
        self.Alert._evaluate_thresholds(self.wh_short, [self.product.id])
        self._run_replenish_job()
        self.assertGreater(self._lock_version(), after_orderpoint)

    def test_orderpoint_without_threshold_takes_no_lock(self):
        """A product no threshold watches is procured as in Odoo: no lock."""
        orderpoint = self._orderpoint(self.product, self.wh_short)
        self._set_stock(self.product, self.wh_short, 1)
        before = self._lock_version()
        orderpoint.action_replenish()
        self.assertEqual(self._lock_version(), before)
        self.assertTrue(
            self.env["purchase.order.line"].search(
                [("product_id", "=", self.product.id)]
            )
        )
