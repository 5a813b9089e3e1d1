# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import namedtuple
from datetime import datetime

from odoo import models
from odoo.tools import SQL, float_compare, float_round

# what a run reads of each candidate move (``_erp_move_rows``)
MoveRow = namedtuple(
    "MoveRow",
    "product_id product_qty quantity same_uom score commitment_date date_order"
    " sale_line_id confirmed_date confirmed_qty",
)


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

    def _erp_move_rows(self, moves):
        """{move: MoveRow} of what the plan reads of ``moves``, in one query:
        product, quantities in the move's unit and whether it is the
        product's, score, the sales order's dates (``_erp_reservation_key``)
        and the order line's confirmation. Reading them through the fields
        would fetch every column of each move, order line and order: most
        of a 100,000-line run. The moves come from the run's search; their
        order lines and orders are read as the run's sudo reads do."""
        self.env["stock.move"].flush_model(
            [
                "product_id",
                "product_qty",
                "quantity",
                "product_uom",
                "erp_priority_score",
                "sale_line_id",
                "group_id",
            ]
        )
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["uom_id"])
        self.env["procurement.group"].flush_model(["sale_id"])
        self.env["sale.order.line"].flush_model(
            ["order_id", "erp_confirmed_date", "erp_confirmed_qty"]
        )
        self.env["sale.order"].flush_model(["commitment_date", "date_order"])
        rows = {
            move_id: MoveRow(
                product_id,
                product_qty or 0.0,
                quantity or 0.0,
                same_uom,
                score or 0,
                commitment_date,
                date_order,
                sale_line_id,
                confirmed_date,
                confirmed_qty or 0.0,
            )
            for (
                move_id,
                product_id,
                product_qty,
                quantity,
                same_uom,
                score,
                commitment_date,
                date_order,
                sale_line_id,
                confirmed_date,
                confirmed_qty,
            ) in self.env.execute_query(
                SQL(
                    "SELECT m.id, m.product_id, m.product_qty, m.quantity,"
                    " m.product_uom = t.uom_id, m.erp_priority_score,"
                    " so.commitment_date, so.date_order, m.sale_line_id,"
                    " sol.erp_confirmed_date, sol.erp_confirmed_qty"
                    " FROM stock_move m"
                    " JOIN product_product p ON p.id = m.product_id"
                    " JOIN product_template t ON t.id = p.product_tmpl_id"
                    " LEFT JOIN sale_order_line sol ON sol.id = m.sale_line_id"
                    " LEFT JOIN procurement_group g ON g.id = m.group_id"
                    # the move's order: its line's, else its group's
                    " LEFT JOIN sale_order so"
                    "  ON so.id = COALESCE(sol.order_id, g.sale_id)"
                    " WHERE m.id = ANY(%s)",
                    moves.ids,
                )
            )
        }
        return {move: rows[move.id] for move in moves}

    def _erp_rows_by_product(self, rows):
        """{product: {move: row}} of ``rows`` ({move: row}), products and
        moves in the order of ``rows`` (as ``moves.grouped("product_id")``)."""
        by_id = {}
        for move, row in rows.items():
            by_id.setdefault(row.product_id, {})[move] = row
        products = self.env["product.product"].browse(list(by_id))
        return {product: by_id[product.id] for product in products}

    @staticmethod
    def _erp_row_key(row, move):
        """The serving key of ``move`` from its row, as the move's
        ``_erp_reservation_key``: higher scores first, then earlier delivery
        and order dates."""
        return (
            -row.score,
            row.commitment_date or datetime.max,
            row.date_order or datetime.max,
            move.id,
        )

    @staticmethod
    def _erp_reserved_qty(move, row, product):
        """What ``move`` reserves, in ``product``'s unit."""
        if row.same_uom:
            return row.quantity
        return move.product_uom._compute_quantity(
            row.quantity, product.uom_id, rounding_method="HALF-UP"
        )

    def _erp_free_qty(self, products):
        """{product: free quantity in the warehouse's stock location}, as
        the products' ``free_qty`` in that location (quantity minus reserved
        of its quants, rounded to the unit then to the field's digits), in
        one grouped read of the quants instead of the five quantity fields."""
        products = products.with_context(location=self.warehouse_id.lot_stock_id.id)
        domain_quant_loc = products._get_domain_locations()[0]
        quants = {
            product.id: (quantity, reserved)
            for product, quantity, reserved in self.env["stock.quant"]
            .with_context(active_test=False)
            ._read_group(
                [("product_id", "in", products.ids), *domain_quant_loc],
                ["product_id"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
        }
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        free = {}
        for product in products:
            quantity, reserved = quants.get(product.id, (0.0, 0.0))
            free[product] = float_round(
                float_round(
                    quantity - reserved, precision_rounding=product.uom_id.rounding
                ),
                precision_digits=digits,
            )
        return free

    def _plan(self, moves):
        """Plan the allocation: return one dict per move, in serving order."""
        self.ensure_one()
        rows = self._erp_move_rows(moves)
        by_product = self._erp_rows_by_product(rows)
        free = self._erp_free_qty(self.env["product.product"].concat(*by_product))
        plan = []
        for product, product_rows in by_product.items():
            rounding = product.uom_id.rounding
            reserved = {
                move: self._erp_reserved_qty(move, row, product)
                for move, row in product_rows.items()
            }
            demand = sum(row.product_qty for row in product_rows.values())
            pool = free[product] + sum(reserved.values())
            if not self.product_ids and (
                float_compare(demand, pool, precision_rounding=rounding) <= 0
            ):
                continue  # not short: nothing to arbitrate
            remaining = pool
            ordered = sorted(
                product_rows,
                key=lambda m, r=product_rows: self._erp_row_key(r[m], m),
            )
            for rank, move in enumerate(ordered, start=1):
                qty = product_rows[move].product_qty
                allocated = float_round(
                    max(min(qty, remaining), 0.0),
                    precision_rounding=rounding,
                )
                remaining -= allocated
                plan.append(
                    {
                        "move": move,
                        "product": product,
                        "rank": rank,
                        "demanded_qty": qty,
                        "reserved_before": reserved[move],
                        "allocated_qty": allocated,
                        "short_qty": qty - allocated,
                    }
                )
        return plan
