# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import models
from odoo.tools import float_compare, float_round

from .stock_quant import DeferredReservations


class ErpAllocationRun(models.Model):
    """Applying a plan: re-reserve the moves whose share changes, in one
    batch where Odoo's reservation would do the same, through
    ``_action_assign`` otherwise."""

    _inherit = "erp.allocation.run"  # pylint: disable=consider-merging-classes-inherited

    def _apply(self, plan):
        """Re-reserve the moves whose reservation changes: unreserve them all
        at once, then reserve each the quantity planned for it, in serving
        order.  Simple moves (untracked product in its own unit, stock
        reserved from plain quants) get their move lines created in one batch
        from the planned quantities; the others go through Odoo's
        ``_action_assign`` (which serves them by priority too)."""
        Move = self.env["stock.move"]
        changed = [
            item
            for item in plan
            if float_compare(
                item["allocated_qty"],
                item["reserved_before"],
                precision_rounding=item["move"].product_id.uom_id.rounding,
            )
        ]
        if not changed:
            return Move
        moves = Move.browse([item["move"].id for item in changed])
        # quants by product and exact location: the move lines' unlink and
        # create find their quants without a search each, and the quants'
        # reservation is written once per quant, not once per move line
        quants_cache = self.env["stock.quant"]._get_quants_by_products_locations(
            moves.product_id, moves.location_id
        )
        Quant = self.env["stock.quant"].with_context(quants_cache=quants_cache)
        deferred = DeferredReservations()
        moves.with_context(
            quants_cache=quants_cache, erp_deferred_reservations=deferred
        )._do_unreserve()
        Quant._erp_apply_deferred_reservations(deferred)
        to_reserve = [
            item
            for item in changed
            if float_compare(
                item["allocated_qty"],
                0,
                precision_rounding=item["move"].product_id.uom_id.rounding,
            )
            > 0
        ]
        line_vals, fallback = self._reservation_line_vals(to_reserve, quants_cache)
        if line_vals:
            lines = (
                self.env["stock.move.line"]
                .with_context(
                    quants_cache=quants_cache, erp_deferred_reservations=deferred
                )
                .create(line_vals)
            )
            Quant._erp_apply_deferred_reservations(deferred)
            # what _action_assign does after reserving
            if not self.env.context.get("bypass_entire_pack"):
                lines.picking_id._check_entire_pack()
            lines._apply_putaway_strategy()
        if fallback:
            fallback._action_assign()
        return moves

    def _reservation_line_vals(self, items, quants_cache):
        """Move line values reserving ``allocated_qty`` for each item's move
        (items in serving order per product), taken from the product's quants
        (``quants_cache``, by product and location) in removal order, and the
        moves left to Odoo's ``_action_assign``."""
        Move = self.env["stock.move"]
        Quant = self.env["stock.quant"].with_context(quants_cache=quants_cache)
        Quant._erp_prefetch_cache()
        quants_of = {}
        for (product_id, *_key), quants in quants_cache.items():
            quants_of[product_id] = quants_of.get(product_id, Quant) | quants
        fallback = Move
        line_vals = []
        by_product = {}
        for item in items:
            by_product.setdefault(item["move"].product_id, []).append(item)
        for product, product_items in by_product.items():
            moves = Move.concat(*(item["move"] for item in product_items))
            rounding = product.uom_id.rounding
            quants = self._removal_order(
                product, moves.location_id, quants_of.get(product.id, Quant)
            )
            if quants is None or not self._can_reserve_directly(product, moves, quants):
                fallback |= moves
                continue
            free = {quant: quant.quantity - quant.reserved_quantity for quant in quants}
            for item in product_items:
                move = item["move"]
                need = item["allocated_qty"] - move.quantity
                for quant in quants:
                    if float_compare(need, 0, precision_rounding=rounding) <= 0:
                        break
                    if float_compare(
                        free[quant], 0, precision_rounding=rounding
                    ) <= 0 or not quant.location_id._child_of(move.location_id):
                        continue
                    taken = float_round(
                        min(free[quant], need), precision_rounding=rounding
                    )
                    free[quant] -= taken
                    need -= taken
                    line_vals.append(
                        move._prepare_move_line_vals(
                            quantity=taken, reserved_quant=quant
                        )
                    )
        return line_vals, fallback

    def _removal_order(self, product, locations, quants):
        """``quants`` sorted as ``stock.quant._gather`` would return them for
        moves from ``locations`` (removal strategy of the product or
        location), or None when the locations' strategies differ or are not
        reproduced here (least packages, or added by other modules)."""
        strategies = {
            quants._get_removal_strategy(product, location) for location in locations
        }
        if len(strategies) != 1:
            return None
        strategy = strategies.pop()
        if strategy in ("fifo", "lifo"):
            # in_date ASC, id (fifo) or in_date DESC, id DESC (lifo); SQL puts
            # missing dates last ascending and first descending
            return quants.sorted(
                lambda q: (not q.in_date, q.in_date or datetime.min, q.id),
                reverse=strategy == "lifo",
            )
        if strategy == "closest":
            return quants.sorted(lambda q: (q.location_id.complete_name, -q.id))
        return None

    def _can_reserve_directly(self, product, moves, quants):
        """Whether the plan can be reserved by creating plain move lines:
        what Odoo's reservation would do, without its special cases (lots and
        serials, packagings reserved in full, least-packages removal, negative
        quants, chained or make-to-order moves, moves in another unit)."""
        rounding = product.uom_id.rounding
        if product.tracking != "none" or self.env.context.get("with_expiration"):
            return False
        if any(
            float_compare(
                quant.quantity - quant.reserved_quantity,
                0,
                precision_rounding=rounding,
            )
            < 0
            for quant in quants
        ):
            return False
        return not any(
            move.product_uom != product.uom_id
            or move.move_orig_ids
            or move.procure_method != "make_to_stock"
            or move.package_level_id
            or move._should_bypass_reservation()
            or (
                move.product_packaging_id
                and product.categ_id.packaging_reserve_method == "full"
            )
            for move in moves
        )
