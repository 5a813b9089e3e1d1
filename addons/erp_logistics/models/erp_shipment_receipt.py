# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hmac
import secrets
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import hmac as hmac_digest

from .erp_shipment import RECEIPT_STATUS

# the one-time code that lets whoever holds the tracking link confirm the
# receipt, when it reached the customer's mailbox: valid 15 minutes, 5 tries,
# a new one at most every minute
RECEIPT_CODE_VALIDITY = timedelta(minutes=15)
RECEIPT_CODE_TRIES = 5
RECEIPT_CODE_INTERVAL = timedelta(minutes=1)
RECEIPT_CODE_TEMPLATE = "erp_logistics.mail_template_shipment_receipt_code"


class ErpShipment(models.Model):
    """Proof of delivery that only the customer gives: the receipt confirmed
    by the signed-in customer, or by whoever proves to read the customer's
    mailbox (a one-time code), with an optional photo and signature."""

    # one job per file (docs/ARCHITECTURE.md): not merged into one class
    _inherit = "erp.shipment"  # pylint: disable=consider-merging-classes-inherited

    pod_photo = fields.Image(
        string="Delivery Photo",
        copy=False,
        max_width=1920,
        max_height=1920,
        help="Photo of the goods received, attached by the customer when "
        "confirming the receipt.",
    )
    erp_receipt_code_digest = fields.Char(copy=False, groups="base.group_system")
    erp_receipt_code_sent_at = fields.Datetime(copy=False, groups="base.group_system")
    erp_receipt_code_tries = fields.Integer(copy=False, groups="base.group_system")

    def _erp_receipt_code_hash(self, code):
        # keyed with the database secret: the digest alone gives no code
        return hmac_digest(self.env(su=True), "erp_receipt_code", f"{self.id}:{code}")

    def _erp_send_receipt_code(self):
        """Email the customer a one-time code confirming the receipt without
        signing in. Raises a translated UserError when it cannot be sent."""
        self.ensure_one()
        # sudo: the code fields are for system users only; whoever holds the
        # tracking link asks, the code goes to the customer's address alone
        shipment = self.sudo()
        if not shipment._erp_portal_can_confirm():
            raise UserError(self.env._("This receipt cannot be confirmed."))
        if not shipment.partner_id.email:
            raise UserError(
                self.env._("The customer has no email address to send a code to.")
            )
        now = fields.Datetime.now()
        sent_at = shipment.erp_receipt_code_sent_at
        if sent_at and now - sent_at < RECEIPT_CODE_INTERVAL:
            raise UserError(
                self.env._("A code was sent less than a minute ago; check the mailbox.")
            )
        code = f"{secrets.randbelow(10**6):06d}"
        shipment.write(
            {
                "erp_receipt_code_digest": shipment._erp_receipt_code_hash(code),
                "erp_receipt_code_sent_at": now,
                "erp_receipt_code_tries": 0,
            }
        )
        template = self.env.ref(RECEIPT_CODE_TEMPLATE)
        template.sudo().with_context(erp_receipt_code=code).send_mail(
            shipment.id, email_values={"auto_delete": True}
        )
        return True

    def _erp_check_receipt_code(self, code):
        """Whether ``code`` is the shipment's valid one-time code; a right
        code is used up, a wrong one counts as a try."""
        self.ensure_one()
        shipment = self.sudo()  # sudo: the code fields are for system users
        digest = shipment.erp_receipt_code_digest
        sent_at = shipment.erp_receipt_code_sent_at
        if (
            not digest
            or not sent_at
            or fields.Datetime.now() - sent_at > RECEIPT_CODE_VALIDITY
            or shipment.erp_receipt_code_tries >= RECEIPT_CODE_TRIES
        ):
            return False
        given = shipment._erp_receipt_code_hash((code or "").strip()[:12])
        if hmac.compare_digest(digest, given):
            shipment.write(
                {"erp_receipt_code_digest": False, "erp_receipt_code_tries": 0}
            )
            return True
        shipment.erp_receipt_code_tries += 1
        return False

    def _erp_portal_can_confirm(self):
        """Whether the customer can still confirm the receipt from the portal."""
        self.ensure_one()
        return not self.received_at and self.state in (
            "shipped",
            "in_transit",
            "out_for_delivery",
            "delivered",
        )

    def action_confirm_receipt(self, received_by=None, note=None):
        """Record the customer's receipt (签收) and close the order's fulfillment.

        :param received_by: name of the person who received the goods
            (defaults to the shipment's customer)
        :param note: optional remark left by the customer
        """
        for shipment in self:
            if shipment.received_at:
                raise UserError(
                    self.env._(
                        "The receipt of shipment %s was already confirmed.",
                        shipment.name,
                    )
                )
            if shipment.state in ("draft", "cancelled", "returned"):
                raise UserError(
                    self.env._(
                        "Shipment %s has not been shipped, its receipt cannot be "
                        "confirmed.",
                        shipment.name,
                    )
                )
        now = fields.Datetime.now()
        for shipment in self:
            vals = {
                "received_by": received_by or shipment.partner_id.name,
                "received_at": now,
            }
            if note:
                vals["pod_note"] = note
            if shipment.state != "delivered":
                vals.update(state="delivered", date_delivered=now)
            shipment.write(vals)
        # the receipt in the shipment's history (timeline): not a carrier
        # event, it moves no state (already written above)
        self.env["erp.shipment.event"].with_context(
            erp_skip_event_processing=True
        ).create(
            [
                {
                    "shipment_id": shipment.id,
                    "status": RECEIPT_STATUS,
                    "event_time": now,
                    "received_by": shipment.received_by,
                    "source": "manual",
                    "is_applied": True,
                }
                for shipment in self
            ]
        )
        self._erp_close_sale_orders()
        return True

    def _erp_close_sale_orders(self, by_carrier=False):
        """Close the fulfillment of the orders whose deliveries are all done
        (``erp_order_priority``'s ``action_customer_confirm``; with
        ``by_carrier``, the carrier's proof of delivery: the customer did
        not confirm anything); orders still waiting for other deliveries
        stay as they are."""
        orders = self.sale_order_id.filtered(
            lambda o: o.fulfillment_state == "completed"
        )
        if not orders:
            return
        # the customer (portal) or the carrier (webhook) closes the order:
        # neither may write sale orders, the access was checked on the
        # shipment
        orders = orders.sudo()
        if not by_carrier:
            orders.action_customer_confirm()
            return
        for order in orders:
            signers = self.filtered(
                lambda s, o=order: s.sale_order_id == o and s.received_by
            ).mapped("received_by")
            order._erp_close(
                self.env._(
                    "The carrier reported the delivery signed for by %s.",
                    ", ".join(signers),
                )
            )
