"""Benchmark: the stock threshold scan vs raw SQL vs Odoo's replenishment report.

Run inside an Odoo shell from the repository root, on a throw-away database
where erp_virtual_stock is installed (the data is rolled back at the end):

    BENCH_N=50000 odoo-bin shell -d <db> --no-http < bench/bench_stock_shortage.py

On the scale data of bench/bench_common.py (N products with stock in 3
warehouses, 1 in 200 short; sizes from BENCH_N, BENCH_WAREHOUSES, BENCH_MOVES,
BENCH_LINES), for each basis of BENCH_BASIS ("on_hand virtual_stock"), with
one "every product" rule per warehouse (min 10, target 30) on that basis,
the first warehouse's rule with a maximum (BENCH_SCAN_MAX, 48: the
products above it on that basis are overstocked; 0: none):
the first scan (raises the alerts), then BENCH_SCAN_SAMPLES (7) steady scans
(alerts exist: idempotent), each alternated with the raw SQL answering the
same question ("which storable product x warehouse is below 10 on this
basis counting what is on its way, or sold beyond what will be there, or
above the maximum of its rule", those without any quant or move included,
as the scan must) and with the narrower
raw SQL of the pairs with stock or moves only; p50 / p95. Then
(BENCH_SCAN_ORDERPOINTS, 1) the virtual stock scan again with Odoo
reordering rules on a third of the products in every warehouse.
Also Odoo's ``action_open_orderpoints`` (vanilla part; slow at scale:
progress is printed) and the immediate trigger alone (the threshold check
run for the ledger rows of one order confirmation).  BENCH_PART: see
bench/bench_common.py.
"""

import os
import sys

from odoo.tools import SQL

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
BASES = os.environ.get(
    "BENCH_BASIS", os.environ.get("ERP_BENCH_BASIS", "on_hand virtual_stock")
).split()
SAMPLES = env_int("BENCH_SCAN_SAMPLES", 7)
# the scan again with Odoo reordering rules on a third of the products
ORDERPOINTS = env_int("BENCH_SCAN_ORDERPOINTS", 1)
# the maximum of the first warehouse's rule (overstock above it; 0: none)
MAX_QTY = env_int("BENCH_SCAN_MAX", 48)
REPORT = "Odoo action_open_orderpoints"
OPEN_STATES = ["waiting", "confirmed", "assigned", "partially_available"]


def quantities_sql(basis, warehouses):
    """Raw SQL of (product_id, wh_id, qty, virtual, base) per pair with stock or
    open moves, internal locations only: ``virtual`` the virtual stock (on
    hand - open outgoing + open incoming, every incoming move: the default
    horizon; manual entries, none in the bench data, left out), ``qty`` the
    quantity a rule for every product compares with its minimum, counting
    what is on its way: the virtual stock, or on the on-hand basis the
    quantity on hand plus the open incoming moves; ``base`` the quantity on
    the basis alone (on hand, or the virtual stock), which a maximum
    compares."""
    locations = SQL(
        "SELECT id, warehouse_id FROM stock_location"
        " WHERE usage = 'internal' AND warehouse_id = ANY(%s)",
        warehouses.ids,
    )
    parts = SQL(
        "SELECT q.product_id, loc.warehouse_id AS wh_id, q.quantity AS on_hand,"
        " 0 AS incoming, 0 AS outgoing"
        " FROM stock_quant q JOIN (%(locations)s) loc ON loc.id = q.location_id"
        " UNION ALL"
        " SELECT m.product_id, s.warehouse_id, 0, 0, m.product_qty FROM stock_move m"
        " JOIN (%(locations)s) s ON s.id = m.location_id"
        " LEFT JOIN (%(locations)s) d ON d.id = m.location_dest_id"
        " WHERE m.state = ANY(%(states)s)"
        " AND d.warehouse_id IS DISTINCT FROM s.warehouse_id"
        " UNION ALL"
        " SELECT m.product_id, d.warehouse_id, 0, m.product_qty, 0 FROM stock_move m"
        " JOIN (%(locations)s) d ON d.id = m.location_dest_id"
        " LEFT JOIN (%(locations)s) s ON s.id = m.location_id"
        " WHERE m.state = ANY(%(states)s)"
        " AND s.warehouse_id IS DISTINCT FROM d.warehouse_id",
        locations=locations,
        states=OPEN_STATES,
    )
    virtual = SQL("SUM(on_hand) + SUM(incoming) - SUM(outgoing)")
    qty = SQL("SUM(on_hand) + SUM(incoming)") if basis == "on_hand" else virtual
    base = SQL("SUM(on_hand)") if basis == "on_hand" else virtual
    return SQL(
        "SELECT product_id, wh_id, %s AS qty, %s AS virtual, %s AS base"
        " FROM (%s) f GROUP BY 1, 2",
        qty,
        virtual,
        base,
        parts,
    )


def add_orderpoints(data):
    """Odoo reordering rules (manual trigger: Odoo's scheduler leaves them
    alone) on every third product in each warehouse, at its stock location."""
    product_ids = data.product_ids[::3]
    progress(
        f"creating {len(product_ids) * len(data.warehouses)} reordering rules"
        " (a third of the products x the warehouses)"
    )
    Orderpoint = env["stock.warehouse.orderpoint"]
    for warehouse in data.warehouses:
        for start in range(0, len(product_ids), 2000):
            Orderpoint.create(
                [
                    {
                        "product_id": product_id,
                        "warehouse_id": warehouse.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "trigger": "manual",
                        "product_min_qty": 10,
                        "product_max_qty": 30,
                    }
                    for product_id in product_ids[start : start + 2000]
                ]
            )
            env.flush_all()
            env.invalidate_all()
    return len(product_ids)


def scan_basis(bench, warehouses, basis, t_report, label=None):
    """First and steady threshold scans of an "every product" rule per
    warehouse (min 10) on ``basis``, the steady scan alternated with the
    raw SQL answering the same question (p50 / p95 of each). ``label``:
    the name of the row (default: the basis)."""
    env["erp.stock.threshold"].search([]).active = False
    env["erp.stock.threshold"].create(
        [
            {
                "name": f"Shortage bench {warehouse.code} {basis}",
                "warehouse_id": warehouse.id,
                "basis": basis,
                "min_qty": 10,
                "target_qty": 30,
                "action": "notify",
                "max_qty": MAX_QTY if warehouse == warehouses[0] else 0,
            }
            for warehouse in warehouses
        ]
    )
    env.flush_all()
    quantities = quantities_sql(basis, warehouses)

    def raw_sql():
        # the scan's question: every storable product x warehouse below 10
        # counting what is on its way, or with a negative virtual stock
        # (sold beyond what will be there alerts on any basis), those
        # without any quant or move (0) included; or above the maximum of
        # the first warehouse's rule on the basis alone (overstock)
        return env.execute_query(
            SQL(
                "SELECT pp.id, wh.id, COALESCE(s.qty, 0) FROM product_product pp"
                " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
                " CROSS JOIN stock_warehouse wh"
                " LEFT JOIN (%s) s ON s.product_id = pp.id AND s.wh_id = wh.id"
                " WHERE wh.id = ANY(%s) AND pp.active AND pt.is_storable"
                " AND (COALESCE(s.qty, 0) < 10 OR s.virtual < 0"
                " OR (%s > 0 AND wh.id = %s AND s.base > %s))",
                quantities,
                warehouses.ids,
                MAX_QTY,
                warehouses[0].id,
                MAX_QTY,
            )
        )

    def raw_sql_pairs():
        # narrower: only the pairs with stock or moves (misses empty shelves)
        return env.execute_query(
            SQL(
                "SELECT * FROM (%s) s WHERE s.qty < 10 OR s.virtual < 0"
                " OR (%s > 0 AND s.wh_id = %s AND s.base > %s)",
                quantities,
                MAX_QTY,
                warehouses[0].id,
                MAX_QTY,
            )
        )

    def scan():
        env["erp.stock.alert"]._cron_scan_thresholds()

    t_first, q_first, _res = bench.time(
        f"first scan ({basis}, raises the alerts)", scan
    )
    rows = raw_sql()
    alerts = env["erp.stock.alert"].search_count(
        [("warehouse_id", "in", warehouses.ids), ("state", "!=", "resolved")]
    )
    over = env["erp.stock.alert"].search_count(
        [
            ("warehouse_id", "in", warehouses.ids),
            ("state", "!=", "resolved"),
            ("alert_type", "=", "overstock"),
        ]
    )
    print(  # noqa: T201
        f"{basis}: {len(rows)} pairs short or over (raw SQL),"
        f" {alerts} open alerts ({over} overstock)"
    )
    times = {"raw": [], "pairs": [], "scan": []}
    queries = []
    for i in range(SAMPLES + 1):
        steps = [("raw", raw_sql), ("pairs", raw_sql_pairs), ("scan", scan)]
        for key, func in steps if i % 2 else steps[::-1]:
            seconds, count, _res = bench.time(f"  {basis} {key} #{i}", func)
            if i:  # the first round warms up
                times[key].append(seconds)
                if key == "scan":
                    queries.append(count)
    stats = {key: (median(v), percentile(v, 95)) for key, v in times.items()}
    name = label or f"threshold scan, {basis} basis"
    label = f"{name} (steady)"
    bench.figure(
        f"{name} (first)",
        t_first,
        q_first,
        reference="raw SQL aggregate p50",
        reference_seconds=stats["raw"][0],
    )
    for index, pct in enumerate(("p50", "p95")):
        bench.figure(
            f"{label} {pct}",
            stats["scan"][index],
            int(median(queries)),
            reference=f"raw SQL of the same question {pct} (alternated)",
            reference_seconds=stats["raw"][index],
            target_ratio=2.0,
            samples=SAMPLES,
        )
    bench.figure(
        f"{label} p50",
        stats["scan"][0],
        int(median(queries)),
        reference="raw SQL of the pairs with stock or moves only p50 (info)",
        reference_seconds=stats["pairs"][0],
    )
    if t_report:
        bench.figure(
            f"{label} p50",
            stats["scan"][0],
            int(median(queries)),
            reference=REPORT,
            reference_seconds=t_report,
            target_ratio=0.05,
        )
    print(  # noqa: T201
        f"{label}: p50 {stats['scan'][0] * 1000:.1f} ms, p95"
        f" {stats['scan'][1] * 1000:.1f} ms; raw SQL p50"
        f" {stats['raw'][0] * 1000:.1f} ms, p95 {stats['raw'][1] * 1000:.1f} ms:"
        f" {stats['scan'][0] / stats['raw'][0]:.2f}x"
    )


def main():
    data = scale_data(env)
    bench = Bench(env, "stock_shortage", len(data.product_ids))
    warehouses = data.warehouses
    print(f"{data.describe()}, bases {' '.join(BASES)}")  # noqa: T201

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

    for basis in BASES:
        scan_basis(bench, warehouses, basis, t_report)
    if ORDERPOINTS:
        count = add_orderpoints(data)
        scan_basis(
            bench,
            warehouses,
            "virtual_stock",
            None,
            label="threshold scan, virtual_stock basis, Odoo reordering rules"
            f" on {count} products (a third)",
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
    print(f"immediate trigger {t_trigger * 1000:.1f} ms")  # noqa: T201
    bench.emit()
    env.cr.rollback()


main()
