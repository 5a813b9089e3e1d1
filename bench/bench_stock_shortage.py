"""Benchmark: the stock threshold scan vs raw SQL vs Odoo's replenishment report.

Run inside an Odoo shell from the repository root, on a throw-away database
where erp_virtual_stock is installed (the data is rolled back at the end):

    BENCH_N=50000 BENCH_BASIS=on_hand odoo-bin shell -d <db> --no-http \
        < bench/bench_stock_shortage.py

On the scale data of bench/bench_common.py (N products with stock in 3
warehouses, 1 in 200 short; sizes from BENCH_N, BENCH_WAREHOUSES, BENCH_MOVES,
BENCH_LINES) with one "every product" rule per warehouse (min 10, target 30,
basis BENCH_BASIS) it prints the time of the raw SQL aggregate answering
"which product x warehouse is below 10 on hand" (every storable product,
those without any quant included, as the scan must; the aggregate of the
quants alone, which misses them, is printed too), the first scan (raises the
alerts), the steady scan (alerts exist: idempotent), Odoo's
``action_open_orderpoints`` (slow at scale: progress is printed), and the
immediate trigger alone (the threshold check run for the ledger rows of one
order confirmation).  BENCH_PART: see bench/bench_common.py.
"""

import os
import sys

from odoo.tools import SQL

sys.path.insert(0, os.path.abspath(os.environ.get("BENCH_DIR", "bench")))
from bench_common import Bench, progress, scale_data  # noqa: E402

env = globals()["env"]  # provided by odoo-bin shell
BASIS = os.environ.get("BENCH_BASIS", os.environ.get("ERP_BENCH_BASIS", "on_hand"))
REPORT = "Odoo action_open_orderpoints"


def main():
    data = scale_data(env)
    bench = Bench(env, "stock_shortage", len(data.product_ids))
    warehouses = data.warehouses
    print(f"{data.describe()}, basis {BASIS}")  # noqa: T201

    t_report = None
    if bench.with_vanilla:
        progress(
            f"{REPORT} on {len(data.product_ids)} x {len(warehouses)}"
            " (minutes at 50k)"
        )
        t_report, q_report, _res = bench.time(
            REPORT, env["stock.warehouse.orderpoint"].action_open_orderpoints
        )
        bench.figure(REPORT, t_report, q_report)
        progress(f"{REPORT} done in {t_report:.1f} s")
    if not bench.with_ours:
        bench.emit()
        return

    env["erp.stock.threshold"].search([]).active = False
    env["erp.stock.threshold"].create(
        [
            {
                "name": f"Shortage bench {warehouse.code}",
                "warehouse_id": warehouse.id,
                "basis": BASIS,
                "min_qty": 10,
                "target_qty": 30,
                "action": "notify",
            }
            for warehouse in warehouses
        ]
    )
    env.flush_all()

    on_hand = SQL(
        "SELECT q.product_id, loc.warehouse_id AS wh_id, SUM(q.quantity) AS qty"
        " FROM stock_quant q"
        " JOIN stock_location loc ON loc.id = q.location_id"
        " WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%s)"
        " GROUP BY 1, 2",
        warehouses.ids,
    )

    def raw_sql():
        # the scan's question: every storable product x warehouse below 10
        # on hand, those without any quant (0 on hand) included
        return env.execute_query(
            SQL(
                "SELECT pp.id, wh.id, COALESCE(s.qty, 0) FROM product_product pp"
                " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
                " CROSS JOIN stock_warehouse wh"
                " LEFT JOIN (%s) s ON s.product_id = pp.id AND s.wh_id = wh.id"
                " WHERE wh.id = ANY(%s) AND pp.active AND pt.is_storable"
                " AND COALESCE(s.qty, 0) < 10",
                on_hand,
                warehouses.ids,
            )
        )

    def raw_sql_quants():
        # narrower: only the pairs that have quants (misses empty shelves)
        return env.execute_query(SQL("SELECT * FROM (%s) s WHERE s.qty < 10", on_hand))

    def scan():
        env["erp.stock.alert"]._cron_scan_thresholds()

    t_raw, _q, rows = bench.time("raw SQL aggregate (floor)", raw_sql, 3)
    t_raw_quants, _q, _rows = bench.time(
        "raw SQL aggregate of the quants only", raw_sql_quants, 3
    )
    t_first, q_first, _res = bench.time("first scan (raises the alerts)", scan)
    alerts = env["erp.stock.alert"].search_count(
        [("warehouse_id", "in", warehouses.ids)]
    )
    if BASIS == "on_hand":
        assert alerts >= len(rows), f"{alerts} alerts for {len(rows)} short pairs"
    t_scan, q_scan, _res = bench.time("steady scan (_cron_scan_thresholds)", scan, 3)
    bench.figure(
        "threshold scan (first)",
        t_first,
        q_first,
        reference="raw SQL aggregate",
        reference_seconds=t_raw,
    )
    bench.figure(
        "threshold scan (steady)",
        t_scan,
        q_scan,
        reference="raw SQL aggregate",
        reference_seconds=t_raw,
        target_ratio=2.0,
    )
    bench.figure(
        "threshold scan (steady)",
        t_scan,
        q_scan,
        reference="raw SQL of the quants only (misses products without stock)",
        reference_seconds=t_raw_quants,
    )
    bench.figure(
        "threshold scan (steady)",
        t_scan,
        q_scan,
        reference=REPORT,
        reference_seconds=t_report,
        target_ratio=0.05,
    )
    order = env["sale.order"].create(
        {
            "partner_id": data.partner.id,
            "warehouse_id": warehouses[0].id,
            "order_line": [
                (0, 0, {"product_id": data.product_ids[100 % len(data.product_ids)]})
            ],
        }
    )
    order.action_confirm()
    ledger = env["erp.virtual.stock.ledger"].search(
        [("warehouse_id", "=", warehouses[0].id)], order="id desc", limit=1
    )
    assert ledger, "the order confirmation wrote no ledger row"
    t_trigger, q_trigger, _res = bench.time(
        "immediate trigger (one ledger row)", ledger._check_stock_thresholds, 7
    )
    bench.figure(
        "immediate trigger (one confirmation)",
        t_trigger,
        q_trigger,
        target_seconds=0.010,
    )
    print(  # noqa: T201
        f"scan / raw SQL = {t_scan / t_raw:.2f}x;"
        + (
            f" replenishment report / scan = {t_report / t_scan:.2f}x;"
            if t_report
            else ""
        )
        + f" trigger {t_trigger * 1000:.1f} ms"
    )
    bench.emit()
    env.cr.rollback()


main()
