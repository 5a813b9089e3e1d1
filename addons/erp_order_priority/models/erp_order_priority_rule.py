# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .order_domain import parse_order_domain
from .product_template import PRODUCT_IMPORTANCE
from .res_partner import CUSTOMER_TIERS

CRITERIA = [
    ("customer_tier", "Customer Tier"),
    ("product_importance", "Product Importance"),
    ("amount", "Order Amount"),
    ("delivery_urgency", "Delivery Urgency"),
    ("stock_scarcity", "Stock Scarcity"),
    ("domain", "Custom Domain"),
]


class ErpOrderPriorityRule(models.Model):
    _name = "erp.order.priority.rule"
    _description = "Order Priority Rule"
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
    criterion = fields.Selection(
        CRITERIA,
        required=True,
        default="customer_tier",
        tracking=True,
        help="What the rule looks at. The rule's points are added to the order's "
        "priority score when the criterion matches.",
    )
    points = fields.Integer(
        required=True,
        default=10,
        tracking=True,
        help="Points added to the priority score of every matching order. "
        "Only custom domain rules may give negative points.",
    )
    customer_tier = fields.Selection(
        CUSTOMER_TIERS, help="The rule matches orders of customers of this tier."
    )
    product_importance = fields.Selection(
        PRODUCT_IMPORTANCE,
        help="The rule matches orders with at least one product of this importance.",
    )
    amount_min = fields.Float(
        string="Amount From",
        help="The rule matches orders whose total (company currency) is at least "
        "this amount.",
    )
    amount_max = fields.Float(
        string="Amount Up To",
        help="The rule matches orders whose total is below this amount; 0 means "
        "no upper bound.",
    )
    days_to_commitment = fields.Integer(
        string="Days to Delivery Date",
        default=3,
        help="The rule matches orders whose delivery date is at most this many "
        "days away (or already past).",
    )
    scarcity_qty = fields.Float(
        string="Virtual Stock At Most",
        digits="Product Unit of Measure",
        help="The rule matches orders with a product whose virtual stock in the "
        "order's warehouse is at or below this quantity.",
    )
    domain = fields.Char(
        default="[]",
        help="Domain on sales orders; the rule matches the orders it selects.",
    )

    _sql_constraints = [
        (
            "amount_bounds",
            "CHECK(amount_min >= 0 AND amount_max >= 0)",
            "Amount bounds cannot be negative.",
        ),
        (
            "days_to_commitment_positive",
            "CHECK(days_to_commitment >= 0)",
            "The number of days to the delivery date cannot be negative.",
        ),
    ]

    @api.constrains(
        "criterion",
        "points",
        "customer_tier",
        "product_importance",
        "amount_min",
        "amount_max",
        "domain",
    )
    def _check_parameters(self):
        for rule in self:
            if rule.points < 0 and rule.criterion != "domain":
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: only custom domain rules may give negative "
                        "points.",
                        rule=rule.name,
                    )
                )
            if rule.criterion == "customer_tier" and not rule.customer_tier:
                raise ValidationError(
                    self.env._("Rule %s: choose a customer tier.", rule.name)
                )
            if rule.criterion == "product_importance" and not rule.product_importance:
                raise ValidationError(
                    self.env._("Rule %s: choose a product importance.", rule.name)
                )
            if (
                rule.criterion == "amount"
                and rule.amount_max
                and rule.amount_max <= rule.amount_min
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %s: the upper amount must be greater than the lower "
                        "amount.",
                        rule.name,
                    )
                )
            if rule.criterion == "domain":
                parse_order_domain(rule, check=True)

    def _get_domain(self):
        """Return the rule's domain as a list, raise a ValidationError if invalid."""
        return parse_order_domain(self)

    # ------------------------------------------------------------------
    # CRUD: any change to the rules rescores the open orders
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env["sale.order"]._erp_recompute_open_orders_priority()
        return rules

    def write(self, vals):
        result = super().write(vals)
        if set(vals) - {"name", "sequence"}:
            self.env["sale.order"]._erp_recompute_open_orders_priority()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["sale.order"]._erp_recompute_open_orders_priority()
        return result

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------
    def _match_orders(self, orders, context_data):
        """Return the subset of ``orders`` this rule matches.

        ``context_data`` holds values prepared once for the whole batch
        (company amounts, scarce products per warehouse, now).
        """
        self.ensure_one()
        criterion = self.criterion
        if criterion == "customer_tier":
            return orders.filtered(
                lambda o, tier=self.customer_tier: (
                    o.partner_id.commercial_partner_id.customer_tier == tier
                )
            )
        if criterion == "product_importance":
            return orders.filtered(
                lambda o, imp=self.product_importance: imp
                in o.order_line.product_id.product_tmpl_id.mapped("importance")
            )
        if criterion == "amount":
            amounts = context_data["amounts"]
            return orders.filtered(
                lambda o: amounts[o] >= self.amount_min
                and (not self.amount_max or amounts[o] < self.amount_max)
            )
        if criterion == "delivery_urgency":
            limit = fields.Datetime.add(
                context_data["now"], days=self.days_to_commitment
            )
            return orders.filtered(
                lambda o: o.commitment_date and o.commitment_date <= limit
            )
        if criterion == "stock_scarcity":
            stock = context_data["stock"]
            return orders.filtered(
                lambda o: any(
                    stock.get((o.warehouse_id.id, product.id), 0.0) <= self.scarcity_qty
                    for product in o.order_line.product_id
                    if product.is_storable
                )
            )
        if criterion == "domain":
            return orders.filtered_domain(self._get_domain())
        return orders.browse()
