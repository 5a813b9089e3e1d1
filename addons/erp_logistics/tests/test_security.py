# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ErpLogisticsCommon


@tagged("post_install", "-at_install")
class TestSecurity(ErpLogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="erp_log_sec_portal",
            groups="base.group_portal",
            partner_id=cls.customer_contact.id,
        )
        cls.user = new_test_user(
            cls.env,
            login="erp_log_sec_user",
            groups="erp_logistics.erp_logistics_group_user",
        )
        cls.own = cls._create_shipment("SEC-OWN")
        cls.other = cls._create_shipment("SEC-OTHER", partner=cls.other_customer)

    def test_portal_user_reads_only_own(self):
        """Given a portal user, when searching shipments, then only the
        commercial partner's ones are found and others raise AccessError."""
        Shipment = self.env["erp.shipment"].with_user(self.portal_user)
        found = Shipment.search([("tracking_number", "like", "SEC-")])
        self.assertEqual(found, self.own)
        with self.assertRaises(AccessError):
            self.other.with_user(self.portal_user).read(["name"])

    def test_portal_user_cannot_write(self):
        """Given a portal user, when writing their shipment, then AccessError."""
        with self.assertRaises(AccessError):
            self.own.with_user(self.portal_user).write({"received_by": "x"})

    def test_readers_cannot_ask_the_tracking_service(self):
        """Given a portal customer and a salesman, who may read the shipment
        but not change it, when they call Update Tracking or the courier
        recognition over RPC, then AccessError: neither reaches the
        carrier's paid API nor writes the shipment; a logistics user may."""
        salesman = new_test_user(
            self.env,
            login="erp_log_sec_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        for reader in (self.portal_user, salesman):
            shipment = self.own.with_user(reader)
            shipment.read(["name"])
            for action in ("action_poll_tracking", "action_erp_detect_courier"):
                with self.subTest(user=reader.login, action=action):
                    with self.assertRaises(AccessError):
                        getattr(shipment, action)()
        # the logistics user gets past the access check (the webhook carrier
        # of the shipment has no API: a UserError, not an AccessError)
        with self.assertRaises(UserError):
            self.own.with_user(self.user).action_poll_tracking()

    def test_user_cannot_delete_but_manager_can(self):
        """Given a logistics user, when deleting a draft shipment, then
        AccessError; a manager may."""
        draft = self._create_shipment("SEC-DRAFT", state="draft")
        with self.assertRaises(AccessError):
            draft.with_user(self.user).unlink()
        manager = new_test_user(
            self.env,
            login="erp_log_sec_manager",
            groups="erp_logistics.erp_logistics_group_manager",
        )
        draft.with_user(manager).unlink()
        self.assertFalse(draft.exists())

    def test_webhook_secret_hidden_from_users(self):
        """Given a logistics user, when reading the webhook secret, then
        AccessError (managers only)."""
        with self.assertRaises(AccessError):
            self.carrier.with_user(self.user).read(["webhook_secret"])

    def test_multi_company_rule(self):
        """Given a shipment of another company, when a user of this company
        searches, then it is not found."""
        company_b = self.env["res.company"].create({"name": "Logistics Company B"})
        shipment_b = self.env["erp.shipment"].create(
            {
                "partner_id": self.customer.id,
                "company_id": company_b.id,
                "tracking_number": "SEC-B",
            }
        )
        found = (
            self.env["erp.shipment"]
            .with_user(self.user)
            .search([("tracking_number", "=", "SEC-B")])
        )
        self.assertFalse(found)
        self.assertTrue(shipment_b)
