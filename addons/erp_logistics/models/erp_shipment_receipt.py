# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

from .erp_shipment import RECEIPT_STATUS


class ErpShipment(models.Model):
    _inherit = "erp.shipment"

    def _erp_portal_can_confirm(self):
        """Whether the customer can still confirm the receipt from the portal."""
        self.ensure_one()
        return not self.received_at and self.state in (
            "shipped",
            "in_transit",
            "out_for_delivery",
            "delivered",
        )

    def action_confirm_receipt(self, received_by=None, note=None):
        """Record the customer's receipt (签收) and close the order's fulfillment.

        :param received_by: name of the person who received the goods
            (defaults to the shipment's customer)
        :param note: optional remark left by the customer
        """
        for shipment in self:
            if shipment.received_at:
                raise UserError(
                    self.env._(
                        "The receipt of shipment %s was already confirmed.",
                        shipment.name,
                    )
                )
            if shipment.state in ("draft", "cancelled", "returned"):
                raise UserError(
                    self.env._(
                        "Shipment %s has not been shipped, its receipt cannot be "
                        "confirmed.",
                        shipment.name,
                    )
                )
        now = fields.Datetime.now()
        for shipment in self:
            vals = {
                "received_by": received_by or shipment.partner_id.name,
                "received_at": now,
            }
            if note:
                vals["pod_note"] = note
            if shipment.state != "delivered":
                vals.update(state="delivered", date_delivered=now)
            shipment.write(vals)
        # the receipt in the shipment's history (timeline): not a carrier
        # event, it moves no state (already written above)
        self.env["erp.shipment.event"].with_context(
            erp_skip_event_processing=True
        ).create(
            [
                {
                    "shipment_id": shipment.id,
                    "status": RECEIPT_STATUS,
                    "event_time": now,
                    "received_by": shipment.received_by,
                    "source": "manual",
                    "is_applied": True,
                }
                for shipment in self
            ]
        )
        self._erp_close_sale_orders()
        return True

    def _erp_close_sale_orders(self):
        """Close the fulfillment of the orders whose deliveries are all done
        (``erp_order_priority``'s ``action_customer_confirm``); orders still
        waiting for other deliveries stay as they are."""
        orders = self.sale_order_id.filtered(
            lambda o: o.fulfillment_state == "completed"
        )
        if orders:
            # the customer (portal) or the carrier (webhook) closes the order:
            # neither may write sale orders, the access was checked on the
            # shipment
            orders.sudo().action_customer_confirm()
