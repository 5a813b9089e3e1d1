"""Benchmark: reading virtual_stock_qty vs Odoo's virtual_available vs raw SQL.

Run inside an Odoo shell on a database where erp_virtual_stock is installed
(nothing is committed, the data is rolled back at the end):

    ERP_BENCH_N=10000 odoo-bin shell -d <db> --no-http \
        < addons/erp_virtual_stock/tests/benchmark/benchmark_virtual_stock.py

It builds N storable products x 2 warehouses with stock (quants) and open
outgoing moves (5 per product and warehouse, 10 N in all), then prints, on the
same data, the time to read ``virtual_stock_qty`` for all of them (per
warehouse context), the time of Odoo's own ``virtual_available`` read, and the
time of one raw SQL GROUP BY giving the same figures (the floor).
"""

import os
import time

from odoo.tools import SQL

env = globals()["env"]  # provided by odoo-bin shell
N = int(os.environ.get("ERP_BENCH_N", "2000"))
MOVES = 5


def _timed(label, func):
    env.invalidate_all()
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<40} {elapsed:8.3f} s")  # noqa: T201
    return elapsed, result


def build():
    suffix = int(time.time())
    warehouses = env["stock.warehouse"].create(
        [
            {"name": f"Bench A {suffix}", "code": f"BA{suffix % 1000}"},
            {"name": f"Bench B {suffix}", "code": f"BB{suffix % 1000}"},
        ]
    )
    products = env["product.product"].create(
        [
            {"name": f"Bench {suffix} {i}", "type": "consu", "is_storable": True}
            for i in range(N)
        ]
    )
    env.flush_all()
    customer = env.ref("stock.stock_location_customers")
    for warehouse in warehouses:
        env.execute_query(
            SQL(
                "INSERT INTO stock_quant (product_id, location_id, company_id,"
                " quantity, reserved_quantity, in_date, create_date, write_date)"
                " SELECT p, %(loc)s, %(company)s, 100, 0, now(), now(), now()"
                " FROM unnest(%(products)s::int[]) AS p",
                loc=warehouse.lot_stock_id.id,
                company=warehouse.company_id.id,
                products=products.ids,
            )
        )
        env.execute_query(
            SQL(
                "INSERT INTO stock_move (name, product_id, product_uom,"
                " product_uom_qty, product_qty, location_id, location_dest_id,"
                " company_id, state, date, procure_method, create_date,"
                " write_date)"
                " SELECT 'bench', p, %(uom)s, 1, 1, %(loc)s, %(dest)s,"
                " %(company)s, 'confirmed', now(), 'make_to_stock', now(), now()"
                " FROM unnest(%(products)s::int[]) AS p,"
                " generate_series(1, %(moves)s)",
                uom=env.ref("uom.product_uom_unit").id,
                loc=warehouse.lot_stock_id.id,
                dest=customer.id,
                company=warehouse.company_id.id,
                products=products.ids,
                moves=MOVES,
            )
        )
    env.invalidate_all()
    return warehouses, products


def main():
    warehouses, products = build()
    print(f"N = {N} products x 2 warehouses, {N * 2 * MOVES} open moves")  # noqa: T201

    def ours():
        return [
            products.with_context(warehouse_id=wh.id).mapped("virtual_stock_qty")
            for wh in warehouses
        ]

    def odoo():
        return [
            products.with_context(warehouse_id=wh.id).mapped("virtual_available")
            for wh in warehouses
        ]

    def raw():
        return env.execute_query(
            SQL(
                "SELECT product_id, warehouse_id, SUM(qty) FROM ("
                " SELECT q.product_id, l.warehouse_id, q.quantity AS qty"
                " FROM stock_quant q JOIN stock_location l ON l.id = q.location_id"
                " WHERE l.warehouse_id = ANY(%(whs)s)"
                " UNION ALL"
                " SELECT m.product_id, l.warehouse_id, -m.product_qty"
                " FROM stock_move m JOIN stock_location l ON l.id = m.location_id"
                " WHERE l.warehouse_id = ANY(%(whs)s)"
                " AND m.state IN ('confirmed', 'waiting', 'assigned',"
                " 'partially_available')) f GROUP BY product_id, warehouse_id",
                whs=warehouses.ids,
            )
        )

    t_ours, v_ours = _timed("virtual_stock_qty (this addon)", ours)
    t_odoo, v_odoo = _timed("virtual_available (Odoo)", odoo)
    t_raw, rows = _timed("raw SQL GROUP BY (floor)", raw)
    assert v_ours == v_odoo, "figures differ from Odoo's"
    assert len(rows) == 2 * N
    print(f"speed-up vs Odoo: {t_odoo / t_ours:5.1f}x")  # noqa: T201
    print(f"ratio to SQL floor: {t_ours / t_raw:5.1f}x")  # noqa: T201
    env.cr.rollback()


main()
