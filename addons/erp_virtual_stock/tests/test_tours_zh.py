# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common_tour import TourScreenshotCase


@tagged("post_install", "-at_install")
class TestBuyerJourneyZh(TourScreenshotCase):
    """The buyer's journey in Chinese, one tour (and one screenshot) per
    screen: the alerts, an alert's next actions, a request for quotation
    from an alert, a transfer from another warehouse's surplus."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warehouse = cls.env["stock.warehouse"]
        cls.warehouse = Warehouse.create(
            {"name": "采购旅程仓", "code": "ZHBY", "virtual_stock_policy": "allow"}
        )
        cls.source = Warehouse.create({"name": "调拨来源仓", "code": "ZHSR"})
        vendor = cls.env["res.partner"].create({"name": "旅程供应商"})
        cls.beans, cls.filters = cls.env["product.product"].create(
            [
                {
                    "name": "旅程咖啡豆",
                    "is_storable": True,
                    "seller_ids": [(0, 0, {"partner_id": vendor.id, "price": 12})],
                },
                {"name": "旅程滤纸", "is_storable": True},
            ]
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.filters, cls.source.lot_stock_id, 50
        )
        cls.env["erp.stock.threshold"].create(
            [
                {
                    "name": f"旅程规则 {product.name}",
                    "warehouse_id": cls.warehouse.id,
                    "product_id": product.id,
                    "basis": "virtual_stock",
                    "min_qty": 10,
                    "target_qty": 20,
                    "action": "notify",
                }
                for product in (cls.beans, cls.filters)
            ]
        )
        rules = cls.env["erp.stock.threshold"].search(
            [("warehouse_id", "=", cls.warehouse.id)]
        )
        cls.env["erp.stock.alert"]._cron_scan_thresholds()
        alerts = cls.env["erp.stock.alert"].search([("threshold_id", "in", rules.ids)])
        cls.beans_alert = alerts.filtered(lambda a: a.product_id == cls.beans)
        cls.filters_alert = alerts.filtered(lambda a: a.product_id == cls.filters)
        cls._setup_zh_cn_user(cls.env.ref("base.user_admin"))

    def _alert_url(self, alert):
        return f"/odoo/action-erp_virtual_stock.erp_stock_alert_action/{alert.id}"

    def test_buyer_journey(self):
        """Given two products below their minimum, one with a vendor and one
        with a surplus in another warehouse, when the buyer opens the alerts,
        then an alert, creates an RFQ from the first and a transfer from the
        second, then every screen reads in Chinese and the alerts are 跟进中
        with their RFQ and transfer."""
        self.assertTrue(self.beans_alert.can_purchase)
        self.assertTrue(self.filters_alert.can_transfer)
        self.start_tour_with_screenshot(
            "/odoo/action-erp_virtual_stock.erp_stock_alert_action",
            "erp_zh_buyer_1_alerts_tour",
            login="admin",
        )
        self.start_tour_with_screenshot(
            self._alert_url(self.beans_alert),
            "erp_zh_buyer_2_alert_tour",
            login="admin",
        )
        self.start_tour_with_screenshot(
            self._alert_url(self.beans_alert),
            "erp_zh_buyer_3_rfq_tour",
            login="admin",
        )
        self.assertEqual(self.beans_alert.state, "in_progress")
        self.assertEqual(self.beans_alert.purchase_count, 1)
        self.start_tour_with_screenshot(
            self._alert_url(self.filters_alert),
            "erp_zh_buyer_4_transfer_tour",
            login="admin",
        )
        self.assertEqual(self.filters_alert.state, "in_progress")
        self.assertEqual(self.filters_alert.picking_count, 1)


@tagged("post_install", "-at_install")
class TestDashboardTour(TourScreenshotCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].create(
            {"name": "看板仓库", "code": "ZHDB"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "仪表板水壶", "is_storable": True}
        )
        rule = cls.env["erp.stock.threshold"].create(
            {
                "name": "仪表板规则",
                "warehouse_id": cls.warehouse.id,
                "product_id": cls.product.id,
                "min_qty": 5,
                "target_qty": 10,
                "action": "notify",
            }
        )
        cls.env["erp.stock.alert"]._cron_scan_thresholds()
        cls.alert = cls.env["erp.stock.alert"].search([("threshold_id", "=", rule.id)])
        cls._setup_zh_cn_user(cls.env.ref("base.user_admin"))

    def test_dashboard_figure_opens_its_list(self):
        """Given an open alert, when the manager opens the dashboard (in
        Chinese) and clicks the open alerts figure, then the alerts it counts
        are listed, the kettle's among them."""
        self.assertEqual(self.alert.state, "open")
        self.start_tour_with_screenshot(
            "/odoo/action-erp_virtual_stock.erp_dashboard_action",
            "erp_zh_dashboard_tour",
            login="admin",
        )
