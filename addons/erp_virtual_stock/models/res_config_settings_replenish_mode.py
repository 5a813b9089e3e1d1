# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    erp_replenish_transfer_mode = fields.Selection(
        related="company_id.erp_replenish_transfer_mode", readonly=False
    )
    erp_replenish_purchase_mode = fields.Selection(
        related="company_id.erp_replenish_purchase_mode", readonly=False
    )
