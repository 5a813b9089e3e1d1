# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ErpLogisticsCommon

# a 1x1 PNG
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestPortalReceipt(ErpLogisticsCommon, HttpCase):
    """The proof of delivery only the customer gives: the tracking link alone
    never confirms; the one-time code sent to the customer's mailbox does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shipment = cls._create_shipment("RECEIPT-1", partner=cls.customer)
        cls.portal_user = new_test_user(
            cls.env,
            login="erp_log_receipt_portal",
            password="erp_log_receipt_portal_pwd",
            groups="base.group_portal",
            partner_id=cls.customer_contact.id,
        )

    def _page(self, shipment=None, extra=""):
        response = self.url_open((shipment or self.shipment).get_portal_url() + extra)
        self.assertEqual(response.status_code, 200)
        return response.text

    @staticmethod
    def _csrf(html):
        return re.search(r'csrf_token: "([^"]+)"', html).group(1)

    def _post(self, path, html, shipment=None, **data):
        shipment = shipment or self.shipment
        response = self.url_open(
            f"/my/shipments/{shipment.id}/{path}",
            data={
                "csrf_token": self._csrf(html),
                "access_token": shipment.access_token,
                **data.pop("form", {}),
            },
            files=data.pop("files", None),
        )
        self.env.invalidate_all()
        return response

    def _sent_code(self, shipment=None):
        shipment = shipment or self.shipment
        mail = self.env["mail.mail"].search(
            [("model", "=", "erp.shipment"), ("res_id", "=", shipment.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn(self.customer, mail.recipient_ids)
        return re.search(r"<strong>(\d{6})</strong>", mail.body_html).group(1)

    def test_code_lets_the_link_holder_confirm_with_a_photo(self):
        """Given the tracking link, when its holder asks for a code, enters the
        one sent to the customer and confirms with a photo, then the receipt
        is recorded with the photo."""
        html = self._page()
        self.assertIn("o_erp_receipt_code", html)
        self.assertIn("c*******@example.com", html)
        self.assertNotIn("o_erp_confirm_receipt", html)
        response = self._post("send_code", html)
        self.assertIn("code_sent=1", response.url)
        self.assertIn("o_erp_receipt_code_form", response.text)
        code = self._sent_code()
        response = self._post("verify_code", response.text, form={"code": code})
        self.assertIn("o_erp_confirm_receipt", response.text)
        response = self._post(
            "confirm",
            response.text,
            form={"received_by": "门卫 老王"},
            files={"pod_photo": ("goods.png", PIXEL, "image/png")},
        )
        self.assertIn("success=confirmed", response.url)
        self.assertEqual(self.shipment.received_by, "门卫 老王")
        self.assertTrue(self.shipment.received_at)
        self.assertTrue(self.shipment.pod_photo)

    def test_the_link_alone_never_confirms(self):
        """Without the code, posting the confirmation with the token records
        nothing."""
        html = self._page()
        self._post("confirm", html, form={"received_by": "Parcel finder"})
        self.assertFalse(self.shipment.received_at)

    def test_wrong_expired_or_used_codes_are_refused(self):
        """A wrong code is refused and counted; after five wrong tries even
        the right code is refused; an expired code is refused; a code works
        once."""
        html = self._page()
        self._post("send_code", html)
        code = self._sent_code()
        response = self._post("verify_code", html, form={"code": "000000x"})
        self.assertIn("error=bad_code", response.url)
        self.assertNotIn("o_erp_confirm_receipt", response.text)
        for _try in range(4):
            self._post("verify_code", html, form={"code": "999999x"})
        response = self._post("verify_code", html, form={"code": code})
        self.assertIn("error=bad_code", response.url)
        # a new code, expired
        self.shipment.sudo().erp_receipt_code_sent_at = fields.Datetime.now() - (
            timedelta(minutes=2)
        )
        self._post("send_code", html)
        code = self._sent_code()
        self.shipment.sudo().erp_receipt_code_sent_at = fields.Datetime.now() - (
            timedelta(minutes=20)
        )
        response = self._post("verify_code", html, form={"code": code})
        self.assertIn("error=bad_code", response.url)
        # a fresh code works once
        self.shipment.sudo().erp_receipt_code_sent_at = fields.Datetime.now() - (
            timedelta(minutes=2)
        )
        self._post("send_code", html)
        code = self._sent_code()
        response = self._post("verify_code", html, form={"code": code})
        self.assertNotIn("error=bad_code", response.url)
        response = self._post("verify_code", html, form={"code": code})
        self.assertIn("error=bad_code", response.url)

    def test_code_needs_an_address_and_is_not_resent_at_once(self):
        """No code for a customer without email; a second code within a
        minute is refused."""
        html = self._page()
        self._post("send_code", html)
        response = self._post("send_code", html)
        self.assertIn("error=code_not_sent", response.url)
        no_mail = self.env["res.partner"].create({"name": "No Mail Customer"})
        shipment = self._create_shipment("RECEIPT-NOMAIL", partner=no_mail)
        html = self._page(shipment)
        self.assertNotIn("o_erp_receipt_code", html)
        response = self._post("send_code", html, shipment=shipment)
        self.assertIn("error=code_not_sent", response.url)

    def test_signature_confirms_the_receipt(self):
        """The signed-in customer signs on the screen: the signature and the
        name are recorded and the receipt confirmed."""
        self.authenticate("erp_log_receipt_portal", "erp_log_receipt_portal_pwd")
        html = self.url_open(f"/my/shipments/{self.shipment.id}").text
        self.assertIn("o_erp_receipt_signature", html)
        result = self.make_jsonrpc_request(
            f"/my/shipments/{self.shipment.id}/sign",
            {"name": "陈静", "signature": base64.b64encode(PIXEL).decode()},
        )
        self.assertIn("success=confirmed", result["redirect_url"])
        self.env.invalidate_all()
        self.assertEqual(self.shipment.received_by, "陈静")
        self.assertTrue(self.shipment.pod_signature)
        # once only
        result = self.make_jsonrpc_request(
            f"/my/shipments/{self.shipment.id}/sign",
            {"name": "陈静", "signature": base64.b64encode(PIXEL).decode()},
        )
        self.assertTrue(result["error"])

    def test_signature_needs_the_customer(self):
        """The tracking link's holder cannot sign without the code."""
        self._page()
        result = self.make_jsonrpc_request(
            f"/my/shipments/{self.shipment.id}/sign",
            {"name": "Someone", "signature": base64.b64encode(PIXEL).decode()},
        )
        self.assertTrue(result["error"])
        self.env.invalidate_all()
        self.assertFalse(self.shipment.received_at)
