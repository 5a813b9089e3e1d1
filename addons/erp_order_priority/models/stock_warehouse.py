from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    erp_allocation_scheduled = fields.Boolean(
        string="Scheduled Allocation",
        help="Re-allocate scarce stock of this warehouse by order priority "
        "every night (Inventory ▸ Operations ▸ Allocate Scarce Stock).",
    )
