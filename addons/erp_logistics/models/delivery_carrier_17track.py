# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""17TRACK (API v2.2) adapter: registration (``POST /register``), signed
push (header ``sign``), tracking query (``POST /gettrackinfo``) and the
mapping of its statuses onto the shipment's."""

import hashlib
import hmac
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from .delivery_carrier_tracking_api import TrackingApiError

_logger = logging.getLogger(__name__)

TRACK17_URL = "https://api.17track.net/track/v2.2"
TRACK17_SIGNATURE_HEADER = "sign"
# 17TRACK status -> event status
TRACK17_STATUSES = {
    "InfoReceived": "shipped",
    "InTransit": "in_transit",
    "AvailableForPickup": "out_for_delivery",
    "OutForDelivery": "out_for_delivery",
    "DeliveryFailure": "exception",
    "Delivered": "delivered",
    "Exception": "exception",
    "Expired": "exception",
}
TRACK17_SUB_STATUSES = {
    "InTransit_PickedUp": "shipped",
    "Exception_Returned": "returned",
}
# register: "already registered" counts as registered
TRACK17_ALREADY_REGISTERED = -18019901
# account errors (IP not allowed, bad token, account disabled, unauthorized,
# too many requests); -18010010 to -18010020 are errors of the submitted data
TRACK17_ACCOUNT_ERRORS = {-18010001, -18010002, -18010004, -18010005, 401, 429}
# numbers per call: 17TRACK takes at most 40 in one register or
# gettrackinfo request (and refuses the whole request beyond)
TRACK17_BATCH = 40


def track17_sign(body, key):
    """17TRACK's push signature: hex SHA-256 of the raw body, "/" and the
    security key."""
    return hashlib.sha256(body + b"/" + key.encode()).hexdigest()


def track17_status(stage, sub_status=""):
    """The event status of a 17TRACK stage (status) and sub-status."""
    return TRACK17_SUB_STATUSES.get(sub_status or "") or TRACK17_STATUSES.get(
        stage or ""
    )


class DeliveryCarrier(models.Model):
    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "delivery.carrier"  # pylint: disable=consider-merging-classes-inherited

    tracking_provider = fields.Selection(
        selection_add=[("17track", "17TRACK")],
        ondelete={"17track": "set default"},
    )

    @api.model
    def _erp_polling_providers(self):
        return [*super()._erp_polling_providers(), "17track"]

    @api.model
    def _erp_push_providers(self):
        return [*super()._erp_push_providers(), "17track"]

    @api.model
    def _erp_subscribing_providers(self):
        return [*super()._erp_subscribing_providers(), "17track"]

    # -------------------------------------------------------------- push
    def _erp_push_verify_17track(self, body, headers, form):
        expected = track17_sign(body, self.webhook_secret)
        given = (headers.get(TRACK17_SIGNATURE_HEADER) or "").strip().lower()
        return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))

    def _erp_push_read_17track(self, body, headers, form):
        push = json.loads(body)
        if push.get("event") != "TRACKING_UPDATED":
            # TRACKING_STOPPED and others carry no tracking event
            return {"events": []}
        return {"events": self._erp_17track_events(push["data"])}

    def _erp_17track_events(self, data):
        """Raw events of a 17TRACK number (push ``data`` or query item)."""
        number = data.get("number")
        info = data.get("track_info") or {}
        latest = info.get("latest_status") or {}
        signer = (info.get("misc_info") or {}).get("signed_by")
        events = []
        for provider in (info.get("tracking") or {}).get("providers") or []:
            for item in provider.get("events") or []:
                stage = item.get("stage") or latest.get("status")
                sub_status = item.get("sub_status") or ""
                status = track17_status(stage, sub_status) or "in_transit"
                events.append(
                    {
                        "tracking_number": number,
                        "status": status,
                        "time": item.get("time_iso") or item.get("time_utc"),
                        "location": item.get("location") or "",
                        "description": item.get("description") or "",
                        "provider_status": sub_status or stage or "",
                        "received_by": signer if status == "delivered" else None,
                    }
                )
        return events

    # ------------------------------------------------ subscribe and query
    def _erp_17track_call(self, path, payload):
        """POST to 17TRACK's API; return ``(code, accepted, rejected)``."""
        carrier = self.sudo()
        try:
            body = carrier._erp_tracking_api_request(
                "POST",
                carrier.tracking_api_url or TRACK17_URL,
                path,
                {},
                {
                    "Accept": "application/json",
                    "Content-Type": "application/json",
                    "17token": carrier.tracking_api_key or "",
                },
                json.dumps(payload).encode(),
                statuses=(401, 429),
            )
            answer = json.loads(body)
        except TrackingApiError as error:
            _logger.warning("Carrier %s: 17TRACK call failed: %s", self.id, error)
            raise UserError(self._erp_tracking_api_error_message(error.kind)) from None
        except (ValueError, RecursionError):
            raise UserError(self._erp_tracking_api_error_message("invalid")) from None
        if not isinstance(answer, dict):
            raise UserError(self._erp_tracking_api_error_message("invalid"))
        data = answer.get("data")
        data = data if isinstance(data, dict) else {}
        code = answer.get("code")
        errors = [e for e in data.get("errors") or [] if isinstance(e, dict)]
        if code in TRACK17_ACCOUNT_ERRORS or any(
            e.get("code") in TRACK17_ACCOUNT_ERRORS for e in errors
        ):
            raise UserError(
                self.env._(
                    "17TRACK refused the account of %(carrier)s (code %(code)s); "
                    "check the token.",
                    carrier=self.name,
                    code=code if code else errors[0].get("code"),
                )
            )
        if code != 0:
            raise UserError(self._erp_tracking_api_error_message("status"))
        return data.get("accepted") or [], data.get("rejected") or []

    def _erp_17track_numbers(self, shipments):
        """The numbers of ``shipments`` as 17TRACK's request items, each with
        its courier's numeric code where one is known (the shipment's, the
        carrier's or the mapped one)."""
        codes = self._erp_courier_codes(shipments)
        items = {}
        for shipment in shipments.filtered("tracking_number"):
            code = (codes.get(shipment.id) or "").strip()
            items.setdefault(
                shipment.tracking_number,
                {
                    "number": shipment.tracking_number,
                    **({"carrier": int(code)} if code.isdigit() else {}),
                },
            )
        return list(items.values())

    def _erp_17track_call_batched(self, path, shipments):
        """``_erp_17track_call`` of ``path`` for the numbers of ``shipments``,
        at most ``TRACK17_BATCH`` numbers a call: (accepted, rejected) of all
        the calls."""
        accepted, rejected = [], []
        for items in split_every(TRACK17_BATCH, self._erp_17track_numbers(shipments)):
            done, refused = self._erp_17track_call(path, list(items))
            accepted += done
            rejected += refused
        return accepted, rejected

    def _erp_tracking_subscribe_17track(self, shipments):
        accepted, rejected = self._erp_17track_call_batched("/register", shipments)
        by_number = {s.tracking_number: s for s in shipments}
        results = {}
        for item in accepted:
            if item.get("number") in by_number:
                results[by_number[item["number"]].id] = ("subscribed", "")
        for item in rejected:
            shipment = by_number.get(item.get("number"))
            if not shipment:
                continue
            error = item.get("error") or {}
            state = (
                "subscribed"
                if error.get("code") == TRACK17_ALREADY_REGISTERED
                else "failed"
            )
            results[shipment.id] = (
                state,
                f"{error.get('code', '')} {error.get('message', '')}".strip(),
            )
        return results

    def _erp_tracking_test_17track(self):
        """``POST /getquota``: the account's quota, a free call that checks
        the token."""
        self._erp_17track_call("/getquota", {})
        return self.env._("17TRACK accepted the token.")

    def _erp_tracking_poll_17track(self, shipments):
        accepted, rejected = self._erp_17track_call_batched("/gettrackinfo", shipments)
        if rejected:
            _logger.info("Carrier %s: 17TRACK has nothing for %s", self.id, rejected)
        events = []
        for item in accepted:
            events += self._erp_17track_events(item)
        return events
