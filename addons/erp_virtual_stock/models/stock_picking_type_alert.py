# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    erp_stock_alert_count = fields.Integer(
        string="Stock Alerts",
        compute="_compute_erp_stock_alert_count",
        help="Open shortage alerts of the operation type's warehouse.",
    )

    def _compute_erp_stock_alert_count(self):
        counts = dict(
            self.env["erp.stock.alert"]._read_group(
                [
                    ("warehouse_id", "in", self.warehouse_id.ids),
                    ("state", "in", ("open", "in_progress")),
                ],
                groupby=["warehouse_id"],
                aggregates=["__count"],
            )
        )
        for picking_type in self:
            picking_type.erp_stock_alert_count = counts.get(
                picking_type.warehouse_id, 0
            )

    def action_open_erp_stock_alerts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_virtual_stock.erp_stock_alert_action"
        )
        action["domain"] = [("warehouse_id", "=", self.warehouse_id.id)]
        return action
