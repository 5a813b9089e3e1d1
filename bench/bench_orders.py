"""Benchmark: per-order confirmation latency (run inside `odoo-bin shell`).

Run from the repository root on a throw-away database, vanilla Odoo or with
the addons (the data is rolled back at the end):

    BENCH_N=10000 BENCH_ORDERS=200 odoo-bin shell -d <db> --no-http \
        < bench/bench_orders.py

On the scale data of bench/bench_common.py (sizes from BENCH_N,
BENCH_WAREHOUSES, BENCH_MOVES, BENCH_LINES) it creates BENCH_ORDERS (200)
quotations of BENCH_ORDER_LINES (5) lines spread over the warehouses, then
confirms them one by one and prints the median and p95 of the per-order
``action_confirm`` latency.  In a database without the addons the figures are
vanilla Odoo's; bench/report.sh (and bench/run.sh) run it on both databases of
the same data and give the ratio.
"""

import os
import sys
import time

sys.path.insert(0, os.path.abspath(os.environ.get("BENCH_DIR", "bench")))
from bench_common import (  # noqa: E402
    Bench,
    env_int,
    median,
    percentile,
    progress,
    scale_data,
)

env = globals()["env"]  # provided by odoo-bin shell
N_ORDERS = env_int("BENCH_ORDERS", 200)
N_LINES = env_int("BENCH_ORDER_LINES", 5)


def main():
    data = scale_data(env)
    bench = Bench(env, "orders", len(data.product_ids))
    print(  # noqa: T201
        f"{data.describe()}; confirming {N_ORDERS} orders of {N_LINES} lines"
    )
    n, whs = len(data.product_ids), data.warehouses
    orders = env["sale.order"].create(
        [
            {
                "partner_id": data.partner.id,
                "warehouse_id": whs[i % len(whs)].id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": data.product_ids[
                                ((i * N_LINES + j) * 97 + 3) % n
                            ],
                            "product_uom_qty": 1 + (i + j) % 3,
                        },
                    )
                    for j in range(N_LINES)
                ],
            }
            for i in range(N_ORDERS)
        ]
    )
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    latencies, queries = [], []
    for order in orders:
        count = cr.sql_log_count
        start = time.perf_counter()
        order.action_confirm()
        env.flush_all()
        latencies.append(time.perf_counter() - start)
        queries.append(cr.sql_log_count - count)
        if len(latencies) % 50 == 0 and len(latencies) < len(orders):
            progress(f"{len(latencies)} / {len(orders)} orders confirmed")
    assert set(orders.mapped("state")) == {"sale"}, "not every order was confirmed"
    med, p95 = median(latencies), percentile(latencies, 95)
    med_q = int(median(queries))
    print(  # noqa: T201
        f"action_confirm per order: median {med * 1000:.1f} ms,"
        f" p95 {p95 * 1000:.1f} ms, {med_q} queries (median)"
    )
    label = f"action_confirm {N_LINES}-line order"
    if bench.part == "vanilla":
        bench.figure(f"vanilla {label} median", med, med_q)
        bench.figure(f"vanilla {label} p95", p95)
    else:
        bench.figure(
            f"order confirm median ({N_LINES} lines)",
            med,
            med_q,
            reference=f"vanilla {label} median",
            target_ratio=1.25,
        )
        bench.figure(
            f"order confirm p95 ({N_LINES} lines)",
            p95,
            reference=f"vanilla {label} p95",
            target_ratio=1.25,
        )
    bench.emit()
    cr.rollback()


main()
