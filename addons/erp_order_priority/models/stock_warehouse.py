# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    erp_allocation_scheduled = fields.Boolean(
        string="Scheduled Allocation",
        help="Re-allocate scarce stock of this warehouse by order priority "
        "every night (Inventory ▸ Operations ▸ Allocate Scarce Stock).",
    )
