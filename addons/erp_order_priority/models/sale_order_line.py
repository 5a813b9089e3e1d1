# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleOrderLine(models.Model):
    """The confirmation an applied backorder processing run gave the line:
    its quantity and date, which become the line's promise date."""

    _inherit = "sale.order.line"

    erp_confirmed_qty = fields.Float(
        string="Confirmed Quantity",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="Quantity confirmed to the line by the last applied backorder "
        "processing run, what was delivered included, in the line's unit.",
    )
    erp_confirmed_date = fields.Date(
        string="Confirmed Date",
        readonly=True,
        copy=False,
        help="Day the last applied backorder processing run confirmed the "
        "line's quantity for; it is the line's promise date.",
    )

    @api.depends("erp_confirmed_date")
    def _compute_erp_virtual_stock(self):
        """The promise date of a line confirmed by backorder processing is
        its confirmed date."""
        result = super()._compute_erp_virtual_stock()
        for line in self:
            if line.erp_confirmed_date:
                line.promise_date = line.erp_confirmed_date
        return result

    def write(self, vals):
        # a confirmation holds for the quantity and product it was given to
        if {"product_id", "product_uom_qty", "product_uom"} & set(vals) and (
            "erp_confirmed_date" not in vals
        ):
            confirmed = self.filtered("erp_confirmed_date")
            result = super().write(vals)
            if confirmed:
                confirmed.write({"erp_confirmed_qty": 0.0, "erp_confirmed_date": False})
            return result
        return super().write(vals)
