# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ErpShipmentImportLine(models.TransientModel):
    _name = "erp.shipment.import.line"
    _description = "Import Tracking Events: Row"
    _order = "row, id"

    wizard_id = fields.Many2one(
        "erp.shipment.import", required=True, ondelete="cascade"
    )
    row = fields.Integer(readonly=True)
    tracking_number = fields.Char(readonly=True)
    status = fields.Char(readonly=True)
    time = fields.Char(readonly=True)
    location = fields.Char(readonly=True)
    description = fields.Char(readonly=True)
    received_by = fields.Char(readonly=True)
    error = fields.Char(readonly=True)

    def _erp_as_raw_event(self):
        self.ensure_one()
        return {
            "tracking_number": self.tracking_number or "",
            "status": self.status or "",
            "time": self.time or "",
            "location": self.location or "",
            "description": self.description or "",
            "received_by": self.received_by or "",
        }
