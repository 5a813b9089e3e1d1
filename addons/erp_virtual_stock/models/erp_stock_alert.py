# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from .erp_stock_replenishment import OPEN_STATES


class ErpStockAlert(models.Model):
    _name = "erp.stock.alert"
    _description = "Stock Shortage Alert"
    _inherit = ["mail.thread", "mail.activity.mixin", "erp.stock.replenishment"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    threshold_id = fields.Many2one(
        "erp.stock.threshold",
        string="Threshold Rule",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, readonly=True, ondelete="cascade"
    )
    default_code = fields.Char(related="product_id.default_code")
    product_uom_id = fields.Many2one(related="product_id.uom_id")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    basis = fields.Selection(related="threshold_id.basis")
    action = fields.Selection(related="threshold_id.action")
    notify_user_ids = fields.Many2many(related="threshold_id.notify_user_ids")
    state = fields.Selection(
        [
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("ignored", "Ignored"),
        ],
        required=True,
        default="open",
        index=True,
        tracking=True,
        copy=False,
    )
    # quantities of one product each: a group of alerts does not sum them
    qty_at_trigger = fields.Float(
        digits="Product Unit of Measure",
        aggregator=False,
        readonly=True,
        help="Quantity (on the rule's basis) when the alert was raised.",
    )
    min_qty = fields.Float(
        string="Minimum Quantity",
        digits="Product Unit of Measure",
        readonly=True,
        aggregator=False,
    )
    target_qty = fields.Float(
        string="Target Quantity",
        digits="Product Unit of Measure",
        readonly=True,
        aggregator=False,
    )
    shortage_qty = fields.Float(
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
        aggregator=False,
        help="Minimum quantity minus the quantity at trigger.",
    )
    refill_qty = fields.Float(
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
        aggregator=False,
        help="Target quantity minus the quantity at trigger.",
    )
    incoming_qty = fields.Float(
        string="Incoming",
        compute="_compute_incoming_qty",
        digits="Product Unit of Measure",
        help="Quantity still expected from the transfers and purchase order "
        "lines linked to this alert.",
    )
    date_triggered = fields.Datetime(
        default=fields.Datetime.now, readonly=True, copy=False
    )
    date_acknowledged = fields.Datetime(readonly=True, copy=False)
    acknowledged_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_resolved = fields.Datetime(readonly=True, copy=False, tracking=True)
    ignore_reason = fields.Text(readonly=True, copy=False, tracking=True)
    note = fields.Html(
        readonly=True,
        copy=False,
        help="What the automatic replenishment did or why it could not act.",
    )
    replenish_state = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        string="Replenishment",
        readonly=True,
        copy=False,
        index=True,
        help="Pending: the replenishment job will run the rule's action in a "
        "moment, outside of the order that raised the alert. Failed: the note "
        "says why; fix it, then click Replenish.",
    )
    procurement_group_id = fields.Many2one(
        "procurement.group", readonly=True, copy=False
    )
    picking_ids = fields.Many2many(
        "stock.picking",
        "erp_stock_alert_picking_rel",
        "alert_id",
        "picking_id",
        string="Transfers",
        readonly=True,
        copy=False,
    )
    purchase_line_ids = fields.Many2many(
        "purchase.order.line",
        "erp_stock_alert_purchase_line_rel",
        "alert_id",
        "line_id",
        string="Purchase Lines",
        readonly=True,
        copy=False,
    )
    picking_count = fields.Integer(compute="_compute_counts")
    purchase_count = fields.Integer(compute="_compute_counts")
    color = fields.Integer(compute="_compute_color")
    can_transfer = fields.Boolean(
        compute="_compute_next_actions",
        help="Another warehouse of the company has a surplus to transfer.",
    )
    can_purchase = fields.Boolean(
        compute="_compute_next_actions",
        help="The product has a vendor: a request for quotation can be created.",
    )

    def init(self):
        # One open alert per product x warehouse x rule, guaranteed by the
        # database even for concurrent triggers.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS erp_stock_alert_open_uniq"
                " ON erp_stock_alert (product_id, warehouse_id, threshold_id)"
                " WHERE state IN ('open', 'in_progress')"
            )
        )

    @api.depends("qty_at_trigger", "min_qty", "target_qty")
    def _compute_quantities(self):
        for alert in self:
            alert.shortage_qty = max(alert.min_qty - alert.qty_at_trigger, 0.0)
            alert.refill_qty = max(alert.target_qty - alert.qty_at_trigger, 0.0)

    @api.depends(
        "picking_ids.move_ids.state",
        "picking_ids.move_ids.product_qty",
        "purchase_line_ids.product_qty",
        "purchase_line_ids.qty_received",
        "purchase_line_ids.state",
    )
    def _compute_incoming_qty(self):
        for alert in self:
            alert.incoming_qty = alert._get_pending_qty()

    @api.depends("picking_ids", "purchase_line_ids")
    def _compute_counts(self):
        for alert in self:
            alert.picking_count = len(alert.picking_ids)
            alert.purchase_count = len(alert.purchase_line_ids.order_id)

    @api.depends("state", "qty_at_trigger", "min_qty", "target_qty", "incoming_qty")
    def _compute_next_actions(self):
        """What the buyer can still do, whatever the rule's action: transfer
        from a warehouse with a surplus, or buy from the product's vendor,
        while some quantity is needed that is not on its way yet."""
        # a preview: showing the buttons must not take the pair's
        # replenishment lock (reading alerts runs on a read-only cursor)
        preview = self.with_context(erp_stock_alert_need_preview=True)
        needy = preview.filtered(
            lambda a: a.state in OPEN_STATES and a.id and a._has_need()
        ).with_env(self.env)
        surplus_map = needy._get_surplus_map(actions=None) if needy else {}
        for alert in self:
            if alert not in needy:
                alert.can_transfer = alert.can_purchase = False
                continue
            alert.can_transfer = any(
                surplus > 0
                for (basis, product_id, wh_id), surplus in surplus_map.items()
                if basis == alert.threshold_id.basis
                and product_id == alert.product_id.id
                and wh_id != alert.warehouse_id.id
            )
            alert.can_purchase = bool(
                alert.product_id.with_company(alert.company_id)
                ._prepare_sellers(False)
                .filtered(
                    lambda s, c=alert.company_id: not s.company_id or s.company_id == c
                )
            )

    @api.depends("state")
    def _compute_color(self):
        colors = {"open": 1, "in_progress": 3, "resolved": 10, "ignored": 0}
        for alert in self:
            alert.color = colors.get(alert.state, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("erp.stock.alert") or "/"
                )
        return super().create(vals_list)

    @api.depends("name", "product_id")
    def _compute_display_name(self):
        for alert in self:
            alert.display_name = (
                f"{alert.name} - {alert.product_id.display_name}"
                if alert.product_id
                else alert.name
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_acknowledge(self):
        alerts = self.filtered(lambda a: a.state in OPEN_STATES)
        if not alerts:
            raise UserError(self.env._("Only open alerts can be acknowledged."))
        alerts.write(
            {
                "date_acknowledged": fields.Datetime.now(),
                "acknowledged_by_id": self.env.uid,
            }
        )
        alerts.activity_feedback(
            ["erp_virtual_stock.mail_activity_type_stock_alert"],
            feedback=self.env._("Alert acknowledged."),
        )
        return True

    def action_ignore(self):
        """Open the wizard that asks for the reason."""
        if self.filtered(lambda a: a.state not in OPEN_STATES):
            raise UserError(self.env._("Only open alerts can be ignored."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ignore Alert"),
            "res_model": "erp.stock.alert.ignore",
            "view_mode": "form",
            "target": "new",
            "context": {"default_alert_ids": self.ids},
        }

    def _do_ignore(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason to ignore an alert."))
        if self.filtered(lambda a: a.state not in OPEN_STATES):
            raise UserError(self.env._("Only open alerts can be ignored."))
        self.write({"state": "ignored", "ignore_reason": reason})
        self.activity_unlink(["erp_virtual_stock.mail_activity_type_stock_alert"])

    def action_reopen(self):
        alerts = self.filtered(lambda a: a.state in ("resolved", "ignored"))
        if alerts != self:
            raise UserError(
                self.env._("Only resolved or ignored alerts can be reopened.")
            )
        duplicates = self.search(
            [
                ("state", "in", OPEN_STATES),
                ("product_id", "in", alerts.product_id.ids),
                ("threshold_id", "in", alerts.threshold_id.ids),
            ]
        )
        open_keys = {
            (a.product_id.id, a.warehouse_id.id, a.threshold_id.id) for a in duplicates
        }
        for alert in alerts:
            key = (alert.product_id.id, alert.warehouse_id.id, alert.threshold_id.id)
            if key in open_keys:
                raise UserError(
                    self.env._(
                        "Alert %(alert)s cannot be reopened: another alert is "
                        "already open for this product, warehouse and rule.",
                        alert=alert.display_name,
                    )
                )
            open_keys.add(key)
        for alert in alerts:
            alert.state = "in_progress" if alert._get_pending_qty() > 0 else "open"
        alerts.write({"date_resolved": False, "ignore_reason": False})
        return True

    def action_replenish(self):
        """Run the rule's action again (e.g. after a vendor was added)."""
        alerts = self.filtered(lambda a: a.state in OPEN_STATES)
        if not alerts:
            raise UserError(self.env._("Only open alerts can be replenished."))
        alerts._lock_for_replenishment()
        alerts._replenish()
        return True

    def action_replenish_transfer(self):
        """Transfer the missing quantity from the warehouse with the largest
        surplus, whatever the rule's action."""
        alerts = self._get_alerts_to_replenish()
        surplus_map = alerts._get_surplus_map(actions=None)
        for alert in alerts:
            need = alert._get_needed_qty()
            if not alert._replenish_by_transfer(need, surplus_map):
                raise UserError(
                    self.env._(
                        "No warehouse of %(company)s has a surplus of %(product)s "
                        "to transfer.",
                        company=alert.company_id.name,
                        product=alert.product_id.display_name,
                    )
                )
            alert._mark_in_progress()
        return True

    def action_replenish_purchase(self):
        """Buy the missing quantity from the product's vendor (a new or
        merged request for quotation), whatever the rule's action."""
        alerts = self._get_alerts_to_replenish()
        for alert in alerts:
            alert._replenish_by_purchase(alert._get_needed_qty())
            alert._mark_in_progress()
        return True

    def _get_alerts_to_replenish(self):
        """The open alerts still needing a quantity not on its way; our own
        transfers and RFQs must not re-trigger them."""
        alerts = self.filtered(lambda a: a.state in OPEN_STATES)
        if not alerts:
            raise UserError(self.env._("Only open alerts can be replenished."))
        alerts._lock_for_replenishment()
        alerts = alerts.filtered(lambda a: a._has_need())
        if not alerts:
            raise UserError(self.env._("The missing quantity is already on its way."))
        return alerts.with_context(erp_stock_alert_skip_trigger=True)

    def _has_need(self):
        self.ensure_one()
        rounding = self.product_id.uom_id.rounding
        need = self._get_needed_qty()
        return float_compare(need, 0.0, precision_rounding=rounding) > 0

    def _mark_in_progress(self):
        for alert in self:
            if (alert.picking_ids or alert.purchase_line_ids) and alert.state == "open":
                alert.state = "in_progress"

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {}
        return action

    def action_view_purchases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("purchase.purchase_rfq")
        action["domain"] = [("id", "in", self.purchase_line_ids.order_id.ids)]
        action["context"] = {}
        return action
