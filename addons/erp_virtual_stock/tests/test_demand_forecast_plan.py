# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

import numpy as np

from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from ..lib import forecast_path
from .demand_forecast_common import DemandForecastCommon

# a product that sells nothing for 10 days (a closed season), then 10 a day
LATE = [0.0] * 10 + [10.0] * 80


@tagged("post_install", "-at_install")
class TestForecastPlan(DemandForecastCommon):
    """The daily forecast feeds the stock-out date, the days of cover, the
    dynamic thresholds and (when the company enables it) the promise date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a selection of today is kept by the refresh: the tests write it
        cls.env["ir.config_parameter"].sudo().set_param(
            "erp_virtual_stock.forecast_selection_interval_days", "7"
        )

    def _select(self, product, daily, date=None, warehouse=None):
        """A method selection of ``product`` whose forecast is ``daily``."""
        cum, tail = forecast_path.cumulative(np.array([daily]))
        self.env["erp.demand.forecast.selection"].create(
            {
                "company_id": self.company.id,
                "product_id": product.id,
                "warehouse_id": (warehouse or self.wh).id,
                "date": date or self.today,
                "method": "holt_winters",
                "rate": float(np.mean(daily[:30])),
                "qty_7": float(np.sum(daily[:7])),
                "qty_30": float(np.sum(daily[:30])),
                "qty_90": float(np.sum(daily[:90])),
                "demand_cum": cum[0].tolist(),
                "tail_rate": float(tail[0]),
            }
        )

    def test_path_helpers(self):
        cum, tail = forecast_path.cumulative(np.array([LATE]))
        self.assertEqual(cum.shape, (1, 91))
        self.assertEqual(cum[0, 10], 0.0)
        self.assertEqual(cum[0, 12], 20.0)
        self.assertEqual(tail[0], 10.0)
        cum = cum[0].tolist()
        self.assertEqual(forecast_path.demand_within(cum, 10.0, 15), 50.0)
        # half a day counts pro rata; past the horizon the tail goes on
        self.assertEqual(forecast_path.demand_within(cum, 10.0, 10.5), 5.0)
        self.assertEqual(forecast_path.demand_within(cum, 10.0, 100), 900.0)
        # made 5 days ago: 5 more quiet days
        self.assertEqual(forecast_path.demand_within(cum, 10.0, 10, offset=5), 50.0)

    def test_stockout_and_cover_read_the_daily_forecast(self):
        """Given 50 in stock and no demand for 10 days then 10 a day, when
        the forecast is refreshed, then the stock lasts 15 days (the flat
        average of 6.67 a day would say 7.5); with 30 more arriving on day
        12, it runs out on day 18."""
        self._set_stock(self.product, 50)
        self._set_stock(self.product_b, 50)
        self._incoming(self.product_b, 30, 12)
        self._select(self.product, LATE)
        self._select(self.product_b, LATE)
        forecasts = self._refresh()
        row = self._row(forecasts, self.product)
        self.assertAlmostEqual(row.demand_rate, 200 / 30, places=2)
        self.assertAlmostEqual(row.days_of_cover, 15.0)
        self.assertEqual(row.stockout_date, self.today + timedelta(days=15))
        self.assertEqual(row.forecast_qty_7, 0.0)
        row_b = self._row(forecasts, self.product_b)
        self.assertEqual(row_b.stockout_date, self.today + timedelta(days=18))
        self.assertTrue(row_b.demand_cum)

    def test_history_reads_the_day_on_the_daily_forecast(self):
        """Given the late season selected 12 days ago for the kettle and
        today for the toaster, when refreshed, then the day's history holds
        each one's forecast for today (10 on day 12 of the season, 0 on its
        first day), and a salesman reads the daily forecast on the row
        (kept once, on the selection)."""
        self._set_stock(self.product, 500)
        self._set_stock(self.product_b, 500)
        self._select(self.product, LATE, date=self.today - timedelta(days=12))
        self._select(self.product_b, LATE)
        forecasts = self._refresh()
        history = self.env["erp.demand.forecast.history"].search(
            [
                ("date", "=", self.today),
                ("warehouse_id", "=", self.wh.id),
                ("product_id", "in", (self.product | self.product_b).ids),
            ]
        )
        self.assertEqual(
            {h.product_id: h.day_qty for h in history},
            {self.product: 10.0, self.product_b: 0.0},
        )
        salesman = new_test_user(
            self.env,
            login="forecast_path_salesman",
            groups="sales_team.group_sale_salesman",
        )
        cum = forecast_path.cumulative(np.array([LATE]))[0][0].tolist()
        row = self._row(forecasts, self.product).with_user(salesman)
        self.assertEqual(row.demand_cum, cum)
        self.assertAlmostEqual(row._demand_within(3), 30.0)

    def test_kept_selection_keeps_its_totals_on_changed_rows(self):
        """Given the late season selected today and refreshed once, when the
        stock changes and the forecast is refreshed again the same day (the
        selection kept, not copied again), then the row still forecasts the
        season's totals (nothing in the next 7 days, 200 in 30), not its
        average rate times the days."""
        self._set_stock(self.product, 50)
        self._select(self.product, LATE)
        row = self._row(self._refresh(), self.product)
        self.assertEqual(row.forecast_qty_7, 0.0)
        self.assertAlmostEqual(row.forecast_qty_30, 200.0)
        self._set_stock(self.product, 20)
        row = self._row(self._refresh(), self.product)
        self.assertAlmostEqual(row.virtual_stock_qty, 70.0)
        self.assertEqual(row.forecast_qty_7, 0.0)
        self.assertAlmostEqual(row.forecast_qty_30, 200.0)
        self.assertAlmostEqual(row.forecast_qty_90, 800.0)

    def test_selection_of_an_earlier_day_is_shifted(self):
        """Given the same forecast made 4 days ago, when today's refresh
        keeps it, then 6 quiet days are left: the stock lasts 11 days, and
        the next 7 days hold one day of demand (10)."""
        self._set_stock(self.product, 50)
        self._select(self.product, LATE, date=self.today - timedelta(days=4))
        row = self._row(self._refresh(), self.product)
        self.assertAlmostEqual(row.days_of_cover, 11.0)
        self.assertEqual(row.stockout_date, self.today + timedelta(days=11))
        self.assertAlmostEqual(row.forecast_qty_7, 10.0)
        self.assertAlmostEqual(row.forecast_qty_30, 240.0)

    def test_flat_forecast_is_unchanged(self):
        """Given a forecast of 5 a day, the stock-out is stock / rate."""
        self._set_stock(self.product, 52)
        self._select(self.product, [5.0] * 90)
        row = self._row(self._refresh(), self.product)
        self.assertAlmostEqual(row.days_of_cover, 10.4)
        self.assertEqual(row.stockout_date, self.today + timedelta(days=10))

    def test_dynamic_threshold_reads_the_daily_forecast(self):
        """Given the late season and a vendor delivering in 5 days, a demand
        rule with 3 safety days and a 10-day review period gets min = the
        forecast over 8 days = 0 and target = over 18 days = 80."""
        self._set_stock(self.product, 500)
        self._select(self.product, LATE)
        self._refresh()
        rule = self.env["erp.stock.threshold"].create(
            {
                "name": "Demand rule",
                "warehouse_id": self.wh.id,
                "product_id": self.product.id,
                "qty_mode": "demand",
                "action": "purchase",
                "safety_days": 3,
                "order_cycle_days": 10,
            }
        )
        self.assertRecordValues(rule, [{"min_qty": 0.0, "target_qty": 80.0}])
        self.assertIn("forecast demand", rule.demand_formula)

    def test_promise_date_keeps_the_forecast_back_when_enabled(self):
        """Given 50 in stock, 30 arriving on day 12 and a forecast of 10 a
        day from day 10, a quotation of 40 is promised today; with the
        forecast in promise dates, the 20 forecast before the receipt are
        kept back: 30 now, 60 from day 12, so day 12."""
        self._set_stock(self.product, 50)
        self._incoming(self.product, 30, 12)
        self._select(self.product, LATE)
        self._refresh()
        partner = self.env["res.partner"].create({"name": "Promise Customer"})
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "warehouse_id": self.wh.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 40}
                    )
                ],
            }
        )
        line = order.order_line
        self.assertEqual(line.promise_date, self.today)
        self.company.erp_forecast_promise = True
        line.invalidate_recordset()
        self.assertEqual(line.promise_date, self.today + timedelta(days=12))
        self.assertEqual(line.availability_state, "available")
        # a confirmed order is not kept back from
        order.action_confirm()
        line.invalidate_recordset()
        self.assertEqual(line.promise_date, self.today)

    def test_quantity_change_keeps_the_forecast_back_without_reading_it(self):
        """Given the stock, receipt and forecast above with the forecast in
        promise dates, on a new quotation line of the form the 20 kept back
        are read once, with the product: 25 are promised today, 40 on day
        12, 25 today again, the forecast not read by the changes of
        quantity."""
        self._set_stock(self.product, 50)
        self._incoming(self.product, 30, 12)
        self._select(self.product, LATE)
        self._refresh()
        self.company.erp_forecast_promise = True
        Line = type(self.env["sale.order.line"])
        kept_back = Line._erp_forecast_reserved
        form = Form(self.env["sale.order"])
        form.partner_id = self.env["res.partner"].create({"name": "Form Customer"})
        form.warehouse_id = self.wh
        with patch.object(
            Line, "_erp_forecast_reserved", autospec=True, side_effect=kept_back
        ) as read:
            with form.order_line.new() as line:
                line.product_id = self.product
                self.assertEqual(read.call_count, 1)
                line.product_uom_qty = 25
                self.assertEqual(line.promise_date, self.today)
                line.product_uom_qty = 40
                self.assertEqual(line.promise_date, self.today + timedelta(days=12))
                self.assertEqual(line.availability_state, "available")
                line.product_uom_qty = 25
                self.assertEqual(line.promise_date, self.today)
                self.assertEqual(read.call_count, 1)
        order = form.save()
        # saved, the line reads it again as any other reader does
        self.env.invalidate_all()
        self.assertEqual(order.order_line.promise_date, self.today)
        self.assertEqual(order.order_line.erp_supply["forecast_reserved"], 20)
