# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import groupby, split_every

from .erp_shipment import OPEN_STATES

_logger = logging.getLogger(__name__)


class ErpShipment(models.Model):
    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "erp.shipment"  # pylint: disable=consider-merging-classes-inherited

    @api.depends("carrier_id")
    def _compute_erp_can_poll(self):
        polling = self.env["delivery.carrier"]._erp_polling_providers()
        for shipment in self:
            # sudo: the provider is readable by logistics administrators only;
            # only whether it is polled is shown
            shipment.erp_can_poll = (
                shipment.carrier_id.sudo().tracking_provider in polling
            )

    def action_poll_tracking(self):
        """Fetch the latest events from the carrier's tracking API now."""
        # a call to the carrier's (paid) API and a write of the shipments:
        # for those who may change them, not for their readers
        self.check_access("write")
        if not any(self.mapped("erp_can_poll")):
            # "0 new events" would read as "the carrier has nothing new"
            raise UserError(
                self.env._(
                    "%(carrier)s has no tracking API to ask for events: its "
                    "events are pushed by the carrier, imported or entered by "
                    "hand (Events button).",
                    carrier=", ".join(self.carrier_id.mapped("name"))
                    or self.env._("This shipment's carrier"),
                )
            )
        new_events = self.filtered("erp_can_poll")._erp_poll_tracking()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s new tracking events.", len(new_events)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _erp_poll_tracking(self):
        """Ask each carrier's provider for the events of these shipments.

        Every carrier is called first, and only then are the events stored:
        no shipment row is locked or written while waiting for a carrier.
        """
        fetched = []
        for carrier, shipments in groupby(self, key=lambda s: s.carrier_id):
            if not carrier:
                continue
            shipments = self.browse([s.id for s in shipments])
            fetched.append(carrier._erp_tracking_poll(shipments))
        events = self.env["erp.shipment.event"]
        for vals_list in fetched:
            events |= self._erp_process_events(vals_list)
        return events

    @api.model
    def _erp_poll_batches(self, batch_size):
        """The open shipments the polling cron still has to ask their carrier
        about, as a list of ``(company, carrier, shipment ids)`` batches of at
        most ``batch_size`` shipments of one carrier and company.

        Run by the scheduler, a shipment is due when it was not polled since
        the previous run of the cron (context key ``lastcall``; never polled
        ones on the first run): the calls of one run skip what an earlier
        call of the same run polled already.
        """
        Carrier = self.env["delivery.carrier"]
        # the provider is restricted to administrators; the cron runs as
        # superuser, a user running it by hand must see every polling carrier
        carriers = Carrier.sudo().search(
            [("tracking_provider", "in", Carrier._erp_polling_providers())]
        )
        # a tracking service (快递100, AfterShip, 17TRACK) answers nothing
        # without the account's key: such a carrier is not set up yet (the
        # demo's), not polled
        services = Carrier._erp_push_providers()
        carriers = carriers.filtered(
            lambda c: c.tracking_provider not in services or c.tracking_api_key
        )
        domain = [
            ("carrier_id", "in", carriers.ids),
            ("state", "in", OPEN_STATES),
            ("tracking_number", "!=", False),
        ]
        if self.env.context.get("ir_cron_progress_id"):
            lastcall = self.env.context.get("lastcall")
            domain += (
                ["|", ("erp_polled_at", "=", False), ("erp_polled_at", "<", lastcall)]
                if lastcall
                else [("erp_polled_at", "=", False)]
            )
        shipments = self.search_fetch(domain, ["company_id", "carrier_id"])
        batches = []
        for (company, carrier), group in groupby(
            shipments, key=lambda s: (s.company_id, s.carrier_id)
        ):
            for ids in split_every(batch_size, [s.id for s in group]):
                batches.append((company, carrier, list(ids)))
        return batches

    @api.model
    def _erp_poll_batch(self, company, carrier, ids):
        """Poll one batch of shipments of one carrier; a failure is logged and
        rolled back without touching the other batches. The shipments are
        marked as polled either way."""
        batch = self.with_company(company).browse(ids)
        try:
            with self.env.cr.savepoint():
                batch._erp_poll_tracking()
        except UserError as error:
            # an expected failure of the carrier (unreachable, bad answer):
            # its message carries no connection detail
            _logger.warning(
                "Tracking poll of carrier %s failed for shipments %s: %s",
                carrier.id,
                ids,
                error,
            )
        except Exception:
            _logger.exception(
                "Tracking poll of carrier %s failed for shipments %s", carrier.id, ids
            )
        batch.write({"erp_polled_at": fields.Datetime.now()})

    @api.model
    def _cron_poll_tracking(self, batch_size=100):
        """Poll the carrier APIs for the open shipments of polling carriers.

        Run by the scheduler (a cron progress in the context), each call polls
        one batch (one carrier and company, at most ``batch_size`` shipments)
        and reports its progress: the scheduler commits the batch and calls
        again while shipments remain (Odoo 18's cron progress API; after ten
        calls the cron is rescheduled at once). Called otherwise, every batch
        is polled in the current transaction.
        """
        batches = self._erp_poll_batches(batch_size)
        if not self.env.context.get("ir_cron_progress_id"):
            for company, carrier, ids in batches:
                self._erp_poll_batch(company, carrier, ids)
            return
        if batches:
            self._erp_poll_batch(*batches[0])
        done = len(batches[0][2]) if batches else 0
        self.env["ir.cron"]._notify_progress(
            done=done, remaining=sum(len(ids) for _c, _k, ids in batches[1:])
        )
