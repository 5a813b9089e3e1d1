# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon

from ..models.erp_dashboard import NOT_APPLICABLE


@tagged("post_install", "-at_install")
class TestDashboard(BaseCommon):
    """The manager dashboard's figures, counted on a company of their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Dashboard Co"})
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse.virtual_stock_policy = "allow"
        cls.warehouse_2 = cls.env["stock.warehouse"].create(
            {"name": "Dashboard WH 2", "code": "DSH2", "company_id": cls.company.id}
        )
        cls.products = cls.env["product.product"].create(
            [{"name": f"Dashboard Product {i}", "is_storable": True} for i in range(4)]
        )
        cls.customer = cls.env["res.partner"].create({"name": "Dashboard Customer"})
        cls.Dashboard = (
            cls.env["erp.dashboard"]
            .with_company(cls.company)
            .with_context(allowed_company_ids=[cls.company.id])
        )

    def _figures(self):
        data = self.Dashboard.get_dashboard_data()
        return {figure["key"]: figure for figure in data["figures"]}

    def test_figures_in_display_order_with_their_list(self):
        """Given the dashboard, its figures come in their sequence, and each
        opens a window action on the model it counts."""
        figures = self.Dashboard.get_dashboard_data()["figures"]
        self.assertEqual(
            [f["sequence"] for f in figures], sorted(f["sequence"] for f in figures)
        )
        by_key = {f["key"]: f for f in figures}
        self.assertEqual(
            by_key["open_alerts"]["action"]["res_model"], "erp.stock.alert"
        )
        self.assertEqual(
            by_key["deliveries_waiting"]["action"]["res_model"], "stock.picking"
        )
        self.assertEqual(
            by_key["running_out"]["action"]["res_model"], "erp.demand.forecast"
        )

    def test_deliveries_waiting(self):
        """Given two confirmed orders of the company, one with its stock and one
        without, then one delivery is waiting, and the figure's list shows it."""
        product_in_stock, product_short = self.products[:2]
        self.env["stock.quant"]._update_available_quantity(
            product_in_stock, self.warehouse.lot_stock_id, 5
        )
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "warehouse_id": self.warehouse.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 2})
                    ],
                }
                for product in (product_in_stock, product_short)
            ]
        )
        orders.with_company(self.company).action_confirm()
        figure = self._figures()["deliveries_waiting"]
        self.assertEqual(figure["value"], 1)
        waiting = self.env["stock.picking"].search(figure["action"]["domain"])
        self.assertEqual(waiting, orders[1].picking_ids)

    def test_open_alerts(self):
        """Given alerts open, in progress, resolved and ignored, then the open
        and in-progress ones count (2)."""
        rule = self.env["erp.stock.threshold"].create(
            {
                "name": "Dashboard rule",
                "company_id": self.company.id,
                "warehouse_id": self.warehouse.id,
                "min_qty": 1,
                "target_qty": 2,
            }
        )
        states = ["open", "in_progress", "resolved", "ignored"]
        self.env["erp.stock.alert"].create(
            [
                {
                    "threshold_id": rule.id,
                    "product_id": product.id,
                    "warehouse_id": self.warehouse.id,
                    "company_id": self.company.id,
                    "state": state,
                }
                for product, state in zip(self.products, states, strict=True)
            ]
        )
        self.assertEqual(self._figures()["open_alerts"]["value"], 2)

    def _forecast(self, product, warehouse, stockout_days, rate=1.0, cover=0.0):
        today = fields.Date.context_today(self.env.user)
        return self.env["erp.demand.forecast"].create(
            {
                "product_id": product.id,
                "warehouse_id": warehouse.id,
                "company_id": self.company.id,
                "date": today,
                "demand_rate": rate,
                "days_of_cover": cover,
                "stockout_date": (
                    today + timedelta(days=stockout_days)
                    if stockout_days is not None
                    else False
                ),
            }
        )

    def test_running_out_within_7_days(self):
        """Given forecasts running out in 3 days (one product in two
        warehouses), in 6 days, in 10 days and never, then 2 products run out
        within 7 days, and the figure says when the snapshot was taken."""
        p0, p1, p2, p3 = self.products
        self._forecast(p0, self.warehouse, 3)
        self._forecast(p0, self.warehouse_2, 5)
        self._forecast(p1, self.warehouse, 6)
        self._forecast(p2, self.warehouse, 10)
        self._forecast(p3, self.warehouse, None, rate=0.0)
        figure = self._figures()["running_out"]
        self.assertEqual(figure["value"], 2)
        self.assertEqual(figure["snapshot"], "No snapshot yet")
        self.company.erp_forecast_refreshed_at = "2026-12-01 08:30:00"
        figure = self._figures()["running_out"]
        self.assertTrue(figure["snapshot"].startswith("Snapshot at "))
        self.assertIn("12/01/2026", figure["snapshot"])

    def test_refresh_records_snapshot_time(self):
        """Given a company, when its forecast is refreshed, then the time of the
        snapshot is recorded and shown on its forecast rows."""
        now = fields.Datetime.to_datetime("2026-12-02 06:00:00")
        self.env["erp.demand.forecast"].with_company(self.company)._refresh_company(
            self.company, now=now
        )
        self.assertEqual(self.company.erp_forecast_refreshed_at, now)
        forecast = self._forecast(self.products[0], self.warehouse, 3)
        self.assertEqual(forecast.snapshot_at, now)

    def test_days_of_cover_not_applicable_without_demand(self):
        """Given a forecast without demand and one with, then the first shows
        "—" as days of cover (not 0.0) and the second its figure."""
        without = self._forecast(self.products[0], self.warehouse, None, rate=0.0)
        with_demand = self._forecast(
            self.products[1], self.warehouse, 12, rate=2.0, cover=12.5
        )
        self.assertEqual(without.days_of_cover_display, NOT_APPLICABLE)
        self.assertEqual(with_demand.days_of_cover_display, "12.5")

    def test_figures_need_read_access(self):
        """Given a user without access to stock alerts, the dashboard leaves
        the alert figure out instead of failing."""
        user = self.env["res.users"].create(
            {
                "name": "Dashboard Salesman",
                "login": "dashboard_salesman",
                "groups_id": [
                    (6, 0, [self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        figures = self.env["erp.dashboard"].with_user(user).get_dashboard_data()
        keys = {figure["key"] for figure in figures["figures"]}
        self.assertNotIn("open_alerts", keys)
