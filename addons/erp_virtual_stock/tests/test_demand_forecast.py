# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .demand_forecast_common import DemandForecastCommon


@tagged("post_install", "-at_install")
class TestDemandForecast(DemandForecastCommon):
    def test_demand_rate_net_of_returns(self):
        """Given deliveries of 30 and 15 and a return of 9 in the last 90
        days and an older delivery, when the forecast is refreshed, then the
        daily demand is (30 + 15 - 9) / 90 = 0.4 and the horizons follow."""
        self._set_stock(self.product, 100)
        self._move_done(self.product, 30, 10)
        self._move_done(self.product, 15, 40)
        self._move_done(self.product, 9, 5, returned=True)
        self._move_done(self.product, 50, 100)
        forecasts = self._refresh()
        row = self._row(forecasts, self.product)
        self.assertEqual(len(row), 1)
        self.assertAlmostEqual(row.demand_qty, 36.0)
        self.assertAlmostEqual(row.demand_rate, 0.4)
        self.assertAlmostEqual(row.forecast_qty_7, 2.8)
        self.assertAlmostEqual(row.forecast_qty_30, 12.0)
        self.assertAlmostEqual(row.forecast_qty_90, 36.0)

    def test_days_of_cover_and_stockout(self):
        """Given 100 on hand, 45 delivered and 9 returned (64 left, 0.4 a
        day), when refreshed, then cover is 160 days and the stock-out is
        projected 160 days from today."""
        self._set_stock(self.product, 100)
        self._move_done(self.product, 30, 10)
        self._move_done(self.product, 15, 40)
        self._move_done(self.product, 9, 5, returned=True)
        row = self._row(self._refresh(), self.product)
        self.assertAlmostEqual(row.virtual_stock_qty, 64.0)
        self.assertAlmostEqual(row.days_of_cover, 160.0)
        self.assertEqual(row.stockout_date, self.today + timedelta(days=160))

    def test_warehouses_are_separate(self):
        """Given deliveries from two warehouses, when refreshed, then each
        warehouse gets its own rate."""
        self._set_stock(self.product, 200)
        self._set_stock(self.product, 200, self.wh_2)
        self._move_done(self.product, 90, 20)
        self._move_done(self.product, 45, 20, warehouse=self.wh_2)
        forecasts = self._refresh()
        self.assertAlmostEqual(self._row(forecasts, self.product).demand_rate, 1.0)
        self.assertAlmostEqual(
            self._row(forecasts, self.product, self.wh_2).demand_rate, 0.5
        )

    def test_zero_demand(self):
        """Given stock but no delivery, when refreshed, then the rate is 0
        and there is neither cover nor stock-out date."""
        self._set_stock(self.product_idle, 10)
        row = self._row(self._refresh(), self.product_idle)
        self.assertRecordValues(
            row,
            [
                {
                    "demand_rate": 0.0,
                    "virtual_stock_qty": 10.0,
                    "days_of_cover": 0.0,
                    "stockout_date": False,
                    "runs_out_soon": False,
                }
            ],
        )

    def test_incoming_supply_pushes_stockout(self):
        """Given 20 left, 1 a day and 50 arriving in 10 days, when refreshed,
        then the stock lasts 10 days, gets 50 more (60) and runs out on day
        70 instead of day 20."""
        self._set_stock(self.product_b, 110)
        self._move_done(self.product_b, 90, 30)
        self._incoming(self.product_b, 50, 10)
        row = self._row(self._refresh(), self.product_b)
        self.assertAlmostEqual(row.demand_rate, 1.0)
        self.assertAlmostEqual(row.virtual_stock_qty, 70.0)
        self.assertAlmostEqual(row.days_of_cover, 70.0)
        self.assertEqual(row.stockout_date, self.today + timedelta(days=70))

    def test_entry_ending_before_supply_brings_stockout_forward(self):
        """Given 10 on hand at 1 a day, a manual entry of 30 ending in 4 days
        and 50 arriving in 10 days, when refreshed, then the virtual stock
        is 90 but the stock lasts 5 days, keeps 5 after the entry ends (-30)
        and is gone on day 10, when the supply arrives: stock-out in 10
        days, not 90."""
        self._set_stock(self.product_b, 100)
        self._move_done(self.product_b, 90, 30)
        self._incoming(self.product_b, 50, 10)
        entry = self.env["erp.virtual.stock"].create(
            {
                "product_id": self.product_b.id,
                "warehouse_id": self.wh.id,
                "quantity": 30,
                "date_start": self.today,
                "date_end": self.today + timedelta(days=4),
            }
        )
        entry.action_activate()
        row = self._row(self._refresh(), self.product_b)
        self.assertAlmostEqual(row.virtual_stock_qty, 90.0)
        self.assertAlmostEqual(row.days_of_cover, 90.0)
        self.assertEqual(row.stockout_date, self.today + timedelta(days=10))

    def test_runs_out_soon_filter(self):
        """Given 5 left at 1 a day, when refreshed, then the row runs out
        soon and the filter finds it."""
        self._set_stock(self.product_b, 95)
        self._move_done(self.product_b, 90, 30)
        forecasts = self._refresh()
        row = self._row(forecasts, self.product_b)
        self.assertEqual(row.stockout_date, self.today + timedelta(days=5))
        self.assertIn(row, self.Forecast.search([("runs_out_soon", "=", True)]))
        self.assertNotIn(row, self.Forecast.search([("runs_out_soon", "=", False)]))

    def test_recent_weeks_weighted(self):
        """Given the last 28 days weighted 3 times, 30 delivered recently and
        60 before, when refreshed, then the rate is (3 × 30 + 60) / (62 + 3
        × 28)."""
        self.env["ir.config_parameter"].sudo().set_param(
            "erp_virtual_stock.forecast_recent_weight", "3"
        )
        self._set_stock(self.product, 200)
        self._move_done(self.product, 30, 5)
        self._move_done(self.product, 60, 50)
        row = self._row(self._refresh(), self.product)
        self.assertAlmostEqual(row.demand_rate, 150.0 / 146.0)
        self.assertAlmostEqual(row.demand_qty, 90.0)

    def test_refresh_replaces_current_snapshot(self):
        """Given a refresh, when refreshed again the same day, then there is
        still one row per product and warehouse, updated in place."""
        self._set_stock(self.product, 10)
        first = self._row(self._refresh(), self.product)
        self._set_stock(self.product, 25)
        forecasts = self._refresh()
        self.assertEqual(self._row(forecasts, self.product), first)
        first.invalidate_recordset()
        self.assertEqual(first.virtual_stock_qty, 35.0)

    def test_next_day_rewrites_only_changed_rows(self):
        """Given a refresh, when the next day's refresh finds a product that
        sells (its stock-out date moves) and a product without demand whose
        stock did not move, then only the first row is written again, and
        both show the new snapshot date (kept on the company), which
        searches, groups and sorts as a column would."""
        self._set_stock(self.product, 100)
        self._set_stock(self.product_idle, 10)
        self._move_done(self.product, 45, 10)
        now = fields.Datetime.now()

        def refresh(days):
            # each refresh in its own subtransaction: a row written by it
            # carries its transaction id (xmin)
            with self.env.cr.savepoint():
                self.Forecast._refresh_company(
                    self.company,
                    today=self.today + timedelta(days=days),
                    now=now + timedelta(days=days),
                )
            rows = self._refresh_rows()
            xmins = dict(
                self.env.execute_query(
                    SQL(
                        "SELECT id, xmin::text FROM erp_demand_forecast"
                        " WHERE id = ANY(%s)",
                        rows.ids,
                    )
                )
            )
            return rows, xmins

        rows, before = refresh(0)
        sold, idle = self._row(rows, self.product), self._row(rows, self.product_idle)
        self.assertEqual(idle.date, self.today)
        rows, after = refresh(1)
        tomorrow = self.today + timedelta(days=1)
        self.assertEqual(self._row(rows, self.product), sold)
        self.assertRecordValues(
            sold | idle,
            [
                # 55 left at 0.5 a day: 110 days from tomorrow
                {"date": tomorrow, "stockout_date": self.today + timedelta(days=111)},
                {"date": tomorrow, "stockout_date": False},
            ],
        )
        self.assertNotEqual(after[sold.id], before[sold.id])
        self.assertEqual(after[idle.id], before[idle.id])
        self.assertEqual(
            self.Forecast.search([("date", "=", tomorrow), ("id", "in", rows.ids)]),
            rows,
        )
        self.assertFalse(
            self.Forecast.search([("date", "=", self.today), ("id", "in", rows.ids)])
        )
        groups = self.Forecast._read_group(
            [("id", "in", rows.ids)], ["date:day"], ["__count"]
        )
        self.assertEqual(groups, [(tomorrow, len(rows))])
        self.assertEqual(
            self.Forecast.search([("id", "in", rows.ids)], order="date desc, id"),
            rows.sorted("id"),
        )

    def test_product_fields(self):
        """Given a forecast over two warehouses, when the product is read,
        then its daily demand sums the warehouses and its stock-out is the
        earliest."""
        self._set_stock(self.product, 100)
        self._set_stock(self.product, 100, self.wh_2)
        self._move_done(self.product, 90, 20)
        self._move_done(self.product, 45, 20, warehouse=self.wh_2)
        self._refresh()
        self.product.invalidate_recordset()
        self.assertAlmostEqual(self.product.demand_rate, 1.5)
        self.assertEqual(self.product.stockout_date, self.today + timedelta(days=10))
        self.assertAlmostEqual(self.product.days_of_cover, 65.0 / 1.5, places=1)
        self.assertAlmostEqual(self.product.product_tmpl_id.demand_rate, 1.5)

    def test_cron_refresh(self):
        """Given stock, when the cron runs, then current rows exist."""
        self._set_stock(self.product, 10)
        self.Forecast._cron_refresh()
        self.assertTrue(
            self.Forecast.search_count([("product_id", "=", self.product.id)])
        )

    def test_graph_report_renders(self):
        """Given a forecast row, when the graph is rendered, then it holds the
        history and projection lines."""
        self._set_stock(self.product, 100)
        self._move_done(self.product, 90, 20)
        row = self._row(self._refresh(), self.product)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "erp_virtual_stock.erp_demand_forecast_graph_report", row.ids
            )[0]
            .decode()
        )
        self.assertIn('class="o_projection"', html)
        self.assertIn('class="o_history"', html)

    def test_graph_days_is_clamped(self):
        """Given a forecast row, when the graph is asked for 700,000 days or
        a negative number of days (as a URL gives them, strings), then it is
        drawn over at most 730 days and at least 1 day."""
        self._set_stock(self.product, 100)
        row = self._row(self._refresh(), self.product)
        Graph = self.env["report.erp_virtual_stock.report_demand_forecast_graph"]
        for asked, drawn in (("700000", 730), (700000, 730), ("-5", 1), (0, 1)):
            values = Graph._get_report_values(row.ids, data={"days": asked})
            self.assertEqual(values["days"], drawn, asked)
            chart = values["charts"][row.id]
            self.assertEqual(len(chart["projection"].split()), drawn + 1, asked)
        self.assertEqual(Graph._get_report_values(row.ids, data={})["days"], 30)

    def test_graph_days_must_be_an_integer(self):
        """Given a forecast row, when the graph is asked for days that are no
        integer, then a UserError explains it."""
        row = self._row(self._refresh(), self.product)
        Graph = self.env["report.erp_virtual_stock.report_demand_forecast_graph"]
        for asked in ("abc", "1.5", 2.5, [30], {"a": 1}, True, "1e9"):
            with self.assertRaises(UserError, msg=repr(asked)):
                Graph._get_report_values(row.ids, data={"days": asked})

    def test_refresh_needs_a_manager(self):
        """Given a virtual stock user (who reads forecasts), when they ask for
        a refresh, then it is refused and the button is not shown to them; a
        virtual stock manager sees it and may refresh."""
        user = new_test_user(
            self.env,
            login="forecast_reader",
            groups="erp_virtual_stock.erp_virtual_stock_group_user",
        )
        manager = new_test_user(
            self.env,
            login="forecast_manager",
            groups="erp_virtual_stock.erp_virtual_stock_group_manager",
        )
        for who, shown in ((user, False), (manager, True)):
            arch = self.Forecast.with_user(who).get_views([(False, "list")])
            self.assertEqual(
                'name="action_refresh"' in arch["views"]["list"]["arch"], shown
            )
        self._set_stock(self.product, 10)
        with self.assertRaises(AccessError):
            self.Forecast.with_user(user).action_refresh()
        self.assertFalse(
            self.Forecast.search_count([("product_id", "=", self.product.id)])
        )
        self.Forecast.with_user(manager).action_refresh()
        self.assertTrue(
            self.Forecast.search_count([("product_id", "=", self.product.id)])
        )
