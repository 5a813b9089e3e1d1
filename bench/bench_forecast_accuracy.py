"""Accuracy benchmark of the demand forecasting methods (issue 20).

Runnable on its own from the repository root, without a database:

    $ERP_VENV/bin/python bench/bench_forecast_accuracy.py

It runs the forecasting code of erp_virtual_stock (``lib/``) on:

- public series that registry packages ship with their wheels (nothing is
  downloaded): from ``pmdarima.datasets`` the monthly Australian wine sales
  (wineind), the monthly airline passengers (airpassengers), the quarterly
  Australian beer production (ausbeer) and wool production (woolyrnq); from
  ``statsmodels.datasets.macrodata`` the quarterly US real personal
  consumption (realcons);
- synthetic daily SKUs, 364 days plus the evaluation weeks: weekly seasonal,
  trending, flat, and intermittent ones (demand on 3 % to 30 % of the days),
  a third of them with stock-outs (censored days);

evaluated out of sample: at each of ``folds`` outer origins, every method is
fitted on the history before it (the automatic selection runs its own inner
rolling-origin backtest there) and forecasts the next ``test`` periods.
Printed per data set and method: MASE (mean over series and origins, scale:
the mean absolute one-step change of the history), WAPE and bias (summed
over series and origins), and the automatic selection against today's moving
average and the seasonal-naive baseline. The timing line compares one
statsmodels Holt-Winters fit with the vectorised selection.
"""

import importlib
import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np

# the addon's numerics have no Odoo import: loaded as a package of their own
_LIB = Path(__file__).resolve().parent.parent / "addons/erp_virtual_stock/lib"
_spec = importlib.util.spec_from_file_location(
    "erp_forecast_lib", _LIB / "__init__.py", submodule_search_locations=[str(_LIB)]
)
sys.modules["erp_forecast_lib"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sys.modules["erp_forecast_lib"])
fs = importlib.import_module("erp_forecast_lib.forecast_selection")

METHODS = [
    "moving_average",
    "seasonal_naive",
    "ses",
    "holt",
    "holt_winters",
    "croston",
    "sba",
    "tsb",
]
N_SKUS = int(os.environ.get("BENCH_FA_SKUS", "400"))


def public_series():
    """[(name, values, season, periods per 90 days)] of the public data."""
    from pmdarima import datasets
    from statsmodels.datasets import macrodata

    out = [
        ("wineind (monthly wine sales)", datasets.load_wineind(), 12, 3),
        ("airpassengers (monthly)", datasets.load_airpassengers(), 12, 3),
        ("ausbeer (quarterly)", datasets.load_ausbeer(), 4, 1),
        ("woolyrnq (quarterly)", datasets.load_woolyrnq(), 4, 1),
        (
            "macrodata realcons (quarterly)",
            macrodata.load_pandas().data["realcons"].to_numpy(),
            4,
            1,
        ),
    ]
    return [(n, np.asarray(v, dtype=float)[None, :], s, w) for n, v, s, w in out]


def synthetic_skus(n, days=364 + 84, seed=20):
    """{kind: array (n_kind, days)} of daily SKUs, NaN on censored days."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    k = n // 4
    level = rng.uniform(5, 40, (k, 1))
    amp = rng.uniform(0.3, 0.6, (k, 1)) * level
    phase = rng.integers(0, 7, (k, 1))
    seasonal = level + amp * np.sin(2 * np.pi * (t + phase) / 7)
    seasonal = rng.poisson(np.maximum(seasonal, 0)).astype(float)
    slope = rng.uniform(0.02, 0.1, (k, 1)) * rng.choice([-1, 1], (k, 1))
    trending = np.maximum(rng.uniform(20, 40, (k, 1)) + slope * t, 0.5)
    trending = rng.poisson(trending).astype(float)
    flat = rng.poisson(rng.uniform(2, 30, (k, 1)) * np.ones((1, days))).astype(float)
    prob = rng.uniform(0.03, 0.3, (k, 1))
    sizes = rng.poisson(rng.uniform(1, 6, (k, 1)) * np.ones((1, days))) + 1
    intermittent = np.where(rng.random((k, days)) < prob, sizes, 0).astype(float)
    data = {
        "seasonal": seasonal,
        "trending": trending,
        "flat": flat,
        "intermittent": intermittent,
    }
    for kind, y in data.items():
        # a third of the SKUs out of stock for 5 to 20 days, in the history
        rows = rng.random(len(y)) < 1 / 3
        for r in np.flatnonzero(rows):
            start = rng.integers(60, days - 120)
            y[r, start : start + rng.integers(5, 21)] = np.nan
        data[kind] = y
    return data


def evaluate(y, season, test, folds, window):
    """{method: (mase, wape, bias)} out of sample, plus 'auto'."""
    t_len = y.shape[1]
    errors = {m: ([], [], [], []) for m in [*METHODS, "auto"]}
    choices = []
    for k in range(folds, 0, -1):
        origin = t_len - test * k
        hist, actual = y[:, :origin], y[:, origin : origin + test]
        scale = fs.naive_scale(hist)
        inner = max(2, min(3, (origin - 2 * season) // test - 2))
        for method in METHODS:
            res = fs.backtest(hist, [method], test, inner, test, season, window)
            _collect(errors[method], res[method][3], actual, scale)
        auto = fs.select(
            hist, test=test, folds=inner, horizon=test, season=season, window=window
        )
        choices.extend(auto["method"])
        _collect(errors["auto"], auto["forecast"], actual, scale)
    table = {}
    for method, (mase, abs_err, act, fc) in errors.items():
        total = np.sum(act)
        table[method] = (
            float(np.nanmean(np.concatenate(mase))),
            float(np.sum(abs_err) / total),
            float((np.sum(fc) - total) / total),
        )
    names, counts = np.unique(np.array(choices, dtype=str), return_counts=True)
    return table, dict(zip(names, counts.tolist(), strict=True))


def _collect(acc, forecast, actual, scale):
    seen = ~np.isnan(actual)
    fc = np.where(seen, forecast[:, : actual.shape[1]], 0.0)
    act = np.where(seen, actual, 0.0)
    mase = fs.accuracy(forecast[:, : actual.shape[1]], actual, scale)[0]
    acc[0].append(mase)
    acc[1].append(np.abs(fc - act).sum())
    acc[2].append(act.sum())
    acc[3].append(fc.sum())


def report(name, table, choices):
    print(f"\n## {name}")
    print(f"chosen: {choices}")
    print(f"{'method':<16}{'MASE':>8}{'WAPE':>8}{'bias':>8}")
    for method, (mase, wape, bias) in table.items():
        print(f"{method:<16}{mase:8.3f}{wape:8.1%}{bias:8.1%}")
    auto, ma, sn = (
        table["auto"][0],
        table["moving_average"][0],
        table["seasonal_naive"][0],
    )
    print(
        f"auto vs moving average: {1 - auto / ma:+.1%} MASE;"
        f" vs seasonal naive: {1 - auto / sn:+.1%} MASE"
    )


def yearly(n, seed=21):
    """Daily SKUs over two years and 12 weeks with a yearly wave (and a
    weekly one): the selection as the refresh runs it (two years read, the
    yearly method tried) against the selection on the last year only and the
    moving average, at 3 outer origins 28 days apart."""
    rng = np.random.default_rng(seed)
    days = 728 + 84
    t = np.arange(days)
    level = rng.uniform(10, 40, (n, 1))
    wave = rng.uniform(0.2, 0.5, (n, 1)) * level
    shift = rng.integers(0, 364, (n, 1))
    mean = level + wave * np.sin(2 * np.pi * (t + shift) / 364)
    mean = mean + 0.3 * level * np.sin(2 * np.pi * t / 7)
    y = rng.poisson(np.maximum(mean, 0)).astype(float)
    out = {"auto (two years, yearly tried)": [], "auto (last year)": [], "ma": []}
    chosen = []
    for k in (3, 2, 1):
        origin = days - 28 * k
        hist, actual = y[:, :origin], y[:, origin : origin + 28]
        scale = fs.naive_scale(hist[:, -364:])
        both = fs.select(hist, horizon=28, short=364)
        chosen.extend(both["method"])
        last = fs.select(hist[:, -364:], horizon=28)
        ma = fs.backtest(hist[:, -364:], ["moving_average"], 28, 3, 28)
        for key, fc in (
            ("auto (two years, yearly tried)", both["forecast"]),
            ("auto (last year)", last["forecast"]),
            ("ma", ma["moving_average"][3]),
        ):
            out[key].append(fs.accuracy(fc, actual, scale)[0])
    names, counts = np.unique(np.array(chosen, dtype=str), return_counts=True)
    print(f"\n## synthetic daily SKUs with a yearly season ({n} series, 2 years)")
    print(f"chosen: {dict(zip(names, counts.tolist(), strict=True))}")
    ma = float(np.nanmean(np.concatenate(out["ma"])))
    for key, values in out.items():
        mase = float(np.nanmean(np.concatenate(values)))
        print(f"{key:<32} MASE {mase:6.3f}  vs moving average {1 - mase / ma:+.1%}")


def timing():
    rng = np.random.default_rng(0)
    t = np.arange(364)
    one = 20 + 8 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 2, 364)
    line = ""
    try:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        start = time.perf_counter()
        for __ in range(5):
            ExponentialSmoothing(
                one, trend="add", damped_trend=True, seasonal="add", seasonal_periods=7
            ).fit()
        spent = (time.perf_counter() - start) / 5 * 1000
        line = f"statsmodels Holt-Winters: {spent:.0f} ms per series; "
    except ImportError:
        line = "statsmodels not installed; "
    batch = np.maximum(one + rng.normal(0, 3, (5000, 364)), 0)
    start = time.perf_counter()
    fs.select(batch)
    spent = time.perf_counter() - start
    print(
        f"\n{line}vectorised selection (all methods, 3 folds): {spent:.1f} s for"
        f" 5000 series = {spent / 5:.2f} ms per series"
    )


def main():
    print("# Forecast accuracy benchmark (out of sample)")
    for name, y, season, window in public_series():
        table, choices = evaluate(y, season, season, 3, window)
        report(f"public: {name}, {y.shape[1]} periods", table, choices)
    for kind, y in synthetic_skus(N_SKUS).items():
        table, choices = evaluate(y, 7, 28, 3, 90)
        report(f"synthetic daily SKUs: {kind} ({len(y)} series)", table, choices)
    yearly(100)
    timing()


if __name__ == "__main__":
    main()
