# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

from PIL import Image

from odoo.tests import new_test_user, tagged

from odoo.addons.erp_virtual_stock.tests.common_tour import TourScreenshotCase

from .common import ErpLogisticsCommon

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@tagged("post_install", "-at_install")
class TestLogisticsTours(ErpLogisticsCommon, TourScreenshotCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="erp_tour_portal",
            password="erp_tour_portal_pwd",
            groups="base.group_portal",
            name="Tour Portal Customer",
            email="tour.portal@example.com",
        )
        cls.customer = cls.portal_user.partner_id
        order = cls._create_sale_order(qty=1)
        cls.order = order
        picking = order.picking_ids
        cls._validate_picking(picking, tracking_ref="TOUR-0001")
        cls.shipment = cls.env["erp.shipment"].search(
            [("tracking_number", "=", "TOUR-0001")]
        )
        # creating events applies them to the shipment
        cls.env["erp.shipment.event"].create(
            [
                cls._event_vals(
                    cls.shipment, "in_transit", "2026-11-29 08:00:00", "Tour Hub"
                ),
                cls._event_vals(
                    cls.shipment, "out_for_delivery", "2026-11-29 12:00:00", "Tour City"
                ),
            ]
        )

    def test_shipment_timeline(self):
        """Given a shipment with tracking events, when a logistics user opens
        it in the web client, the events and the current state are shown."""
        self.assertEqual(self.shipment.state, "out_for_delivery")
        self.start_tour_with_screenshot(
            f"/odoo/action-erp_logistics.erp_shipment_action/{self.shipment.id}",
            "erp_shipment_timeline_tour",
            login="admin",
        )

    def test_portal_confirm_receipt(self):
        """Given a shipped order, when the customer confirms the receipt on the
        portal, the proof of delivery is recorded and the order is closed."""
        self.start_tour_with_screenshot(
            f"/my/shipments/{self.shipment.id}",
            "erp_portal_confirm_receipt_tour",
            login="erp_tour_portal",
        )
        self.env.invalidate_all()
        self.assertEqual(self.shipment.received_by, "Tour Receiver")
        self.assertEqual(self.order.fulfillment_state, "closed")
        # the photo the customer attached is kept as the proof
        self.assertEqual(base64.b64decode(self.shipment.pod_photo)[:8], PNG_MAGIC)

    def test_portal_sign_receipt(self):
        """Given a Chinese-speaking portal customer with a shipment out for
        delivery, when they open it on the portal, draw their signature in the
        signature widget and send it, then the shipment records the drawn
        signature and who received it, and the order is closed."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["web", "portal", "erp_logistics"], ["zh_CN"], overwrite=True
        )
        self.portal_user.lang = "zh_CN"
        # read the web client's Chinese catalogues now, not within the page
        # load of the tour (see TourScreenshotCase._setup_zh_cn_user)
        self.env["ir.http"].get_translations_for_webclient(None, "zh_CN")
        self.assertFalse(self.shipment.pod_signature)
        self.start_tour_with_screenshot(
            f"/my/shipments/{self.shipment.id}",
            "erp_portal_sign_receipt_tour",
            login="erp_tour_portal",
        )
        self.env.invalidate_all()
        self.assertRecordValues(
            self.shipment, [{"received_by": "Tour Portal Customer"}]
        )
        self.assertTrue(self.shipment.received_at)
        self.assertEqual(self.order.fulfillment_state, "closed")
        # the stroke drawn by the tour: dark pixels on a transparent pad
        image = Image.open(io.BytesIO(base64.b64decode(self.shipment.pod_signature)))
        alpha = image.convert("RGBA").getchannel("A")
        self.assertTrue(alpha.getbbox(), "the signature is blank")
        self.assertEqual(
            self.shipment.event_ids.filtered(lambda e: e.status == "received").mapped(
                "received_by"
            ),
            ["Tour Portal Customer"],
        )
