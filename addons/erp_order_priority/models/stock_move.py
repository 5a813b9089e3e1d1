# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import api, fields, models

from .sale_order import STARRED_LEVELS


class StockMove(models.Model):
    _inherit = "stock.move"

    erp_priority_score = fields.Integer(
        string="Order Priority Score",
        compute="_compute_erp_priority_score",
        store=True,
        index=True,
        help="Priority score of the sales order: higher scores are reserved first.",
    )

    @api.depends(
        "sale_line_id.order_id.priority_score",
        "sale_line_id.order_id.priority_level",
        "group_id.sale_id.priority_score",
        "group_id.sale_id.priority_level",
    )
    def _compute_erp_priority_score(self):
        for move in self:
            order = move._erp_sale_order()
            move.erp_priority_score = (
                order._erp_effective_priority_score() if order else 0
            )

    def _erp_sale_order(self):
        self.ensure_one()
        return self.sale_line_id.order_id or self.group_id.sale_id[:1]

    def _erp_reservation_key(self):
        """Serving order of an allocation run: higher scores first, then
        earlier delivery and order dates."""
        self.ensure_one()
        order = self._erp_sale_order()
        return (
            -self.erp_priority_score,
            order.commitment_date or datetime.max,
            order.date_order or datetime.max,
            self.id,
        )

    def _get_new_picking_values(self):
        values = super()._get_new_picking_values()
        orders = self.sale_line_id.order_id | self.group_id.sale_id
        if any(level in STARRED_LEVELS for level in orders.mapped("priority_level")):
            values["priority"] = "1"
        return values

    def _action_assign(self, force_qty=False):
        # Higher scores are reserved first; among equal scores (moves of no
        # scored order included) the order Odoo's caller chose (priority,
        # deadline, date...) stands: the sort is stable and on the score only.
        moves = self
        if len(self) > 1 and len(set(self.mapped("erp_priority_score"))) > 1:
            moves = self.sorted(lambda move: -move.erp_priority_score)
        return super(StockMove, moves)._action_assign(force_qty=force_qty)

    def _account_analytic_entry_move(self):
        # stock_account calls this on ``move_lines.move_id`` after unlinking
        # the move lines, when the prefetch set of those moves is lost with
        # the cache: one query per move.  Prefetch them together.
        return super(StockMove, self.with_prefetch())._account_analytic_entry_move()
