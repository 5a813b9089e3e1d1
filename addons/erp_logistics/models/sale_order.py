from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    erp_shipment_ids = fields.One2many(
        "erp.shipment", "sale_order_id", string="Shipments"
    )
    erp_shipment_count = fields.Integer(
        string="Shipment Count", compute="_compute_erp_shipment_count"
    )

    @api.depends("erp_shipment_ids")
    def _compute_erp_shipment_count(self):
        counts = dict(
            self.env["erp.shipment"]._read_group(
                [("sale_order_id", "in", self.ids)],
                groupby=["sale_order_id"],
                aggregates=["__count"],
            )
        )
        for order in self:
            order.erp_shipment_count = counts.get(order, 0)

    def action_view_erp_shipments(self):
        self.ensure_one()
        return self.erp_shipment_ids._erp_get_action()
