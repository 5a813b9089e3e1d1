# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .stock_picking import SHIPMENT_READERS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # only for the users who may read shipments: other readers of orders
    # (Inventory / User, Invoicing) would meet the shipments' access rights
    erp_shipment_ids = fields.One2many(
        "erp.shipment",
        "sale_order_id",
        string="Shipments",
        groups=SHIPMENT_READERS,
    )
    erp_shipment_count = fields.Integer(
        string="Shipment Count",
        compute="_compute_erp_shipment_count",
        groups=SHIPMENT_READERS,
    )

    @api.depends("erp_shipment_ids")
    def _compute_erp_shipment_count(self):
        # the one2many is prefetched for the whole recordset: one query
        for order in self:
            order.erp_shipment_count = len(order.erp_shipment_ids)

    def action_view_erp_shipments(self):
        self.ensure_one()
        return self.erp_shipment_ids._erp_get_action()
