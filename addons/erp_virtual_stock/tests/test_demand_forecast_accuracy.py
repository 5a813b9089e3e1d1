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

    def test_mape_per_category(self):
        """Given a forecast 9 days ago of 10 and 20 units for the next week,
        and 8 and 25 actually delivered in that week, when evaluated, then
        the category MAPE is (2/8 + 5/25) / 2 = 22.5 %."""
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
                    "mape": 22.5,
                }
            ],
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

    def test_latest_mape(self):
        """Given two evaluations of a category, when the latest MAPE is read,
        then it is the one of the most recent snapshot."""
        for days_ago, mape in ((20, 40.0), (10, 15.0)):
            self.Accuracy.create(
                {
                    "snapshot_date": self.today - timedelta(days=days_ago),
                    "horizon_days": 7,
                    "company_id": self.company.id,
                    "product_categ_id": self.categ.id,
                    "mape": mape,
                }
            )
        self.assertEqual(
            self.Accuracy._get_latest_mape(self.categ), {self.categ.id: 15.0}
        )
