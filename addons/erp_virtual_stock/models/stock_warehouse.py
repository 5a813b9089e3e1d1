# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    virtual_stock_policy = fields.Selection(
        [("allow", "Allow"), ("warn", "Warn"), ("block", "Block")],
        required=True,
        default="warn",
        help="What happens when an order asks for more than the virtual stock: "
        "Allow confirms silently; Warn shows the shortage to the user but never "
        "blocks (RPC and automation confirm); Block refuses the confirmation.",
    )
    virtual_incoming_days = fields.Integer(
        "Incoming Horizon (Days)",
        default=-1,
        required=True,
        help="Incoming supply expected within this many days counts in the "
        "virtual stock: -1 counts all incoming moves, 0 none.",
    )

    @api.constrains("virtual_incoming_days")
    def _check_virtual_incoming_days(self):
        for warehouse in self:
            if warehouse.virtual_incoming_days < -1:
                raise ValidationError(
                    self.env._(
                        "The incoming horizon of %(warehouse)s must be -1 (all),"
                        " 0 (none) or a number of days.",
                        warehouse=warehouse.display_name,
                    )
                )
