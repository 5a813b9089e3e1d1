"""Speed of the method selection numerics per batch (issue 20, no database).

    $ERP_VENV/bin/python bench/bench_forecast_select.py

Times ``forecast_selection.select`` as the nightly refresh calls it on one
batch (``BENCH_FS_BATCH``, default 5,000 series): 728 days read, the usual
methods backtested on the last 364, the yearly method tried on the series
with two years of history. The batch mixes weekly seasonal, trending, flat
and intermittent series, half of them with two years of history (the other
half starting within the last year). Prints the seconds per batch (median of
``BENCH_FS_SAMPLES``, 3), per series, the methods chosen and the
extrapolation to 150,000 series (50,000 products x 3 warehouses), with the
load average (the machine is shared).
"""

import importlib
import importlib.util
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

_LIB = Path(__file__).resolve().parent.parent / "addons/erp_virtual_stock/lib"
_spec = importlib.util.spec_from_file_location(
    "erp_forecast_lib", _LIB / "__init__.py", submodule_search_locations=[str(_LIB)]
)
sys.modules["erp_forecast_lib"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sys.modules["erp_forecast_lib"])
fs = importlib.import_module("erp_forecast_lib.forecast_selection")

BATCH = int(os.environ.get("BENCH_FS_BATCH", "5000"))
SAMPLES = int(os.environ.get("BENCH_FS_SAMPLES", "3"))
DAYS = 728


def batch(n, seed=1):
    rng = np.random.default_rng(seed)
    t = np.arange(DAYS)
    kind = np.arange(n) % 4
    level = rng.uniform(2, 30, (n, 1))
    y = level + rng.normal(0, 1, (n, DAYS)) * np.sqrt(level)
    y += (kind == 0)[:, None] * level * 0.4 * np.sin(2 * np.pi * t / 7)
    y += (kind == 1)[:, None] * level * 0.002 * t
    y += (np.arange(n) % 8 == 0)[:, None] * level * 0.4 * np.sin(2 * np.pi * t / 364)
    sparse = (kind == 3)[:, None] & (rng.random((n, DAYS)) > 0.15)
    y = np.where(sparse, 0.0, np.maximum(np.round(y), 0.0))
    # half the series start within the last year (a new product)
    start = np.where(np.arange(n) % 2, rng.integers(364, 600, n), 0)
    y[t[None, :] < start[:, None]] = np.nan
    return y


def main():
    y = batch(BATCH)
    times = []
    for _ in range(SAMPLES):
        t0 = time.perf_counter()
        result = fs.select(y, short=364)
        times.append(time.perf_counter() - t0)
    seconds = sorted(times)[len(times) // 2]
    per_series = seconds / BATCH
    print(  # noqa: T201
        f"select: {BATCH} series x {DAYS} days: {seconds:.2f} s per batch"
        f" (median of {SAMPLES}), {per_series * 1000:.2f} ms per series;"
        f" 150,000 series: {per_series * 150000 / 60:.1f} min;"
        f" load average {os.getloadavg()[0]:.1f};"
        f" methods {dict(Counter(result['method']))}"
    )


if __name__ == "__main__":
    main()
