"""Benchmark: the stock threshold scan vs raw SQL vs Odoo's replenishment report.

Run inside an Odoo shell on a throw-away database where erp_virtual_stock is
installed (the script COMMITS its data: products, quants, rules):

    ERP_BENCH_N=50000 ERP_BENCH_BASIS=on_hand odoo-bin shell -d <db> --no-http \
        < addons/erp_virtual_stock/tests/benchmark/benchmark_stock_shortage.py

It builds N storable products (bulk SQL copies of one product) with stock in 3
warehouses, 50 of them short, and one "every product" rule per warehouse
(min 10, target 30, basis ERP_BENCH_BASIS). It prints the time of the raw SQL
aggregate answering "which product x warehouse is below 10 on hand", the first
scan (raises the alerts), the steady scan (alerts exist: idempotent), Odoo's
``action_open_orderpoints``, and the immediate trigger alone (the threshold
check run for the ledger row of one order confirmation).
"""

import os
import time

from odoo.tools import SQL

env = globals()["env"]  # provided by odoo-bin shell
N = int(os.environ.get("ERP_BENCH_N", "2000"))
BASIS = os.environ.get("ERP_BENCH_BASIS", "on_hand")


def _timed(label, func, runs=1):
    best = None
    for _run in range(runs):
        env.invalidate_all()
        start = time.perf_counter()
        func()
        env.flush_all()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label:<45} {best:8.3f} s")  # noqa: T201
    return best


def _columns(table):
    rows = env.execute_query(
        SQL(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s AND column_name != 'id'",
            table,
        )
    )
    return [row[0] for row in rows]


def build():
    warehouses = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    suffix = int(time.time()) % 1000
    warehouses |= env["stock.warehouse"].create(
        [
            {"name": f"Shortage bench B {suffix}", "code": f"SB{suffix}"},
            {"name": f"Shortage bench C {suffix}", "code": f"SC{suffix}"},
        ]
    )
    seed = env["product.product"].create(
        {"name": "Shortage bench", "type": "consu", "is_storable": True}
    )
    tcols = _columns("product_template")
    template_ids = [
        row[0]
        for row in env.execute_query(
            SQL(
                "INSERT INTO product_template (%s) SELECT %s"
                " FROM product_template t, generate_series(1, %s) g"
                " WHERE t.id = %s RETURNING id",
                SQL(", ").join(SQL.identifier(col) for col in tcols),
                SQL(", ").join(
                    SQL("jsonb_build_object('en_US', 'Shortage bench ' || g)")
                    if col == "name"
                    else SQL.identifier("t", col)
                    for col in tcols
                ),
                N - 1,
                seed.product_tmpl_id.id,
            )
        )
    ]
    pcols = [col for col in _columns("product_product") if col != "product_tmpl_id"]
    product_ids = [seed.id] + [
        row[0]
        for row in env.execute_query(
            SQL(
                "INSERT INTO product_product (product_tmpl_id, %s)"
                " SELECT tid, %s FROM product_product p, unnest(%s::int[]) tid"
                " WHERE p.id = %s RETURNING id",
                SQL(", ").join(SQL.identifier(col) for col in pcols),
                SQL(", ").join(SQL.identifier("p", col) for col in pcols),
                template_ids,
                seed.id,
            )
        )
    ]
    for warehouse in warehouses:
        env.cr.execute(
            SQL(
                "INSERT INTO stock_quant (product_id, location_id, company_id,"
                " quantity, reserved_quantity, in_date, create_date, write_date,"
                " create_uid, write_uid)"
                " SELECT pid, %s, %s, 20 + mod(pid, 7), 0, now(), now(), now(), 1, 1"
                " FROM unnest(%s::int[]) pid",
                warehouse.lot_stock_id.id,
                env.company.id,
                product_ids,
            )
        )
    env.cr.execute(
        SQL(
            "UPDATE stock_quant SET quantity = 2 WHERE product_id = ANY(%s)",
            product_ids[:50],
        )
    )
    env.invalidate_all()
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
    env.cr.commit()
    return warehouses, product_ids


def main():
    warehouses, product_ids = build()
    print(f"{N} products x {len(warehouses)} warehouses, basis {BASIS}")  # noqa: T201

    def raw_sql():
        env.execute_query(
            SQL(
                "SELECT q.product_id, wh.id, SUM(q.quantity) FROM stock_quant q"
                " JOIN stock_location loc ON loc.id = q.location_id"
                " JOIN stock_warehouse wh ON wh.id = ANY(%s)"
                " JOIN stock_location v ON v.id = wh.view_location_id"
                " WHERE loc.usage = 'internal'"
                " AND loc.parent_path LIKE v.parent_path || %s"
                " GROUP BY 1, 2 HAVING SUM(q.quantity) < 10",
                warehouses.ids,
                "%",
            )
        )

    def scan():
        env["erp.stock.alert"]._cron_scan_thresholds()

    def orderpoints():
        env["stock.warehouse.orderpoint"].action_open_orderpoints()

    raw = _timed("raw SQL aggregate (floor)", raw_sql, 3)
    _timed("first scan (raises the alerts)", scan)
    steady = _timed("steady scan (_cron_scan_thresholds)", scan, 3)
    report = _timed("Odoo action_open_orderpoints", orderpoints)
    partner = env["res.partner"].create({"name": "Shortage bench customer"})
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "warehouse_id": warehouses[0].id,
            "order_line": [(0, 0, {"product_id": product_ids[100]})],
        }
    )
    order.action_confirm()
    ledger = env["erp.virtual.stock.ledger"].search([], order="id desc", limit=1)
    trigger = _timed(
        "immediate trigger (one ledger row)", ledger._check_stock_thresholds, 7
    )
    print(  # noqa: T201
        f"scan / raw SQL = {steady / raw:.2f}x; replenishment report / scan ="
        f" {report / steady:.2f}x; trigger {trigger * 1000:.1f} ms"
    )
    env.cr.commit()


main()
