"""Build and commit the benchmark scale data (run inside `odoo-bin shell`).

Used by bench/report.sh on its throw-away databases; sizes from BENCH_N,
BENCH_WAREHOUSES, BENCH_MOVES, BENCH_LINES (see bench/bench_common.py).
"""

import os
import sys

sys.path.insert(0, os.path.abspath(os.environ.get("BENCH_DIR", "bench")))
from bench_common import scale_data  # noqa: E402

env = globals()["env"]  # provided by odoo-bin shell
print(scale_data(env).describe())  # noqa: T201
env.cr.commit()
