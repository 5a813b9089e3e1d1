# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ErpPriorityCommon


@tagged("post_install", "-at_install")
class TestAccess(ErpPriorityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="erp_op_access_user",
            groups="erp_order_priority.erp_order_priority_group_user,stock.group_stock_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="erp_op_access_manager",
            groups="erp_order_priority.erp_order_priority_group_manager",
        )

    def test_user_cannot_edit_rules(self):
        """Given a sales user, creating a priority or assignment rule is denied."""
        with self.assertRaises(AccessError):
            self.env["erp.order.priority.rule"].with_user(self.user).create(
                {"name": "x", "criterion": "customer_tier", "customer_tier": "vip"}
            )
        with self.assertRaises(AccessError):
            self.env["erp.order.assignment.rule"].with_user(self.user).create(
                {"name": "x", "team_id": self.env["crm.team"].search([], limit=1).id}
            )

    def test_manager_edits_rules(self):
        """Given a manager, creating a priority rule works."""
        rule = (
            self.env["erp.order.priority.rule"]
            .with_user(self.manager)
            .create({"name": "x", "criterion": "customer_tier", "customer_tier": "vip"})
        )
        self.assertTrue(rule.exists())

    def test_user_reads_report_and_runs_simulation(self):
        """Given a user with stock rights, the report reads and a simulation runs."""
        self.env["erp.order.report"].with_user(self.user).search([], limit=1)
        run = (
            self.env["erp.allocation.run"]
            .with_user(self.user)
            .create({"warehouse_id": self.warehouse.id, "mode": "simulate"})
        )
        run.action_run()
        self.assertEqual(run.state, "done")

    def test_other_company_rules_hidden(self):
        """Given a rule of another company, a user of this company cannot see it."""
        other = self.env["res.company"].create({"name": "Other Rules Co"})
        rule = self._create_rule(
            criterion="customer_tier", customer_tier="vip", company_id=other.id
        )
        visible = self.env["erp.order.priority.rule"].with_user(self.user).search([])
        self.assertNotIn(rule, visible)

    def test_user_cannot_set_customer_tier(self):
        """Given a sales user (who may edit customers), when they set a
        customer's tier, on an existing customer or a new one, it is refused;
        editing the customer otherwise still works, the form shows them the
        tier read-only and a manager may set it."""
        salesman = new_test_user(
            self.env,
            login="erp_op_access_salesman",
            groups="erp_order_priority.erp_order_priority_group_user,"
            "base.group_partner_manager",
        )
        partner = self.partner_standard.with_user(salesman)
        with self.assertRaises(AccessError):
            partner.write({"customer_tier": "vip"})
        with self.assertRaises(AccessError):
            partner.create({"name": "Self-made VIP", "customer_tier": "vip"})
        partner.write({"phone": "+86 21 5555 0101", "customer_tier": "standard"})
        created = partner.create({"name": "New Customer"})
        self.assertEqual(created.customer_tier, "standard")
        for who, readonly in ((salesman, True), (self.manager, False)):
            arch = etree.fromstring(
                self.env["res.partner"]
                .with_user(who)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            nodes = arch.xpath("//field[@name='customer_tier']")
            self.assertEqual(len(nodes), 1)
            self.assertEqual(nodes[0].get("readonly") in ("1", "True"), readonly)
        self.partner_standard.with_user(self.manager).customer_tier = "gold"
        self.assertRecordValues(
            self.partner_standard,
            [{"customer_tier": "gold", "phone": "+86 21 5555 0101"}],
        )
