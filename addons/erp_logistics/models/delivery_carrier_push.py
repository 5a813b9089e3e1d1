# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2.errors import UniqueViolation

from odoo import api, models
from odoo.tools import groupby

_logger = logging.getLogger(__name__)


class DeliveryCarrier(models.Model):
    """The common interface of the tracking services (快递100, AfterShip,
    17TRACK): what each provider's adapter implements.

    A provider ``<p>`` that pushes events defines
    ``_erp_push_verify_<p>(body, headers, form)`` (whether the request is signed
    as the service specifies) and ``_erp_push_read_<p>(body, headers, form)``
    (the push as raw events, see ``_erp_parse_events``); one that needs the
    tracking numbers registered defines ``_erp_tracking_subscribe_<p>``; one
    that answers queries defines ``_erp_tracking_poll_<p>``.
    """

    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "delivery.carrier"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _erp_push_providers(self):
        """Tracking services whose own push format the webhook understands
        (the ``webhook`` provider keeps the addon's format)."""
        return []

    @api.model
    def _erp_subscribing_providers(self):
        """Tracking services that push only the numbers registered with them."""
        return []

    def _erp_push_answer(self, ok, error=None, reason=None, **values):
        """The body of the answer to a push: ``{"error", "reason"}`` on a
        refusal, the counts otherwise. A provider that expects its own
        acknowledgement defines ``_erp_push_answer_<provider>``."""
        method = getattr(self, f"_erp_push_answer_{self.tracking_provider}", None)
        if method:
            return method(ok, error=error, reason=reason, **values)
        return values if ok else {"error": error, "reason": reason}

    def _erp_receive_push(self, body, headers, form):
        """Verify, read and apply one push of the carrier's tracking service.

        :param body: the raw body (bytes; empty for a form body)
        :param headers: the request's headers
        :param form: the fields of a form body (dict of strings)

        Run as superuser by the public webhook. Events of tracking numbers the
        database does not know, and events the adapter could not map, are
        logged and acknowledged (a refusal would make the service retry the
        same push forever); the rest of the push is applied.

        :return: ``(HTTP status, answer dict)``
        """
        self.ensure_one()
        provider = self.tracking_provider
        if not self.webhook_secret or not getattr(self, f"_erp_push_verify_{provider}")(
            body, headers, form
        ):
            _logger.info("Push to carrier %s (%s): bad signature", self.id, provider)
            return 403, self._erp_push_answer(
                False, "bad_signature", "The signature does not match the secret."
            )
        try:
            push = getattr(self, f"_erp_push_read_{provider}")(body, headers, form)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            _logger.info("Push to carrier %s: unreadable body", self.id, exc_info=True)
            return 400, self._erp_push_answer(
                False, "bad_payload", f"The body is not a {provider} push."
            )
        push_id = push.get("push_id")
        if isinstance(push_id, str) and push_id:
            if self.env["erp.shipment.event"].search_count(
                [("carrier_id", "=", self.id), ("push_id", "=", push_id)], limit=1
            ):
                # the service sent this push again: acknowledged, not re-read
                return 200, self._erp_push_answer(True, new_events=0, replayed=True)
            for raw in push.get("events", []):
                raw["push_id"] = push_id
        vals_list, errors = self._erp_parse_events(push.get("events", []), "webhook")
        if errors:
            _logger.info(
                "Push to carrier %s: acknowledged without storing: %s",
                self.id,
                self._erp_format_errors(errors),
            )
        Shipment = self.env["erp.shipment"]
        try:
            with self.env.cr.savepoint():
                events = Shipment._erp_process_events(vals_list)
        except UniqueViolation:
            # a concurrent request stored the same event meanwhile
            return 409, self._erp_push_answer(
                False, "conflict", "The same events are being stored; retry."
            )
        if push.get("resubscribe"):
            Shipment._erp_tracking_resubscribe(self, push["resubscribe"])
        return 200, self._erp_push_answer(
            True,
            new_events=len(events),
            duplicates=len(vals_list) - len(events),
            ignored=len(errors),
        )

    def _erp_tracking_subscribe(self, shipments):
        """Register ``shipments`` with the carrier's tracking service.

        :return: ``{shipment id: (subscription state, message)}`` with the
            state ``subscribed``, ``failed`` (the service refuses the number:
            no retry) or ``pending`` (try again later)
        """
        self.ensure_one()
        method = getattr(
            self, f"_erp_tracking_subscribe_{self.sudo().tracking_provider}", None
        )
        if not method or not shipments:
            return {}
        return method(shipments)

    def _erp_courier_codes(self, shipments):
        """``{shipment id: courier code}`` of ``shipments`` of these carriers:
        the shipment's recognised code, else its carrier's courier code, else
        the code the courier code mapping gives the carrier (empty when none
        is known)."""
        # sudo: the courier code is readable by logistics administrators only
        carriers = self.sudo()
        mapped = {}
        for provider, group in groupby(carriers, key=lambda c: c.tracking_provider):
            mappings = self.env["erp.courier.code"]._erp_find(
                provider, carriers=self.browse([c.id for c in group])
            )
            for mapping in mappings.sorted("id", reverse=True):
                mapped[mapping.carrier_id.id] = mapping.code
        # sudo: the shipment's courier code is for logistics users (field
        # groups); registering and polling read it for whoever runs them
        return {
            shipment.id: shipment.sudo().erp_courier_code
            or shipment.carrier_id.sudo().tracking_carrier_code
            or mapped.get(shipment.carrier_id.id)
            or ""
            for shipment in shipments
        }
