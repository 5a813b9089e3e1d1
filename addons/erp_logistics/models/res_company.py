# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    erp_pod_closes_order = fields.Boolean(
        string="Proof of Delivery Closes the Order",
        help="When a carrier reports a delivery signed by the recipient (proof of "
        "delivery), close the sale order's fulfilment as if the customer had "
        "confirmed the receipt.",
    )
