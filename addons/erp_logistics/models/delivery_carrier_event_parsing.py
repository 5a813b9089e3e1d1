# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging
from datetime import datetime, timedelta, timezone

import pytz

from odoo import api, fields, models

from .erp_shipment import EVENT_STATUS_CODES, SHIPMENT_INTAKE_FIELDS
from .erp_shipment_event import neutralize_formula

_logger = logging.getLogger(__name__)

# events dated further ahead are refused: a wrong clock or a forged date would
# otherwise keep every later real event from moving the shipment
EVENT_FUTURE_TOLERANCE = timedelta(days=1)


def _erp_is_storable_text(value):
    """Whether the string ``value`` can be stored in PostgreSQL: no NUL
    character and encodable in UTF-8 (JSON may carry lone surrogates such as
    ``\\ud800``)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _erp_shorten(text, size=40):
    """``text`` cut to ``size`` characters for an error message."""
    return text if len(text) <= size else text[:size] + "..."


class DeliveryCarrier(models.Model):
    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "delivery.carrier"  # pylint: disable=consider-merging-classes-inherited

    # -------------------------------------------------------- parsing
    def _erp_parse_events(self, raw_events, source):
        """Validate raw carrier events and turn them into event values.

        :param raw_events: list of dicts with ``tracking_number``, ``status``,
            ``time`` (ISO 8601), optional ``location``, ``description``,
            ``received_by``
        :return: ``(vals_list, errors)``: the values of the valid events and a
            dict {0-based index of an invalid event: reason} (nothing is
            written)
        """
        self.ensure_one()
        if not isinstance(raw_events, list):
            return [], {0: self.env._("'events' must be a list.")}
        numbers = {
            raw.get("tracking_number")
            for raw in raw_events
            if isinstance(raw, dict)
            and isinstance(raw.get("tracking_number"), str)
            # PostgreSQL cannot compare text with NUL or a lone surrogate:
            # such numbers are invalid
            and _erp_is_storable_text(raw["tracking_number"])
        }
        # the webhook and the cron run as superuser: look only at this
        # carrier's shipments; what storing the events reads of them comes
        # with the search (no second read of the shipments)
        shipments = self.env["erp.shipment"].search_fetch(
            [("carrier_id", "=", self.id), ("tracking_number", "in", list(numbers))],
            SHIPMENT_INTAKE_FIELDS,
        )
        by_number = {s.tracking_number: s for s in shipments}
        vals_list, errors = [], {}
        for index, raw in enumerate(raw_events):
            try:
                vals, error = self._erp_parse_event(raw, by_number, source)
            except (ValueError, TypeError, OverflowError, RecursionError):
                # untrusted input: an unforeseen shape is this event's error,
                # not a crash of the whole request or polling batch
                _logger.info("Malformed %s event %s", source, index + 1, exc_info=True)
                vals, error = False, self.env._("malformed event")
            if error:
                errors[index] = error
            else:
                vals_list.append(vals)
        return vals_list, errors

    def _erp_format_errors(self, errors, limit=20):
        """One line of text listing the first parse errors."""
        return "; ".join(
            self.env._("event %(index)s: %(error)s", index=index + 1, error=error)
            for index, error in sorted(errors.items())[:limit]
        )

    def _erp_parse_event(self, raw, shipments_by_number, source):
        """Validate one raw event; return ``(vals, False)`` or
        ``(False, reason)``."""
        if not isinstance(raw, dict):
            return False, self.env._("not an object")
        number = raw.get("tracking_number")
        if not number or not isinstance(number, str):
            return False, self.env._("missing tracking_number")
        if not _erp_is_storable_text(number) or len(number) > 128:
            return False, self.env._("invalid tracking_number")
        shipment = shipments_by_number.get(number)
        if not shipment:
            return False, self.env._("unknown tracking number %s", number)
        status = raw.get("status")
        if not isinstance(status, str):
            return False, self.env._("%s must be a string", "status")
        if status not in EVENT_STATUS_CODES:
            return False, self.env._("unknown status %s", _erp_shorten(status))
        time = raw.get("time")
        if time is not None and not isinstance(time, str):
            return False, self.env._("%s must be a string", "time")
        # an imported spreadsheet's time without an offset is the importing
        # user's local time; a carrier's, UTC
        event_time = self._erp_parse_time(
            time, self._erp_user_tz() if source == "import" else None
        )
        if not event_time:
            return False, self.env._("unparsable time %s", _erp_shorten(time or ""))
        if event_time > fields.Datetime.now() + EVENT_FUTURE_TOLERANCE:
            return False, self.env._(
                "time %s is more than a day in the future", _erp_shorten(time)
            )
        texts = {}
        for key in (
            "location",
            "description",
            "received_by",
            "provider_status",
            "push_id",
        ):
            value = raw.get(key)
            if value is not None and not isinstance(value, str):
                return False, self.env._("%s must be a string", key)
            value = (value or "").replace("\x00", "").strip()
            if not _erp_is_storable_text(value):
                return False, self.env._("%s is not valid text", key)
            texts[key] = neutralize_formula(value)[:255]
        payload = json.dumps(raw, ensure_ascii=False, sort_keys=True)
        if not _erp_is_storable_text(payload):
            # lone surrogates elsewhere in the event: keep them escaped
            payload = json.dumps(raw, sort_keys=True)
        return {
            "shipment_id": shipment.id,
            "status": status,
            "event_time": event_time,
            "location": texts["location"],
            "description": texts["description"] or False,
            "received_by": texts["received_by"] or False,
            "provider_status": texts["provider_status"] or False,
            "push_id": texts["push_id"] or False,
            "source": source,
            "payload": payload,
        }, False

    @api.model
    def _erp_user_tz(self):
        """The user's timezone (UTC when unknown)."""
        name = self.env.context.get("tz") or self.env.user.tz
        return pytz.timezone(name) if name in pytz.all_timezones_set else pytz.utc

    @api.model
    def _erp_parse_time(self, value, naive_tz=None):
        """Parse an ISO 8601 time into a naive UTC datetime, or None. A time
        without an offset is in ``naive_tz`` (a pytz timezone), else UTC."""
        if not isinstance(value, str) or not value.strip():
            return None
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
            if not parsed.tzinfo and naive_tz:
                parsed = naive_tz.localize(parsed)
            if parsed.tzinfo:
                # OverflowError: the offset moves the time out of years 1-9999
                parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError):
            return None
        return parsed.replace(microsecond=0)
