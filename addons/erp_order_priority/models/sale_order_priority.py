# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sale_order import PRIORITY_LEVELS, STARRED_LEVELS, no_rule_explanation


class SaleOrder(models.Model):
    """Priority of an order: score from the rules, level, override, and
    the starred deliveries of the urgent levels."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

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
                    order.date_order or fields.Date.context_today(order),
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
    def write(self, vals):
        result = super().write(vals)
        if "priority_manual" in vals:
            self._erp_update_picking_priority()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_erp_recompute_priority(self):
        self._erp_recompute_priority()
        return True

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
        # sudo: a change of the rules rescores the open orders of every
        # company, not only of the companies selected by the manager who
        # changed them (each order is scored with its own company's rules)
        self.sudo().search(self._erp_open_orders_domain())._erp_recompute_priority()

    @api.model
    def _cron_recompute_priority(self):
        """Rescore the open orders (delivery urgency and stock scarcity move
        with time and stock, not with the order itself)."""
        self._erp_recompute_open_orders_priority()
        return True
