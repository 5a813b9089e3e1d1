# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_compare, float_round

from .erp_allocation_segment import DEFAULT_STRATEGY


class ErpAllocationRun(models.Model):
    """Backorder processing: a run with a variant (segments and their
    confirmation strategies) or with incoming supply confirms each line a
    quantity and a date, as SAP's backorder processing does."""

    _inherit = "erp.allocation.run"  # pylint: disable=consider-merging-classes-inherited

    variant_id = fields.Many2one(
        "erp.allocation.variant",
        string="Variant",
        check_company=True,
        tracking=True,
        help="Segments of order lines and their confirmation strategies. "
        "Without a variant every line competes by priority (Redistribute).",
    )
    include_incoming = fields.Boolean(
        string="Include Incoming Supply",
        tracking=True,
        help="Confirm lines from incoming receipts (within the warehouse "
        "horizon) and manual virtual-stock entries by their dates, not only "
        "from the stock on hand: each line gets a confirmed date.",
    )

    def _erp_is_backorder_processing(self):
        """Whether the run confirms quantities and dates by strategy (and
        writes the confirmed dates on the order lines when applied)."""
        self.ensure_one()
        return bool(self.variant_id or self.include_incoming)

    def _plan(self, moves):
        if not self._erp_is_backorder_processing():
            return super()._plan(moves)
        return self._plan_by_strategy(moves)

    def _plan_by_strategy(self, moves):
        """The plan of a backorder processing run: one dict per move (as
        ``_plan``) with the strategy, the confirmed quantity and date, and
        the promise dates of the order line before and after."""
        self.ensure_one()
        rows = self._erp_move_rows(moves)
        by_product = self._erp_rows_by_product(rows)
        free = self._erp_free_qty(self.env["product.product"].concat(*by_product))
        segments = (
            self.variant_id._segment_of_lines(
                self.env["sale.order.line"].browse(
                    list(
                        dict.fromkeys(
                            row.sale_line_id
                            for row in rows.values()
                            if row.sale_line_id
                        )
                    )
                )
            )
            if self.variant_id
            else {}
        )
        default = DEFAULT_STRATEGY if self.variant_id else "redistribute"
        plan = []
        reserved = {}
        pools = {}
        for product, product_rows in by_product.items():
            for move, row in product_rows.items():
                reserved[move] = self._erp_reserved_qty(move, row, product)
            pools[product] = free[product] + sum(
                reserved[move] for move in product_rows
            )
        to_plan = {}
        for product, product_rows in by_product.items():
            segment_of = {
                move: segments.get(row.sale_line_id)
                for move, row in product_rows.items()
            }
            strategy_of = {
                move: segment_of[move].strategy if segment_of[move] else default
                for move in product_rows
            }
            demand = sum(row.product_qty for row in product_rows.values())
            short = (
                float_compare(
                    demand, pools[product], precision_rounding=product.uom_id.rounding
                )
                > 0
            )
            if self.product_ids or short or "lose" in strategy_of.values():
                to_plan[product] = (product_rows, segment_of, strategy_of)
        supply = self._erp_supply_buckets(
            self.env["product.product"].concat(*to_plan), pools
        )
        # The date before is the one the last applied run confirmed (stored
        # on the order line, read with the moves; the line's promise date),
        # not the engine's estimate of unconfirmed lines: computing that for
        # every line cost 60 % of a 10,000-line simulation, and nothing was
        # promised by a run to tell the customer about
        held_future = self._erp_held_future(to_plan, reserved)
        for product, (product_rows, segment_of, strategy_of) in to_plan.items():
            rounding = product.uom_id.rounding
            ordered = sorted(
                product_rows,
                key=lambda m, s=segment_of, r=product_rows: (
                    (0, s[m].sequence, s[m].id) if s[m] else (1, 0, 0),
                    self._erp_row_key(r[m], m),
                ),
            )
            result = self._erp_confirm_by_strategy(
                [
                    {
                        "key": move,
                        "strategy": strategy_of[move],
                        "demand": product_rows[move].product_qty,
                        "held": reserved[move],
                        "held_future": held_future.get(move, 0.0),
                    }
                    for move in ordered
                ],
                supply[product],
                rounding,
            )
            for rank, move in enumerate(ordered, start=1):
                row = product_rows[move]
                confirmed = result[move]
                covered = (
                    float_compare(
                        confirmed["confirmed"],
                        row.product_qty,
                        precision_rounding=rounding,
                    )
                    >= 0
                )
                plan.append(
                    {
                        "move": move,
                        "product": product,
                        "rank": rank,
                        "demanded_qty": row.product_qty,
                        "reserved_before": reserved[move],
                        "allocated_qty": confirmed["on_hand"],
                        "short_qty": row.product_qty - confirmed["on_hand"],
                        "segment": segment_of[move],
                        "strategy": strategy_of[move],
                        "confirmed_qty": confirmed["confirmed"],
                        "confirmed_qty_before": reserved[move]
                        + held_future.get(move, 0.0),
                        "confirmed_date": confirmed["date"],
                        "promise_date_before": row.confirmed_date or False,
                        "promise_date_after": confirmed["date"] if covered else False,
                    }
                )
        return plan

    def _erp_held_future(self, to_plan, reserved):
        """{move: quantity} its order line holds on future supply: what the
        last applied run confirmed to the line beyond what is delivered and
        reserved on hand (in the product's unit), given to the line's moves
        in order up to their open demand. Only Gain and Fill lines keep it
        (``_erp_confirm_by_strategy``)."""
        result = {}
        Move = self.env["stock.move"]
        for product_rows, _segments, _strategies in to_plan.values():
            # the moves of lines with a confirmation (known from the rows)
            confirmed = Move.concat(
                *(
                    move
                    for move, row in product_rows.items()
                    if row.confirmed_date and row.confirmed_qty
                )
            )
            # sudo: the confirmations of every planned line, also of orders
            # of other salespeople than the run's user
            for line, moves in confirmed.grouped("sale_line_id").items():
                line = line.sudo()
                if not line.erp_confirmed_date or not line.erp_confirmed_qty:
                    continue
                uom = line.product_id.uom_id
                left = line.product_uom._compute_quantity(
                    line.erp_confirmed_qty - line.qty_delivered, uom, round=False
                ) - sum(reserved[move] for move in moves)
                for move in moves.sorted("id"):
                    qty = min(max(left, 0.0), move.product_qty - reserved[move])
                    if float_compare(qty, 0.0, precision_rounding=uom.rounding) > 0:
                        result[move] = qty
                        left -= qty
        return result

    @api.model
    def _erp_confirm_by_strategy(self, lines, buckets, rounding):
        """Confirm ``lines`` (dicts with ``key``, ``strategy``, ``demand``
        and ``held``, the quantity reserved today, in serving order) from
        ``buckets`` ([date, qty, reservable] in date order, consumed).

        As in SAP's backorder processing: what Gain and Fill lines hold
        stays theirs, on hand and, with ``held_future`` (what an applied
        run confirmed them on incoming supply), from the incoming supply in
        date order; Win lines are then confirmed in full where supply
        allows (taking what Redistribute and Lose lines held); Gain and
        Redistribute lines then share the rest in serving order; Fill lines
        get no more and Lose lines nothing. Returns {key: {"on_hand": qty
        from the reservable bucket, "confirmed": qty, "date": date of the
        last bucket used or False}}."""
        result = {
            line["key"]: {"on_hand": 0.0, "confirmed": 0.0, "date": False}
            for line in lines
        }

        def take(line, qty, future_only=False):
            confirmed = result[line["key"]]
            for bucket in buckets:
                # exact zeros first: most buckets and needs are used up
                if (
                    qty == 0.0
                    or float_compare(qty, 0.0, precision_rounding=rounding) <= 0
                ):
                    break
                if (
                    (future_only and bucket[2])
                    or bucket[1] == 0.0
                    or float_compare(bucket[1], 0.0, precision_rounding=rounding) <= 0
                ):
                    continue
                taken = float_round(min(bucket[1], qty), precision_rounding=rounding)
                bucket[1] -= taken
                qty -= taken
                confirmed["confirmed"] += taken
                if bucket[2]:
                    confirmed["on_hand"] += taken
                confirmed["date"] = max(confirmed["date"] or bucket[0], bucket[0])

        def of(*strategies):
            return [line for line in lines if line["strategy"] in strategies]

        for line in of("gain", "fill"):
            take(line, min(line["held"], line["demand"]))
        for line in of("gain", "fill"):
            open_qty = line["demand"] - result[line["key"]]["confirmed"]
            take(line, min(line.get("held_future", 0.0), open_qty), future_only=True)
        for line in of("win"):
            take(line, line["demand"])
        for line in of("gain", "redistribute"):
            take(line, line["demand"] - result[line["key"]]["confirmed"])
        return result
