"""Shared part of the bench/bench_*.py scripts (imported inside odoo-bin shell).

Scale data
    ``scale_data(env)`` returns the benchmark data set, building it (bulk SQL
    copies of ORM-made seed rows, deterministic: the same figures in every
    database) when the database does not hold it yet.  bench/report.sh builds
    and commits it once per database (bench/build_data.py); a script run alone
    builds it in its own transaction and rolls it back.  Sizes (environment):

    BENCH_N            products (default 1000), each in every warehouse
    BENCH_WAREHOUSES   warehouses (3)
    BENCH_MOVES        stock moves in all (10 N): the open order lines' moves,
                       4/9 of the rest open receipts and deliveries, the rest
                       done deliveries and returns over the last 120 days
    BENCH_LINES        open (confirmed, undelivered) order lines (N), 5 per
                       order

Parts
    BENCH_PART=all (default) measures everything in one database; "addons"
    leaves out the vanilla Odoo references (bench/report.sh measures them in
    the vanilla database of the same data, BENCH_PART=vanilla); a database
    without the addons is always measured as "vanilla".

Output
    Human lines, then exactly one line
    ``BENCH {"name": ..., "n": N, "figures": [{"operation", "seconds",
    "reference", "reference_seconds", "queries"}, ...]}``.
"""

import json
import os
import statistics
import sys
import time

from odoo.tools import SQL

MARKER = "BENCH-SCALE"


def env_int(name, default, *fallbacks):
    for key in (name, *fallbacks):
        if os.environ.get(key):
            return int(os.environ[key])
    return int(default)


def sizes():
    n = env_int("BENCH_N", 1000, "ERP_BENCH_N")
    return {
        "n": n,
        "warehouses": env_int("BENCH_WAREHOUSES", 3),
        "moves": env_int("BENCH_MOVES", 10 * n),
        "lines": env_int("BENCH_LINES", n),
    }


def progress(message):
    """Progress on stderr, shown by bench/report.sh while a step runs."""
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def part(env):
    if "erp.virtual.stock.ledger" not in env:
        return "vanilla"
    return os.environ.get("BENCH_PART", "all")


class Bench:
    """Collects timed figures and prints the one machine-readable line."""

    def __init__(self, env, name, n):
        self.env = env
        self.name = name
        self.n = n
        self.part = part(env)
        self.figures = []

    @property
    def with_ours(self):
        return self.part in ("all", "addons")

    @property
    def with_vanilla(self):
        return self.part in ("all", "vanilla")

    def time(self, label, func, runs=1):
        """Best of ``runs`` (cache invalidated, flushed): (seconds, queries,
        last result); prints a human line."""
        cr = self.env.cr
        best = best_queries = result = None
        for _run in range(runs):
            self.env.invalidate_all()
            queries = cr.sql_log_count
            start = time.perf_counter()
            result = func()
            self.env.flush_all()
            elapsed = time.perf_counter() - start
            if best is None or elapsed < best:
                best, best_queries = elapsed, cr.sql_log_count - queries
        print(f"{label:<48} {best:9.3f} s {best_queries:>8} queries")  # noqa: T201
        return best, best_queries, result

    def figure(self, operation, seconds, queries=None, reference=None, **extra):
        """One figure; ``reference_seconds`` (in ``extra``) may be missing
        when the reference is measured in the vanilla database."""
        row = {
            "operation": operation,
            "seconds": round(seconds, 4),
            "reference": reference,
            "reference_seconds": None,
            "queries": queries,
        }
        for key, value in extra.items():
            row[key] = round(value, 4) if isinstance(value, float) else value
        self.figures.append(row)
        ref = row["reference_seconds"]
        if ref:
            print(  # noqa: T201
                f"  {operation} / {reference}: {seconds / ref:.2f}x"
            )
        return row

    def emit(self):
        print(  # noqa: T201
            "BENCH "
            + json.dumps({"name": self.name, "n": self.n, "figures": self.figures})
        )


def percentile(values, pct):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values):
    return statistics.median(values) if values else 0.0


# ---------------------------------------------------------------------------
# Scale data
# ---------------------------------------------------------------------------


def _columns(env, table):
    return [
        row[0]
        for row in env.execute_query(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = %s AND column_name != 'id'"
                " ORDER BY ordinal_position",
                table,
            )
        )
    ]


def clone_rows(env, table, seed_id, series, overrides, order=None):
    """Insert one copy of row ``seed_id`` of ``table`` (alias ``t``) per row
    of ``series`` (an SQL FROM item and its alias) with ``overrides`` (column
    -> SQL expression over ``t`` and the series), in the ``order`` (SQL) if
    given; returns the new ids in insertion order."""
    columns = [col for col in _columns(env, table) if col not in overrides]
    columns += [col for col in overrides if col in _columns(env, table)]
    rows = env.execute_query(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s t, %s WHERE t.id = %s%s"
            " RETURNING id",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(col) for col in columns),
            SQL(", ").join(
                overrides[col] if col in overrides else SQL.identifier("t", col)
                for col in columns
            ),
            SQL.identifier(table),
            series,
            seed_id,
            SQL(" ORDER BY %s", order) if order is not None else SQL(),
        )
    )
    return sorted(row[0] for row in rows)


class ScaleData:
    def __init__(self, env, warehouses, product_ids, partner, order_ids):
        self.env = env
        self.warehouses = warehouses
        self.product_ids = product_ids
        self.products = env["product.product"].browse(product_ids)
        self.partner = partner
        self.order_ids = order_ids

    def describe(self):
        counts = self.env.execute_query(
            SQL(
                "SELECT (SELECT count(*) FROM stock_move m"
                "  JOIN product_product p ON p.id = m.product_id"
                "  WHERE p.default_code LIKE %(like)s),"
                " (SELECT count(*) FROM sale_order_line l"
                "  JOIN sale_order o ON o.id = l.order_id"
                "  WHERE o.state = 'sale' AND o.name LIKE %(like)s)",
                like=f"{MARKER}%",
            )
        )[0]
        return (
            f"{len(self.product_ids)} products x {len(self.warehouses)} warehouses,"
            f" {counts[0]} moves, {counts[1]} open order lines"
        )


def _bench_product_ids(env):
    return [
        row[0]
        for row in env.execute_query(
            SQL(
                "SELECT id FROM product_product WHERE default_code LIKE %s ORDER BY id",
                f"{MARKER}-%",
            )
        )
    ]


def _load(env):
    warehouses = env["stock.warehouse"].search(
        [("code", "=like", "BS%"), ("name", "=like", f"{MARKER} %")], order="id"
    )
    if not warehouses:
        return None
    product_ids = _bench_product_ids(env)
    order_ids = env["sale.order"].search(
        [("name", "=like", f"{MARKER}-SO-%"), ("state", "=", "sale")], order="id"
    )
    partner = env["res.partner"].search([("name", "=", f"{MARKER} customer")], limit=1)
    return ScaleData(env, warehouses, product_ids, partner, order_ids.ids)


def scale_data(env):
    """The scale data set of this database (built if missing)."""
    data = _load(env)
    if data is None:
        size = sizes()
        progress(
            f"building scale data: {size['n']} products x {size['warehouses']}"
            f" warehouses, {size['moves']} moves, {size['lines']} open order lines"
        )
        start = time.perf_counter()
        _build(env, **size)
        data = _load(env)
        progress(f"scale data built in {time.perf_counter() - start:.1f} s")
    return data


def _build(env, n, warehouses, moves, lines):  # noqa: C901
    company = env.company
    whs = env["stock.warehouse"].create(
        [{"name": f"{MARKER} {i + 1}", "code": f"BS{i + 1}"} for i in range(warehouses)]
    )
    partner = env["res.partner"].create({"name": f"{MARKER} customer"})
    seed = env["product.product"].create(
        {
            "name": f"{MARKER} product 0",
            "default_code": f"{MARKER}-0",
            "type": "consu",
            "is_storable": True,
            "list_price": 10,
        }
    )
    env.flush_all()
    tmpl_ids = clone_rows(
        env,
        "product_template",
        seed.product_tmpl_id.id,
        SQL("generate_series(1, %s) g", n - 1),
        {"name": SQL("jsonb_build_object('en_US', %s || g)", f"{MARKER} product ")},
    )
    clone_rows(
        env,
        "product_product",
        seed.id,
        SQL("unnest(%s::int[]) WITH ORDINALITY AS g(tmpl, k)", tmpl_ids),
        {
            "product_tmpl_id": SQL("g.tmpl"),
            "default_code": SQL("%s || g.k", f"{MARKER}-"),
        },
    )
    product_ids = _bench_product_ids(env)
    common = {
        "products": product_ids,
        "n": len(product_ids),
        "company": company.id,
        "uom": seed.uom_id.id,
        "stocks": [wh.lot_stock_id.id for wh in whs],
        "whs": whs.ids,
        "in_types": [wh.in_type_id.id for wh in whs],
        "out_types": [wh.out_type_id.id for wh in whs],
        "nwh": len(whs),
        "customer": env.ref("stock.stock_location_customers").id,
        "supplier": env.ref("stock.stock_location_suppliers").id,
        "now": env.cr.now(),
    }
    # on hand: 20..50 per product and warehouse, 1 product in 200 short (2)
    env.execute_query(
        SQL(
            "INSERT INTO stock_quant (product_id, location_id, company_id,"
            " quantity, reserved_quantity, in_date, create_date, write_date,"
            " create_uid, write_uid)"
            " SELECT p, loc, %(company)s,"
            " CASE WHEN mod(k, 200) = 1 THEN 2 ELSE 20 + mod(k * 7, 31) END,"
            " 0, now(), now(), now(), 1, 1"
            " FROM unnest(%(products)s::int[]) WITH ORDINALITY AS pr(p, k),"
            " unnest(%(stocks)s::int[]) AS loc",
            **common,
        )
    )
    move_cols = SQL(
        "name, product_id, product_uom, product_uom_qty, product_qty, quantity,"
        " location_id, location_dest_id, company_id, state, date, procure_method,"
        " picking_type_id, warehouse_id, picked, create_date, write_date,"
        " create_uid, write_uid"
    )
    open_sale = max(lines, 0)
    rest = max(moves - open_sale, 0)
    open_other = rest * 4 // 9
    done = rest - open_other
    # open receipts (even i) and deliveries (odd i) over the next 30 days
    env.execute_query(
        SQL(
            "INSERT INTO stock_move (%(cols)s)"
            " SELECT 'bench', (%(products)s::int[])[1 + mod(i::bigint * 7919, %(n)s)],"
            " %(uom)s, 1 + mod(i, 3), 1 + mod(i, 3), 0,"
            " CASE WHEN mod(i, 2) = 0 THEN %(supplier)s"
            "  ELSE (%(stocks)s::int[])[1 + mod(i / 2, %(nwh)s)] END,"
            " CASE WHEN mod(i, 2) = 0"
            "  THEN (%(stocks)s::int[])[1 + mod(i / 2, %(nwh)s)]"
            "  ELSE %(customer)s END,"
            " %(company)s, 'confirmed',"
            " %(now)s + mod(i, 30) * INTERVAL '1 day', 'make_to_stock',"
            " CASE WHEN mod(i, 2) = 0"
            "  THEN (%(in_types)s::int[])[1 + mod(i / 2, %(nwh)s)]"
            "  ELSE (%(out_types)s::int[])[1 + mod(i / 2, %(nwh)s)] END,"
            " (%(whs)s::int[])[1 + mod(i / 2, %(nwh)s)], FALSE,"
            " now(), now(), 1, 1"
            " FROM generate_series(0, %(count)s - 1) i",
            cols=move_cols,
            count=open_other,
            **common,
        )
    )
    # done deliveries (1 in 10 a return) over the last 120 days
    env.execute_query(
        SQL(
            "INSERT INTO stock_move (%(cols)s)"
            " SELECT 'bench',"
            " (%(products)s::int[])[1 + mod(i::bigint * 104729, %(n)s)],"
            " %(uom)s, 1 + mod(i, 5), 1 + mod(i, 5), 1 + mod(i, 5),"
            " CASE WHEN mod(i, 10) = 0 THEN %(customer)s"
            "  ELSE (%(stocks)s::int[])[1 + mod(i, %(nwh)s)] END,"
            " CASE WHEN mod(i, 10) = 0 THEN (%(stocks)s::int[])[1 + mod(i, %(nwh)s)]"
            "  ELSE %(customer)s END,"
            " %(company)s, 'done',"
            " %(now)s - mod(i, 120) * INTERVAL '1 day', 'make_to_stock',"
            " (%(out_types)s::int[])[1 + mod(i, %(nwh)s)],"
            " (%(whs)s::int[])[1 + mod(i, %(nwh)s)], TRUE, now(), now(), 1, 1"
            " FROM generate_series(0, %(count)s - 1) i",
            cols=move_cols,
            count=done,
            **common,
        )
    )
    # open order lines: orders of 5 lines in state 'sale', one open move each
    if open_sale:
        seed_order = env["sale.order"].create(
            {
                "name": f"{MARKER}-SEED",
                "partner_id": partner.id,
                "warehouse_id": whs[0].id,
                "order_line": [(0, 0, {"product_id": seed.id, "product_uom_qty": 1})],
            }
        )
        env.flush_all()
        order_ids = clone_rows(
            env,
            "sale_order",
            seed_order.id,
            SQL("generate_series(0, %s - 1) g", max(open_sale // 5, 1)),
            {
                "name": SQL("%s || g", f"{MARKER}-SO-"),
                "state": SQL("'sale'"),
                "warehouse_id": SQL(
                    "(%s::int[])[1 + mod(g, %s)]", common["whs"], common["nwh"]
                ),
                "date_order": SQL("%s - mod(g, 30) * INTERVAL '1 day'", common["now"]),
            },
        )
        line_ids = clone_rows(
            env,
            "sale_order_line",
            seed_order.order_line.id,
            SQL(
                "unnest(%s::int[]) WITH ORDINALITY AS o(order_ref, k),"
                " generate_series(0, 4) AS j(line_no),"
                " LATERAL (SELECT o.order_ref, (o.k - 1) * 5 + j.line_no AS idx) g",
                order_ids,
            ),
            {
                "order_id": SQL("g.order_ref"),
                "product_id": SQL(
                    "(%s::int[])[1 + mod(g.idx * 31, %s)]",
                    common["products"],
                    common["n"],
                ),
                "product_uom_qty": SQL("1 + mod(g.idx, 4)"),
                "sequence": SQL("10 + mod(g.idx, 5)"),
                "state": SQL("'sale'"),
            },
        )
        env.execute_query(
            SQL(
                "INSERT INTO stock_move (%(cols)s, sale_line_id, partner_id, origin)"
                " SELECT o.name, l.product_id, l.product_uom, l.product_uom_qty,"
                " l.product_uom_qty, 0, w.lot_stock_id, %(customer)s, %(company)s,"
                " 'confirmed', o.date_order + INTERVAL '2 day', 'make_to_stock',"
                " w.out_type_id, w.id, FALSE, now(), now(), 1, 1, l.id,"
                " o.partner_id, o.name"
                " FROM sale_order_line l"
                " JOIN sale_order o ON o.id = l.order_id"
                " JOIN stock_warehouse w ON w.id = o.warehouse_id"
                " WHERE l.id = ANY(%(lines)s)",
                cols=move_cols,
                lines=line_ids,
                **common,
            )
        )
        seed_order.unlink()
    for table in ("product_product", "product_template", "stock_quant", "stock_move"):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    env.registry.clear_cache()
