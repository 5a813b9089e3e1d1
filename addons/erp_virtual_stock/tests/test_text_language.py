# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestActivityLanguage(ShortageCommon):
    """Activities are stored text: they are written in their reader's
    language, whatever the language of the job that schedules them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["erp_virtual_stock"], ["zh_CN"], overwrite=True
        )
        cls.zh_user = new_test_user(
            cls.env,
            login="shortage_zh_buyer",
            groups="erp_virtual_stock.erp_virtual_stock_group_manager",
            lang="zh_CN",
        )
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))

    def test_alert_activity_in_responsible_language(self):
        """Given a Chinese-speaking responsible, when an English scan raises an
        alert, then its activity's summary and note are Chinese."""
        self._rule(
            self.wh_short,
            product_id=self.product.id,
            notify_user_ids=[self.zh_user.id],
        )
        self.env["erp.stock.alert"]._cron_scan_thresholds()
        activity = self._alerts(self.product, self.wh_short).activity_ids
        self.assertEqual(activity.summary, "库存低于最小数量")
        self.assertIn("低于最小库存", str(activity.note))

    def test_review_activity_in_reviewer_language(self):
        """Given a Chinese-speaking reviewer of an overdue rule, when the
        English review job runs, then the review activity is Chinese."""
        rule = self._rule(
            self.wh_short,
            product_id=self.product.id,
            review_interval_days=7,
            last_review_date=fields.Date.context_today(self.env.user)
            - timedelta(days=8),
            review_user_id=self.zh_user.id,
        )
        self.env["erp.stock.threshold"]._cron_schedule_reviews()
        activity = self.env["mail.activity"].search(
            [("res_model", "=", rule._name), ("res_id", "=", rule.id)]
        )
        self.assertEqual(activity.summary, "定期评审")
        self.assertIn("定期评审", str(activity.note))

    def test_alert_problem_note_in_company_language(self):
        """Given a Chinese company and a purchase rule for a product without
        vendor, when an English scan and the replenishment job it triggers
        cannot buy it, then the problem noted on the alert (read by everyone
        following it) is Chinese."""
        self.company.partner_id.lang = "zh_CN"
        self._rule(
            self.wh_short, product_id=self.product_novendor.id, action="purchase"
        )
        self.env["erp.stock.alert"]._cron_scan_thresholds()
        self._run_replenish_job()
        alert = self._alerts(self.product_novendor, self.wh_short)
        self.assertIn("没有供应商", alert.note)
