# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .shortage_common import ShortageCommon


@tagged("post_install", "-at_install")
class TestReplenishmentSuggestion(ShortageCommon):
    """Suggest, then approve: in *suggest* mode the replenishment job
    collects suggestions that a buyer edits and approves many at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Suggest Customer"})
        cls.vendor_b = cls.env["res.partner"].create({"name": "Suggest Vendor B"})
        cls.product_c = cls._create_product("Suggest Cable", cls.categ_child)
        cls.product_c.seller_ids.partner_id = cls.vendor_b
        cls._set_stock(cls.product, cls.wh_short, 15)
        cls.Alert.search([("replenish_state", "=", "pending")]).replenish_state = False
        cls.Suggestion = cls.env["erp.replenishment.suggestion"]
        cls.approver = new_test_user(
            cls.env,
            login="suggest_approver",
            groups="purchase.group_purchase_manager,stock.group_stock_manager",
        )
        cls.buyer_manager = new_test_user(
            cls.env,
            login="suggest_buyer_manager",
            groups="purchase.group_purchase_manager",
        )
        cls.buyer = new_test_user(
            cls.env, login="suggest_buyer", groups="purchase.group_purchase_user"
        )
        cls.inventory_user = new_test_user(
            cls.env, login="suggest_inventory_user", groups="stock.group_stock_user"
        )

    def _set_modes(self, transfer="immediate", purchase="immediate"):
        self.company.write(
            {
                "erp_replenish_transfer_mode": transfer,
                "erp_replenish_purchase_mode": purchase,
            }
        )

    def _order_and_replenish(self, qty=8, action="purchase"):
        """A rule of ``action`` on the short warehouse; an order takes the
        stock from 15 to 7 (minimum 10, target 30); the job runs."""
        self._rule(
            self.wh_short,
            product_categ_id=self.categ_child.id,
            basis="virtual_stock",
            action=action,
        )
        self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.wh_short.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": qty}
                    )
                ],
            }
        ).action_confirm()
        self._run_replenish_job()
        return self._alerts(self.product, self.wh_short)

    def _suggestions(self, specs):
        """One alert and one draft suggestion per (kind, product, qty,
        vendor or source warehouse), all for the short warehouse."""
        suggestions = self.Suggestion
        for kind, product, qty, other in specs:
            rule = self._rule(self.wh_short, product_id=product.id, action=kind)
            alert = self.Alert.create(
                {
                    "threshold_id": rule.id,
                    "product_id": product.id,
                    "warehouse_id": self.wh_short.id,
                    "company_id": self.company.id,
                    "qty_at_trigger": 5,
                    "min_qty": 10,
                    "target_qty": 30,
                }
            )
            suggestions |= self.Suggestion.create(
                {
                    "kind": kind,
                    "alert_id": alert.id,
                    "product_id": product.id,
                    "warehouse_id": self.wh_short.id,
                    "quantity": qty,
                    "partner_id": other.id if kind == "purchase" else False,
                    "source_warehouse_id": other.id if kind == "transfer" else False,
                }
            )
        return suggestions

    def _orders_of(self, vendors):
        return self.env["purchase.order"].search([("partner_id", "in", vendors.ids)])

    # ------------------------------------------------------------------
    # Modes
    # ------------------------------------------------------------------

    def test_act_at_once_is_the_default(self):
        """Given a company never configured, when the job replenishes a
        purchase alert, then it orders at once and suggests nothing."""
        self.assertRecordValues(
            self.company,
            [
                {
                    "erp_replenish_transfer_mode": "immediate",
                    "erp_replenish_purchase_mode": "immediate",
                }
            ],
        )
        alert = self._order_and_replenish()
        self.assertEqual(alert.purchase_line_ids.product_qty, 23)
        self.assertFalse(alert.suggestion_ids)

    def test_settings_store_the_modes_per_company(self):
        """Given the settings saved with both actions suggested, then the
        current company suggests and another company still acts at once."""
        other = self.env["res.company"].create({"name": "Suggest Other Co"})
        settings = Form(self.env["res.config.settings"])
        settings.erp_replenish_transfer_mode = "suggest"
        settings.erp_replenish_purchase_mode = "suggest"
        settings.save().execute()
        self.assertEqual(self.company.erp_replenish_transfer_mode, "suggest")
        self.assertEqual(self.company.erp_replenish_purchase_mode, "suggest")
        self.assertEqual(other.erp_replenish_purchase_mode, "immediate")

    def test_suggest_purchase_collects_a_suggestion(self):
        """Given purchases in suggest mode, when the job replenishes the
        alert, then no RFQ exists, the alert stays open and one suggestion
        holds the refill (23) from the vendor, with its reason and date; a
        second run keeps it instead of suggesting twice."""
        self._set_modes(purchase="suggest")
        alert = self._order_and_replenish()
        self.assertFalse(alert.purchase_line_ids)
        self.assertEqual(alert.state, "open")
        self.assertRecordValues(
            alert.suggestion_ids,
            [
                {
                    "kind": "purchase",
                    "state": "draft",
                    "product_id": self.product.id,
                    "warehouse_id": self.wh_short.id,
                    "quantity": 23,
                    "partner_id": self.vendor.id,
                    "source_warehouse_id": False,
                }
            ],
        )
        self.assertIn(alert.name, alert.suggestion_ids.reason)
        self.assertTrue(alert.suggestion_ids.date_expected)
        alert.action_replenish()
        self.assertEqual(len(alert.suggestion_ids), 1)
        self.assertEqual(alert.suggestion_count, 1)

    def test_edited_suggestion_survives_the_next_evaluations(self):
        """Given a suggestion of 23 that the approver edits to 40 from
        another vendor, when the hourly scan and another sale evaluate the
        alert again and the job runs, then the suggestion keeps the
        approver's quantity and vendor, no second one is made and the
        alert's chatter tells the suggestion once."""
        self._set_modes(purchase="suggest")
        alert = self._order_and_replenish()
        other_vendor = self.env["res.partner"].create({"name": "Other Vendor"})
        alert.suggestion_ids.with_user(self.approver).write(
            {"quantity": 40, "partner_id": other_vendor.id}
        )
        self.env["erp.stock.alert"]._cron_scan_thresholds()
        self._run_replenish_job()
        self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.wh_short.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1}
                    )
                ],
            }
        ).action_confirm()
        self._run_replenish_job()
        self.assertRecordValues(
            alert.suggestion_ids,
            [{"state": "draft", "quantity": 40, "partner_id": other_vendor.id}],
        )
        told = alert.message_ids.filtered(
            lambda m: "Suggested for approval" in (m.body or "")
        )
        self.assertEqual(len(told), 1)

    def test_suggest_transfer_collects_a_suggestion(self):
        """Given transfers in suggest mode and a surplus elsewhere, when the
        job replenishes a transfer alert, then no transfer exists and one
        suggestion holds the quantity from the surplus warehouse."""
        self._set_modes(transfer="suggest")
        self._set_stock(self.product, self.wh_surplus, 100)
        alert = self._order_and_replenish(action="transfer")
        self.assertFalse(alert.picking_ids)
        self.assertFalse(alert.note)
        self.assertRecordValues(
            alert.suggestion_ids,
            [
                {
                    "kind": "transfer",
                    "quantity": 23,
                    "source_warehouse_id": self.wh_surplus.id,
                    "partner_id": False,
                }
            ],
        )

    def test_buttons_act_at_once_in_suggest_mode(self):
        """Given purchases in suggest mode, the alert's Create RFQ button
        (the user's explicit choice) still orders at once."""
        self._set_modes(purchase="suggest")
        alert = self._order_and_replenish(action="notify")
        alert.action_replenish_purchase()
        self.assertEqual(alert.purchase_line_ids.product_qty, 23)
        self.assertFalse(alert.suggestion_ids)

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------

    def test_edited_quantity_is_ordered(self):
        """Given a suggestion of 23 edited to 40 in the list, when approved,
        then the RFQ line is of 40."""
        self._set_modes(purchase="suggest")
        suggestion = self._order_and_replenish().suggestion_ids
        suggestion.with_user(self.approver).quantity = 40
        suggestion.with_user(self.approver).action_approve()
        self.assertRecordValues(
            suggestion.purchase_line_id,
            [{"product_qty": 40, "partner_id": self.vendor.id, "price_unit": 10}],
        )
        self.assertEqual(
            suggestion.alert_id.purchase_line_ids, suggestion.purchase_line_id
        )

    def test_approved_rfq_takes_the_vendors_terms(self):
        """Given a vendor with a fiscal position (mapping the product's
        purchase tax), a purchase currency and payment terms, when his
        suggestion is approved, then the RFQ has them and its line the
        mapped tax, as an RFQ made by a procurement or on the form."""
        tax = self.env["account.tax"].create(
            {
                "name": "Suggest Purchase Tax 13%",
                "amount": 13,
                "type_tax_use": "purchase",
            }
        )
        tax_import = self.env["account.tax"].create(
            {"name": "Suggest Import Tax 0%", "amount": 0, "type_tax_use": "purchase"}
        )
        self.product.supplier_taxes_id = tax
        position = self.env["account.fiscal.position"].create(
            {
                "name": "Suggest Import",
                "tax_ids": [
                    Command.create({"tax_src_id": tax.id, "tax_dest_id": tax_import.id})
                ],
            }
        )
        currency = self.env.ref("base.EUR")
        if currency == self.company.currency_id:
            currency = self.env.ref("base.USD")
        currency.active = True
        terms = self.env["account.payment.term"].create({"name": "Suggest 45 days"})
        self.vendor.write(
            {
                "property_account_position_id": position.id,
                "property_purchase_currency_id": currency.id,
                "property_supplier_payment_term_id": terms.id,
            }
        )
        self._set_modes(purchase="suggest")
        suggestion = self._order_and_replenish().suggestion_ids
        suggestion.with_user(self.approver).action_approve()
        self.assertRecordValues(
            suggestion.purchase_line_id.order_id,
            [
                {
                    "fiscal_position_id": position.id,
                    "currency_id": currency.id,
                    "payment_term_id": terms.id,
                }
            ],
        )
        self.assertEqual(suggestion.purchase_line_id.taxes_id, tax_import)

    def test_approved_transfer_runs_the_resupply_route(self):
        """Given the short warehouse resupplied from the surplus one through
        transit and transfers in suggest mode, when the transfer suggestion
        is approved, then Odoo's resupply route runs (a delivery to transit
        and a receipt from it, linked to the alert), as an immediate
        transfer does."""
        self.env.user.groups_id += self.env.ref("stock.group_stock_multi_locations")
        self.wh_short.resupply_wh_ids = self.wh_surplus
        self._set_modes(transfer="suggest")
        self._set_stock(self.product, self.wh_surplus, 100)
        alert = self._order_and_replenish(action="transfer")
        suggestion = alert.suggestion_ids
        self.assertEqual(suggestion.source_warehouse_id, self.wh_surplus)
        suggestion.with_user(self.approver).action_approve()
        transit = self.company.internal_transit_location_id
        self.assertEqual(len(alert.picking_ids), 2)
        self.assertIn(transit, alert.picking_ids.location_dest_id)
        self.assertIn(transit, alert.picking_ids.location_id)
        self.assertIn(suggestion.picking_id, alert.picking_ids)
        self.assertEqual(suggestion.state, "approved")

    def test_suggestion_list_reads_as_odoo_does(self):
        """Given a suggestion, when the list reads it as the web client does
        (read of its fields, then the approved RFQ's reference), then it
        answers: nothing of the model shadows the ORM's own attributes."""
        self._set_modes(purchase="suggest")
        suggestion = self._order_and_replenish().suggestion_ids
        suggestion.invalidate_recordset()
        values = suggestion.with_user(self.approver).read(
            ["product_id", "quantity", "partner_id", "state"]
        )
        self.assertEqual(values[0]["state"], "draft")
        suggestion.with_user(self.approver).action_approve()
        self.assertTrue(suggestion.purchase_order_id.origin)

    def test_batch_approval_groups_per_vendor_and_source(self):
        """Given 3 purchase suggestions from 2 vendors and 3 transfer
        suggestions from 2 warehouses, when approved at once, then there is
        one RFQ per vendor with its lines and one confirmed transfer per
        source warehouse with its moves, each linked to its alerts."""
        moved = [
            self._create_product(f"Suggest Moved {i}", self.categ_child)
            for i in range(3)
        ]
        suggestions = self._suggestions(
            [
                ("purchase", self.product, 5, self.vendor),
                ("purchase", self.product_b, 6, self.vendor),
                ("purchase", self.product_c, 7, self.vendor_b),
                ("transfer", moved[0], 2, self.wh_surplus),
                ("transfer", moved[1], 3, self.wh_surplus),
                ("transfer", moved[2], 4, self.wh_small),
            ]
        )
        suggestions.with_user(self.approver).action_approve()
        orders = self._orders_of(self.vendor | self.vendor_b).sorted("id")
        self.assertEqual(orders.partner_id, self.vendor | self.vendor_b)
        self.assertEqual(len(orders), 2)
        lines = {
            o.partner_id: sorted(o.order_line.mapped("product_qty")) for o in orders
        }
        self.assertEqual(lines, {self.vendor: [5, 6], self.vendor_b: [7]})
        self.assertEqual(set(orders.mapped("state")), {"draft"})
        pickings = suggestions.picking_id
        self.assertEqual(len(pickings), 2)
        moves = {
            p.location_id: sorted(p.move_ids.mapped("product_uom_qty"))
            for p in pickings
        }
        self.assertEqual(
            moves,
            {self.wh_surplus.lot_stock_id: [2, 3], self.wh_small.lot_stock_id: [4]},
        )
        self.assertEqual(set(pickings.mapped("state")) - {"assigned"}, {"confirmed"})
        for suggestion in suggestions:
            alert = suggestion.alert_id
            if suggestion.kind == "purchase":
                self.assertEqual(alert.purchase_line_ids, suggestion.purchase_line_id)
                self.assertEqual(alert.purchase_line_ids.product_id, alert.product_id)
            else:
                self.assertEqual(alert.picking_ids, suggestion.picking_id)
        self.assertEqual(set(suggestions.mapped("state")), {"approved"})

    def test_approver_and_time_recorded(self):
        """Given two suggestions, when a buyer approves them at a given time,
        then the approver and the time are on both suggestions and on both
        alerts, which are in progress."""
        suggestions = self._suggestions(
            [
                ("purchase", self.product, 5, self.vendor),
                ("purchase", self.product_c, 7, self.vendor_b),
            ]
        )
        with freeze_time("2026-03-02 09:30:00"):
            suggestions.with_user(self.buyer_manager).action_approve()
        when = fields.Datetime.to_datetime("2026-03-02 09:30:00")
        expected = {"approved_by_id": self.buyer_manager.id, "date_approved": when}
        self.assertRecordValues(suggestions, [expected, expected])
        expected_alert = {
            "suggestion_approved_by_id": self.buyer_manager.id,
            "date_suggestion_approved": when,
            "state": "in_progress",
        }
        self.assertRecordValues(suggestions.alert_id, [expected_alert] * 2)

    def test_cancelled_in_selection_changes_nothing(self):
        """Given a selection with a cancelled suggestion, when approved, then
        a UserError names it and nothing is ordered nor approved."""
        suggestions = self._suggestions(
            [
                ("purchase", self.product, 5, self.vendor),
                ("purchase", self.product_b, 6, self.vendor),
            ]
        )
        suggestions[1].action_cancel()
        with self.assertRaisesRegex(UserError, "Only suggestions to approve"):
            suggestions.with_user(self.approver).action_approve()
        self.assertEqual(suggestions.mapped("state"), ["draft", "cancelled"])
        self.assertFalse(self._orders_of(self.vendor))
        self.assertFalse(suggestions.alert_id.suggestion_approved_by_id)

    def test_quantity_not_positive_changes_nothing_translated(self):
        """Given a suggestion set to 0 beside a valid one (vendor B), when a
        Chinese-speaking buyer approves both, then the error is in Chinese
        and no RFQ exists for either vendor."""
        self.env["res.lang"]._activate_lang("zh_CN")
        suggestions = self._suggestions(
            [
                ("purchase", self.product_c, 7, self.vendor_b),
                ("purchase", self.product, 5, self.vendor),
            ]
        )
        suggestions[1].quantity = 0
        self.approver.lang = "zh_CN"
        # the web client sends the user's language in the context
        as_approver = suggestions.with_user(self.approver).with_context(lang="zh_CN")
        with self.assertRaisesRegex(UserError, "请设置大于零的数量"):
            as_approver.action_approve()
        self.assertFalse(self._orders_of(self.vendor | self.vendor_b))
        self.assertEqual(set(suggestions.mapped("state")), {"draft"})
        suggestions[1].quantity = -3
        with self.assertRaises(UserError):
            suggestions.with_user(self.approver).action_approve()

    def test_approved_suggestion_is_locked(self):
        """Given an approved suggestion, its quantity cannot change any more."""
        suggestion = self._suggestions([("purchase", self.product, 5, self.vendor)])
        suggestion.with_user(self.approver).action_approve()
        with self.assertRaises(UserError):
            suggestion.with_user(self.approver).quantity = 9

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_purchase_user_reads_but_cannot_approve(self):
        """Given a standard Purchase / User, they see the suggestions but can
        neither edit nor approve them; an Inventory / User reads them too."""
        suggestion = self._suggestions([("purchase", self.product, 5, self.vendor)])
        for user in (self.buyer, self.inventory_user):
            self.assertEqual(
                self.Suggestion.with_user(user).search([("id", "=", suggestion.id)]),
                suggestion,
            )
            self.assertEqual(suggestion.with_user(user).quantity, 5)
        with self.assertRaises(AccessError):
            suggestion.with_user(self.buyer).quantity = 8
        with self.assertRaises(AccessError):
            suggestion.with_user(self.buyer).action_approve()
        self.assertEqual(suggestion.state, "draft")

    def test_purchase_administrator_without_addon_groups_approves(self):
        """Given a standard Purchase / Administrator (no Virtual Stock nor
        Inventory group), they approve purchase suggestions: the RFQ is
        created and the alert records them; transfer suggestions are the
        inventory administrators'."""
        purchase, transfer = self._suggestions(
            [
                ("purchase", self.product, 5, self.vendor),
                ("transfer", self.product_b, 3, self.wh_surplus),
            ]
        )
        purchase.with_user(self.buyer_manager).action_approve()
        self.assertEqual(purchase.purchase_line_id.order_id.user_id, self.buyer_manager)
        self.assertEqual(
            purchase.alert_id.suggestion_approved_by_id, self.buyer_manager
        )
        with self.assertRaises(AccessError):
            transfer.with_user(self.buyer_manager).action_approve()
        self.assertEqual(transfer.state, "draft")

    def test_approval_queries_do_not_grow_with_the_lines(self):
        """Given 2, then 8 purchase suggestions of one vendor, approving them
        costs the same number of queries (set-based: nothing per line)."""
        products = [
            self._create_product(f"Suggest Count {i}", self.categ_child)
            for i in range(10)
        ]
        small = self._suggestions(
            [("purchase", product, 3, self.vendor) for product in products[:2]]
        )
        large = self._suggestions(
            [("purchase", product, 3, self.vendor) for product in products[2:]]
        )
        counts = []
        for suggestions in (small, large):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            suggestions.with_user(self.approver).action_approve()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(len(large.purchase_line_id), 8)
        self.assertLessEqual(counts[1], counts[0] + 2, counts)

    def test_purchase_user_reads_the_approved_rfq(self):
        """Given an RFQ made by approving a suggestion, a standard
        Purchase / User reads its lines (every field) and confirms it."""
        suggestion = self._suggestions([("purchase", self.product, 5, self.vendor)])
        suggestion.with_user(self.approver).action_approve()
        order = suggestion.purchase_line_id.order_id.with_user(self.buyer)
        self.assertTrue(order.order_line.read())
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
