# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import hashlib
import hmac
import json

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.erp_logistics.models.delivery_carrier_aftership import (
    aftership_status,
)

from .common import ErpLogisticsCommon
from .provider_replay import ProviderReplayMixin, recorded

NUMBER = "YT7520318846512"
SECRET = "aftership-webhook-secret"
PUSH_LOGGER = "odoo.addons.erp_logistics.models.delivery_carrier_push"
SUBSCRIPTION_LOGGER = "odoo.addons.erp_logistics.models.erp_shipment_subscription"


class AfterShipCommon(ErpLogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.as_carrier = cls.env["delivery.carrier"].create(
            {
                "name": "圆通速递 (AfterShip)",
                "product_id": cls.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": "aftership",
                "tracking_carrier_code": "yto",
                "tracking_api_key": "as-key-123",
                "webhook_secret": SECRET,
                "erp_notify_customer": False,
            }
        )
        # only this test's carrier is polled (other databases may hold others)
        cls.env["delivery.carrier"].search(
            [
                (
                    "tracking_provider",
                    "in",
                    cls.env["delivery.carrier"]._erp_polling_providers(),
                ),
                ("id", "!=", cls.as_carrier.id),
            ]
        ).tracking_provider = "manual"
        cls.as_shipment = cls._create_shipment(NUMBER, carrier=cls.as_carrier)


@tagged("post_install", "-at_install")
class TestAfterShip(ProviderReplayMixin, AfterShipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_replay()
        cls.as_carrier.tracking_api_url = cls.replay_url + "/tracking/2024-04"

    def test_tag_mapping(self):
        """AfterShip's tags map onto shipment statuses; a return to the sender
        (Exception_011) is a return."""
        for (tag, subtag), status in {
            ("InfoReceived", ""): "shipped",
            ("InTransit", "InTransit_007"): "in_transit",
            ("OutForDelivery", ""): "out_for_delivery",
            ("AvailableForPickup", ""): "out_for_delivery",
            ("AttemptFail", "AttemptFail_001"): "exception",
            ("Delivered", "Delivered_001"): "delivered",
            ("Exception", "Exception_004"): "exception",
            ("Exception", "Exception_011"): "returned",
            ("Expired", ""): "exception",
        }.items():
            with self.subTest(tag=tag, subtag=subtag):
                self.assertEqual(aftership_status(tag, subtag), status)

    def test_poll_reads_the_recorded_trackings(self):
        """Given AfterShip's recorded answer, when polled, then the request
        carries the API key and the numbers, and the checkpoints are stored
        with their sub-tags."""
        self._route(
            "GET",
            "/tracking/2024-04/trackings",
            (200, recorded("aftership_trackings.json")),
        )
        events = self.as_shipment._erp_poll_tracking()
        request = self.replay.requests[0]
        self.assertEqual(request["headers"]["as-api-key"], "as-key-123")
        self.assertEqual(request["query"]["tracking_numbers"], NUMBER)
        self.assertRecordValues(
            events.sorted("event_time"),
            [
                {
                    "status": "in_transit",
                    "event_time": self._dt("2026-11-02 09:40:00"),
                    "provider_status": "InTransit_002 Acceptance scan",
                    "location": "浙江省 杭州市",
                },
                {
                    "status": "in_transit",
                    "event_time": self._dt("2026-11-02 15:15:00"),
                    "provider_status": "InTransit_007 Departure Scan",
                    "location": "浙江省 杭州市",
                },
            ],
        )
        self.assertEqual(self.as_shipment.state, "in_transit")

    def test_poll_refused_account(self):
        """An invalid API key (meta code 401) stops the poll with a message."""
        self._route(
            "GET",
            "/tracking/2024-04/trackings",
            (401, {"meta": {"code": 401, "message": "Invalid API key."}}),
        )
        with self.assertRaisesRegex(UserError, "401"):
            self.as_shipment._erp_poll_tracking()

    def test_subscription(self):
        """Tracking creation sends the number, the slug and the order; an
        existing tracking (4003) counts as registered, an invalid number
        (4005) is not asked again."""
        for code, state in (
            (201, "subscribed"),
            (4003, "subscribed"),
            (4005, "failed"),
        ):
            with self.subTest(code=code):
                self.as_shipment.erp_subscription_state = "pending"
                self._route(
                    "POST",
                    "/tracking/2024-04/trackings",
                    (201 if code == 201 else 400, {"meta": {"code": code}, "data": {}}),
                )
                with mute_logger(SUBSCRIPTION_LOGGER):
                    self.env["erp.shipment"]._cron_subscribe_tracking()
                self.assertEqual(self.as_shipment.erp_subscription_state, state)
        payload = json.loads(self.replay.requests[0]["body"])
        self.assertEqual(payload["tracking_number"], NUMBER)
        self.assertEqual(payload["slug"], "yto")

    def test_subscription_sends_the_mapped_slug(self):
        """Given an AfterShip carrier without a courier code of its own but
        mapped to a courier in Courier Codes, when its shipment is
        registered, then AfterShip gets the mapped slug (as the shipment
        form shows), not an empty one."""
        self.as_carrier.tracking_carrier_code = False
        self.env["erp.courier.code"].create(
            {
                "provider": "aftership",
                "code": "erp-test-mapped-slug",
                "name": "Mapped courier",
                "carrier_id": self.as_carrier.id,
            }
        )
        self._route(
            "POST",
            "/tracking/2024-04/trackings",
            (201, {"meta": {"code": 201}, "data": {}}),
        )
        self.as_carrier._erp_tracking_subscribe(self.as_shipment)
        payload = json.loads(self.replay.requests[0]["body"])
        self.assertEqual(payload["slug"], "erp-test-mapped-slug")


@tagged("post_install", "-at_install")
class TestAfterShipWebhook(AfterShipCommon, HttpCase):
    def _post(self, body, secret=SECRET, signature=None):
        if signature is None:
            digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
            signature = base64.b64encode(digest).decode()
        with mute_logger(PUSH_LOGGER):
            response = self.url_open(
                f"/erp_logistics/webhook/{self.as_carrier.id}",
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "aftership-hmac-sha256": signature,
                },
            )
        self.env.invalidate_all()
        return response

    @staticmethod
    def _hex(body):
        return hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()

    def test_signed_webhook_is_stored(self):
        """AfterShip's recorded webhook, signed: the checkpoints are stored,
        the shipment is delivered and the signer recorded."""
        response = self._post(recorded("aftership_webhook.json"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["new_events"], 2)
        self.assertEqual(self.as_shipment.state, "delivered")
        self.assertEqual(self.as_shipment.received_by, "张伟")
        self.assertFalse(self.as_shipment.received_at)
        self.assertEqual(
            set(self.as_shipment.event_ids.mapped("push_id")),
            {"6f1c2b7e-3a0d-4c1e-9f55-2b8f0f7d9a41"},
        )

    def test_bad_signature_stores_nothing(self):
        """Signed with another secret, or a hex digest instead of base64: 403
        with a reason, nothing stored."""
        body = recorded("aftership_webhook.json")
        for response in (
            self._post(body, secret="other"),
            self._post(
                body, signature=hmac.new(SECRET.encode(), body, "sha256").hexdigest()
            ),
            self._post(body, signature=""),
        ):
            self.assertEqual(response.status_code, 403)
            self.assertEqual(response.json()["error"], "bad_signature")
        self.assertFalse(self.as_shipment.event_ids)

    def test_replayed_event_id_is_stored_once(self):
        """AfterShip retrying the same event (same event_id) stores nothing
        more."""
        body = recorded("aftership_webhook.json")
        self._post(body)
        response = self._post(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["new_events"], 0)
        self.assertEqual(len(self.as_shipment.event_ids), 2)

    def test_unknown_number_is_acknowledged(self):
        push = json.loads(recorded("aftership_webhook.json"))
        push["msg"]["tracking_number"] = "YT0000000000000"
        response = self._post(json.dumps(push, ensure_ascii=False).encode())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["ignored"], 2)
        self.assertFalse(self.as_shipment.event_ids)
