# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

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
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Priority
    # ------------------------------------------------------------------
    priority_score = fields.Integer(
        compute="_compute_priority_score",
        store=True,
        index=True,
        help="Sum of the points of the priority rules matching the order.",
    )
    priority_score_details = fields.Json(
        compute="_compute_priority_score",
        store=True,
        copy=False,
        help="Machine-readable form of the score: [rule id, points] for each "
        "matching rule, in the order the rules were applied.",
    )
    priority_explanation = fields.Text(
        compute="_compute_priority_explanation",
        help="Which priority rules matched and how many points each gave.",
    )
    priority_rule_ids = fields.Many2many(
        "erp.order.priority.rule",
        "erp_order_priority_rule_sale_order_rel",
        "order_id",
        "rule_id",
        string="Matched Priority Rules",
        compute="_compute_priority_score",
        store=True,
        help="The priority rules that gave points to the order (the usage "
        "facts of the rules' periodic review).",
    )
    # only for the users who may read allocation lines: any other reader of
    # orders (Sales / Administrator without an Order Management group,
    # Inventory, Invoicing) would meet the lines' access rights
    erp_allocation_line_ids = fields.One2many(
        "erp.allocation.run.line",
        "order_id",
        string="Allocation Lines",
        groups="erp_order_priority.erp_order_priority_group_user",
        help="Lines of the allocation runs that served (or could not serve) "
        "this order.",
    )
    priority_manual = fields.Selection(
        PRIORITY_LEVELS,
        string="Priority Override",
        tracking=True,
        copy=False,
        help="Force the priority level of the order, whatever its score.",
    )
    priority_manual_reason = fields.Char(
        string="Override Reason",
        tracking=True,
        copy=False,
        help="Why the priority level was overridden (required with an override).",
    )
    priority_level = fields.Selection(
        PRIORITY_LEVELS,
        compute="_compute_priority_level",
        store=True,
        index=True,
        tracking=True,
        # grouped in the order of the levels, empty levels included
        group_expand=True,
        help="Level from the score and the company thresholds, or the override.",
    )
    # ------------------------------------------------------------------
    # Fulfillment lifecycle
    # ------------------------------------------------------------------
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
    # Assignment and entry checks
    # ------------------------------------------------------------------
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
    def _erp_priority_batch_data(self, rules):
        """Values shared by every rule for the whole batch of orders."""
        data = {"now": fields.Datetime.now(), "amounts": {}, "stock": {}}
        if "amount" in rules.mapped("criterion"):
            for order in self:
                company = order.company_id or self.env.company
                data["amounts"][order] = order.currency_id._convert(
                    order.amount_total,
                    company.currency_id,
                    company,
                    order.date_order or fields.Date.today(),
                )
        if "stock_scarcity" in rules.mapped("criterion"):
            for warehouse, orders in self.grouped("warehouse_id").items():
                products = orders.order_line.product_id.filtered("is_storable")
                if not products:
                    continue
                data["stock"].update(
                    {
                        (warehouse.id, product.id): qty
                        for product, qty in self._erp_virtual_stock(
                            products, warehouse
                        ).items()
                    }
                )
        return data

    @api.model
    def _erp_virtual_stock(self, products, warehouse):
        """Virtual stock of ``products`` in ``warehouse`` (erp_virtual_stock)."""
        products = products.with_context(warehouse_id=warehouse.id or False)
        return {product: product.virtual_stock_qty for product in products}

    @api.depends(
        "partner_id.commercial_partner_id.customer_tier",
        "order_line.product_id.product_tmpl_id.importance",
        "order_line.product_uom_qty",
        "amount_total",
        "currency_id",
        "commitment_date",
        "warehouse_id",
        "company_id",
    )
    def _compute_priority_score(self):
        companies = self.company_id | self.env.company
        all_rules = self.env["erp.order.priority.rule"].search(
            [("company_id", "in", [False, *companies.ids])]
        )
        data = self._erp_priority_batch_data(all_rules) if all_rules else {}
        scores = {order: 0 for order in self}
        details = {order: [] for order in self}
        for rule in all_rules:
            orders = self.filtered(
                lambda o, r=rule: not r.company_id
                or r.company_id == (o.company_id or self.env.company)
            )
            for order in rule._match_orders(orders, data):
                scores[order] += rule.points
                details[order].append([rule.id, rule.points])
        for order in self:
            order.priority_score = scores[order]
            order.priority_rule_ids = all_rules.browse(
                [rule_id for rule_id, _points in details[order]]
            )
            order.priority_score_details = details[order]

    @api.depends("priority_score_details")
    @api.depends_context("lang")
    def _compute_priority_explanation(self):
        """Explain the score in the reader's language, at display time: the
        stored details keep only rule ids and points, the rule names and the
        wording are translated when read."""
        rule_ids = {
            rule_id
            for order in self
            for rule_id, _points in order.priority_score_details or []
        }
        # salespeople read the explanation of their orders without access to
        # the rules' configuration: only names and criteria are shown
        rules = (
            self.env["erp.order.priority.rule"]
            .sudo()
            .with_context(active_test=False)
            .browse(rule_ids)
            .exists()
        )
        criteria = dict(rules._fields["criterion"]._description_selection(self.env))
        names = {rule.id: (rule.name, criteria.get(rule.criterion)) for rule in rules}
        for order in self:
            lines = []
            for rule_id, points in order.priority_score_details or []:
                name, criterion = names.get(rule_id, (None, None))
                lines.append(
                    self.env._(
                        "%(rule)s (%(criterion)s): %(points)+d",
                        rule=name or self.env._("Deleted rule"),
                        criterion=criterion or "-",
                        points=points,
                    )
                )
            order.priority_explanation = (
                "\n".join(lines) if lines else no_rule_explanation(self.env)
            )

    @api.depends(
        "priority_score",
        "priority_manual",
        "company_id.erp_priority_high_threshold",
        "company_id.erp_priority_urgent_threshold",
        "company_id.erp_priority_critical_threshold",
    )
    def _compute_priority_level(self):
        for order in self:
            company = order.company_id or self.env.company
            order.priority_level = order.priority_manual or company._erp_priority_level(
                order.priority_score
            )

    def _erp_effective_priority_score(self):
        """Score used to serve stock: the rules' score, moved into the band
        of the overridden level when the level is forced."""
        self.ensure_one()
        score = self.priority_score
        if not self.priority_manual:
            return score
        company = self.company_id or self.env.company
        bounds = {
            "normal": (None, company.erp_priority_high_threshold - 1),
            "high": (
                company.erp_priority_high_threshold,
                company.erp_priority_urgent_threshold - 1,
            ),
            "urgent": (
                company.erp_priority_urgent_threshold,
                company.erp_priority_critical_threshold - 1,
            ),
            "critical": (company.erp_priority_critical_threshold, None),
        }
        low, high = bounds[self.priority_manual]
        if low is not None:
            score = max(score, low)
        if high is not None:
            score = min(score, high)
        return score

    def _erp_base_fulfillment_state(self):
        """Fulfillment state from the order and its deliveries, ignoring closure."""
        self.ensure_one()
        if self.state != "sale":
            return False
        pickings = self.picking_ids.filtered(lambda p: p.state != "cancel")
        outgoing = pickings.filtered(lambda p: p.picking_type_code == "outgoing")
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
        domain = [
            ("fulfillment_state", "in", ("pending", "processing")),
            ("commitment_date", "<", fields.Datetime.now()),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

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
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("priority_manual", "priority_manual_reason")
    def _check_priority_manual_reason(self):
        for order in self:
            if (
                order.priority_manual
                and not (order.priority_manual_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Order %s: give a reason for the priority override.",
                        order.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._erp_apply_assignment_rules("create")
        return orders

    def write(self, vals):
        result = super().write(vals)
        if "priority_manual" in vals:
            self._erp_update_picking_priority()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        self._erp_check_required_fields()
        self._erp_apply_assignment_rules("confirm")
        result = super().action_confirm()
        if not self.env.context.get("send_email"):
            to_mail = self.filtered(lambda o: o.company_id.erp_auto_confirmation_email)
            for order in to_mail:
                order._erp_send_confirmation_mail()
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

    def action_erp_recompute_priority(self):
        self._erp_recompute_priority()
        return True

    def _erp_close(self, message):
        self.write({"fulfillment_closed": True})
        for order in self:
            order.message_post(body=message)

    def _erp_update_picking_priority(self):
        """Star (or unstar) the open deliveries of the orders by their level."""
        for starred, orders in self.grouped(
            lambda o: o.priority_level in STARRED_LEVELS
        ).items():
            pickings = orders.picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            )
            priority = "1" if starred else "0"
            pickings.filtered(lambda p, pr=priority: p.priority != pr).write(
                {"priority": priority}
            )

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _erp_recompute_priority(self):
        if not self:
            return
        self.env.add_to_compute(self._fields["priority_score"], self)
        self.env.add_to_compute(self._fields["priority_score_details"], self)
        self.flush_recordset(["priority_score", "priority_score_details"])
        # a recompute does not mark the fields depending on the score
        # (level, moves' score): do it explicitly
        self.modified(["priority_score"])
        self.flush_recordset(["priority_level"])
        self._erp_update_picking_priority()

    @api.model
    def _erp_open_orders_domain(self):
        return [
            ("state", "in", ("draft", "sent", "sale")),
            ("fulfillment_state", "not in", ("completed", "closed")),
        ]

    @api.model
    def _erp_recompute_open_orders_priority(self):
        self.search(self._erp_open_orders_domain())._erp_recompute_priority()

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
        """Apply the first matching assignment rule to each order."""
        orders = self.filtered(lambda o: o.state in ("draft", "sent"))
        if not orders:
            return
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
            return
        for rule in rules:
            candidates = orders.filtered(
                lambda o, r=rule: not r.company_id or r.company_id == o.company_id
            )
            matched = candidates.filtered_domain(rule._get_domain())
            if matched:
                rule._assign(matched)
                orders -= matched
            if not orders:
                break

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

    @api.model
    def _cron_recompute_priority(self):
        """Rescore the open orders (delivery urgency and stock scarcity move
        with time and stock, not with the order itself)."""
        self._erp_recompute_open_orders_priority()
        return True
