# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestBackorderProcessing(ErpPriorityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse.virtual_incoming_days = 30
        cls._create_rule(criterion="customer_tier", customer_tier="vip", points=95)
        cls._create_rule(criterion="customer_tier", customer_tier="gold", points=40)
        # 6 on hand, reserved first come first served: standard 4, gold 2,
        # VIP 0; 10 more arrive in 5 days
        cls._set_stock(cls.product, 6)
        cls.orders = {}
        for key, partner in (
            ("std", cls.partner_standard),
            ("gold", cls.partner_gold),
            ("vip", cls.partner_vip),
        ):
            order = cls._create_order(partner, [(cls.product, 4)])
            order.action_confirm()
            cls.orders[key] = order
        cls.receipt = cls._receive(cls.product, 10, days=5)
        cls.day5 = fields.Date.to_date(cls.receipt.move_ids.date)
        cls.today = fields.Date.context_today(cls.env["erp.allocation.run"])

    @classmethod
    def _receive(cls, product, qty, days):
        supplier = cls.env.ref("stock.stock_location_suppliers")
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": cls.stock_location.id,
                "scheduled_date": fields.Datetime.now() + timedelta(days=days),
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": supplier.id,
                            "location_dest_id": cls.stock_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _run(self, mode, **vals):
        run = self.env["erp.allocation.run"].create(
            {"warehouse_id": self.warehouse.id, "mode": mode, **vals}
        )
        run.action_run()
        return run

    def _variant(self, *segments):
        return self.env["erp.allocation.variant"].create(
            {
                "name": "Test variant",
                "warehouse_id": self.warehouse.id,
                "segment_ids": [
                    Command.create({"name": name, "domain": domain, "strategy": s})
                    for name, domain, s in segments
                ],
            }
        )

    def _line(self, run, key):
        return run.line_ids.filtered(lambda line: line.order_id == self.orders[key])

    def _new_vip_order_wins_gold_fills(self):
        """A new VIP order of 6, then an applied run with incoming supply
        under a variant where VIP wins and gold fills: (order, run)."""
        vip2 = self._create_order(self.partner_vip, [(self.product, 6)])
        vip2.action_confirm()
        variant = self._variant(
            ("VIP", "[('order_id.partner_id.customer_tier', '=', 'vip')]", "win"),
            ("Gold", "[('order_id.partner_id.customer_tier', '=', 'gold')]", "fill"),
        )
        run = self._run("apply", variant_id=variant.id, include_incoming=True)
        return vip2, run

    def _moves(self):
        return {key: order.picking_ids.move_ids for key, order in self.orders.items()}

    def test_simulate_with_incoming_confirms_dates_and_changes_nothing(self):
        """Given 6 on hand and 10 arriving on day 5, when simulating with
        incoming supply, VIP is confirmed today, gold 2 today and 2 on day
        5, standard on day 5; reservations and order lines stay as they
        were."""
        run = self._run("simulate", include_incoming=True)
        expected = {
            "vip": (4, 4, self.today, self.today),
            "gold": (2, 4, self.day5, self.day5),
            "std": (0, 4, self.day5, self.day5),
        }
        for key, (allocated, confirmed, date, promise) in expected.items():
            line = self._line(run, key)
            self.assertEqual(
                (
                    line.allocated_qty,
                    line.confirmed_qty,
                    line.confirmed_date,
                    line.promise_date_after,
                    line.strategy,
                ),
                (allocated, confirmed, date, promise, "redistribute"),
                key,
            )
        moves = self._moves()
        self.assertEqual(
            [moves[key].quantity for key in ("std", "gold", "vip")], [4, 2, 0]
        )
        self.assertFalse(self.orders["vip"].order_line.erp_confirmed_date)

    def test_without_incoming_short_lines_have_no_date(self):
        """Given only stock on hand, a line not covered in full has no
        promise date after the run."""
        run = self._run("simulate", variant_id=self._variant().id)
        self.assertFalse(self._line(run, "vip").promise_date_after)

    def test_variant_fill_protects_lower_lines(self):
        """Given a variant where VIP wins and gold fills, standard outside
        every segment (fill): the holdings stay, VIP is confirmed on day 5
        from the receipt."""
        variant = self._variant(
            ("VIP", "[('order_id.partner_id.customer_tier', '=', 'vip')]", "win"),
            ("Gold", "[('order_id.partner_id.customer_tier', '=', 'gold')]", "fill"),
        )
        run = self._run("apply", variant_id=variant.id, include_incoming=True)
        moves = self._moves()
        self.assertEqual(
            [moves[key].quantity for key in ("std", "gold", "vip")], [4, 2, 0]
        )
        vip = self._line(run, "vip")
        self.assertEqual((vip.strategy, vip.rank), ("win", 1))
        self.assertEqual(self._line(run, "std").strategy, "fill")
        vip_line = self.orders["vip"].order_line
        self.assertEqual(vip_line.erp_confirmed_date, self.day5)
        self.assertEqual(vip_line.erp_confirmed_qty, 4)
        self.assertEqual(vip_line.promise_date, self.day5)
        # gold keeps 2, never gains from the receipt
        gold_line = self.orders["gold"].order_line
        self.assertEqual(gold_line.erp_confirmed_qty, 2)

    def test_fill_keeps_its_promise_on_future_supply(self):
        """Given an applied run that confirmed gold 2 today and 2 on day 5
        and standard 4 on day 5 from the receipt of 10, when a new VIP order
        of 6 wins under a variant where gold and standard fill, then gold
        and standard keep their day-5 promises and the new order gets only
        the 4 left of the receipt."""
        self._run("apply", include_incoming=True)
        self.assertEqual(
            (
                self.orders["gold"].order_line.erp_confirmed_qty,
                self.orders["gold"].order_line.erp_confirmed_date,
            ),
            (4, self.day5),
        )
        vip2, run = self._new_vip_order_wins_gold_fills()
        for key in ("gold", "std"):
            line = self._line(run, key)
            self.assertEqual(
                (line.strategy, line.confirmed_qty, line.confirmed_date),
                ("fill", 4, self.day5),
                key,
            )
            self.assertEqual(self.orders[key].order_line.promise_date, self.day5)
        new = run.line_ids.filtered(lambda line: line.order_id == vip2)
        self.assertEqual(
            (new.strategy, new.confirmed_qty, new.promise_date_after),
            ("win", 4, False),
        )

    def test_fill_keeps_its_promise_after_a_partial_delivery(self):
        """Given gold's 2 reserved delivered (its backorder of 2 open) and an
        applied run that confirmed gold's line 4 (2 delivered, 2 on day 5),
        when a new VIP order of 6 wins under a variant where gold fills,
        then gold keeps its 2 on day 5: the delivered part is not taken off
        its promise twice."""
        self._deliver(self.orders["gold"].picking_ids, {self.product: 2})
        self._run("apply", include_incoming=True)
        gold_line = self.orders["gold"].order_line
        self.assertEqual(
            (gold_line.qty_delivered, gold_line.erp_confirmed_qty),
            (2, 4),
        )
        self.assertEqual(gold_line.erp_confirmed_date, self.day5)
        __, run = self._new_vip_order_wins_gold_fills()
        line = self._line(run, "gold")
        self.assertEqual(
            (line.strategy, line.confirmed_qty, line.confirmed_date),
            ("fill", 2, self.day5),
        )
        self.assertEqual(gold_line.promise_date, self.day5)

    def test_confirmation_cleared_once_the_product_is_no_longer_short(self):
        """Given an applied run that confirmed gold and standard on day 5,
        when the receipt arrives early and the next applied run finds the
        product no longer short, then their confirmations are cleared: the
        promise date is today, not the old day 5."""
        self._run("apply", include_incoming=True)
        gold_line = self.orders["gold"].order_line
        self.assertEqual(gold_line.promise_date, self.day5)
        self.receipt.move_ids.quantity = 10
        self.receipt.move_ids.picked = True
        self.receipt.button_validate()
        self._run("apply", include_incoming=True)
        for key in ("gold", "std"):
            line = self.orders[key].order_line
            self.assertEqual(
                (line.erp_confirmed_qty, line.erp_confirmed_date), (0, False), key
            )
        self.assertEqual(gold_line.promise_date, self.today)

    def test_variant_win_and_lose_re_reserve(self):
        """Given VIP wins and standard loses, applying moves standard's
        reservation to VIP."""
        variant = self._variant(
            ("VIP", "[('order_id.partner_id.customer_tier', '=', 'vip')]", "win"),
            ("Std", "[('order_id.partner_id.customer_tier', '=', 'standard')]", "lose"),
        )
        run = self._run("apply", variant_id=variant.id)
        moves = self._moves()
        self.assertEqual(
            [moves[key].quantity for key in ("std", "gold", "vip")], [0, 2, 4]
        )
        self.assertEqual(self._line(run, "std").change_qty, -4)
        self.assertEqual(self._line(run, "vip").change_qty, 4)

    def test_simulation_compared_per_customer(self):
        """Given VIP wins and standard loses, the simulation per customer
        shows standard 4 -> 0 (loss 4) and VIP 0 -> 4 (gain 4), gold
        unchanged, with the totals per segment."""
        variant = self._variant(
            ("VIP", "[('order_id.partner_id.customer_tier', '=', 'vip')]", "win"),
            ("Std", "[('order_id.partner_id.customer_tier', '=', 'standard')]", "lose"),
        )
        run = self._run("simulate", variant_id=variant.id)
        action = run.action_view_customers()
        self.assertEqual(action["res_model"], "erp.allocation.run.line")
        groups = self.env["erp.allocation.run.line"]._read_group(
            action["domain"],
            ["partner_id"],
            ["confirmed_qty_before:sum", "confirmed_qty:sum", "gain_qty:sum"]
            + ["loss_qty:sum"],
        )
        result = {partner: tuple(values) for partner, *values in groups}
        self.assertEqual(result[self.partner_standard], (4, 0, 0, 4))
        self.assertEqual(result[self.partner_vip], (0, 4, 4, 0))
        self.assertEqual(result[self.partner_gold], (2, 2, 0, 0))
        by_segment = self.env["erp.allocation.run.line"]._read_group(
            action["domain"], ["segment_id"], ["gain_qty:sum", "loss_qty:sum"]
        )
        self.assertEqual(
            {segment.name: (gain, loss) for segment, gain, loss in by_segment},
            {"VIP": (4, 0), "Std": (0, 4), False: (0, 0)},
        )

    def test_apply_simulation_keeps_variant_and_supply(self):
        """Given a simulation with a variant and incoming supply, Apply this
        Simulation runs with the same parameters."""
        variant = self._variant()
        simulation = self._run("simulate", variant_id=variant.id, include_incoming=True)
        action = simulation.action_apply_simulation()
        applied = self.env["erp.allocation.run"].browse(action["res_id"])
        self.assertEqual(
            (applied.variant_id, applied.include_incoming), (variant, True)
        )

    def test_moved_date_notifies_salesperson_and_customer(self):
        """Given applied confirmed dates, when the receipt slips by 10 days
        and a new run applies, the gold and standard orders get an activity,
        a note and (company setting) an email; VIP, unchanged, gets none."""
        self.company.write(
            {
                "erp_confirmation_notice_days": 2,
                "erp_confirmation_notify_customer": True,
            }
        )
        self.partner_standard.email = "standard@example.com"
        self._run("apply", include_incoming=True)
        activities = {
            key: len(order.activity_ids) for key, order in self.orders.items()
        }
        self.receipt.move_ids.date = self.receipt.move_ids.date + timedelta(days=10)
        day15 = fields.Date.to_date(self.receipt.move_ids.date)
        run = self._run("apply", include_incoming=True)
        self.assertEqual(self._line(run, "std").promise_date_before, self.day5)
        self.assertEqual(
            self._line(run, "std").date_shift_days, (day15 - self.day5).days
        )
        self.assertEqual(self.orders["std"].order_line.erp_confirmed_date, day15)
        for key, moved in (("std", True), ("gold", True), ("vip", False)):
            order = self.orders[key]
            self.assertEqual(len(order.activity_ids) - activities[key], int(moved), key)
        notices = self.orders["std"].message_ids.filtered(
            lambda m: "new delivery dates" in (m.subject or "")
        )
        self.assertEqual(len(notices), 1)
        self.assertIn(
            self.partner_standard, notices.partner_ids | notices.notified_partner_ids
        )
        self.assertFalse(
            self.orders["vip"].message_ids.filtered(
                lambda m: "new delivery dates" in (m.subject or "")
            )
        )

    def test_changed_quantity_clears_confirmation(self):
        """Given a confirmed line, changing its quantity clears the
        confirmation (it held for the old quantity)."""
        self._run("apply", include_incoming=True)
        line = self.orders["std"].order_line
        self.assertTrue(line.erp_confirmed_date)
        line.product_uom_qty = 5
        self.assertFalse(line.erp_confirmed_date)

    def test_invalid_segment_domain_refused(self):
        """Given a segment domain on an unknown field, saving is refused."""
        with self.assertRaises(ValidationError):
            self._variant(("Bad", "[('no_such_field', '=', 1)]", "win"))

    def test_salesman_without_addon_groups_sees_confirmed_date(self):
        """Given a Sales / User without the addon's groups, confirming an
        order works and the confirmed date of a line is readable."""
        user = self.env["res.users"].create(
            {
                "name": "Plain Salesman",
                "login": "plain_salesman_bop",
                "groups_id": [
                    Command.set([self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        # the salesperson of the order: "own documents" reads its lines
        self.orders["std"].user_id = user
        self._run("apply", include_incoming=True)
        line = self.orders["std"].order_line.with_user(user)
        self.assertEqual(line.erp_confirmed_date, self.day5)
        self.assertEqual(line.promise_date, self.day5)
        order = self._create_order(
            self.partner_gold, [(self.product, 1)], user_id=user.id
        )
        order.with_user(user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_scheduled_run_uses_the_warehouse_variant(self):
        """Given a warehouse scheduled with a variant and incoming supply,
        the nightly run applies with them and confirms dates."""
        variant = self._variant(
            ("VIP", "[('order_id.partner_id.customer_tier', '=', 'vip')]", "win"),
        )
        self.warehouse.write(
            {
                "erp_allocation_scheduled": True,
                "erp_allocation_variant_id": variant.id,
                "erp_allocation_include_incoming": True,
            }
        )
        self.env["erp.allocation.run"]._cron_scheduled_allocation()
        run = self.env["erp.allocation.run"].search(
            [("warehouse_id", "=", self.warehouse.id)], limit=1
        )
        self.assertEqual((run.variant_id, run.include_incoming), (variant, True))
        self.assertEqual(self.orders["vip"].order_line.erp_confirmed_date, self.day5)
