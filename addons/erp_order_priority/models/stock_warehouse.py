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
    erp_allocation_variant_id = fields.Many2one(
        "erp.allocation.variant",
        string="Scheduled Variant",
        check_company=True,
        help="Backorder processing variant of the scheduled runs (none: every "
        "line competes by priority).",
    )
    erp_allocation_include_incoming = fields.Boolean(
        string="Scheduled Runs Include Incoming Supply",
        help="Scheduled runs confirm lines from incoming supply by date too, "
        "and write the confirmed dates on the order lines.",
    )
