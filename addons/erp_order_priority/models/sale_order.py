# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

PRIORITY_LEVELS = [
    ("normal", "Normal"),
    ("high", "High"),
    ("urgent", "Urgent"),
    ("critical", "Critical"),
]
FULFILLMENT_STATES = [
    ("pending", "Pending"),
    ("processing", "Processing"),
    ("completed", "Completed"),
    ("closed", "Closed"),
]
FULFILLMENT_STATE_HELP = (
    "Pending: confirmed, nothing prepared yet. Processing: a delivery is "
    "being prepared or partly shipped. Completed: everything delivered, "
    "awaiting the customer's confirmation. Closed: confirmed by the customer "
    "or closed automatically."
)
FULFILLMENT_ORDER = [state for state, _label in FULFILLMENT_STATES]
STARRED_LEVELS = ("urgent", "critical")


def no_rule_explanation(env):
    """Priority explanation of an order that no priority rule matches."""
    return env._("No priority rule matched.")


class SaleOrder(models.Model):
    """Entry and confirmation of an order: assignment rules, required
    fields, probable duplicates and the automatic confirmation email.

    The priority is in ``sale_order_priority.py``, the fulfillment lifecycle
    in ``sale_order_fulfillment.py``."""

    _inherit = "sale.order"

    erp_assignment_rule_id = fields.Many2one(
        "erp.order.assignment.rule",
        string="Assignment Rule",
        readonly=True,
        copy=False,
        help="The assignment rule that last assigned this order.",
    )
    erp_duplicate_order_ids = fields.Many2many(
        "sale.order",
        string="Probable Duplicates",
        compute="_compute_erp_duplicate_order_ids",
        help="Recent orders of the same customer with the same products.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("partner_id", "order_line.product_id", "state", "company_id")
    def _compute_erp_duplicate_order_ids(self):
        drafts = self.filtered(
            lambda o: o.state in ("draft", "sent")
            and o.partner_id
            and (o.company_id or self.env.company).erp_duplicate_window_hours
        )
        (self - drafts).erp_duplicate_order_ids = False
        if not drafts:
            return
        hours = max(drafts.company_id.mapped("erp_duplicate_window_hours") or [24])
        since = fields.Datetime.now() - timedelta(hours=hours)
        candidates = self.search(
            [
                (
                    "partner_id.commercial_partner_id",
                    "in",
                    drafts.partner_id.commercial_partner_id.ids,
                ),
                ("id", "not in", drafts._origin.ids),
                ("state", "!=", "cancel"),
                ("create_date", ">=", since),
            ]
        )
        for order in drafts:
            company = order.company_id or self.env.company
            limit = fields.Datetime.now() - timedelta(
                hours=company.erp_duplicate_window_hours
            )
            products = order.order_line.product_id
            order.erp_duplicate_order_ids = candidates.filtered(
                lambda c, o=order, p=products, lim=limit: c.company_id == o.company_id
                and c.partner_id.commercial_partner_id
                == o.partner_id.commercial_partner_id
                and c.create_date >= lim
                and p
                and c.order_line.product_id == p
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._erp_apply_assignment_rules("create")
        return orders

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self._erp_check_required_fields()
        # the salesperson of a rule takes the order once it is confirmed and
        # mailed: the salesman confirming it may not go on with an order of
        # another salesperson if he sees his own documents only
        routed = self._erp_apply_assignment_rules("confirm")
        result = super().action_confirm()
        if not self.env.context.get("send_email"):
            to_mail = self.filtered(lambda o: o.company_id.erp_auto_confirmation_email)
            for order in to_mail:
                order._erp_send_confirmation_mail()
        for rule, orders in routed:
            rule._assign_salesperson(orders)
        return result

    def _erp_send_confirmation_mail(self):
        """Send the standard confirmation email; a failure to render it (e.g.
        no PDF engine) must not undo the confirmation: log it on the order."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._send_order_confirmation_mail()
        except UserError as error:
            _logger.warning(
                "Order %s: confirmation email not sent: %s", self.name, error
            )
            self.message_post(
                body=self.env._(
                    "The confirmation email could not be sent: %s", str(error)
                )
            )

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _erp_check_required_fields(self):
        labels = {
            "commitment_date": self.env._("Delivery Date"),
            "payment_term_id": self.env._("Payment Terms"),
            "client_order_ref": self.env._("Customer Reference"),
        }
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            company = order.company_id
            required = []
            if company.erp_require_commitment_date:
                required.append("commitment_date")
            if company.erp_require_payment_term:
                required.append("payment_term_id")
            if company.erp_require_client_order_ref:
                required.append("client_order_ref")
            missing = [labels[name] for name in required if not order[name]]
            if missing:
                raise UserError(
                    self.env._(
                        "Order %(order)s cannot be confirmed: fill in %(fields)s.",
                        order=order.name,
                        fields=", ".join(missing),
                    )
                )

    def _erp_apply_assignment_rules(self, event):
        """Apply the first matching assignment rule to each order; on
        confirmation (``event`` "confirm") all but the salesperson. Returns
        [(rule, orders)] of the rules applied."""
        routed = []
        orders = self.filtered(lambda o: o.state in ("draft", "sent"))
        if not orders:
            return routed
        # sudo: salesmen create and confirm orders but may not read the
        # routing rules (managers' configuration); the rules only route orders
        rules = (
            self.env["erp.order.assignment.rule"]
            .sudo()
            .search(
                [
                    ("company_id", "in", [False, *orders.company_id.ids]),
                    ("apply_on", "in", (event, "both")),
                ]
            )
        )
        if not rules:
            return routed
        for rule in rules:
            candidates = orders.filtered(
                lambda o, r=rule: not r.company_id or r.company_id == o.company_id
            )
            matched = candidates.filtered_domain(rule._get_domain())
            if matched:
                rule._assign(matched, salesperson=event != "confirm")
                routed.append((rule, matched))
                orders -= matched
            if not orders:
                break
        return routed
