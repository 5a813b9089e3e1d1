# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import socket
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ErpLogisticsCommon


@tagged("post_install", "-at_install")
class TestWebhook(ErpLogisticsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shipment = cls._create_shipment("WH-1")
        cls.url = f"/erp_logistics/webhook/{cls.carrier.id}"

    def _post(self, body, signature=None, content_type="application/json", url=None):
        headers = {"Content-Type": content_type}
        headers["X-ERP-Signature"] = (
            self._sign(body) if signature is None else signature
        )
        response = self.url_open(url or self.url, data=body, headers=headers)
        self.env.invalidate_all()
        return response

    def _event(self, status="in_transit", time="2026-11-02T08:00:00+08:00", **kw):
        return {
            "tracking_number": "WH-1",
            "status": status,
            "time": time,
            "location": "Shanghai",
            "description": "Arrived at hub",
            **kw,
        }

    def test_valid_events_are_stored(self):
        """Given a signed body with two events, when posted, then 200 reports two
        new events, they are stored as webhook events in UTC and the shipment
        moves."""
        body = self._body(
            self._event(),
            self._event("out_for_delivery", "2026-11-03T09:00:00Z", location="Pudong"),
        )
        response = self._post(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["new_events"], 2)
        events = self.shipment.event_ids.sorted("event_time")
        self.assertRecordValues(
            events,
            [
                {
                    "status": "in_transit",
                    "event_time": self._dt("2026-11-02 00:00:00"),
                    "source": "webhook",
                },
                {
                    "status": "out_for_delivery",
                    "event_time": self._dt("2026-11-03 09:00:00"),
                    "source": "webhook",
                },
            ],
        )
        self.assertEqual(self.shipment.state, "out_for_delivery")
        self.assertIn("Arrived at hub", events[0].payload)

    def test_bad_signature_is_rejected(self):
        """Given a body signed with another secret, when posted, then 403 and
        nothing is stored."""
        body = self._body(self._event())
        response = self._post(body, signature=self._sign(body, "wrong-secret"))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"], "bad_signature")
        self.assertFalse(self.shipment.event_ids)

    def test_missing_or_garbled_signature_is_rejected(self):
        """Given an empty or non-hexadecimal signature header, then 403."""
        for signature in ("", "zz\u00e9"):
            with self.subTest(signature=signature):
                response = self._post(self._body(self._event()), signature=signature)
                self.assertEqual(response.status_code, 403)
        self.assertFalse(self.shipment.event_ids)

    def test_bad_json_is_rejected(self):
        """Given a signed body that is not JSON, when posted, then 400 with a
        reason."""
        response = self._post(b"{not json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("JSON", response.json()["reason"])

    def test_missing_events_list_is_rejected(self):
        """Given a signed JSON body without an events list, then 400."""
        response = self._post(json.dumps({"foo": 1}).encode())
        self.assertEqual(response.status_code, 400)
        self.assertIn("events", response.json()["reason"])

    def test_unknown_status_rejects_whole_batch(self):
        """Given a batch with one valid event and one unknown status, when posted,
        then 400 names the bad event and nothing is stored."""
        body = self._body(self._event(), self._event("teleported"))
        response = self._post(body)
        self.assertEqual(response.status_code, 400)
        self.assertIn("event 2", response.json()["reason"])
        self.assertIn("teleported", response.json()["reason"])
        self.assertFalse(self.shipment.event_ids)
        self.assertEqual(self.shipment.state, "shipped")

    def test_unknown_tracking_number_and_bad_time_are_rejected(self):
        """Given an unknown tracking number or an unparsable time, then 400 and
        nothing is stored."""
        for event in (
            self._event(tracking_number="NOPE-404"),
            self._event(time="yesterday"),
            self._event(status="draft"),
        ):
            with self.subTest(event=event):
                response = self._post(self._body(event))
                self.assertEqual(response.status_code, 400)
        self.assertFalse(self.shipment.event_ids)

    def test_replay_is_idempotent(self):
        """Given an accepted body, when replayed, then 200 with no new event and
        nothing is duplicated."""
        body = self._body(self._event())
        self.assertEqual(self._post(body).json()["new_events"], 1)
        response = self._post(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["new_events"], 0)
        self.assertEqual(response.json()["duplicates"], 1)
        self.assertEqual(len(self.shipment.event_ids), 1)

    def test_out_of_order_event_does_not_move_back(self):
        """Given a delivered shipment, when an older in-transit event is posted,
        then it is stored but the shipment stays delivered."""
        self._post(
            self._body(
                self._event("delivered", "2026-11-04T10:00:00Z", received_by="Zhao")
            )
        )
        response = self._post(self._body(self._event("in_transit")))
        self.assertEqual(response.json()["new_events"], 1)
        self.assertEqual(self.shipment.state, "delivered")
        self.assertEqual(self.shipment.received_by, "Zhao")
        self.assertEqual(len(self.shipment.event_ids), 2)

    def test_unknown_carrier_answers_like_bad_signature(self):
        """Given a carrier id that does not exist, a carrier without a webhook
        and a webhook carrier without a secret, when a body is posted to them,
        then each gets the same 403 answer as a bad signature (the answer does
        not reveal which carrier ids exist) and nothing is stored."""
        no_secret = self.carrier.copy({"name": "Logistics No Secret Courier"})
        self.assertFalse(no_secret.webhook_secret)
        body = self._body(self._event())
        bad_signature = self._post(body, signature=self._sign(body, "wrong-secret"))
        self.assertEqual(bad_signature.status_code, 403)
        for carrier_id in (999999999, self.other_carrier.id, no_secret.id):
            with self.subTest(carrier_id=carrier_id):
                response = self._post(body, url=f"/erp_logistics/webhook/{carrier_id}")
                self.assertEqual(response.status_code, 403)
                self.assertEqual(response.content, bad_signature.content)
        self.assertFalse(self.shipment.event_ids)

    def test_oversize_body(self):
        """Given a body over 1 MiB, when posted, then 413 and nothing stored."""
        event = self._event(description="x" * 200)
        body = self._body(*([event] * 6000))
        self.assertGreater(len(body), 1024 * 1024)
        response = self._post(body)
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self.shipment.event_ids)

    def test_wrong_content_type(self):
        """Given a signed body sent as form data, then 415."""
        body = self._body(self._event())
        with mute_logger("odoo.http"):
            response = self._post(body, content_type="text/plain")
        self.assertEqual(response.status_code, 415)
        self.assertFalse(self.shipment.event_ids)

    def test_chunked_oversize_body_is_refused_before_it_is_read(self):
        """Given a chunked body (no Content-Length) with a bad signature that
        is already over 1 MiB and not finished, when it is being sent, then
        413 arrives at once: the server stops reading at the limit instead of
        buffering the whole body."""
        chunk = b"x" * 65536
        head = (
            f"POST {self.url} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nX-ERP-Signature: 00\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", self.http_port()), 4) as conn:
            conn.sendall(head)
            # 2 MiB sent; the terminating chunk is never sent
            for _index in range(32):
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            answer = b""
            try:
                while b"\r\n" not in answer:
                    data = conn.recv(4096)
                    if not data:
                        break
                    answer += data
            except TimeoutError:
                self.fail("no answer before the whole body was sent")
        self.assertTrue(answer.startswith(b"HTTP/1."), answer[:100])
        self.assertEqual(answer.split()[1], b"413", answer[:200])
        self.assertFalse(self.shipment.event_ids)

    def test_malformed_events_are_rejected_with_reason(self):
        """Given signed events whose status is a list or an object, whose time
        overflows or is not a string, whose text is not encodable, or a body
        nested too deeply, when posted, then 400 with a reason and nothing is
        stored."""
        cases = [
            self._body(self._event(status=["delivered"])),
            self._body(self._event(status={"code": "delivered"})),
            self._body(self._event(time="9999-12-31T23:59:59-23:00")),
            self._body(self._event(time="0001-01-01T00:00:00+05:00")),
            self._body(self._event(time=10**30)),
            self._body(self._event(time=[[["2026-11-02"]]])),
            self._body(self._event(location="Hub \ud800")),
            self._body(self._event(tracking_number="WH-1\udfff")),
            b'{"events": [' + b"[" * 100000 + b"]" * 100000 + b"]}",
        ]
        for body in cases:
            with self.subTest(body=body[:120]):
                with mute_logger("odoo.http"):
                    response = self._post(body)
                self.assertEqual(response.status_code, 400, response.text[:300])
                self.assertEqual(response.json()["error"], "bad_payload")
                self.assertTrue(response.json()["reason"])
        self.assertFalse(self.shipment.event_ids)
        self.assertEqual(self.shipment.state, "shipped")
        # a lone surrogate in an extra key only: stored, escaped in the payload
        response = self._post(self._body(self._event(extra={"\ud800": 1})))
        self.assertEqual(response.status_code, 200)
        self.assertIn("\\ud800", self.shipment.event_ids.payload)

    def test_future_event_is_rejected(self):
        """Given a signed event dated more than a day ahead, when posted, then
        400 says it is in the future, nothing is stored and a later real event
        still moves the shipment."""
        future = fields.Datetime.now() + timedelta(days=2)
        body = self._body(
            self._event("delivered", future.strftime("%Y-%m-%dT%H:%M:%SZ"))
        )
        response = self._post(body)
        self.assertEqual(response.status_code, 400)
        self.assertIn("future", response.json()["reason"])
        self.assertFalse(self.shipment.event_ids)
        soon = fields.Datetime.now() + timedelta(hours=2)
        body = self._body(self._event(time=soon.strftime("%Y-%m-%dT%H:%M:%SZ")))
        self.assertEqual(self._post(body).status_code, 200)
        self.assertEqual(self.shipment.state, "in_transit")

    def test_formula_text_is_neutralised(self):
        """Given signed events whose texts start with =, +, - or @, when
        stored, then each text is prefixed with an apostrophe so that a
        spreadsheet export shows it as text, not as a formula."""
        body = self._body(
            self._event(
                "delivered",
                "2026-11-04T10:00:00Z",
                location='=HYPERLINK("http://evil.example")',
                description="+cmd|' /C calc'!A0",
                received_by="@SUM(1+1)",
            ),
            self._event(location="-2+3", description="Arrived"),
        )
        self.assertEqual(self._post(body).status_code, 200)
        events = self.shipment.event_ids.sorted("event_time")
        self.assertRecordValues(
            events,
            [
                {"location": "'-2+3", "description": "Arrived", "received_by": False},
                {
                    "location": '\'=HYPERLINK("http://evil.example")',
                    "description": "'+cmd|' /C calc'!A0",
                    "received_by": "'@SUM(1+1)",
                },
            ],
        )
        self.assertEqual(self.shipment.received_by, "'@SUM(1+1)")


@tagged("post_install", "-at_install")
class TestWebhookUrl(ErpLogisticsCommon):
    def test_webhook_url_of_several_carriers(self):
        """Given two carriers, when their webhook URL is read at once (as the
        list of delivery methods or a JSON-RPC client does), then each carrier
        gets its own address instead of an "Expected singleton" error."""
        carriers = self.carrier | self.other_carrier
        carriers.invalidate_recordset(["erp_webhook_url"])
        values = {
            row["id"]: row["erp_webhook_url"]
            for row in carriers.read(["erp_webhook_url"])
        }
        for carrier in carriers:
            self.assertTrue(
                values[carrier.id].endswith(f"/erp_logistics/webhook/{carrier.id}")
            )
