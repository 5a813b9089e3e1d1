import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ErpLogisticsCommon


@tagged("post_install", "-at_install")
class TestPortal(ErpLogisticsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="erp_log_portal",
            password="erp_log_portal_pwd",
            groups="base.group_portal",
            partner_id=cls.customer_contact.id,
        )
        cls.own = cls._create_shipment("PORTAL-OWN", partner=cls.customer)
        cls.own_contact = cls._create_shipment(
            "PORTAL-CONTACT", partner=cls.customer_contact
        )
        cls.other = cls._create_shipment("PORTAL-OTHER", partner=cls.other_customer)
        cls.env["erp.shipment"]._erp_process_events(
            [cls._event_vals(cls.own, "in_transit", "2026-11-02 08:00:00", "Wuhan")]
        )

    def _csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def test_list_shows_only_own_shipments(self):
        """Given a portal user of the customer, when the shipments page opens,
        then the company's shipments are listed and the other customer's not."""
        self.authenticate("erp_log_portal", "erp_log_portal_pwd")
        response = self.url_open("/my/shipments")
        self.assertEqual(response.status_code, 200)
        self.assertIn("PORTAL-OWN", response.text)
        self.assertIn("PORTAL-CONTACT", response.text)
        self.assertNotIn("PORTAL-OTHER", response.text)

    def test_detail_shows_timeline(self):
        """Given an own shipment with an event, when its page opens, then the
        timeline shows the event's location."""
        self.authenticate("erp_log_portal", "erp_log_portal_pwd")
        response = self.url_open(f"/my/shipments/{self.own.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Wuhan", response.text)
        self.assertIn("o_erp_confirm_receipt", response.text)

    def test_other_shipment_is_not_reachable(self):
        """Given another customer's shipment, when a portal user opens it without
        token, then they are redirected away."""
        self.authenticate("erp_log_portal", "erp_log_portal_pwd")
        response = self.url_open(f"/my/shipments/{self.other.id}")
        self.assertNotIn("PORTAL-OTHER", response.text)
        self.assertFalse(response.url.endswith(f"/my/shipments/{self.other.id}"))

    def test_public_token_link(self):
        """Given the tracking link of the emails, when opened without login, then
        the page shows; with a wrong token it does not."""
        url = self.other.get_portal_url()
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("PORTAL-OTHER", response.text)
        response = self.url_open(f"/my/shipments/{self.other.id}?access_token=bad")
        self.assertNotIn("PORTAL-OTHER", response.text)

    def test_confirm_receipt_from_portal(self):
        """Given an own shipment, when the portal user confirms the receipt, then
        who and when are recorded."""
        self.authenticate("erp_log_portal", "erp_log_portal_pwd")
        page = self.url_open(f"/my/shipments/{self.own.id}")
        response = self.url_open(
            f"/my/shipments/{self.own.id}/confirm",
            data={
                "csrf_token": self._csrf(page.text),
                "received_by": "Chen Jing",
                "note": "All good",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("success=confirmed", response.url)
        self.env.invalidate_all()
        self.assertRecordValues(
            self.own,
            [
                {
                    "received_by": "Chen Jing",
                    "pod_note": "All good",
                    "state": "delivered",
                }
            ],
        )
        self.assertTrue(self.own.received_at)

    def test_confirm_other_shipment_refused(self):
        """Given another customer's shipment, when a portal user posts its
        confirmation without token, then nothing is recorded."""
        self.authenticate("erp_log_portal", "erp_log_portal_pwd")
        page = self.url_open(f"/my/shipments/{self.own.id}")
        self.url_open(
            f"/my/shipments/{self.other.id}/confirm",
            data={"csrf_token": self._csrf(page.text), "received_by": "Thief"},
        )
        self.env.invalidate_all()
        self.assertFalse(self.other.received_at)

    def test_portal_home_counter(self):
        """Given a portal user with two shipments, when the home counters are
        computed, then the shipment counter is 2."""
        self.authenticate("erp_log_portal", "erp_log_portal_pwd")
        result = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["erp_shipment_count"]}
        )
        self.assertEqual(result["erp_shipment_count"], 2)
