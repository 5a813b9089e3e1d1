# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import VirtualStockCommon


@tagged("post_install", "-at_install")
class TestOrderPolicy(VirtualStockCommon):
    def test_block_refuses_short_order(self):
        """Given block and 2 units, when an order of 3 is confirmed, then it is
        refused with the short line and nothing is written."""
        self.warehouse.virtual_stock_policy = "block"
        self._set_on_hand(self.product, 2)
        order = self._create_order([(self.product, 3)])
        rows_before = self.ledger.search_count([])
        with self.assertRaisesRegex(UserError, "VS Widget.*3.*asked, 2"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)
        self.assertEqual(self.ledger.search_count([]), rows_before)

    def test_block_allows_covered_order(self):
        """Given block and 3 units, an order of exactly 3 is confirmed."""
        self.warehouse.virtual_stock_policy = "block"
        self._set_on_hand(self.product, 3)
        order = self._create_order([(self.product, 3)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._virtual(self.product), 0)

    def test_block_sums_lines_of_same_product(self):
        """Given block and 3 units, two lines of 2 of the same product are
        refused together."""
        self.warehouse.virtual_stock_policy = "block"
        self._set_on_hand(self.product, 3)
        order = self._create_order([(self.product, 2), (self.product, 2)])
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_block_refuses_increase_of_confirmed_line(self):
        """Given block and a confirmed order using all the stock, when its
        quantity is raised, then it is refused."""
        self.warehouse.virtual_stock_policy = "block"
        self._set_on_hand(self.product, 3)
        order = self._create_order([(self.product, 3)])
        order.action_confirm()
        with self.assertRaises(UserError):
            order.order_line.product_uom_qty = 4

    def test_warn_confirms_and_shows_banner(self):
        """Given warn and 1 unit, an order of 3 shows the shortage banner and
        still confirms."""
        self.warehouse.virtual_stock_policy = "warn"
        self._set_on_hand(self.product, 1)
        order = self._create_order([(self.product, 3)])
        self.assertIn("VS Widget", order.virtual_stock_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.virtual_stock_warning)
        self.assertEqual(self._virtual(self.product), -2)

    def test_allow_confirms_silently(self):
        """Given allow and no stock, the order confirms and has no banner."""
        self.warehouse.virtual_stock_policy = "allow"
        order = self._create_order([(self.product, 3)])
        self.assertFalse(order.virtual_stock_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_availability_states(self):
        """Given 2 units, lines of 1, 3 and with no stock show available,
        partial and unavailable."""
        self._set_on_hand(self.product, 2)
        order = self._create_order(
            [(self.product, 1), (self.product, 3), (self.product_2, 1)]
        )
        self.assertEqual(
            order.order_line.mapped("availability_state"),
            ["available", "partial", "unavailable"],
        )
        self.assertEqual(order.order_line[0].virtual_stock_qty, 2)

    def test_confirmed_line_counts_own_demand(self):
        """Given 3 units and a confirmed order of 3, its line stays available."""
        self._set_on_hand(self.product, 3)
        order = self._create_order([(self.product, 3)])
        order.action_confirm()
        self.env.invalidate_all()
        self.assertEqual(order.order_line.availability_state, "available")

    def test_order_change_and_cancel_move_virtual_stock(self):
        """Given a confirmed order of 3, raising it to 5 commits 5 and
        cancelling it releases everything."""
        self._set_on_hand(self.product, 10)
        order = self._create_order([(self.product, 3)])
        order.action_confirm()
        order.order_line.product_uom_qty = 5
        self.assertEqual(self._virtual(self.product), 5)
        order._action_cancel()
        self.assertEqual(self._virtual(self.product), 10)

    def test_delivery_keeps_virtual_stock(self):
        """Given a confirmed order of 3, when delivered, the virtual stock
        stays at 7 (on hand and committed move together)."""
        self._set_on_hand(self.product, 10)
        order = self._create_order([(self.product, 3)])
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(picking.state, "done")
        self.env.invalidate_all()
        product = self.product.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(product.qty_available, 7)
        self.assertEqual(product.virtual_stock_qty, 7)

    def test_promise_date_today_when_covered(self):
        """Given enough stock, the promise date is today."""
        self._set_on_hand(self.product, 5)
        order = self._create_order([(self.product, 5)])
        # the user's day (context_today), not the UTC one
        self.assertEqual(
            order.order_line.promise_date, fields.Date.context_today(order)
        )

    def test_promise_date_from_incoming(self):
        """Given 1 on hand and 4 arriving in 5 days, an order of 3 is
        promised in 5 days."""
        self._set_on_hand(self.product, 1)
        self._create_incoming(self.product, 4, days=5)
        order = self._create_order([(self.product, 3)])
        self.assertEqual(
            order.order_line.promise_date,
            fields.Date.context_today(order) + timedelta(days=5),
        )

    def test_quantity_change_in_the_form_reuses_the_supply(self):
        """Given 1 on hand and 4 arriving in 5 days, on a new quotation line
        of the form the product is looked up once in the engine when it is
        picked; changing the quantity then gives the availability and the
        promise date of the new quantity from what the line already holds."""
        self._set_on_hand(self.product, 1)
        self._create_incoming(self.product, 4, days=5)
        today = fields.Date.context_today(self.env.user)
        Product = type(self.env["product.product"])
        engine = Product._erp_virtual_stock_with_timeline
        form = Form(self.env["sale.order"])
        form.partner_id = self.customer
        form.warehouse_id = self.warehouse
        with patch.object(
            Product,
            "_erp_virtual_stock_with_timeline",
            autospec=True,
            side_effect=engine,
        ) as asked:
            with form.order_line.new() as line:
                line.product_id = self.product
                self.assertEqual(asked.call_count, 1)
                line.product_uom_qty = 1
                self.assertEqual(line.availability_state, "available")
                self.assertEqual(line.promise_date, today)
                line.product_uom_qty = 3
                self.assertEqual(line.availability_state, "available")
                self.assertEqual(line.promise_date, today + timedelta(days=5))
                line.product_uom_qty = 8
                self.assertEqual(line.availability_state, "partial")
                self.assertEqual(line.shortage_qty, 3)
                self.assertEqual(asked.call_count, 1)
        order = form.save()
        # saved, the line reads the engine as any other reader does
        self.env.invalidate_all()
        self.assertEqual(order.order_line.virtual_stock_qty, 5)
        self.assertEqual(order.order_line.availability_state, "partial")

    def test_line_reads_the_supply_again_when_its_demand_changes(self):
        """Given 10 on hand and a quotation line of 3 whose figures were read,
        confirming the order and then raising the line to 5 show the virtual
        stock after each change in the same transaction (the line's own
        demand is in the supply it holds)."""
        self._set_on_hand(self.product, 10)
        order = self._create_order([(self.product, 3)])
        line = order.order_line
        self.assertEqual(line.virtual_stock_qty, 10)
        order.action_confirm()
        self.assertEqual(line.virtual_stock_qty, 7)
        self.assertEqual(line.availability_state, "available")
        line.product_uom_qty = 5
        self.assertEqual(line.virtual_stock_qty, 5)
        line.product_uom_qty = 12
        self.assertEqual(line.virtual_stock_qty, -2)
        self.assertEqual(line.availability_state, "partial")

    def test_supply_behind_the_line_is_for_internal_users(self):
        """Given a confirmed order, a salesman reads the supply the line's
        figures come from; the order's portal customer may not read it (its
        on hand, committed and incoming quantities and dates)."""
        self._set_on_hand(self.product, 5)
        salesman = new_test_user(
            self.env,
            login="vs_supply_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        portal = new_test_user(
            self.env, login="vs_supply_portal", groups="base.group_portal"
        )
        order = self._create_order([(self.product, 2)], partner=portal.partner_id)
        order.action_confirm()
        supply = order.order_line.with_user(salesman).read(["erp_supply"])[0]
        self.assertEqual(supply["erp_supply"]["components"]["on_hand"], 5)
        with self.assertRaises(AccessError):
            order.order_line.with_user(portal).read(["erp_supply"])

    def test_promise_date_from_manual_entry(self):
        """Given an entry of 3 starting in 4 days, an order of 2 is promised
        in 4 days."""
        start = fields.Date.context_today(self.env.user) + timedelta(days=4)
        self._create_entry(self.product, 3, date_start=start)
        order = self._create_order([(self.product, 2)])
        self.assertEqual(order.order_line.promise_date, start)

    def test_promise_date_empty_without_supply(self):
        """Given no supply, there is no promise date."""
        order = self._create_order([(self.product, 2)])
        self.assertFalse(order.order_line.promise_date)

    def test_order_form_shows_fields(self):
        """Given the order form, the line columns and banner render."""
        self._set_on_hand(self.product, 1)
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            form.warehouse_id = self.warehouse
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 2
                self.assertEqual(line.availability_state, "partial")
