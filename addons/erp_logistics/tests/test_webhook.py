import json

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

    def test_missing_signature_is_rejected(self):
        """Given no signature header value, when posted, then 403."""
        response = self._post(self._body(self._event()), signature="")
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

    def test_unknown_carrier(self):
        """Given a carrier id that does not exist or has no webhook, then 404."""
        body = self._body(self._event())
        for carrier_id in (999999999, self.other_carrier.id):
            with self.subTest(carrier_id=carrier_id):
                response = self._post(body, url=f"/erp_logistics/webhook/{carrier_id}")
                self.assertEqual(response.status_code, 404)
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
