# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib.row_lock import lock_rows_nowait
from .erp_stock_replenishment import OPEN_STATES

_logger = logging.getLogger(__name__)

# alerts replenished by one call of the job; the cron framework commits
# after each call and calls again while some remain
REPLENISH_BATCH_SIZE = 20


class ErpStockAlert(models.Model):
    """The replenishment job: the evaluation only marks the alerts to
    replenish as pending and triggers the job, which runs their actions
    (procurement, RFQ, transfer) in its own transactions, batch by batch."""

    _inherit = "erp.stock.alert"  # pylint: disable=consider-merging-classes-inherited

    def _request_replenishment(self):
        """Mark the alerts as pending replenishment and trigger the job at
        once (it starts when this transaction commits)."""
        alerts = self.filtered(lambda a: a.replenish_state != "pending")
        if not alerts:
            return
        alerts.replenish_state = "pending"
        self._trigger_replenish_job()

    @api.model
    def _trigger_replenish_job(self, retry=False):
        """Trigger the replenishment job now (the cron workers are woken up
        when this transaction commits) and again in a second.

        The second trigger closes a race: a run of the job that started
        before this commit does not see our alerts, and when it ends it drops
        the triggers older than its own start, which a trigger of "now" (to
        the second) may be. A ``retry`` from inside the job only needs it."""
        cron = self.env.ref(
            "erp_virtual_stock.ir_cron_replenish_stock_alerts",
            raise_if_not_found=False,
        )
        if cron:
            now = fields.Datetime.now()
            later = now + timedelta(seconds=1)
            cron._trigger([later] if retry else [now, later])

    @api.model
    def _claim_pending_alerts(self, limit):
        """Lock and return up to ``limit`` alerts pending replenishment.

        ``FOR NO KEY UPDATE SKIP LOCKED``: an alert another transaction is
        replenishing (another server's job, a buyer's click) is left to it;
        the lock holds until this transaction ends, when the alert is no
        longer pending. So no alert is replenished twice."""
        self.flush_model(["replenish_state"])
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE replenish_state = 'pending'"
                        " ORDER BY id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED",
                        SQL.identifier(self._table),
                        limit,
                    ),
                    log_exceptions=False,
                )
                alert_ids = [row[0] for row in self.env.cr.fetchall()]
        except psycopg2.errors.SerializationFailure:
            # an alert changed (replenished by a buyer, resolved) since this
            # transaction began: claim again in a new transaction, soon
            _logger.info("Stock alerts changed meanwhile: replenishment retried")
            self._trigger_replenish_job(retry=True)
            return self.browse()
        return self.browse(alert_ids)

    def _lock_for_replenishment(self):
        """Lock the alerts a user replenishes by hand; refuse when the job
        is replenishing one of them right now."""
        if not self:
            return
        self.flush_recordset(["replenish_state"])
        lock_rows_nowait(
            self,
            self.env._(
                "These alerts are being replenished right now: wait a moment, "
                "then reload them."
            ),
        )

    @api.model
    def _cron_replenish_pending(self, batch_size=REPLENISH_BATCH_SIZE):
        """Replenish one batch of pending alerts.

        The cron framework commits after each call and calls again while
        ``_notify_progress`` reports remaining alerts, so every batch is
        committed on its own (and nothing is committed in tests). Each alert
        runs in a savepoint: one failing is noted on the alert and the batch
        carries on."""
        alerts = self._claim_pending_alerts(batch_size)
        closed = alerts.filtered(lambda a: a.state not in OPEN_STATES)
        # resolved or ignored while waiting: nothing to replenish any more
        closed.replenish_state = False
        deferred = (alerts - closed)._replenish(defer_conflicts=True)
        if deferred:
            # met a concurrent transaction: next run, in a new transaction
            self._trigger_replenish_job(retry=True)
        done = alerts - deferred
        remaining = self.search_count([("replenish_state", "=", "pending")])
        _logger.info(
            "Stock alerts replenished: %s (%s still pending)", len(done), remaining
        )
        self.env["ir.cron"]._notify_progress(done=len(done), remaining=remaining)
        return done
