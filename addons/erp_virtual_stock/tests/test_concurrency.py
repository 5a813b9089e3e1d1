# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from psycopg2 import OperationalError, errorcodes

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

THREADS = 6
STOCK = 3
MAX_TRIES = 20
RETRIED_PGCODES = (
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
)


@tagged("post_install", "-at_install")
class TestNoOversellConcurrency(BaseCase):
    """Real cursors in real threads confirm orders for the last units.

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
            cls.previous_policy = warehouse.virtual_stock_policy
            warehouse.virtual_stock_policy = "block"
            product = env["product.product"].create(
                {
                    "name": "VS Concurrency Widget",
                    "type": "consu",
                    "is_storable": True,
                }
            )
            partner = env["res.partner"].create({"name": "VS Concurrency Customer"})
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, STOCK
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "warehouse_id": warehouse.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": 1}
                            )
                        ],
                    }
                    for _i in range(THREADS)
                ]
            )
            cls.warehouse_id = warehouse.id
            cls.product_id = product.id
            cls.partner_id = partner.id
            cls.order_ids = orders.ids

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(cls.order_ids).exists()
            pickings = orders.picking_ids
            orders._action_cancel()
            pickings.unlink()
            orders.unlink()
            for table in ("stock_move_line", "stock_move", "stock_quant"):
                env.execute_query(
                    SQL(
                        "DELETE FROM %s WHERE product_id = %s",
                        SQL.identifier(table),
                        cls.product_id,
                    )
                )
            env["erp.virtual.stock.ledger"].search(
                [("product_id", "=", cls.product_id)]
            ).unlink()
            env["erp.virtual.stock.lock"].search(
                [("product_id", "=", cls.product_id)]
            ).unlink()
            product = env["product.product"].browse(cls.product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env["res.partner"].browse(cls.partner_id).unlink()
            env["stock.warehouse"].browse(
                cls.warehouse_id
            ).virtual_stock_policy = cls.previous_policy

    def _env(self, cr):
        # the test server holds Registry._lock in the main thread: give the
        # cursor its transaction instead of letting Odoo look the registry up
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def _confirm(self, barrier, order_id):
        """Confirm one order in its own transaction, retried on serialization
        failures like Odoo's RPC layer does (odoo.service.model.retrying,
        which cannot run here: its reset looks the registry up under the
        lock the test server holds). Returns "confirmed" or "blocked"."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            # take the transaction snapshot before the others commit
            env["sale.order"].browse(order_id).read(["state"])
            barrier.wait(timeout=20)
            for _try in range(MAX_TRIES):
                try:
                    env["sale.order"].browse(order_id).action_confirm()
                    env.flush_all()
                    # a real concurrent transaction of its own, as a request
                    cr.commit()  # pylint: disable=invalid-commit
                    return "confirmed"
                except UserError:
                    cr.rollback()
                    return "blocked"
                except OperationalError as error:
                    if error.pgcode not in RETRIED_PGCODES:
                        raise
                    cr.rollback()
                    env = self._env(cr)
                    time.sleep(random.uniform(0.0, 0.5))
            return "gave up"

    @mute_logger("odoo.sql_db")
    def test_last_units_sold_once(self):
        """Given 3 units under block and 6 orders of 1, when 6 threads
        confirm at once, then exactly 3 succeed, 3 are blocked, the virtual
        stock is 0 and the ledger balance equals a fresh recomputation."""
        barrier = threading.Barrier(THREADS)
        with ThreadPoolExecutor(max_workers=THREADS) as executor:
            futures = [
                executor.submit(self._confirm, barrier, order_id)
                for order_id in self.order_ids
            ]
            results = [future.result(timeout=60) for future in futures]
        self.assertEqual(results.count("confirmed"), STOCK, results)
        self.assertEqual(results.count("blocked"), THREADS - STOCK, results)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.order_ids)
            self.assertEqual(orders.mapped("state").count("sale"), STOCK)
            warehouse = env["stock.warehouse"].browse(self.warehouse_id)
            product = env["product.product"].browse(self.product_id)
            fresh = env["product.product"]._erp_virtual_stock_map(warehouse, product)
            self.assertEqual(fresh[self.product_id, self.warehouse_id], 0)
            rows = env["erp.virtual.stock.ledger"].search(
                [
                    ("product_id", "=", self.product_id),
                    ("warehouse_id", "=", self.warehouse_id),
                ],
                order="id",
            )
            self.assertEqual(rows[-1].balance, 0)
            self.assertEqual(sum(rows.mapped("delta")), 0)
            self.assertTrue(all(balance >= 0 for balance in rows.mapped("balance")))
