# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .common import ErpLogisticsCommon

CARRIER_LOGGER = "odoo.addons.erp_logistics.models.delivery_carrier_tracking_api"


@tagged("post_install", "-at_install")
class TestPollIntake(ErpLogisticsCommon):
    """Malformed events in a carrier's polling answer (the carrier's API is
    replaced by its answer; Odoo and the database are real)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Logistics Polled Courier",
                "product_id": cls.delivery_product.id,
                "delivery_type": "fixed",
                "tracking_provider": "json_api",
                "tracking_api_url": "https://tracking.example.com/v1",
                "erp_notify_customer": False,
            }
        )
        cls.shipment_1 = cls._create_shipment("POLL-1", carrier=cls.api_carrier)
        cls.shipment_2 = cls._create_shipment("POLL-2", carrier=cls.api_carrier)

    def _poll(self, raw_events):
        carrier_class = self.registry["delivery.carrier"]
        with (
            patch.object(
                carrier_class,
                "_erp_tracking_poll_json_api",
                lambda carrier, shipments: raw_events,
            ),
            self.assertLogs(CARRIER_LOGGER, "WARNING") as logs,
        ):
            events = (self.shipment_1 | self.shipment_2)._erp_poll_tracking()
        return events, "\n".join(logs.output)

    def test_bad_events_do_not_abort_the_batch(self):
        """Given a polling answer with a valid event per shipment and events
        whose status is a list or an object, whose time overflows or lies in
        the future, or whose text cannot be stored, when the batch is polled,
        then the valid events are stored, the bad ones are skipped with a log
        line and the shipments move."""
        future = fields.Datetime.now() + timedelta(days=3)
        raw_events = [
            {"tracking_number": "POLL-1", "status": ["delivered"], "time": "x"},
            {
                "tracking_number": "POLL-1",
                "status": "in_transit",
                "time": "2026-11-02T08:00:00Z",
                "location": "Hub",
            },
            {
                "tracking_number": "POLL-2",
                "status": {"code": 1},
                "time": "2026-11-02T08:00:00Z",
            },
            {
                "tracking_number": "POLL-2",
                "status": "delivered",
                "time": "9999-12-31T23:59:59-23:00",
            },
            {
                "tracking_number": "POLL-2",
                "status": "delivered",
                "time": future.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
            {
                "tracking_number": "POLL-2",
                "status": "delivered",
                "time": "2026-11-03T08:00:00Z",
                "location": "Hub \ud800",
            },
            {
                "tracking_number": "POLL-2",
                "status": "out_for_delivery",
                "time": "2026-11-03T08:00:00Z",
            },
        ]
        events, log = self._poll(raw_events)
        self.assertEqual(len(events), 2)
        self.assertEqual(self.shipment_1.state, "in_transit")
        self.assertEqual(self.shipment_2.state, "out_for_delivery")
        self.assertIn("future", log)
        self.assertEqual(len(self.shipment_2.event_ids), 1)
