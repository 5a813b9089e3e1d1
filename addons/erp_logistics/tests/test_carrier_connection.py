# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .provider_replay import ProviderReplayMixin
from .test_kuaidi100 import Kuaidi100Common


@tagged("post_install", "-at_install")
class TestCarrierConnection(ProviderReplayMixin, Kuaidi100Common):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_replay()
        cls.kd_carrier = cls._kuaidi100_carrier(cls.replay_url)

    def _carrier(self, provider, url, **vals):
        return self.env["delivery.carrier"].create(
            {
                "name": f"Test {provider}",
                "product_id": self.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": provider,
                "tracking_api_url": url,
                "tracking_api_key": "secret-key",
                "erp_notify_customer": False,
                **vals,
            }
        )

    def test_kuaidi100_signed_query(self):
        """快递100: a signed query of an unused number; 'no result' (500)
        means the account works, a signature error (503) is shown."""

        def query(request):
            form = request["form"]
            expected = hashlib.md5(
                (form["param"] + "key-kd100CUSTOMER-9F3A").encode()
            ).hexdigest()
            if form["sign"] != expected.upper():
                return 200, {
                    "result": False,
                    "returnCode": "503",
                    "message": "验证签名失败",
                }
            return 200, {"result": False, "returnCode": "500", "message": "查询无结果"}

        self._route("POST", "/poll/query.do", query)
        action = self.kd_carrier.action_erp_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("500", action["params"]["message"])
        [request] = self.replay.requests
        self.assertEqual(json.loads(request["form"]["param"])["com"], "shunfeng")
        self.kd_carrier.tracking_api_key = "wrong"
        with self.assertRaisesRegex(UserError, "503"):
            self.kd_carrier.action_erp_test_connection()

    def test_aftership_couriers(self):
        """AfterShip: GET /couriers with the API key; 401 is shown."""
        carrier = self._carrier(
            "aftership",
            self.replay_url + "/tracking/2024-04",
            tracking_carrier_code="yto",
        )
        self._route(
            "GET",
            "/tracking/2024-04/couriers",
            (
                200,
                {
                    "meta": {"code": 200},
                    "data": {"total": 1, "couriers": [{"slug": "yto"}]},
                },
            ),
        )
        action = carrier.action_erp_test_connection()
        self.assertIn("1", action["params"]["message"])
        self.assertEqual(self.replay.requests[0]["headers"]["as-api-key"], "secret-key")
        self._route(
            "GET",
            "/tracking/2024-04/couriers",
            (401, {"meta": {"code": 401, "message": "Invalid API key."}}),
        )
        with self.assertRaisesRegex(UserError, "401"):
            carrier.action_erp_test_connection()

    def test_17track_quota(self):
        """17TRACK: POST /getquota with the token; a refused token is shown."""
        carrier = self._carrier("17track", self.replay_url + "/track/v2.2")
        self._route(
            "POST",
            "/track/v2.2/getquota",
            (200, {"code": 0, "data": {"quota_total": 100, "quota_remain": 100}}),
        )
        carrier.action_erp_test_connection()
        self.assertEqual(self.replay.requests[0]["headers"]["17token"], "secret-key")
        self._route(
            "POST",
            "/track/v2.2/getquota",
            (401, {"code": 401, "data": {"errors": [{"code": 401}]}}),
        )
        with self.assertRaisesRegex(UserError, "401"):
            carrier.action_erp_test_connection()

    def test_json_api_and_unreachable(self):
        """The JSON tracking API answers an events list; a service that does
        not answer is said so, without the address."""
        carrier = self._carrier("json_api", self.replay_url)
        self._route("GET", "/track", (200, {"events": []}))
        carrier.action_erp_test_connection()
        self.assertEqual(
            self.replay.requests[0]["query"]["numbers"], "ERPTEST0000000000"
        )
        self._route("GET", "/track", (500, {"message": "down"}))
        with self.assertRaisesRegex(UserError, "error"):
            carrier.action_erp_test_connection()

    def test_manual_and_rights(self):
        """Nothing to call for a manual carrier; a logistics user may not
        test (the settings are the administrators')."""
        with self.assertRaises(UserError):
            self.other_carrier.action_erp_test_connection()
        user = new_test_user(
            self.env,
            login="erp_conn_user",
            groups="erp_logistics.erp_logistics_group_user",
        )
        with self.assertRaises(AccessError):
            self.kd_carrier.with_user(user).action_erp_test_connection()

    def test_service_without_key_is_not_polled(self):
        """A tracking service carrier without API key (not set up yet, as the
        demo's) is left out of the polling job; with its key it is polled."""
        self.kd_carrier.tracking_api_key = False
        shipment = self._create_shipment("SF1440000000001", carrier=self.kd_carrier)
        batches = self.Shipment._erp_poll_batches(100)
        self.assertFalse([b for b in batches if shipment.id in b[2]])
        self.kd_carrier.tracking_api_key = "key-kd100"
        batches = self.Shipment._erp_poll_batches(100)
        self.assertTrue([b for b in batches if shipment.id in b[2]])
