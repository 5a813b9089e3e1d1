# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportVirtualStock(models.AbstractModel):
    _name = "report.erp_virtual_stock.report_virtual_stock"
    _description = "Virtual Stock Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        warehouses = self.env["stock.warehouse"].browse(docids)
        lines = self.env["erp.virtual.stock.report"].search(
            [("warehouse_id", "in", warehouses.ids)]
        )
        grouped = lines.grouped("warehouse_id")
        return {
            "doc_ids": docids,
            "doc_model": "stock.warehouse",
            "docs": warehouses,
            "lines": {
                warehouse.id: grouped.get(warehouse, lines.browse())
                for warehouse in warehouses
            },
        }
