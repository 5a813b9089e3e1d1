# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from odoo import api, fields, models


class ErpVirtualStock(models.Model):
    _name = "erp.virtual.stock"
    _inherit = ["erp.virtual.stock", "erp.review.mixin"]

    review_sales_qty = fields.Float(
        "Sales Since Start",
        compute="_compute_review_facts",
        digits="Product Unit of Measure",
        help="Quantity of the product actually delivered to customers from the "
        "warehouse since the entry started, net of returns.",
    )
    review_wape = fields.Float(
        "Forecast WAPE (%)",
        compute="_compute_review_facts",
        digits=(16, 1),
        help="Latest forecast error (WAPE) of the product's category: the "
        "absolute errors over the actual demand.",
    )

    @api.depends("product_id", "warehouse_id", "date_start")
    def _compute_review_facts(self):
        entries = self.filtered(lambda e: e.product_id and e.warehouse_id)
        sales = {}
        if entries:
            today = fields.Date.context_today(self)
            start = min(e.date_start or today for e in entries)
            moves = self.env["stock.move"]._read_group(
                [
                    ("state", "=", "done"),
                    ("product_id", "in", entries.product_id.ids),
                    ("date", ">=", datetime.combine(start, time.min)),
                    "|",
                    "&",
                    ("location_dest_id.usage", "=", "customer"),
                    ("location_id.warehouse_id", "in", entries.warehouse_id.ids),
                    "&",
                    ("location_id.usage", "=", "customer"),
                    ("location_dest_id.warehouse_id", "in", entries.warehouse_id.ids),
                ],
                groupby=[
                    "product_id",
                    "location_id",
                    "location_dest_id",
                    "date:day",
                ],
                aggregates=["product_qty:sum"],
            )
            for product, src, dst, day, qty in moves:
                if dst.usage == "customer":
                    key, signed = (product.id, src.warehouse_id.id), qty
                else:
                    key, signed = (product.id, dst.warehouse_id.id), -qty
                if isinstance(day, datetime):
                    day = day.date()
                sales.setdefault(key, []).append((day, signed))
        wapes = self.env["erp.demand.forecast.accuracy"]._get_latest_wape(
            entries.product_id.categ_id
        )
        for entry in self:
            start = entry.date_start or fields.Date.context_today(entry)
            entry.review_sales_qty = sum(
                qty
                for day, qty in sales.get(
                    (entry.product_id.id, entry.warehouse_id.id), []
                )
                if day >= start
            )
            entry.review_wape = wapes.get(entry.product_id.categ_id.id, 0.0)

    def _get_review_user(self):
        self.ensure_one()
        return self.review_user_id or self.user_id or self.create_uid

    def _review_archive(self):
        self.filtered(lambda e: e.state in ("draft", "active")).action_cancel()

    def action_review_extend(self):
        """Extend the entries by one review interval (their end date) and close
        the review."""
        for entry in self.filtered(lambda e: e.date_end):
            entry.date_end += timedelta(days=entry.review_interval_days or 30)
        return self.action_review_done()
