# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import random
import time

from psycopg2 import OperationalError, errorcodes

from odoo import api, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# what Odoo's RPC layer retries too (odoo.service.model)
RETRIED_PGCODES = (
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
)
MAX_TRIES = 5


class ErpAllocationRun(models.Model):
    """Concurrency of an applied run with order confirmations.

    An applied run locks the rows it rewrites (the quants of its products in
    the warehouse and its moves) before reading them for the plan, in a
    stable order (by id) and without waiting: rows a concurrent transaction
    holds (an order being confirmed reserves its stock) are skipped, and the
    products they belong to are left to the next run. So the run never waits
    for a confirmation and never deadlocks with one; a confirmation waits at
    most for the run's set-based writes. A row a confirmation committed after
    the run's transaction began raises a serialization failure, which Odoo's
    RPC layer retries (an action from the web client) and so does the
    scheduled run (``_cron_scheduled_allocation``)."""

    _inherit = "erp.allocation.run"  # pylint: disable=consider-merging-classes-inherited

    def _erp_lock_rows(self, moves):
        """Lock the quants of ``moves``' products under the warehouse's stock
        location and ``moves`` themselves, by id, skipping rows locked by
        another transaction. Returns (moves of the products fully locked,
        products left out)."""
        self.ensure_one()
        Product = self.env["product.product"]
        if not moves:
            return moves, Product
        self.env.flush_all()
        location = self.warehouse_id.lot_stock_id
        quant_filter = SQL(
            "FROM stock_quant q JOIN stock_location l ON l.id = q.location_id"
            " WHERE q.product_id = ANY(%s) AND l.parent_path LIKE %s",
            moves.product_id.ids,
            f"{location.parent_path}%",
        )
        every_quant = self.env.execute_query(
            SQL("SELECT q.id, q.product_id %s", quant_filter)
        )
        locked_quants = {
            quant_id
            for (quant_id,) in self.env.execute_query(
                SQL(
                    "SELECT q.id %s ORDER BY q.id FOR NO KEY UPDATE OF q SKIP LOCKED",
                    quant_filter,
                )
            )
        }
        locked_moves = {
            move_id
            for (move_id,) in self.env.execute_query(
                SQL(
                    "SELECT id FROM stock_move WHERE id = ANY(%s)"
                    " ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                    moves.ids,
                )
            )
        }
        skipped = {
            product_id
            for quant_id, product_id in every_quant
            if quant_id not in locked_quants
        }
        skipped.update(
            move.product_id.id for move in moves if move.id not in locked_moves
        )
        if not skipped:
            return moves, Product
        kept = moves.filtered(lambda move: move.product_id.id not in skipped)
        return kept, Product.browse(sorted(skipped))

    def _erp_note_skipped(self, products):
        """Say in the run's chatter which products a concurrent transaction
        held, left to the next run."""
        if not products:
            return
        _logger.info(
            "Allocation run %s: products %s locked by a concurrent transaction, "
            "left to the next run",
            self.name,
            products.ids,
        )
        self.message_post(
            body=self.env._(
                "Left to the next run (an order was being confirmed or a delivery "
                "processed for them meanwhile): %s",
                ", ".join(products.mapped("display_name")),
            )
        )

    @api.model
    def _erp_retry_on_concurrency(self, function, auto_commit):
        """Call ``function(env)`` and, with ``auto_commit``, commit; on a
        serialization failure, deadlock or lock not available, roll back and
        call it again in a new transaction (a new snapshot), up to
        ``MAX_TRIES`` times. Without ``auto_commit`` (a test, or inside a
        caller's transaction) the error is raised to the caller, which may
        retry the whole transaction as Odoo's RPC layer does."""
        for attempt in range(1, MAX_TRIES + 1):
            try:
                with self.env.cr.savepoint():
                    result = function(self.env)
                if auto_commit:
                    # a cron's own transaction per warehouse: a later
                    # warehouse's retry must not roll this one back
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                return result
            except OperationalError as error:
                if (
                    not auto_commit
                    or error.pgcode not in RETRIED_PGCODES
                    or attempt == MAX_TRIES
                ):
                    raise
                # a new transaction sees what the concurrent one committed
                self.env.cr.rollback()
                self.env.invalidate_all()
                _logger.info(
                    "Allocation: %s, retry %s of %s",
                    errorcodes.lookup(error.pgcode),
                    attempt,
                    MAX_TRIES - 1,
                )
                time.sleep(random.uniform(0.0, 0.2 * 2**attempt))
        return None

    @api.model
    def _cron_scheduled_allocation(self, auto_commit=None):
        """Apply an allocation run on every warehouse that asks for it, each
        in its own transaction retried on concurrency errors when
        ``auto_commit`` (default: when called by the scheduler)."""
        if auto_commit is None:
            auto_commit = bool(self.env.context.get("cron_id"))
        warehouses = self.env["stock.warehouse"].search(
            [("erp_allocation_scheduled", "=", True)]
        )

        def run_warehouse(env, warehouse):
            warehouse = warehouse.with_env(env)
            run = (
                env[self._name]
                .with_company(warehouse.company_id)
                .create(
                    {
                        "warehouse_id": warehouse.id,
                        "company_id": warehouse.company_id.id,
                        "mode": "apply",
                        "variant_id": warehouse.erp_allocation_variant_id.id,
                        "include_incoming": warehouse.erp_allocation_include_incoming,
                    }
                )
            )
            run.action_run()
            return run

        done = 0
        for warehouse in warehouses:
            try:
                self._erp_retry_on_concurrency(
                    lambda env, w=warehouse: run_warehouse(env, w), auto_commit
                )
            except Exception:
                _logger.exception(
                    "Scheduled allocation failed for warehouse %s", warehouse.id
                )
            done += 1
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(warehouses) - done
            )
        return True
