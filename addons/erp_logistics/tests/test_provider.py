import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import file_path, mute_logger

from .common import ErpLogisticsCommon


class ReplayHandler(BaseHTTPRequestHandler):
    """Replays a recorded carrier API answer and records the requests."""

    def do_GET(self):  # noqa: N802 (http.server API)
        server = self.server
        server.requests.append(
            {
                "path": urlparse(self.path).path,
                "query": parse_qs(urlparse(self.path).query),
                "authorization": self.headers.get("Authorization"),
            }
        )
        status, body = server.response
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
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
        with open(
            file_path("erp_logistics/tests/data/json_api_track.json"), "rb"
        ) as recorded:
            cls.server.response = (200, recorded.read())
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
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

    def test_poll_returns_normalized_events(self):
        """Given the recorded API answer, when the carrier is polled, then known
        tracking numbers give normalized UTC poll events and unknown ones are
        left out."""
        shipments = self.shipment_1 | self.shipment_2
        with mute_logger("odoo.addons.erp_logistics.models.delivery_carrier"):
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
        with mute_logger("odoo.addons.erp_logistics.models.delivery_carrier"):
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
            with self.assertRaises(UserError):
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
