# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from ..lib.row_lock import lock_rows_nowait

# who may approve each kind of suggestion: the buyers approve purchases,
# the warehouse managers transfers
APPROVER_GROUPS = {
    "purchase": "purchase.group_purchase_manager",
    "transfer": "stock.group_stock_manager",
}


class ErpReplenishmentSuggestion(models.Model):
    """What a stock alert would do in *suggest* mode (company setting per
    action): buy a quantity from a vendor or transfer it from another
    warehouse. A buyer edits the quantities in the list and approves many at
    once: one RFQ per vendor (and receiving warehouse), one transfer per
    source (and destination) warehouse."""

    _name = "erp.replenishment.suggestion"
    _description = "Replenishment Suggestion"
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    kind = fields.Selection(
        [("purchase", "Purchase"), ("transfer", "Transfer")],
        required=True,
        readonly=True,
        index=True,
    )
    state = fields.Selection(
        [("draft", "To Approve"), ("approved", "Approved"), ("cancelled", "Cancelled")],
        required=True,
        default="draft",
        index=True,
        readonly=True,
        copy=False,
    )
    alert_id = fields.Many2one(
        "erp.stock.alert",
        string="Stock Alert",
        index=True,
        readonly=True,
        ondelete="set null",
        check_company=True,
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, readonly=True, check_company=True
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        index=True,
        readonly=True,
        check_company=True,
        help="The warehouse to replenish.",
    )
    quantity = fields.Float(
        digits="Product Unit of Measure",
        aggregator=False,
        help="Quantity to buy or to transfer, in the product's unit: edit it "
        "before approving.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        index=True,
        check_company=True,
        help="The vendor of the request for quotation (purchase suggestions).",
    )
    source_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Source Warehouse",
        index=True,
        check_company=True,
        help="The warehouse the stock is taken from (transfer suggestions).",
    )
    reason = fields.Char(readonly=True)
    date_expected = fields.Datetime(
        string="Expected Date",
        help="When the goods would arrive: today plus the vendor's lead time.",
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    date_approved = fields.Datetime(readonly=True, copy=False)
    purchase_line_id = fields.Many2one(
        "purchase.order.line", readonly=True, copy=False, index="btree_not_null"
    )
    purchase_order_id = fields.Many2one(
        related="purchase_line_id.order_id", string="Request for Quotation"
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    @api.depends("product_id", "warehouse_id")
    def _compute_display_name(self):
        for suggestion in self:
            suggestion.display_name = (
                f"{suggestion.product_id.display_name} → "
                f"{suggestion.warehouse_id.display_name}"
            )

    def write(self, vals):
        if set(vals) & {"quantity", "partner_id", "source_warehouse_id"} and (
            self.filtered(lambda s: s.state != "draft")
        ):
            raise UserError(self.env._("Only suggestions to approve can be changed."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_cancel(self):
        if self.filtered(lambda s: s.state != "draft"):
            raise UserError(self.env._("Only suggestions to approve can be cancelled."))
        self.write({"state": "cancelled"})
        return True

    def action_approve(self):
        """Approve the suggestions at once: one RFQ per vendor and receiving
        warehouse, one transfer per source and destination warehouse; the
        approver and the time are recorded on the suggestions and on their
        alerts. Everything is checked before anything is written, so a bad
        selection changes nothing."""
        if not self:
            raise UserError(self.env._("Select the suggestions to approve."))
        self._lock_for_approval()
        self._check_approvable()
        now = fields.Datetime.now()
        self.filtered(lambda s: s.kind == "purchase")._approve_purchases()
        self.filtered(lambda s: s.kind == "transfer")._approve_transfers()
        self.write(
            {"state": "approved", "approved_by_id": self.env.uid, "date_approved": now}
        )
        # the approver may be a buyer without the Virtual Stock groups: the
        # approval is recorded on the alerts the suggestions came from
        alerts = self.alert_id.sudo()
        alerts.write(
            {"suggestion_approved_by_id": self.env.uid, "date_suggestion_approved": now}
        )
        # one write for all, without a tracking message per alert
        alerts.filtered(lambda a: a.state == "open").with_context(
            mail_notrack=True
        ).write({"state": "in_progress"})
        return self._action_view_result()

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _lock_for_approval(self):
        """Lock the rows (one query): two buyers approving the same
        suggestions at once cannot both order them."""
        self.flush_recordset(["state"])
        lock_rows_nowait(
            self,
            self.env._(
                "These suggestions are being approved by someone else right "
                "now: wait a moment, then reload them."
            ),
        )

    def _check_approvable(self):
        not_draft = self.filtered(lambda s: s.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "Only suggestions to approve can be approved: %(suggestions)s.",
                    suggestions=", ".join(not_draft[:5].mapped("display_name")),
                )
            )
        for kind, group in APPROVER_GROUPS.items():
            if self.filtered(
                lambda s, k=kind: s.kind == k
            ) and not self.env.user.has_group(group):
                raise AccessError(
                    self.env._(
                        "Only a purchase administrator can approve purchase "
                        "suggestions, and only an inventory administrator transfer "
                        "suggestions."
                    )
                )
        not_positive = self.filtered(
            lambda s: float_compare(
                s.quantity, 0.0, precision_rounding=s.product_id.uom_id.rounding
            )
            <= 0
        )
        if not_positive:
            raise UserError(
                self.env._(
                    "Set a quantity above zero, or cancel the suggestion: "
                    "%(suggestions)s.",
                    suggestions=", ".join(not_positive[:5].mapped("display_name")),
                )
            )
        no_vendor = self.filtered(lambda s: s.kind == "purchase" and not s.partner_id)
        if no_vendor:
            raise UserError(
                self.env._(
                    "Choose a vendor: %(suggestions)s.",
                    suggestions=", ".join(no_vendor[:5].mapped("display_name")),
                )
            )
        bad_source = self.filtered(
            lambda s: s.kind == "transfer"
            and (
                not s.source_warehouse_id
                or s.source_warehouse_id == s.warehouse_id
                or s.source_warehouse_id.company_id != s.company_id
            )
        )
        if bad_source:
            raise UserError(
                self.env._(
                    "Choose a source warehouse of the same company, other than the "
                    "warehouse to replenish: %(suggestions)s.",
                    suggestions=", ".join(bad_source[:5].mapped("display_name")),
                )
            )

    def _action_view_result(self):
        """After approval: the RFQs (or transfers) just created."""
        orders = self.purchase_line_id.order_id
        if orders and not self.picking_id:
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "purchase.purchase_rfq"
            )
            action["domain"] = [("id", "in", orders.ids)]
        elif self.picking_id and not orders:
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "stock.action_picking_tree_all"
            )
            action["domain"] = [("id", "in", self.picking_id.ids)]
        else:
            return True
        action["context"] = {}
        return action
