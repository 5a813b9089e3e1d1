# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ErpAllocationVariant(models.Model):
    """A reusable definition of backorder processing (SAP's BOP variant):
    the ordered segments of sales order lines and the confirmation strategy
    of each."""

    _name = "erp.allocation.variant"
    _description = "Backorder Processing Variant"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Warehouse of the runs made with this variant by default.",
    )
    segment_ids = fields.One2many(
        "erp.allocation.segment", "variant_id", string="Segments", copy=True
    )
    description = fields.Text(translate=True)

    def _segment_of_lines(self, sale_lines):
        """{sale line id: segment} of the first segment each line matches
        (lines matching none are left out): one search per segment."""
        self.ensure_one()
        result = {}
        remaining = set(sale_lines.ids)
        for segment in self.segment_ids.sorted(lambda s: (s.sequence, s.id)):
            if not remaining:
                break
            # sudo: a run classifies every open line of the warehouse, also
            # the orders of other salespeople than its user's
            matched = (
                self.env["sale.order.line"]
                .sudo()
                .with_context(active_test=False)
                .search([("id", "in", list(remaining)), *segment._get_domain()])
            )
            for line_id in matched.ids:
                result[line_id] = segment
            remaining -= set(matched.ids)
        return result
