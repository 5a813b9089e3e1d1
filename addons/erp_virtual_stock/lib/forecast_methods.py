# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Forecasting methods on batches of demand series (no Odoo import).

Every function takes ``y``, a float array of shape (n, T): n series of T
periods (days, or months in the benchmark), NaN for a censored period (out of
stock, or before the first demand of the series): a censored period is not
read as zero demand, the recursions skip it. The numerics are vectorised over
the n series (one numpy operation per period and smoothing parameter), which
is what keeps the nightly selection over 150,000 series within minutes (see
the readme: statsmodels fits one series at a time, some 10 to 60 ms each).

``run(method, y, params, origins, horizon, season)`` returns the forecasts of
the ``horizon`` periods after each origin (shape (n, len(origins), horizon)),
made only from the periods before that origin, and the in-sample one-step
absolute error before the first origin (used to pick the smoothing
parameters).
"""

import warnings

import numpy as np

PHI = 0.98  # damping of the trend of Holt and Holt-Winters

# smoothing parameter grids: per series, the one with the lowest in-sample
# one-step error before the first backtest origin is kept
GRIDS = {
    "moving_average": [()],
    "ses": [(0.05,), (0.1,), (0.2,), (0.4,)],
    "holt": [(0.1, 0.01), (0.2, 0.05), (0.3, 0.1), (0.5, 0.2)],
    "holt_winters": [
        (0.05, 0.0, 0.05),
        (0.1, 0.01, 0.1),
        (0.2, 0.01, 0.2),
        (0.3, 0.05, 0.1),
    ],
    "croston": [(0.05,), (0.1,), (0.2,), (0.3,)],
    "sba": [(0.05,), (0.1,), (0.2,), (0.3,)],
    "tsb": [(0.1, 0.05), (0.2, 0.1), (0.1, 0.2), (0.3, 0.3)],
    "seasonal_naive": [()],
}
# on the deseasonalised series: the two middle points of Holt-Winters' grid
GRIDS["holt_winters_yearly"] = GRIDS["holt_winters"][1:3]
YEAR_WEEKS = 52  # a year of 364 days: weekdays stay aligned


def nanmean(values, axis):
    """Mean over ``axis`` without the NaN; NaN (and no warning) where
    every value is NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=axis)


def nanvar(values, axis):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanvar(values, axis=axis)


def moving_average(y, origins, horizon, window=90):
    """Today's method: the mean of the last ``window`` uncensored periods
    before the origin, flat over the horizon."""
    out = []
    for o in origins:
        past = y[:, max(o - window, 0) : o]
        with np.errstate(all="ignore"):
            mean = nanmean(past, axis=1) if past.shape[1] else np.nan
        out.append(np.nan_to_num(mean, nan=0.0))
    level = np.stack(out, axis=1)
    return np.repeat(level[:, :, None], horizon, axis=2)


def seasonal_naive(y, origins, horizon, season=7):
    """The last uncensored season before the origin, repeated; a censored
    period falls back on the mean of that season."""
    out = []
    for o in origins:
        last = y[:, max(o - season, 0) : o]
        if last.shape[1] < season:
            last = np.concatenate(
                [np.full((y.shape[0], season - last.shape[1]), np.nan), last], 1
            )
        with np.errstate(all="ignore"):
            fill = np.nan_to_num(nanmean(last, axis=1), nan=0.0)
        last = np.where(np.isnan(last), fill[:, None], last)
        # period o + k has the phase of period o + k - season
        idx = np.arange(horizon) % season
        out.append(last[:, idx])
    return np.stack(out, axis=1)


def _smooth(y, origins, params, kind, season):
    """One pass of exponential smoothing over ``y``: the state at each origin
    and the in-sample one-step absolute error before the first origin."""
    n, t_len = y.shape
    alpha = params[0]
    beta = params[1] if len(params) > 1 else 0.0
    gamma = params[2] if len(params) > 2 else 0.0
    level = np.full(n, np.nan)
    trend = np.zeros(n)
    seas = np.zeros((n, season))
    if kind == "holt_winters":
        # initial weekly profile: the mean per phase over the periods
        # before the first origin, around the overall mean
        train = y[:, : origins[0]]
        cols = np.arange(train.shape[1]) % season
        with np.errstate(all="ignore"):
            overall = nanmean(train, axis=1)
            for k in range(season):
                seas[:, k] = nanmean(train[:, cols == k], axis=1) - overall
        seas = np.nan_to_num(seas, nan=0.0)
    err = np.zeros(n)
    states = {o: None for o in origins}
    first = origins[0]
    for t in range(t_len + 1):
        if t in states:
            states[t] = (level.copy(), trend.copy(), seas.copy(), t)
        if t == t_len:
            break
        obs = y[:, t]
        phase = t % season
        s_t = seas[:, phase] if kind == "holt_winters" else 0.0
        pred = level + PHI * trend + s_t if kind != "ses" else level
        seen = ~np.isnan(obs)
        start = seen & np.isnan(level)
        if start.any():
            level = np.where(start, obs - (s_t if kind == "holt_winters" else 0), level)
        upd = seen & ~start
        if t < first:
            err += np.where(upd, np.abs(obs - pred), 0.0)
        if kind == "ses":
            level = np.where(upd, level + alpha * (obs - level), level)
            continue
        prev = level
        base = level + PHI * trend
        new_level = alpha * (obs - s_t) + (1 - alpha) * base
        level = np.where(upd, new_level, np.where(start, level, base))
        trend = np.where(
            upd, beta * (level - prev) + (1 - beta) * PHI * trend, PHI * trend
        )
        if kind == "holt_winters":
            seas[:, phase] = np.where(
                upd, gamma * (obs - level) + (1 - gamma) * s_t, s_t
            )
    return states, err


def _smooth_forecast(state, horizon, kind, season):
    level, trend, seas, t0 = state
    steps = np.arange(1, horizon + 1)
    damp = np.cumsum(PHI**steps)
    level = np.nan_to_num(level, nan=0.0)
    if kind == "ses":
        return np.repeat(level[:, None], horizon, axis=1)
    fc = level[:, None] + trend[:, None] * damp[None, :]
    if kind == "holt_winters":
        fc = fc + seas[:, (t0 + steps - 1) % season]
    return fc


def _intermittent(y, origins, params, kind):
    """Croston (sizes and intervals smoothed), SBA (Croston debiased by
    1 - alpha/2) and TSB (sizes and probability of demand smoothed); a
    censored period is no period: it neither counts as an interval nor as
    a period without demand."""
    n, t_len = y.shape
    alpha = params[0]
    beta = params[1] if len(params) > 1 else alpha
    size = np.full(n, np.nan)
    interval = np.full(n, np.nan)
    prob = np.full(n, np.nan)
    since = np.ones(n)
    err = np.zeros(n)
    first = origins[0]
    out = {}
    for t in range(t_len + 1):
        if t in origins:
            out[t] = _intermittent_value(size, interval, prob, kind, alpha)
        if t == t_len:
            break
        obs = y[:, t]
        seen = ~np.isnan(obs)
        if t < first:
            pred = _intermittent_value(size, interval, prob, kind, alpha)
            err += np.where(seen & ~np.isnan(pred), np.abs(obs - pred), 0.0)
        demand = seen & (obs > 0)
        new = demand & np.isnan(size)
        size = np.where(new, obs, size)
        interval = np.where(new, since, interval)
        old = demand & ~new
        size = np.where(old, size + alpha * (obs - size), size)
        interval = np.where(old, interval + alpha * (since - interval), interval)
        prob = np.where(seen & np.isnan(prob), demand * 1.0, prob)
        prob = np.where(seen, prob + beta * (demand - prob), prob)
        since = np.where(demand, 1.0, np.where(seen, since + 1.0, since))
    return out, err


def _intermittent_value(size, interval, prob, kind, alpha):
    with np.errstate(all="ignore"):
        if kind == "tsb":
            return prob * size
        value = size / interval
        return value * (1 - alpha / 2) if kind == "sba" else value


def yearly_index(train, season=7):
    """Yearly profile per week of the year (n, 52) of daily series: the mean
    demand of each week of the year over the mean demand, smoothed over 5
    weeks (circular), 1 where unknown; the weeks count from the first day of
    ``train`` (364-day years)."""
    n, t_len = train.shape
    weeks = (np.arange(t_len) // season) % YEAR_WEEKS
    overall = nanmean(train, axis=1)
    profile = np.ones((n, YEAR_WEEKS))
    with np.errstate(all="ignore"):
        for w in range(YEAR_WEEKS):
            cols = weeks == w
            if cols.any():
                profile[:, w] = nanmean(train[:, cols], axis=1) / overall
    profile = np.where(np.isfinite(profile), profile, 1.0)
    smooth = sum(np.roll(profile, k, axis=1) for k in (-2, -1, 0, 1, 2)) / 5
    return np.clip(smooth, 0.1, 10.0)


def holt_winters_yearly(y, origins, params, horizon, season=7, smooth_days=364):
    """Holt-Winters (weekly) on the series divided by its yearly profile
    (``yearly_index`` of the history before the first origin), the forecast
    multiplied back by the profile of the weeks it covers. The smoothing
    runs on the last ``smooth_days`` days before the first origin and after
    (the profile takes the earlier history)."""
    index = yearly_index(y[:, : origins[0]], season)
    t_len = y.shape[1]
    weeks = (np.arange(t_len) // season) % YEAR_WEEKS
    # whole weeks skipped: the weekday phases of the smoothing stay aligned
    skip = max(origins[0] - smooth_days, 0) // season * season
    adjusted = (y / index[:, weeks])[:, skip:]
    states, err = _smooth(
        adjusted, [o - skip for o in origins], params, "holt_winters", season
    )
    out = []
    for o in origins:
        fc = _smooth_forecast(states[o - skip], horizon, "holt_winters", season)
        steps = (np.arange(o, o + horizon) // season) % YEAR_WEEKS
        out.append(fc * index[:, steps])
    return np.stack(out, 1), err


def run(method, y, params, origins, horizon, season=7, window=90):
    """Forecasts (n, len(origins), horizon) of ``method`` with ``params``
    from each origin, and the in-sample one-step absolute error (n,)."""
    origins = list(origins)
    if method == "holt_winters_yearly":
        fc, err = holt_winters_yearly(y, origins, params, horizon, season)
        return np.maximum(fc, 0.0), err
    if method == "moving_average":
        return moving_average(y, origins, horizon, window), None
    if method == "seasonal_naive":
        return seasonal_naive(y, origins, horizon, season), None
    if method in ("croston", "sba", "tsb"):
        values, err = _intermittent(y, origins, params, method)
        level = np.nan_to_num(np.stack([values[o] for o in origins], 1), nan=0.0)
        return np.repeat(level[:, :, None], horizon, axis=2), err
    states, err = _smooth(y, origins, params, method, season)
    fc = np.stack(
        [_smooth_forecast(states[o], horizon, method, season) for o in origins], 1
    )
    return np.maximum(fc, 0.0), err
