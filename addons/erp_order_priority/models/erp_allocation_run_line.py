# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .erp_allocation_segment import STRATEGIES
from .sale_order import PRIORITY_LEVELS


class ErpAllocationRunLine(models.Model):
    _name = "erp.allocation.run.line"
    _description = "Scarce Stock Allocation Line"
    _order = "run_id, product_id, rank, id"

    run_id = fields.Many2one(
        "erp.allocation.run", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    move_id = fields.Many2one("stock.move", ondelete="set null")
    sale_line_id = fields.Many2one("sale.order.line", ondelete="set null")
    order_id = fields.Many2one(
        related="sale_line_id.order_id", string="Sales Order", store=True
    )
    partner_id = fields.Many2one(
        related="sale_line_id.order_id.partner_id", string="Customer", store=True
    )
    product_id = fields.Many2one("product.product", required=True)
    rank = fields.Integer(help="Serving order of the line for its product.")
    priority_score = fields.Integer()
    priority_level = fields.Selection(PRIORITY_LEVELS)
    commitment_date = fields.Datetime(string="Delivery Date")
    date_order = fields.Datetime(string="Order Date")
    demanded_qty = fields.Float(digits="Product Unit of Measure")
    reserved_before = fields.Float(digits="Product Unit of Measure")
    allocated_qty = fields.Float(digits="Product Unit of Measure")
    short_qty = fields.Float(digits="Product Unit of Measure")
    reserved_after = fields.Float(digits="Product Unit of Measure")
    reason = fields.Char(compute="_compute_reason")
    # backorder processing (runs with a variant or incoming supply)
    segment_id = fields.Many2one("erp.allocation.segment", ondelete="set null")
    strategy = fields.Selection(STRATEGIES)
    change_qty = fields.Float(
        string="Gain / Loss",
        digits="Product Unit of Measure",
        help="Reserved quantity the line gains (positive) or loses (negative).",
    )
    confirmed_qty = fields.Float(
        digits="Product Unit of Measure",
        help="Quantity confirmed to the line: from stock on hand and, with "
        "incoming supply, from what arrives by the confirmed date.",
    )
    confirmed_date = fields.Date(
        help="Day by which the confirmed quantity is available.",
    )
    confirmed_qty_before = fields.Float(
        string="Confirmed Before",
        digits="Product Unit of Measure",
        help="Quantity the line had before the run: reserved on hand plus "
        "what the last applied run confirmed it on incoming supply.",
    )
    gain_qty = fields.Float(
        string="Gain",
        digits="Product Unit of Measure",
        help="Confirmed quantity the line gains from the run.",
    )
    loss_qty = fields.Float(
        string="Loss",
        digits="Product Unit of Measure",
        help="Confirmed quantity the line loses in the run.",
    )
    promise_date_before = fields.Date(
        aggregator="max",
        help="Promise date of the order line before the run.",
    )
    promise_date_after = fields.Date(
        aggregator="max",
        help="Day the whole demand of the line is confirmed for (empty when "
        "it is not confirmed in full).",
    )
    date_shift_days = fields.Integer(
        string="Date Shift (Days)",
        aggregator="max",
        help="Days the promise date moves (positive: later).",
    )

    @api.depends("rank", "priority_score", "commitment_date", "date_order")
    def _compute_reason(self):
        for line in self:
            line.reason = self.env._(
                "#%(rank)s by score %(score)s, then delivery date %(commitment)s, "
                "then order date %(order)s",
                rank=line.rank,
                score=line.priority_score,
                commitment=line.commitment_date or "-",
                order=line.date_order or "-",
            )
