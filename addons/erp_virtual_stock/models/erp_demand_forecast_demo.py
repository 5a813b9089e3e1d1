# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from datetime import timedelta

from odoo import api, fields, models


class ErpDemandForecast(models.Model):
    """Demo data of the forecast (called by demo/erp_demand_forecast_demo.xml)."""

    _inherit = "erp.demand.forecast"

    @api.model
    def _demo_create_history(self, product_ids, warehouse_id):
        """Demo data: 120 days of deliveries (and a few returns) of the
        products from the warehouse, the forecasts of two past days, then a
        refresh."""
        products = self.env["product.product"].browse(product_ids)
        warehouse = self.env["stock.warehouse"].browse(warehouse_id)
        stock = warehouse.lot_stock_id
        customer = self.env.ref("stock.stock_location_customers")
        now = fields.Datetime.now()
        dated_moves = []
        vals_list = []
        for rank, product in enumerate(products):
            rate = 3.0 / (rank + 1)
            self.env["stock.quant"]._update_available_quantity(
                product, stock, rate * 150
            )
            for day in range(3, 120, 3):
                qty = max(round(rate * 3 * (1 + 0.4 * math.sin(day / 9.0))), 1)
                returned = day % 30 == 0
                vals_list.append(
                    {
                        "name": self.env._("Demo forecast history"),
                        "product_id": product.id,
                        "product_uom_qty": 1 if returned else qty,
                        "product_uom": product.uom_id.id,
                        "location_id": (customer if returned else stock).id,
                        "location_dest_id": (stock if returned else customer).id,
                    }
                )
                dated_moves.append(now - timedelta(days=day))
        moves = self.env["stock.move"].create(vals_list)
        moves._action_confirm()
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        moves._action_done()
        for move, date in zip(moves, dated_moves, strict=True):
            move.date = date
        today = fields.Date.context_today(self)
        company = warehouse.company_id
        rates = self._get_demand_rates(warehouse, now=now - timedelta(days=14))
        History = self.env["erp.demand.forecast.history"]
        for days_ago, factor in ((14, 1.1), (10, 0.9)):
            History._store(
                company,
                today - timedelta(days=days_ago),
                [
                    (
                        product.id,
                        warehouse.id,
                        product.categ_id.id,
                        rates.get((product.id, warehouse.id), (0.0, 0.0))[1] * factor,
                    )
                    for product in products
                ],
            )
        self._refresh_company(company)
