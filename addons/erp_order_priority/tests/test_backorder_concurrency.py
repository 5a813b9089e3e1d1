# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

STOCK = 7


@tagged("post_install", "-at_install")
class TestBackorderConcurrency(BaseCase):
    """An applied run and an order confirmation in two real transactions.

    The fixture is committed (the other cursor must see it), made for each
    test and removed after it: 7 on hand, order A holds 4, order B (4, earlier
    delivery date, served first by a run) holds 2, order C (1) is to be
    confirmed: it reserves the one unit free."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        self.addCleanup(self._cleanup)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            product = env["product.product"].create(
                {"name": "BOP Concurrency Widget", "type": "consu", "is_storable": True}
            )
            partner = env["res.partner"].create({"name": "BOP Concurrency Customer"})
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, STOCK - 1
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "warehouse_id": warehouse.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": qty}
                            )
                        ],
                    }
                    for qty in (4, 4, 1)
                ]
            )
            orders[0].action_confirm()
            orders[1].commitment_date = fields.Datetime.now() + timedelta(days=1)
            orders[1].action_confirm()
            # one unit free, for C's confirmation to reserve
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 1
            )
            self.warehouse_id = warehouse.id
            self.product_id = product.id
            self.partner_id = partner.id
            self.order_ids = orders.ids

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            runs = env["erp.allocation.run"].search(
                [("line_ids.product_id", "=", self.product_id)]
            ) | env["erp.allocation.run"].search(
                [("product_ids", "in", self.product_id)]
            )
            runs.unlink()
            orders = env["sale.order"].browse(self.order_ids).exists()
            pickings = orders.picking_ids
            orders._action_cancel()
            pickings.unlink()
            orders.unlink()
            for table in ("stock_move_line", "stock_move", "stock_quant"):
                env.execute_query(
                    SQL(
                        "DELETE FROM %s WHERE product_id = %s",
                        SQL.identifier(table),
                        self.product_id,
                    )
                )
            for model in ("erp.virtual.stock.ledger", "erp.virtual.stock.lock"):
                if model in env:
                    env[model].search([("product_id", "=", self.product_id)]).unlink()
            product = env["product.product"].browse(self.product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def _env(self, cr):
        # the test server holds Registry._lock in the main thread: give the
        # cursor its transaction instead of letting Odoo look the registry up
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def _run_vals(self):
        return {
            "warehouse_id": self.warehouse_id,
            "product_ids": [Command.set([self.product_id])],
            "mode": "apply",
        }

    def _reserved(self, env):
        """(quant reserved quantity, sum of the move lines' quantities)."""
        env.invalidate_all()
        quants = env["stock.quant"].search([("product_id", "=", self.product_id)])
        lines = env["stock.move.line"].search([("product_id", "=", self.product_id)])
        return sum(quants.mapped("reserved_quantity")), sum(lines.mapped("quantity"))

    @mute_logger("odoo.sql_db")
    def test_run_does_not_wait_for_a_confirmation(self):
        """Given an order being confirmed (its transaction holds the quant it
        reserves), when a run applies meanwhile, then the run neither waits
        (its lock timeout would fail it) nor re-reserves that product (Odoo
        would book it on a new quant of its own): it leaves it to the next
        run, and the confirmation commits."""
        with (
            self.registry.cursor() as confirm_cr,
            self.registry.cursor() as run_cr,
        ):
            confirm_env = self._env(confirm_cr)
            confirm_env["sale.order"].browse(self.order_ids[2]).action_confirm()
            confirm_env.flush_all()
            run_env = self._env(run_cr)
            run_env.execute_query(SQL("SET LOCAL lock_timeout = '2s'"))
            run = run_env["erp.allocation.run"].create(self._run_vals())
            run.action_run()
            self.assertEqual(run.state, "done")
            # without the locks Odoo's reservation, finding the quant
            # locked, books the run's unreservation on a new quant of
            # quantity 0 (reserved -6): the reservations no longer add up
            self.assertEqual(
                run_env.execute_query(
                    SQL(
                        "SELECT COUNT(*), SUM(reserved_quantity) FROM stock_quant"
                        " WHERE product_id = %s",
                        self.product_id,
                    )
                ),
                [(1, STOCK - 1)],
            )
            self.assertFalse(run.line_ids)
            self.assertIn(
                "BOP Concurrency Widget", run.message_ids[:1].body or "", "skip noted"
            )
            run_cr.rollback()
            confirm_cr.commit()  # pylint: disable=invalid-commit
        with self.registry.cursor() as cr:
            env = self._env(cr)
            order = env["sale.order"].browse(self.order_ids[2])
            self.assertEqual(order.state, "sale")
            self.assertEqual(order.picking_ids.move_ids.quantity, 1)
            self.assertEqual(self._reserved(env), (STOCK, STOCK))

    @mute_logger("odoo.sql_db")
    def test_run_retries_after_a_confirmation_committed(self):
        """Given a run whose transaction began before a confirmation
        committed its reservation, when the run applies (as the scheduled
        run does), then it fails to lock on the first try, retries in a new
        transaction and re-reserves from the stock as it is now: nothing is
        reserved twice."""
        with self.registry.cursor() as run_cr:
            run_env = self._env(run_cr)
            # the run's snapshot: before the confirmation commits
            run_env["stock.quant"].search([("product_id", "=", self.product_id)]).read(
                ["reserved_quantity"]
            )
            with self.registry.cursor() as confirm_cr:
                confirm_env = self._env(confirm_cr)
                confirm_env["sale.order"].browse(self.order_ids[2]).action_confirm()
                confirm_cr.commit()  # pylint: disable=invalid-commit
            attempts = []

            def apply(env):
                attempts.append(1)
                run = env["erp.allocation.run"].create(self._run_vals())
                run.action_run()
                return run

            run = run_env["erp.allocation.run"]._erp_retry_on_concurrency(
                apply, auto_commit=True
            )
            self.assertEqual(len(attempts), 2)
            quantities = {line.order_id.id: line.allocated_qty for line in run.line_ids}
            # B first (earlier delivery date), then A, then C (latest order)
            self.assertEqual(
                [quantities.get(order_id) for order_id in self.order_ids], [3, 4, 0]
            )
            self.assertEqual(self._reserved(run_env), (STOCK, STOCK))
