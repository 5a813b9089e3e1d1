# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    erp_priority_high_threshold = fields.Integer(
        related="company_id.erp_priority_high_threshold", readonly=False
    )
    erp_priority_urgent_threshold = fields.Integer(
        related="company_id.erp_priority_urgent_threshold", readonly=False
    )
    erp_priority_critical_threshold = fields.Integer(
        related="company_id.erp_priority_critical_threshold", readonly=False
    )
    erp_auto_close_days = fields.Integer(
        related="company_id.erp_auto_close_days", readonly=False
    )
    erp_auto_confirmation_email = fields.Boolean(
        related="company_id.erp_auto_confirmation_email", readonly=False
    )
    erp_require_commitment_date = fields.Boolean(
        related="company_id.erp_require_commitment_date", readonly=False
    )
    erp_require_payment_term = fields.Boolean(
        related="company_id.erp_require_payment_term", readonly=False
    )
    erp_require_client_order_ref = fields.Boolean(
        related="company_id.erp_require_client_order_ref", readonly=False
    )
    erp_duplicate_window_hours = fields.Integer(
        related="company_id.erp_duplicate_window_hours", readonly=False
    )
    erp_confirmation_notice_days = fields.Integer(
        related="company_id.erp_confirmation_notice_days", readonly=False
    )
    erp_confirmation_notify_customer = fields.Boolean(
        related="company_id.erp_confirmation_notify_customer", readonly=False
    )
