# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import float_round

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class ErpLogisticsPortal(CustomerPortal):
    _erp_shipments_per_page = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Shipment = request.env["erp.shipment"]
        for counter, domain in (
            ("erp_shipment_count", self._erp_shipment_domain()),
            ("erp_shipment_to_confirm_count", self._erp_shipment_to_confirm_domain()),
        ):
            if counter in counters:
                values[counter] = (
                    Shipment.search_count(domain) if Shipment.has_access("read") else 0
                )
        return values

    def _erp_shipment_domain(self):
        # the portal record rule restricts to the user's commercial partner
        return [("state", "!=", "draft")]

    def _erp_shipment_to_confirm_domain(self):
        """The shipments the carrier delivered and whose receipt (签收) the
        customer has not confirmed yet."""
        return [("state", "=", "delivered"), ("received_at", "=", False)]

    def _erp_shipment_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "to_confirm": {
                "label": request.env._("To sign for"),
                "domain": self._erp_shipment_to_confirm_domain(),
            },
        }

    def _erp_shipment_lines(self, shipment_sudo):
        """What the shipment carries, from its delivery: one line per product
        with its quantity (as many decimals as it needs, at most those of the
        unit of measure) and unit."""
        lines = []
        moves = shipment_sudo.picking_id.move_ids.filtered(
            lambda m: m.state != "cancel" and m.quantity
        )
        for move in moves:
            uom = move.product_uom
            quantity = float_round(move.quantity, precision_rounding=uom.rounding)
            # 5 units, not 5.00; 2.5 kg, not 2.50
            decimals = max(
                0, -Decimal(str(uom.rounding)).normalize().as_tuple().exponent
            )
            digits = len(f"{quantity:.{decimals}f}".partition(".")[2].rstrip("0"))
            lines.append(
                {
                    "product": move.product_id.display_name,
                    "quantity": quantity,
                    "digits": digits,
                    "uom": uom.name,
                }
            )
        return lines

    @http.route(
        ["/my/shipments", "/my/shipments/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_erp_shipments(self, page=1, sortby=None, filterby=None, **kw):
        Shipment = request.env["erp.shipment"]
        values = self._prepare_portal_layout_values()
        sortings = {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_shipped desc, id desc",
            },
            "name": {
                "label": request.env._("Reference"),
                "order": "name desc, id desc",
            },
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }
        sortby = sortby if sortby in sortings else "date"
        filters = self._erp_shipment_searchbar_filters()
        filterby = filterby if filterby in filters else "all"
        domain = self._erp_shipment_domain() + filters[filterby]["domain"]
        count = Shipment.search_count(domain) if Shipment.has_access("read") else 0
        pager = portal_pager(
            url="/my/shipments",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=self._erp_shipments_per_page,
        )
        shipments = (
            Shipment.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._erp_shipments_per_page,
                offset=pager["offset"],
            )
            if count
            else Shipment
        )
        request.session["my_erp_shipments_history"] = shipments.ids[:100]
        values.update(
            {
                # read access was checked by the search (ACL + portal rule);
                # sudo only to display the carrier's name
                "shipments": shipments.sudo(),
                "page_name": "erp_shipment",
                "pager": pager,
                "default_url": "/my/shipments",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("erp_logistics.portal_my_erp_shipments", values)

    @http.route(
        ["/my/shipments/<int:shipment_id>"], type="http", auth="public", website=True
    )
    def portal_my_erp_shipment(self, shipment_id, access_token=None, **kw):
        """Shipment detail with its timeline; public with a valid token."""
        try:
            shipment_sudo = self._document_check_access(
                "erp.shipment", shipment_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        report_type = kw.get("report_type")
        if report_type in ("html", "pdf"):
            return self._show_report(
                model=shipment_sudo,
                report_type=report_type,
                report_ref="erp_logistics.action_report_erp_shipment",
                download=kw.get("download"),
            )
        values = self._get_page_view_values(
            shipment_sudo,
            access_token,
            {"shipment": shipment_sudo, "page_name": "erp_shipment"},
            "my_erp_shipments_history",
            False,
            **kw,
        )
        values["events"] = shipment_sudo.event_ids.sorted(
            lambda e: (e.event_time, e.id), reverse=True
        )
        values["lines"] = self._erp_shipment_lines(shipment_sudo)
        values.update(self._erp_confirm_values(shipment_sudo))
        return request.render("erp_logistics.portal_my_erp_shipment", values)

    def _erp_confirm_values(self, shipment_sudo):
        """What the shipment page offers to confirm the receipt."""
        # the tracking link (access token) only shows: confirming needs a
        # signed-in customer or a logistics user who may write the shipment
        confirmable = shipment_sudo._erp_portal_can_confirm()
        return {
            "can_confirm": confirmable
            and self._erp_shipment_for_confirmation(shipment_sudo.id) is not None,
            "sign_in_to_confirm": confirmable and request.env.user._is_public(),
        }

    def _erp_shipment_for_confirmation(self, shipment_id):
        """The shipment the current user may confirm the receipt of, or None.

        Internal users need write access to the shipment and confirm with
        their own rights; portal users must own it (the portal record rule)
        and confirm as superuser, since they may not write shipments. The
        public user (a tracking link's access token) never confirms.
        """
        user = request.env.user
        if user._is_public():
            return None
        shipment = request.env["erp.shipment"].browse(shipment_id)
        try:
            if user._is_internal():
                shipment.check_access("write")
                return shipment
            shipment.check_access("read")
        except (AccessError, MissingError):
            return None
        # ownership was checked above by the portal record rule
        return shipment.sudo()
