# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models import erp_allocation_run as run_module
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
        # a simulation claims no change, it plans two
        self.assertEqual(run.changed_count, 0)
        self.assertEqual(run.planned_change_count, 2)
        self.assertEqual(
            run._fields["planned_change_count"].string, "Planned Reservation Changes"
        )

    def test_apply_this_simulation(self):
        """Given a finished simulation, when *Apply this Simulation* is
        clicked, then an apply run with the same warehouse and products is
        created and run (VIP 4, gold 2, standard 0) and opened; the
        simulation cannot be applied twice, an apply run not at all."""
        simulation = self._run("simulate", product_ids=[self.product.id])
        action = simulation.action_apply_simulation()
        run = self.env["erp.allocation.run"].browse(action["res_id"])
        self.assertRecordValues(
            run,
            [
                {
                    "mode": "apply",
                    "state": "done",
                    "warehouse_id": self.warehouse.id,
                    "product_ids": [self.product.id],
                    "source_run_id": simulation.id,
                    "changed_count": 2,
                }
            ],
        )
        self.assertEqual(
            [self.move_vip.quantity, self.move_gold.quantity, self.move_std.quantity],
            [4, 2, 0],
        )
        with self.assertRaises(UserError):
            simulation.action_apply_simulation()
        with self.assertRaises(UserError):
            run.action_apply_simulation()

    def test_lines_carry_the_moves_and_orders_values(self):
        """Given a simulation, each line has the values of its move, order
        line and order as the fields give them (the run reads them by SQL),
        and the array parameter of the lines' insert keeps every value."""
        self.order_gold.commitment_date = self._now() + timedelta(days=3)
        run = self._run("simulate")
        self.assertEqual(len(run.line_ids), 3)
        for line in run.line_ids:
            move = line.move_id
            order = move.sale_line_id.order_id
            self.assertRecordValues(
                line,
                [
                    {
                        "sale_line_id": move.sale_line_id.id,
                        "order_id": order.id,
                        "partner_id": order.partner_id.id,
                        "product_id": move.product_id.id,
                        "priority_score": move.erp_priority_score,
                        "priority_level": order.priority_level,
                        "commitment_date": order.commitment_date,
                        "date_order": order.date_order,
                        "demanded_qty": move.product_qty,
                        "reserved_before": move.quantity,
                    }
                ],
            )
        array_literal = run_module._array_literal
        today = fields.Date.today()
        self.env.cr.execute(
            "SELECT %s::int[], %s::float8[], %s::varchar[], %s::date[]",
            [
                array_literal([1, None, 3]),
                array_literal([0.1, 2, None, 1e-07]),
                array_literal(['a "b"', "c\\d", None, "e,f"]),
                array_literal([today, None]),
            ],
        )
        self.assertEqual(
            self.env.cr.fetchone(),
            (
                [1, None, 3],
                [0.1, 2.0, None, 1e-07],
                ['a "b"', "c\\d", None, "e,f"],
                [today, None],
            ),
        )

    def test_allocation_lines_show_the_reason(self):
        """The allocation lines list shows why each order is served where it
        is (the reason column) without opening the optional columns."""
        arch = self.env["erp.allocation.run.line"].get_view(view_type="list")["arch"]
        self.assertRegex(arch, r'<field name="reason"[^>]*optional="show"')

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

    def _assert_quants_match_move_lines(self, product):
        """The quants reserve exactly what the open move lines hold."""
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id.usage", "=", "internal")]
        )
        lines = self.env["stock.move.line"].search(
            [("product_id", "=", product.id), ("state", "not in", ("done", "cancel"))]
        )
        self.assertAlmostEqual(
            sum(quants.mapped("reserved_quantity")),
            sum(lines.mapped("quantity_product_uom")),
        )
        for quant in quants:
            self.assertAlmostEqual(
                quant.reserved_quantity,
                sum(
                    lines.filtered(
                        lambda ml, q=quant: ml.location_id == q.location_id
                    ).mapped("quantity_product_uom")
                ),
                msg=f"reservation of {quant.location_id.display_name}",
            )

    def test_apply_keeps_quants_consistent(self):
        """Given the fixture, after apply the quants still reserve the 6 units
        the move lines hold, no more, no less."""
        self._run("apply")
        self._assert_quants_match_move_lines(self.product)
        self.assertEqual(self.move_vip.move_line_ids.quantity, 4)
        self.assertFalse(self.move_std.move_line_ids)

    def test_client_context_cannot_defer_reservations(self):
        """Given the allocation's internal context key sent by a client as a
        plain dict (what JSON gives), when a delivery is reserved and another
        unreserved under it, then the quants' reservations follow the move
        lines as without it."""
        self._set_stock(self.product, 4)
        context = {"erp_deferred_reservations": {}}
        self.move_vip.picking_id.with_context(**context).action_assign()
        self.assertEqual(self.move_vip.quantity, 4)
        self._assert_quants_match_move_lines(self.product)
        self.move_gold.picking_id.with_context(**context).do_unreserve()
        self.assertFalse(self.move_gold.move_line_ids)
        self._assert_quants_match_move_lines(self.product)

    def test_apply_takes_oldest_stock_across_sublocations(self):
        """Given 3 units on a shelf (older) and 3 in stock, a standard order
        reserved first and a VIP order, apply gives the VIP order the shelf's 3
        and 1 from stock, and the standard order the 2 left."""
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "location_id": self.stock_location.id}
        )
        product = self.env["product.product"].create(
            {"name": "Shelved Widget", "type": "consu", "is_storable": True}
        )
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(
            product, shelf, 3, in_date=self._now() - timedelta(days=10)
        )
        Quant._update_available_quantity(product, self.stock_location, 3)
        std = self._create_order(self.partner_standard, [(product, 4)])
        std.action_confirm()
        vip = self._create_order(self.partner_vip, [(product, 4)])
        vip.action_confirm()
        move_std, move_vip = std.picking_ids.move_ids, vip.picking_ids.move_ids
        self.assertEqual([move_std.quantity, move_vip.quantity], [4, 2])
        self._run("apply", product_ids=[(6, 0, product.ids)])
        self.assertEqual([move_vip.quantity, move_std.quantity], [4, 2])
        self.assertEqual(
            sorted((ml.location_id.id, ml.quantity) for ml in move_vip.move_line_ids),
            sorted([(shelf.id, 3), (self.stock_location.id, 1)]),
        )
        self.assertEqual(move_std.move_line_ids.location_id, self.stock_location)
        self.assertEqual(
            [move_vip.state, move_std.state], ["assigned", "partially_available"]
        )
        self._assert_quants_match_move_lines(product)

    def test_apply_lot_tracked_product_by_priority(self):
        """Given a lot-tracked product (reserved through Odoo's own
        reservation), apply still serves VIP 4, gold 2, standard 0, from the
        lot."""
        product = self.env["product.product"].create(
            {
                "name": "Lot Widget",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        lot = self.env["stock.lot"].create({"name": "LOT-1", "product_id": product.id})
        self.env["stock.quant"]._update_available_quantity(
            product, self.stock_location, 6, lot_id=lot
        )
        orders = [
            self._create_order(partner, [(product, 4)])
            for partner in (self.partner_standard, self.partner_gold, self.partner_vip)
        ]
        for order in orders:
            order.action_confirm()
        moves = [order.picking_ids.move_ids for order in orders]
        self.assertEqual([move.quantity for move in moves], [4, 2, 0])
        self._run("apply", product_ids=[(6, 0, product.ids)])
        self.assertEqual([move.quantity for move in moves], [0, 2, 4])
        self.assertEqual(moves[2].move_line_ids.lot_id, lot)
        self._assert_quants_match_move_lines(product)

    def test_apply_queries_do_not_grow_per_move(self):
        """Given one short product with 3 competing moves and another with 12,
        applying costs about the same number of queries: the moves are
        re-reserved in batch, not one reservation (about 9 queries) each."""

        def queries_of_apply(product, count):
            # first come, lowest priority first: standard, gold, then VIP
            self._set_stock(product, 4 * count + 2)
            for partner in (self.partner_standard, self.partner_gold, self.partner_vip):
                for _i in range(count):
                    self._create_order(partner, [(product, 4)]).action_confirm()
            run = self.env["erp.allocation.run"].create(
                {
                    "warehouse_id": self.warehouse.id,
                    "mode": "apply",
                    "product_ids": [(6, 0, product.ids)],
                }
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            run.action_run()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before, run

        small, large = self.env["product.product"].create(
            [
                {"name": f"Queries {size}", "type": "consu", "is_storable": True}
                for size in ("small", "large")
            ]
        )
        queries_small, run_small = queries_of_apply(small, 1)
        queries_large, run_large = queries_of_apply(large, 4)
        message = f"apply of 12 moves: {queries_large} queries, of 3: {queries_small}"
        self.assertEqual(run_small.changed_count, 2, message)
        self.assertEqual(run_large.changed_count, 8, message)
        self.assertLessEqual(queries_large, queries_small + 9, message)
