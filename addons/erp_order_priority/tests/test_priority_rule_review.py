# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon


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
