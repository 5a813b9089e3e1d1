# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .demand_forecast_common import DemandForecastCommon


@tagged("post_install", "-at_install")
class TestReview(DemandForecastCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = new_test_user(
            cls.env,
            login="forecast_reviewer",
            groups="erp_virtual_stock.erp_virtual_stock_group_manager",
        )
        cls.activity_type = cls.env.ref(
            "erp_virtual_stock.mail_activity_type_erp_review"
        )

    def _rule(self, **vals):
        return self.env["erp.stock.threshold"].create(
            {
                "name": "Reviewed rule",
                "warehouse_id": self.wh.id,
                "product_id": self.product.id,
                "min_qty": 5,
                "target_qty": 10,
                "review_interval_days": 7,
                "review_user_id": self.reviewer.id,
                **vals,
            }
        )

    def _review_activities(self, records):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_next_review_date(self):
        """Given a weekly review last done 3 days ago, then the next review
        is in 4 days and it is not due."""
        rule = self._rule(last_review_date=self.today - timedelta(days=3))
        self.assertEqual(rule.next_review_date, self.today + timedelta(days=4))
        self.assertFalse(rule.review_due)

    def test_cron_schedules_due_review_once(self):
        """Given a rule whose review is overdue, when the cron runs twice,
        then its responsible gets one review activity."""
        rule = self._rule(last_review_date=self.today - timedelta(days=8))
        not_due = self._rule(
            name="Fresh rule",
            warehouse_id=self.wh_2.id,
            last_review_date=self.today,
        )
        self.env["erp.stock.threshold"]._cron_schedule_reviews()
        self.env["erp.stock.threshold"]._cron_schedule_reviews()
        activities = self._review_activities(rule | not_due)
        self.assertRecordValues(
            activities, [{"res_id": rule.id, "user_id": self.reviewer.id}]
        )

    def test_virtual_entry_review_scheduled(self):
        """Given a virtual stock entry due for review, when the cron runs,
        then it gets a review activity."""
        entry = self.env["erp.virtual.stock"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.wh.id,
                "quantity": 5,
                "review_interval_days": 1,
                "last_review_date": self.today - timedelta(days=2),
            }
        )
        self.env["erp.stock.threshold"]._cron_schedule_reviews()
        self.assertEqual(len(self._review_activities(entry)), 1)

    def test_review_done_closes_activity(self):
        """Given a scheduled review, when marked reviewed, then the activity
        is done and the next review is one interval away."""
        rule = self._rule(last_review_date=self.today - timedelta(days=8))
        self.env["erp.stock.threshold"]._cron_schedule_reviews()
        rule.action_review_done()
        self.assertFalse(self._review_activities(rule))
        self.assertEqual(rule.next_review_date, self.today + timedelta(days=7))

    def test_review_archive(self):
        """Given a rule under review, when archived from the review, then it
        is inactive."""
        rule = self._rule()
        rule.action_review_archive()
        self.assertFalse(rule.active)

    def test_entry_review_facts_and_extend(self):
        """Given an active entry started 10 days ago and 12 units sold since,
        then the review shows 12; extending pushes the end by the interval."""
        self._set_stock(self.product, 50)
        entry = self.env["erp.virtual.stock"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.wh.id,
                "quantity": 5,
                "date_start": self.today - timedelta(days=10),
                "date_end": self.today + timedelta(days=2),
                "review_interval_days": 14,
            }
        )
        entry.action_activate()
        self._move_done(self.product, 12, 3)
        self._move_done(self.product, 20, 30)  # before the entry started
        entry.invalidate_recordset()
        self.assertAlmostEqual(entry.review_sales_qty, 12.0)
        entry.action_review_extend()
        self.assertEqual(entry.date_end, self.today + timedelta(days=16))
        self.assertEqual(entry.last_review_date, self.today)


@tagged("post_install", "-at_install")
class TestDemandForecastAccess(DemandForecastCommon):
    def test_user_reads_but_cannot_write(self):
        """Given a virtual stock user, then they read forecasts but cannot
        create them."""
        user = new_test_user(
            self.env,
            login="forecast_user",
            groups="erp_virtual_stock.erp_virtual_stock_group_user",
        )
        self._set_stock(self.product, 10)
        rows = self._refresh()
        self.assertTrue(rows.with_user(user).read(["demand_rate"]))
        with self.assertRaises(AccessError):
            self.Forecast.with_user(user).create(
                {
                    "product_id": self.product.id,
                    "warehouse_id": self.wh.id,
                    "company_id": self.company.id,
                    "date": self.today,
                }
            )

    def test_other_company_hidden(self):
        """Given a forecast of another company, then a user of this company
        does not see it."""
        company_2 = self.env["res.company"].create({"name": "Forecast Co 2"})
        wh_other = self.env["stock.warehouse"].search(
            [("company_id", "=", company_2.id)], limit=1
        )
        row = self.Forecast.create(
            {
                "product_id": self.product.id,
                "warehouse_id": wh_other.id,
                "company_id": company_2.id,
                "date": self.today,
            }
        )
        user = new_test_user(
            self.env,
            login="forecast_user_c1",
            groups="erp_virtual_stock.erp_virtual_stock_group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        self.assertNotIn(row, self.Forecast.with_user(user).search([]))
