# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import hmac
import json
import logging

from psycopg2.errors import UniqueViolation
from werkzeug.exceptions import RequestEntityTooLarge

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

MAX_BODY_SIZE = 1024 * 1024  # 1 MiB
SIGNATURE_HEADER = "X-ERP-Signature"
# signs nothing: computed for unknown carriers so that they cost the same
# time as a known one
_NO_SECRET = b"erp_logistics: no webhook secret"


class ErpLogisticsWebhook(http.Controller):
    def _erp_json_response(self, status, **payload):
        return request.make_json_response(payload, status=status)

    def _erp_read_body(self):
        """Return the raw body, or None when it is larger than the limit.

        The route's ``max_content_length`` makes werkzeug refuse a larger
        Content-Length before reading anything, and cap the input stream of a
        chunked body (no Content-Length): reading stops with
        ``RequestEntityTooLarge`` as soon as the limit is crossed, so such a
        body is never buffered whole.
        """
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > MAX_BODY_SIZE:
            return None
        try:
            # cached: Odoo replays the request after a serialization failure
            body = httprequest.get_data(cache=True)
        except RequestEntityTooLarge:
            return None
        return None if len(body) > MAX_BODY_SIZE else body

    @http.route(
        "/erp_logistics/webhook/<int:carrier_id>",
        type="http",
        # no session and no user: the signature authenticates the request
        # (auth="public" would check that the public user exists, a query
        # per request)
        auth="none",
        # writes (auth="none" routes default to a read-only cursor)
        readonly=False,
        methods=["POST"],
        csrf=False,
        save_session=False,
        # set before Odoo opens the input stream; one byte more than the
        # limit so that a chunked body of exactly 1 MiB is still read (the
        # stream refuses any read past its maximum)
        max_content_length=MAX_BODY_SIZE + 1,
    )
    def erp_tracking_webhook(self, carrier_id, **kwargs):
        """Receive signed tracking events pushed by a carrier.

        Body: ``{"events": [{"tracking_number", "status", "time", "location",
        "description", "received_by"}]}``; header ``X-ERP-Signature``: hex
        HMAC-SHA256 of the raw body with the carrier's webhook secret.
        Everything is validated before anything is written.
        """
        body = self._erp_read_body()
        if body is None:
            return self._erp_json_response(
                413, error="payload_too_large", reason="The body exceeds 1 MiB."
            )
        # public route, authenticated by the signature below: run as
        # superuser on behalf of the public user (who has no access to
        # carriers, shipments or events); its id is cached by the registry
        public_uid = request.env["ir.model.data"]._xmlid_to_res_id("base.public_user")
        env = request.env(user=public_uid, su=True)
        # one query reads the carrier and only what the push needs (archived
        # carriers too, like browse().exists())
        carrier = env["delivery.carrier"].search_fetch(
            [("id", "=", carrier_id), ("active", "in", (True, False))],
            ["tracking_provider", "webhook_secret"],
        )
        if carrier and carrier.tracking_provider in carrier._erp_push_providers():
            # a tracking service's own format and signature (快递100,
            # AfterShip, 17TRACK): its adapter verifies and reads the push
            # a form body (快递100) is parsed by Odoo before this method runs
            # (its raw body is read already): the adapter gets the fields
            status, answer = carrier._erp_receive_push(
                body, request.httprequest.headers, dict(request.httprequest.form)
            )
            return self._erp_json_response(status, **answer)
        secret = carrier.webhook_secret if carrier else False
        # an unknown carrier, a carrier without a webhook or without a secret
        # get the same answer as a bad signature: the answer must not tell
        # which carrier ids exist
        known = bool(carrier and carrier.tracking_provider == "webhook" and secret)
        key = secret.encode() if known else _NO_SECRET
        signature = request.httprequest.headers.get(SIGNATURE_HEADER, "")
        expected = hmac.new(key, body, hashlib.sha256).hexdigest()
        # compare bytes: a header with non-ASCII characters must not crash
        given = signature.strip().lower().encode("utf-8", "replace")
        if not hmac.compare_digest(expected.encode(), given) or not known:
            _logger.info(
                "Webhook of carrier %s: %s",
                carrier_id,
                "bad signature" if known else "no such webhook carrier",
            )
            return self._erp_json_response(
                403, error="bad_signature", reason="Invalid X-ERP-Signature."
            )
        mimetype = request.httprequest.mimetype
        if mimetype != "application/json":
            return self._erp_json_response(
                415,
                error="unsupported_media_type",
                reason="The body must be application/json.",
            )
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            return self._erp_json_response(
                400, error="bad_payload", reason="The body is not valid JSON."
            )
        except RecursionError:
            return self._erp_json_response(
                400, error="bad_payload", reason="The body is nested too deeply."
            )
        if not isinstance(data, dict) or not isinstance(data.get("events"), list):
            return self._erp_json_response(
                400,
                error="bad_payload",
                reason="The body must be an object with an 'events' list.",
            )
        vals_list, errors = carrier._erp_parse_events(data["events"], "webhook")
        if errors:
            return self._erp_json_response(
                400, error="bad_payload", reason=carrier._erp_format_errors(errors)
            )
        try:
            with env.cr.savepoint():
                events = env["erp.shipment"]._erp_process_events(vals_list)
        except UniqueViolation:
            # a concurrent request stored the same event meanwhile
            return self._erp_json_response(
                409,
                error="conflict",
                reason="The same events are being stored by another request; " "retry.",
            )
        return self._erp_json_response(
            200,
            new_events=len(events),
            duplicates=len(vals_list) - len(events),
        )
