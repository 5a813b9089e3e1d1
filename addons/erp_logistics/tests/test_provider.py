# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import parse_qs, urlparse

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import file_path, mute_logger

from odoo.addons.erp_logistics.models.delivery_carrier import (
    TRACKING_HTTP_HOSTS_PARAM,
)
from odoo.addons.erp_logistics.models.delivery_carrier_tracking_api import (
    TRACKING_API_MAX_BYTES,
)

from .common import ErpLogisticsCommon

# the tracking API client logs its failed calls
CARRIER_LOGGER = "odoo.addons.erp_logistics.models.delivery_carrier_tracking_api"


class ReplayHandler(BaseHTTPRequestHandler):
    """Replays a recorded carrier API answer and records the requests."""

    def do_GET(self):  # noqa: N802 (http.server API)
        server = self.server
        path = urlparse(self.path).path
        server.requests.append(
            {
                "path": path,
                "query": parse_qs(urlparse(self.path).query),
                "authorization": self.headers.get("Authorization"),
            }
        )
        # an answer per path prefix (other carriers), else the default one
        answer = next(
            (
                answer
                for prefix, answer in server.routes.items()
                if path.startswith(prefix)
            ),
            server.response,
        )
        status, body, *extra = answer
        headers = extra[0] if extra else {}
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if not headers.pop("no_length", False):
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        return


@tagged("post_install", "-at_install")
class TestJsonApiProvider(ErpLogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), ReplayHandler)
        cls.server.requests = []
        cls.server.routes = {}
        with open(
            file_path("erp_logistics/tests/data/json_api_track.json"), "rb"
        ) as recorded:
            cls.server.response = (200, recorded.read())
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        # the test API listens on plain http: allowed for this host only
        cls.env["ir.config_parameter"].set_param(TRACKING_HTTP_HOSTS_PARAM, "127.0.0.1")
        cls.api_carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Logistics API Courier",
                "product_id": cls.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": "json_api",
                "tracking_api_url": f"http://127.0.0.1:{cls.server.server_port}/v1/",
                "tracking_api_key": "api-key-123",
                "erp_notify_customer": False,
            }
        )
        # only this test's carrier polls (other databases may hold others)
        cls.env["delivery.carrier"].search(
            [("tracking_provider", "=", "json_api"), ("id", "!=", cls.api_carrier.id)]
        ).tracking_provider = "manual"
        cls.shipment_1 = cls._create_shipment("API-1", carrier=cls.api_carrier)
        cls.shipment_2 = cls._create_shipment("API-2", carrier=cls.api_carrier)

    def setUp(self):
        super().setUp()
        self.server.requests.clear()
        self.server.routes.clear()

    def _answer(self, status, body, headers=None):
        """Make the test API answer ``status``/``body`` for this test."""
        saved = self.server.response
        self.server.response = (status, body, headers or {})
        self.addCleanup(setattr, self.server, "response", saved)

    def _api_carrier(self, name, path):
        """Another polling carrier of the test API, under ``path``."""
        return self.env["delivery.carrier"].create(
            {
                "name": name,
                "product_id": self.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": "json_api",
                "tracking_api_url": f"http://127.0.0.1:{self.server.server_port}{path}",
                "erp_notify_customer": False,
            }
        )

    def test_poll_returns_normalized_events(self):
        """Given the recorded API answer, when the carrier is polled, then known
        tracking numbers give normalized UTC poll events and unknown ones are
        left out."""
        shipments = self.shipment_1 | self.shipment_2
        with mute_logger(CARRIER_LOGGER):
            vals_list = self.api_carrier._erp_tracking_poll(shipments)
        self.assertEqual(len(vals_list), 3)
        self.assertEqual(
            {(v["shipment_id"], v["status"]) for v in vals_list},
            {
                (self.shipment_1.id, "in_transit"),
                (self.shipment_1.id, "out_for_delivery"),
                (self.shipment_2.id, "delivered"),
            },
        )
        first = next(v for v in vals_list if v["status"] == "in_transit")
        self.assertEqual(first["event_time"], self._dt("2026-11-01 22:30:00"))
        self.assertEqual(first["source"], "poll")
        request = self.server.requests[0]
        self.assertEqual(request["path"], "/v1/track")
        self.assertEqual(request["query"]["numbers"], ["API-1,API-2"])
        self.assertEqual(request["authorization"], "Bearer api-key-123")

    def test_cron_polls_and_updates_shipments(self):
        """Given open shipments of a polling carrier, when the cron runs twice,
        then the events are stored once and the shipments move."""
        with mute_logger(CARRIER_LOGGER):
            self.env["erp.shipment"]._cron_poll_tracking()
            self.env["erp.shipment"]._cron_poll_tracking()
        self.assertEqual(self.shipment_1.state, "out_for_delivery")
        self.assertRecordValues(
            self.shipment_2, [{"state": "delivered", "received_by": "Front desk"}]
        )
        self.assertEqual(len(self.shipment_1.event_ids), 2)
        self.assertEqual(set(self.shipment_1.event_ids.mapped("source")), {"poll"})

    def test_http_error_raises_user_error(self):
        """Given the API answers 500, when polled by hand, then a UserError
        explains it and nothing is stored."""
        saved = self.server.response
        self.server.response = (500, b'{"error": "boom"}')
        try:
            with (
                mute_logger(CARRIER_LOGGER),
                self.assertRaises(UserError),
            ):
                self.shipment_1._erp_poll_tracking()
        finally:
            self.server.response = saved
        self.assertFalse(self.shipment_1.event_ids)

    def test_answer_without_events_raises_user_error(self):
        """Given the API answers JSON without an events list, then a UserError."""
        saved = self.server.response
        self.server.response = (200, json.dumps({"data": []}).encode())
        try:
            with self.assertRaises(UserError):
                self.shipment_1._erp_poll_tracking()
        finally:
            self.server.response = saved

    def test_manual_provider_polls_nothing(self):
        """Given a manual carrier, when polled, then no event is returned and no
        request is made."""
        shipment = self._create_shipment("MAN-1", carrier=self.other_carrier)
        self.assertEqual(self.other_carrier._erp_tracking_poll(shipment), [])
        self.assertFalse(self.server.requests)

    # ------------------------------------------------ outbound call limits
    def test_redirect_is_not_followed(self):
        """Given the API answers a redirection to a page with events, when
        polled, then a UserError says so and the target is never requested."""
        target = f"http://127.0.0.1:{self.server.server_port}/elsewhere/track"
        self.server.routes["/elsewhere"] = (200, self.server.response[1])
        self._answer(302, b"", {"Location": target})
        with (
            mute_logger(CARRIER_LOGGER),
            self.assertRaises(UserError) as caught,
        ):
            self.shipment_1._erp_poll_tracking()
        self.assertIn("redirection", str(caught.exception))
        self.assertEqual([r["path"] for r in self.server.requests], ["/v1/track"])
        self.assertFalse(self.shipment_1.event_ids)

    def test_answer_size_is_capped(self):
        """Given the API answers more than the cap, with or without a length
        header, when polled, then a UserError and nothing stored."""
        body = json.dumps(
            {"events": [], "padding": "x" * TRACKING_API_MAX_BYTES}
        ).encode()
        for headers in ({}, {"no_length": True}):
            with self.subTest(headers=headers):
                self._answer(200, body, dict(headers))
                with (
                    mute_logger(CARRIER_LOGGER),
                    self.assertRaises(UserError) as caught,
                ):
                    self.shipment_1._erp_poll_tracking()
                self.assertIn("too large", str(caught.exception))
        self.assertFalse(self.shipment_1.event_ids)

    def test_http_only_for_allowed_hosts(self):
        """Given no host allowed for plain http, then an http API URL is
        refused when stored and when called (no request is made); https is
        accepted, other schemes never."""
        self.env["ir.config_parameter"].set_param(TRACKING_HTTP_HOSTS_PARAM, "")
        with self.assertRaises(ValidationError):
            self._api_carrier("Plain HTTP Courier", "/plain/")
        for url in ("ftp://127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1"):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                self.api_carrier.tracking_api_url = url
        self.env["delivery.carrier"].create(
            {
                "name": "HTTPS Courier",
                "product_id": self.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": "json_api",
                "tracking_api_url": "https://api.carrier.example/v1",
            }
        )
        # stored while allowed, then the host was taken off the list
        with (
            mute_logger(CARRIER_LOGGER),
            self.assertRaises(UserError),
        ):
            self.shipment_1._erp_poll_tracking()
        self.assertFalse(self.server.requests)

    def test_error_does_not_reveal_connection_details(self):
        """Given an API URL on a closed local port, when polled, then the
        error names neither the host, the port nor the system error."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        self.api_carrier.tracking_api_url = f"http://127.0.0.1:{closed_port}/v1"
        with (
            mute_logger(CARRIER_LOGGER),
            self.assertRaises(UserError) as caught,
        ):
            self.shipment_1._erp_poll_tracking()
        message = str(caught.exception)
        self.assertIn("could not be reached", message)
        for leak in ("127.0.0.1", str(closed_port), "Errno", "refused", "Connection"):
            self.assertNotIn(leak, message)

    # ------------------------------------------------------ access rights
    def test_only_logistics_administrators_set_the_api(self):
        """Given a sales manager (may edit delivery methods) and a logistics
        user, then neither reads nor writes the tracking provider, API URL or
        key; both still create carriers; a logistics user still polls."""
        sales_manager = new_test_user(
            self.env,
            login="erp_prov_sales_manager",
            groups="sales_team.group_sale_manager",
        )
        user = new_test_user(
            self.env,
            login="erp_prov_user",
            groups="erp_logistics.erp_logistics_group_user",
        )
        for field, value in (
            ("tracking_api_url", "https://attacker.example/"),
            ("tracking_provider", "json_api"),
            ("tracking_api_key", "stolen"),
            ("webhook_secret", "stolen"),
        ):
            with self.subTest(field=field):
                with self.assertRaises(AccessError):
                    self.api_carrier.with_user(sales_manager).write({field: value})
                with self.assertRaises(AccessError):
                    self.api_carrier.with_user(sales_manager).read([field])
                with self.assertRaises(AccessError):
                    self.api_carrier.with_user(user).read([field])
        carrier = (
            self.env["delivery.carrier"]
            .with_user(sales_manager)
            .create(
                {
                    "name": "Sales Courier",
                    "product_id": self.delivery_product.id,
                    "delivery_type": "fixed",
                }
            )
        )
        self.assertEqual(carrier.sudo().tracking_provider, "manual")
        with mute_logger(CARRIER_LOGGER):
            self.shipment_1.with_user(user).action_poll_tracking()
        self.assertEqual(self.shipment_1.state, "out_for_delivery")

    def test_sales_manager_cannot_create_a_tracking_configuration(self):
        """Given a sales manager (may create delivery methods), when he
        creates a carrier with a tracking provider, API URL, API key or
        webhook secret, given as values or as context defaults, then it is
        refused; a duplicate he makes of a polling carrier tracks by hand and
        has no API URL, while an administrator's duplicate keeps them."""
        sales_manager = new_test_user(
            self.env,
            login="erp_prov_sales_creator",
            groups="sales_team.group_sale_manager",
        )
        Carrier = self.env["delivery.carrier"].with_user(sales_manager)
        base = {
            "name": "Own Courier",
            "product_id": self.delivery_product.id,
            "delivery_type": "fixed",
        }
        for field, value in (
            ("tracking_provider", "json_api"),
            ("tracking_api_url", "https://attacker.example/"),
            ("tracking_api_key", "own-key"),
            ("webhook_secret", "own-secret"),
        ):
            with self.subTest(field=field):
                with self.assertRaises(AccessError):
                    Carrier.create({**base, field: value})
                with self.assertRaises(AccessError):
                    Carrier.with_context(**{f"default_{field}": value}).create(base)
        carrier = Carrier.create({**base, "tracking_provider": "manual"})
        self.assertEqual(carrier.sudo().tracking_provider, "manual")
        duplicate = self.api_carrier.with_user(sales_manager).copy().sudo()
        self.assertEqual(duplicate.tracking_provider, "manual")
        self.assertFalse(duplicate.tracking_api_url)
        duplicate = self.api_carrier.copy()
        self.assertEqual(duplicate.tracking_provider, "json_api")
        self.assertEqual(duplicate.tracking_api_url, self.api_carrier.tracking_api_url)

    def test_generate_webhook_secret(self):
        """Given a carrier, when a logistics administrator presses *Generate*,
        then it gets a new random 64-hex-digit webhook secret each time; a
        sales manager may not generate one."""
        administrator = new_test_user(
            self.env,
            login="erp_prov_secret_admin",
            groups="erp_logistics.erp_logistics_group_manager",
        )
        carrier = self.api_carrier.with_user(administrator)
        carrier.action_generate_webhook_secret()
        first = carrier.webhook_secret
        self.assertRegex(first, r"^[0-9a-f]{64}$")
        carrier.action_generate_webhook_secret()
        self.assertNotEqual(carrier.webhook_secret, first)
        sales_manager = new_test_user(
            self.env,
            login="erp_prov_secret_sales",
            groups="sales_team.group_sale_manager",
        )
        with self.assertRaises(AccessError):
            self.api_carrier.with_user(sales_manager).action_generate_webhook_secret()

    # ------------------------------------------------------- polling cron
    def test_cron_isolates_a_failing_carrier(self):
        """Given two polling carriers of which one fails, when the cron runs,
        then the other's events are stored and both are marked polled."""
        failing = self._api_carrier("Failing Courier", "/failing/")
        self.server.routes["/failing"] = (500, b'{"error": "boom"}')
        failing_shipment = self._create_shipment("FAIL-1", carrier=failing)
        with mute_logger(
            CARRIER_LOGGER,
            "odoo.addons.erp_logistics.models.erp_shipment_polling",
        ):
            self.env["erp.shipment"]._cron_poll_tracking()
        self.assertEqual(self.shipment_1.state, "out_for_delivery")
        self.assertEqual(self.shipment_2.state, "delivered")
        self.assertFalse(failing_shipment.event_ids)
        self.assertTrue(failing_shipment.erp_polled_at)

    def test_cron_polls_one_batch_per_call(self):
        """Given two polling carriers, when the scheduler runs the cron (cron
        progress in the context), then each call polls one carrier's batch
        and reports the rest as remaining, so that the scheduler commits each
        batch on its own; a call after the last batch polls nothing."""
        second = self._api_carrier("Second Courier", "/second/")
        second_shipment = self._create_shipment("SECOND-1", carrier=second)
        cron = self.env.ref("erp_logistics.ir_cron_poll_shipment_tracking")
        Shipment = self.env["erp.shipment"]
        progresses = []
        with mute_logger(CARRIER_LOGGER):
            for _call in range(3):
                cron_with_progress, progress = cron._add_progress()
                Shipment.with_context(
                    cron_with_progress.env.context, lastcall=False
                )._cron_poll_tracking()
                progresses.append((progress.done, progress.remaining))
        # one carrier's batch per call (1 or 2 shipments), the other remaining
        self.assertIn(progresses[:2], ([(1, 2), (2, 0)], [(2, 1), (1, 0)]))
        self.assertEqual(progresses[2], (0, 0))
        self.assertEqual(
            sorted(r["path"] for r in self.server.requests),
            ["/second/track", "/v1/track"],
        )
        self.assertTrue(second_shipment.erp_polled_at)
        self.assertEqual(self.shipment_1.state, "out_for_delivery")

    def test_carriers_are_called_before_anything_is_stored(self):
        """Given shipments of two polling carriers, when polled together, then
        both carriers are called before the first event is stored (no shipment
        row is locked while waiting for a carrier)."""
        second = self._api_carrier("Second Courier", "/second/")
        second_shipment = self._create_shipment("SECOND-1", carrier=second)
        steps = []
        Shipment = type(self.env["erp.shipment"])
        store = Shipment._erp_process_events

        def spy(records, vals_list):
            steps.append(("store", len(self.server.requests)))
            return store(records, vals_list)

        with (
            patch.object(Shipment, "_erp_process_events", spy),
            mute_logger(CARRIER_LOGGER),
        ):
            (self.shipment_1 | second_shipment)._erp_poll_tracking()
        self.assertEqual(steps, [("store", 2), ("store", 2)])
        self.assertEqual(self.shipment_1.state, "out_for_delivery")
