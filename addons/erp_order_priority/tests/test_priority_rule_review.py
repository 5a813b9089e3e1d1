# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestPriorityRuleReview(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = new_test_user(
            cls.env,
            login="priority_rule_reviewer",
            groups="erp_order_priority.erp_order_priority_group_manager",
        )
        cls.today = fields.Date.context_today(cls.env["erp.order.priority.rule"])
        cls.rule = cls.env["erp.order.priority.rule"].create(
            {
                "name": "Reviewed amount rule",
                "criterion": "domain",
                "domain": "[]",
                "points": 5,
                "review_interval_days": 30,
                "review_user_id": cls.reviewer.id,
                "last_review_date": cls.today - timedelta(days=31),
            }
        )

    def test_due_rule_gets_review_activity(self):
        """Given a priority rule whose monthly review is overdue, when the
        review cron runs, then its responsible gets a review activity."""
        self.env["erp.stock.threshold"]._cron_schedule_reviews()
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "erp.order.priority.rule"),
                ("res_id", "=", self.rule.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("erp_virtual_stock.mail_activity_type_erp_review").id,
                ),
            ]
        )
        self.assertRecordValues(activities, [{"user_id": self.reviewer.id}])

    def test_review_archive(self):
        """Given a rule under review, when archived from the review screen,
        then it no longer scores orders (inactive)."""
        self.rule.action_review_archive()
        self.assertFalse(self.rule.active)
        self.assertEqual(self.rule.last_review_date, self.today)


@tagged("post_install", "-at_install")
class TestPriorityRuleReviewFacts(ErpPriorityCommon):
    def test_review_facts(self):
        """Given a rule for a VIP customer reviewed 10 days ago, two of
        their orders confirmed since (one late, one allocated by an applied
        run), one confirmed before the review, a quotation and a standard
        customer's order, when the review facts are read, then the rule
        scored 2 orders for 2 × 40 points, 1 late and 1 allocated (a
        simulated run does not count)."""
        today = fields.Date.context_today(self.env["erp.order.priority.rule"])
        now = fields.Datetime.now()
        rule = self._create_rule(
            name="VIP review",
            # the orders of this customer only (not those of demo data)
            criterion="domain",
            domain=f"[('partner_id', '=', {self.partner_vip.id})]",
            points=40,
            review_interval_days=30,
            last_review_date=today - timedelta(days=10),
        )
        self._set_stock(self.product, 100)
        late = self._create_order(
            self.partner_vip,
            [(self.product, 2)],
            commitment_date=now - timedelta(days=1),
        )
        on_time = self._create_order(
            self.partner_vip,
            [(self.product, 3)],
            commitment_date=now + timedelta(days=5),
        )
        before = self._create_order(self.partner_vip, [(self.product, 1)])
        standard = self._create_order(self.partner_standard, [(self.product, 1)])
        (late | on_time | before | standard).action_confirm()
        before.date_order = now - timedelta(days=20)
        self._create_order(self.partner_vip, [(self.product, 1)])
        for order, mode in ((on_time, "apply"), (late, "simulate")):
            run = self.env["erp.allocation.run"].create(
                {"warehouse_id": self.warehouse.id, "mode": mode}
            )
            self.env["erp.allocation.run.line"].create(
                {
                    "run_id": run.id,
                    "sale_line_id": order.order_line.id,
                    "product_id": self.product.id,
                    "allocated_qty": 2,
                }
            )
        self.assertEqual(late.priority_rule_ids, rule)
        rule.invalidate_recordset()
        self.assertRecordValues(
            rule,
            [
                {
                    "review_order_count": 2,
                    "review_points_total": 80,
                    "review_late_count": 1,
                    "review_allocated_count": 1,
                }
            ],
        )
