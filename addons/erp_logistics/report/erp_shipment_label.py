# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportErpShipmentLabel(models.AbstractModel):
    """The shipping label (快递面单) handed to the courier with the parcel:
    sender, receiver, the tracking number as a Code128 barcode, the order,
    parcel count and weight, and a QR code of the public tracking link."""

    _name = "report.erp_logistics.report_erp_shipment_label"
    _description = "Shipping Label"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["erp.shipment"].browse(docids)
        docs._erp_check_label_printable()
        return {
            "doc_ids": docs.ids,
            "doc_model": "erp.shipment",
            "docs": docs,
            "labels": {shipment.id: self._erp_label(shipment) for shipment in docs},
        }

    @api.model
    def _erp_label(self, shipment):
        """What the label prints beside the shipment's own fields."""
        picking = shipment.picking_id
        sender = (
            picking.picking_type_id.warehouse_id.partner_id
            or shipment.company_id.partner_id
        )
        receiver = shipment.partner_id
        lines = picking.move_line_ids.filtered("quantity")
        packages = lines.result_package_id
        # each package is a parcel; the goods outside any package make one more
        bulk = any(not line.result_package_id for line in lines)
        return {
            "sender": sender,
            "sender_address": self._erp_address(sender),
            "sender_phone": sender.phone or shipment.company_id.phone or "",
            "receiver": receiver,
            "receiver_address": self._erp_address(receiver),
            "receiver_phone": receiver.phone or receiver.mobile or "",
            "order_ref": shipment.sale_order_id.name or picking.origin or picking.name,
            "parcel_count": max(len(packages) + (1 if bulk else 0), 1),
            "weight": picking.shipping_weight if picking else 0.0,
            "weight_uom": picking.weight_uom_name if picking else "",
            "tracking_link": shipment._erp_get_tracking_link(),
        }

    @api.model
    def _erp_address(self, partner):
        """The partner's address in its country's format, without the empty
        lines of the fields it does not have."""
        lines = partner._display_address(without_company=True).splitlines()
        return "\n".join(line.strip() for line in lines if line.strip())
