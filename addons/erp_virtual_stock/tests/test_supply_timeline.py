# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import VirtualStockCommon


@tagged("post_install", "-at_install")
class TestSupplyTimeline(VirtualStockCommon):
    """The single statement a quotation line reads (the components and the
    supply still to come by date) gives what the engine's two separate reads
    give."""

    def _move(self, qty, days, source, destination):
        move = self.env["stock.move"].create(
            {
                "name": "VS move",
                "product_id": self.product.id,
                "product_uom_qty": qty,
                "product_uom": self.product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "date": fields.Datetime.now() + timedelta(days=days),
            }
        )
        move._action_confirm()
        return move

    def test_one_statement_gives_the_two_reads(self):
        """Given, in a warehouse counting 10 days of incoming supply: 5 on
        hand, 4 arriving in 3 days, 2 in 20 days (beyond the horizon), 1
        arriving late (dated yesterday), 3 coming from a second warehouse in
        2 days and an entry of 6 from day 4 to day 8; and in the second
        warehouse 7 on hand: the line's statement gives each warehouse's
        components and the dated supply of the two separate reads, the
        incoming moves after now by date (a late one is counted in the stock
        of today, not as a future event)."""
        self.warehouse.virtual_incoming_days = 10
        stock, stock_2 = self.warehouse.lot_stock_id, self.warehouse_2.lot_stock_id
        self._set_on_hand(self.product, 5)
        self._set_on_hand(self.product, 7, warehouse=self.warehouse_2)
        self._move(4, 3, self.supplier_location, stock)
        self._move(2, 20, self.supplier_location, stock)
        self._move(1, -1, self.supplier_location, stock)
        self._move(3, 2, stock_2, stock)
        today = fields.Date.context_today(self.env.user)
        self._create_entry(
            self.product,
            6,
            date_start=today + timedelta(days=4),
            date_end=today + timedelta(days=8),
        )
        self._create_entry(self.product_2, 2)
        Product = self.env["product.product"]
        warehouses = self.warehouse | self.warehouse_2
        products = self.product | self.product_2
        components, timeline = Product._erp_virtual_stock_with_timeline(
            warehouses, products
        )

        def events(supply):
            return {
                pair: (value["future_incoming"], sorted(value["events"]))
                for pair, value in supply.items()
                if value["future_incoming"] or value["events"]
            }

        self.assertEqual(
            components, Product._erp_virtual_stock_components(warehouses, products)
        )
        self.assertEqual(
            events(timeline),
            events(Product._erp_supply_timeline(warehouses, products)),
        )
        pair = (self.product.id, self.warehouse.id)
        self.assertEqual(
            components[pair],
            {"on_hand": 5.0, "committed": 0.0, "incoming": 8.0, "manual": 0.0},
        )
        self.assertEqual(
            components[self.product.id, self.warehouse_2.id],
            {"on_hand": 7.0, "committed": 3.0, "incoming": 0.0, "manual": 0.0},
        )
        self.assertEqual(
            events(timeline)[pair],
            (
                7.0,
                sorted(
                    [
                        (today + timedelta(days=2), 3.0),
                        (today + timedelta(days=3), 4.0),
                        (today + timedelta(days=4), 6.0),
                        (today + timedelta(days=9), -6.0),
                    ]
                ),
            ),
        )
        self.assertEqual(
            components[self.product_2.id, self.warehouse.id]["manual"], 2.0
        )
