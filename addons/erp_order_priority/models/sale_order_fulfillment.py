# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .sale_order import FULFILLMENT_ORDER, FULFILLMENT_STATE_HELP, FULFILLMENT_STATES


class SaleOrder(models.Model):
    """Fulfillment lifecycle of a confirmed order: pending, processing,
    completed, closed (by the customer or automatically)."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    fulfillment_state = fields.Selection(
        FULFILLMENT_STATES,
        compute="_compute_fulfillment_state",
        store=True,
        index=True,
        tracking=True,
        copy=False,
        # kanban columns in workflow order, empty states included
        group_expand=True,
        help=FULFILLMENT_STATE_HELP,
    )
    fulfillment_date_pending = fields.Datetime(
        compute="_compute_fulfillment_state", store=True, copy=False
    )
    fulfillment_date_processing = fields.Datetime(
        compute="_compute_fulfillment_state", store=True, copy=False
    )
    fulfillment_date_completed = fields.Datetime(
        compute="_compute_fulfillment_state", store=True, copy=False
    )
    fulfillment_date_closed = fields.Datetime(
        compute="_compute_fulfillment_state", store=True, copy=False
    )
    fulfillment_closed = fields.Boolean(
        string="Receipt Confirmed",
        copy=False,
        readonly=True,
        help="Set when the customer confirms receipt or the order is auto-closed.",
    )
    fulfillment_late = fields.Boolean(
        string="Late",
        compute="_compute_fulfillment_late",
        search="_search_fulfillment_late",
        help="Past the delivery date and not completed yet.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _erp_base_fulfillment_state(self):
        """Fulfillment state from the order and its deliveries, ignoring closure."""
        self.ensure_one()
        if self.state != "sale":
            return False
        pickings = self.picking_ids.filtered(lambda p: p.state != "cancel")
        # the deliveries to the customer: Odoo's own test, which counts a
        # dropship too (stock_dropshipping)
        outgoing = pickings.filtered(lambda p: p._is_to_external_location())
        goods = self.order_line.filtered(
            lambda line: not line.display_type and line.product_id.type == "consu"
        )
        if not goods:
            return "completed"
        if any(p.state == "done" for p in outgoing) and all(
            p.state == "done" for p in outgoing
        ):
            return "completed"
        if (
            any(p.state == "done" or p.printed for p in pickings)
            or any(move.picked for move in pickings.move_ids)
            or any(
                float_compare(
                    line.qty_delivered,
                    0,
                    precision_rounding=line.product_uom.rounding or 0.01,
                )
                > 0
                for line in goods
            )
        ):
            return "processing"
        return "pending"

    @api.depends(
        "state",
        "fulfillment_closed",
        "order_line.qty_delivered",
        "picking_ids.state",
        "picking_ids.printed",
        "picking_ids.move_ids.picked",
    )
    def _compute_fulfillment_state(self):
        date_fields = [f"fulfillment_date_{state}" for state in FULFILLMENT_ORDER]
        now = fields.Datetime.now()
        for order in self:
            state = order._erp_base_fulfillment_state()
            if state == "completed" and order.fulfillment_closed:
                state = "closed"
            order.fulfillment_state = state
            # Odoo marks the fields computed before calling us, so reading
            # them here returns their previous (possibly unflushed) values
            old_dates = [order[name] for name in date_fields]
            rank = FULFILLMENT_ORDER.index(state) if state else -1
            for index, name in enumerate(date_fields):
                if index > rank:
                    order[name] = False
                elif index == rank:
                    order[name] = old_dates[index] or now
                else:
                    order[name] = old_dates[index]

    @api.depends("commitment_date", "fulfillment_state")
    def _compute_fulfillment_late(self):
        now = fields.Datetime.now()
        for order in self:
            order.fulfillment_late = bool(
                order.fulfillment_state in ("pending", "processing")
                and order.commitment_date
                and order.commitment_date < now
            )

    def _search_fulfillment_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Late'."))
        now = fields.Datetime.now()
        domain = [
            ("fulfillment_state", "in", ("pending", "processing")),
            ("commitment_date", "<", now),
        ]
        if (operator == "=") == value:
            return domain
        # not late: not open, or without a delivery date, or not yet due
        return [
            "|",
            ("fulfillment_state", "not in", ("pending", "processing")),
            "|",
            ("commitment_date", "=", False),
            ("commitment_date", ">=", now),
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_customer_confirm(self):
        """Close completed orders: the customer confirmed receipt.

        Already closed orders are left as they are; any other order raises.
        Used by the order form, the portal and erp_logistics (with sudo).
        """
        to_close = self.filtered(lambda o: o.fulfillment_state != "closed")
        not_completed = to_close.filtered(lambda o: o.fulfillment_state != "completed")
        if not_completed:
            raise UserError(
                self.env._(
                    "Only completed orders can be confirmed as received: %s.",
                    ", ".join(not_completed.mapped("name")),
                )
            )
        to_close._erp_close(self.env._("The customer confirmed receipt."))
        return True

    def _erp_close(self, message):
        self.write({"fulfillment_closed": True})
        for order in self:
            order.message_post(body=message)

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _cron_auto_close(self):
        """Close completed orders the customer did not confirm within the delay."""
        companies = self.env["res.company"].search([("erp_auto_close_days", ">", 0)])
        for company in companies:
            limit = fields.Datetime.now() - timedelta(days=company.erp_auto_close_days)
            orders = self.with_company(company).search(
                [
                    ("company_id", "=", company.id),
                    ("fulfillment_state", "=", "completed"),
                    ("fulfillment_date_completed", "<=", limit),
                ]
            )
            if orders:
                orders._erp_close(
                    self.env._(
                        "Closed automatically %s days after completion.",
                        company.erp_auto_close_days,
                    )
                )
        return True
