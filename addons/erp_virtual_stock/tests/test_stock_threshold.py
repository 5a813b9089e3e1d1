# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestStockThreshold(ShortageCommon):
    def test_negative_min_qty_rejected(self):
        """Given a rule with a negative minimum, when created, then the
        database refuses it."""
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._rule(self.wh_short, min_qty=-1, target_qty=5)

    def test_target_below_min_rejected(self):
        """Given a target below the minimum, when created, then it fails."""
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._rule(self.wh_short, min_qty=10, target_qty=5)

    def test_target_lowered_below_min_rejected(self):
        """Given a valid rule, when its target is lowered under the minimum,
        then a ValidationError explains the quantities."""
        rule = self._rule(self.wh_short)
        with self.assertRaises(ValidationError):
            rule.target_qty = 5

    def test_consumable_product_rejected(self):
        """Given a consumable product, when a rule is created for it, then
        it fails: thresholds need storable products."""
        with self.assertRaises(ValidationError):
            self._rule(self.wh_short, product_id=self.consumable.id)

    def test_duplicate_scope_rejected(self):
        """Given an active rule for a product and warehouse, when a second
        active rule with the same scope is created, then it fails."""
        self._rule(self.wh_short, product_id=self.product.id)
        with self.assertRaises(ValidationError):
            self._rule(self.wh_short, product_id=self.product.id)

    def test_duplicate_scope_allowed_when_archived(self):
        """Given an archived rule, a new active rule with its scope is fine."""
        old = self._rule(self.wh_short, product_id=self.product.id)
        old.active = False
        new = self._rule(self.wh_short, product_id=self.product.id)
        self.assertTrue(new.active)

    def test_product_rule_beats_category_and_all(self):
        """Given an all-products, a category and a product rule, the product
        rule wins for its product and the category rule for the others."""
        rule_all = self._rule(self.wh_short, name="All")
        rule_categ = self._rule(
            self.wh_short, name="Categ", product_categ_id=self.categ_parent.id
        )
        rule_product = self._rule(
            self.wh_short, name="Product", product_id=self.product.id
        )
        other = self.env["product.product"].create(
            {"name": "Uncategorised", "type": "consu", "is_storable": True}
        )
        rules = self.Threshold._get_rule_map(
            self.wh_short, [self.product.id, self.product_b.id, other.id]
        )
        self.assertEqual(rules[(self.product.id, self.wh_short.id)], rule_product)
        self.assertEqual(rules[(self.product_b.id, self.wh_short.id)], rule_categ)
        self.assertEqual(rules[(other.id, self.wh_short.id)], rule_all)

    def test_deeper_category_rule_wins(self):
        """Given rules on a parent and a child category, the child wins."""
        self._rule(self.wh_short, name="Parent", product_categ_id=self.categ_parent.id)
        child = self._rule(
            self.wh_short, name="Child", product_categ_id=self.categ_child.id
        )
        rules = self.Threshold._get_rule_map(self.wh_short, [self.product_b.id])
        self.assertEqual(rules[(self.product_b.id, self.wh_short.id)], child)

    def test_rule_applies_only_to_its_warehouse(self):
        """Given a rule of one warehouse, another warehouse has no rule."""
        self._rule(self.wh_short, product_id=self.product.id)
        rules = self.Threshold._get_rule_map(
            self.wh_short | self.wh_surplus, [self.product.id]
        )
        self.assertIn((self.product.id, self.wh_short.id), rules)
        self.assertNotIn((self.product.id, self.wh_surplus.id), rules)

    def test_on_hand_map_sums_warehouse_quants(self):
        """Given stock in two warehouses, the on-hand map gives each its own."""
        self._set_stock(self.product, self.wh_short, 4)
        self._set_stock(self.product, self.wh_surplus, 50)
        qty = self.Threshold._get_quantity_map(
            "on_hand", self.wh_short | self.wh_surplus, [self.product.id]
        )
        self.assertEqual(qty[(self.product.id, self.wh_short.id)], 4)
        self.assertEqual(qty[(self.product.id, self.wh_surplus.id)], 50)

    def test_sales_user_cannot_edit_rules(self):
        """Given a salesman, when he creates or edits a rule, AccessError."""
        rule = self._rule(self.wh_short, product_id=self.product.id)
        salesman = new_test_user(
            self.env, login="shortage_salesman", groups="sales_team.group_sale_salesman"
        )
        with self.assertRaises(AccessError):
            rule.with_user(salesman).write({"min_qty": 1})
        with self.assertRaises(AccessError):
            self.Threshold.with_user(salesman).create(
                {"name": "x", "warehouse_id": self.wh_short.id}
            )

    def test_virtual_stock_user_reads_but_cannot_edit_rules(self):
        """Given a virtual stock user, he reads rules but cannot write."""
        rule = self._rule(self.wh_short, product_id=self.product.id)
        user = new_test_user(
            self.env,
            login="shortage_vs_user",
            groups="erp_virtual_stock.erp_virtual_stock_group_user",
        )
        self.assertEqual(rule.with_user(user).min_qty, 10)
        with self.assertRaises(AccessError):
            rule.with_user(user).write({"min_qty": 1})

    def test_other_company_rules_hidden(self):
        """Given a rule of another company, a user of this company can't see
        it (multi-company rule)."""
        company_b = self.env["res.company"].create({"name": "Shortage Co B"})
        wh_b = self.env["stock.warehouse"].search(
            [("company_id", "=", company_b.id)], limit=1
        )
        rule_b = self.Threshold.create(
            {
                "name": "B",
                "warehouse_id": wh_b.id,
                "company_id": company_b.id,
                "min_qty": 1,
                "target_qty": 2,
            }
        )
        visible = self.Threshold.with_user(self.stock_user).search(
            [("id", "=", rule_b.id)]
        )
        self.assertFalse(visible)
