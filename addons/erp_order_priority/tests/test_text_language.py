# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user, tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestTextLanguage(ErpPriorityCommon):
    """Texts kept on records read in the language of their reader."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["erp_order_priority"], ["zh_CN"], overwrite=True
        )
        cls.env_en = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env_zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_priority_explanation_in_reader_language(self):
        """Given a rule "Silver customers" (银牌客户 in Chinese) scored by an
        English session, when a Chinese user reads the order, then the
        explanation is Chinese, and an English reader still reads English after
        a Chinese session recomputed the score."""
        rule = self._create_rule(
            name="Silver customers",
            criterion="customer_tier",
            customer_tier="standard",
            points=10,
        )
        rule.with_env(self.env_zh).name = "银牌客户"
        order = self.env_en["sale.order"].create(
            {
                "partner_id": self.partner_standard.id,
                "warehouse_id": self.warehouse.id,
            }
        )
        order.flush_recordset()
        self.assertEqual(order.priority_score, 10)
        self.assertEqual(
            order.with_env(self.env_zh).priority_explanation,
            "银牌客户（客户等级）：+10",
        )
        order.with_env(self.env_zh)._erp_recompute_priority()
        order.invalidate_recordset()
        self.assertEqual(
            order.with_env(self.env_en).priority_explanation,
            "Silver customers (Customer Tier): +10",
        )
        self.assertEqual(
            order.with_env(self.env_zh).priority_explanation,
            "银牌客户（客户等级）：+10",
        )

    def test_assignment_activity_in_assignee_language(self):
        """Given a Chinese-speaking salesperson, when an English session creates
        an order that a rule assigns to him, then the activity's summary and
        note are Chinese."""
        user = new_test_user(
            self.env,
            login="erp_op_zh_sales",
            groups="sales_team.group_sale_salesman",
            lang="zh_CN",
        )
        self.env["erp.order.assignment.rule"].create(
            {
                "name": "VIP to the Chinese desk",
                "domain": "[('partner_id.customer_tier', '=', 'vip')]",
                "user_id": user.id,
                "apply_on": "both",
            }
        )
        order = self.env_en["sale.order"].create(
            {"partner_id": self.partner_vip.id, "warehouse_id": self.warehouse.id}
        )
        activity = order.activity_ids.filtered(lambda a: a.user_id == user)
        self.assertEqual(activity.summary, "新订单已分派")
        self.assertIn("已由规则", str(activity.note))
