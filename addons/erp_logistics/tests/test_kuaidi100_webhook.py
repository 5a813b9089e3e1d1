# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .provider_replay import recorded
from .test_kuaidi100 import NUMBER, Kuaidi100Common

PUSH_LOGGER = "odoo.addons.erp_logistics.models.delivery_carrier_push"


@tagged("post_install", "-at_install")
class TestKuaidi100Webhook(Kuaidi100Common, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kd_carrier = cls._kuaidi100_carrier()
        cls.kd_shipment = cls._create_shipment(NUMBER, carrier=cls.kd_carrier)
        cls.url = f"/erp_logistics/webhook/{cls.kd_carrier.id}"

    def _push(self, name=None, param=None, salt="salt-kd100", sign=None):
        """Post a 快递100 push as it does: a form with ``param`` (the JSON) and
        ``sign`` (upper-case MD5 of param + salt)."""
        param = param if param is not None else recorded(name).decode()
        if sign is None:
            sign = hashlib.md5((param + salt).encode()).hexdigest().upper()
        with mute_logger(PUSH_LOGGER):
            response = self.url_open(self.url, data={"param": param, "sign": sign})
        self.env.invalidate_all()
        return response

    def test_signed_push_is_stored(self):
        """Given 快递100's recorded push of a parcel out for delivery, when
        posted with its signature, then 快递100's acknowledgement is answered,
        the four events are stored with their Chinese text and the shipment is
        out for delivery."""
        response = self._push("kuaidi100_push_dispatching.json")
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        self.assertEqual(
            (answer["result"], answer["returnCode"], answer["message"]),
            (True, "200", "成功"),
        )
        self.assertEqual(answer["new_events"], 4)
        self.assertEqual(self.kd_shipment.state, "out_for_delivery")
        self.assertEqual(
            self.kd_shipment.event_ids.sorted("event_time").mapped("provider_status"),
            ["103 揽收", "1002 在途", "1001 在途", "5 派件"],
        )
        self.assertEqual(self.kd_shipment.last_location, "广东,深圳市,南山区")
        self.assertEqual(set(self.kd_shipment.event_ids.mapped("source")), {"webhook"})

    def test_bad_signature_stores_nothing(self):
        """A push signed with another salt, or not signed, is refused with
        result false and a reason; nothing is stored."""
        for sign in (
            hashlib.md5(b"forged").hexdigest().upper(),
            "",
        ):
            with self.subTest(sign=sign):
                response = self._push("kuaidi100_push_dispatching.json", sign=sign)
                self.assertEqual(response.status_code, 403)
                self.assertIs(response.json()["result"], False)
                self.assertTrue(response.json()["message"])
        response = self._push("kuaidi100_push_dispatching.json", salt="other-salt")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.kd_shipment.event_ids)
        self.assertEqual(self.kd_shipment.state, "shipped")

    def test_replayed_push_is_stored_once(self):
        """The same push posted twice stores its events once."""
        self._push("kuaidi100_push_dispatching.json")
        response = self._push("kuaidi100_push_dispatching.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["new_events"], 0)
        self.assertEqual(response.json()["duplicates"], 4)
        self.assertEqual(len(self.kd_shipment.event_ids), 4)

    def test_signed_for_records_who_signed(self):
        """The 签收 push delivers the shipment and records who signed (the
        courier's proof), without confirming the customer's receipt."""
        self._push("kuaidi100_push_dispatching.json")
        self._push("kuaidi100_push_signed.json")
        self.assertEqual(self.kd_shipment.state, "delivered")
        self.assertEqual(self.kd_shipment.received_by, "前台王芳")
        self.assertFalse(self.kd_shipment.received_at)
        self.assertEqual(
            self.kd_shipment.date_delivered, self._dt("2026-11-03 03:25:00")
        )

    def test_out_of_order_pushes(self):
        """The 签收 push arriving before the earlier one: every event is
        stored, the shipment stays delivered."""
        self._push("kuaidi100_push_signed.json")
        self._push("kuaidi100_push_dispatching.json")
        self.assertEqual(self.kd_shipment.state, "delivered")
        self.assertEqual(len(self.kd_shipment.event_ids), 5)

    def test_unknown_number_is_acknowledged(self):
        """A push naming a number the database does not know is acknowledged
        (快递100 would push it again forever otherwise) and stores nothing."""
        push = json.loads(recorded("kuaidi100_push_dispatching.json"))
        push["lastResult"]["nu"] = "SF0000000000000"
        response = self._push(param=json.dumps(push, ensure_ascii=False))
        self.assertEqual(response.status_code, 200)
        self.assertIs(response.json()["result"], True)
        self.assertEqual(response.json()["ignored"], 4)
        self.assertFalse(self.kd_shipment.event_ids)

    def test_abort_registers_the_number_again(self):
        """An abort push (3天查询无记录) puts the shipment back in the
        registration queue."""
        self.kd_shipment.erp_subscription_state = "subscribed"
        response = self._push("kuaidi100_push_abort.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.kd_shipment.erp_subscription_state, "pending")

    def test_garbled_param_is_refused(self):
        """A signed param that is not 快递100's JSON is a 400 with a reason."""
        response = self._push(param="not json")
        self.assertEqual(response.status_code, 400)
        self.assertIs(response.json()["result"], False)
