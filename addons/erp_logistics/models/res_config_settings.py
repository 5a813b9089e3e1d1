# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    erp_pod_closes_order = fields.Boolean(
        related="company_id.erp_pod_closes_order", readonly=False
    )
    erp_require_carrier = fields.Boolean(
        related="company_id.erp_require_carrier", readonly=False
    )
