# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class SaleOrderLine(models.Model):
    """The forecast in promise dates: what the forecast demand keeps back of
    the stock there today, read with the line's supply (``erp_supply``)."""

    _inherit = "sale.order.line"  # pylint: disable=consider-merging-classes-inherited

    def _erp_forecast_reserved(self, timeline, today):
        """{line: quantity} kept back from the quotation lines of companies
        that put the forecast in promise dates: the forecast demand of the
        pair until its next planned receipt (at most the 90 days of the
        forecast), within the stock there today. What the forecast demand
        takes of later receipts is not counted."""
        quotations = self.filtered(
            lambda line: line.state != "sale" and line.company_id.erp_forecast_promise
        )
        if not quotations:
            return {}
        # sudo: the promise of a salesman reads the forecast of the warehouse
        # whether or not he may open the forecast screens
        forecasts = {
            (f.product_id.id, f.warehouse_id.id): f
            for f in self.env["erp.demand.forecast"]
            .sudo()
            .search(
                [
                    ("product_id", "in", quotations.product_id._origin.ids),
                    ("warehouse_id", "in", quotations.warehouse_id._origin.ids),
                ]
            )
        }
        reserved = {}
        for line in quotations:
            pair = (line.product_id._origin.id, line.warehouse_id._origin.id)
            forecast = forecasts.get(pair)
            if not forecast:
                continue
            events = timeline.get(pair, {"events": []})["events"]
            days = min(
                [(day - today).days for day, qty in events if qty > 0 and day > today]
                + [90]
            )
            reserved[line] = forecast._demand_within(days, today)
        return reserved
