# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .order_domain import parse_order_domain

# the confirmation strategies of backorder processing, as SAP names them
STRATEGIES = [
    ("win", "Win"),
    ("gain", "Gain"),
    ("redistribute", "Redistribute"),
    ("fill", "Fill"),
    ("lose", "Lose"),
]
# strategy of the lines outside every segment of a variant
DEFAULT_STRATEGY = "fill"


class ErpAllocationSegment(models.Model):
    _name = "erp.allocation.segment"
    _description = "Backorder Processing Segment"
    _order = "variant_id, sequence, id"

    variant_id = fields.Many2one(
        "erp.allocation.variant", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="variant_id.company_id", store=True)
    sequence = fields.Integer(
        default=10,
        help="Segments are matched in this order: a line belongs to the first "
        "segment whose domain it matches, and earlier segments are served first.",
    )
    name = fields.Char(required=True, translate=True)
    domain = fields.Char(
        default="[]",
        required=True,
        help="Which sales order lines belong to the segment (for instance the "
        "lines of gold customers, or of urgent orders).",
    )
    strategy = fields.Selection(
        STRATEGIES,
        required=True,
        default="redistribute",
        help="Win: confirmed in full, taking from lower strategies if needed. "
        "Gain: keeps what it has reserved and may get more. Redistribute: may "
        "get more or lose in favour of the segments above. Fill: keeps what it "
        "has reserved, never gets more. Lose: gives everything back.",
    )

    @api.constrains("domain")
    def _check_domain(self):
        for segment in self:
            segment._get_domain(check=True)

    def _get_domain(self, check=False):
        """The segment's domain on sale.order.line as a list; with ``check``,
        also run it once so that unknown fields are refused too."""
        return parse_order_domain(self, check=check, model="sale.order.line")
