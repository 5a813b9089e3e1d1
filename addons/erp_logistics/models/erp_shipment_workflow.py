# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class ErpShipment(models.Model):
    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "erp.shipment"  # pylint: disable=consider-merging-classes-inherited

    def action_ship(self):
        """Mark draft shipments as shipped (handed over to the carrier)."""
        if any(s.state != "draft" for s in self):
            raise UserError(self.env._("Only draft shipments can be shipped."))
        now = fields.Datetime.now()
        for shipment in self:
            vals = {"state": "shipped", "date_shipped": now}
            if not shipment.date_expected and shipment.carrier_id:
                vals["date_expected"] = shipment.carrier_id._erp_expected_delivery(now)
            shipment.write(vals)

    def action_cancel(self):
        if any(s.state in ("delivered", "returned") for s in self):
            raise UserError(
                self.env._("Delivered or returned shipments cannot be cancelled.")
            )
        self.write({"state": "cancelled"})

    def action_reset_draft(self):
        if any(s.state != "cancelled" for s in self):
            raise UserError(
                self.env._("Only cancelled shipments can be reset to draft.")
            )
        self.write({"state": "draft", "state_event_time": False})

    def action_print_label(self):
        """Print the shipping label (快递面单) handed over with the parcel."""
        self._erp_check_label_printable()
        # config=False: the label has no company document layout to set up
        return self.env.ref(
            "erp_logistics.action_report_erp_shipment_label"
        ).report_action(self, config=False)

    def _erp_check_label_printable(self):
        """A courier scans the tracking number: no label without one."""
        missing = self.filtered(lambda s: not (s.tracking_number or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "A shipping label needs the carrier's tracking number: enter "
                    "it on shipment(s) %(shipments)s before printing.",
                    shipments=", ".join(missing.mapped("name")),
                )
            )

    def _erp_get_action(self):
        """Window action showing these shipments (form view for a single one)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_logistics.erp_shipment_action"
        )
        if len(self) == 1:
            action.update(views=[(False, "form")], res_id=self.id)
        else:
            # all of them: without the default filter on open shipments
            action.update(domain=[("id", "in", self.ids)], context={})
        return action

    def action_preview(self):
        """Open the customer's tracking page of the shipment."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": self.get_portal_url(),
        }

    def _erp_get_tracking_link(self):
        """Absolute public tracking link (with the access token) of the
        shipment, as printed in the QR code and sent in the emails."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_logistics.erp_shipment_event_action"
        )
        action["domain"] = [("shipment_id", "=", self.id)]
        action["context"] = {"default_shipment_id": self.id}
        return action
