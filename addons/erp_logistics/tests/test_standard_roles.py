# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's standard roles keep their everyday flows with the three addons
installed (and their demo data), without any of the addons' groups, and see
nothing new they should not."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

ADDON_CATEGORIES = (
    "erp_virtual_stock.module_category_erp_virtual_stock",
    "erp_order_priority.module_category_erp_order_priority",
    "erp_logistics.module_category_erp_logistics",
)


class StandardRolesCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.carrier = cls.env.ref("erp_logistics.delivery_carrier_express_demo")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Role Test Chair",
                "is_storable": True,
                "list_price": 80.0,
                "standard_price": 30.0,
                "company_id": False,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Role Test Customer", "email": "role.customer@example.com"}
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Role Test Vendor", "email": "role.vendor@example.com"}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 100
        )
        # a stock rule of erp_virtual_stock: a confirmation that takes the
        # virtual stock below it raises an alert as a side effect
        cls.threshold = cls.env["erp.stock.threshold"].create(
            {
                "name": "Role Test Chair minimum",
                "warehouse_id": cls.warehouse.id,
                "product_id": cls.product.id,
                "basis": "virtual_stock",
                "min_qty": 99,
                "target_qty": 150,
                "action": "notify",
            }
        )
        cls.salesman_own = new_test_user(
            cls.env, login="role_sale_own", groups="sales_team.group_sale_salesman"
        )
        cls.salesman_all = new_test_user(
            cls.env,
            login="role_sale_all",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.sale_manager = new_test_user(
            cls.env, login="role_sale_manager", groups="sales_team.group_sale_manager"
        )
        cls.stock_user = new_test_user(
            cls.env, login="role_stock_user", groups="stock.group_stock_user"
        )
        cls.stock_manager = new_test_user(
            cls.env, login="role_stock_manager", groups="stock.group_stock_manager"
        )
        cls.purchase_user = new_test_user(
            cls.env, login="role_purchase_user", groups="purchase.group_purchase_user"
        )

    # ------------------------------------------------------------ helpers
    def _alerts(self):
        return self.env["erp.stock.alert"].search(
            [("threshold_id", "=", self.threshold.id)]
        )

    def _assert_no_addon_group(self, user):
        addon_groups = self.env["res.groups"].search(
            [
                (
                    "category_id",
                    "in",
                    [self.env.ref(xmlid).id for xmlid in ADDON_CATEGORIES],
                )
            ]
        )
        self.assertFalse(user.groups_id & addon_groups)

    def _quotation(self, user, qty=5, carrier=None, partner=None):
        """Create a quotation as ``user`` as the sales form does."""
        with Form(self.env["sale.order"].with_user(user)) as form:
            form.partner_id = partner or self.customer
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = qty
        order = form.record
        if carrier:
            order.sudo().carrier_id = carrier
        return order

    def _validate(self, picking, user, quantities=None, backorder=True):
        """Validate ``picking`` as ``user``, processing ``quantities``
        {product: qty} (everything by default)."""
        picking = picking.with_user(user)
        if picking.state != "assigned":
            picking.action_assign()
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(
                move.product_id, move.product_uom_qty
            )
            move.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            self.assertEqual(result["res_model"], "stock.backorder.confirmation")
            wizard = Form(
                self.env[result["res_model"]]
                .with_user(user)
                .with_context(**result["context"])
            ).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        self.assertEqual(picking.state, "done")
        return picking

    def _return(self, picking, user, qty):
        """Return ``qty`` of the done ``picking`` as ``user`` and validate
        the return."""
        wizard = Form(
            self.env["stock.return.picking"]
            .with_user(user)
            .with_context(
                active_id=picking.id,
                active_ids=picking.ids,
                active_model="stock.picking",
            )
        ).save()
        wizard.product_return_moves.quantity = qty
        action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        return self._validate(returned, user)

    def _confirmed_order(self, qty=5, carrier=None, salesperson=None):
        order = self._quotation(self.env.user, qty=qty, carrier=carrier)
        if salesperson:
            order.user_id = salesperson
        order.action_confirm()
        return order

    def _warehouse_flow(self, user):
        """Everyday flows of a warehouse role: deliveries with and without
        carrier (one with a backorder), a return and a receipt."""
        self._assert_no_addon_group(user)
        # delivery with a carrier, in two parts (backorder)
        order = self._confirmed_order(qty=5, carrier=self.carrier)
        picking = order.picking_ids
        self.assertEqual(picking.carrier_id, self.carrier)
        picking.with_user(user).read()
        Form(picking.with_user(user))
        Form(self.product.with_user(user))
        self._validate(picking, user, {self.product: 3})
        backorder = order.picking_ids - picking
        self.assertEqual(backorder.move_ids.product_uom_qty, 2)
        self._validate(backorder, user)
        shipments = self.env["erp.shipment"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(shipments.picking_id, picking | backorder)
        self.assertEqual(set(shipments.mapped("state")), {"shipped"})
        self.assertEqual(shipments.create_uid, user)
        # the carrier's tracking number comes later, written on the delivery
        backorder.with_user(user).carrier_tracking_ref = "ROLE-TRACK-1"
        self.assertEqual(
            shipments.filtered(lambda s: s.picking_id == backorder).tracking_number,
            "ROLE-TRACK-1",
        )
        # delivery without carrier: no shipment
        plain = self._confirmed_order(qty=2)
        self._validate(plain.picking_ids, user)
        self.assertFalse(
            self.env["erp.shipment"].search([("sale_order_id", "=", plain.id)])
        )
        # return of part of the delivered goods
        returned = self._return(picking, user, 1)
        self.assertEqual(returned.picking_type_id, self.warehouse.in_type_id)
        self.assertEqual(order.order_line.qty_delivered, 4)
        # receipt of a purchase
        purchase = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_qty": 7})
                ],
            }
        )
        purchase.button_confirm()
        self._validate(purchase.picking_ids, user)
        self.assertEqual(purchase.order_line.qty_received, 7)
        # and the warehouse role sees no shipment it may not
        with self.assertRaises(AccessError):
            shipments.with_user(user).read(["name"])


@tagged("post_install", "-at_install")
class TestStandardRoles(StandardRolesCommon):
    def test_salesman_own_documents(self):
        """Given Sales / User: Own Documents Only, a quotation is created,
        confirmed and read back with its delivery; the user sees only the
        shipments of their own orders and no allocation line or order
        analysis row."""
        user = self.salesman_own
        self._assert_no_addon_group(user)
        order = self._quotation(user)
        order.with_user(user).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(self._alerts())
        order.with_user(user).read()
        order.picking_ids.with_user(user).read()
        Form(order.with_user(user))
        Form(self.product.with_user(user))
        # the delivery, validated in the warehouse, ships the order
        order.carrier_id = self.carrier
        order.picking_ids.carrier_id = self.carrier
        self._validate(order.picking_ids, self.stock_user)
        own_shipment = self.env["erp.shipment"].search(
            [("sale_order_id", "=", order.id)]
        )
        self.assertTrue(own_shipment)
        other = self._confirmed_order(
            qty=1, carrier=self.carrier, salesperson=self.salesman_all
        )
        self._validate(other.picking_ids, self.stock_user)
        other_shipment = self.env["erp.shipment"].search(
            [("sale_order_id", "=", other.id)]
        )
        Shipment = self.env["erp.shipment"].with_user(user)
        visible = Shipment.search([("sale_order_id", "in", (order | other).ids)])
        self.assertEqual(visible, own_shipment)
        with self.assertRaises(AccessError):
            other_shipment.with_user(user).read(["name"])
        events = self.env["erp.shipment.event"].with_user(user)
        self.assertFalse(events.search([("shipment_id.sale_order_id", "=", other.id)]))
        # allocation lines and the order analysis are the addons' own data
        for model in ("erp.allocation.run.line", "erp.order.report"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(user).search([])

    def test_salesman_own_documents_with_order_management(self):
        """Given an own-documents salesperson who also uses Order Management,
        the allocation lines and analysis rows of other salespeople's orders
        stay hidden; an all-documents one sees them."""
        user = self.salesman_own
        user.groups_id = [
            Command.link(
                self.env.ref("erp_order_priority.erp_order_priority_group_user").id
            )
        ]
        all_user = self.salesman_all
        all_user.groups_id = [
            Command.link(
                self.env.ref("erp_order_priority.erp_order_priority_group_user").id
            )
        ]
        mine = self._confirmed_order(qty=1, salesperson=user)
        theirs = self._confirmed_order(qty=1, salesperson=all_user)
        run = self.env["erp.allocation.run"].create(
            {
                "warehouse_id": self.warehouse.id,
                "mode": "simulate",
                "product_ids": [Command.set(self.product.ids)],
            }
        )
        run.action_run()
        orders = mine | theirs
        self.assertEqual(run.line_ids.order_id & orders, orders)
        self.env.flush_all()
        for model, field in (
            ("erp.allocation.run.line", "order_id"),
            ("erp.order.report", "order_id"),
        ):
            Model = self.env[model]
            self.assertEqual(
                set(
                    Model.with_user(user)
                    .search([(field, "in", orders.ids)])
                    .mapped(field)
                ),
                {mine},
                model,
            )
            self.assertEqual(
                set(
                    Model.with_user(all_user)
                    .search([(field, "in", orders.ids)])
                    .mapped(field)
                ),
                {mine, theirs},
                model,
            )

    def test_salesman_all_documents(self):
        """Given Sales / User: All Documents, a quotation is confirmed and
        every order's shipments can be read."""
        user = self.salesman_all
        self._assert_no_addon_group(user)
        order = self._quotation(user, carrier=self.carrier)
        order.with_user(user).action_confirm()
        order.with_user(user).read()
        other = self._confirmed_order(
            qty=1, carrier=self.carrier, salesperson=self.salesman_own
        )
        self._validate(other.picking_ids, self.stock_user)
        shipment = self.env["erp.shipment"].search([("sale_order_id", "=", other.id)])
        self.assertEqual(
            self.env["erp.shipment"]
            .with_user(user)
            .search([("sale_order_id", "=", other.id)]),
            shipment,
        )

    def test_sales_administrator(self):
        """Given Sales / Administrator, another salesperson's order is read
        and reassigned, a quotation is confirmed, and a draft quotation is
        deleted."""
        user = self.sale_manager
        self._assert_no_addon_group(user)
        other = self._quotation(self.salesman_own)
        other.with_user(user).read()
        other.with_user(user).write({"user_id": self.salesman_all.id})
        order = self._quotation(user)
        order.with_user(user).action_confirm()
        order.with_user(user).read()
        other.with_user(user).unlink()
        self.assertFalse(other.exists())

    def test_inventory_user(self):
        """Given Inventory / User, deliveries with and without carrier, a
        backorder, a return and a receipt are validated."""
        self._warehouse_flow(self.stock_user)

    def test_inventory_administrator(self):
        """Given Inventory / Administrator, the same warehouse flows work."""
        self._warehouse_flow(self.stock_manager)

    def test_purchase_user(self):
        """Given Purchase / User, a request for quotation is confirmed and its
        receipt read; validated in the warehouse, the quantity is received."""
        user = self.purchase_user
        self._assert_no_addon_group(user)
        with Form(self.env["purchase.order"].with_user(user)) as form:
            form.partner_id = self.vendor
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_qty = 4
        purchase = form.record
        purchase.with_user(user).button_confirm()
        self.assertEqual(purchase.state, "purchase")
        purchase.with_user(user).read()
        purchase.picking_ids.with_user(user).read()
        self._validate(purchase.picking_ids, self.stock_user)
        self.assertEqual(purchase.with_user(user).order_line.qty_received, 4)
        # the forms the role opens, with the fields the addons add to them
        Form(purchase.with_user(user))
        Form(self.product.with_user(user))

    def test_second_company_user(self):
        """Given a sales and inventory administrator of a second company
        only, an order of that company is confirmed and delivered with a
        carrier; none of the first company's shipments or orders show."""
        company_b = self.env["res.company"].create({"name": "Role Test Company B"})
        warehouse_b = self.env["stock.warehouse"].search(
            [("company_id", "=", company_b.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product, warehouse_b.lot_stock_id, 10
        )
        user = new_test_user(
            self.env,
            login="role_company_b",
            groups="sales_team.group_sale_manager,stock.group_stock_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self._assert_no_addon_group(user)
        order = self._quotation(user, qty=2, carrier=self.carrier)
        self.assertEqual(order.company_id, company_b)
        order.with_user(user).action_confirm()
        self._validate(order.picking_ids, user)
        shipment = self.env["erp.shipment"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(shipment.company_id, company_b)
        # the first company's shipments (demo and this test's) stay hidden
        self._validate(
            self._confirmed_order(qty=1, carrier=self.carrier).picking_ids,
            self.stock_user,
        )
        company_a = self.env["erp.shipment"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertTrue(company_a)
        self.assertEqual(self.env["erp.shipment"].with_user(user).search([]), shipment)
        self.assertFalse(
            self.env["erp.shipment.event"]
            .with_user(user)
            .search([("company_id", "=", self.company.id)])
        )
        with self.assertRaises(AccessError):
            company_a[:1].with_user(user).read(["name"])


@tagged("post_install", "-at_install")
class TestStandardRolesPortal(HttpCase, StandardRolesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls.env["res.partner"].create(
            {"name": "Role Test Portal Customer", "email": "role.portal@example.com"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="role_portal",
            groups="base.group_portal",
            partner_id=cls.portal_partner.id,
        )
        cls.order = cls._quotation_as_admin(cls.portal_partner)
        cls.order.action_confirm()

    @classmethod
    def _quotation_as_admin(cls, partner):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 1})
                ],
            }
        )

    def test_portal_user_views_order(self):
        """Given a portal customer, the order list and the order page show
        their confirmed order; another customer's order is refused."""
        self._assert_no_addon_group(self.portal_user)
        self.authenticate("role_portal", "role_portal")
        page = self.url_open("/my/orders")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        other = self._quotation_as_admin(self.customer)
        other.action_confirm()
        page = self.url_open(f"/my/orders/{other.id}", allow_redirects=False)
        self.assertNotEqual(page.status_code, 200)

    def test_public_user_views_order_with_token(self):
        """Given the public user, the order page opens with the order's access
        token (the link of the confirmation mail) and not without it."""
        public = self.env.ref("base.public_user")
        self._assert_no_addon_group(public)
        token = self.order._portal_ensure_token()
        page = self.url_open(f"/my/orders/{self.order.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        page = self.url_open(f"/my/orders/{self.order.id}", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
