# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

CHART_WIDTH = 640
CHART_HEIGHT = 240
CHART_MARGIN = 30
# days drawn each side of today: the default, and the range a request is
# clamped to (two years; the chart has a point per day)
DEFAULT_DAYS = 30
MIN_DAYS = 1
MAX_DAYS = 730


class ReportDemandForecastGraph(models.AbstractModel):
    _name = "report.erp_virtual_stock.report_demand_forecast_graph"
    _description = "Demand Forecast Graph"

    @api.model
    def _get_history(self, forecast, days, today):
        """Virtual stock at the end of each of the last ``days`` days, read
        back from the ledger balances (the current level before any entry)."""
        start = today - timedelta(days=days)
        entries = self.env["erp.virtual.stock.ledger"].search_read(
            [
                ("product_id", "=", forecast.product_id.id),
                ("warehouse_id", "=", forecast.warehouse_id.id),
                ("create_date", ">=", datetime.combine(start, time.min)),
            ],
            ["create_date", "balance", "delta"],
            order="id",
        )
        level = (
            entries[0]["balance"] - entries[0]["delta"]
            if entries
            else forecast.virtual_stock_qty
        )
        by_day = {}
        for entry in entries:
            by_day[entry["create_date"].date()] = entry["balance"]
        history = []
        for offset in range(-days, 1):
            day = today + timedelta(days=offset)
            level = by_day.get(day, level)
            history.append((offset, level))
        return history

    @api.model
    def _get_projection(self, forecast, days, today):
        """Projected virtual stock for the next ``days`` days."""
        Product = self.env["product.product"]
        supply = Product._erp_supply_timeline(
            forecast.warehouse_id, forecast.product_id
        ).get((forecast.product_id.id, forecast.warehouse_id.id))
        level = forecast.virtual_stock_qty - (
            supply["future_incoming"] if supply else 0.0
        )
        events = {}
        for date, qty in supply["events"] if supply else []:
            offset = max((date - today).days, 0)
            events[offset] = events.get(offset, 0.0) + qty
        projection = []
        for offset in range(days + 1):
            if offset:
                level -= forecast.demand_rate
            level += events.get(offset, 0.0)
            projection.append((offset, level))
        return projection

    @api.model
    def _get_chart(self, forecast, days, today):
        history = self._get_history(forecast, days, today)
        projection = self._get_projection(forecast, days, today)
        values = [v for _o, v in history + projection] + [0.0]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        plot_w = CHART_WIDTH - 2 * CHART_MARGIN
        plot_h = CHART_HEIGHT - 2 * CHART_MARGIN

        def point(offset, value):
            x = CHART_MARGIN + (offset + days) * plot_w / (2 * days)
            y = CHART_MARGIN + (high - value) * plot_h / span
            return f"{x:.1f},{y:.1f}"

        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "history": " ".join(point(o, v) for o, v in history),
            "projection": " ".join(point(o, v) for o, v in projection),
            "zero_y": point(0, 0.0).split(",")[1],
            "today_x": point(0, 0.0).split(",")[0],
            "left": CHART_MARGIN,
            "right": CHART_WIDTH - CHART_MARGIN,
            "top": CHART_MARGIN,
            "bottom": CHART_HEIGHT - CHART_MARGIN,
            "high": high,
            "low": low,
            "start": today - timedelta(days=days),
            "end": today + timedelta(days=days),
            "end_level": projection[-1][1],
        }

    @api.model
    def _parse_days(self, value):
        """The ``days`` report parameter (an integer, or its decimal text as
        a URL gives it) clamped to MIN_DAYS..MAX_DAYS; DEFAULT_DAYS when
        absent.  Anything else is refused with a UserError (a 400 on the
        report routes)."""
        if value is None or value == "":
            return DEFAULT_DAYS
        if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]{1,100}", value.strip()):
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise UserError(
                self.env._(
                    "The number of days of the forecast graph must be a whole "
                    "number, not %(value)s.",
                    value=repr(value)[:40],
                )
            )
        return min(max(value, MIN_DAYS), MAX_DAYS)

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["erp.demand.forecast"].browse(docids)
        days = self._parse_days((data or {}).get("days"))
        today = fields.Date.context_today(self)
        return {
            "doc_ids": docids,
            "doc_model": "erp.demand.forecast",
            "docs": docs,
            "days": days,
            "charts": {doc.id: self._get_chart(doc, days, today) for doc in docs},
        }
