# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    virtual_stock_warning = fields.Text(
        compute="_compute_virtual_stock_warning",
        help="Lines asking for more than the virtual stock of their warehouse.",
    )

    @api.depends(
        "state",
        "order_line.availability_state",
        "order_line.availability_note",
        "order_line.product_uom_qty",
        "warehouse_id.virtual_stock_policy",
    )
    def _compute_virtual_stock_warning(self):
        for order in self:
            lines = order._erp_short_lines()
            if order.state in ("draft", "sent") and lines:
                order.virtual_stock_warning = "\n".join(
                    lines.mapped("availability_note")
                )
            else:
                order.virtual_stock_warning = False

    def _erp_short_lines(self):
        """Lines of the order short of virtual stock in a warehouse that warns
        or blocks (the lines of the banner)."""
        self.ensure_one()
        return self.order_line.filtered(
            lambda line: line.availability_state in ("partial", "unavailable")
            and line.availability_note
            and line.warehouse_id.virtual_stock_policy in ("warn", "block")
        )

    def action_erp_open_shortage_forecast(self):
        """The forecast of the products the banner lists."""
        self.ensure_one()
        return self._erp_short_lines().action_erp_open_forecast()

    def _erp_virtual_stock_demand(self):
        """{(product_id, warehouse_id): (qty in product UoM, lines)} of the
        storable lines."""
        demand = defaultdict(lambda: [0.0, self.env["sale.order.line"]])
        for line in self.order_line:
            if line.display_type or not line.product_id.is_storable:
                continue
            if not line.warehouse_id:
                continue
            pair = (line.product_id.id, line.warehouse_id.id)
            demand[pair][0] += line._erp_qty_in_product_uom()
            demand[pair][1] |= line
        return demand

    def action_confirm(self):
        demand = self._erp_virtual_stock_demand()
        sources = {pair: lines.order_id[:1] for pair, (_qty, lines) in demand.items()}
        ledger = self.env["erp.virtual.stock.ledger"]
        with ledger._erp_operation(
            "order_confirmed", source=self[:1], pairs=set(demand), sources=sources
        ) as operation:
            self.env["sale.order.line"]._erp_check_policy(
                {pair: (qty, lines) for pair, (qty, lines) in demand.items()},
                operation.before,
            )
            return super(SaleOrder, operation.bind(self)).action_confirm()

    def _action_cancel(self):
        demand = self._erp_virtual_stock_demand()
        sources = {pair: lines.order_id[:1] for pair, (_qty, lines) in demand.items()}
        ledger = self.env["erp.virtual.stock.ledger"]
        with ledger._erp_operation(
            "order_cancelled", source=self[:1], pairs=set(demand), sources=sources
        ) as operation:
            return super(SaleOrder, operation.bind(self))._action_cancel()
