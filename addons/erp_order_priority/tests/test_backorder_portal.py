# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools.misc import format_date


@tagged("post_install", "-at_install")
class TestBackorderPortal(HttpCase):
    def test_portal_shows_confirmed_date(self):
        """Given an order line confirmed for a date, the customer's portal
        page of the order shows that date."""
        partner = self.env["res.partner"].create(
            {"name": "Portal Date Customer", "email": "portal.date@example.com"}
        )
        # a service: no stock policy or delivery in the way of the page
        product = self.env["product.product"].create(
            {"name": "Portal Widget", "type": "service"}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )
        order.action_confirm()
        confirmed = date(2031, 5, 17)
        order.order_line.write(
            {"erp_confirmed_qty": 2, "erp_confirmed_date": confirmed}
        )
        response = self.url_open(order.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Confirmed for", response.text)
        self.assertIn(format_date(self.env, confirmed), response.text)
