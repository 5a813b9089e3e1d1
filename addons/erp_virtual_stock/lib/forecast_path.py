# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The daily forecast as the plan reads it (no Odoo import).

The forecast of a pair is stored as its cumulative demand ``cum``: ``cum[d]``
is the demand forecast over the ``d`` days from the forecast's day (so
``cum[0] == 0``), ``H + 1`` values for a horizon of ``H`` days, demand spread
evenly over each day. Past the horizon the demand goes on at ``tail``, the
mean daily forecast of the last ``TAIL_DAYS`` days of the horizon (whole
weeks: a weekly profile does not bias it).

A forecast made ``offset`` days ago is read from its day ``offset`` on: the
demand over the next ``d`` days is ``D(offset + d) - D(offset)``. The same
reading is written in SQL by the refresh (stock-out date and days of cover,
``erp_demand_forecast_query``); these functions serve the dynamic thresholds,
the promise date and the tests.
"""

import numpy as np

TAIL_DAYS = 28
DECIMALS = 3


def cumulative(path):
    """Cumulative demand (n, H + 1) of daily forecasts ``path`` (n, H),
    rounded (rounding keeps it non-decreasing), and the tail rate (n,)."""
    path = np.maximum(np.nan_to_num(np.asarray(path, dtype=float)), 0.0)
    n, horizon = path.shape
    cum = np.round(
        np.concatenate([np.zeros((n, 1)), np.cumsum(path, axis=1)], 1), DECIMALS
    )
    days = min(TAIL_DAYS, horizon)
    tail = (cum[:, -1] - cum[:, -1 - days]) / days if days else np.zeros(n)
    return cum, np.maximum(tail, 0.0)


def demand_within(cum, tail, days, offset=0):
    """Forecast demand over the next ``days`` days (a float, fractions of a
    day pro rata) of a forecast ``cum`` (list) made ``offset`` days ago."""
    if days <= 0:
        return 0.0
    return _at(cum, tail, offset + days) - _at(cum, tail, offset)


def _at(cum, tail, day):
    last = len(cum) - 1
    if day >= last:
        return float(cum[last]) + tail * (day - last)
    return float(np.interp(day, np.arange(last + 1), cum))
