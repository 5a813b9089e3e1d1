# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestStockAlert(ShortageCommon):
    def _scan(self):
        """The scheduled scan, then the replenishment job it triggers."""
        self.Alert._cron_scan_thresholds()
        self._run_replenish_job()

    def test_scan_raises_alert_below_min(self):
        """Given 4 on hand and a minimum of 10, when the scan runs, then one
        open alert records the quantities."""
        rule = self._rule(self.wh_short, product_id=self.product.id)
        self._set_stock(self.product, self.wh_short, 4)
        self._scan()
        self.assertRecordValues(
            self._alerts(self.product, self.wh_short),
            [
                {
                    "threshold_id": rule.id,
                    "state": "open",
                    "qty_at_trigger": 4,
                    "min_qty": 10,
                    "shortage_qty": 6,
                    "refill_qty": 26,
                }
            ],
        )

    def test_scan_no_alert_at_min(self):
        """Given exactly the minimum on hand, the scan raises no alert."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._set_stock(self.product, self.wh_short, 10)
        self._scan()
        self.assertFalse(self._alerts(self.product, self.wh_short))

    def test_scan_is_idempotent(self):
        """Given an open alert, when the scan runs again, then no second alert
        is raised."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        self._scan()
        self.assertEqual(len(self._alerts(self.product, self.wh_short)), 1)

    def test_category_rule_alerts_each_product(self):
        """Given a category rule, the scan raises one alert per short product
        of the category."""
        self._rule(self.wh_short, product_categ_id=self.categ_child.id)
        self._set_stock(self.product_b, self.wh_short, 50)
        self._scan()
        alerts = self._alerts(warehouse=self.wh_short)
        self.assertIn(self.product, alerts.product_id)
        self.assertIn(self.product_novendor, alerts.product_id)
        self.assertNotIn(self.product_b, alerts.product_id)

    def test_database_refuses_second_open_alert(self):
        """Given an open alert, a second open alert for the same product,
        warehouse and rule is refused by the database."""
        rule = self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Alert.create(
                {
                    "product_id": self.product.id,
                    "warehouse_id": self.wh_short.id,
                    "threshold_id": rule.id,
                    "company_id": self.company.id,
                }
            )
            self.env.flush_all()

    def test_alert_resolves_when_stock_back(self):
        """Given an open alert, when stock is back to the minimum and the scan
        runs, then the alert is resolved with a date."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self._set_stock(self.product, self.wh_short, 12)
        self._scan()
        self.assertEqual(alert.state, "resolved")
        self.assertTrue(alert.date_resolved)

    def test_new_alert_after_resolution(self):
        """Given a resolved alert, when stock falls again, a new alert opens."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        first = self._alerts(self.product, self.wh_short)
        self._set_stock(self.product, self.wh_short, 12)
        self._scan()
        self._set_stock(self.product, self.wh_short, -8)
        self._scan()
        second = self._alerts(self.product, self.wh_short)
        self.assertTrue(second)
        self.assertNotEqual(first, second)

    def test_alert_notifies_responsible_users(self):
        """Given a rule with a responsible user, a new alert schedules an
        activity for him and posts the alert email."""
        self._rule(
            self.wh_short,
            product_id=self.product.id,
            notify_user_ids=[self.stock_user.id],
        )
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.activity_ids.user_id, self.stock_user)
        self.assertEqual(
            alert.activity_ids.activity_type_id,
            self.env.ref("erp_virtual_stock.mail_activity_type_stock_alert"),
        )
        mails = alert.message_ids.filtered(lambda m: "Stock alert" in (m.subject or ""))
        self.assertTrue(mails)
        self.assertIn(self.stock_user.partner_id, mails.partner_ids)

    def test_acknowledge_closes_activity(self):
        """Given an alert with an activity, acknowledging records who and when
        and marks the activity done."""
        self._rule(
            self.wh_short,
            product_id=self.product.id,
            notify_user_ids=[self.stock_user.id],
        )
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        alert.with_user(self.stock_user).action_acknowledge()
        self.assertEqual(alert.acknowledged_by_id, self.stock_user)
        self.assertFalse(alert.activity_ids)
        self.assertEqual(alert.state, "open")

    def test_ignore_requires_reason(self):
        """Given an open alert, ignoring without a reason fails and with a
        reason ignores the alert."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        with self.assertRaises(UserError):
            alert._do_ignore("  ")
        action = alert.action_ignore()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Product is being discontinued"
        wizard.save().action_confirm()
        self.assertRecordValues(
            alert,
            [{"state": "ignored", "ignore_reason": "Product is being discontinued"}],
        )

    def test_ignored_alert_not_raised_again_until_reopen(self):
        """Given an ignored alert, the scan raises a new one (the ignored
        alert is closed), and reopening the old one is then refused."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        alert._do_ignore("Known")
        self._scan()
        self.assertTrue(self._alerts(self.product, self.wh_short))
        with self.assertRaises(UserError):
            alert.action_reopen()

    def test_reopen_ignored_alert(self):
        """Given an ignored alert and no other open alert, reopen sets it
        back to open and clears the reason."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        alert._do_ignore("Known")
        alert.action_reopen()
        self.assertRecordValues(alert, [{"state": "open", "ignore_reason": False}])

    def test_picking_type_counter(self):
        """Given an open alert, the warehouse's receipt type counts it on the
        Inventory overview."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        self.assertEqual(self.wh_short.in_type_id.erp_stock_alert_count, 1)
        self.assertEqual(self.wh_surplus.in_type_id.erp_stock_alert_count, 0)
        action = self.wh_short.in_type_id.action_open_erp_stock_alerts()
        self.assertEqual(action["res_model"], "erp.stock.alert")

    def test_shortage_report_renders(self):
        """Given alerts, the Shortage Report PDF renders their products."""
        self._rule(self.wh_short, product_id=self.product.id)
        self._scan()
        alert = self._alerts(self.product, self.wh_short)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "erp_virtual_stock.report_erp_stock_shortage", alert.ids
        )[0]
        self.assertIn(self.product.name, html.decode())
        self.assertIn(alert.name, html.decode())
