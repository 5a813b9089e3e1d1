# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    erp_priority_high_threshold = fields.Integer(
        string="High Priority From",
        default=30,
        help="Orders whose priority score reaches this value are of high priority.",
    )
    erp_priority_urgent_threshold = fields.Integer(
        string="Urgent Priority From",
        default=60,
        help="Orders whose priority score reaches this value are urgent.",
    )
    erp_priority_critical_threshold = fields.Integer(
        string="Critical Priority From",
        default=90,
        help="Orders whose priority score reaches this value are critical.",
    )
    erp_auto_close_days = fields.Integer(
        string="Auto-close After (Days)",
        default=14,
        help="Completed orders not confirmed by the customer are closed "
        "automatically after this many days. 0 disables automatic closing.",
    )
    erp_auto_confirmation_email = fields.Boolean(
        string="Send Confirmation Email",
        help="Send the standard order confirmation email to the customer "
        "automatically when an order is confirmed.",
    )
    erp_require_commitment_date = fields.Boolean(
        string="Require Delivery Date",
        help="Orders cannot be confirmed without a delivery (commitment) date.",
    )
    erp_require_payment_term = fields.Boolean(
        string="Require Payment Terms",
        help="Orders cannot be confirmed without payment terms.",
    )
    erp_require_client_order_ref = fields.Boolean(
        string="Require Customer Reference",
        help="Orders cannot be confirmed without the customer's reference.",
    )
    erp_duplicate_window_hours = fields.Integer(
        string="Duplicate Window (Hours)",
        default=24,
        help="Warn on a quotation when another order of the same customer with "
        "the same products was entered within this many hours. 0 disables it.",
    )
    erp_confirmation_notice_days = fields.Integer(
        string="Date Notice Threshold (Days)",
        default=2,
        help="An applied backorder processing run tells the salesperson (and, "
        "if set, the customer) when it moves a line's confirmed date by more "
        "than this many days.",
    )
    erp_confirmation_notify_customer = fields.Boolean(
        string="Email Customers Moved Dates",
        help="Email the customer, in the customer's language, the new "
        "confirmed dates when a backorder processing run moves them.",
    )

    @api.constrains(
        "erp_priority_high_threshold",
        "erp_priority_urgent_threshold",
        "erp_priority_critical_threshold",
        "erp_auto_close_days",
        "erp_duplicate_window_hours",
        "erp_confirmation_notice_days",
    )
    def _check_erp_priority_thresholds(self):
        for company in self:
            if not (
                0
                < company.erp_priority_high_threshold
                < company.erp_priority_urgent_threshold
                < company.erp_priority_critical_threshold
            ):
                raise ValidationError(
                    self.env._(
                        "Priority thresholds must be positive and increasing: "
                        "high < urgent < critical."
                    )
                )
            if (
                company.erp_auto_close_days < 0
                or company.erp_duplicate_window_hours < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Auto-close days and the duplicate window cannot be negative."
                    )
                )
            if company.erp_confirmation_notice_days < 0:
                raise ValidationError(
                    self.env._("The date notice threshold cannot be negative.")
                )

    def _erp_priority_level(self, score):
        """Return the priority level of ``score`` for this company."""
        self.ensure_one()
        if score >= self.erp_priority_critical_threshold:
            return "critical"
        if score >= self.erp_priority_urgent_threshold:
            return "urgent"
        if score >= self.erp_priority_high_threshold:
            return "high"
        return "normal"
