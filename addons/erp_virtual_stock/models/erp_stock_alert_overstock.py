# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .erp_stock_replenishment import OPEN_STATES


class ErpStockAlert(models.Model):
    """Overstock alerts (``alert_type`` = ``overstock``): a rule with a
    maximum raises one when the quantity on its basis is above it, with a
    suggested transfer-out to the same-company warehouse with the largest
    shortage of the product (or a note when none lacks it). They resolve
    themselves once the quantity is back at or below the maximum; they never
    replenish."""

    _inherit = "erp.stock.alert"  # pylint: disable=consider-merging-classes-inherited

    alert_type = fields.Selection(
        [("shortage", "Shortage"), ("overstock", "Overstock")],
        required=True,
        default="shortage",
        index=True,
        readonly=True,
    )
    max_qty = fields.Float(
        string="Maximum Quantity",
        digits="Product Unit of Measure",
        aggregator=False,
        readonly=True,
    )
    excess_qty = fields.Float(
        string="Excess Quantity",
        digits="Product Unit of Measure",
        aggregator=False,
        compute="_compute_excess_qty",
        help="Quantity above the rule's maximum when the alert was raised.",
    )
    suggested_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Suggested Destination",
        readonly=True,
        help="The warehouse of the same company with the largest shortage of "
        "the product: where to transfer the excess.",
    )

    @api.depends("alert_type", "qty_at_trigger", "max_qty")
    def _compute_excess_qty(self):
        for alert in self:
            alert.excess_qty = (
                max(alert.qty_at_trigger - alert.max_qty, 0.0)
                if alert.alert_type == "overstock"
                else 0.0
            )

    def _get_needed_qty(self):
        # an overstock alert never orders nor transfers in
        if self.alert_type == "overstock":
            return 0.0
        return super()._get_needed_qty()

    @api.model
    def _get_open_alerts(self, warehouses, product_ids=None):
        # the shortage evaluation leaves the overstock alerts alone
        return (
            super()
            ._get_open_alerts(warehouses, product_ids)
            .filtered(lambda a: a.alert_type != "overstock")
        )

    @api.model
    def _evaluate_thresholds(
        self,
        warehouses,
        product_ids=None,
        quantities=None,
        components=None,
        rules=None,
        open_alerts=None,
    ):
        if not warehouses:
            return self
        # the rules and the open alerts of both kinds, read once for the
        # overstock and the shortage evaluations
        if rules is None:
            rules = self._get_evaluation_rules(warehouses)
        all_open = self._get_all_open_alerts(warehouses, product_ids)
        open_over = all_open.filtered(lambda a: a.alert_type == "overstock")
        if open_alerts is None:
            open_alerts = all_open - open_over
        max_rules = rules.filtered(lambda r: r.max_qty > 0)
        over = bool(max_rules or open_over)
        if over:
            quantities = quantities or self._get_overstock_engine_quantities(
                warehouses, product_ids, open_over, components, rules, open_alerts
            )
            if quantities is not None:
                # one pass of the engine answers short and over (same
                # candidates)
                ids, qty_by_basis = list(quantities[0]), quantities[1]
            else:
                ids, qty_by_basis = self._get_overstock_quantities(
                    warehouses, product_ids, max_rules, open_over
                )
            # back at or below the maximum (or the maximum removed): resolved
            back = open_over.filtered(
                lambda a: not a.threshold_id.max_qty
                or (
                    qty_by_basis[a.threshold_id.basis].get(
                        (a.product_id.id, a.warehouse_id.id)
                    )
                    or 0.0
                )
                <= a.threshold_id.max_qty
            )
            if back:
                back.write(
                    {"state": "resolved", "date_resolved": fields.Datetime.now()}
                )
        new_alerts = super()._evaluate_thresholds(
            warehouses,
            product_ids,
            quantities,
            components,
            rules=rules,
            open_alerts=open_alerts,
        )
        if over:
            vals_list = self._prepare_overstock_vals_list(warehouses, ids, qty_by_basis)
            if vals_list:
                overstock = self._create_open_alerts(vals_list)
                overstock._suggest_transfer_out()
                new_alerts |= overstock
        return new_alerts

    @api.model
    def _get_overstock_engine_quantities(
        self,
        warehouses,
        product_ids,
        open_over,
        components=None,
        rules=None,
        open_alerts=None,
    ):
        """``_get_engine_quantities`` of the shortage and overstock rules and
        of the open alerts of both kinds: the candidates of a full scan are
        those short or over (or with an open alert). None when the engine's
        SQL is not the whole answer. ``rules`` and ``open_alerts`` (the
        shortage ones): as read by the evaluation (read when not given)."""
        if open_alerts is None:
            open_alerts = self._get_open_alerts(warehouses, product_ids)
        if rules is None:
            rules = self._get_evaluation_rules(warehouses)
        return self._get_engine_quantities(
            warehouses,
            product_ids,
            rules,
            self._get_open_alert_info(open_alerts | open_over),
            components,
        )

    @api.model
    def _get_overstock_quantities(self, warehouses, product_ids, rules, open_over):
        """(product ids, {basis: {pair: qty}}) of the rules with a maximum
        when the engine cannot answer alone (a sub-module adds a component):
        every product the maximums cover, and those of the open alerts."""
        Threshold = self.env["erp.stock.threshold"]
        ids = list(product_ids) if product_ids is not None else None
        if ids is None:
            ids = list(
                set(open_over.product_id.ids)
                | set(
                    pid
                    for (pid, _wh) in Threshold._get_rule_id_map(
                        warehouses, None, rules=rules
                    )
                )
            )
        qty_by_basis = {
            basis: Threshold._get_quantity_map(basis, warehouses, ids)
            for basis in set(rules.mapped("basis"))
            | set(open_over.threshold_id.mapped("basis"))
        }
        return ids, qty_by_basis

    @api.model
    def _prepare_overstock_vals_list(self, warehouses, ids, qty_by_basis):
        """Values of the overstock alerts to raise: one per (product,
        warehouse) of ``ids`` above its rule's maximum, unless an alert of
        its rule is open."""
        rule_map = self.env["erp.stock.threshold"]._get_rule_map(warehouses, ids)
        busy = {
            (a.product_id.id, a.warehouse_id.id, a.threshold_id.id)
            for a in self.search(
                [
                    ("warehouse_id", "in", warehouses.ids),
                    ("state", "in", OPEN_STATES),
                    ("product_id", "in", ids),
                ]
            )
        }
        vals_list = []
        for key, rule in rule_map.items():
            if not rule.max_qty or (*key, rule.id) in busy:
                continue
            qty = qty_by_basis.get(rule.basis, {}).get(key) or 0.0
            if qty <= rule.max_qty:
                continue
            vals_list.append(
                {
                    "alert_type": "overstock",
                    "product_id": key[0],
                    "warehouse_id": key[1],
                    "threshold_id": rule.id,
                    "company_id": rule.company_id.id,
                    "qty_at_trigger": qty,
                    "min_qty": rule.min_qty,
                    "target_qty": rule.target_qty,
                    "max_qty": rule.max_qty,
                }
            )
        return vals_list

    def _suggest_transfer_out(self):
        """Set the suggested destination of each overstock alert: the
        same-company warehouse whose quantity is furthest below its own
        rule's minimum; a note says so when no warehouse lacks it."""
        Threshold = self.env["erp.stock.threshold"]
        for company, alerts in self.grouped("company_id").items():
            warehouses = self.env["stock.warehouse"].search(
                [("company_id", "=", company.id)]
            )
            product_ids = alerts.product_id.ids
            rules = Threshold._get_rule_map(warehouses, product_ids)
            maps = {}
            for alert in alerts:
                best, best_short = None, 0.0
                for warehouse in warehouses - alert.warehouse_id:
                    rule = rules.get((alert.product_id.id, warehouse.id))
                    if not rule:
                        continue
                    if rule.basis not in maps:
                        maps[rule.basis] = Threshold._get_quantity_map(
                            rule.basis, warehouses, product_ids
                        )
                    qty = maps[rule.basis].get((alert.product_id.id, warehouse.id), 0.0)
                    short = rule.min_qty - qty
                    if short > best_short:
                        best, best_short = warehouse, short
                in_lang = alert.with_context(
                    lang=alert.company_id.partner_id.lang or alert.env.lang
                )
                if best:
                    alert.suggested_warehouse_id = best
                    message = in_lang.env._(
                        "%(product)s is above its maximum in %(warehouse)s by "
                        "%(excess)s: transfer it to %(dest)s, short of %(short)s.",
                        product=alert.product_id.display_name,
                        warehouse=alert.warehouse_id.display_name,
                        excess=alert.excess_qty,
                        dest=best.display_name,
                        short=best_short,
                    )
                else:
                    message = in_lang.env._(
                        "%(product)s is above its maximum in %(warehouse)s by "
                        "%(excess)s; no other warehouse lacks it.",
                        product=alert.product_id.display_name,
                        warehouse=alert.warehouse_id.display_name,
                        excess=alert.excess_qty,
                    )
                alert.note = message
                alert.message_post(body=message)
