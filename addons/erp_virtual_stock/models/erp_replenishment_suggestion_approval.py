# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Command


class ErpReplenishmentSuggestion(models.Model):
    """What approving creates, set-based: the RFQs with all their lines in
    one batch, the transfers with all their moves in another."""

    _inherit = "erp.replenishment.suggestion"  # pylint: disable=consider-merging-classes-inherited

    def _get_source_document(self):
        names = self.alert_id.sudo().mapped("name")  # alert names only
        origin = ", ".join(names[:10])
        return origin + (", …" if len(names) > 10 else "")

    def _approve_purchases(self):
        """One RFQ per company, vendor and receiving warehouse (an RFQ
        receives in one warehouse), the lines created in one batch with
        Odoo's own line preparation (vendor price, purchase unit, taxes)."""
        if not self:
            return
        Order = self.env["purchase.order"]
        Line = self.env["purchase.order.line"]
        groups = self.grouped(lambda s: (s.company_id, s.partner_id, s.warehouse_id))
        orders = Order.create(
            [
                {
                    "partner_id": vendor.id,
                    "company_id": company.id,
                    "picking_type_id": warehouse.in_type_id.id,
                    "user_id": self.env.uid,
                    "origin": suggestions._get_source_document(),
                    **self._prepare_vendor_order_vals(company, vendor),
                }
                for (company, vendor, warehouse), suggestions in groups.items()
            ]
        )
        # Odoo computes a line's analytic distribution with one search per
        # line; without any distribution model there is nothing to find.
        # sudo: only whether one exists, read as Odoo's stored compute of the
        # field reads them (computes run as superuser)
        Model = self.env["account.analytic.distribution.model"].sudo()
        no_analytic = not Model.search_count([], limit=1)
        line_vals = []
        ordered = self.browse()
        for order, suggestions in zip(orders, groups.values(), strict=True):
            line_vals += suggestions._prepare_purchase_lines_vals(order, no_analytic)
            ordered |= suggestions
        lines = Line.create(line_vals)
        for suggestion, line in zip(ordered, lines, strict=True):
            suggestion.purchase_line_id = line

    @api.model
    def _prepare_vendor_order_vals(self, company, vendor):
        """What an RFQ takes from its vendor in ``company`` (Odoo sets them
        when the vendor is chosen on the form, and a procurement when it
        makes the RFQ): fiscal position, purchase currency, payment terms."""
        vendor = vendor.with_company(company)
        return {
            "fiscal_position_id": self.env["account.fiscal.position"]
            .with_company(company)
            ._get_fiscal_position(vendor)
            .id,
            "currency_id": vendor.property_purchase_currency_id.id
            or company.currency_id.id,
            "payment_term_id": vendor.property_supplier_payment_term_id.id,
        }

    def _prepare_purchase_lines_vals(self, order, no_analytic=False):
        """The values of Odoo's ``_prepare_purchase_order_line`` (vendor
        price and discount in the purchase unit, the vendor's product name,
        taxes through the fiscal position) for all the suggestions of one
        RFQ at once: the product names of the vendor are read together."""
        company, vendor = order.company_id, order.partner_id
        products = self.product_id.with_company(company).with_context(
            lang=vendor.lang, partner_id=vendor.id
        )
        names = {
            product.id: product.display_name
            + (
                f"\n{product.description_purchase}"
                if product.description_purchase
                else ""
            )
            for product in products
        }
        today = fields.Date.context_today(self)
        vals_list = []
        for suggestion in self:
            product = suggestion.product_id.with_company(company)
            qty = product.uom_id._compute_quantity(
                suggestion.quantity, product.uom_po_id, rounding_method="HALF-UP"
            )
            seller = product._select_seller(
                partner_id=vendor, quantity=qty, date=today, uom_id=product.uom_po_id
            )
            product_taxes = product.supplier_taxes_id.filtered(
                lambda t, c=company: t.company_id in c.parent_ids
            )
            taxes = order.fiscal_position_id.map_tax(product_taxes)
            price = 0.0
            if seller:
                price = self.env["account.tax"]._fix_tax_included_price_company(
                    seller.price, product_taxes, taxes, company
                )
                if seller.currency_id != order.currency_id:
                    price = seller.currency_id._convert(
                        price, order.currency_id, company, today
                    )
            vals = {
                "order_id": order.id,
                "name": names[product.id],
                "product_id": product.id,
                "product_qty": qty,
                "product_uom": product.uom_po_id.id,
                "price_unit": price,
                "discount": seller.discount or 0.0,
                "taxes_id": [Command.set(taxes.ids)],
                "date_planned": suggestion.date_expected
                or fields.Datetime.now() + timedelta(days=seller.delay or 0),
            }
            if no_analytic:
                vals["analytic_distribution"] = False
            if suggestion.alert_id:
                vals["erp_stock_alert_ids"] = [Command.link(suggestion.alert_id.id)]
            vals_list.append(vals)
        return vals_list

    def _approve_transfers(self):
        """One internal transfer per company, source and destination
        warehouse, its moves created with it, all confirmed together; a
        destination resupplied from the source through a route (transit)
        gets the alert's own transfer on that route, as at once."""
        if not self:
            return
        # sudo: the approver may lack the Virtual Stock groups (the alert's
        # transfer is linked and told on the alert)
        routed = self.filtered(
            lambda s: s.alert_id.sudo()._get_resupply_route(s.source_warehouse_id)
            if s.alert_id
            else False
        )
        for suggestion in routed:
            pickings = suggestion.alert_id.sudo()._create_transfer(
                suggestion.source_warehouse_id, suggestion.quantity
            )
            suggestion.picking_id = pickings[:1]
        direct = self - routed
        if not direct:
            return
        groups = direct.grouped(
            lambda s: (s.company_id, s.source_warehouse_id, s.warehouse_id)
        )
        pickings = self.env["stock.picking"].create(
            [
                {
                    "picking_type_id": source.int_type_id.id,
                    "location_id": source.lot_stock_id.id,
                    "location_dest_id": dest.lot_stock_id.id,
                    "origin": suggestions._get_source_document(),
                    "company_id": company.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": suggestion.product_id.display_name,
                                "product_id": suggestion.product_id.id,
                                "product_uom_qty": suggestion.quantity,
                                "product_uom": suggestion.product_id.uom_id.id,
                                "location_id": source.lot_stock_id.id,
                                "location_dest_id": dest.lot_stock_id.id,
                                "warehouse_id": dest.id,
                                "company_id": company.id,
                                "date": suggestion.date_expected
                                or fields.Datetime.now(),
                            }
                        )
                        for suggestion in suggestions
                    ],
                }
                for (company, source, dest), suggestions in groups.items()
            ]
        )
        pickings.action_confirm()
        for picking, suggestions in zip(pickings, groups.values(), strict=True):
            suggestions.picking_id = picking
            # the approver may lack the Virtual Stock groups (see above)
            suggestions.alert_id.sudo().picking_ids = [Command.link(picking.id)]
