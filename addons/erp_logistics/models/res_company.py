# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    erp_pod_closes_order = fields.Boolean(
        string="Proof of Delivery Closes the Order",
        help="When a carrier reports a delivery signed by the recipient (proof of "
        "delivery), close the sale order's fulfillment as if the customer had "
        "confirmed the receipt.",
    )
    erp_require_carrier = fields.Boolean(
        string="Require a Carrier for Customer Deliveries",
        help="Refuse to validate a delivery to a customer that has no carrier: "
        "without a carrier no shipment is created, so the parcel is neither "
        "tracked nor announced to the customer.",
    )
