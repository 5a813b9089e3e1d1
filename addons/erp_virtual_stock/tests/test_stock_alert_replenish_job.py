# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..models.erp_stock_replenishment import ErpStockReplenishment
from .shortage_common import ShortageCommon

JOB_XMLID = "erp_virtual_stock.ir_cron_replenish_stock_alerts"


@tagged("post_install", "-at_install")
class TestStockAlertReplenishJob(ShortageCommon):
    """Confirming an order raises the alert at once and leaves its
    replenishment (RFQ, transfer) to the job triggered at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Job Customer"})
        cls.job = cls.env.ref(JOB_XMLID)
        cls._set_stock(cls.product, cls.wh_short, 15)
        cls._set_stock(cls.product_b, cls.wh_short, 15)
        # alerts of the database left pending (demo data) are not ours
        cls.Alert.search([("replenish_state", "=", "pending")]).replenish_state = False

    def _order(self, lines, user=None):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": (user or self.env.user).id,
                "warehouse_id": self.wh_short.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )

    def _category_rule(self, action="purchase"):
        return self._rule(
            self.wh_short,
            product_categ_id=self.categ_child.id,
            basis="virtual_stock",
            action=action,
        )

    def _triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.job.id)])

    def _rfq_lines(self, product):
        return self.env["purchase.order.line"].search(
            [("product_id", "=", product.id), ("order_id.state", "=", "draft")]
        )

    def test_confirmation_leaves_alert_pending_and_triggers_job(self):
        """Given a purchase rule, when an order takes the stock below the
        minimum, then the alert is open at once, pending replenishment, no
        RFQ exists yet and the job is triggered for now."""
        self._category_rule()
        triggers_before = self._triggers()
        order = self._order([(self.product, 8)])
        order.action_confirm()
        alert = self._alerts(self.product, self.wh_short)
        self.assertRecordValues(
            alert,
            [{"state": "open", "replenish_state": "pending", "qty_at_trigger": 7}],
        )
        self.assertFalse(alert.purchase_line_ids)
        self.assertFalse(self._rfq_lines(self.product))
        new_triggers = self._triggers() - triggers_before
        self.assertTrue(new_triggers)
        self.assertLessEqual(min(new_triggers.mapped("call_at")), fields.Datetime.now())

    def test_job_creates_rfq(self):
        """Given a pending alert of a purchase rule, the job buys the refill
        (30 - 7 = 23) and the alert is in progress, replenished."""
        self._category_rule()
        self._order([(self.product, 8)]).action_confirm()
        alert = self._alerts(self.product, self.wh_short)
        self.Alert._cron_replenish_pending()
        self.assertRecordValues(
            alert, [{"state": "in_progress", "replenish_state": "done"}]
        )
        self.assertRecordValues(
            alert.purchase_line_ids, [{"product_qty": 23, "partner_id": self.vendor.id}]
        )
        # run again: nothing pending, nothing ordered twice
        self.assertFalse(self.Alert._cron_replenish_pending())
        self.assertEqual(sum(self._rfq_lines(self.product).mapped("product_qty")), 23)

    def test_job_creates_transfer(self):
        """Given a transfer rule and a surplus elsewhere, the job creates the
        transfer; the confirmation alone did not."""
        self._set_stock(self.product, self.wh_surplus, 100)
        self._category_rule(action="transfer")
        self._order([(self.product, 8)]).action_confirm()
        alert = self._alerts(self.product, self.wh_short)
        self.assertFalse(alert.picking_ids)
        self.Alert._cron_replenish_pending()
        self.assertEqual(alert.picking_ids.move_ids.product_uom_qty, 23)
        self.assertEqual(alert.state, "in_progress")

    def test_failure_keeps_order_and_batch(self):
        """Given two pending alerts whose first replenishment crashes after
        creating an RFQ line, the job rolls back that alert's work only, notes
        the error on it (in the company's language) and replenishes the
        other; the order stays confirmed."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["erp_virtual_stock"], ["zh_CN"], overwrite=True
        )
        self.company.partner_id.lang = "zh_CN"
        self._category_rule()
        order = self._order([(self.product, 8), (self.product_b, 8)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        failing = self._alerts(self.product, self.wh_short)
        other = self._alerts(self.product_b, self.wh_short)
        original = ErpStockReplenishment._replenish_by_purchase

        def crash_for_product(alert, need):
            lines = original(alert, need)
            if alert.product_id == self.product:
                raise ValueError("vendor portal unreachable")
            return lines

        with (
            patch.object(
                ErpStockReplenishment,
                "_replenish_by_purchase",
                autospec=True,
                side_effect=crash_for_product,
            ),
            self.assertLogs(
                "odoo.addons.erp_virtual_stock.models.erp_stock_replenishment",
                level="ERROR",
            ),
        ):
            self.Alert._cron_replenish_pending()
        self.assertEqual(order.state, "sale")
        self.assertRecordValues(
            failing, [{"state": "open", "replenish_state": "failed"}]
        )
        self.assertFalse(failing.purchase_line_ids)
        self.assertFalse(self._rfq_lines(self.product))
        self.assertIn("补货失败", failing.note)
        self.assertIn("vendor portal unreachable", failing.note)
        self.assertRecordValues(
            other, [{"state": "in_progress", "replenish_state": "done"}]
        )
        self.assertEqual(other.purchase_line_ids.product_qty, 23)

    def test_user_error_noted_and_retried(self):
        """Given a product without vendor, the job notes why on the alert
        (failed); the next change of its stock marks it pending again."""
        self._set_stock(self.product_novendor, self.wh_short, 15)
        self._category_rule()
        self._order([(self.product_novendor, 8)]).action_confirm()
        alert = self._alerts(self.product_novendor, self.wh_short)
        self.Alert._cron_replenish_pending()
        self.assertEqual(alert.replenish_state, "failed")
        self.assertIn("no vendor", alert.note)
        self._order([(self.product_novendor, 1)]).action_confirm()
        self.assertEqual(alert.replenish_state, "pending")

    def test_batches_report_progress(self):
        """Given 5 pending alerts and batches of 2, each call replenishes 2
        (then 1) and reports to the cron what is done and what remains."""
        products = self.product | self.product_b
        for index in range(3):
            product = self._create_product(f"Job Batch {index}", self.categ_child)
            self._set_stock(product, self.wh_short, 15)
            products |= product
        self._category_rule()
        self._order([(product, 8) for product in products]).action_confirm()
        alerts = self.Alert.search([("replenish_state", "=", "pending")])
        self.assertEqual(len(alerts), 5)
        progress_seen = []
        for _call in range(3):
            job, progress = self.job._add_progress()
            batch = self.Alert.with_context(
                ir_cron_progress_id=job.env.context["ir_cron_progress_id"]
            )._cron_replenish_pending(batch_size=2)
            progress_seen.append((len(batch), progress.done, progress.remaining))
        self.assertEqual(progress_seen, [(2, 2, 3), (2, 2, 1), (1, 1, 0)])
        self.assertEqual(alerts.mapped("replenish_state"), ["done"] * 5)
        self.assertEqual(len(alerts.purchase_line_ids), 5)

    def test_alert_resolved_while_pending_is_skipped(self):
        """Given a pending alert resolved (order cancelled) before the job
        runs, the job orders nothing and clears the pending state."""
        self._category_rule()
        order = self._order([(self.product, 8)])
        order.action_confirm()
        alert = self._alerts(self.product, self.wh_short)
        order._action_cancel()
        self.assertEqual(alert.state, "resolved")
        self.Alert._cron_replenish_pending()
        self.assertFalse(alert.replenish_state)
        self.assertFalse(self._rfq_lines(self.product))

    def test_sales_user_confirms_and_job_replenishes_as_root(self):
        """Given a Sales / User without any group of the addons, the
        confirmation raises the pending alert and triggers the job; the job,
        run as its own user (root) like the cron does, buys the refill."""
        salesman = new_test_user(
            self.env, login="job_salesman", groups="sales_team.group_sale_salesman"
        )
        self.assertFalse(
            salesman.has_group("erp_virtual_stock.erp_virtual_stock_group_user")
        )
        self._category_rule()
        triggers_before = self._triggers()
        order = self._order([(self.product, 8)], user=salesman)
        order.with_user(salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(self._triggers() - triggers_before)
        alert = self._alerts(self.product, self.wh_short)
        self.assertEqual(alert.replenish_state, "pending")
        with self.assertRaises(UserError):
            # the salesman cannot run the job's action himself
            self.job.with_user(salesman).method_direct_trigger()
        self.assertEqual(self.job.user_id, self.env.ref("base.user_root"))
        self.job.method_direct_trigger()
        self.assertRecordValues(
            alert, [{"state": "in_progress", "replenish_state": "done"}]
        )
        self.assertEqual(alert.purchase_line_ids.product_qty, 23)
