# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import float_compare, float_round


class ErpAllocationRun(models.Model):
    """The allocation algorithm: which moves a run arbitrates and who gets
    what of each short product, in serving order."""

    _inherit = "erp.allocation.run"  # pylint: disable=consider-merging-classes-inherited

    def _get_candidate_moves(self):
        """Open sales moves taking stock from the warehouse's stock location."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "in", ("confirmed", "partially_available", "assigned")),
            ("location_id", "child_of", self.warehouse_id.lot_stock_id.id),
            ("sale_line_id", "!=", False),
            ("picked", "=", False),
            ("product_id.is_storable", "=", True),
        ]
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        return self.env["stock.move"].search(domain)

    def _plan(self, moves):
        """Plan the allocation: return one dict per move, in serving order."""
        self.ensure_one()
        products = moves.product_id.with_context(
            location=self.warehouse_id.lot_stock_id.id
        )
        free = {product: product.free_qty for product in products}
        # read the serving keys once for all moves (prefetched), not per sort
        keys = {move: move._erp_reservation_key() for move in moves}
        plan = []
        for product, product_moves in moves.grouped("product_id").items():
            rounding = product.uom_id.rounding
            reserved = {
                move: move.quantity
                if move.product_uom == product.uom_id
                else move.product_uom._compute_quantity(
                    move.quantity, product.uom_id, rounding_method="HALF-UP"
                )
                for move in product_moves
            }
            demand = sum(product_moves.mapped("product_qty"))
            pool = free[product] + sum(reserved.values())
            if not self.product_ids and (
                float_compare(demand, pool, precision_rounding=rounding) <= 0
            ):
                continue  # not short: nothing to arbitrate
            remaining = pool
            ordered = sorted(product_moves, key=keys.__getitem__)
            for rank, move in enumerate(ordered, start=1):
                allocated = float_round(
                    max(min(move.product_qty, remaining), 0.0),
                    precision_rounding=rounding,
                )
                remaining -= allocated
                plan.append(
                    {
                        "move": move,
                        "rank": rank,
                        "demanded_qty": move.product_qty,
                        "reserved_before": reserved[move],
                        "allocated_qty": allocated,
                        "short_qty": move.product_qty - allocated,
                    }
                )
        return plan
