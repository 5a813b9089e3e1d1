# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

from odoo import api, fields, models


class ErpOrderPriorityRule(models.Model):
    _name = "erp.order.priority.rule"
    _inherit = ["erp.order.priority.rule", "mail.activity.mixin", "erp.review.mixin"]

    review_order_count = fields.Integer(
        "Orders Scored",
        compute="_compute_review_facts",
        help="Confirmed sales orders (dated since the last review, or the "
        "rule's creation) to which the rule currently gives points.",
    )
    review_points_total = fields.Integer(
        "Points Given",
        compute="_compute_review_facts",
        help="Points the rule gives to those orders (orders × points).",
    )
    review_late_count = fields.Integer(
        "Late Orders",
        compute="_compute_review_facts",
        help="Those orders still pending or in process after their delivery date.",
    )
    review_allocated_count = fields.Integer(
        "Orders Allocated",
        compute="_compute_review_facts",
        help="Those orders that received stock in an applied allocation run.",
    )

    def _get_review_since(self):
        """Start of the review period: the last review, else the creation."""
        self.ensure_one()
        return self.last_review_date or (
            self.create_date.date()
            if self.create_date
            else fields.Date.context_today(self)
        )

    @api.depends("last_review_date", "points")
    def _compute_review_facts(self):
        rules = self.filtered("id")
        facts = {}
        if rules:
            since = min(rule._get_review_since() for rule in rules)
            base = [
                ("state", "=", "sale"),
                ("priority_rule_ids", "in", rules._origin.ids),
                ("date_order", ">=", datetime.combine(since, time.min)),
            ]
            extra = {
                "orders": [],
                "late": [("fulfillment_late", "=", True)],
                "allocated": [
                    (
                        "erp_allocation_line_ids",
                        "any",
                        [("allocated_qty", ">", 0), ("run_id.mode", "=", "apply")],
                    )
                ],
            }
            # the rules' managers see the usage facts of every order
            orders = self.env["sale.order"].sudo()
            for key, domain in extra.items():
                for rule, day, count in orders._read_group(
                    base + domain,
                    groupby=["priority_rule_ids", "date_order:day"],
                    aggregates=["__count"],
                ):
                    facts.setdefault((rule.id, key), []).append((day, count))
        for rule in self:
            since = rule._get_review_since()

            def count_since(key, rule=rule, since=since):
                return sum(
                    count
                    for day, count in facts.get((rule._origin.id, key), [])
                    if (day.date() if isinstance(day, datetime) else day) >= since
                )

            rule.review_order_count = count_since("orders")
            rule.review_points_total = rule.review_order_count * rule.points
            rule.review_late_count = count_since("late")
            rule.review_allocated_count = count_since("allocated")
