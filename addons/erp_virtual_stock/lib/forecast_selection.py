# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rolling-origin backtest, accuracy measures and the automatic choice of a
method per series (no Odoo import; the refresh and the benchmark share it).

The backtest: ``folds`` origins, ``test`` periods apart, the last one
``test`` periods before the end of the history; from each origin every
candidate method forecasts the next ``test`` periods from the history before
the origin only, and is compared with what followed (censored periods left
out). The method with the lowest MASE over the folds is chosen; a simpler
method within ``TOLERANCE`` of the best is preferred to a more complex one,
and Holt-Winters is a candidate only where the seasonal strength of the
history before the first origin reaches ``SEASONAL_STRENGTH``.
Its smoothing parameters are the grid point with the lowest in-sample
one-step error before the first origin.

Candidates: a series whose average interval between demands (ADI) is at
least 1.32 periods is intermittent (Syntetos-Boylan) and chooses among the
moving average, Croston, SBA and TSB; the others among the moving average,
SES, Holt and Holt-Winters. A series with too little history keeps the
moving average (no backtest): fewer than ``min_history`` uncensored
periods or fewer than ``min_demands`` periods with demand.
"""

import numpy as np

from . import forecast_methods

SMOOTH = ("moving_average", "ses", "holt", "holt_winters")
INTERMITTENT = ("moving_average", "croston", "sba", "tsb")
YEARLY = "holt_winters_yearly"
METHODS = SMOOTH + INTERMITTENT[1:] + (YEARLY,)
ADI_LIMIT = 1.32
TOLERANCE = 0.05
SEASONAL_STRENGTH = 0.2


def accuracy(forecast, actual, scale):
    """(mase, wape, bias) per series of ``forecast`` and ``actual`` arrays
    (n, ...) over their last axes, NaN actuals left out.

    - MASE: mean absolute error / ``scale`` (the in-sample mean absolute
      one-step naive difference of the series);
    - WAPE: sum of absolute errors / sum of actual demand;
    - bias: (sum of forecasts - sum of actual demand) / sum of actual demand
      (positive: over-forecast).
    """
    n = forecast.shape[0]
    fc = forecast.reshape(n, -1)
    act = actual.reshape(n, -1)
    seen = ~np.isnan(act)
    act0 = np.where(seen, act, 0.0)
    fc0 = np.where(seen, fc, 0.0)
    abs_err = np.abs(fc0 - act0).sum(axis=1)
    count = seen.sum(axis=1)
    total = act0.sum(axis=1)
    with np.errstate(all="ignore"):
        mase = np.where(count > 0, abs_err / np.maximum(count, 1) / scale, np.nan)
        wape = np.where(total > 0, abs_err / total, np.nan)
        bias = np.where(total > 0, (fc0.sum(axis=1) - total) / total, np.nan)
    return mase, wape, bias


def naive_scale(y):
    """Mean absolute one-step difference over the uncensored consecutive
    periods of each series (the MASE denominator); 1 where it is zero."""
    diff = np.abs(np.diff(y, axis=1))
    with np.errstate(all="ignore"):
        scale = forecast_methods.nanmean(diff, axis=1)
    scale = np.where(np.isnan(scale) | (scale <= 0), np.nan, scale)
    with np.errstate(all="ignore"):
        fallback = forecast_methods.nanmean(np.abs(y), axis=1)
    scale = np.where(np.isnan(scale), fallback, scale)
    return np.where(np.isnan(scale) | (scale <= 0), 1.0, scale)


def intermittency(y):
    """Average interval between demands (ADI) over the uncensored periods."""
    seen = (~np.isnan(y)).sum(axis=1)
    demands = (np.nan_to_num(y, nan=0.0) > 0).sum(axis=1)
    return np.where(demands > 0, seen / np.maximum(demands, 1), np.inf)


def seasonal_strength(y, season=7):
    """Strength of the seasonality per series, 0 to 1: one minus the
    variance of the remainder over the variance of the detrended series
    (trend: centred moving average over a season; season: the mean of the
    detrended series per phase), NaN-aware."""
    n, t_len = y.shape
    if t_len < 3 * season:
        return np.zeros(n)
    seen = ~np.isnan(y)
    val = np.where(seen, y, 0.0)
    sums = _centred_sum(val, season)
    counts = _centred_sum(seen * 1.0, season)
    with np.errstate(all="ignore"):
        detrended = np.where(seen & (counts > 0), y - sums / counts, np.nan)
        phase = np.arange(t_len) % season
        pad = (-t_len) % season
        weeks = np.concatenate([detrended, np.full((n, pad), np.nan)], axis=1)
        profile = forecast_methods.nanmean(weeks.reshape(n, -1, season), axis=1)
        remainder = detrended - profile[:, phase]
        strength = 1 - forecast_methods.nanvar(
            remainder, axis=1
        ) / forecast_methods.nanvar(detrended, axis=1)
    return np.clip(np.nan_to_num(strength, nan=0.0), 0.0, 1.0)


def _centred_sum(x, width):
    """Sum over a window of ``width`` periods centred on each period (the
    window cut at both ends), by cumulative sums."""
    n, t_len = x.shape
    half = width // 2
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(x, axis=1)], axis=1)
    hi = np.minimum(np.arange(t_len) + width - half, t_len)
    lo = np.maximum(np.arange(t_len) - half, 0)
    return cum[:, hi] - cum[:, lo]


def backtest(y, methods, test, folds, horizon, season=7, window=90, scale=None):
    """Run every method of ``methods`` on the folds and from the end of the
    history. Returns ``{method: (mase, wape, bias, forecast)}``: the errors
    (n,) over the folds and the forecast (n, horizon) after the history."""
    t_len = y.shape[1]
    origins = [t_len - test * k for k in range(folds, 0, -1)] + [t_len]
    steps = max(test, horizon)
    actual = np.stack([y[:, o : o + test] for o in origins[:-1]], axis=1)
    if scale is None:
        scale = naive_scale(y[:, : origins[0]])
    result = {}
    for method in methods:
        best_fc, best_err = None, None
        for params in forecast_methods.GRIDS[method]:
            fc, err = forecast_methods.run(
                method, y, params, origins, steps, season, window
            )
            if best_fc is None:
                best_fc, best_err = fc, err
                continue
            better = err < best_err
            best_fc = np.where(better[:, None, None], fc, best_fc)
            best_err = np.where(better, err, best_err)
        folds_fc = best_fc[:, :-1, :test]
        mase, wape, bias = accuracy(folds_fc, actual, scale)
        result[method] = (mase, wape, bias, best_fc[:, -1, :horizon])
    return result


def select(
    y,
    test=28,
    folds=3,
    horizon=90,
    season=7,
    window=90,
    min_history=None,
    min_demands=8,
    short=None,
):
    """Choose a method per series of ``y`` (n, T).

    With ``short`` (days) and ``y`` longer than it, the usual candidates
    run on the last ``short`` days only; the series with two years of
    history (``2 * 52`` seasons, observed from their first weeks on) also
    try Holt-Winters on the yearly profile (``holt_winters_yearly``) over
    the whole of ``y``, kept only where its MASE beats the best of the
    others by more than ``TOLERANCE``.

    Returns a dict of arrays: ``method`` (names), ``mase``, ``wape``,
    ``bias`` (backtest errors of the chosen method, NaN without backtest),
    ``forecast`` (n, horizon): the chosen method's forecast per period after
    the history, and ``adi``.
    """
    full = y
    if short and y.shape[1] > short:
        y = y[:, -short:]
    n, t_len = y.shape
    if min_history is None:
        min_history = 2 * season + test * folds
    observed = (~np.isnan(y)).sum(axis=1)
    demands = (np.nan_to_num(y, nan=0.0) > 0).sum(axis=1)
    adi = intermittency(y)
    method = np.full(n, "moving_average", dtype=object)
    mase = np.full(n, np.nan)
    wape = np.full(n, np.nan)
    bias = np.full(n, np.nan)
    forecast = forecast_methods.run(
        "moving_average", y, (), [t_len], horizon, season, window
    )[0][:, 0, :]
    if t_len <= test * folds + season:
        return _pack(method, mase, wape, bias, forecast, adi)
    for family in (SMOOTH, INTERMITTENT):
        rows = (observed >= min_history) & (demands >= min_demands)
        is_interm = adi >= ADI_LIMIT
        rows &= is_interm if family is INTERMITTENT else ~is_interm
        if not rows.any():
            continue
        res = backtest(y[rows], family, test, folds, horizon, season, window)
        errors = np.stack([np.nan_to_num(res[m][0], nan=np.inf) for m in family])
        if "holt_winters" in family:
            # Holt-Winters only where the history shows a season
            weak = seasonal_strength(y[rows][:, : t_len - test * folds], season)
            errors[family.index("holt_winters"), weak < SEASONAL_STRENGTH] = np.inf
        best = errors.min(axis=0)
        # the simplest method within the tolerance of the best one
        ok = errors <= best * (1 + TOLERANCE) + 1e-12
        choice = ok.argmax(axis=0)
        idx = np.flatnonzero(rows)
        for k, name in enumerate(family):
            sel = choice == k
            if not sel.any():
                continue
            target = idx[sel]
            method[target] = name
            mase[target] = res[name][0][sel]
            wape[target] = res[name][1][sel]
            bias[target] = res[name][2][sel]
            forecast[target] = res[name][3][sel]
    _try_yearly(
        full, (method, mase, wape, bias, forecast), (test, folds, horizon, season, y)
    )
    return _pack(method, mase, wape, bias, forecast, adi)


def _try_yearly(y, chosen, setup):
    """Replace the choice of the smooth series with two years of history by
    Holt-Winters on the yearly profile where it wins clearly (in place).
    ``setup``: the backtest's (test, folds, horizon, season) and the history
    the other methods were chosen on."""
    method, mase, wape, bias, forecast = chosen
    test, folds, horizon, season, short = setup
    year = forecast_methods.YEAR_WEEKS * season
    if y.shape[1] < 2 * year:
        return
    y = y[:, -2 * year :]
    # observed in the first 8 weeks of the two years: a full first year
    old = (~np.isnan(y[:, : 8 * season])).any(axis=1)
    rows = old & np.isin(method, SMOOTH) & ~np.isnan(mase)
    if not rows.any():
        return
    # the errors scaled as the other methods'
    scale = naive_scale(short[rows][:, : short.shape[1] - test * folds])
    res = backtest(y[rows], (YEARLY,), test, folds, horizon, season, scale=scale)
    y_mase, y_wape, y_bias, y_fc = res[YEARLY]
    wins = np.nan_to_num(y_mase, nan=np.inf) < mase[rows] * (1 - TOLERANCE)
    target = np.flatnonzero(rows)[wins]
    method[target] = YEARLY
    mase[target] = y_mase[wins]
    wape[target] = y_wape[wins]
    bias[target] = y_bias[wins]
    forecast[target] = y_fc[wins]


def _pack(method, mase, wape, bias, forecast, adi):
    return {
        "method": method,
        "mase": mase,
        "wape": wape,
        "bias": bias,
        "forecast": np.maximum(forecast, 0.0),
        "adi": adi,
    }
