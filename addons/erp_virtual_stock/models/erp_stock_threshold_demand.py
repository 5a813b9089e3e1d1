# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class ErpStockThreshold(models.Model):
    _inherit = "erp.stock.threshold"

    qty_mode = fields.Selection(
        [("fixed", "Fixed Quantities"), ("demand", "From Demand")],
        string="Quantities",
        required=True,
        default="fixed",
        help="From Demand: the minimum and target quantities are recomputed "
        "from the demand forecast at every forecast refresh.",
    )
    safety_days = fields.Float(
        default=7.0,
        help="Days of demand kept as safety stock on top of the lead time.",
    )
    order_cycle_days = fields.Float(
        "Review Period (days)",
        default=14.0,
        help="Days of demand a replenishment brings on top of the minimum.",
    )
    transfer_lead_days = fields.Float(
        "Transfer Lead Time (days)",
        default=1.0,
        help="Days an inter-warehouse transfer takes to arrive.",
    )
    demand_rate = fields.Float(
        "Daily Demand",
        compute="_compute_demand_quantities",
        digits="Product Unit of Measure",
        help="Daily demand of the product in the warehouse, from the latest "
        "forecast.",
    )
    lead_time_days = fields.Float(
        "Lead Time (days)",
        compute="_compute_demand_quantities",
        help="The vendor's delivery lead time for purchases, the transfer lead "
        "time for transfers.",
    )
    demand_min_qty = fields.Float(
        "Computed Minimum",
        compute="_compute_demand_quantities",
        digits="Product Unit of Measure",
    )
    demand_target_qty = fields.Float(
        "Computed Target",
        compute="_compute_demand_quantities",
        digits="Product Unit of Measure",
    )
    demand_formula = fields.Char(
        "Formula",
        compute="_compute_demand_quantities",
        help="How the minimum and target quantities are computed.",
    )

    @api.depends(
        "qty_mode",
        "product_id",
        "warehouse_id",
        "action",
        "safety_days",
        "order_cycle_days",
        "transfer_lead_days",
        "product_id.seller_ids.delay",
    )
    def _compute_demand_quantities(self):
        rules = self.filtered(lambda r: r.product_id and r.warehouse_id)
        forecasts = {
            (f.product_id.id, f.warehouse_id.id): f
            for f in self.env["erp.demand.forecast"].search(
                [
                    ("product_id", "in", rules.product_id.ids),
                    ("warehouse_id", "in", rules.warehouse_id.ids),
                ]
            )
        }
        for rule in self:
            forecast = forecasts.get((rule.product_id.id, rule.warehouse_id.id))
            rate = forecast.demand_rate if forecast else 0.0
            lead = rule._get_demand_lead_time()
            rule.demand_rate = rate
            rule.lead_time_days = lead
            if forecast and forecast.demand_cum:
                # the daily forecast: a season or a trend over the lead time
                # counts, not the average day
                rule._set_demand_quantities_from_path(forecast, lead)
                continue
            minimum = rate * lead + rule.safety_days * rate
            target = minimum + rate * rule.order_cycle_days
            rule.demand_min_qty = minimum
            rule.demand_target_qty = target
            rule.demand_formula = self.env._(
                "min = %(rate).2f/day × %(lead).1f days lead time + %(safety).1f "
                "safety days × %(rate).2f/day = %(min).2f; target = min + "
                "%(rate).2f/day × %(period).1f days review period = %(target).2f",
                rate=rate,
                lead=lead,
                safety=rule.safety_days,
                period=rule.order_cycle_days,
                min=minimum,
                target=target,
            )

    def _set_demand_quantities_from_path(self, forecast, lead):
        """Minimum: the forecast demand over the lead time and the safety
        days; target: over the review period after them too."""
        self.ensure_one()
        cover = lead + self.safety_days
        minimum = forecast._demand_within(cover)
        target = forecast._demand_within(cover + self.order_cycle_days)
        self.demand_min_qty = minimum
        self.demand_target_qty = target
        self.demand_formula = self.env._(
            "min = forecast demand over %(lead).1f days lead time + %(safety).1f "
            "safety days = %(min).2f; target = forecast demand over those days "
            "+ %(period).1f days review period = %(target).2f (daily forecast "
            "of %(method)s)",
            lead=lead,
            safety=self.safety_days,
            period=self.order_cycle_days,
            min=minimum,
            target=target,
            method=dict(
                forecast._fields["method"]._description_selection(self.env)
            ).get(forecast.method, ""),
        )

    @api.constrains("qty_mode", "product_id")
    def _check_demand_mode_product(self):
        for rule in self:
            if rule.qty_mode == "demand" and not rule.product_id:
                raise ValidationError(
                    self.env._(
                        "Threshold rule %(rule)s computes its quantities from "
                        "demand: it needs a product.",
                        rule=rule.display_name,
                    )
                )

    @api.constrains("safety_days", "order_cycle_days", "transfer_lead_days")
    def _check_demand_days(self):
        for rule in self:
            if (
                min(rule.safety_days, rule.order_cycle_days, rule.transfer_lead_days)
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Safety days, review period and transfer lead time of "
                        "rule %(rule)s cannot be negative.",
                        rule=rule.display_name,
                    )
                )

    def _get_demand_lead_time(self):
        """Lead time in days: transfer lead time for transfers, the vendor's
        delivery lead time otherwise (transfer lead time without vendor)."""
        self.ensure_one()
        if self.action == "transfer" or not self.product_id:
            return self.transfer_lead_days
        sellers = self.product_id.seller_ids.filtered(
            lambda s, company=self.company_id: (
                not s.company_id or s.company_id == company
            )
            and (not s.product_id or s.product_id == self.product_id)
        )
        if not sellers:
            return self.transfer_lead_days
        return float(sellers.sorted(lambda s: (s.sequence, s.id))[:1].delay)

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules.filtered(lambda r: r.qty_mode == "demand")._apply_demand_quantities()
        return rules

    def write(self, vals):
        res = super().write(vals)
        if not {"min_qty", "target_qty"} & set(vals):
            self.filtered(lambda r: r.qty_mode == "demand")._apply_demand_quantities()
        return res

    def _apply_demand_quantities(self):
        """Write the computed minimum and target on the demand rules whose
        figures changed (rounded up to the product's unit)."""
        # the computed figures depend on the forecast snapshot: read them fresh
        self.invalidate_recordset(
            ["demand_rate", "lead_time_days", "demand_min_qty", "demand_target_qty"]
        )
        for rule in self.filtered(lambda r: r.qty_mode == "demand"):
            rounding = rule.product_id.uom_id.rounding or 0.01
            # up to whole pieces: a minimum of 31.78 chairs keeps 32
            minimum = self._round_to_unit(rule.product_id, rule.demand_min_qty)
            target = max(
                self._round_to_unit(rule.product_id, rule.demand_target_qty), minimum
            )
            if rule.max_qty:
                # the rule's maximum (set by hand) caps what the demand asks
                target = min(target, rule.max_qty)
                minimum = min(minimum, target)
            if float_compare(
                minimum, rule.min_qty, precision_rounding=rounding
            ) or float_compare(target, rule.target_qty, precision_rounding=rounding):
                rule.write({"min_qty": minimum, "target_qty": target})

    def action_apply_demand_quantities(self):
        self._apply_demand_quantities()
        return True

    @api.model
    def _cron_apply_demand_quantities(self):
        rules = self.search([("qty_mode", "=", "demand")])
        rules._apply_demand_quantities()
