# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .erp_demand_forecast_selection import METHODS


class ErpDemandForecastOverride(models.Model):
    """A planner's forecast of a product in a warehouse for a period (a
    promotion, a tender, a product being phased out): over its days it
    replaces the daily demand forecast of the chosen method. The reason is
    copied on the forecast history of every refresh it applied to."""

    _name = "erp.demand.forecast.override"
    _description = "Demand Forecast Override"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _rec_name = "product_id"
    _check_company_auto = True

    active = fields.Boolean(default=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        tracking=True,
        domain=[("is_storable", "=", True)],
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, check_company=True, tracking=True
    )
    company_id = fields.Many2one(
        related="warehouse_id.company_id", store=True, index=True, readonly=True
    )
    date_from = fields.Date("From", required=True, tracking=True)
    date_to = fields.Date("To", required=True, tracking=True)
    daily_qty = fields.Float(
        "Daily Demand",
        digits="Product Unit of Measure",
        required=True,
        tracking=True,
        help="Demand forecast per day over the period, in the product's unit.",
    )
    reason = fields.Text(
        required=True,
        tracking=True,
        help="Why the forecast is overridden; kept in the forecast history.",
    )

    @api.constrains("date_from", "date_to", "daily_qty")
    def _check_period(self):
        for override in self:
            if override.date_to < override.date_from:
                raise ValidationError(
                    self.env._("The override period ends before it starts.")
                )
            if override.daily_qty < 0:
                raise ValidationError(
                    self.env._("An overridden demand cannot be negative.")
                )

    @api.model
    def _apply_overrides(self, pairs, today, forecast):
        """Replace the days of ``forecast`` (one row per pair of ``pairs``,
        one column per day from ``today``) covered by an active override;
        returns the override id applied to each pair (the latest one
        starting first) or None."""
        horizon = forecast.shape[1] if len(pairs) else 0
        applied = [None] * len(pairs)
        if not pairs:
            return applied
        index = {pair: k for k, pair in enumerate(pairs)}
        overrides = self.search(
            [
                ("product_id", "in", sorted({p for p, __ in pairs})),
                ("date_to", ">=", today),
                ("date_from", "<", today + timedelta(days=horizon)),
            ],
            order="date_from, id",
        )
        for override in overrides:
            k = index.get((override.product_id.id, override.warehouse_id.id))
            if k is None:
                continue
            start = max((override.date_from - today).days, 0)
            end = min((override.date_to - today).days + 1, horizon)
            forecast[k, start:end] = override.daily_qty
            if applied[k] is None or start == 0:
                applied[k] = override.id
        return applied


class ErpDemandForecastHistory(models.Model):
    _inherit = "erp.demand.forecast.history"

    method = fields.Selection(METHODS, readonly=True)
    override_id = fields.Many2one(
        "erp.demand.forecast.override",
        string="Manual Override",
        readonly=True,
        ondelete="set null",
    )
    override_reason = fields.Text(
        readonly=True, help="Reason of the manual override applied that day."
    )
    actual_qty = fields.Float(
        "Actual Demand",
        readonly=True,
        help="Demand of the product in the warehouse on that day, filled by "
        "the next day's refresh; empty when the day was censored (out of "
        "stock without orders).",
    )

    @api.model
    def _record_actuals(self, company, date, pairs, values):
        """Store the actual demand ``values`` of ``pairs`` on ``date`` on
        the forecast history of that day (NaN: censored, left empty)."""
        rows = [
            (p, w, float(v)) for (p, w), v in zip(pairs, values, strict=True) if v == v
        ]
        if not rows:
            return
        self.flush_model()
        self.env.execute_query(
            SQL(
                "UPDATE erp_demand_forecast_history h SET actual_qty = a.qty"
                " FROM unnest(%(products)s::int[], %(whs)s::int[],"
                " %(qtys)s::float8[]) AS a(product_id, warehouse_id, qty)"
                " WHERE h.company_id = %(company)s AND h.date = %(date)s"
                " AND h.product_id = a.product_id AND h.warehouse_id = a.warehouse_id",
                products=[r[0] for r in rows],
                whs=[r[1] for r in rows],
                qtys=[r[2] for r in rows],
                company=company.id,
                date=date,
            )
        )
        self.invalidate_model()

    @api.model
    def _record_forecast_columns(self):
        """The method and the override (with its reason) of the day's
        forecast, in the INSERT of the history."""
        columns, values = super()._record_forecast_columns()
        return (
            SQL("%s, method, override_id, override_reason", columns),
            SQL("%s, f.method, f.override_id, o.reason", values),
        )

    @api.model
    def _record_forecast_joins(self):
        """The override of the row, for its reason."""
        return SQL(
            "%s LEFT JOIN erp_demand_forecast_override o ON o.id = f.override_id",
            super()._record_forecast_joins(),
        )
