"""Benchmark: reading virtual_stock_qty vs Odoo's virtual_available vs raw SQL.

Run inside an Odoo shell from the repository root, on a throw-away database
where erp_virtual_stock is installed (the data is rolled back at the end):

    BENCH_N=10000 odoo-bin shell -d <db> --no-http < bench/bench_virtual_stock.py

On the scale data of bench/bench_common.py (N products x 3 warehouses with
stock, open receipts, deliveries and order lines: sizes from BENCH_N,
BENCH_WAREHOUSES, BENCH_MOVES, BENCH_LINES) it prints the time to read
``virtual_stock_qty`` for every product in every warehouse (warehouse
context), the time of Odoo's own ``virtual_available`` read, and the time of
one raw SQL GROUP BY giving the same figures (the floor), with the ratios, and
checks that the three agree.  BENCH_PART: see bench/bench_common.py.
"""

import os
import sys

from odoo.tools import SQL

sys.path.insert(0, os.path.abspath(os.environ.get("BENCH_DIR", "bench")))
from bench_common import Bench, progress, scale_data  # noqa: E402

env = globals()["env"]  # provided by odoo-bin shell
OPEN_STATES = ["waiting", "confirmed", "assigned", "partially_available"]
ODOO_READ = "Odoo virtual_available read"


def main():
    data = scale_data(env)
    bench = Bench(env, "virtual_stock", len(data.product_ids))
    print(data.describe())  # noqa: T201
    warehouses, products = data.warehouses, data.products

    def read(field):
        return [
            products.with_context(warehouse_id=wh.id).mapped(field) for wh in warehouses
        ]

    def raw():
        return env.execute_query(
            SQL(
                "SELECT product_id, wh, SUM(qty) FROM ("
                " SELECT q.product_id, l.warehouse_id AS wh, q.quantity AS qty"
                " FROM stock_quant q JOIN stock_location l ON l.id = q.location_id"
                " WHERE l.warehouse_id = ANY(%(whs)s)"
                " AND q.product_id = ANY(%(products)s)"
                " UNION ALL"
                " SELECT m.product_id, s.warehouse_id, -m.product_qty"
                " FROM stock_move m"
                " JOIN stock_location s ON s.id = m.location_id"
                " JOIN stock_location d ON d.id = m.location_dest_id"
                " WHERE m.state = ANY(%(states)s) AND s.warehouse_id = ANY(%(whs)s)"
                " AND d.warehouse_id IS DISTINCT FROM s.warehouse_id"
                " AND m.product_id = ANY(%(products)s)"
                " UNION ALL"
                " SELECT m.product_id, d.warehouse_id, m.product_qty"
                " FROM stock_move m"
                " JOIN stock_location s ON s.id = m.location_id"
                " JOIN stock_location d ON d.id = m.location_dest_id"
                " WHERE m.state = ANY(%(states)s) AND d.warehouse_id = ANY(%(whs)s)"
                " AND s.warehouse_id IS DISTINCT FROM d.warehouse_id"
                " AND m.product_id = ANY(%(products)s)"
                ") f GROUP BY product_id, wh",
                whs=warehouses.ids,
                products=data.product_ids,
                states=OPEN_STATES,
            )
        )

    def same(values, expected, what):
        for wh, column in zip(warehouses, values, strict=True):
            for pid, value in zip(data.product_ids, column, strict=True):
                want = expected.get((pid, wh.id), 0.0)
                assert (
                    abs(value - want) < 1e-6
                ), f"{what}: product {pid} warehouse {wh.id}: {value} != {want}"

    t_odoo = None
    if bench.with_vanilla:
        progress(f"{ODOO_READ} of {len(products)} x {len(warehouses)} (slow at 50k)")
        t_odoo, q_odoo, v_odoo = bench.time(
            ODOO_READ, lambda: read("virtual_available")
        )
        bench.figure(ODOO_READ, t_odoo, q_odoo, check=round(sum(map(sum, v_odoo)), 3))
    if bench.with_ours:
        t_raw, q_raw, rows = bench.time("raw SQL GROUP BY (floor)", raw, 5)
        floor = {(pid, wh): qty for pid, wh, qty in rows}
        t_ours, q_ours, v_ours = bench.time(
            "virtual_stock_qty read (addons)", lambda: read("virtual_stock_qty"), 5
        )
        same(v_ours, floor, "virtual_stock_qty vs raw SQL")
        if t_odoo is not None:
            same(v_odoo, floor, "virtual_available vs raw SQL")
        check = round(sum(map(sum, v_ours)), 3)
        # information only (issue 16): a read no user makes, kept to compare
        # with the figures of earlier reports; no target
        bench.figure(
            "virtual stock read, every product x warehouse (info)",
            t_ours,
            q_ours,
            reference=ODOO_READ,
            reference_seconds=t_odoo,
            check=check,
        )
        bench.figure(
            "virtual stock read, every product x warehouse (info)",
            t_ours,
            q_ours,
            reference="raw SQL GROUP BY",
            reference_seconds=t_raw,
        )
    bench.emit()
    env.cr.rollback()


main()
