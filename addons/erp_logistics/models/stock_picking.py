# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# the groups with read access to shipments (ir.model.access.csv)
SHIPMENT_READERS = (
    "erp_logistics.erp_logistics_group_user,"
    "sales_team.group_sale_salesman,"
    "base.group_portal"
)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # only for the users who may read shipments: anyone else reading a
    # delivery (Inventory / User, Odoo's own read() of every field) would
    # meet the shipments' access rights
    erp_shipment_ids = fields.One2many(
        "erp.shipment",
        "picking_id",
        string="Shipments",
        groups=SHIPMENT_READERS,
    )
    erp_shipment_count = fields.Integer(
        string="Shipment Count",
        compute="_compute_erp_shipment_count",
        groups=SHIPMENT_READERS,
    )

    erp_carrier_warning = fields.Char(
        string="Carrier Warning",
        compute="_compute_erp_carrier_warning",
        help="Why this delivery to a customer has or will have no shipment.",
    )

    @api.depends("erp_shipment_ids")
    def _compute_erp_shipment_count(self):
        # the one2many is prefetched for the whole recordset: one query
        for picking in self:
            picking.erp_shipment_count = len(picking.erp_shipment_ids)

    def _erp_is_customer_delivery(self):
        """Whether this picking sends goods to a customer: the deliveries a
        shipment follows when they have a carrier."""
        self.ensure_one()
        return (
            self.picking_type_code == "outgoing"
            and self.location_dest_id.usage == "customer"
        )

    @api.depends("picking_type_code", "location_dest_id.usage", "carrier_id", "state")
    def _compute_erp_carrier_warning(self):
        for picking in self:
            if (
                picking.carrier_id
                or picking.state == "cancel"
                or not picking._erp_is_customer_delivery()
            ):
                picking.erp_carrier_warning = False
            elif picking.state == "done":
                picking.erp_carrier_warning = self.env._(
                    "This delivery was validated without a carrier: no shipment "
                    "was created, it is not tracked and the customer was not "
                    "told it left."
                )
            else:
                picking.erp_carrier_warning = self.env._(
                    "This delivery has no carrier: validating it creates no "
                    "shipment, so it will not be tracked and the customer will "
                    "not be told it left. Choose its carrier in the Additional "
                    "Info tab."
                )

    def _erp_check_carrier_required(self):
        """Refuse customer deliveries without a carrier in the companies that
        require one (setting *Require a Carrier for Customer Deliveries*)."""
        for picking in self:
            if (
                picking.company_id.erp_require_carrier
                and not picking.carrier_id
                and picking.state not in ("done", "cancel")
                and picking._erp_is_customer_delivery()
            ):
                raise UserError(
                    self.env._(
                        "Delivery %(picking)s goes to a customer but has no "
                        "carrier, and your company requires one: choose its "
                        "carrier in the Additional Info tab before validating, "
                        "so that a shipment is created and tracked.",
                        picking=picking.name,
                    )
                )

    def button_validate(self):
        # before Odoo's own checks and wizards (backorder, immediate transfer)
        self._erp_check_carrier_required()
        return super().button_validate()

    def _action_done(self):
        # validations that do not go through the button (e.g. other modules)
        self._erp_check_carrier_required()
        res = super()._action_done()
        self._erp_create_shipments()
        return res

    def _erp_create_shipments(self):
        """Create a shipped shipment for each validated outgoing delivery with
        a carrier that has none yet."""
        # Side effect of the validation, whose access Odoo has checked: the
        # warehouse worker validating (Inventory / User) needs no right on
        # shipments, so they are looked up and created as superuser (the uid
        # stays: the shipment and its message are the worker's).
        pickings = self.sudo().filtered(
            lambda p: p.state == "done"
            and p.picking_type_code == "outgoing"
            and p.carrier_id
            and not p.erp_shipment_ids
        )
        if pickings:
            self.env["erp.shipment"].sudo().create(
                [picking._prepare_erp_shipment_vals() for picking in pickings]
            )

    def _prepare_erp_shipment_vals(self):
        self.ensure_one()
        date_shipped = self.date_done or fields.Datetime.now()
        return {
            "picking_id": self.id,
            "company_id": self.company_id.id,
            "sale_order_id": self.sale_id.id,
            "partner_id": self.partner_id.id,
            "carrier_id": self.carrier_id.id,
            "tracking_number": self.carrier_tracking_ref or False,
            "state": "shipped",
            "date_shipped": date_shipped,
            # not the delivery's scheduled date, which is before the handover:
            # the shipment would be late from the start
            "date_expected": self.carrier_id._erp_expected_delivery(date_shipped),
        }

    def write(self, vals):
        res = super().write(vals)
        if vals.get("carrier_tracking_ref"):
            # the carrier's label may come after the validation: fill in the
            # shipments still without a tracking number.  Side effect of a
            # write Odoo has checked on the delivery, by a user who may have
            # no right on shipments (Inventory / User): as superuser.
            self.sudo().erp_shipment_ids.filtered(
                lambda s: not s.tracking_number
            ).write({"tracking_number": vals["carrier_tracking_ref"]})
        return res

    def action_view_erp_shipments(self):
        self.ensure_one()
        return self.erp_shipment_ids._erp_get_action()
