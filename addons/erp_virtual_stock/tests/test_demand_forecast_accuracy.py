# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from .demand_forecast_common import DemandForecastCommon


@tagged("post_install", "-at_install")
class TestDemandForecastAccuracy(DemandForecastCommon):
    def _snapshot(self, product, forecast_qty_7, days_ago):
        """The forecast of ``forecast_qty_7`` units over the next week made
        ``days_ago`` days back (added to the forecast of that day)."""
        History = self.env["erp.demand.forecast.history"]
        date = self.today - timedelta(days=days_ago)
        rows = [
            row
            for row in self.env.execute_query(
                History._rates_query(self.company, [date])
            )
        ]
        History._store(
            self.company,
            date,
            [row[1:] for row in rows]
            + [(product.id, self.wh.id, product.categ_id.id, forecast_qty_7 / 7.0)],
        )

    def test_wape_and_bias_per_category(self):
        """Given a forecast 9 days ago of 10 and 20 units for the next week,
        and 8 and 25 actually delivered in that week, when evaluated, then
        the category WAPE is (2 + 5) / 33 = 21.2 % and the bias
        (30 - 33) / 33 = -9.1 %; a third product forecast at 7 that sold
        nothing adds its 7 to the error: 14 / 33 = 42.4 %."""
        self._set_stock(self.product, 100)
        self._set_stock(self.product_b, 100)
        self._snapshot(self.product, 10.0, 9)
        self._snapshot(self.product_b, 20.0, 9)
        self._move_done(self.product, 8, 8)
        self._move_done(self.product_b, 25, 6)
        self._move_done(self.product_b, 40, 1)  # after the week: not counted
        self.Accuracy._evaluate_company(self.company, self.today)
        accuracy = self.Accuracy.search(
            [
                ("product_categ_id", "=", self.categ.id),
                ("snapshot_date", "=", self.today - timedelta(days=9)),
            ]
        )
        self.assertRecordValues(
            accuracy,
            [
                {
                    "horizon_days": 7,
                    "sample_count": 2,
                    "forecast_qty": 30.0,
                    "actual_qty": 33.0,
                    "wape": 100 * 7 / 33,
                    "bias": -100 * 3 / 33,
                }
            ],
        )
        self._snapshot(self.product_idle, 7.0, 12)
        self._snapshot(self.product, 10.0, 12)
        self._snapshot(self.product_b, 20.0, 12)
        self.Accuracy._evaluate_company(self.company, self.today)
        accuracy = self.Accuracy.search(
            [
                ("product_categ_id", "=", self.categ.id),
                ("snapshot_date", "=", self.today - timedelta(days=12)),
            ]
        )
        self.assertRecordValues(
            accuracy,
            [{"sample_count": 3, "actual_qty": 33.0, "wape": 100 * 14 / 33}],
        )

    def test_snapshot_evaluated_once(self):
        """Given an evaluated snapshot, when evaluated again, then no second
        accuracy row is created."""
        self._snapshot(self.product, 10.0, 9)
        self._move_done(self.product, 8, 8)
        self.Accuracy._evaluate_company(self.company, self.today)
        domain = [("snapshot_date", "=", self.today - timedelta(days=9))]
        count = self.Accuracy.search_count(domain)
        self.Accuracy._evaluate_company(self.company, self.today)
        self.assertEqual(self.Accuracy.search_count(domain), count)
        self.assertGreater(count, 0)

    def test_recent_snapshot_not_evaluated(self):
        """Given a snapshot of 3 days ago, when evaluated, then it waits for
        its 7-day horizon to elapse."""
        self._snapshot(self.product, 10.0, 3)
        self.Accuracy._evaluate_company(self.company, self.today)
        self.assertFalse(
            self.Accuracy.search(
                [("snapshot_date", "=", self.today - timedelta(days=3))]
            )
        )

    def test_refresh_stores_forecast_for_later(self):
        """Given a refresh, when refreshed again the same day, then the day's
        forecast is kept once in the history (the rate of every pair, for
        the accuracy later) and the history of earlier days is kept."""
        History = self.env["erp.demand.forecast.history"]
        self._set_stock(self.product, 100)
        self._move_done(self.product, 90, 20)
        self._snapshot(self.product_b, 7.0, 2)
        self._refresh()
        self._move_done(self.product, 45, 10)
        self._refresh()
        history = History.search(
            [
                ("company_id", "=", self.company.id),
                ("date", ">=", self.today - timedelta(days=2)),
            ]
        )
        self.assertEqual(
            sorted(set(history.mapped("date")), reverse=True),
            [self.today, self.today - timedelta(days=2)],
        )
        today_pairs = [
            (row.product_id, row.warehouse_id)
            for row in history
            if row.date == self.today
        ]
        self.assertEqual(len(today_pairs), len(set(today_pairs)))
        rates = {
            (product_id, warehouse_id): rate
            for _date, product_id, warehouse_id, _categ, rate in self.env.execute_query(
                History._rates_query(self.company, [self.today])
            )
        }
        self.assertAlmostEqual(rates[self.product.id, self.wh.id], 135.0 / 90.0)

    def test_latest_wape(self):
        """Given two evaluations of a category, when the latest WAPE is read,
        then it is the one of the most recent snapshot."""
        for days_ago, wape in ((20, 40.0), (10, 15.0)):
            self.Accuracy.create(
                {
                    "snapshot_date": self.today - timedelta(days=days_ago),
                    "horizon_days": 7,
                    "company_id": self.company.id,
                    "product_categ_id": self.categ.id,
                    "wape": wape,
                }
            )
        self.assertEqual(
            self.Accuracy._get_latest_wape(self.categ), {self.categ.id: 15.0}
        )

    def test_rolling_window_per_product_category_method(self):
        """Given the forecasts of the last 4 days for their day and the
        demand of those days, the window's figures are the hand-computed
        ones: kettle forecast 2 a day, sold 1, 3, 2, 4: WAPE 4 / 10 = 40 %,
        bias -20 %, MASE 1 / (5 / 3) = 0.6; toaster (SBA) forecast 1, sold
        0, 0, 2, 0: the category WAPE is 8 / 12, bias 0, MASE (8 / 8) /
        (9 / 6)."""
        History = self.env["erp.demand.forecast.history"]
        rows = {
            (self.product, "holt_winters"): ([2, 2, 2, 2], [1, 3, 2, 4]),
            (self.product_b, "sba"): ([1, 1, 1, 1], [0, 0, 2, 0]),
        }
        for (product, method), (forecasts, actuals) in rows.items():
            History.create(
                [
                    {
                        "company_id": self.company.id,
                        "date": self.today - timedelta(days=4 - k),
                        "product_id": product.id,
                        "warehouse_id": self.wh.id,
                        "categ_id": self.categ.id,
                        "rate": 9.0,  # the 30-day rate: not the day's forecast
                        "day_qty": forecast,
                        "actual_qty": actual,
                        "method": method,
                    }
                    for k, (forecast, actual) in enumerate(
                        zip(forecasts, actuals, strict=True)
                    )
                ]
            )
        History.flush_model()
        Window = self.env["erp.demand.forecast.accuracy.window"]
        kettle = Window.search(
            [("level", "=", "product"), ("product_id", "=", self.product.id)]
        )
        self.assertRecordValues(
            kettle,
            [
                {
                    "method": "holt_winters",
                    "day_count": 4,
                    "wape": 40.0,
                    "bias": -20.0,
                    "mase": 0.6,
                }
            ],
        )
        category = Window.search(
            [("level", "=", "category"), ("categ_id", "=", self.categ.id)]
        )
        self.assertAlmostEqual(category.wape, 100 * 8 / 12)
        self.assertAlmostEqual(category.bias, 0.0)
        self.assertAlmostEqual(category.mase, 1 / 1.5)
        sba = Window.search([("level", "=", "method"), ("method", "=", "sba")])
        self.assertAlmostEqual(sba.wape, 200.0)
