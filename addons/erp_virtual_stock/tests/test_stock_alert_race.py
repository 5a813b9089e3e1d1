# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged


@tagged("post_install", "-at_install")
class TestStockAlertRace(BaseCase):
    """An order confirmation (the immediate trigger of its products) and the
    hourly scan raise the same alert in two real transactions: whichever
    commits second neither fails nor duplicates the alert.

    The fixture is committed (the other cursor must see it) and removed in
    the class cleanup, with the alerts the scans raised."""

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
            product = env["product.product"].create(
                {"name": "Race Widget", "type": "consu", "is_storable": True}
            )
            rule = env["erp.stock.threshold"].create(
                {
                    "name": "Race rule",
                    "warehouse_id": warehouse.id,
                    "product_id": product.id,
                    "basis": "virtual_stock",
                    "min_qty": 10,
                    "target_qty": 30,
                    "action": "notify",
                }
            )
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM erp_stock_alert")
            cls.last_alert_id = cr.fetchone()[0]
            cls.warehouse_id = warehouse.id
            cls.product_id = product.id
            cls.rule_id = rule.id

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["erp.stock.alert"].search([("id", ">", cls.last_alert_id)]).unlink()
            env["erp.stock.threshold"].browse(cls.rule_id).unlink()
            product = env["product.product"].browse(cls.product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()

    def _env(self, cr):
        # the test server holds Registry._lock in the main thread: give the
        # cursor its transaction instead of letting Odoo look the registry up
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def _open_alerts(self):
        with self.registry.cursor() as cr:
            return self._env(cr)["erp.stock.alert"].search_count(
                [
                    ("product_id", "=", self.product_id),
                    ("state", "in", ["open", "in_progress"]),
                ]
            )

    def _race(self, first, second):
        """``second`` starts its transaction (its snapshot), ``first`` raises
        the alert and commits, then ``second`` evaluates: it cannot see the
        committed alert and meets it in the unique index."""
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self._env(cr_a), self._env(cr_b)
            warehouse_a = env_a["stock.warehouse"].browse(self.warehouse_id)
            warehouse_b = env_b["stock.warehouse"].browse(self.warehouse_id)
            Alert_b = env_b["erp.stock.alert"]
            self.assertFalse(Alert_b.search([("product_id", "=", self.product_id)]))
            raised = first(env_a["erp.stock.alert"], warehouse_a)
            self.assertEqual(raised.product_id.ids, [self.product_id])
            cr_a.commit()
            second_raised = second(Alert_b, warehouse_b)
            self.assertNotIn(self.product_id, second_raised.product_id.ids)
            cr_b.commit()
        self.assertEqual(self._open_alerts(), 1)

    def _trigger(self, Alert, warehouse):
        # what the ledger rows of a confirmation run (sudo there)
        return Alert._evaluate_thresholds(warehouse, [self.product_id])

    def _scan(self, Alert, warehouse):
        return Alert._evaluate_thresholds(warehouse)

    def test_1_confirmation_after_the_scan(self):
        """Given the scan committed the alert while an order was being
        confirmed, the confirmation's trigger raises nothing and fails
        not."""
        self._race(self._scan, self._trigger)

    def test_2_scan_after_the_confirmation(self):
        """Given a confirmation committed the alert during the scan, the
        scan raises nothing more and fails not (the other alerts of the
        company are evaluated)."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["erp.stock.alert"].search([("id", ">", self.last_alert_id)]).unlink()
        self._race(self._trigger, self._scan)
