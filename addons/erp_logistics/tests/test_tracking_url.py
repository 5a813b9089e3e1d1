# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ErpLogisticsCommon

SCRIPT_URLS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//track.example.com/?n=1",
    "track.example.com/?n=1",
]


@tagged("post_install", "-at_install")
class TestTrackingUrl(ErpLogisticsCommon):
    def test_carrier_tracking_link_must_be_http(self):
        """Given a carrier, when its tracking link template is not an http(s)
        address (a script link shown on the portal), then ValidationError;
        http and https are accepted."""
        for url in SCRIPT_URLS:
            with self.subTest(url=url), self.assertRaises(ValidationError):
                self.other_carrier.tracking_url = url
        for url in (
            "https://track.example.com/?n=<shipmenttrackingnumber>",
            "http://track.example.com/<shipmenttrackingnumber>",
        ):
            self.other_carrier.tracking_url = url
            self.assertEqual(self.other_carrier.tracking_url, url)

    def test_shipment_tracking_url_must_be_http(self):
        """Given a shipment, when its tracking URL is set by hand to a script
        link, then ValidationError and the link stays as it was."""
        shipment = self._create_shipment("URL-1")
        before = shipment.tracking_url
        for url in SCRIPT_URLS:
            with self.subTest(url=url), self.assertRaises(ValidationError):
                shipment.tracking_url = url
                shipment.flush_recordset()
            shipment.invalidate_recordset()
            self.assertEqual(shipment.tracking_url, before)

    def test_tracking_number_is_quoted_into_the_template(self):
        """Given a tracking number with URL characters, when the shipment's
        tracking URL is computed, then the number is URL-quoted (it cannot add
        a parameter, a path or a scheme)."""
        shipment = self._create_shipment("A&admin=1/../#x y")
        self.assertEqual(
            shipment.tracking_url,
            "https://track.example.com/?n=A%26admin%3D1%2F..%2F%23x%20y",
        )
