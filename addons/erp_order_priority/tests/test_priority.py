# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestPriorityScore(ErpPriorityCommon):
    def test_customer_tier_rule(self):
        """Given a rule for VIP customers, when a VIP and a standard customer
        order, only the VIP order gets the points and the explanation."""
        self._create_rule(
            name="VIP", criterion="customer_tier", customer_tier="vip", points=40
        )
        vip = self._create_order(self.partner_vip, [(self.product, 1)])
        std = self._create_order(self.partner_standard, [(self.product, 1)])
        self.assertEqual(vip.priority_score, 40)
        self.assertIn("VIP", vip.priority_explanation)
        self.assertIn("+40", vip.priority_explanation)
        self.assertEqual(std.priority_score, 0)
        self.assertEqual(std.priority_explanation, "No priority rule matched.")

    def test_product_importance_rule(self):
        """Given a rule on critical products, an order with a critical product
        scores and an order without does not."""
        self._create_rule(
            criterion="product_importance", product_importance="critical", points=25
        )
        with_critical = self._create_order(
            self.partner_standard, [(self.product, 1), (self.critical_product, 1)]
        )
        without = self._create_order(self.partner_standard, [(self.product, 1)])
        self.assertEqual(with_critical.priority_score, 25)
        self.assertEqual(without.priority_score, 0)

    def test_amount_rule_bounds(self):
        """Given an amount rule [500, 1000), orders of 100, 500 and 1000 score
        0, 10 and 0."""
        self._create_rule(
            criterion="amount", amount_min=500, amount_max=1000, points=10
        )
        self.product.taxes_id = False
        orders = [
            self._create_order(self.partner_standard, [(self.product, qty)])
            for qty in (1, 5, 10)
        ]
        self.assertEqual([o.priority_score for o in orders], [0, 10, 0])

    def test_delivery_urgency_rule(self):
        """Given a rule for delivery within 3 days, an order due in 2 days
        scores, one due in 10 days does not."""
        self._create_rule(criterion="delivery_urgency", days_to_commitment=3, points=15)
        soon = self._create_order(
            self.partner_standard,
            [(self.product, 1)],
            commitment_date=self._now() + timedelta(days=2),
        )
        later = self._create_order(
            self.partner_standard,
            [(self.product, 1)],
            commitment_date=self._now() + timedelta(days=10),
        )
        self.assertEqual(soon.priority_score, 15)
        self.assertEqual(later.priority_score, 0)

    def test_stock_scarcity_rule(self):
        """Given a scarcity rule (virtual stock at most 5), an order of a
        product with 2 units scores, one with 100 units does not."""
        self._create_rule(criterion="stock_scarcity", scarcity_qty=5, points=20)
        self._set_stock(self.product, 2)
        self._set_stock(self.critical_product, 100)
        scarce = self._create_order(self.partner_standard, [(self.product, 1)])
        plenty = self._create_order(self.partner_standard, [(self.critical_product, 1)])
        self.assertEqual(scarce.priority_score, 20)
        self.assertEqual(plenty.priority_score, 0)

    def test_daily_rescoring_follows_stock(self):
        """Given a scarcity rule and plenty of stock, when the stock runs low,
        the daily rescoring raises the open order's score."""
        self._create_rule(criterion="stock_scarcity", scarcity_qty=5, points=20)
        self._set_stock(self.product, 100)
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        self.assertEqual(order.priority_score, 0)
        self._set_stock(self.product, -98)
        # the cron runs in a fresh transaction: no cached stock figures
        self.env.invalidate_all()
        self.env["sale.order"]._cron_recompute_priority()
        self.assertEqual(order.priority_score, 20)

    def test_domain_rule_negative_points(self):
        """Given a domain rule with negative points, matching orders lose points."""
        self._create_rule(
            criterion="customer_tier", customer_tier="gold", points=30, name="Gold"
        )
        self._create_rule(
            criterion="domain",
            domain=f"[('partner_id', '=', {self.partner_gold.id})]",
            points=-5,
            name="Slow payer",
        )
        order = self._create_order(self.partner_gold, [(self.product, 1)])
        self.assertEqual(order.priority_score, 25)
        self.assertIn("Slow payer", order.priority_explanation)
        self.assertIn("-5", order.priority_explanation)

    def test_level_from_company_thresholds(self):
        """Given thresholds 30/60/90, scores 29, 30, 60, 90 give normal, high,
        urgent, critical."""
        rule = self._create_rule(
            criterion="customer_tier", customer_tier="vip", points=29
        )
        order = self._create_order(self.partner_vip, [(self.product, 1)])
        levels = []
        for points in (29, 30, 60, 90):
            rule.points = points
            levels.append(order.priority_level)
        self.assertEqual(levels, ["normal", "high", "urgent", "critical"])

    def test_recompute_on_partner_tier_change(self):
        """Given a gold rule, when the customer becomes gold, the open order
        is rescored."""
        self._create_rule(criterion="customer_tier", customer_tier="gold", points=30)
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        self.assertEqual(order.priority_score, 0)
        self.partner_standard.customer_tier = "gold"
        self.assertEqual(order.priority_score, 30)
        self.assertEqual(order.priority_level, "high")

    def test_recompute_on_commitment_date_change(self):
        """Given an urgency rule, when the delivery date moves closer, the
        score rises."""
        self._create_rule(criterion="delivery_urgency", days_to_commitment=3, points=15)
        order = self._create_order(
            self.partner_standard,
            [(self.product, 1)],
            commitment_date=self._now() + timedelta(days=10),
        )
        self.assertEqual(order.priority_score, 0)
        order.commitment_date = self._now() + timedelta(days=1)
        self.assertEqual(order.priority_score, 15)

    def test_recompute_on_line_change(self):
        """Given an importance rule, adding a critical line rescores the order."""
        self._create_rule(
            criterion="product_importance", product_importance="critical", points=25
        )
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        with Form(order) as form:
            with form.order_line.new() as line:
                line.product_id = self.critical_product
        self.assertEqual(order.priority_score, 25)

    def test_new_rule_rescores_open_orders(self):
        """Given an existing open order, creating a matching rule rescores it."""
        order = self._create_order(self.partner_vip, [(self.product, 1)])
        self.assertEqual(order.priority_score, 0)
        self._create_rule(criterion="customer_tier", customer_tier="vip", points=50)
        self.assertEqual(order.priority_score, 50)

    def test_new_rule_rescores_open_orders_of_every_company(self):
        """Given an open order of a second company and a manager of both
        companies working in the first one only, when he creates a rule for
        every company, then the second company's order is rescored too."""
        other = self.env["res.company"].create({"name": "Priority Second Co"})
        order = self._create_order(
            self.partner_vip,
            [(self.product, 1)],
            company_id=other.id,
            warehouse_id=self.env["stock.warehouse"]
            .search([("company_id", "=", other.id)], limit=1)
            .id,
        )
        self.assertEqual(order.priority_score, 0)
        manager = new_test_user(
            self.env,
            login="erp_op_two_company_manager",
            groups="erp_order_priority.erp_order_priority_group_manager",
            company_ids=[Command.set([self.env.company.id, other.id])],
            company_id=self.env.company.id,
        )
        self.env["erp.order.priority.rule"].with_user(manager).with_context(
            allowed_company_ids=[self.env.company.id]
        ).create(
            {
                "name": "VIP everywhere",
                "criterion": "customer_tier",
                "customer_tier": "vip",
                "points": 50,
                "company_id": False,
            }
        )
        order.invalidate_recordset()
        self.assertEqual(order.priority_score, 50)

    def test_manual_override_requires_reason(self):
        """Given an order, an override without reason is refused; with a
        reason it sets the level whatever the score."""
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        with self.assertRaises(ValidationError):
            order.write({"priority_manual": "critical"})
        order.write(
            {"priority_manual": "critical", "priority_manual_reason": "CEO asked"}
        )
        self.assertEqual(order.priority_level, "critical")
        self.assertEqual(order.priority_score, 0)
        order.priority_manual = False
        self.assertEqual(order.priority_level, "normal")


@tagged("post_install", "-at_install")
class TestPriorityRuleValidation(ErpPriorityCommon):
    def test_invalid_domain_refused(self):
        """Given a domain rule with a broken domain, saving raises a clear error."""
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self._create_rule(criterion="domain", domain="[('no_such_field', '=', 1)]")
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self._create_rule(criterion="domain", domain="[(")

    def test_negative_points_refused_outside_domain_rules(self):
        """Given a tier rule with negative points, saving raises."""
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._create_rule(
                criterion="customer_tier", customer_tier="vip", points=-10
            )

    def test_missing_parameter_refused(self):
        """Given a tier rule without tier, saving raises."""
        with self.assertRaises(ValidationError):
            self._create_rule(criterion="customer_tier", points=10)

    def test_unknown_level_refused(self):
        """Given an unknown override level, writing it fails."""
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        with self.assertRaises(ValueError):
            order.write({"priority_manual": "extreme", "priority_manual_reason": "x"})

    def test_thresholds_must_increase(self):
        """Given thresholds not increasing, saving the company raises."""
        with self.assertRaises(ValidationError):
            self.company.erp_priority_urgent_threshold = 20

    @mute_logger("odoo.sql_db")
    def test_negative_amount_bound_refused(self):
        """Given a negative amount bound, the database refuses it."""
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._create_rule(criterion="amount", amount_min=-1, points=5)
