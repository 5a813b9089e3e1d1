# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.erp_logistics.models.delivery_carrier_17track import (
    track17_sign,
    track17_status,
)

from .common import ErpLogisticsCommon
from .provider_replay import ProviderReplayMixin, recorded

NUMBER = "JD0098765432101"
KEY = "17track-security-key"
PUSH_LOGGER = "odoo.addons.erp_logistics.models.delivery_carrier_push"
TRACK17_LOGGER = "odoo.addons.erp_logistics.models.delivery_carrier_17track"
SUBSCRIPTION_LOGGER = "odoo.addons.erp_logistics.models.erp_shipment_subscription"


class Track17Common(ErpLogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.t17_carrier = cls.env["delivery.carrier"].create(
            {
                "name": "京东物流 (17TRACK)",
                "product_id": cls.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": "17track",
                "tracking_carrier_code": "190271",
                "tracking_api_key": "17token-abc",
                "webhook_secret": KEY,
                "erp_notify_customer": False,
            }
        )
        polling = cls.env["delivery.carrier"]._erp_polling_providers()
        cls.env["delivery.carrier"].search(
            [("tracking_provider", "in", polling), ("id", "!=", cls.t17_carrier.id)]
        ).tracking_provider = "manual"
        cls.t17_shipment = cls._create_shipment(NUMBER, carrier=cls.t17_carrier)


@tagged("post_install", "-at_install")
class TestTrack17(ProviderReplayMixin, Track17Common):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_replay()
        cls.t17_carrier.tracking_api_url = cls.replay_url + "/track/v2.2"

    def test_signature_recipe(self):
        """17TRACK signs with the hex SHA-256 of the body, "/" and the key."""
        body = b'{"event":"TRACKING_UPDATED"}'
        self.assertEqual(
            track17_sign(body, KEY),
            hashlib.sha256(body + b"/" + KEY.encode()).hexdigest(),
        )

    def test_status_mapping(self):
        for (stage, sub_status), status in {
            ("InfoReceived", ""): "shipped",
            ("InfoReceived", "InTransit_PickedUp"): "shipped",
            ("InTransit", "InTransit_Arrival"): "in_transit",
            ("OutForDelivery", "OutForDelivery_Other"): "out_for_delivery",
            ("AvailableForPickup", ""): "out_for_delivery",
            ("DeliveryFailure", "DeliveryFailure_NoBody"): "exception",
            ("Delivered", "Delivered_Other"): "delivered",
            ("Exception", "Exception_Returning"): "exception",
            ("Exception", "Exception_Returned"): "returned",
            ("Expired", ""): "exception",
        }.items():
            with self.subTest(stage=stage, sub_status=sub_status):
                self.assertEqual(track17_status(stage, sub_status), status)

    def test_poll_reads_the_recorded_answer(self):
        """The query carries the token and the numbers with the carrier id;
        the accepted number's events are stored, the rejected one logged."""
        self._route(
            "POST",
            "/track/v2.2/gettrackinfo",
            (200, recorded("track17_gettrackinfo.json")),
        )
        with mute_logger(TRACK17_LOGGER):
            events = self.t17_shipment._erp_poll_tracking()
        request = self.replay.requests[0]
        self.assertEqual(request["headers"]["17token"], "17token-abc")
        self.assertEqual(
            json.loads(request["body"]), [{"number": NUMBER, "carrier": 190271}]
        )
        self.assertRecordValues(
            events.sorted("event_time"),
            [
                {
                    "status": "shipped",
                    "event_time": self._dt("2026-11-03 11:10:00"),
                    "provider_status": "InTransit_PickedUp",
                },
                {
                    "status": "in_transit",
                    "event_time": self._dt("2026-11-03 17:30:00"),
                    "provider_status": "InTransit_Arrival",
                },
            ],
        )

    def test_poll_refused_token(self):
        self._route(
            "POST",
            "/track/v2.2/gettrackinfo",
            (401, {"code": 401, "data": {"errors": [{"code": -18010002}]}}),
        )
        with self.assertRaisesRegex(UserError, "401"), mute_logger(TRACK17_LOGGER):
            self.t17_shipment._erp_poll_tracking()

    def test_refused_data_is_not_an_account_error(self):
        """Given 17TRACK refusing the submitted data (-18010013), when the
        shipments are polled, then the error says the service's answer was
        refused, not that the token is wrong; a disabled account (-18010004)
        is an account error."""
        self._route(
            "POST",
            "/track/v2.2/gettrackinfo",
            (200, {"code": -18010013, "data": {"errors": [{"code": -18010013}]}}),
        )
        with self.assertRaises(UserError) as refused, mute_logger(TRACK17_LOGGER):
            self.t17_shipment._erp_poll_tracking()
        self.assertNotIn("token", str(refused.exception))
        self._route(
            "POST",
            "/track/v2.2/gettrackinfo",
            (200, {"code": -18010004, "data": {"errors": [{"code": -18010004}]}}),
        )
        with self.assertRaisesRegex(UserError, "token"), mute_logger(TRACK17_LOGGER):
            self.t17_shipment._erp_poll_tracking()

    def test_registration(self):
        """Registration: accepted, already registered (-18019901) and refused
        numbers."""
        other = self._create_shipment("JD0000000000000", carrier=self.t17_carrier)
        third = self._create_shipment("JD1111111111111", carrier=self.t17_carrier)
        answer = {
            "code": 0,
            "data": {
                "accepted": [{"origin": 1, "number": NUMBER, "carrier": 190271}],
                "rejected": [
                    {
                        "number": "JD0000000000000",
                        "error": {"code": -18019901, "message": "already registered"},
                    },
                    {
                        "number": "JD1111111111111",
                        "error": {"code": -18019903, "message": "carrier not found"},
                    },
                ],
            },
        }
        self._route("POST", "/track/v2.2/register", (200, answer))
        with mute_logger(SUBSCRIPTION_LOGGER):
            self.env["erp.shipment"]._cron_subscribe_tracking()
        self.assertEqual(
            (self.t17_shipment | other | third).mapped("erp_subscription_state"),
            ["subscribed", "subscribed", "failed"],
        )
        self.assertIn("-18019903", third.erp_subscription_message)

    def test_registration_and_poll_send_at_most_40_numbers_a_call(self):
        """Given 45 shipments of the 17TRACK carrier (more than the 40
        numbers 17TRACK takes in one request, beyond which it refuses the
        whole request), when they are registered and polled, then each
        endpoint is called twice, with 40 and 5 numbers, and all 45 are
        registered."""
        shipments = self.t17_shipment | self.env["erp.shipment"].concat(
            *(
                self._create_shipment(f"JD77{k:011d}", carrier=self.t17_carrier)
                for k in range(44)
            )
        )

        def register(request):
            numbers = json.loads(request["body"])
            if len(numbers) > 40:
                return 200, {
                    "code": -18010014,
                    "data": {"errors": [{"code": -18010014}]},
                }
            accepted = [{"number": n["number"], "carrier": 190271} for n in numbers]
            return 200, {"code": 0, "data": {"accepted": accepted, "rejected": []}}

        self._route("POST", "/track/v2.2/register", register)
        with mute_logger(SUBSCRIPTION_LOGGER):
            results = self.t17_carrier._erp_tracking_subscribe(shipments)
        self.assertEqual(
            [len(json.loads(r["body"])) for r in self.replay.requests], [40, 5]
        )
        self.assertEqual(
            {state for state, _message in results.values()}, {"subscribed"}
        )
        self.assertEqual(set(results), set(shipments.ids))
        self._route(
            "POST",
            "/track/v2.2/gettrackinfo",
            (200, {"code": 0, "data": {"accepted": [], "rejected": []}}),
        )
        with mute_logger(TRACK17_LOGGER):
            shipments._erp_poll_tracking()
        self.assertEqual(
            [len(json.loads(r["body"])) for r in self.replay.requests], [40, 5]
        )

    def test_mapped_courier_code_is_sent(self):
        """Given a 17TRACK carrier without a courier code of its own but
        mapped to a courier (17TRACK's numeric code), when its shipment is
        registered, then the request names that courier."""
        self.t17_carrier.tracking_carrier_code = False
        self.env["erp.courier.code"].create(
            {
                "provider": "17track",
                "code": "199991",
                "name": "YTO (mapped)",
                "carrier_id": self.t17_carrier.id,
            }
        )
        answer = {"code": 0, "data": {"accepted": [], "rejected": []}}
        self._route("POST", "/track/v2.2/register", (200, answer))
        self.t17_carrier._erp_tracking_subscribe(self.t17_shipment)
        self.assertEqual(
            json.loads(self.replay.requests[0]["body"]),
            [{"number": NUMBER, "carrier": 199991}],
        )


@tagged("post_install", "-at_install")
class TestTrack17Webhook(Track17Common, HttpCase):
    def _post(self, body, key=KEY, sign=None):
        headers = {"Content-Type": "application/json"}
        headers["sign"] = track17_sign(body, key) if sign is None else sign
        with mute_logger(PUSH_LOGGER):
            response = self.url_open(
                f"/erp_logistics/webhook/{self.t17_carrier.id}",
                data=body,
                headers=headers,
            )
        self.env.invalidate_all()
        return response

    def test_signed_push_is_stored(self):
        response = self._post(recorded("track17_push.json"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["new_events"], 4)
        self.assertEqual(self.t17_shipment.state, "delivered")
        self.assertEqual(self.t17_shipment.received_by, "刘洋")
        self.assertFalse(self.t17_shipment.received_at)

    def test_bad_signature_stores_nothing(self):
        body = recorded("track17_push.json")
        for response in (self._post(body, key="other"), self._post(body, sign="")):
            self.assertEqual(response.status_code, 403)
            self.assertTrue(response.json()["reason"])
        self.assertFalse(self.t17_shipment.event_ids)

    def test_replayed_push_is_stored_once(self):
        body = recorded("track17_push.json")
        self._post(body)
        response = self._post(body)
        self.assertEqual(response.json()["new_events"], 0)
        self.assertEqual(len(self.t17_shipment.event_ids), 4)

    def test_unknown_number_is_acknowledged(self):
        push = json.loads(recorded("track17_push.json"))
        push["data"]["number"] = "JD9999999999999"
        response = self._post(json.dumps(push, ensure_ascii=False).encode())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["ignored"], 4)
        self.assertFalse(self.t17_shipment.event_ids)
