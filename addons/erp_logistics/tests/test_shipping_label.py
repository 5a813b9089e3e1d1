# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import quote_plus

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ErpLogisticsCommon

LABEL_REPORT = "erp_logistics.action_report_erp_shipment_label"


@tagged("post_install", "-at_install")
class TestShippingLabel(ErpLogisticsCommon):
    """The shipping label (快递面单) a courier accepts, 100 x 150 mm."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["erp_logistics"], ["zh_CN"], overwrite=True
        )
        cls.product.weight = 1.5
        cls.customer.write(
            {
                "street": "科技园路 8 号",
                "city": "深圳",
                "zip": "518057",
                "phone": "+86 755 1234 5678",
            }
        )
        cls.env.company.phone = "+86 21 8765 4321"

    def _render(self, shipments):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            LABEL_REPORT, shipments.ids
        )
        return html.decode()

    def _shipped_order(self, tracking_ref, qty=2):
        order = self._create_sale_order(qty=qty)
        self._validate_picking(order.picking_ids, tracking_ref=tracking_ref)
        shipment = self.Shipment.search([("tracking_number", "=", tracking_ref)])
        self.assertEqual(len(shipment), 1)
        return order, shipment

    def test_label_has_code128_barcode_and_tracking_qr(self):
        """Given a shipped order, when its label is rendered, then the HTML
        points to Odoo's barcode route for a Code128 of the tracking number
        and a QR code of the public tracking link (with its access token)."""
        _order, shipment = self._shipped_order("SF1234567890")
        html = self._render(shipment)
        self.assertIn(
            "/report/barcode/?barcode_type=Code128&amp;value=SF1234567890&amp;", html
        )
        link = quote_plus(shipment._erp_get_tracking_link())
        self.assertIn(f"/report/barcode/?barcode_type=QR&amp;value={link}&amp;", html)
        self.assertIn("access_token%3D", link)

    def test_label_has_sender_receiver_order_parcels_and_weight(self):
        """Given a delivery of 2 x 1.5 kg from the test warehouse, when its
        label is rendered, then it shows the sender (company address and
        phone), the receiver (name, address, phone), the order reference,
        one parcel and 3.00 kg."""
        order, shipment = self._shipped_order("SF2000000001")
        html = self._render(shipment)
        for text in (
            self.env.company.name,
            "+86 21 8765 4321",
            "Logistics Test Customer",
            "科技园路 8 号",
            "+86 755 1234 5678",
            order.name,
            "3.00",
        ):
            self.assertIn(text, html)
        self.assertRegex(html, r'o_erp_label_parcels">\s*1\s*<')

    def test_label_counts_each_package_as_a_parcel(self):
        """Given a delivery whose goods are split into two packages, when its
        label is rendered, then it counts two parcels."""
        order = self._create_sale_order(qty=2)
        picking = order.picking_ids
        picking.carrier_tracking_ref = "SF3000000001"
        picking.action_assign()
        line = picking.move_line_ids
        line.quantity = 1
        line.copy({"quantity": 1})
        for index, move_line in enumerate(picking.move_line_ids):
            move_line.result_package_id = self.env["stock.quant.package"].create(
                {"name": f"LABEL-PACK-{index}"}
            )
        picking.move_ids.picked = True
        picking.with_context(skip_sms=True).button_validate()
        shipment = self.Shipment.search([("tracking_number", "=", "SF3000000001")])
        html = self._render(shipment)
        self.assertRegex(html, r'o_erp_label_parcels">\s*2\s*<')

    def test_label_follows_the_customer_language(self):
        """Given a Chinese-speaking customer, when the label is rendered, then
        its labels are Chinese."""
        self.customer.lang = "zh_CN"
        _order, shipment = self._shipped_order("SF4000000001")
        html = self._render(shipment)
        for text in ("收件人", "寄件人", "运单号", "件数", "重量", "扫码追踪"):
            self.assertIn(text, html)

    def test_label_without_tracking_number_is_refused(self):
        """Given a shipment without a tracking number, when its label is
        printed (button or report), then a Chinese-speaking user is told in
        Chinese to enter the number first."""
        shipment = self._create_shipment(False, state="draft")
        shipment_zh = shipment.with_context(lang="zh_CN")
        with self.assertRaisesRegex(UserError, "运单号"):
            shipment_zh.action_print_label()
        with self.assertRaisesRegex(UserError, shipment.name):
            self.env["ir.actions.report"].with_context(lang="zh_CN")._render_qweb_html(
                LABEL_REPORT, shipment.ids
            )

    def test_print_label_button_returns_the_label_report(self):
        """Given a shipment with a tracking number, when Print Label is
        clicked, then the 100 x 150 mm label report is returned."""
        shipment = self._create_shipment("SF5000000001")
        action = shipment.action_print_label()
        self.assertEqual(
            action["report_name"], "erp_logistics.report_erp_shipment_label"
        )
        paperformat = self.env.ref(LABEL_REPORT).paperformat_id
        self.assertRecordValues(
            paperformat, [{"format": "custom", "page_width": 100, "page_height": 150}]
        )
