# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from datetime import timedelta
from unittest.mock import patch

import numpy as np

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from ..lib import forecast_selection
from ..models.erp_demand_forecast_series import censor
from .demand_forecast_common import DemandForecastCommon


def _series(kind, days=364, seed=7):
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    if kind == "seasonal":
        y = 20 + 9 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 1.0, days)
    elif kind == "trending":
        y = 5 + 0.15 * t + rng.normal(0, 1.0, days)
    else:  # intermittent: demand on about one day in six
        y = rng.poisson(4, days) * (rng.random(days) < 0.17)
    return np.maximum(y, 0.0).astype(float)


@tagged("post_install", "-at_install")
class TestForecastSelection(DemandForecastCommon):
    """The methods and the automatic selection on constructed series."""

    def _select(self, *rows):
        return forecast_selection.select(np.vstack(rows))

    def test_seasonal_series_choose_holt_winters(self):
        result = self._select(*[_series("seasonal", seed=s) for s in range(5)])
        self.assertEqual(set(result["method"]), {"holt_winters"})
        self.assertLess(np.nanmax(result["mase"]), 0.5)

    def test_trending_series_choose_holt(self):
        result = self._select(*[_series("trending", seed=s) for s in range(5)])
        self.assertEqual(set(result["method"]), {"holt"})
        # the forecast carries on the trend: above the last weeks' mean
        y = _series("trending", seed=0)
        self.assertGreater(result["forecast"][0, :30].mean(), y[-28:].mean())

    def test_intermittent_series_choose_croston_family(self):
        result = self._select(*[_series("intermittent", seed=s) for s in range(8)])
        self.assertTrue(all(result["adi"] >= forecast_selection.ADI_LIMIT))
        self.assertTrue(
            set(result["method"]) <= {"moving_average", "croston", "sba", "tsb"}
        )
        self.assertTrue(set(result["method"]) & {"croston", "sba", "tsb"})

    def test_yearly_season_chosen_only_where_it_wins(self):
        """Two years of daily demand with a yearly wave (and a weekly one):
        Holt-Winters on the yearly profile wins the backtest; the same
        series without the yearly wave keep the weekly Holt-Winters; with
        one year only, the yearly method is no candidate."""
        t = np.arange(728)

        def two_years(yearly, seed):
            rng = np.random.default_rng(seed)
            wave = 10 * np.sin(2 * np.pi * t / 364) if yearly else 0.0
            y = 20 + wave + 4 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 1.5, 728)
            return np.maximum(y, 0.0)

        rows = [two_years(True, s) for s in range(4)]
        rows += [two_years(False, s) for s in range(4)]
        result = forecast_selection.select(np.vstack(rows), short=364)
        self.assertEqual(list(result["method"][:4]), ["holt_winters_yearly"] * 4)
        self.assertEqual(list(result["method"][4:]), ["holt_winters"] * 4)
        # against the weekly model alone on the last year: a lower MASE
        weekly = forecast_selection.select(np.vstack(rows)[:, -364:])
        self.assertTrue((result["mase"][:4] < weekly["mase"][:4]).all())
        one_year = forecast_selection.select(np.vstack(rows)[:, -400:], short=364)
        self.assertNotIn("holt_winters_yearly", set(one_year["method"]))

    def test_short_history_keeps_moving_average(self):
        result = self._select(_series("seasonal")[:40])
        self.assertEqual(result["method"][0], "moving_average")
        self.assertTrue(math.isnan(result["mase"][0]))

    def test_accuracy_against_hand_computed_values(self):
        forecast = np.array([[2.0, 2.0, 2.0, 2.0]])
        actual = np.array([[1.0, 3.0, np.nan, 4.0]])  # the censored day left out
        mase, wape, bias = forecast_selection.accuracy(forecast, actual, 2.0)
        # |errors| 1, 1, 2: MAE 4/3, scale 2; actual 8, forecast 6
        self.assertAlmostEqual(mase[0], 2 / 3)
        self.assertAlmostEqual(wape[0], 0.5)
        self.assertAlmostEqual(bias[0], -0.25)
        # naive scale: mean |y_t - y_t-1| over uncensored neighbours: 2, 1
        scale = forecast_selection.naive_scale(np.array([[1.0, 3.0, np.nan, 4.0, 5.0]]))
        self.assertAlmostEqual(scale[0], 1.5)

    def test_censored_days_are_not_zero_demand(self):
        demand = np.array([[0.0, 5.0, 5.0, 0.0, 0.0, 4.0]])
        moves_in = np.array([[0.0, -5.0, -5.0, 0.0, 10.0, -4.0]])
        # ends with 6 units: 0 after day 2, 10 received on day 4
        series = censor(demand, moves_in, np.array([6.0]), np.array([True]))
        # day 0 before the first demand, day 3 out of stock all day
        self.assertTrue(np.isnan(series[0, 0]))
        self.assertTrue(np.isnan(series[0, 3]))
        self.assertEqual(series[0, 4], 0.0)  # in stock, nobody bought
        self.assertEqual(list(series[0, [1, 2, 5]]), [5.0, 5.0, 4.0])
        # a consumable has no stock-out
        series = censor(demand, moves_in, np.array([6.0]), np.array([False]))
        self.assertEqual(series[0, 3], 0.0)


@tagged("post_install", "-at_install")
class TestForecastRefreshMethods(DemandForecastCommon):
    """The refresh: demand series from orders and deliveries, censored
    stock-outs, the chosen method on the forecast, the override."""

    @classmethod
    def _deliveries(cls, product, quantities, warehouse=None):
        """Done deliveries {days_ago: qty}, created in one batch."""
        stock = (warehouse or cls.wh).lot_stock_id
        items = [(d, q) for d, q in sorted(quantities.items()) if q > 0]
        cls._set_stock(product, sum(q for __, q in items), warehouse)
        moves = cls.env["stock.move"].create(
            [
                {
                    "name": "Forecast move",
                    "product_id": product.id,
                    "product_uom_qty": qty,
                    "product_uom": product.uom_id.id,
                    "location_id": stock.id,
                    "location_dest_id": cls.customer_location.id,
                }
                for __, qty in items
            ]
        )
        moves._action_confirm()
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        moves._action_done()
        now = fields.Datetime.now()
        for move, (days_ago, __) in zip(moves, items, strict=True):
            move.date = now - timedelta(days=days_ago)

    def test_weekly_seasonal_product_gets_holt_winters(self):
        rng = np.random.default_rng(3)
        self._deliveries(
            self.product,
            {
                d: round(12 + 8 * math.sin(2 * math.pi * d / 7) + rng.normal(0, 0.5))
                for d in range(1, 141)
            },
        )
        forecast = self._row(self._refresh(), self.product)
        self.assertEqual(forecast.method, "holt_winters")
        self.assertLess(forecast.mase, 0.6)
        self.assertGreater(forecast.wape, 0)
        self.assertAlmostEqual(forecast.forecast_qty_7, 12 * 7, delta=7)
        # the stock-out and the cover read the chosen method's rate
        self.assertEqual(forecast.days_of_cover, 0.0)
        history = self.env["erp.demand.forecast.history"].search(
            [("product_id", "=", self.product.id), ("date", "=", self.today)]
        )
        self.assertEqual(history.method, "holt_winters")

    def test_stockout_days_are_censored(self):
        # 4 a day until 30 days ago, then out of stock: no delivery since
        self._deliveries(self.product, {d: 4 for d in range(31, 141)})
        self._set_stock(self.product_b, 200)
        # the series are by date in UTC, like the moves' dates
        utc_today = fields.Date.today()
        series = self.Forecast._get_demand_series(
            self.wh, [(self.product.id, self.wh.id)], utc_today - timedelta(days=40), 40
        )
        self.assertEqual(list(series[0, :10]), [4.0] * 10)
        self.assertTrue(np.isnan(series[0, 10:]).all())
        forecast = self._row(self._refresh(), self.product)
        # the moving average of the uncensored days: 4, not 4 * 60 / 90
        self.assertAlmostEqual(forecast.forecast_qty_30, 120, delta=6)

    def test_confirmed_orders_are_the_demand(self):
        partner = self.env["res.partner"].create({"name": "Forecast Customer"})
        self._set_stock(self.product, 100)
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "warehouse_id": self.wh.id,
                "commitment_date": fields.Datetime.now() - timedelta(days=3),
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 6}
                    )
                ],
            }
        )
        order.action_confirm()
        # delivered too: the order counts, not the delivery
        self._deliveries(self.product, {2: 5})
        utc_today = fields.Date.today()
        pairs = self.Forecast._get_demand_pairs(
            self.wh, utc_today - timedelta(days=10), utc_today
        )
        self.assertIn((self.product.id, self.wh.id), pairs)
        series = self.Forecast._get_demand_series(
            self.wh, [(self.product.id, self.wh.id)], utc_today - timedelta(days=10), 10
        )
        self.assertEqual(series[0, 7], 6.0)
        self.assertEqual(np.nansum(series), 6.0)

    def test_override_replaces_forecast_and_stays_in_history(self):
        self._deliveries(self.product, {d: 3 for d in range(1, 120)})
        Override = self.env["erp.demand.forecast.override"]
        with self.assertRaises(ValidationError):
            Override.create(
                {
                    "product_id": self.product.id,
                    "warehouse_id": self.wh.id,
                    "date_from": self.today,
                    "date_to": self.today - timedelta(days=1),
                    "daily_qty": 10,
                    "reason": "Backwards",
                }
            )
        override = Override.create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.wh.id,
                "date_from": self.today,
                "date_to": self.today + timedelta(days=9),
                "daily_qty": 10,
                "reason": "Spring promotion",
            }
        )
        forecast = self._row(self._refresh(), self.product)
        self.assertEqual(forecast.override_id, override)
        self.assertAlmostEqual(forecast.forecast_qty_7, 70)
        self.assertAlmostEqual(forecast.forecast_qty_30, 100 + 20 * 3, delta=3)
        history = self.env["erp.demand.forecast.history"].search(
            [("product_id", "=", self.product.id), ("date", "=", self.today)]
        )
        self.assertEqual(history.override_reason, "Spring promotion")
        override.active = False
        forecast = self._row(self._refresh(), self.product)
        self.assertFalse(forecast.override_id)
        self.assertAlmostEqual(forecast.forecast_qty_7, 21, delta=1)

    def test_selection_interval_keeps_a_recent_selection(self):
        self._deliveries(self.product, {d: 3 for d in range(1, 120)})
        self._refresh()
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("erp_virtual_stock.forecast_selection_interval_days", "7")
        vals = {
            "product_id": self.product.id,
            "warehouse_id": self.wh.id,
            "date_from": self.today,
            "date_to": self.today + timedelta(days=9),
            "daily_qty": 10,
            "reason": "Tender",
        }
        override = self.env["erp.demand.forecast.override"].create(vals)
        # the selection of today is kept: no new forecast, no override yet
        forecast = self._row(self._refresh(), self.product)
        self.assertFalse(forecast.override_id)
        self.assertEqual(forecast.method, "moving_average")
        params.set_param("erp_virtual_stock.forecast_selection_interval_days", "0")
        forecast = self._row(self._refresh(), self.product)
        self.assertEqual(forecast.override_id, override)

    def test_batches_read_the_moves_scanned_once(self):
        """With several batches of products the selection reads the done
        moves from one scan of stock_move: the same methods, errors and
        forecasts as in one batch, and nothing left behind."""
        rng = np.random.default_rng(5)
        self._deliveries(
            self.product,
            {
                d: round(12 + 8 * math.sin(2 * math.pi * d / 7) + rng.normal(0, 0.5))
                for d in range(1, 141)
            },
        )
        self._deliveries(self.product_b, {d: 3 + d % 4 for d in range(1, 120, 3)})
        # a customer return, netted on its day
        self._move_done(self.product_b, 2, 10, returned=True)

        def selection():
            rows = self.env["erp.demand.forecast.selection"].search(
                [("product_id", "in", (self.product | self.product_b).ids)]
            )
            return {
                (r.product_id.id, r.warehouse_id.id): (
                    r.method,
                    round(r.mase or 0.0, 6),
                    round(r.rate or 0.0, 6),
                    r.demand_cum,
                )
                for r in rows
            }

        self._refresh()
        one_batch = selection()
        self.assertEqual(len(one_batch), 2)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("erp_virtual_stock.forecast_batch_size", "1")
        Series = type(self.Forecast)
        with patch.object(
            Series,
            "_store_series_moves",
            autospec=True,
            side_effect=Series._store_series_moves,
        ) as store:
            self._refresh()
        store.assert_called_once()
        self.assertEqual(selection(), one_batch)
        self.env.cr.execute(
            "SELECT to_regclass('pg_temp.erp_demand_forecast_series_moves')"
        )
        self.assertIsNone(self.env.cr.fetchone()[0])
