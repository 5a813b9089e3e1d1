# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_compare, float_round


class ErpAllocationRun(models.Model):
    """Time-phased supply of a run: the stock on hand and what the
    virtual-stock engine of erp_virtual_stock expects to arrive, as dated
    buckets that can be promised."""

    _inherit = "erp.allocation.run"  # pylint: disable=consider-merging-classes-inherited

    def _erp_supply_buckets(self, products, pools):
        """{product: [[date, qty, reservable]]} in date order: today's pool
        of stock on hand (``pools``, reservable), then, with
        ``include_incoming``, what the engine counts as coming (late
        receipts and active manual entries today, receipts within the
        warehouse horizon and manual entries by their dates). A quantity is
        only promised when no later event takes it back (available to
        promise)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if not self.include_incoming:
            return {product: [[today, pools[product], True]] for product in products}
        # sudo: the run arbitrates the whole warehouse; its user may not read
        # every move or manual entry the virtual stock counts
        Product = self.env["product.product"].sudo()
        warehouses = self.warehouse_id.sudo()
        components = Product._erp_virtual_stock_components(warehouses, products.sudo())
        timeline = Product._erp_supply_timeline(warehouses, products.sudo())
        result = {}
        for product in products:
            pair = (product.id, self.warehouse_id.id)
            values = components.get(pair, {})
            supply = timeline.get(pair, {"future_incoming": 0.0, "events": []})
            # incoming the engine counts but dated before now (late receipts)
            # and manual entries counted today: promised from today, not
            # reservable
            late = (values.get("incoming") or 0.0) - supply["future_incoming"]
            today_extra = max(late, 0.0) + (values.get("manual") or 0.0)
            result[product] = self._erp_available_to_promise(
                today,
                pools[product],
                [(today, today_extra), *supply["events"]],
                product.uom_id.rounding,
            )
        return result

    @api.model
    def _erp_available_to_promise(self, today, pool, events, rounding):
        """Dated buckets [[date, qty, reservable]] from ``pool`` (on hand
        today, reservable) and ``events`` [(date, qty)], qty possibly
        negative: each bucket is what can be promised from its date on, so
        that the cumulative promised quantity never exceeds a later
        cumulative supply."""
        points = [(today, pool)] + sorted(
            (max(date, today), qty) for date, qty in events
        )
        cumulative = []
        running = 0.0
        for _date, qty in points:
            running += qty
            cumulative.append(running)
        floors = []
        low = float("inf")
        for value in reversed(cumulative):
            low = min(low, value)
            floors.append(low)
        floors.reverse()
        buckets = []
        promised = 0.0
        pairs = zip(points, floors, strict=True)
        for index, ((date, _qty), floor) in enumerate(pairs):
            qty = float_round(max(floor, 0.0) - promised, precision_rounding=rounding)
            if float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
                continue
            promised += qty
            if buckets and buckets[-1][0] == date and not buckets[-1][2]:
                buckets[-1][1] += qty
            else:
                buckets.append([date, qty, index == 0])
        return buckets
