# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import tagged

from odoo.addons.erp_virtual_stock.tests.common_tour import TourScreenshotCase


@tagged("post_install", "-at_install")
class TestSalesClerkJourneyZh(TourScreenshotCase):
    """The sales clerk's journey in Chinese, one tour (and one screenshot)
    per screen: quotation and line availability, confirmation with a
    priority, the delivery's priority, the order's fulfillment state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_stock(
            {"name": "旅程仓库", "code": "ZHJW", "virtual_stock_policy": "warn"},
            "旅程茶壶",
            5,
            30,
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.property_warehouse_id = cls.warehouse
        cls._setup_zh_cn_user(cls.admin)
        cls.partner = cls.env["res.partner"].create({"name": "旅程客户"})
        supply = cls.env["erp.virtual.stock"].create(
            {
                "product_id": cls.product.id,
                "warehouse_id": cls.warehouse.id,
                "quantity": 10,
                "reason": "supplier_stock",
                "date_start": fields.Date.add(fields.Date.today(), days=5),
            }
        )
        supply.action_activate()

    def test_sales_clerk_journey(self):
        """Given 5 teapots in stock and 10 promised in 5 days, when the clerk
        quotes 8, confirms the quotation as 加急, opens its delivery and the
        fulfillment board, then each screen reads in Chinese: the line is
        部分可用 with a promise date, the order 加急 and 待处理, the delivery
        starred."""
        self.start_tour_with_screenshot(
            "/odoo/action-sale.action_quotations_with_onboarding",
            "erp_zh_sales_1_quotation_tour",
            login="admin",
        )
        order = self.env["sale.order"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(len(order), 1)
        self.assertTrue(order.order_line.promise_date)
        self.start_tour_with_screenshot(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "erp_zh_sales_2_confirm_tour",
            login="admin",
        )
        self.assertRecordValues(
            order,
            [
                {
                    "state": "sale",
                    "priority_level": "urgent",
                    "fulfillment_state": "pending",
                }
            ],
        )
        self.assertEqual(order.picking_ids.priority, "1")
        self.start_tour_with_screenshot(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "erp_zh_sales_3_delivery_tour",
            login="admin",
        )
        self.start_tour_with_screenshot(
            "/odoo/action-erp_order_priority.sale_order_fulfillment_action",
            "erp_zh_sales_4_status_tour",
            login="admin",
        )
