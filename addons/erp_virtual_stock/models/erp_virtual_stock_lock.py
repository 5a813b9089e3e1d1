# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class ErpVirtualStockLock(models.Model):
    """One row per (product, warehouse) that every change of virtual stock
    updates first.

    Odoo runs transactions in REPEATABLE READ: two transactions updating the
    same row cannot both commit, the second one gets a serialization failure
    and Odoo's RPC layer retries the whole request, which then sees the first
    one's commit. This is what prevents two concurrent confirmations from
    selling the same last units.
    """

    _name = "erp.virtual.stock.lock"
    _description = "Virtual Stock Serialization Row"
    _order = "id"
    _log_access = False

    product_id = fields.Many2one(
        "product.product", required=True, index=True, ondelete="cascade"
    )
    warehouse_id = fields.Many2one("stock.warehouse", required=True, ondelete="cascade")
    version = fields.Integer(default=1, required=True)

    _sql_constraints = [
        (
            "product_warehouse_uniq",
            "UNIQUE(product_id, warehouse_id)",
            "One serialization row per product and warehouse.",
        ),
    ]

    @api.model
    def _acquire(self, pairs, log_exceptions=True):
        """Insert or bump the rows of ``pairs`` ({(product_id, warehouse_id)}).

        Sorted to take the row locks in a stable order (no deadlock between
        two transactions touching the same pairs). ``log_exceptions=False``
        when the caller expects and handles a serialization failure (retries
        in a new transaction): it is then not logged as an error.
        """
        pairs = sorted(pairs)
        if not pairs:
            return
        self.env.cr.execute(
            SQL(
                "INSERT INTO erp_virtual_stock_lock AS l"
                " (product_id, warehouse_id, version)"
                " SELECT p, w, 1 FROM unnest(%(products)s::int[], %(whs)s::int[])"
                " AS t(p, w)"
                " ON CONFLICT (product_id, warehouse_id)"
                " DO UPDATE SET version = l.version + 1",
                products=[pair[0] for pair in pairs],
                whs=[pair[1] for pair in pairs],
            ),
            log_exceptions=log_exceptions,
        )
