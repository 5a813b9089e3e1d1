# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.erp_logistics.models.delivery_carrier_kuaidi100 import (
    kuaidi100_sign,
    kuaidi100_status,
)

from .common import ErpLogisticsCommon
from .provider_replay import ProviderReplayMixin, recorded

KUAIDI100_LOGGER = "odoo.addons.erp_logistics.models.delivery_carrier_kuaidi100"
SUBSCRIPTION_LOGGER = "odoo.addons.erp_logistics.models.erp_shipment_subscription"
NUMBER = "SF1410293847561"


class Kuaidi100Common(ErpLogisticsCommon):
    @classmethod
    def _kuaidi100_carrier(cls, url="https://poll.kuaidi100.com"):
        return cls.env["delivery.carrier"].create(
            {
                "name": "顺丰速运 (快递100)",
                "product_id": cls.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": "kuaidi100",
                "tracking_carrier_code": "shunfeng",
                "tracking_customer": "CUSTOMER-9F3A",
                "tracking_api_key": "key-kd100",
                "webhook_secret": "salt-kd100",
                "tracking_api_url": url,
                "erp_notify_customer": False,
            }
        )


@tagged("post_install", "-at_install")
class TestKuaidi100(ProviderReplayMixin, Kuaidi100Common):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_replay()
        cls.kd_carrier = cls._kuaidi100_carrier(cls.replay_url)
        # only this test's carrier is polled (other databases may hold others)
        cls.env["delivery.carrier"].search(
            [
                ("tracking_provider", "in", ("json_api", "kuaidi100")),
                ("id", "!=", cls.kd_carrier.id),
            ]
        ).tracking_provider = "manual"
        cls.kd_shipment = cls._create_shipment(NUMBER, carrier=cls.kd_carrier)

    def _query_answer(self, answer):
        """The replay server answers queries with ``answer`` when the request
        is signed as 快递100 specifies (MD5 of param + key + customer, upper
        case), else with 快递100's signature error."""

        def query(request):
            form = request["form"]
            expected = (
                hashlib.md5((form["param"] + "key-kd100" + "CUSTOMER-9F3A").encode())
                .hexdigest()
                .upper()
            )
            if form.get("sign") != expected or form.get("customer") != "CUSTOMER-9F3A":
                return 200, {
                    "result": False,
                    "returnCode": "503",
                    "message": "验证签名失败",
                }
            return 200, answer

        self._route("POST", "/poll/query.do", query)

    def test_signature_recipe(self):
        """The signature is the upper-case hex MD5 of the parts in order."""
        self.assertEqual(
            kuaidi100_sign('{"com":"shunfeng"}', "salt"),
            hashlib.md5(b'{"com":"shunfeng"}salt').hexdigest().upper(),
        )
        self.assertNotEqual(kuaidi100_sign("a", "b"), kuaidi100_sign("b", "a"))

    def test_state_mapping(self):
        """Every 快递100 state and resultv2 sub-state maps onto a shipment
        status; an item without a code is read by its status text."""
        expected = {
            "1": "shipped",
            "101": "shipped",
            "103": "shipped",
            "0": "in_transit",
            "1001": "in_transit",
            "1002": "in_transit",
            "5": "out_for_delivery",
            "501": "out_for_delivery",
            "3": "delivered",
            "301": "delivered",
            "303": "delivered",
            "304": "delivered",
            "4": "returned",
            "401": "returned",
            "14": "exception",
            "6": "exception",
            "2": "exception",
            "201": "exception",
            "7": "in_transit",
            "8": "in_transit",
            "10": "in_transit",
            "12": "in_transit",
            "13": "exception",
        }
        for code, status in expected.items():
            with self.subTest(code=code):
                self.assertEqual(kuaidi100_status(code), status)
        self.assertEqual(kuaidi100_status("", "签收"), "delivered")
        self.assertEqual(kuaidi100_status("", "派件"), "out_for_delivery")
        self.assertIsNone(kuaidi100_status("99"))

    def test_poll_reads_the_recorded_query_answer(self):
        """Given 快递100's recorded query answer, when the shipment is polled,
        then the request is signed as documented and the events are stored
        in UTC with 快递100's code, text and area."""
        self._query_answer(json.loads(recorded("kuaidi100_query.json")))
        events = self.kd_shipment._erp_poll_tracking()
        self.assertEqual(len(events), 2)
        request = self.replay.requests[0]
        self.assertEqual(
            json.loads(request["form"]["param"]),
            {"com": "shunfeng", "num": NUMBER, "resultv2": "4"},
        )
        self.assertRecordValues(
            events.sorted("event_time"),
            [
                {
                    "status": "shipped",
                    "event_time": self._dt("2026-11-02 08:30:00"),
                    "provider_status": "103 揽收",
                    "location": "广东,广州市,天河区",
                    "source": "poll",
                },
                {
                    "status": "in_transit",
                    "event_time": self._dt("2026-11-02 13:05:00"),
                    "provider_status": "1002 在途",
                    "location": "广东,广州市,白云区",
                    "source": "poll",
                },
            ],
        )
        self.assertIn("广州白云中转场", events.sorted("event_time")[1].description)
        self.assertEqual(self.kd_shipment.state, "in_transit")

    def test_push_statements(self):
        """A signed push of 10 new events costs a fixed number of statements
        (issue 17): the carrier (one read of what the webhook needs), the
        shipments of its numbers with what applying events reads of them,
        SAVEPOINT, the shipments' row lock, the stored events (duplicates),
        the acting user's row (the ORM's defaults of the INSERT), one INSERT
        of the 10 events (with their carrier, company and applied flag: no
        UPDATE of them), one UPDATE of the shipment, RELEASE."""
        items = [
            {
                "ftime": f"2026-11-02 {hour:02d}:00:00",
                "context": f"[上海市]快件已到达【上海青浦中转场{hour}】",
                "areaName": f"上海,上海市,青浦区{hour}",
                "status": "在途",
                "statusCode": "1002",
            }
            for hour in range(19, 9, -1)
        ]
        param = json.dumps(
            {
                "status": "polling",
                "lastResult": {"state": "0", "nu": NUMBER, "data": items},
            },
            ensure_ascii=False,
        )
        form = {"param": param, "sign": kuaidi100_sign(param, "salt-kd100")}
        # the defaults are cached by the registry (read once per process)
        self.env["erp.shipment.event"].default_get(["source"])
        self.env.invalidate_all()
        env = self.env(su=True)
        with self.assertQueryCount(9):
            # as the webhook reads the carrier
            carrier = env["delivery.carrier"].search_fetch(
                [("id", "=", self.kd_carrier.id), ("active", "in", (True, False))],
                ["tracking_provider", "webhook_secret"],
            )
            status, answer = carrier._erp_receive_push(b"", {}, form)
        self.assertEqual((status, answer["new_events"]), (200, 10))
        events = self.kd_shipment.event_ids
        self.assertEqual(len(events), 10)
        self.assertEqual(events.carrier_id, self.kd_carrier)
        self.assertEqual(events.company_id, self.kd_shipment.company_id)
        self.assertTrue(all(events.mapped("is_applied")))
        self.assertEqual(self.kd_shipment.state, "in_transit")
        self.assertEqual(
            self.kd_shipment.state_event_time, self._dt("2026-11-02 11:00:00")
        )

    def test_poll_without_result_stores_nothing(self):
        """快递100's 'no result yet' (500) and refused numbers (700, 701, 702)
        store nothing and raise nothing: the next poll asks again."""
        for code in ("500", "700", "701", "702"):
            with self.subTest(code=code):
                self._query_answer(
                    {
                        "result": False,
                        "returnCode": code,
                        "message": "查询无结果，请隔段时间再查",
                    }
                )
                with mute_logger(KUAIDI100_LOGGER):
                    events = self.kd_shipment._erp_poll_tracking()
                self.assertFalse(events)
        self.assertFalse(self.kd_shipment.event_ids)

    def test_poll_account_errors_are_raised(self):
        """A bad signature (503), an unknown or expired key (600, 601) or a
        server error (501, 502) stop the poll with a translated message."""
        for code in ("501", "502", "503", "600", "601"):
            with self.subTest(code=code):
                self._query_answer(
                    {"result": False, "returnCode": code, "message": "错误"}
                )
                with self.assertRaisesRegex(UserError, code):
                    self.kd_shipment._erp_poll_tracking()
        # the replay server refuses a query signed with another key
        self._query_answer(json.loads(recorded("kuaidi100_query.json")))
        self.kd_carrier.tracking_api_key = "other-key"
        with self.assertRaisesRegex(UserError, "503"):
            self.kd_shipment._erp_poll_tracking()

    def _route_poll_accepted(self):
        """快递100 accepts the registration (``POST /poll``)."""
        self._route(
            "POST",
            "/poll",
            (200, {"result": True, "returnCode": "200", "message": "提交成功"}),
        )

    def test_subscription_when_shipped(self):
        """Given a shipment of a 快递100 carrier, when the registration job
        runs, then the number is subscribed with the callback URL, the salt
        and resultv2, and the shipment is marked as registered."""
        self.assertEqual(self.kd_shipment.erp_subscription_state, "pending")
        self._route_poll_accepted()
        self.env["erp.shipment"]._cron_subscribe_tracking()
        self.assertEqual(self.kd_shipment.erp_subscription_state, "subscribed")
        form = self.replay.requests[0]["form"]
        self.assertEqual(form["schema"], "json")
        param = json.loads(form["param"])
        self.assertEqual(
            param,
            {
                "company": "shunfeng",
                "number": NUMBER,
                "key": "key-kd100",
                "parameters": {
                    "callbackurl": self.kd_carrier.erp_webhook_url,
                    "salt": "salt-kd100",
                    "resultv2": "4",
                },
            },
        )
        self.assertTrue(
            param["parameters"]["callbackurl"].endswith(
                f"/erp_logistics/webhook/{self.kd_carrier.id}"
            )
        )

    def test_aborted_number_is_registered_again_half_an_hour_later(self):
        """Given a registered number that 快递100 stopped following (abort),
        when the registration job runs at once (triggered by another
        shipment), then the number is not sent yet; half an hour later it
        is registered again."""
        self.kd_shipment.erp_subscription_state = "subscribed"
        self.env["erp.shipment"]._erp_tracking_resubscribe(self.kd_carrier, [NUMBER])
        self.assertEqual(self.kd_shipment.erp_subscription_state, "pending")
        self._route_poll_accepted()
        self.env["erp.shipment"]._cron_subscribe_tracking()
        self.assertFalse(self.replay.requests)
        self.assertEqual(self.kd_shipment.erp_subscription_state, "pending")
        later = fields.Datetime.now() + timedelta(minutes=31)
        with freeze_time(later):
            self.env["erp.shipment"]._cron_subscribe_tracking()
        self.assertEqual(len(self.replay.requests), 1)
        self.assertEqual(self.kd_shipment.erp_subscription_state, "subscribed")

    def test_subscription_answers(self):
        """重复订阅 (501) counts as registered, a refused number (700, 701,
        702) is not asked again, a server error (500) or a refused account
        (600, 601) leave the shipment to register on the next run."""
        for code, state in (
            ("501", "subscribed"),
            ("700", "failed"),
            ("702", "failed"),
            ("500", "pending"),
            ("600", "pending"),
            ("601", "pending"),
        ):
            with self.subTest(code=code):
                self.kd_shipment.write({"erp_subscription_state": "pending"})
                self._route(
                    "POST",
                    "/poll",
                    (200, {"result": False, "returnCode": code, "message": "订阅"}),
                )
                with mute_logger(SUBSCRIPTION_LOGGER, KUAIDI100_LOGGER):
                    self.env["erp.shipment"]._cron_subscribe_tracking()
                self.assertEqual(self.kd_shipment.erp_subscription_state, state)

    def test_other_providers_are_not_registered(self):
        """A shipment of a webhook carrier is never registered anywhere."""
        shipment = self._create_shipment("WH-NOREG")
        self.assertFalse(shipment.erp_subscription_state)
