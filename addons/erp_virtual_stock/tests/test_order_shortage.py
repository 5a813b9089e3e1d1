# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import VirtualStockCommon


@tagged("post_install", "-at_install")
class TestOrderShortage(VirtualStockCommon):
    """A quotation line short of virtual stock says by how much, what is
    coming and when, in the reader's language (issue 21 item 6)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["uom", "erp_virtual_stock"], ["zh_CN"], overwrite=True
        )
        cls.warehouse.virtual_stock_policy = "warn"
        # the user's day, as the promise dates (not the UTC one)
        cls.today = fields.Date.context_today(cls.warehouse)

    def _day(self, days):
        return (self.today + timedelta(days=days)).strftime("%m-%d")

    def _zh_banner(self, order):
        order.invalidate_recordset()
        return order.with_context(lang="zh_CN").virtual_stock_warning

    def test_partial_line_without_plan(self):
        """Given 2 on hand and nothing coming, when a quotation asks 5, then
        the line is partial, promised today (for the 2) with a shortfall of
        3, and the banner says "缺 3 单位，无补货计划" without the order
        number."""
        self._set_on_hand(self.product, 2)
        order = self._create_order([(self.product, 5)])
        line = order.order_line
        self.assertRecordValues(
            line,
            [
                {
                    "availability_state": "partial",
                    "promise_date": self.today,
                    "shortage_qty": 3.0,
                    "shortage_arrival_date": False,
                }
            ],
        )
        banner = self._zh_banner(order)
        self.assertEqual(banner, "[VS-W] VS Widget：缺 3 单位，无补货计划")
        self.assertNotIn(order.name, banner)

    def test_partial_line_promised_when_available_part_arrives(self):
        """Given 2 on hand and 1 arriving in 3 days, when a quotation asks 5,
        then the line is promised in 3 days (the 3 available) and 2 are short
        with no plan."""
        self._set_on_hand(self.product, 2)
        self._create_incoming(self.product, 1, days=3)
        order = self._create_order([(self.product, 5)])
        self.assertRecordValues(
            order.order_line,
            [
                {
                    "availability_state": "partial",
                    # the engine dates a move by its day in the user's tz
                    "promise_date": self.today + timedelta(days=3),
                    "shortage_qty": 2.0,
                }
            ],
        )
        self.assertIn("缺 2 单位，无补货计划", self._zh_banner(order))

    def test_shortfall_covered_by_planned_supply(self):
        """Given 2 on hand and an entry of 5 starting in 4 days, when a
        quotation asks 5, then the line is promised in 4 days and the banner
        says "缺 3 单位，预计 MM-DD 到货"."""
        self._set_on_hand(self.product, 2)
        self._create_entry(self.product, 5, date_start=self.today + timedelta(days=4))
        order = self._create_order([(self.product, 5)])
        line = order.order_line
        self.assertEqual(line.availability_state, "partial")
        self.assertEqual(line.promise_date, self.today + timedelta(days=4))
        self.assertEqual(line.shortage_arrival_date, line.promise_date)
        self.assertEqual(
            self._zh_banner(order),
            f"[VS-W] VS Widget：缺 3 单位，预计 {self._day(4)} 到货",
        )

    def test_shortfall_partly_planned(self):
        """Given 2 on hand and an entry of 1 starting in 4 days, when a
        quotation asks 5, then the banner says 1 of the 3 is expected and the
        rest has no plan."""
        self._set_on_hand(self.product, 2)
        self._create_entry(self.product, 1, date_start=self.today + timedelta(days=4))
        order = self._create_order([(self.product, 5)])
        self.assertEqual(order.order_line.shortage_arrival_qty, 1.0)
        self.assertEqual(
            self._zh_banner(order),
            f"[VS-W] VS Widget：缺 3 单位，预计 {self._day(4)} 到货 1 单位，"
            "其余无补货计划",
        )

    def test_unavailable_line_without_promise(self):
        """Given no stock and nothing coming, the line has no promise date
        and the whole quantity is short."""
        order = self._create_order([(self.product, 2)])
        self.assertRecordValues(
            order.order_line,
            [
                {
                    "availability_state": "unavailable",
                    "promise_date": False,
                    "shortage_qty": 2.0,
                }
            ],
        )

    def test_quantities_in_unit_digits(self):
        """Given a product sold by the kg, the shortfall keeps its decimals
        (2.5), whole units have none (3, not 3.00)."""
        kg = self.env.ref("uom.product_uom_kgm")
        product = self._create_product("VS Flour", "VS-F")
        product.write({"uom_id": kg.id, "uom_po_id": kg.id})
        self._set_on_hand(product, 1)
        order = self._create_order([(product, 3.5)])
        self.assertIn("2.5 kg", order.with_context(lang="en_US").virtual_stock_warning)
        self.assertEqual(order.order_line._erp_format_qty(3.0), "3")

    def test_allow_policy_has_no_banner(self):
        """Given the allow policy, a short line shows no banner."""
        self.warehouse.virtual_stock_policy = "allow"
        order = self._create_order([(self.product, 2)])
        self.assertFalse(order.virtual_stock_warning)
        self.assertEqual(order.order_line.shortage_qty, 2.0)

    def test_forecast_action(self):
        """Given a short line, its forecast button opens Odoo's forecast of
        the product in the order's warehouse."""
        order = self._create_order([(self.product, 2)])
        action = order.action_erp_open_shortage_forecast()
        self.assertEqual(action["tag"], "stock_forecasted")
        self.assertEqual(
            action["context"],
            {
                "active_model": "product.product",
                "active_id": self.product.id,
                "warehouse_id": self.warehouse.id,
            },
        )
