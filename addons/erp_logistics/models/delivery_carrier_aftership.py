# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""AfterShip adapter: tracking creation (``POST /trackings``), signed
webhook (header ``aftership-hmac-sha256``), tracking query (``GET
/trackings``) and the mapping of its tags onto the shipment's statuses."""

import base64
import hashlib
import hmac
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .delivery_carrier_tracking_api import TrackingApiError

_logger = logging.getLogger(__name__)

AFTERSHIP_URL = "https://api.aftership.com/tracking/2024-04"
AFTERSHIP_SIGNATURE_HEADER = "aftership-hmac-sha256"
# AfterShip tag -> event status
AFTERSHIP_TAGS = {
    "Pending": "shipped",
    "InfoReceived": "shipped",
    "InTransit": "in_transit",
    "OutForDelivery": "out_for_delivery",
    "AvailableForPickup": "out_for_delivery",
    "AttemptFail": "exception",
    "Delivered": "delivered",
    "Exception": "exception",
    "Expired": "exception",
}
# sub-tags that say more than their tag
AFTERSHIP_SUBTAGS = {"Exception_011": "returned"}  # Returned to sender
# AfterShip's answer codes: created / already there (both mean: followed)
AFTERSHIP_FOLLOWED = {200, 201, 4003}
AFTERSHIP_ACCOUNT_ERRORS = {401, 403, 429}
AFTERSHIP_ERROR_STATUSES = (400, 401, 402, 403, 404, 409, 422, 429)


def aftership_sign(body, secret):
    """AfterShip's webhook signature: base64 HMAC-SHA256 of the raw body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def aftership_status(tag, subtag=""):
    """The event status of an AfterShip tag and sub-tag."""
    return AFTERSHIP_SUBTAGS.get(subtag or "") or AFTERSHIP_TAGS.get(tag or "")


class DeliveryCarrier(models.Model):
    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "delivery.carrier"  # pylint: disable=consider-merging-classes-inherited

    tracking_provider = fields.Selection(
        selection_add=[("aftership", "AfterShip")],
        ondelete={"aftership": "set default"},
    )

    @api.model
    def _erp_polling_providers(self):
        return [*super()._erp_polling_providers(), "aftership"]

    @api.model
    def _erp_push_providers(self):
        return [*super()._erp_push_providers(), "aftership"]

    @api.model
    def _erp_subscribing_providers(self):
        return [*super()._erp_subscribing_providers(), "aftership"]

    # -------------------------------------------------------------- push
    def _erp_push_verify_aftership(self, body, headers, form):
        expected = aftership_sign(body, self.webhook_secret)
        given = (headers.get(AFTERSHIP_SIGNATURE_HEADER) or "").strip()
        return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))

    def _erp_push_read_aftership(self, body, headers, form):
        push = json.loads(body)
        if push.get("event") != "tracking_update":
            # estimated dates and pending times carry no tracking event
            return {"events": []}
        return {
            "events": self._erp_aftership_events(push["msg"]),
            "push_id": push.get("event_id"),
        }

    def _erp_aftership_events(self, tracking):
        """Raw events of an AfterShip tracking (webhook ``msg`` or query)."""
        number = tracking.get("tracking_number")
        events = []
        for checkpoint in tracking.get("checkpoints") or []:
            tag, subtag = checkpoint.get("tag"), checkpoint.get("subtag") or ""
            status = aftership_status(tag, subtag) or "in_transit"
            location = checkpoint.get("location") or ", ".join(
                part
                for part in (
                    checkpoint.get("city"),
                    checkpoint.get("state"),
                    checkpoint.get("country_name") or checkpoint.get("country_iso3"),
                )
                if part
            )
            events.append(
                {
                    "tracking_number": number,
                    "status": status,
                    "time": checkpoint.get("checkpoint_time"),
                    "location": location,
                    "description": checkpoint.get("message") or "",
                    "provider_status": " ".join(
                        p for p in (subtag, checkpoint.get("subtag_message")) if p
                    ),
                    "received_by": tracking.get("signed_by")
                    if status == "delivered"
                    else None,
                }
            )
        return events

    # ------------------------------------------------ subscribe and query
    def _erp_aftership_call(self, method, path, params=None, payload=None):
        """Call AfterShip's tracking API and return ``(meta code, data)``."""
        carrier = self.sudo()
        try:
            body = carrier._erp_tracking_api_request(
                method,
                carrier.tracking_api_url or AFTERSHIP_URL,
                path,
                params or {},
                {
                    "Accept": "application/json",
                    "Content-Type": "application/json",
                    "as-api-key": carrier.tracking_api_key or "",
                },
                json.dumps(payload).encode() if payload is not None else None,
                # AfterShip explains its refusals in the body's meta code
                statuses=AFTERSHIP_ERROR_STATUSES,
            )
            answer = json.loads(body)
        except TrackingApiError as error:
            _logger.warning("Carrier %s: AfterShip call failed: %s", self.id, error)
            raise UserError(self._erp_tracking_api_error_message(error.kind)) from None
        except (ValueError, RecursionError):
            raise UserError(self._erp_tracking_api_error_message("invalid")) from None
        if not isinstance(answer, dict):
            raise UserError(self._erp_tracking_api_error_message("invalid"))
        data = answer.get("data") or {}
        return (answer.get("meta") or {}).get("code"), data if isinstance(
            data, dict
        ) else {}

    def _erp_aftership_refusal(self, code):
        if code in AFTERSHIP_ACCOUNT_ERRORS:
            return self.env._(
                "AfterShip refused the account of %(carrier)s (code %(code)s); "
                "check the API key.",
                carrier=self.name,
                code=code,
            )
        return None

    def _erp_tracking_subscribe_aftership(self, shipments):
        # the courier: the shipment's, the carrier's or the mapped one
        codes = self._erp_courier_codes(shipments)
        results = {}
        for shipment in shipments:
            code, _data = self._erp_aftership_call(
                "POST",
                "/trackings",
                payload={
                    "tracking_number": shipment.tracking_number,
                    "slug": codes.get(shipment.id) or "",
                    "order_number": shipment.sale_order_id.name or shipment.name,
                },
            )
            if code in AFTERSHIP_FOLLOWED:
                results[shipment.id] = ("subscribed", str(code))
            elif self._erp_aftership_refusal(code):
                raise UserError(self._erp_aftership_refusal(code))
            elif isinstance(code, int) and code >= 4000:
                # a request AfterShip refuses (bad number or slug): not again
                results[shipment.id] = ("failed", str(code))
            else:
                results[shipment.id] = ("pending", str(code or ""))
        return results

    def _erp_tracking_test_aftership(self):
        """``GET /couriers``: the couriers of the account, a free call that
        checks the API key."""
        code, data = self._erp_aftership_call("GET", "/couriers")
        if code != 200:
            raise UserError(
                self._erp_aftership_refusal(code)
                or self._erp_tracking_api_error_message("status")
            )
        return self.env._(
            "AfterShip accepted the API key (%s couriers enabled).",
            len(data.get("couriers") or []),
        )

    def _erp_tracking_poll_aftership(self, shipments):
        numbers = shipments.filtered("tracking_number").mapped("tracking_number")
        code, data = self._erp_aftership_call(
            "GET", "/trackings", params={"tracking_numbers": ",".join(numbers)}
        )
        if code not in (200, 201):
            raise UserError(
                self._erp_aftership_refusal(code)
                or self._erp_tracking_api_error_message("status")
            )
        events = []
        for tracking in data.get("trackings") or []:
            events += self._erp_aftership_events(tracking)
        return events
