# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# the incoming horizon as a choice; stored as virtual_incoming_days (-1: all,
# 0: none, N: days), which the engine and the RPC clients read
INCOMING_MODES = [
    ("all", "All"),
    ("none", "Not Counted"),
    ("days", "Within N Days"),
]
DEFAULT_INCOMING_DAYS = 30


def incoming_mode(days):
    """The choice of a stored horizon."""
    if days < 0:
        return "all"
    return "days" if days > 0 else "none"


def incoming_days(mode, days):
    """The stored horizon of a choice (``days``: the current value, kept
    when it already is a number of days)."""
    if mode == "all":
        return -1
    if mode == "days":
        return days if days > 0 else DEFAULT_INCOMING_DAYS
    return 0


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
        "virtual stock. Stored value: -1 counts all incoming moves, 0 none "
        "(set it through Incoming Supply).",
    )
    virtual_incoming_mode = fields.Selection(
        INCOMING_MODES,
        "Incoming Supply",
        compute="_compute_virtual_incoming_mode",
        inverse="_inverse_virtual_incoming_mode",
        help="Which incoming supply counts in the virtual stock: all of it, "
        "none, or what is expected within a number of days.",
    )

    @api.depends("virtual_incoming_days")
    def _compute_virtual_incoming_mode(self):
        for warehouse in self:
            warehouse.virtual_incoming_mode = incoming_mode(
                warehouse.virtual_incoming_days
            )

    def _inverse_virtual_incoming_mode(self):
        for warehouse in self:
            days = incoming_days(
                warehouse.virtual_incoming_mode, warehouse.virtual_incoming_days
            )
            if days != warehouse.virtual_incoming_days:
                warehouse.virtual_incoming_days = days

    @api.onchange("virtual_incoming_mode")
    def _onchange_virtual_incoming_mode(self):
        for warehouse in self:
            warehouse.virtual_incoming_days = incoming_days(
                warehouse.virtual_incoming_mode, warehouse.virtual_incoming_days
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
