# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from .portal import ErpLogisticsPortal

# shipments whose one-time code this browser session entered
SESSION_KEY = "erp_logistics_receipt_verified"
MAX_PHOTO_SIZE = 10 * 1024 * 1024


def _mask_email(email):
    """``c*******@example.com``: tells the customer where the code goes
    without showing the address to whoever holds the tracking link."""
    local, _at, domain = (email or "").partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 3)}@{domain}" if domain else ""


class ErpLogisticsReceiptPortal(ErpLogisticsPortal):
    """Confirming a receipt (签收): the proof only the customer can give.

    The signed-in customer confirms; whoever holds the tracking link
    confirms only after entering the one-time code emailed to the customer.
    The confirmation may carry a photo of the goods and an on-screen
    signature.
    """

    def _erp_code_verified(self, shipment_id):
        return shipment_id in (request.session.get(SESSION_KEY) or [])

    def _erp_shipment_for_confirmation(self, shipment_id):
        shipment = super()._erp_shipment_for_confirmation(shipment_id)
        if (
            shipment is None
            and request.env.user._is_public()
            and self._erp_code_verified(shipment_id)
        ):
            # the visitor entered the code sent to the customer's mailbox
            # (the access token was checked then); public users cannot write
            # shipments
            shipment_sudo = request.env["erp.shipment"].sudo().browse(shipment_id)
            return shipment_sudo.exists() or None
        return shipment

    def _erp_confirm_values(self, shipment_sudo):
        values = super()._erp_confirm_values(shipment_sudo)
        if values["can_confirm"]:
            values["sign_in_to_confirm"] = False
        email = shipment_sudo.partner_id.email
        values["receipt_code_email"] = _mask_email(email)
        values["can_send_code"] = values["sign_in_to_confirm"] and bool(email)
        values["receipt_code_sent"] = bool(request.params.get("code_sent"))
        return values

    def _erp_shipment_from_token(self, shipment_id, access_token):
        try:
            return self._document_check_access(
                "erp.shipment", shipment_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return None

    @http.route(
        ["/my/shipments/<int:shipment_id>/send_code"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_erp_shipment_send_code(self, shipment_id, access_token=None, **kw):
        """Email the customer a one-time code to confirm the receipt."""
        shipment_sudo = self._erp_shipment_from_token(shipment_id, access_token)
        if shipment_sudo is None:
            return request.redirect("/my")
        try:
            shipment_sudo._erp_send_receipt_code()
        except UserError:
            return request.redirect(
                shipment_sudo.get_portal_url() + "&error=code_not_sent"
            )
        return request.redirect(shipment_sudo.get_portal_url() + "&code_sent=1")

    @http.route(
        ["/my/shipments/<int:shipment_id>/verify_code"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_erp_shipment_verify_code(
        self, shipment_id, access_token=None, code=None, **kw
    ):
        """Check the one-time code; this browser may then confirm."""
        shipment_sudo = self._erp_shipment_from_token(shipment_id, access_token)
        if shipment_sudo is None:
            return request.redirect("/my")
        if not shipment_sudo._erp_check_receipt_code(code):
            return request.redirect(
                shipment_sudo.get_portal_url() + "&code_sent=1&error=bad_code"
            )
        verified = request.session.get(SESSION_KEY) or []
        request.session[SESSION_KEY] = [*verified, shipment_id][-20:]
        return request.redirect(shipment_sudo.get_portal_url())

    @http.route(
        ["/my/shipments/<int:shipment_id>/confirm"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_erp_shipment_confirm(
        self, shipment_id, received_by=None, note=None, pod_photo=None, **kw
    ):
        """Confirm the receipt of a shipment (签收) from the portal, with an
        optional photo of the goods."""
        shipment = self._erp_shipment_for_confirmation(shipment_id)
        if shipment is None:
            return request.redirect("/my")
        if not shipment._erp_portal_can_confirm():
            return request.redirect(
                shipment.sudo().get_portal_url() + "&error=cannot_confirm"
            )
        user = request.env.user
        received_by = (received_by or "").strip()[:128] or (
            shipment.partner_id.name if user._is_public() else user.partner_id.name
        )
        note = (note or "").strip()[:2000] or None
        photo = pod_photo.read(MAX_PHOTO_SIZE + 1) if pod_photo else b""
        if len(photo) > MAX_PHOTO_SIZE:
            url = shipment.sudo().get_portal_url()
            return request.redirect(url + "&error=bad_photo")
        try:
            with request.env.cr.savepoint():
                if photo:
                    shipment.pod_photo = base64.b64encode(photo)
                shipment.action_confirm_receipt(received_by=received_by, note=note)
        except (UserError, ValidationError):
            error = "bad_photo" if photo else "cannot_confirm"
            return request.redirect(
                shipment.sudo().get_portal_url() + f"&error={error}"
            )
        # the access token was rotated by the confirmation: the new link
        return request.redirect(shipment.sudo().get_portal_url() + "&success=confirmed")

    @http.route(
        ["/my/shipments/<int:shipment_id>/sign"],
        type="json",
        auth="public",
        website=True,
    )
    def portal_erp_shipment_sign(self, shipment_id, name=None, signature=None):
        """Confirm the receipt with the customer's on-screen signature
        (``portal.signature_form``)."""
        shipment = self._erp_shipment_for_confirmation(shipment_id)
        if shipment is None or not shipment._erp_portal_can_confirm():
            return {"error": request.env._("This receipt cannot be confirmed.")}
        if not signature:
            return {"error": request.env._("The signature is missing.")}
        received_by = (name or "").strip()[:128] or shipment.partner_id.name
        try:
            with request.env.cr.savepoint():
                shipment.pod_signature = signature
                shipment.action_confirm_receipt(received_by=received_by)
        except (UserError, ValidationError) as error:
            return {"error": str(error)}
        return {
            "force_refresh": True,
            "redirect_url": shipment.sudo().get_portal_url() + "&success=confirmed",
        }
