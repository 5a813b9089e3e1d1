# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PurchaseOrderLine(models.Model):
    """The stock alerts a purchase line replenishes: the other side of
    ``erp.stock.alert.purchase_line_ids`` (same table), so that approving
    suggestions links every new line to its alert in the lines' own batch
    creation."""

    _inherit = "purchase.order.line"

    erp_stock_alert_ids = fields.Many2many(
        "erp.stock.alert",
        "erp_stock_alert_purchase_line_rel",
        "line_id",
        "alert_id",
        string="Stock Alerts",
        readonly=True,
        copy=False,
        # the approvers of purchase suggestions and the alerts' readers; a
        # Purchase / User reading a line does not read the alerts
        groups="erp_virtual_stock.erp_virtual_stock_group_user,"
        "purchase.group_purchase_manager",
    )
