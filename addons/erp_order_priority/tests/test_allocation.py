from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestAllocationRun(ErpPriorityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_rule(criterion="customer_tier", customer_tier="vip", points=95)
        cls._create_rule(criterion="customer_tier", customer_tier="gold", points=40)
        # 3 orders of 4 units each, confirmed from lowest to highest priority,
        # while 6 units are on hand: Odoo reserves first come, first served.
        cls._set_stock(cls.product, 6)
        cls.order_std = cls._create_order(cls.partner_standard, [(cls.product, 4)])
        cls.order_std.action_confirm()
        cls.order_gold = cls._create_order(cls.partner_gold, [(cls.product, 4)])
        cls.order_gold.action_confirm()
        cls.order_vip = cls._create_order(cls.partner_vip, [(cls.product, 4)])
        cls.order_vip.action_confirm()
        cls.move_std = cls.order_std.picking_ids.move_ids
        cls.move_gold = cls.order_gold.picking_ids.move_ids
        cls.move_vip = cls.order_vip.picking_ids.move_ids

    def _run(self, mode, **vals):
        run = self.env["erp.allocation.run"].create(
            {"warehouse_id": self.warehouse.id, "mode": mode, **vals}
        )
        run.action_run()
        return run

    def test_initial_reservation_is_first_come(self):
        """Given the fixture, reservations are 4 / 2 / 0 in confirmation order."""
        self.assertEqual(
            [self.move_std.quantity, self.move_gold.quantity, self.move_vip.quantity],
            [4, 2, 0],
        )

    def test_simulate_plans_by_priority_and_changes_nothing(self):
        """Given partial stock, when simulating, lines plan VIP 4, gold 2,
        standard 0 and reservations stay as they were."""
        run = self._run("simulate")
        self.assertRecordValues(
            run.line_ids.sorted("rank"),
            [
                {
                    "order_id": self.order_vip.id,
                    "rank": 1,
                    "demanded_qty": 4,
                    "reserved_before": 0,
                    "allocated_qty": 4,
                    "short_qty": 0,
                    "reserved_after": 0,
                },
                {
                    "order_id": self.order_gold.id,
                    "rank": 2,
                    "demanded_qty": 4,
                    "reserved_before": 2,
                    "allocated_qty": 2,
                    "short_qty": 2,
                    "reserved_after": 2,
                },
                {
                    "order_id": self.order_std.id,
                    "rank": 3,
                    "demanded_qty": 4,
                    "reserved_before": 4,
                    "allocated_qty": 0,
                    "short_qty": 4,
                    "reserved_after": 4,
                },
            ],
        )
        self.assertEqual(
            [self.move_std.quantity, self.move_gold.quantity, self.move_vip.quantity],
            [4, 2, 0],
        )
        self.assertEqual(run.state, "done")
        self.assertEqual(run.changed_count, 2)

    def test_apply_re_reserves_as_planned(self):
        """Given partial stock, when applying, the stock is re-reserved exactly
        as planned: VIP 4, gold 2, standard 0."""
        run = self._run("apply")
        self.assertEqual(
            [self.move_vip.quantity, self.move_gold.quantity, self.move_std.quantity],
            [4, 2, 0],
        )
        for line in run.line_ids:
            self.assertEqual(line.reserved_after, line.allocated_qty)
        self.assertTrue(run.message_ids.filtered(lambda m: "applied" in (m.body or "")))

    def test_tie_broken_by_commitment_date(self):
        """Given two gold orders with the same score, the earlier delivery
        date is served first."""
        late = self._create_order(
            self.partner_gold,
            [(self.critical_product, 2)],
            commitment_date=self._now() + timedelta(days=20),
        )
        early = self._create_order(
            self.partner_gold,
            [(self.critical_product, 2)],
            commitment_date=self._now() + timedelta(days=5),
        )
        (late | early).action_confirm()
        self._set_stock(self.critical_product, 2)
        run = self._run("simulate", product_ids=[(6, 0, self.critical_product.ids)])
        lines = run.line_ids.sorted("rank")
        self.assertEqual(lines.mapped("order_id"), early | late)
        self.assertEqual(lines.mapped("allocated_qty"), [2, 0])

    def test_not_short_product_is_skipped(self):
        """Given enough stock, a run without products has no line for it."""
        self._set_stock(self.product, 100)
        run = self._run("simulate")
        self.assertFalse(
            run.line_ids.filtered(lambda line: line.product_id == self.product)
        )

    def test_run_twice_refused(self):
        """Given a done run, running it again raises."""
        run = self._run("simulate")
        with self.assertRaises(UserError):
            run.action_run()

    def test_other_company_warehouse_refused(self):
        """Given a warehouse of a company the user does not work in, running an
        allocation on it raises and creates no line."""
        other = self.env["res.company"].create({"name": "Other Priority Co"})
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", other.id)], limit=1
        )
        run = (
            self.env["erp.allocation.run"]
            .with_company(other)
            .create(
                {
                    "warehouse_id": warehouse.id,
                    "company_id": other.id,
                    "mode": "apply",
                }
            )
        )
        with self.assertRaises(UserError):
            run.with_context(allowed_company_ids=self.company.ids).action_run()
        self.assertFalse(run.line_ids)

    def test_scheduled_run(self):
        """Given a warehouse with scheduled allocation, the cron applies a run."""
        self.warehouse.erp_allocation_scheduled = True
        self.env["erp.allocation.run"]._cron_scheduled_allocation()
        run = self.env["erp.allocation.run"].search(
            [("warehouse_id", "=", self.warehouse.id)], limit=1
        )
        self.assertEqual(run.mode, "apply")
        self.assertEqual(self.move_vip.quantity, 4)
