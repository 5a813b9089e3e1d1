# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportErpStockShortage(models.AbstractModel):
    _name = "report.erp_virtual_stock.report_erp_stock_shortage"
    _description = "Shortage Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        alerts = self.env["erp.stock.alert"].browse(docids)
        if not alerts:
            alerts = self.env["erp.stock.alert"].search(
                [("state", "in", ("open", "in_progress"))]
            )
        groups = [
            {"warehouse": warehouse, "alerts": warehouse_alerts.sorted("product_id")}
            for warehouse, warehouse_alerts in alerts.grouped("warehouse_id").items()
        ]
        return {
            "doc_ids": alerts.ids,
            "doc_model": "erp.stock.alert",
            "docs": alerts,
            "groups": groups,
        }
