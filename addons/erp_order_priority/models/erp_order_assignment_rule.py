# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .order_domain import parse_order_domain


class ErpOrderAssignmentRule(models.Model):
    _name = "erp.order.assignment.rule"
    _description = "Order Assignment Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to apply the rule to every company.",
    )
    domain = fields.Char(
        default="[]",
        required=True,
        help="Domain on sales orders: the first rule (by sequence) whose domain "
        "selects the order assigns it.",
    )
    apply_on = fields.Selection(
        [
            ("create", "On Creation"),
            ("confirm", "On Confirmation"),
            ("both", "On Creation and Confirmation"),
        ],
        required=True,
        default="both",
        help="When the rule is applied.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", check_company=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        domain="[('share', '=', False)]",
        tracking=True,
    )
    warehouse_id = fields.Many2one("stock.warehouse", check_company=True, tracking=True)
    activity_summary = fields.Char(
        translate=True,
        help="Summary of the activity scheduled for the assignee; empty for a "
        "default summary.",
    )

    @api.constrains("domain", "team_id", "user_id", "warehouse_id")
    def _check_rule(self):
        for rule in self:
            if not (rule.team_id or rule.user_id or rule.warehouse_id):
                raise ValidationError(
                    self.env._(
                        "Assignment rule %s must set a sales team, a salesperson "
                        "or a warehouse.",
                        rule.name,
                    )
                )
            parse_order_domain(rule, check=True)

    def _get_domain(self):
        return parse_order_domain(self)

    def _prepare_assignment_vals(self):
        self.ensure_one()
        vals = {"erp_assignment_rule_id": self.id}
        if self.team_id:
            vals["team_id"] = self.team_id.id
        if self.user_id:
            vals["user_id"] = self.user_id.id
        if self.warehouse_id:
            vals["warehouse_id"] = self.warehouse_id.id
        return vals

    def _assign(self, orders, salesperson=True):
        """Assign ``orders`` and schedule an activity for new assignees.
        Without ``salesperson``: all but the rule's salesperson and the
        activity, which ``_assign_salesperson`` sets afterwards (an order
        being confirmed is handed over once confirmed)."""
        self.ensure_one()
        # sudo: the rule, not the order's author, routes the order; once it
        # is another salesperson's, a salesman who sees his own documents
        # only could neither finish the routing nor schedule the assignee's
        # activity (written on the order)
        orders = orders.sudo()
        previous = {order: order.user_id for order in orders}
        vals = self._prepare_assignment_vals()
        if not salesperson:
            vals.pop("user_id", None)
        if "warehouse_id" in vals:
            orders.write(vals)
        else:
            # a new salesperson recomputes the order's warehouse (sale_stock):
            # keep the warehouse chosen on the order when the rule sets none
            for warehouse, group in orders.grouped("warehouse_id").items():
                group.write({**vals, "warehouse_id": warehouse.id})
        if salesperson:
            self._notify_assignees(orders, previous)

    def _assign_salesperson(self, orders):
        """Hand ``orders`` (assigned by ``_assign`` without the salesperson)
        over to the rule's salesperson and schedule the activity."""
        self.ensure_one()
        # sudo: as in _assign, the rule hands the order over
        orders = orders.sudo()
        previous = {order: order.user_id for order in orders}
        if self.user_id:
            orders.filtered(lambda o: o.user_id != self.user_id).write(
                {"user_id": self.user_id.id}
            )
        self._notify_assignees(orders, previous)

    def _notify_assignees(self, orders, previous):
        """Schedule the assignment activity for the orders' new assignees
        (``previous``: {order: salesperson before the rule})."""
        for order in orders:
            assignee = order.user_id or order.team_id.user_id
            if not assignee or (
                previous[order] == assignee
                and order.activity_ids.filtered(
                    lambda a, u=assignee: a.user_id == u
                    and a.activity_type_id
                    == self.env.ref("erp_order_priority.mail_activity_type_assigned")
                )
            ):
                continue
            # summary and note are stored text: write them in the assignee's
            # language, whoever (or whichever job) assigns the order
            rule = self.with_context(lang=assignee.lang or None)
            order.with_context(lang=assignee.lang or None).activity_schedule(
                "erp_order_priority.mail_activity_type_assigned",
                user_id=assignee.id,
                summary=rule.activity_summary or rule.env._("New order assigned"),
                note=rule.env._(
                    "Order %(order)s was assigned to you by the rule %(rule)s.",
                    order=order.name,
                    rule=rule.name,
                ),
            )
