# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ErpLogisticsCommon


@tagged("post_install", "-at_install")
class TestDeliveryPerformanceReport(ErpLogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ship = "2026-10-01 08:00:00"
        expected = "2026-10-04 08:00:00"
        # carrier: 3 delivered (2 on time: lead 1 and 2 days, 1 late: 4 days),
        # 1 in exception; other carrier: 1 delivered on time in November
        cls.shipments = cls.env["erp.shipment"]
        for number, delivered in (
            ("REP-1", "2026-10-02 08:00:00"),
            ("REP-2", "2026-10-03 08:00:00"),
            ("REP-3", "2026-10-05 08:00:00"),
        ):
            cls.shipments |= cls._create_shipment(
                number,
                date_shipped=ship,
                date_expected=expected,
                state="delivered",
                date_delivered=delivered,
            )
        exception = cls._create_shipment(
            "REP-4", date_shipped=ship, date_expected=expected
        )
        cls.env["erp.shipment"]._erp_process_events(
            [cls._event_vals(exception, "exception", "2026-10-02 08:00:00")]
        )
        cls._create_shipment(
            "REP-5",
            carrier=cls.other_carrier,
            date_shipped="2026-11-01 08:00:00",
            date_expected="2026-11-03 08:00:00",
            state="delivered",
            date_delivered="2026-11-02 20:00:00",
        )
        cls.domain = [("shipment_id.tracking_number", "like", "REP-")]

    def test_figures_per_carrier_and_month(self):
        """Given the shipments above, when grouped by carrier and month, then the
        counts, on-time rate, average lead time and exceptions match the hand
        computation."""
        rows = self.env["erp.delivery.performance.report"]._read_group(
            self.domain,
            groupby=["carrier_id", "date_shipped:month"],
            aggregates=[
                "shipment_count:sum",
                "delivered_count:sum",
                "on_time_rate:avg",
                "lead_time_days:avg",
                "exception_count:sum",
            ],
        )
        figures = {
            carrier: (count, delivered, round(rate, 2), round(lead, 2), exceptions)
            for carrier, _month, count, delivered, rate, lead, exceptions in rows
        }
        # the shipment in exception counts as not on time: 2 of 4
        self.assertEqual(figures[self.carrier], (4, 3, 50.0, 2.33, 1))
        self.assertEqual(figures[self.other_carrier], (1, 1, 100.0, 1.5, 0))

    def test_late_shipments_count_against_the_on_time_rate(self):
        """Given a shipment still in transit past its expected date, one on its
        way and not yet due and one delivered on time, then the on-time rate
        is 50%: the late one counts as not on time, the one not yet due is left
        out until it is delivered or late."""
        self._create_shipment(
            "LATE-REP-1",
            carrier=self.other_carrier,
            state="in_transit",
            date_shipped="2026-09-01 08:00:00",
            date_expected="2026-09-04 08:00:00",
        )
        self._create_shipment(
            "LATE-REP-2",
            carrier=self.other_carrier,
            date_shipped=fields.Datetime.now(),
            date_expected=fields.Datetime.now() + timedelta(days=3),
        )
        self._create_shipment(
            "LATE-REP-3",
            carrier=self.other_carrier,
            state="delivered",
            date_shipped="2026-09-01 08:00:00",
            date_expected="2026-09-04 08:00:00",
            date_delivered="2026-09-03 08:00:00",
        )
        [(rate,)] = self.env["erp.delivery.performance.report"]._read_group(
            [("shipment_id.tracking_number", "like", "LATE-REP-")],
            aggregates=["on_time_rate:avg"],
        )
        self.assertEqual(rate, 50.0)

    def test_draft_and_cancelled_are_excluded(self):
        """Given a draft shipment, when the report is read, then it is not in."""
        draft = self._create_shipment("REP-DRAFT", state="draft")
        found = self.env["erp.delivery.performance.report"].search(
            [("shipment_id", "=", draft.id)]
        )
        self.assertFalse(found)


@tagged("post_install", "-at_install")
class TestShipmentPdf(ErpLogisticsCommon):
    def test_details_have_tracking_number_and_qr(self):
        """Given a shipment, when its details (the portal's PDF) are rendered,
        then they show the tracking number and a QR code of the public
        tracking link."""
        shipment = self._create_shipment("PDF-123")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "erp_logistics.action_report_erp_shipment", shipment.ids
        )
        html = html.decode()
        self.assertIn("PDF-123", html)
        self.assertIn("/report/barcode/?barcode_type=QR", html)
        self.assertIn(f"%2Fmy%2Fshipments%2F{shipment.id}", html)
        self.assertIn("access_token%3D", html)

    def test_delivery_slip_has_tracking_qr(self):
        """Given a validated delivery with a shipment, when its delivery slip is
        rendered, then it shows the tracking number and the QR code."""
        order = self._create_sale_order()
        picking = self._validate_picking(order.picking_ids, tracking_ref="SLIP-77")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "stock.action_report_delivery", picking.ids
        )
        html = html.decode()
        self.assertIn("SLIP-77", html)
        self.assertIn("o_erp_tracking_qr", html)
