# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import VirtualStockCommon


@tagged("post_install", "-at_install")
class TestVirtualStockQty(VirtualStockCommon):
    def test_on_hand_counts(self):
        """Given 10 units on hand, the virtual stock is 10."""
        self._set_on_hand(self.product, 10)
        self.assertEqual(self._virtual(self.product), 10)

    def test_confirmed_order_commits_stock(self):
        """Given 10 on hand, when an order of 3 is confirmed, then 3 are
        committed and the virtual stock is 7."""
        self._set_on_hand(self.product, 10)
        self._create_order([(self.product, 3)]).action_confirm()
        self.env.invalidate_all()
        product = self.product.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(product.committed_qty, 3)
        self.assertEqual(product.virtual_stock_qty, 7)

    def test_quotation_does_not_commit(self):
        """Given a draft quotation, the virtual stock does not move."""
        self._set_on_hand(self.product, 10)
        self._create_order([(self.product, 3)])
        self.assertEqual(self._virtual(self.product), 10)

    def test_incoming_within_horizon_counts(self):
        """Given a horizon of 7 days, an incoming move in 2 days counts and one
        in 20 days does not."""
        self.warehouse.virtual_incoming_days = 7
        self._create_incoming(self.product, 4, days=2)
        self._create_incoming(self.product, 6, days=20)
        self.assertEqual(self._virtual(self.product), 4)

    def test_incoming_all_and_none(self):
        """Given incoming moves, -1 counts them all and 0 none."""
        self._create_incoming(self.product, 4, days=2)
        self._create_incoming(self.product, 6, days=200)
        self.warehouse.virtual_incoming_days = -1
        self.assertEqual(self._virtual(self.product), 10)
        self.warehouse.virtual_incoming_days = 0
        self.assertEqual(self._virtual(self.product), 0)

    def test_manual_entries_count_while_active(self):
        """Given a draft +5 entry, it counts only once active, and a -2
        entry holds stock back."""
        entry = self._create_entry(self.product, 5, activate=False)
        self.assertEqual(self._virtual(self.product), 0)
        entry.action_activate()
        self._create_entry(self.product, -2)
        self.env.invalidate_all()
        product = self.product.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(product.virtual_manual_qty, 3)
        self.assertEqual(product.virtual_stock_qty, 3)

    def test_manual_entry_future_start_not_counted(self):
        """Given an active entry starting tomorrow, it does not count today."""
        # the user's day, the one the engine reads
        tomorrow = fields.Date.context_today(self.env.user) + timedelta(days=1)
        self._create_entry(self.product, 5, date_start=tomorrow)
        self.assertEqual(self._virtual(self.product), 0)

    def test_cancelled_entry_no_longer_counts(self):
        """Given an active entry, when cancelled, it stops counting."""
        entry = self._create_entry(self.product, 5)
        entry.action_cancel()
        self.assertEqual(self._virtual(self.product), 0)

    def test_warehouses_are_isolated(self):
        """Given stock and an order in warehouse 2, warehouse 1 is unaffected
        and the no-context value sums both."""
        self._set_on_hand(self.product, 10, self.warehouse_2)
        self._set_on_hand(self.product, 1)
        self._create_order([(self.product, 4)], warehouse=self.warehouse_2)
        self.assertEqual(self._virtual(self.product), 1)
        self.assertEqual(self._virtual(self.product, self.warehouse_2), 10)
        self.env["sale.order"].search(
            [("partner_id", "=", self.customer.id)]
        ).action_confirm()
        self.assertEqual(self._virtual(self.product, self.warehouse_2), 6)
        self.env.invalidate_all()
        both = self.product.with_context(
            warehouse_id=[self.warehouse.id, self.warehouse_2.id]
        )
        self.assertEqual(both.virtual_stock_qty, 7)

    def test_location_context_matches_warehouse_context(self):
        """Given stock, an order, an incoming move and an entry, the location
        context of the warehouse view gives the warehouse figure."""
        self._set_on_hand(self.product, 10)
        self._create_order([(self.product, 3)]).action_confirm()
        self._create_incoming(self.product, 2)
        self._create_entry(self.product, 5)
        self.env.invalidate_all()
        by_location = self.product.with_context(
            location=self.warehouse.view_location_id.id
        ).virtual_stock_qty
        self.assertEqual(by_location, 14)
        self.assertEqual(self._virtual(self.product), 14)

    def test_map_matches_fields(self):
        """Given activity on two products, the set-based map gives the same
        figures as the field, per warehouse."""
        self._set_on_hand(self.product, 10)
        self._set_on_hand(self.product_2, 3, self.warehouse_2)
        self._create_order([(self.product, 4), (self.product_2, 1)]).action_confirm()
        self._create_entry(self.product_2, -1, self.warehouse_2)
        stock_map = self.env["product.product"]._erp_virtual_stock_map(
            self.warehouse | self.warehouse_2, self.product | self.product_2
        )
        self.assertEqual(
            stock_map,
            {
                (self.product.id, self.warehouse.id): 6,
                (self.product_2.id, self.warehouse.id): -1,
                (self.product_2.id, self.warehouse_2.id): 2,
            },
        )

    def test_map_is_set_based(self):
        """Given 30 products with stock, the map costs the same handful of
        queries as for 1 product."""
        products = self.env["product.product"].create(
            [
                {"name": f"VS Bulk {i}", "type": "consu", "is_storable": True}
                for i in range(30)
            ]
        )
        for product in products:
            self._set_on_hand(product, 1)
        Product = self.env["product.product"]
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            stock_map = Product._erp_virtual_stock_map(self.warehouse, products)
        self.assertEqual(len(stock_map), 30)
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            Product._erp_virtual_stock_map(self.warehouse, products[:1])

    def test_template_sums_variants(self):
        """Given a product, its template shows the same virtual stock."""
        self._set_on_hand(self.product, 8)
        self.env.invalidate_all()
        template = self.product.product_tmpl_id.with_context(
            warehouse_id=self.warehouse.id
        )
        self.assertEqual(template.virtual_stock_qty, 8)

    def test_template_figures_sum_each_variant(self):
        """Given a template with two variants, each with stock, an order and
        a manual entry of its own, the template's committed, manual and
        virtual stock are the sums of its variants' (read together or one
        by one)."""
        attribute = self.env["product.attribute"].create(
            {
                "name": "Size (virtual stock test)",
                "create_variant": "always",
                "value_ids": [(0, 0, {"name": "S"}), (0, 0, {"name": "L"})],
            }
        )
        template = self.env["product.template"].create(
            {
                "name": "Shirt (virtual stock test)",
                "is_storable": True,
                "attribute_line_ids": [
                    (
                        0,
                        0,
                        {
                            "attribute_id": attribute.id,
                            "value_ids": [(6, 0, attribute.value_ids.ids)],
                        },
                    )
                ],
            }
        )
        small, large = template.product_variant_ids
        self._set_on_hand(small, 10)
        self._set_on_hand(large, 4)
        self._create_order([(small, 3), (large, 1)]).action_confirm()
        self._create_entry(large, 2)
        self.env.invalidate_all()
        variants = template.product_variant_ids.with_context(
            warehouse_id=self.warehouse.id
        )
        self.assertEqual(variants.mapped("virtual_stock_qty"), [7, 5])
        self.assertEqual(variants.mapped("committed_qty"), [3, 1])
        self.assertEqual(variants.mapped("virtual_manual_qty"), [0, 2])
        self.env.invalidate_all()
        template = template.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(template.virtual_stock_qty, 12)
        self.assertEqual(template.committed_qty, 4)
        self.assertEqual(template.virtual_manual_qty, 2)
        self.env.invalidate_all()
        self.assertEqual(
            template.read(["committed_qty", "virtual_manual_qty", "virtual_stock_qty"])[
                0
            ],
            {
                "id": template.id,
                "committed_qty": 4,
                "virtual_manual_qty": 2,
                "virtual_stock_qty": 12,
            },
        )

    def test_search_virtual_stock(self):
        """Given a product at -2, searching negative virtual stock finds it
        and not the product at 0."""
        self._create_entry(self.product, -2)
        found = (
            self.env["product.product"]
            .with_context(warehouse_id=self.warehouse.id)
            .search([("virtual_stock_qty", "<", 0), ("default_code", "like", "VS-")])
        )
        self.assertEqual(found, self.product)

    def test_other_company_is_isolated(self):
        """Given stock in another company's warehouse, the product shows no
        virtual stock in the current company."""
        company_b = self.env["res.company"].create({"name": "VS Company B"})
        warehouse_b = self.env["stock.warehouse"].search(
            [("company_id", "=", company_b.id)], limit=1
        )
        self._set_on_hand(self.product, 9, warehouse_b)
        self.env.invalidate_all()
        self.assertEqual(
            self.product.with_context(
                allowed_company_ids=self.env.company.ids
            ).virtual_stock_qty,
            0,
        )
        self.assertEqual(
            self.product.with_company(company_b)
            .with_context(allowed_company_ids=company_b.ids)
            .virtual_stock_qty,
            9,
        )

    def test_other_company_warehouse_in_context_is_refused(self):
        """Given a user of the first company only and stock in a second
        company's warehouse, when the user reads or searches the virtual stock
        with that warehouse (id or stock location) in the context, the read is
        refused as Odoo's own qty_available refuses it, and naming the
        warehouse finds nothing."""
        company_b = self.env["res.company"].create({"name": "VS Company B"})
        warehouse_b = self.env["stock.warehouse"].search(
            [("company_id", "=", company_b.id)], limit=1
        )
        self._set_on_hand(self.product, 9, warehouse_b)
        user = new_test_user(
            self.env,
            login="vs_company_a_user",
            groups="stock.group_stock_user,erp_virtual_stock.erp_virtual_stock_group_user",
            company_id=self.env.company.id,
            company_ids=[(6, 0, self.env.company.ids)],
        )
        product = self.product.with_user(user)
        for context in (
            {"warehouse_id": warehouse_b.id},
            {"warehouse_id": [warehouse_b.id, self.warehouse.id]},
            {"location": warehouse_b.lot_stock_id.id},
        ):
            self.env.invalidate_all()
            with self.assertRaises(AccessError):
                product.with_context(**context).qty_available  # noqa: B018
            self.env.invalidate_all()
            with self.assertRaises(AccessError, msg=str(context)):
                product.with_context(**context).virtual_stock_qty  # noqa: B018
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            product.with_context(warehouse_id=warehouse_b.id).search(
                [("virtual_stock_qty", ">", 0)]
            )
        self.env.invalidate_all()
        self.assertEqual(
            product.with_context(warehouse_id=warehouse_b.name).virtual_stock_qty, 0
        )

    def test_service_has_no_virtual_stock(self):
        """Given a service, its virtual stock is 0 and it is not in the map."""
        self.assertEqual(self.service.virtual_stock_qty, 0)
        self.assertFalse(
            self.env["product.product"]._erp_virtual_stock_map(
                self.warehouse, self.service
            )
        )

    def test_large_read_fills_every_warehouse_correctly(self):
        """Given more products than Odoo reads in one chunk, with stock,
        an order and a manual entry in two warehouses, and a consumable with
        an open delivery, when the virtual stock of all of them is read per
        warehouse, then every figure equals the one of a small read and the
        consumable shows 0."""
        Product = self.env["product.product"]
        many = Product.create(
            [
                {"name": f"VS Bulk {i}", "is_storable": True, "default_code": f"B{i}"}
                for i in range(1100)
            ]
        )
        consumable = Product.create({"name": "VS Consumable", "type": "consu"})
        products = self.product | self.product_2 | many | consumable
        self._set_on_hand(self.product, 10)
        self._set_on_hand(self.product_2, 4, warehouse=self.warehouse_2)
        self._set_on_hand(many[-1], 6, warehouse=self.warehouse_2)
        self._create_order([(self.product, 3), (consumable, 2)]).action_confirm()
        self.assertTrue(
            self.env["stock.move"].search_count(
                [
                    ("product_id", "=", consumable.id),
                    ("state", "in", ("confirmed", "assigned")),
                ]
            ),
            "the consumable's delivery is an open move",
        )
        self._create_entry(many[-1], 5, warehouse=self.warehouse_2)
        self.env.invalidate_all()
        first = products.with_context(warehouse_id=self.warehouse.id).mapped(
            "virtual_stock_qty"
        )
        self.assertEqual(first[-1], 0)
        products = products - consumable
        first = first[:-1]
        second = products.with_context(warehouse_id=self.warehouse_2.id).mapped(
            "virtual_stock_qty"
        )
        self.assertEqual(first[:2], [7, 0])
        self.assertEqual(second[:2], [0, 4])
        self.assertEqual(second[-1], 11)
        self.assertEqual(sum(first), 7)
        self.assertEqual(sum(second), 15)
        # the same figures as a read of one product at a time
        for warehouse, figures in ((self.warehouse, first), (self.warehouse_2, second)):
            for product, figure in zip(
                products[:2] + many[-1:], figures[:2] + figures[-1:], strict=True
            ):
                self.env.invalidate_all()
                self.assertEqual(
                    product.with_context(warehouse_id=warehouse.id).virtual_stock_qty,
                    figure,
                )
