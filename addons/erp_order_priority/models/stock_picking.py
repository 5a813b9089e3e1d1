# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    erp_priority_level = fields.Selection(
        related="sale_id.priority_level",
        string="Order Priority",
        help="Priority level of the sales order this transfer delivers.",
    )
