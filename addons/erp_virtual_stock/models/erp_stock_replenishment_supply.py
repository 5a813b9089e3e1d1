# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ErpStockReplenishment(models.AbstractModel):
    """One picture of what is coming: a threshold counts what is on its way
    exactly as Odoo's reordering rule does (``qty_forecast`` of
    ``stock.warehouse.orderpoint``: the forecast up to the rule's lead-time
    horizon, so incoming moves and transfers in progress, plus the quantity
    in progress, i.e. draft RFQ lines). A product with both a reordering
    rule and a threshold is therefore never ordered twice, whichever acts
    first."""

    _inherit = "erp.stock.replenishment"

    @api.model
    def _get_orderpoint_forecast_map(self, pairs):
        """{(product_id, warehouse_id): forecast} for ``pairs`` of
        (product, warehouse) records, computed by Odoo's own reordering rule
        code: the pair's reordering rule when there is one (at the stock
        location first), otherwise an unsaved rule at the warehouse's stock
        location, so that the horizon and the quantity in progress are the
        ones Odoo's Replenishment screen would show. Set-based: one search
        and one batched computation."""
        if not pairs:
            return {}
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        products = self.env["product.product"].union(*(p for p, _w in pairs))
        warehouses = self.env["stock.warehouse"].union(*(w for _p, w in pairs))
        existing = {}
        for orderpoint in Orderpoint.search(
            [
                ("product_id", "in", products.ids),
                ("warehouse_id", "in", warehouses.ids),
            ],
            order="id",
        ):
            key = (orderpoint.product_id.id, orderpoint.warehouse_id.id)
            at_stock = orderpoint.location_id == orderpoint.warehouse_id.lot_stock_id
            if key not in existing or at_stock:
                existing[key] = orderpoint
        orderpoints = Orderpoint
        for product, warehouse in pairs:
            key = (product.id, warehouse.id)
            if key not in existing:
                existing[key] = Orderpoint.new(
                    {
                        "product_id": product.id,
                        "warehouse_id": warehouse.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "company_id": warehouse.company_id.id,
                        "product_min_qty": 0.0,
                        "product_max_qty": 0.0,
                    }
                )
            orderpoints |= existing[key]
        # computed together: one quantity read per horizon
        orderpoints.mapped("qty_forecast")
        return {
            key: orderpoint.product_uom._compute_quantity(
                orderpoint.qty_forecast, orderpoint.product_id.uom_id, round=False
            )
            for key, orderpoint in existing.items()
        }

    def _lock_replenishment_pairs(self):
        """Take the serialization row of the alerts' products and warehouses
        (in a stable order), as Odoo's reordering rules do when they procure
        (``procurement.group.run``). Transactions run in REPEATABLE READ: of
        a threshold and a reordering rule replenishing the same pair at the
        same moment, the second to commit gets a serialization failure and
        runs again later, seeing what the first one ordered."""
        self.env["erp.virtual.stock.lock"]._acquire(
            {(alert.product_id.id, alert.warehouse_id.id) for alert in self},
            # a conflict defers the alert (job) or retries the request
            log_exceptions=False,
        )

    def _get_needed_qty(self):
        """The alert's own need, never more than what brings the pair up to
        its target counting what Odoo already has on its way for it.

        Every path that orders for an alert asks this first: the pair is
        locked here, before anything is ordered (not for a preview: the
        alert's buttons, context key ``erp_stock_alert_need_preview``)."""
        self.ensure_one()
        need = super()._get_needed_qty()
        if not need:
            return need
        if not self.env.context.get("erp_stock_alert_need_preview"):
            self._lock_replenishment_pairs()
        key = (self.product_id.id, self.warehouse_id.id)
        forecast = self._get_orderpoint_forecast_map(
            [(self.product_id, self.warehouse_id)]
        ).get(key, 0.0)
        target = self.target_qty or self.min_qty
        return max(min(need, target - forecast), 0.0)
