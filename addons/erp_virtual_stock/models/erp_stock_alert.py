# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero, html2plaintext

_logger = logging.getLogger(__name__)

OPEN_STATES = ("open", "in_progress")


def uninstall_hook(env):
    """Activities restrict the deletion of their type: remove the alerts'
    activities before the module's data is removed."""
    env["mail.activity"].search([("res_model", "=", "erp.stock.alert")]).unlink()


class ErpStockAlert(models.Model):
    _name = "erp.stock.alert"
    _description = "Stock Shortage Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    qty_at_trigger = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="Quantity (on the rule's basis) when the alert was raised.",
    )
    min_qty = fields.Float(
        string="Minimum Quantity", digits="Product Unit of Measure", readonly=True
    )
    target_qty = fields.Float(
        string="Target Quantity", digits="Product Unit of Measure", readonly=True
    )
    shortage_qty = fields.Float(
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
        help="Minimum quantity minus the quantity at trigger.",
    )
    refill_qty = fields.Float(
        compute="_compute_quantities",
        store=True,
        digits="Product Unit of Measure",
        help="Target quantity minus the quantity at trigger.",
    )
    incoming_qty = fields.Float(
        string="On the Way",
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
        needy = self.filtered(
            lambda a: a.state in OPEN_STATES and a.id and a._has_need()
        )
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
                .filtered(lambda s, c=alert.company_id: s.company_id in (c, False))
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

    # ------------------------------------------------------------------
    # Evaluation (immediate trigger and scan share it)
    # ------------------------------------------------------------------

    @api.model
    def _evaluate_thresholds(self, warehouses, product_ids=None):
        """Compare the quantities of the warehouses with their rules.

        Set-based: rules are resolved in memory, quantities come from one
        aggregate per basis. Raises alerts (one per product x warehouse x
        rule), resolves the alerts whose product is back to its minimum and
        replenishes the new alerts. ``product_ids=None`` scans every product
        the rules cover. Returns the new alerts.
        """
        Threshold = self.env["erp.stock.threshold"]
        if not warehouses:
            return self
        requested_ids = product_ids
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        domain = [("warehouse_id", "in", warehouses.ids), ("state", "in", OPEN_STATES)]
        if product_ids is not None:
            domain.append(("product_id", "in", list(product_ids)))
        open_alerts = self.search(domain)
        open_info = {
            alert.id: (
                alert.product_id.id,
                alert.warehouse_id.id,
                alert.threshold_id.id,
                alert.threshold_id.basis,
                alert.min_qty,
                alert.threshold_id.scope,
            )
            for alert in open_alerts
        }
        rules = Threshold.search([("warehouse_id", "in", warehouses.ids)])
        if not rules and not open_alerts:
            return self
        bases = {rule.basis for rule in rules} | {
            info[3] for info in open_info.values()
        }
        # one aggregate per basis; a full scan reads every product at once
        # (cheaper than a huge IN list) and only resolves the rules of the
        # products that can be short
        rule_bases = set(rules.mapped("basis"))
        full_on_hand = product_ids is None and "on_hand" in rule_bases
        qty_by_basis = {}
        for basis in bases:
            if product_ids is not None:
                basis_products = list(product_ids)
            elif basis == "on_hand" and full_on_hand:
                continue  # SQL finds the short products, read below
            elif basis in rule_bases:
                basis_products = None
            else:
                # only open alerts of archived rules use this basis
                basis_products = [
                    info[0] for info in open_info.values() if info[3] == basis
                ]
            qty_by_basis[basis] = Threshold._get_quantity_map(
                basis, warehouses, basis_products
            )
        # virtual stock and what is on its way (see _get_trigger_qty)
        supply = self._get_trigger_supply(warehouses, requested_ids)
        if product_ids is None:
            other_rules = rules.filtered(lambda r: r.basis != "on_hand")
            product_ids = (
                self._get_scan_candidates(other_rules, qty_by_basis, precision)
                | {info[0] for info in open_info.values()}
                | {pid for (pid, _wh), (virtual, _in) in supply.items() if virtual < 0}
            )
            if full_on_hand:
                product_ids |= Threshold._get_on_hand_short_products(
                    rules - other_rules, precision
                )
                qty_by_basis["on_hand"] = Threshold._get_quantity_map(
                    "on_hand", warehouses, list(product_ids)
                )
        rule_map = Threshold._get_rule_id_map(warehouses, product_ids, rules=rules)
        # plain values: no ORM access in the per-product loop below
        rule_info = {
            rule.id: (
                rule.basis,
                rule.min_qty,
                rule.target_qty,
                rule.company_id.id,
                rule.scope,
            )
            for rule in Threshold.browse(set(rule_map.values()))
        }
        epsilon = 0.5 * 10**-precision
        # resolve the alerts back above their minimum
        resolve_ids = [
            alert_id
            for alert_id, (pid, wid, _rid, basis, min_qty, scope) in open_info.items()
            if self._get_trigger_qty(
                qty_by_basis[basis].get((pid, wid)) or 0.0,
                supply.get((pid, wid)),
                basis,
                scope,
            )
            > min_qty - epsilon
        ]
        to_resolve = self.browse(resolve_ids)
        if to_resolve:
            to_resolve.write(
                {"state": "resolved", "date_resolved": fields.Datetime.now()}
            )
            to_resolve.activity_feedback(
                ["erp_virtual_stock.mail_activity_type_stock_alert"],
                feedback=self.env._("Stock is back above the minimum."),
            )
        resolved = set(resolve_ids)
        open_keys = {
            info[:3] for alert_id, info in open_info.items() if alert_id not in resolved
        }
        vals_list = []
        for key, rule_id in rule_map.items():
            basis, min_qty, target_qty, company_id, scope = rule_info[rule_id]
            # an aggregate over no row is NULL: count it as 0
            qty = self._get_trigger_qty(
                qty_by_basis[basis].get(key) or 0.0, supply.get(key), basis, scope
            )
            if qty > min_qty - epsilon or (*key, rule_id) in open_keys:
                continue
            vals_list.append(
                {
                    "product_id": key[0],
                    "warehouse_id": key[1],
                    "threshold_id": rule_id,
                    "company_id": company_id,
                    "qty_at_trigger": qty,
                    "min_qty": min_qty,
                    "target_qty": target_qty,
                }
            )
        # open alerts that could not be replenished yet (no surplus, no
        # vendor...) try again; alerts with transfers or RFQs never reorder
        retry = (open_alerts - to_resolve).filtered(
            lambda a: a.state == "open"
            and a.threshold_id.action != "notify"
            and not a.picking_ids
            and not a.purchase_line_ids
        )
        new_alerts = self.create(vals_list) if vals_list else self
        new_alerts._notify_responsibles()
        (
            retry | new_alerts.filtered(lambda a: a.threshold_id.action != "notify")
        )._replenish()
        return new_alerts

    @api.model
    def _get_trigger_supply(self, warehouses, product_ids=None):
        """{(product_id, warehouse_id): (virtual stock, incoming)} of the
        storable products (None: all) in ``warehouses``, in one query; pairs
        without stock, move or entry are left out (both 0)."""
        Product = self.env["product.product"]
        products = Product.browse(product_ids) if product_ids is not None else None
        return {
            key: (
                values["on_hand"]
                - values["committed"]
                + values["incoming"]
                + values["manual"],
                values["incoming"],
            )
            for key, values in Product._erp_virtual_stock_components(
                warehouses, products
            ).items()
        }

    @api.model
    def _get_trigger_qty(self, qty, supply, basis, scope):
        """Quantity compared with a rule's minimum, from ``qty`` on the rule's
        basis and ``supply`` (virtual stock, incoming) of the pair:

        - a negative virtual stock always alerts: sold beyond what will be
          there, whatever the basis (the alert shows the virtual stock);
        - a rule for every product on the on-hand basis counts what is on its
          way, so that a product already being received raises no alert.
        """
        virtual, incoming = supply or (0.0, 0.0)
        if scope == "all" and basis == "on_hand":
            qty += incoming
        if virtual < 0:
            qty = min(qty, virtual)
        return qty

    @api.model
    def _get_scan_candidates(self, rules, qty_by_basis, precision):
        """Ids of the products that may be below a minimum in a full scan:
        below the highest minimum of their warehouse, or without any stock
        (absent from the quantity map) where a minimum is positive."""
        epsilon = 0.5 * 10**-precision
        limits = {}
        if not rules:
            return set()
        for rule in rules:
            key = (rule.warehouse_id.id, rule.basis)
            limits[key] = max(limits.get(key, 0.0), rule.min_qty)
        candidates = set()
        present = {key: set() for key in limits}
        for basis, qty_map in qty_by_basis.items():
            for (product_id, wh_id), qty in qty_map.items():
                limit = limits.get((wh_id, basis))
                if limit is None:
                    continue
                present[(wh_id, basis)].add(product_id)
                if qty < limit - epsilon:
                    candidates.add(product_id)
        if any(limit > epsilon for limit in limits.values()):
            storable = set()
            for company in rules.company_id:
                storable |= set(
                    self.env["erp.stock.threshold"]._get_storable_products(company)
                )
            for key, limit in limits.items():
                if limit > epsilon:
                    candidates |= storable - present[key]
        return candidates

    def _notify_responsibles(self):
        if not self:
            return
        template = self.env.ref(
            "erp_virtual_stock.mail_template_stock_alert", raise_if_not_found=False
        )
        for alert in self:
            users = alert.threshold_id.notify_user_ids
            for user in users:
                # summary and note are stored text: write them in the language
                # of the user who reads them, not in the scan's language
                in_lang = alert.with_context(lang=user.lang or None)
                in_lang.activity_schedule(
                    "erp_virtual_stock.mail_activity_type_stock_alert",
                    user_id=user.id,
                    note=in_lang.env._(
                        "%(product)s is below its minimum in %(warehouse)s: "
                        "%(qty)s < %(min)s.",
                        product=in_lang.product_id.display_name,
                        warehouse=in_lang.warehouse_id.display_name,
                        qty=alert.qty_at_trigger,
                        min=alert.min_qty,
                    ),
                )
            if users and template:
                alert.message_subscribe(partner_ids=users.partner_id.ids)
                alert.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment"
                )

    # ------------------------------------------------------------------
    # Replenishment
    # ------------------------------------------------------------------

    def _get_pending_qty(self):
        """Quantity still on the way from the linked transfers and RFQs, in
        the product's unit."""
        self.ensure_one()
        qty = 0.0
        stock_locations = self.warehouse_id.view_location_id
        for move in self.picking_ids.move_ids:
            if (
                move.product_id == self.product_id
                and move.state not in ("done", "cancel")
                and move.location_dest_id._child_of(stock_locations)
            ):
                qty += move.product_qty
        for line in self.purchase_line_ids:
            if line.state == "cancel":
                continue
            ordered = line.product_uom._compute_quantity(
                line.product_qty, self.product_id.uom_id
            )
            received = line.product_uom._compute_quantity(
                line.qty_received, self.product_id.uom_id
            )
            qty += max(ordered - received, 0.0)
        return qty

    def _replenish(self):
        """Run each alert's action. One alert failing does not stop the
        others: each runs in a savepoint and failures land in its note."""
        if not self:
            return
        # our own transfers/RFQs must not re-trigger the alert being handled;
        # the next scan sees their effect
        alerts = self.with_context(erp_stock_alert_skip_trigger=True)
        surplus_map = alerts._get_surplus_map()
        for alert in alerts:
            # notes and messages are stored text that everyone following the
            # alert reads: write them in the company's language, whichever
            # job or user triggered the replenishment
            in_lang = alert.with_context(
                lang=alert.company_id.partner_id.lang or alert.env.lang
            )
            try:
                with self.env.cr.savepoint():
                    in_lang._replenish_one(surplus_map)
            except UserError as error:
                _logger.info(
                    "Stock alert %s: replenishment failed: %s", alert.name, error
                )
                in_lang._report_problem(str(error))

    def _get_needed_qty(self):
        self.ensure_one()
        need = self.refill_qty or self.shortage_qty
        return max(need - self._get_pending_qty(), 0.0)

    def _replenish_one(self, surplus_map):
        self.ensure_one()
        action = self.threshold_id.action
        need = self._get_needed_qty()
        rounding = self.product_id.uom_id.rounding
        if float_is_zero(need, precision_rounding=rounding) or action == "notify":
            return
        if action in ("transfer", "transfer_then_purchase"):
            moved = self._replenish_by_transfer(need, surplus_map)
            need -= moved
            if action == "transfer" and not moved:
                self._report_problem(
                    self.env._(
                        "No warehouse of %(company)s has a surplus of %(product)s "
                        "to transfer.",
                        company=self.company_id.name,
                        product=self.product_id.display_name,
                    )
                )
        if (
            action in ("purchase", "transfer_then_purchase")
            and float_compare(need, 0.0, precision_rounding=rounding) > 0
        ):
            self._replenish_by_purchase(need)
        if (self.picking_ids or self.purchase_line_ids) and self.state == "open":
            self.state = "in_progress"

    def _report_problem(self, message):
        """Note the problem on the alert and ask the responsible users (or
        the rule's creator) to act, instead of crashing."""
        self.ensure_one()
        if html2plaintext(self.note or "").strip() == message.strip():
            return  # already reported: a retry must not flood the chatter
        self.note = message
        self.message_post(body=message)
        users = self.threshold_id.notify_user_ids or self.threshold_id.create_uid
        for user in users:
            # the summary comes from the activity type: in the user's language
            self.with_context(lang=user.lang or None).activity_schedule(
                "erp_virtual_stock.mail_activity_type_stock_alert",
                user_id=user.id,
                note=message,
            )

    def _get_surplus_map(self, actions=("transfer", "transfer_then_purchase")):
        """{(product_id, warehouse_id): surplus} for every warehouse of the
        alerts' companies that could give stock (set-based), for the alerts
        whose rule has one of ``actions`` (None: every alert)."""
        Threshold = self.env["erp.stock.threshold"]
        alerts = self.filtered(
            lambda a: actions is None or a.threshold_id.action in actions
        )
        result = {}
        for company, company_alerts in alerts.grouped("company_id").items():
            warehouses = self.env["stock.warehouse"].search(
                [("company_id", "=", company.id)]
            )
            product_ids = company_alerts.product_id.ids
            rules = Threshold._get_rule_map(warehouses, product_ids)
            for basis, basis_alerts in company_alerts.grouped(
                lambda a: a.threshold_id.basis
            ).items():
                qty_map = Threshold._get_quantity_map(
                    basis, warehouses, basis_alerts.product_id.ids
                )
                for product in basis_alerts.product_id:
                    for warehouse in warehouses:
                        key = (product.id, warehouse.id)
                        rule = rules.get(key)
                        keep = (rule.target_qty or rule.min_qty) if rule else 0.0
                        result[(basis, *key)] = qty_map.get(key, 0.0) - keep
        return result

    def _replenish_by_transfer(self, need, surplus_map):
        """Transfer from the same-company warehouse with the largest surplus.
        Returns the quantity transferred."""
        self.ensure_one()
        basis = self.threshold_id.basis
        candidates = [
            (surplus, wh_id)
            for (key_basis, product_id, wh_id), surplus in surplus_map.items()
            if key_basis == basis
            and product_id == self.product_id.id
            and wh_id != self.warehouse_id.id
            and surplus > 0
        ]
        if not candidates:
            return 0.0
        surplus, source_id = max(candidates)
        source = self.env["stock.warehouse"].browse(source_id)
        # whole pieces: the need rounded up, never more than the surplus
        Threshold = self.env["erp.stock.threshold"]
        qty = min(
            Threshold._round_to_unit(self.product_id, need),
            Threshold._round_to_unit(self.product_id, surplus, "DOWN"),
        )
        if (
            float_compare(qty, 0.0, precision_rounding=self.product_id.uom_id.rounding)
            <= 0
        ):
            return 0.0
        self._create_transfer(source, qty)
        surplus_map[(basis, self.product_id.id, source_id)] = surplus - qty
        return qty

    def _create_transfer(self, source, qty):
        """Move ``qty`` from ``source`` to the alert's warehouse.

        Uses the resupply route of the destination from ``source`` when it
        exists (Inventory > Configuration > Warehouses > Resupply From), so
        Odoo creates the delivery to transit and the receipt from transit;
        otherwise an internal transfer from the source's stock to the
        destination's stock.
        """
        self.ensure_one()
        dest = self.warehouse_id
        if source == dest:
            raise UserError(self.env._("A warehouse cannot transfer stock to itself."))
        if source.company_id != dest.company_id:
            raise UserError(
                self.env._(
                    "Stock cannot be transferred between warehouses of different "
                    "companies."
                )
            )
        group = self._get_procurement_group()
        product = self.product_id
        route = dest.resupply_route_ids.filtered(
            lambda r, src=source: r.supplier_wh_id == src and r.active
        )[:1]
        before = self.env["stock.picking"].search([("group_id", "=", group.id)])
        if route:
            procurement = self.env["procurement.group"].Procurement(
                product,
                qty,
                product.uom_id,
                dest.lot_stock_id,
                self.name,
                self.name,
                dest.company_id,
                {
                    "warehouse_id": dest,
                    "route_ids": route,
                    "group_id": group,
                    "date_planned": fields.Datetime.now(),
                },
            )
            self.env["procurement.group"].run([procurement])
            pickings = (
                self.env["stock.picking"].search([("group_id", "=", group.id)]) - before
            )
        else:
            pickings = self.env["stock.picking"].create(
                {
                    "picking_type_id": source.int_type_id.id,
                    "location_id": source.lot_stock_id.id,
                    "location_dest_id": dest.lot_stock_id.id,
                    "origin": self.name,
                    "group_id": group.id,
                    "company_id": dest.company_id.id,
                    "move_ids": [
                        fields.Command.create(
                            {
                                "name": self.name,
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "product_uom": product.uom_id.id,
                                "location_id": source.lot_stock_id.id,
                                "location_dest_id": dest.lot_stock_id.id,
                                "warehouse_id": dest.id,
                                "group_id": group.id,
                            }
                        )
                    ],
                }
            )
            pickings.action_confirm()
        self.picking_ids = [fields.Command.link(p.id) for p in pickings]
        self.message_post(
            body=self.env._(
                "Transfer of %(qty)s %(uom)s from %(warehouse)s created: %(pickings)s.",
                qty=qty,
                uom=product.uom_id.name,
                warehouse=source.display_name,
                pickings=", ".join(pickings.mapped("name")),
            )
        )
        return pickings

    def _get_procurement_group(self):
        self.ensure_one()
        if not self.procurement_group_id:
            self.procurement_group_id = self.env["procurement.group"].create(
                {"name": self.name, "move_type": "direct"}
            )
        return self.procurement_group_id

    def _get_purchase_qty(self, need, seller):
        """Round the need up to the product's unit (whole pieces), then honour
        the vendor's minimum quantity and the purchase packaging."""
        product = self.product_id
        qty = self.env["erp.stock.threshold"]._round_to_unit(product, need)
        if seller:
            min_qty = seller.product_uom._compute_quantity(
                seller.min_qty, product.uom_id
            )
            qty = max(qty, min_qty)
        packaging = product.packaging_ids.filtered(
            lambda p: p.purchase and p.qty > 0
        ).sorted("qty")[:1]
        if packaging:
            qty = packaging._check_qty(qty, product.uom_id, "UP")
        return qty

    def _replenish_by_purchase(self, need):
        """Run a procurement on the buy route: purchase_stock creates or
        merges the RFQ of the product's vendor."""
        self.ensure_one()
        product = self.product_id.with_company(self.company_id)
        warehouse = self.warehouse_id
        seller = (
            product._select_seller(quantity=None, uom_id=product.uom_id)
            or product._prepare_sellers(False).filtered(
                lambda s: not s.company_id or s.company_id == self.company_id
            )[:1]
        )
        if not seller:
            raise UserError(
                self.env._(
                    "%(product)s has no vendor: add one on the product's Purchase "
                    "tab, then click Replenish on the alert.",
                    product=product.display_name,
                )
            )
        buy_route = warehouse.buy_pull_id.route_id or self.env.ref(
            "purchase_stock.route_warehouse0_buy", raise_if_not_found=False
        )
        if not buy_route:
            raise UserError(self.env._("The Buy route is missing."))
        qty = self._get_purchase_qty(need, seller)
        Line = self.env["purchase.order.line"]
        line_domain = [
            ("product_id", "=", product.id),
            ("order_id.state", "=", "draft"),
            ("company_id", "=", self.company_id.id),
        ]
        before = {line.id: line.product_qty for line in Line.search(line_domain)}
        procurement = self.env["procurement.group"].Procurement(
            product,
            qty,
            product.uom_id,
            warehouse.lot_stock_id,
            self.name,
            self.name,
            self.company_id,
            {
                "warehouse_id": warehouse,
                "route_ids": buy_route,
                "supplierinfo_id": seller,
                "date_planned": fields.Datetime.now() + timedelta(days=seller.delay),
                "orderpoint_id": self.env["stock.warehouse.orderpoint"],
                "move_dest_ids": self.env["stock.move"],
            },
        )
        self.env["procurement.group"].run([procurement])
        lines = Line.search(line_domain).filtered(
            lambda line: line.id not in before or line.product_qty != before[line.id]
        )
        self.purchase_line_ids = [fields.Command.link(line.id) for line in lines]
        self.message_post(
            body=self.env._(
                "Procurement of %(qty)s %(uom)s run on the Buy route: %(orders)s.",
                qty=qty,
                uom=product.uom_id.name,
                orders=", ".join(lines.order_id.mapped("name")),
            )
        )
        return lines

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_scan_thresholds(self):
        """Scan every active rule, one batch of warehouses per company
        (set-based and idempotent: an open alert is never duplicated). A
        failing batch is logged and the scan carries on."""
        Cron = self.env["ir.cron"]
        groups = self.env["erp.stock.threshold"]._read_group(
            [], groupby=["company_id"], aggregates=["warehouse_id:recordset"]
        )
        done = 0
        for company, warehouses in groups:
            try:
                with self.env.cr.savepoint():
                    self.with_company(company)._evaluate_thresholds(warehouses)
            except Exception:
                _logger.exception(
                    "Stock threshold scan failed for company %s", company.name
                )
            done += 1
            Cron._notify_progress(done=done, remaining=len(groups) - done)
        return True
