# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

ALERTS = 5


@tagged("post_install", "-at_install")
class TestReplenishClaim(BaseCase):
    """Two real transactions claim pending alerts at the same time: each
    alert goes to one of them only, and a buyer cannot replenish by hand an
    alert the job holds.

    The fixture is committed (other cursors must see it) and removed in the
    class cleanup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            products = env["product.product"].create(
                [
                    {"name": f"Claim Widget {i}", "type": "consu", "is_storable": True}
                    for i in range(ALERTS)
                ]
            )
            rule = env["erp.stock.threshold"].create(
                {
                    "name": "Claim rule",
                    "warehouse_id": warehouse.id,
                    "product_id": products[0].id,
                    "min_qty": 1,
                    "target_qty": 2,
                    "action": "purchase",
                }
            )
            alerts = env["erp.stock.alert"].create(
                [
                    {
                        "threshold_id": rule.id,
                        "product_id": product.id,
                        "warehouse_id": warehouse.id,
                        "company_id": warehouse.company_id.id,
                        "min_qty": 1,
                        "target_qty": 2,
                        "replenish_state": "pending",
                    }
                    for product in products
                ]
            )
            suggestion = env["erp.replenishment.suggestion"].create(
                {
                    "kind": "purchase",
                    "product_id": products[0].id,
                    "warehouse_id": warehouse.id,
                    "quantity": 2,
                }
            )
            cls.product_ids = products.ids
            cls.rule_id = rule.id
            cls.alert_ids = alerts.ids
            cls.suggestion_id = suggestion.id

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["erp.replenishment.suggestion"].browse(cls.suggestion_id).unlink()
            env["erp.stock.alert"].browse(cls.alert_ids).unlink()
            env["erp.stock.threshold"].browse(cls.rule_id).unlink()
            products = env["product.product"].browse(cls.product_ids)
            templates = products.product_tmpl_id
            products.unlink()
            templates.unlink()

    def _env(self, cr):
        # the test server holds Registry._lock in the main thread: give the
        # cursor its transaction instead of letting Odoo look the registry up
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_concurrent_claims_never_share_an_alert(self):
        """Given 5 pending alerts, when a first job claims 3 and, before it
        commits, a second claims up to 100, then the second gets the 2 others
        only, and the first one's alerts cannot be replenished by hand."""
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self._env(cr_a), self._env(cr_b)
            Alert_a, Alert_b = env_a["erp.stock.alert"], env_b["erp.stock.alert"]
            pending = Alert_a.search([("replenish_state", "=", "pending")])
            self.assertEqual(sorted(pending.ids), sorted(self.alert_ids))
            first = Alert_a._claim_pending_alerts(3)
            second = Alert_b._claim_pending_alerts(100)
            self.assertEqual(len(first), 3)
            self.assertEqual(len(second), 2)
            self.assertFalse(set(first.ids) & set(second.ids))
            with self.assertRaises(UserError):
                Alert_b.browse(first.ids[0])._lock_for_replenishment()
            cr_a.rollback()
            cr_b.rollback()
        # once the first transaction is over, its alerts can be claimed again
        with self.registry.cursor() as cr:
            claimed = self._env(cr)["erp.stock.alert"]._claim_pending_alerts(100)
            self.assertEqual(sorted(claimed.ids), sorted(self.alert_ids))
            cr.rollback()

    def test_suggestion_approved_by_two_buyers_at_once(self):
        """Given a suggestion a first buyer is approving (its row locked,
        not yet committed), when a second buyer approves it, then the second
        is told at once that someone else is on it (no wait, nothing
        ordered), and can approve once the first transaction is over."""
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self._env(cr_a), self._env(cr_b)
            Suggestion = "erp.replenishment.suggestion"
            env_a[Suggestion].browse(self.suggestion_id)._lock_for_approval()
            with self.assertRaisesRegex(UserError, "someone else"):
                env_b[Suggestion].browse(self.suggestion_id).action_approve()
            self.assertFalse(
                env_b["purchase.order.line"].search_count(
                    [("product_id", "=", self.product_ids[0])]
                )
            )
            cr_a.rollback()
            # the lock is gone with the first transaction
            env_b[Suggestion].browse(self.suggestion_id)._lock_for_approval()
            cr_b.rollback()
