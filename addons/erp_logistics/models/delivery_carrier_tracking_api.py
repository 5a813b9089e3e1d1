# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import http.client
import json
import logging
import socket
import ssl
import threading
import time
from urllib.parse import urlencode, urlsplit

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# outbound tracking API calls: seconds to connect, seconds a single read may
# wait, seconds the whole call may take, and the largest answer read
TRACKING_API_CONNECT_TIMEOUT = 10
TRACKING_API_READ_TIMEOUT = 15
TRACKING_API_DEADLINE = 30
TRACKING_API_MAX_BYTES = 2 * 1024 * 1024


class TrackingApiError(Exception):
    """An outbound tracking API call failed; ``kind`` says how (the details
    stay in the server log)."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


class DeliveryCarrier(models.Model):
    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "delivery.carrier"  # pylint: disable=consider-merging-classes-inherited

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
        """``GET <base_url><path>?<params>`` and return the answer's body
        (see ``_erp_tracking_api_request``)."""
        return self._erp_tracking_api_request("GET", base_url, path, params, headers)

    def _erp_tracking_api_request(
        self, method, base_url, path, params, headers, body=None, statuses=()
    ):
        """``<method> <base_url><path>?<params>`` with ``body`` (bytes) and
        return the answer's body.

        https only (plain http only for allowed hosts), redirections are not
        followed, the whole call ends after ``TRACKING_API_DEADLINE`` seconds
        and an answer larger than ``TRACKING_API_MAX_BYTES`` is refused.

        :param statuses: HTTP error statuses whose body is returned (a service
            that explains its refusals in the body)
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
                method,
                target,
                body=body,
                headers={**headers, "Accept-Encoding": "identity"},
            )
            response = connection.getresponse()
            if 300 <= response.status < 400:
                raise TrackingApiError("redirect", str(response.status))
            if response.status >= 400 and response.status not in statuses:
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
