# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .product_product_engine import OPEN_MOVE_STATES

# fields of stock.move whose change can move the virtual stock
TRACKED_MOVE_FIELDS = {
    "product_id",
    "product_uom_qty",
    "product_uom",
    "location_id",
    "location_dest_id",
    "location_final_id",
    "state",
    "date",
}


class StockMove(models.Model):
    _inherit = "stock.move"

    def _erp_virtual_stock_pairs(self):
        """{(product_id, warehouse_id)} the moves can change."""
        pairs = set()
        for move in self:
            if not move.product_id.is_storable:
                continue
            warehouses = (
                move.location_id.warehouse_id
                | move.location_dest_id.warehouse_id
                | move.location_final_id.warehouse_id
            )
            pairs.update((move.product_id.id, wh.id) for wh in warehouses)
        return pairs

    def _erp_virtual_stock_event(self):
        """Ledger event of moves changed outside of an order operation."""
        codes = set(self.picking_type_id.mapped("code"))
        if codes == {"outgoing"}:
            return "delivered"
        if codes == {"incoming"}:
            return "received"
        return "transfer"

    def _erp_virtual_stock_source(self):
        return self.picking_id[:1] or self[:1]

    def _erp_track(self):
        ledger = self.env["erp.virtual.stock.ledger"]
        return ledger._erp_operation(
            self._erp_virtual_stock_event(),
            source=self._erp_virtual_stock_source(),
            pairs=self._erp_virtual_stock_pairs(),
        )

    @api.model
    def _erp_pairs_from_vals(self, vals_list):
        Location = self.env["stock.location"]
        pairs = set()
        for vals in vals_list:
            product = self.env["product.product"].browse(vals.get("product_id"))
            if not product.is_storable:
                continue
            locations = Location.browse(
                [
                    vals[fname]
                    for fname in (
                        "location_id",
                        "location_dest_id",
                        "location_final_id",
                    )
                    if vals.get(fname)
                ]
            )
            pairs.update((product.id, wh.id) for wh in locations.warehouse_id)
        return pairs

    @api.model_create_multi
    def create(self, vals_list):
        if all(vals.get("state", "draft") == "draft" for vals in vals_list):
            return super().create(vals_list)
        # moves created directly in an open or done state (e.g. inventory
        # adjustments) change the virtual stock at once
        ledger = self.env["erp.virtual.stock.ledger"]
        owner = ledger._erp_current_operation() is None
        with ledger._erp_operation(
            "transfer", pairs=self._erp_pairs_from_vals(vals_list)
        ) as operation:
            moves = super(StockMove, operation.bind(self)).create(vals_list)
            if owner:
                operation.event = moves._erp_virtual_stock_event()
                operation.source = moves._erp_virtual_stock_source()
            return moves

    def _action_confirm(self, merge=True, merge_into=False):
        with self._erp_track() as operation:
            return super(StockMove, operation.bind(self))._action_confirm(
                merge=merge, merge_into=merge_into
            )

    def _action_cancel(self):
        with self._erp_track() as operation:
            return super(StockMove, operation.bind(self))._action_cancel()

    def _action_done(self, cancel_backorder=False):
        with self._erp_track() as operation:
            return super(StockMove, operation.bind(self))._action_done(
                cancel_backorder=cancel_backorder
            )

    def _erp_pairs_after_write(self, vals):
        """Pairs the moves will touch once ``vals`` are written."""
        Location = self.env["stock.location"]
        pairs = set()
        for move in self:
            product = (
                self.env["product.product"].browse(vals["product_id"])
                if vals.get("product_id")
                else move.product_id
            )
            if not product.is_storable:
                continue
            locations = Location
            for fname in ("location_id", "location_dest_id", "location_final_id"):
                locations |= (
                    Location.browse(vals[fname]) if fname in vals else move[fname]
                )
            pairs.update((product.id, wh.id) for wh in locations.warehouse_id)
        return pairs

    def write(self, vals):
        tracked = TRACKED_MOVE_FIELDS & set(vals)
        if not tracked:
            return super().write(vals)
        if tracked == {"state"} and (
            vals["state"] in OPEN_MOVE_STATES
            and all(move.state in OPEN_MOVE_STATES for move in self)
        ):
            # reservation steps: the demand stays open, no change
            return super().write(vals)
        open_moves = self.filtered(lambda m: m.state not in ("draft", "done", "cancel"))
        if not open_moves and "state" not in vals:
            return super().write(vals)
        with self._erp_track() as operation:
            moves = operation.bind(self)
            if tracked & {"product_id", "location_id", "location_dest_id"} or (
                "location_final_id" in tracked
            ):
                moves.env["erp.virtual.stock.ledger"]._erp_watch(
                    moves._erp_pairs_after_write(vals)
                )
            return super(StockMove, moves).write(vals)
