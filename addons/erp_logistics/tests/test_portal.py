# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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

    def test_detail_lists_the_products(self):
        """Given a shipment of a validated delivery of 2 units, when its page
        opens, then it lists the product with its quantity (2, not 2.00) and
        unit."""
        order = self._create_sale_order(qty=2)
        picking = self._validate_picking(order.picking_ids, tracking_ref="PORTAL-LINES")
        shipment = picking.erp_shipment_ids
        self.authenticate("erp_log_portal", "erp_log_portal_pwd")
        response = self.url_open(f"/my/shipments/{shipment.id}")
        rows = re.findall(
            r'<tr class="o_erp_shipment_line">(.*?)</tr>', response.text, re.S
        )
        self.assertEqual(len(rows), 1)
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", rows[0], re.S)
        ]
        self.assertEqual(cells, ["Logistics Test Parcel", "2", "Units"])

    def test_home_shows_shipments_to_sign_for(self):
        """Given a delivered shipment whose receipt is not confirmed yet and one
        in transit, when the portal user opens /my, then a "to sign for" notice
        counts 1 and leads to the list of that one shipment."""
        self.env["erp.shipment"]._erp_process_events(
            [self._event_vals(self.own_contact, "delivered", "2026-11-03 08:00:00")]
        )
        self.authenticate("erp_log_portal", "erp_log_portal_pwd")
        result = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["erp_shipment_to_confirm_count"]}
        )
        self.assertEqual(result["erp_shipment_to_confirm_count"], 1)
        home = self.url_open("/my").text
        self.assertIn('data-placeholder_count="erp_shipment_to_confirm_count"', home)
        self.assertIn("/my/shipments?filterby=to_confirm", home)
        listed = self.url_open("/my/shipments?filterby=to_confirm").text
        self.assertIn("PORTAL-CONTACT", listed)
        self.assertNotIn("PORTAL-OWN", listed)

    def test_confirmed_receipt_is_in_the_timeline(self):
        """Given an own shipment in transit, when the portal user confirms its
        receipt, then the timeline ends with a "Receipt Confirmed" event naming
        who received the goods."""
        self.authenticate("erp_log_portal", "erp_log_portal_pwd")
        page = self.url_open(f"/my/shipments/{self.own.id}")
        response = self.url_open(
            f"/my/shipments/{self.own.id}/confirm",
            data={"csrf_token": self._csrf(page.text), "received_by": "Chen Jing"},
        )
        self.env.invalidate_all()
        last = self.own.event_ids.sorted(lambda e: (e.event_time, e.id))[-1]
        self.assertRecordValues(
            last, [{"status": "received", "received_by": "Chen Jing"}]
        )
        timeline = response.text.split("o_erp_timeline", 1)[1]
        self.assertIn("Receipt Confirmed", timeline.split("</li>", 1)[0])
        self.assertIn("Chen Jing", timeline.split("</li>", 1)[0])
        self.assertEqual(self.own.last_location, "Wuhan")

    # ------------------------------------------------ who may confirm (签收)
    def _layout_csrf(self, html):
        """The CSRF token every page of the session carries in its layout."""
        return re.search(r'csrf_token: "([^"]+)"', html).group(1)

    def test_confirm_needs_write_access_for_internal_users(self):
        """Given a salesman restricted to his own documents, who may read but
        not write shipments, when he posts the confirmation of his order's
        shipment, then nothing is recorded; a logistics user may confirm."""
        salesman = new_test_user(
            self.env,
            login="erp_log_own_salesman",
            password="erp_log_own_salesman_pwd",
            groups="sales_team.group_sale_salesman",
        )
        order = self._create_sale_order(qty=1)
        order.user_id = salesman
        shipment = self._create_shipment("PORTAL-SALES", sale_order_id=order.id)
        self.authenticate("erp_log_own_salesman", "erp_log_own_salesman_pwd")
        page = self.url_open("/my")
        self.url_open(
            f"/my/shipments/{shipment.id}/confirm",
            data={"csrf_token": self._layout_csrf(page.text), "received_by": "Sales"},
        )
        self.env.invalidate_all()
        self.assertFalse(shipment.received_at)
        self.assertEqual(shipment.state, "shipped")

        new_test_user(
            self.env,
            login="erp_log_portal_user",
            password="erp_log_portal_user_pwd",
            groups="erp_logistics.erp_logistics_group_user",
        )
        self.authenticate("erp_log_portal_user", "erp_log_portal_user_pwd")
        page = self.url_open(f"/my/shipments/{shipment.id}")
        self.assertIn("o_erp_confirm_receipt", page.text)
        response = self.url_open(
            f"/my/shipments/{shipment.id}/confirm",
            data={"csrf_token": self._csrf(page.text), "received_by": "Desk"},
        )
        self.assertIn("success=confirmed", response.url)
        self.env.invalidate_all()
        self.assertEqual(shipment.received_by, "Desk")

    def test_tracking_link_only_shows(self):
        """Given the tracking link (access token) of another customer's
        shipment, when someone without login opens it and posts the
        confirmation with the token, then the page shows no confirm form and
        nothing is recorded."""
        url = self.other.get_portal_url()
        page = self.url_open(url)
        self.assertIn("PORTAL-OTHER", page.text)
        self.assertNotIn("o_erp_confirm_receipt", page.text)
        self.assertIn("o_erp_sign_in_to_confirm", page.text)
        self.url_open(
            f"/my/shipments/{self.other.id}/confirm",
            data={
                "csrf_token": self._layout_csrf(page.text),
                "access_token": self.other.access_token,
                "received_by": "Parcel finder",
            },
        )
        self.env.invalidate_all()
        self.assertFalse(self.other.received_at)
        self.assertEqual(self.other.state, "shipped")

    def test_access_token_rotates_when_delivered_or_confirmed(self):
        """Given the tracking link printed on the slip, when the carrier
        reports the delivery, then the old link no longer opens the page and
        a new one does; confirming the receipt rotates the token again."""
        old_url = self.other.get_portal_url()
        old_token = self.other.access_token
        self.env["erp.shipment"]._erp_process_events(
            [self._event_vals(self.other, "delivered", "2026-11-03 08:00:00")]
        )
        self.assertEqual(self.other.state, "delivered")
        self.assertNotEqual(self.other.access_token, old_token)
        self.assertNotIn("PORTAL-OTHER", self.url_open(old_url).text)
        self.assertIn("PORTAL-OTHER", self.url_open(self.other.get_portal_url()).text)
        delivered_token = self.other.access_token
        self.other.action_confirm_receipt(received_by="Front desk")
        self.assertNotEqual(self.other.access_token, delivered_token)
