# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ErpStockAlertIgnore(models.TransientModel):
    _name = "erp.stock.alert.ignore"
    _description = "Ignore Stock Alerts"

    alert_ids = fields.Many2many("erp.stock.alert", required=True)
    reason = fields.Text(required=True, help="Why these alerts need no action.")

    def action_confirm(self):
        self.ensure_one()
        self.alert_ids._do_ignore(self.reason)
        return {"type": "ir.actions.act_window_close"}
