# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

from odoo import api, fields, models


class ErpStockThreshold(models.Model):
    _name = "erp.stock.threshold"
    _inherit = [
        "erp.stock.threshold",
        "mail.thread",
        "mail.activity.mixin",
        "erp.review.mixin",
    ]

    review_alert_count = fields.Integer(
        "Alerts Since Review",
        compute="_compute_review_facts",
        help="Alerts the rule raised since its last review (or its creation).",
    )
    review_wape = fields.Float(
        "Forecast WAPE (%)",
        compute="_compute_review_facts",
        digits=(16, 1),
        help="Latest forecast error (WAPE) of the product's category: the "
        "absolute errors over the actual demand.",
    )

    @api.depends("last_review_date", "alert_ids")
    def _compute_review_facts(self):
        rules = self.filtered("id")
        counts = {}
        if rules:
            for rule, day, count in self.env["erp.stock.alert"]._read_group(
                [("threshold_id", "in", rules.ids)],
                groupby=["threshold_id", "create_date:day"],
                aggregates=["__count"],
            ):
                counts.setdefault(rule.id, []).append((day, count))
        categories = self.product_id.categ_id | self.product_categ_id
        wapes = self.env["erp.demand.forecast.accuracy"]._get_latest_wape(categories)
        for rule in self:
            since = rule.last_review_date or (
                rule.create_date.date()
                if rule.create_date
                else fields.Date.context_today(rule)
            )
            since_dt = datetime.combine(since, time.min)
            rule.review_alert_count = sum(
                count
                for day, count in counts.get(rule.id, [])
                if (
                    day
                    if isinstance(day, datetime)
                    else datetime.combine(day, time.min)
                )
                >= since_dt
            )
            categ = rule.product_id.categ_id or rule.product_categ_id
            rule.review_wape = wapes.get(categ.id, 0.0)

    def _get_review_user(self):
        self.ensure_one()
        return self.review_user_id or self.notify_user_ids[:1] or self.create_uid
