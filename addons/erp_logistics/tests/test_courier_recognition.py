# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .provider_replay import ProviderReplayMixin
from .test_kuaidi100 import Kuaidi100Common

SUBSCRIBED = (200, {"result": True, "returnCode": "200", "message": "提交成功"})


@tagged("post_install", "-at_install")
class TestCourierRecognition(ProviderReplayMixin, Kuaidi100Common):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_replay()
        # one 快递100 account for every courier: no courier code of its own
        cls.kd_carrier = cls._kuaidi100_carrier(cls.replay_url)
        cls.kd_carrier.tracking_carrier_code = False
        cls.sf_carrier = cls._kuaidi100_carrier(cls.replay_url)
        cls.sf_carrier.write({"name": "顺丰速运", "tracking_carrier_code": False})
        cls.Mapping = cls.env["erp.courier.code"]
        # installed with the module (data/erp_courier_code_data.xml)
        cls.sf_mapping = cls.env.ref(
            "erp_logistics.erp_courier_code_kuaidi100_shunfeng"
        )
        cls.sf_mapping.carrier_id = cls.sf_carrier

    def _autonumber_requests(self):
        return [r for r in self.replay.requests if r["path"] == "/autonumber/auto"]

    def test_subscription_recognises_the_courier(self):
        """Given a shipment of a 快递100 carrier without courier code, when it
        is registered, then 快递100's autonumber is asked with the number and
        the key, its most likely courier is stored on the shipment, shown
        through the mapping, and used to subscribe."""
        self._route("POST", "/poll", SUBSCRIBED)
        shipment = self._create_shipment("SF1420000000001", carrier=self.kd_carrier)
        self.Shipment._cron_subscribe_tracking()
        [ask] = self._autonumber_requests()
        self.assertEqual(ask["method"], "GET")
        self.assertEqual(ask["query"], {"num": "SF1420000000001", "key": "key-kd100"})
        self.assertRecordValues(
            shipment,
            [
                {
                    "erp_courier_code": "shunfeng",
                    "erp_courier_id": self.sf_mapping.id,
                    "erp_subscription_state": "subscribed",
                }
            ],
        )
        [subscribe] = [r for r in self.replay.requests if r["path"] == "/poll"]
        self.assertEqual(json.loads(subscribe["form"]["param"])["company"], "shunfeng")

    def test_mapping_gives_the_code_of_a_carrier(self):
        """Given the mapping shunfeng ↔ 顺丰速运, a shipment of that delivery
        method without courier code subscribes as shunfeng without asking
        快递100 to recognise it."""
        self._route("POST", "/poll", SUBSCRIBED)
        shipment = self._create_shipment("SF1420000000002", carrier=self.sf_carrier)
        self.Shipment._cron_subscribe_tracking()
        self.assertFalse(self._autonumber_requests())
        self.assertEqual(shipment.erp_subscription_state, "subscribed")
        self.assertEqual(shipment.erp_courier_id, self.sf_mapping)
        [subscribe] = self.replay.requests
        self.assertEqual(json.loads(subscribe["form"]["param"])["company"], "shunfeng")

    def test_carrier_code_wins_over_recognition(self):
        """A carrier's own courier code is used as it is: nothing is asked,
        and the shipment shows the courier that code maps to."""
        self._route("POST", "/poll", SUBSCRIBED)
        self.kd_carrier.tracking_carrier_code = "yuantong"
        shipment = self._create_shipment("SF1420000000003", carrier=self.kd_carrier)
        self.Shipment._cron_subscribe_tracking()
        self.assertFalse(self._autonumber_requests())
        self.assertFalse(shipment.erp_courier_code)
        # the courier shown is the mapping of the carrier's code
        self.assertEqual(
            shipment.erp_courier_id,
            self.env.ref("erp_logistics.erp_courier_code_kuaidi100_yuantong"),
        )
        [subscribe] = self.replay.requests
        self.assertEqual(json.loads(subscribe["form"]["param"])["company"], "yuantong")

    def test_unknown_number_is_refused_for_good(self):
        """A number 快递100 does not recognise (empty list) is not subscribed
        without a courier: the registration is refused with the reason, and
        the button says so."""
        self._route("POST", "/poll", SUBSCRIBED)
        shipment = self._create_shipment("ZZ0000000004", carrier=self.kd_carrier)
        self.Shipment._cron_subscribe_tracking()
        self.assertEqual(shipment.erp_subscription_state, "failed")
        self.assertIn("courier", shipment.erp_subscription_message)
        self.assertFalse([r for r in self.replay.requests if r["path"] == "/poll"])
        with self.assertRaisesRegex(UserError, "ZZ0000000004"):
            shipment.action_erp_detect_courier()

    def test_detect_button_and_account_error(self):
        """The Recognise Courier button stores the courier; a refused key
        stops it with 快递100's code, and the registration stays pending."""
        shipment = self._create_shipment("SF1420000000005", carrier=self.kd_carrier)
        shipment.action_erp_detect_courier()
        self.assertEqual(shipment.erp_courier_code, "shunfeng")
        other = self._create_shipment("SF1420000000006", carrier=self.kd_carrier)
        self.kd_carrier.tracking_api_key = False
        with self.assertRaisesRegex(UserError, "701"):
            other.action_erp_detect_courier()
        with mute_logger("odoo.addons.erp_logistics.models.erp_shipment_subscription"):
            self.Shipment._cron_subscribe_tracking()
        self.assertEqual(other.erp_subscription_state, "pending")

    def test_mapping_rights_and_checks(self):
        """Logistics users read the mapping, administrators edit it; a code
        appears once per service and without surrounding spaces."""
        user = new_test_user(
            self.env,
            login="erp_courier_user",
            groups="erp_logistics.erp_logistics_group_user",
        )
        manager = new_test_user(
            self.env,
            login="erp_courier_manager",
            groups="erp_logistics.erp_logistics_group_manager",
        )
        self.assertEqual(self.sf_mapping.with_user(user).name, "顺丰速运")
        with self.assertRaises(AccessError):
            self.sf_mapping.with_user(user).write({"code": "sf"})
        mapping = self.Mapping.with_user(manager).create(
            {"provider": "kuaidi100", "code": "debangkuaidi", "name": "德邦快递"}
        )
        mapping.carrier_id = self.kd_carrier
        with self.assertRaises(ValidationError):
            self.Mapping.create(
                {"provider": "aftership", "code": " ups", "name": "UPS"}
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.Mapping.create(
                    {"provider": "kuaidi100", "code": "debangkuaidi", "name": "德邦"}
                )
