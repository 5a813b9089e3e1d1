# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestAssignment(ErpPriorityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_account_user = new_test_user(
            cls.env, login="erp_op_key_account", groups="sales_team.group_sale_salesman"
        )
        cls.team = cls.env["crm.team"].create({"name": "Key Accounts"})
        cls.warehouse2 = cls.env["stock.warehouse"].create(
            {
                "name": "Priority Second Warehouse",
                "code": "PW2",
                "virtual_stock_policy": "allow",
            }
        )
        cls.rule = cls.env["erp.order.assignment.rule"].create(
            {
                "name": "VIP to key accounts",
                "domain": "[('partner_id.customer_tier', '=', 'vip')]",
                "team_id": cls.team.id,
                "user_id": cls.key_account_user.id,
                "warehouse_id": cls.warehouse2.id,
                "apply_on": "both",
            }
        )

    def test_rule_assigns_on_creation_with_activity(self):
        """Given a VIP rule, when a VIP order is created, it gets the team,
        salesperson, warehouse and an activity for the salesperson."""
        order = self._create_order(self.partner_vip, [(self.product, 1)])
        self.assertRecordValues(
            order,
            [
                {
                    "team_id": self.team.id,
                    "user_id": self.key_account_user.id,
                    "warehouse_id": self.warehouse2.id,
                    "erp_assignment_rule_id": self.rule.id,
                }
            ],
        )
        activity = order.activity_ids.filtered(
            lambda a: a.user_id == self.key_account_user
        )
        self.assertEqual(len(activity), 1)

    def test_non_matching_order_untouched(self):
        """Given a VIP rule, a standard customer's order is not assigned."""
        order = self._create_order(self.partner_standard, [(self.product, 1)])
        self.assertFalse(order.erp_assignment_rule_id)
        self.assertNotEqual(order.user_id, self.key_account_user)

    def test_rule_applies_on_confirmation(self):
        """Given a customer who became VIP after the quotation, when the order
        is confirmed, it is assigned and the delivery leaves the rule's
        warehouse, with a single activity."""
        order = self._create_order(self.partner_gold, [(self.product, 1)])
        self.assertFalse(order.erp_assignment_rule_id)
        self.partner_gold.customer_tier = "vip"
        order.action_confirm()
        self.assertEqual(order.user_id, self.key_account_user)
        self.assertEqual(
            order.picking_ids.picking_type_id.warehouse_id, self.warehouse2
        )
        self.assertEqual(len(order.activity_ids), 1)

    def test_first_rule_by_sequence_wins(self):
        """Given two matching rules, the one with the lower sequence assigns."""
        other_team = self.env["crm.team"].create({"name": "All Customers"})
        first = self.env["erp.order.assignment.rule"].create(
            {"name": "Everyone", "sequence": 1, "team_id": other_team.id}
        )
        order = self._create_order(self.partner_vip, [(self.product, 1)])
        self.assertEqual(order.erp_assignment_rule_id, first)
        self.assertEqual(order.team_id, other_team)

    def test_invalid_rule_refused(self):
        """Given a rule with a bad domain or nothing to assign, saving raises."""
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.env["erp.order.assignment.rule"].create(
                {"name": "Bad", "domain": "[('nope', '=', 1)]", "team_id": self.team.id}
            )
        with self.assertRaises(ValidationError):
            self.env["erp.order.assignment.rule"].create({"name": "Empty"})

    def test_rule_without_warehouse_keeps_the_order_warehouse(self):
        """Given a rule that sets only a salesperson, when an order for a
        chosen warehouse matches it, the order keeps its warehouse."""
        self.rule.warehouse_id = False
        order = self._create_order(self.partner_vip, [(self.product, 1)])
        self.assertEqual(order.user_id, self.key_account_user)
        self.assertEqual(order.warehouse_id, self.warehouse)

    def test_salesman_creates_and_confirms_routed_order(self):
        """Given a salesman who cannot read the assignment rules, when he
        creates and confirms a matching order, the rule still routes it."""
        self.rule.user_id = False  # the order stays his
        salesman = new_test_user(
            self.env,
            login="erp_op_plain_salesman",
            groups="sales_team.group_sale_salesman",
        )
        order = (
            self.env["sale.order"]
            .with_user(salesman)
            .create(
                {
                    "partner_id": self.partner_vip.id,
                    "warehouse_id": self.warehouse.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.erp_assignment_rule_id, self.rule)
        self.assertEqual(order.team_id, self.team)
        self.assertEqual(order.state, "sale")

    def _quotation_of_own_documents_salesman(self, login, partner, **vals):
        """A quotation of one line created by a new salesman who sees his
        own documents only."""
        salesman = new_test_user(
            self.env, login=login, groups="sales_team.group_sale_salesman"
        )
        return (
            self.env["sale.order"]
            .with_user(salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 1}
                        )
                    ],
                    **vals,
                }
            )
        )

    def test_own_documents_salesman_creates_order_routed_to_another(self):
        """Given a salesman who sees his own documents only, when he creates
        a VIP quotation that the rule hands to the key account manager, then
        it is saved and routed: the key account manager's, with his
        activity."""
        order = self._quotation_of_own_documents_salesman(
            "erp_op_own_docs_creator", self.partner_vip
        )
        self.assertEqual(order.sudo().user_id, self.key_account_user)
        self.assertEqual(order.sudo().activity_ids.user_id, self.key_account_user)

    def test_own_documents_salesman_confirms_order_routed_to_another(self):
        """Given a salesman who sees his own documents only and a quotation
        of his for a customer who became VIP, when he confirms it, then it
        is confirmed from the rule's warehouse and handed to the key account
        manager, with one activity for him."""
        self.rule.apply_on = "confirm"
        order = self._quotation_of_own_documents_salesman(
            "erp_op_own_docs_confirmer",
            self.partner_gold,
            warehouse_id=self.warehouse.id,
        )
        self.partner_gold.customer_tier = "vip"
        order.action_confirm()
        order = order.sudo()
        self.assertRecordValues(
            order,
            [
                {
                    "state": "sale",
                    "user_id": self.key_account_user.id,
                    "warehouse_id": self.warehouse2.id,
                    "erp_assignment_rule_id": self.rule.id,
                }
            ],
        )
        self.assertEqual(
            order.picking_ids.picking_type_id.warehouse_id, self.warehouse2
        )
        self.assertEqual(order.activity_ids.user_id, self.key_account_user)
        self.assertEqual(len(order.activity_ids), 1)
