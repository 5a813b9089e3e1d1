# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import groupby


class ErpShipment(models.Model):
    """The courier of a shipment sent through a tracking service: the
    carrier's courier code, or the one the service recognised from the
    tracking number (快递100 ``autonumber``)."""

    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "erp.shipment"  # pylint: disable=consider-merging-classes-inherited

    erp_courier_code = fields.Char(
        string="Courier Code",
        copy=False,
        tracking=True,
        groups="erp_logistics.erp_logistics_group_user",
        help="The tracking service's code of the courier of this parcel "
        "(快递100 shunfeng, yuantong...). Empty: the delivery method's courier "
        "code; when that is empty too, the service recognises the courier "
        "from the tracking number before registering or querying it.",
    )
    erp_courier_id = fields.Many2one(
        "erp.courier.code",
        string="Courier",
        compute="_compute_erp_courier_id",
        groups="erp_logistics.erp_logistics_group_user",
        help="The courier of the code, from the courier code mapping.",
    )
    erp_can_detect_courier = fields.Boolean(
        string="Can Recognise Courier",
        compute="_compute_erp_can_detect_courier",
        groups="erp_logistics.erp_logistics_group_user",
    )

    @api.depends("carrier_id")
    def _compute_erp_can_detect_courier(self):
        for shipment in self:
            # sudo: the provider is readable by logistics administrators only
            provider = shipment.carrier_id.sudo().tracking_provider
            shipment.erp_can_detect_courier = bool(
                provider
                and hasattr(shipment.carrier_id, f"_erp_tracking_detect_{provider}")
            )

    @api.depends("erp_courier_code", "carrier_id")
    def _compute_erp_courier_id(self):
        Mapping = self.env["erp.courier.code"]
        # sudo: the provider is readable by logistics administrators only
        for provider, group in groupby(
            self, key=lambda s: s.carrier_id.sudo().tracking_provider
        ):
            shipments = self.browse([s.id for s in group])
            codes = shipments.carrier_id._erp_courier_codes(shipments)
            mappings = {
                m.code: m for m in Mapping._erp_find(provider, codes=codes.values())
            }
            for shipment in shipments:
                mapping = mappings.get(codes.get(shipment.id))
                # sudo above: read back in the user's environment
                shipment.erp_courier_id = mapping.id if mapping else False

    def action_erp_detect_courier(self):
        """Ask the carrier's tracking service which courier the tracking
        number belongs to and store it (快递100 ``autonumber``)."""
        # a call to the carrier's (paid) API and a write of the shipments:
        # for those who may change them, not for their readers
        self.check_access("write")
        todo = self.filtered("tracking_number")
        if not todo:
            raise UserError(self.env._("The shipment has no tracking number."))
        found = todo._erp_detect_couriers(force=True)
        missing = todo.filtered(lambda s: s.id not in found)
        if missing:
            raise UserError(
                self.env._(
                    "The tracking service did not recognise the courier of "
                    "%(numbers)s; set the courier code by hand.",
                    numbers=", ".join(missing.mapped("tracking_number")),
                )
            )
        return True

    def _erp_detect_couriers(self, force=False):
        """Recognise the courier of the shipments without a courier code
        (theirs, their carrier's or the mapping's; all of them with
        ``force``) through their carrier's tracking service, and store it.

        :return: ``{shipment id: courier code}`` of the recognised shipments
        """
        found = {}
        for carrier, group in groupby(self, key=lambda s: s.carrier_id):
            shipments = self.browse([s.id for s in group])
            provider = carrier.sudo().tracking_provider
            method = getattr(carrier, f"_erp_tracking_detect_{provider}", None)
            if not method:
                continue
            if not force:
                codes = carrier._erp_courier_codes(shipments)
                shipments = shipments.filtered(lambda s, c=codes: not c.get(s.id))
            numbers = set(
                shipments.filtered("tracking_number").mapped("tracking_number")
            )
            if not numbers:
                continue
            detected = method(sorted(numbers))
            # sudo: bookkeeping done for whoever polls or registers
            for shipment in shipments.sudo():
                code = detected.get(shipment.tracking_number)
                if code:
                    found[shipment.id] = code
                    if shipment.erp_courier_code != code:
                        shipment.erp_courier_code = code
        return found
