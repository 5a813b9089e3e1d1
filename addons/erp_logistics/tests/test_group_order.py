# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import ErpLogisticsCommon


@tagged("post_install", "-at_install")
class TestShipmentGroupOrder(ErpLogisticsCommon):
    def test_shipment_kanban_columns_follow_the_journey(self):
        """Given shipments delivered, in transit and out for delivery, when the
        kanban groups them by state, then the columns follow the journey
        (Draft, Shipped, In Transit, Out for Delivery, Delivered, ...), empty
        states included."""
        shipments = (
            self._create_shipment("GRP-1", state="delivered")
            | self._create_shipment("GRP-2", state="in_transit")
            | self._create_shipment("GRP-3", state="out_for_delivery")
        )
        result = self.Shipment.web_read_group(
            [("id", "in", shipments.ids)], ["state"], ["state"]
        )
        self.assertEqual(
            [(group["state"], group["state_count"]) for group in result["groups"]],
            [
                ("draft", 0),
                ("shipped", 0),
                ("in_transit", 1),
                ("out_for_delivery", 1),
                ("delivered", 1),
                ("exception", 0),
                ("returned", 0),
                ("cancelled", 0),
            ],
        )
