# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import http.client
import json
import logging
import secrets
import socket
import ssl
import threading
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode, urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .erp_shipment import EVENT_STATUS_CODES, erp_is_http_url
from .erp_shipment_event import neutralize_formula

_logger = logging.getLogger(__name__)

# outbound tracking API calls: seconds to connect, seconds a single read may
# wait, seconds the whole call may take, and the largest answer read
TRACKING_API_CONNECT_TIMEOUT = 10
TRACKING_API_READ_TIMEOUT = 15
TRACKING_API_DEADLINE = 30
TRACKING_API_MAX_BYTES = 2 * 1024 * 1024
# system parameter: comma-separated hosts the tracking API may reach over
# plain http (everything else must be https)
TRACKING_HTTP_HOSTS_PARAM = "erp_logistics.tracking_http_hosts"
# the tracking configuration of a carrier: where Odoo sends the API key and
# which requests it trusts; logistics administrators only (field groups)
TRACKING_CONFIG_FIELDS = (
    "tracking_provider",
    "tracking_api_url",
    "tracking_api_key",
    "webhook_secret",
)


class TrackingApiError(Exception):
    """An outbound tracking API call failed; ``kind`` says how (the details
    stay in the server log)."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


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
    _inherit = "delivery.carrier"

    tracking_provider = fields.Selection(
        [
            ("manual", "Manual"),
            ("webhook", "Webhook (carrier pushes events)"),
            ("json_api", "JSON Tracking API (polled)"),
        ],
        required=True,
        default="manual",
        groups="erp_logistics.erp_logistics_group_manager",
        help="How tracking events reach Odoo: entered by hand or imported, "
        "pushed by the carrier to the signed webhook, or polled from a JSON "
        "tracking API.",
    )
    webhook_secret = fields.Char(
        copy=False,
        groups="erp_logistics.erp_logistics_group_manager",
        help="Shared secret of the webhook: the carrier signs each request body "
        "with HMAC-SHA256 and sends the hex digest in the X-ERP-Signature header.",
    )
    erp_webhook_url = fields.Char(
        string="Webhook URL", compute="_compute_erp_webhook_url"
    )
    tracking_api_url = fields.Char(
        string="Tracking API URL",
        groups="erp_logistics.erp_logistics_group_manager",
        help="Base URL of the JSON tracking API; Odoo calls "
        "<base URL>/track?numbers=<n1>,<n2>. https only; plain http only for "
        "the hosts listed in the system parameter "
        "erp_logistics.tracking_http_hosts.",
    )
    tracking_api_key = fields.Char(
        string="Tracking API Key",
        copy=False,
        groups="erp_logistics.erp_logistics_group_manager",
        help="Sent as a Bearer token in the Authorization header.",
    )
    erp_notify_customer = fields.Boolean(
        string="Notify Customers",
        default=True,
        help="Email the customer when a shipment is shipped, out for delivery, "
        "delivered or in exception.",
    )

    erp_transit_days = fields.Integer(
        string="Transit Days",
        default=3,
        help="Days the carrier usually needs from the handover of a parcel to "
        "its delivery: a new shipment is expected at its shipping time plus "
        "these days, and is late after that.",
    )

    def _erp_expected_delivery(self, date_shipped):
        """When a parcel handed to this carrier at ``date_shipped`` should be
        delivered: that time plus the carrier's transit days."""
        self.ensure_one()
        return date_shipped + timedelta(days=self.erp_transit_days)

    def _prepare_create_values(self, vals_list):
        # Odoo checks the groups of fields on read and write but not on
        # create: a sales manager, who may create delivery methods, must not
        # give a new carrier a tracking configuration of his own either. The
        # values are checked with the defaults (also those of the context)
        result = super()._prepare_create_values(vals_list)
        if not self.env.su:
            unset = {"tracking_provider": "manual"}
            given = [
                name
                for name in TRACKING_CONFIG_FIELDS
                if any(
                    vals.get(name) not in (None, False, "", unset.get(name))
                    for vals in result
                )
            ]
            if given:
                self.check_field_access_rights("create", given)
        return result

    def copy_data(self, default=None):
        # a user who may not read the tracking configuration could not
        # duplicate a carrier (Odoo reads every copied field): the duplicate
        # starts without it (manual tracking), as a carrier he creates
        default = dict(default or {})
        if not self.env.su:
            for name in TRACKING_CONFIG_FIELDS:
                if name not in default and not self._fields[name].is_accessible(
                    self.env
                ):
                    default[name] = "manual" if name == "tracking_provider" else False
        return super().copy_data(default=default)

    @api.constrains("erp_transit_days")
    def _check_erp_transit_days(self):
        for carrier in self:
            if carrier.erp_transit_days < 0:
                raise ValidationError(
                    self.env._(
                        "The transit days of %(carrier)s cannot be negative.",
                        carrier=carrier.name,
                    )
                )

    @api.constrains("tracking_url")
    def _check_erp_tracking_url(self):
        for carrier in self:
            if carrier.tracking_url and not erp_is_http_url(carrier.tracking_url):
                raise ValidationError(
                    self.env._(
                        "The tracking link of %(carrier)s must be an http or "
                        "https address.",
                        carrier=carrier.name,
                    )
                )

    @api.constrains("tracking_api_url")
    def _check_erp_tracking_api_url(self):
        # sudo: the URL is readable by logistics administrators only, and a
        # carrier created by a sales manager checks its (empty) URL too
        for carrier in self.sudo():
            url = carrier.tracking_api_url
            if url and not carrier._erp_tracking_api_url_allowed(url):
                raise ValidationError(
                    self.env._(
                        "The tracking API URL of %(carrier)s must be an https "
                        "address (plain http only for the hosts an administrator "
                        "allowed in the system parameter %(param)s).",
                        carrier=carrier.name,
                        param=TRACKING_HTTP_HOSTS_PARAM,
                    )
                )

    @api.model
    def _erp_tracking_api_url_allowed(self, url):
        """Whether the tracking API may be called at ``url``: https, or http to
        a host listed in the ``erp_logistics.tracking_http_hosts`` system
        parameter; never with credentials in the address."""
        try:
            parts = urlsplit(url.strip())
            hostname = parts.hostname
            port = parts.port
        except ValueError:
            return False
        if not hostname or parts.username or parts.password:
            return False
        if parts.scheme == "https":
            return True
        if parts.scheme != "http":
            return False
        # sudo: reading system parameters needs the settings group; only
        # settings administrators can edit this list
        allowed = {
            host.strip().lower()
            for host in (
                self.env["ir.config_parameter"]
                .sudo()
                .get_param(TRACKING_HTTP_HOSTS_PARAM, "")
                .split(",")
            )
            if host.strip()
        }
        return hostname.lower() in allowed or f"{hostname.lower()}:{port}" in allowed

    def _compute_erp_webhook_url(self):
        # get_base_url() takes one record at most (a website may give each
        # carrier's company its own address): ask it per carrier
        for carrier in self:
            carrier.erp_webhook_url = (
                f"{carrier.get_base_url()}/erp_logistics/webhook/{carrier.id}"
                if carrier.id
                else False
            )

    def action_generate_webhook_secret(self):
        """Generate a new random webhook secret (256 bits, hexadecimal); the
        write checks that the user may set it (logistics administrators)."""
        for carrier in self:
            carrier.webhook_secret = secrets.token_hex(32)
        return True

    # ------------------------------------------------ provider interface
    @api.model
    def _erp_polling_providers(self):
        """Providers whose events are fetched by the polling cron."""
        return ["json_api"]

    def _erp_tracking_poll(self, shipments):
        """Fetch the tracking events of ``shipments`` from the carrier.

        Dispatches to ``_erp_tracking_poll_<provider>``, which returns raw
        event dicts (``tracking_number``, ``status``, ``time``, ``location``,
        ``description``, ``received_by``). Providers that do not poll
        (``manual``, ``webhook``) return nothing.

        :return: normalized ``erp.shipment.event`` values (``source`` poll)
        """
        self.ensure_one()
        # the provider is restricted to administrators; the cron and the
        # logistics users polling by hand need it
        provider = self.sudo().tracking_provider
        method = getattr(self, f"_erp_tracking_poll_{provider}", None)
        if not method or not shipments:
            return []
        raw_events = method(shipments)
        vals_list, errors = self._erp_parse_events(raw_events, "poll")
        if errors:
            _logger.warning(
                "Carrier %s: ignored tracking events: %s",
                self.id,
                self._erp_format_errors(errors),
            )
        return vals_list

    def _erp_tracking_poll_json_api(self, shipments):
        """Generic JSON tracking API: ``GET <base>/track?numbers=a,b`` with a
        Bearer key, answering ``{"events": [{...}, ...]}``."""
        self.ensure_one()
        # the API key is restricted to managers; the cron and users need it
        carrier = self.sudo()
        if not carrier.tracking_api_url:
            raise UserError(
                self.env._("Carrier %s has no tracking API URL.", self.name)
            )
        headers = {"Accept": "application/json"}
        if carrier.tracking_api_key:
            headers["Authorization"] = f"Bearer {carrier.tracking_api_key}"
        numbers = ",".join(
            shipments.filtered("tracking_number").mapped("tracking_number")
        )
        try:
            body = carrier._erp_tracking_api_get(
                carrier.tracking_api_url, "/track", {"numbers": numbers}, headers
            )
            data = json.loads(body)
        except (TrackingApiError, ValueError, RecursionError) as error:
            # the details (address, port, system error) go to the server log
            # only: the message shown to the user names the kind of failure
            _logger.warning("Carrier %s: tracking API call failed: %s", self.id, error)
            kind = error.kind if isinstance(error, TrackingApiError) else "invalid"
            raise UserError(self._erp_tracking_api_error_message(kind)) from None
        if not isinstance(data, dict) or not isinstance(data.get("events"), list):
            raise UserError(
                self.env._(
                    "The tracking API of %s answered without an events list.",
                    self.name,
                )
            )
        return data["events"]

    def _erp_tracking_api_error_message(self, kind):
        """The translated message of a failed tracking API call, without any
        connection detail."""
        messages = {
            "refused_url": self.env._(
                "The tracking API URL of %s is not allowed (https only, plain "
                "http only for allowed hosts).",
                self.name,
            ),
            "redirect": self.env._(
                "The tracking API of %s answered with a redirection, which is "
                "not followed.",
                self.name,
            ),
            "too_large": self.env._(
                "The answer of the tracking API of %s is too large.", self.name
            ),
            "timeout": self.env._(
                "The tracking API of %s did not answer in time.", self.name
            ),
            "status": self.env._(
                "The tracking API of %s answered with an error.", self.name
            ),
            "invalid": self.env._(
                "The tracking API of %s answered with invalid JSON.", self.name
            ),
        }
        return messages.get(
            kind,
            self.env._("The tracking API of %s could not be reached.", self.name),
        )

    def _erp_tracking_api_get(self, base_url, path, params, headers):
        """``GET <base_url><path>?<params>`` and return the answer's body.

        https only (plain http only for allowed hosts), redirections are not
        followed, the whole call ends after ``TRACKING_API_DEADLINE`` seconds
        and an answer larger than ``TRACKING_API_MAX_BYTES`` is refused.

        :raise TrackingApiError: on any failure (refused URL, connection,
            timeout, redirection, HTTP error, too large answer)
        """
        if not base_url or not self._erp_tracking_api_url_allowed(base_url):
            raise TrackingApiError("refused_url", base_url or "")
        parts = urlsplit(base_url.strip())
        target = (parts.path.rstrip("/") or "") + path
        query = "&".join(q for q in (parts.query, urlencode(params)) if q)
        if query:
            target += "?" + query
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                parts.hostname,
                parts.port,
                timeout=TRACKING_API_CONNECT_TIMEOUT,
                context=ssl.create_default_context(),
            )
        else:
            connection = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=TRACKING_API_CONNECT_TIMEOUT
            )
        deadline = time.monotonic() + TRACKING_API_DEADLINE
        watchdog = None
        try:
            connection.connect()
            connection.sock.settimeout(TRACKING_API_READ_TIMEOUT)
            # a slow server sending a byte now and then would keep every read
            # under its timeout: the watchdog shuts the socket at the deadline
            watchdog = threading.Timer(
                max(deadline - time.monotonic(), 0.0),
                self._erp_tracking_api_shutdown,
                args=(connection.sock,),
            )
            watchdog.daemon = True
            watchdog.start()
            connection.request(
                "GET",
                target,
                headers={**headers, "Accept-Encoding": "identity"},
            )
            response = connection.getresponse()
            if 300 <= response.status < 400:
                raise TrackingApiError("redirect", str(response.status))
            if response.status >= 400:
                raise TrackingApiError("status", str(response.status))
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > TRACKING_API_MAX_BYTES:
                raise TrackingApiError("too_large", length)
            chunks, size = [], 0
            while True:
                chunk = response.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > TRACKING_API_MAX_BYTES:
                    raise TrackingApiError("too_large", str(size))
                chunks.append(chunk)
            if time.monotonic() >= deadline:
                raise TrackingApiError("timeout", "deadline")
            return b"".join(chunks)
        except TrackingApiError:
            raise
        except TimeoutError as error:
            raise TrackingApiError("timeout", repr(error)) from error
        except (OSError, http.client.HTTPException, ValueError) as error:
            if time.monotonic() >= deadline:
                raise TrackingApiError("timeout", repr(error)) from error
            raise TrackingApiError("connection", repr(error)) from error
        finally:
            if watchdog:
                watchdog.cancel()
            connection.close()

    @staticmethod
    def _erp_tracking_api_shutdown(sock):
        """Watchdog: end a tracking API call past its deadline."""
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError as error:
            # the call ended meanwhile and closed its socket
            _logger.debug("Tracking API socket already closed: %s", error)

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
        # carrier's shipments
        shipments = self.env["erp.shipment"].search_fetch(
            [("carrier_id", "=", self.id), ("tracking_number", "in", list(numbers))],
            ["tracking_number"],
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
        event_time = self._erp_parse_time(time)
        if not event_time:
            return False, self.env._("unparsable time %s", _erp_shorten(time or ""))
        if event_time > fields.Datetime.now() + EVENT_FUTURE_TOLERANCE:
            return False, self.env._(
                "time %s is more than a day in the future", _erp_shorten(time)
            )
        texts = {}
        for key in ("location", "description", "received_by"):
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
            "source": source,
            "payload": payload,
        }, False

    @api.model
    def _erp_parse_time(self, value):
        """Parse an ISO 8601 time into a naive UTC datetime, or None."""
        if not isinstance(value, str) or not value.strip():
            return None
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
            if parsed.tzinfo:
                # OverflowError: the offset moves the time out of years 1-9999
                parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError):
            return None
        return parsed.replace(microsecond=0)
