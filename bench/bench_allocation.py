"""Benchmark of the scarce-stock allocation run (erp_order_priority, issue 5).

Runnable on its own from the repository root:

    export ERP_VENV=.venv  (the project virtualenv that scripts/test.sh builds)
    ERP_BENCH_N=10000 python3 bench/bench_allocation.py

It copies the cached template database without demo data, installs the three
addons, then runs this same file inside `odoo-bin shell` (where `env` exists)
and drops the copy.  ERP_BENCH_DB=<db> runs it on an existing database with the
addons installed instead (kept; the shell rolls its data back).

Inside the shell it builds, by SQL cloning of one confirmed seed order, N open
outgoing sales moves (one per order line, ERP_BENCH_LINES lines per order,
one delivery per order) over ERP_BENCH_PRODUCTS products in a new warehouse,
with scores 0-99 (levels from the company thresholds) and commitment dates
over 30 days.  Each product has stock for about half of its demand and 80 % of
that stock is already reserved first come, first served (by move id, i.e. not
by priority), as Odoo would have left it.  Then it measures:

- allocation simulate: one erp.allocation.run in simulate mode (plan + lines);
- allocation apply: one erp.allocation.run in apply mode (re-reservation),
  checked afterwards: every move must hold exactly what the plan allocated
  and the quants must reserve exactly what the move lines hold;
- the reference, Odoo's own reservation: `_action_assign` on the moves of a
  sample of products (about ERP_BENCH_REF_SAMPLE moves, default 1000, all the
  moves of each sampled product so that they compete) after unreserving them,
  scaled to N.

It prints human lines and one machine line prefixed with BENCH.  Parameters:
ERP_BENCH_N (10000), ERP_BENCH_PRODUCTS (500), ERP_BENCH_LINES (10),
ERP_BENCH_REF_SAMPLE (1000; 0 = every move), ERP_BENCH_PROFILE (1: cProfile
of each measure to the shell log; a directory: also dump .prof files there),
ERP_BENCH_SQL_LOG (1: log the measured queries).  The shell's log goes to
ERP_BENCH_LOG (default /tmp/bench_allocation_shell.log).

Backorder processing (issue 19), side by side with the run above:
ERP_BENCH_BOP=1 adds incoming receipts for the other half of each product's
demand, three per product spread over 60 days (warehouse horizon 60 days),
and a variant (VIP Win, gold Gain, silver Redistribute, standard Lose), then
measures "bop simulate" (variant + incoming supply) next to "allocation
simulate", and "bop apply" next to "allocation apply" from the same starting
reservations (the plain apply is rolled back to a savepoint first).
ERP_BENCH_APPLY=0 measures the simulations only (the 100,000-line row).
"""

# ruff: noqa: F821  (env is provided by odoo-bin shell)
import json
import logging
import os
import subprocess
import sys
import time

N = int(os.environ.get("ERP_BENCH_N", "10000"))
N_PRODUCTS = int(os.environ.get("ERP_BENCH_PRODUCTS", "500"))
N_LINES = int(os.environ.get("ERP_BENCH_LINES", "10"))
REF_SAMPLE = int(os.environ.get("ERP_BENCH_REF_SAMPLE", "1000"))
PROFILE = os.environ.get("ERP_BENCH_PROFILE")
SQL_LOG = os.environ.get("ERP_BENCH_SQL_LOG")
BOP = os.environ.get("ERP_BENCH_BOP") == "1"
APPLY = os.environ.get("ERP_BENCH_APPLY", "1") != "0"

ORCHESTRATE = r"""
set -e
source scripts/lib.sh
ensure_odoo
ensure_venv
ensure_postgres
DB="${ERP_BENCH_DB:-}"
if [ -z "$DB" ]; then
    ensure_template_db nodemo
    DB="erp_bench_alloc_$(date +%s)_$$"
    trap 'odoo_db drop "$DB" >/dev/null 2>&1 || true; stop_private_postgres' EXIT
    odoo_db duplicate "$TEMPLATE_NODEMO_DB" "$DB" >/dev/null 2>&1
    odoo_bin -d "$DB" -i "$ERP_ADDONS" --stop-after-init --no-http \
        --data-dir "$ERP_DATA_DIR" --log-level=warn
fi
"$PY" "$ODOO_BIN" shell -c "$PROJECT_DIR/config/odoo.conf" \
    --addons-path "$ODOO_ADDONS_PATH" ${PGHOST:+--db_host "$PGHOST"} \
    ${PGPORT:+--db_port "$PGPORT"} ${PGUSER:+--db_user "$PGUSER"} \
    -d "$DB" --no-http --data-dir "$ERP_DATA_DIR" --log-level=warn \
    < bench/bench_allocation.py \
    2>"${ERP_BENCH_LOG:-/tmp/bench_allocation_shell.log}"
"""


def say(text):
    print(text, flush=True)  # noqa: T201


def clone(env, table, seed_id, source, overrides):
    """One copy of row ``seed_id`` of ``table`` per row of ``source`` (an SQL
    query with columns ``i`` and ``rn``, aliased ``s``) with the
    ``overrides``; the new ids in the order of ``rn``."""
    from odoo.tools import SQL

    sys.path.insert(0, os.path.abspath(os.environ.get("BENCH_DIR", "bench")))
    from bench_common import clone_rows

    series = SQL("(%s) s", source)
    return clone_rows(env, table, seed_id, series, overrides, order=SQL("s.rn"))


def build(env):
    """Create the open moves; return (warehouse, moves)."""
    from odoo import Command, fields
    from odoo.tools import SQL

    cr = env.cr
    company = env.company
    suffix = int(time.time()) % 10000
    warehouse = env["stock.warehouse"].create(
        {
            "name": f"Allocation bench {suffix}",
            "code": f"AB{suffix % 1000}",
            "virtual_stock_policy": "allow",
        }
    )
    stock = warehouse.lot_stock_id
    products = env["product.product"].create(
        [
            {
                "name": f"Allocation bench {i}",
                "type": "consu",
                "is_storable": True,
                "list_price": 10,
            }
            for i in range(N_PRODUCTS)
        ]
    )
    tiers = ["standard", "silver", "gold", "vip"]
    partners = env["res.partner"].create(
        [{"name": f"Allocation bench {tier}", "customer_tier": tier} for tier in tiers]
    )
    # the seed order has its own product: its quant stays out of the bench
    seed_product = env["product.product"].create(
        {"name": "Allocation bench seed", "type": "consu", "is_storable": True}
    )
    env["stock.quant"]._update_available_quantity(seed_product, stock, 1)
    seed = env["sale.order"].create(
        {
            "partner_id": partners[0].id,
            "warehouse_id": warehouse.id,
            "order_line": [
                Command.create({"product_id": seed_product.id, "product_uom_qty": 1})
            ],
        }
    )
    seed.action_confirm()
    seed_move = seed.order_line.move_ids
    assert seed_move.state == "assigned", seed_move.state
    env.flush_all()

    now = fields.Datetime.now()
    n_orders = -(-N // N_LINES)
    thresholds = (
        company.erp_priority_high_threshold,
        company.erp_priority_urgent_threshold,
        company.erp_priority_critical_threshold,
    )
    score = SQL("mod(s.i * 37, 100)")
    order_ids = clone(
        env,
        "sale_order",
        seed.id,
        SQL("SELECT i, i AS rn FROM generate_series(0, %s - 1) i", n_orders),
        {
            "name": SQL("'ALLOC/' || lpad(s.i::text, 6, '0')"),
            "partner_id": SQL("(%s::int[])[1 + mod(s.i, 4)]", partners.ids),
            "partner_invoice_id": SQL("(%s::int[])[1 + mod(s.i, 4)]", partners.ids),
            "partner_shipping_id": SQL("(%s::int[])[1 + mod(s.i, 4)]", partners.ids),
            "priority_score": score,
            "priority_level": SQL(
                "CASE WHEN %s >= %s THEN 'critical' WHEN %s >= %s THEN 'urgent'"
                " WHEN %s >= %s THEN 'high' ELSE 'normal' END",
                score,
                thresholds[2],
                score,
                thresholds[1],
                score,
                thresholds[0],
            ),
            "commitment_date": SQL(
                "%s::timestamp + mod(s.i * 7, 30) * INTERVAL '1 day'", now
            ),
            "date_order": SQL(
                "%s::timestamp - mod(s.i * 11, 20) * INTERVAL '1 hour'", now
            ),
        },
    )
    group_ids = clone(
        env,
        "procurement_group",
        seed_move.group_id.id,
        SQL(
            "SELECT so.id AS order_id, so.name, so.partner_id, so.id AS rn"
            " FROM sale_order so WHERE so.id = ANY(%s)",
            order_ids,
        ),
        {
            "sale_id": SQL("s.order_id"),
            "name": SQL("s.name"),
            "partner_id": SQL("s.partner_id"),
        },
    )
    clone(
        env,
        "stock_picking",
        seed_move.picking_id.id,
        SQL(
            "SELECT g.id AS group_id, g.name, g.partner_id, g.id AS rn"
            " FROM procurement_group g WHERE g.id = ANY(%s)",
            group_ids,
        ),
        {
            "group_id": SQL("s.group_id"),
            "origin": SQL("s.name"),
            "name": SQL("'ALLOC/OUT/' || s.name"),
            "partner_id": SQL("s.partner_id"),
            "state": SQL("'confirmed'"),
        },
    )
    # line j: order j // N_LINES, products spread over the catalogue, 1-5 units
    line_ids = clone(
        env,
        "sale_order_line",
        seed.order_line.id,
        SQL(
            "SELECT j, (%s::int[])[1 + j / %s] AS order_id,"
            " (%s::int[])[1 + mod(j::bigint * 7919, %s)] AS product_id,"
            " 1 + mod(j / %s, 5) AS qty, j AS rn FROM generate_series(0, %s - 1) j",
            order_ids,
            N_LINES,
            products.ids,
            len(products),
            len(products),
            N,
        ),
        {
            "order_id": SQL("s.order_id"),
            "product_id": SQL("s.product_id"),
            "product_uom_qty": SQL("s.qty"),
            "qty_to_deliver": SQL("s.qty"),
        },
    )
    move_ids = clone(
        env,
        "stock_move",
        seed_move.id,
        SQL(
            "SELECT sol.id AS line_id, sol.product_id, sol.product_uom_qty AS qty,"
            " so.priority_score, p.id AS picking_id, g.id AS group_id, so.name,"
            " so.partner_shipping_id, sol.id AS rn"
            " FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id"
            " JOIN procurement_group g ON g.sale_id = so.id"
            " JOIN stock_picking p ON p.group_id = g.id"
            " WHERE sol.id = ANY(%s)",
            line_ids,
        ),
        {
            "sale_line_id": SQL("s.line_id"),
            "product_id": SQL("s.product_id"),
            "product_uom_qty": SQL("s.qty"),
            "product_qty": SQL("s.qty"),
            "quantity": SQL("0"),
            "state": SQL("'confirmed'"),
            "picking_id": SQL("s.picking_id"),
            "group_id": SQL("s.group_id"),
            "origin": SQL("s.name"),
            "reference": SQL("'ALLOC/OUT/' || s.name"),
            "partner_id": SQL("s.partner_shipping_id"),
            "erp_priority_score": SQL("s.priority_score"),
        },
    )
    # stock: half of each product's demand; 80 % of it reserved by move id
    cr.execute(
        SQL(
            "INSERT INTO stock_quant (product_id, location_id, company_id, quantity,"
            " reserved_quantity, in_date, create_date, write_date, create_uid,"
            " write_uid)"
            " SELECT product_id, %s, %s, floor(SUM(product_qty) / 2), 0, now(),"
            " now(), now(), 1, 1 FROM stock_move WHERE id = ANY(%s)"
            " GROUP BY product_id",
            stock.id,
            company.id,
            move_ids,
        )
    )
    cr.execute(
        SQL(
            "CREATE TEMP TABLE bench_reserve ON COMMIT DROP AS"
            " SELECT m.id, m.picking_id, LEAST(m.product_qty, GREATEST("
            "   q.cap - (SUM(m.product_qty) OVER w - m.product_qty), 0)) AS qty"
            " FROM stock_move m JOIN ("
            "   SELECT product_id, floor(SUM(product_qty) / 2 * 0.8) AS cap"
            "   FROM stock_move WHERE id = ANY(%s) GROUP BY product_id"
            " ) q ON q.product_id = m.product_id"
            " WHERE m.id = ANY(%s)"
            " WINDOW w AS (PARTITION BY m.product_id ORDER BY m.id)",
            move_ids,
            move_ids,
        )
    )
    clone(
        env,
        "stock_move_line",
        seed_move.move_line_ids.id,
        SQL(
            "SELECT r.id AS move_id, r.picking_id, r.qty, m.product_id,"
            " m.reference, m.id AS rn FROM bench_reserve r"
            " JOIN stock_move m ON m.id = r.id WHERE r.qty > 0"
        ),
        {
            "move_id": SQL("s.move_id"),
            "picking_id": SQL("s.picking_id"),
            "product_id": SQL("s.product_id"),
            "quantity": SQL("s.qty"),
            "quantity_product_uom": SQL("s.qty"),
            "reference": SQL("s.reference"),
            "state": SQL(
                "CASE WHEN s.qty >= (SELECT product_qty FROM stock_move"
                " WHERE id = s.move_id) THEN 'assigned' ELSE 'partially_available' END"
            ),
        },
    )
    cr.execute(
        "UPDATE stock_move m SET quantity = r.qty, state = CASE"
        " WHEN r.qty >= m.product_qty THEN 'assigned'"
        " WHEN r.qty > 0 THEN 'partially_available' ELSE 'confirmed' END"
        " FROM bench_reserve r WHERE r.id = m.id"
    )
    cr.execute(
        SQL(
            "UPDATE stock_quant q SET reserved_quantity = x.qty FROM ("
            " SELECT m.product_id, SUM(r.qty) AS qty FROM bench_reserve r"
            " JOIN stock_move m ON m.id = r.id GROUP BY m.product_id) x"
            " WHERE q.product_id = x.product_id AND q.location_id = %s",
            stock.id,
        )
    )
    cr.execute(
        "UPDATE stock_picking p SET state = 'assigned' WHERE p.id IN"
        " (SELECT picking_id FROM bench_reserve WHERE qty > 0)"
    )
    env.invalidate_all()
    seed_move._action_cancel()
    env.flush_all()
    for table in ("stock_move", "stock_move_line", "stock_quant", "sale_order"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    return warehouse, env["stock.move"].browse(move_ids)


def add_supply(env, warehouse, products, move_ids):
    """Incoming receipts of the other half of each product's demand, three
    per product over 60 days, and the bench's variant; return the variant."""
    from odoo import Command, fields
    from odoo.tools import SQL

    warehouse.virtual_incoming_days = 60
    seed_product = env["product.product"].create(
        {"name": "Allocation bench receipt seed", "type": "consu", "is_storable": True}
    )
    supplier = env.ref("stock.stock_location_suppliers")
    receipt = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": supplier.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "move_ids": [
                Command.create(
                    {
                        "name": "seed",
                        "product_id": seed_product.id,
                        "product_uom_qty": 1,
                        "product_uom": seed_product.uom_id.id,
                        "location_id": supplier.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    }
                )
            ],
        }
    )
    receipt.action_confirm()
    env.flush_all()
    now = fields.Datetime.now()
    clone(
        env,
        "stock_move",
        receipt.move_ids.id,
        SQL(
            "SELECT d.product_id, r, ceil(d.half / 3.0) AS qty,"
            " 1 + mod(d.product_id * 13 + r * 20, 60) AS day,"
            " row_number() OVER (ORDER BY d.product_id, r) AS rn"
            " FROM (SELECT product_id, SUM(product_qty) / 2 AS half FROM stock_move"
            "  WHERE id = ANY(%s) GROUP BY product_id) d,"
            " generate_series(0, 2) r",
            move_ids,
        ),
        {
            "product_id": SQL("s.product_id"),
            "product_uom_qty": SQL("s.qty"),
            "product_qty": SQL("s.qty"),
            "date": SQL("%s::timestamp + s.day * INTERVAL '1 day'", now),
            "state": SQL("'assigned'"),
        },
    )
    env.invalidate_all()
    env.cr.execute(SQL("ANALYZE stock_move"))
    tier = "[('order_id.partner_id.customer_tier', '=', '%s')]"
    return env["erp.allocation.variant"].create(
        {
            "name": "Allocation bench variant",
            "warehouse_id": warehouse.id,
            "segment_ids": [
                Command.create({"name": name, "domain": tier % name, "strategy": s})
                for name, s in (
                    ("vip", "win"),
                    ("gold", "gain"),
                    ("silver", "redistribute"),
                    ("standard", "lose"),
                )
            ],
        }
    )


def timed(env, label, func, figures):
    import cProfile

    cr = env.cr
    env.invalidate_all()
    queries = cr.sql_log_count
    profile = cProfile.Profile() if PROFILE else None
    if SQL_LOG:
        logging.getLogger("odoo.sql_db").setLevel(logging.DEBUG)
    start = time.perf_counter()
    if profile:
        profile.enable()
    result = func()
    env.flush_all()
    if profile:
        profile.disable()
    seconds = time.perf_counter() - start
    logging.getLogger("odoo.sql_db").setLevel(logging.WARNING)
    queries = cr.sql_log_count - queries
    if profile:
        import io
        import pstats

        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        sys.stderr.write(f"==== profile of {label}\n{out.getvalue()}")
        if os.path.isdir(PROFILE):
            profile.dump_stats(os.path.join(PROFILE, label.replace(" ", "_") + ".prof"))
    say(f"{label:<28} {seconds:8.2f} s {queries:8d} queries")
    figures[label] = {"seconds": seconds, "queries": queries}
    return result


def run_in_shell(env):
    cr = env.cr
    start = time.perf_counter()
    warehouse, moves = build(env)
    products = moves.product_id
    say(
        f"allocation bench: {len(moves)} open moves, {len(products)} products,"
        f" {N_LINES} lines per order, built in {time.perf_counter() - start:.1f} s"
    )
    cr.execute(
        "SELECT state, COUNT(*) FROM stock_move WHERE id = ANY(%s) GROUP BY 1",
        [moves.ids],
    )
    say(f"initial states: {dict(cr.fetchall())}")
    figures = {}
    Run = env["erp.allocation.run"]
    bop = {}
    if BOP:
        variant = add_supply(env, warehouse, products, moves.ids)
        bop = {"variant_id": variant.id, "include_incoming": True}
        cr.execute(
            "SELECT COUNT(*), COUNT(DISTINCT date::date) FROM stock_move"
            " WHERE location_dest_id = %s AND state = 'assigned'"
            " AND product_id = ANY(%s)",
            [warehouse.lot_stock_id.id, products.ids],
        )
        receipts, days = cr.fetchone()
        say(f"incoming receipts: {receipts} moves on {days} days")

    def run(mode, **vals):
        record = Run.create({"warehouse_id": warehouse.id, "mode": mode, **vals})
        record.action_run()
        return record

    simulated = timed(env, "allocation simulate", lambda: run("simulate"), figures)
    if BOP:
        bop_simulated = timed(
            env, "bop simulate", lambda: run("simulate", **bop), figures
        )
        dated = bop_simulated.line_ids.filtered("confirmed_date")
        say(
            f"bop simulate: {bop_simulated.line_count} lines,"
            f" {len(dated)} with a confirmed date,"
            f" {len(set(dated.mapped('confirmed_date')))} distinct dates"
        )
    if not APPLY:
        labels = ["allocation simulate"] + (["bop simulate"] if BOP else [])
        result = {
            "name": "allocation",
            "n": len(moves),
            "figures": [
                {
                    "operation": label,
                    "seconds": round(figures[label]["seconds"], 3),
                    "queries": figures[label]["queries"],
                }
                for label in labels
            ],
        }
        say("BENCH " + json.dumps(result))
        cr.rollback()
        return
    if BOP:
        # the plain apply from the same reservations as the bop apply
        env.flush_all()
        savepoint = cr.savepoint()
        applied = timed(env, "allocation apply", lambda: run("apply"), figures)
        say(f"allocation apply: reservations changed {applied.changed_count}")
        savepoint.close(rollback=True)
        env.invalidate_all()
        applied = timed(env, "bop apply", lambda: run("apply", **bop), figures)
        say(f"bop apply: reservations changed {applied.changed_count}")
    else:
        applied = timed(env, "allocation apply", lambda: run("apply"), figures)
    say(
        f"lines {simulated.line_count} / {applied.line_count},"
        f" reservations changed {applied.changed_count}"
    )
    env.invalidate_all()
    wrong = applied.line_ids.filtered(
        lambda line: abs(line.move_id.quantity - line.allocated_qty) > 1e-6
    )
    say(f"moves not holding their planned allocation after apply: {len(wrong)}")
    for product in wrong.product_id[:3]:  # diagnosis of a failed check
        quants = env["stock.quant"].search([("product_id", "=", product.id)])
        say(f"  {product.display_name}: quants (location, quantity, reserved)")
        for quant in quants:
            say(
                f"    {quant.location_id.id} {quant.quantity} {quant.reserved_quantity}"
            )
        say("    lines (move, rank, demand, before, allocated, now, state)")
        for line in applied.line_ids.filtered(lambda x, p=product: x.product_id == p):
            move = line.move_id
            say(
                f"    {move.id} {line.rank} {line.demanded_qty} {line.reserved_before}"
                f" {line.allocated_qty} {move.quantity} {move.state}"
            )
    env.flush_all()
    cr.execute(
        "SELECT COUNT(*) FROM (SELECT q.product_id, SUM(q.reserved_quantity) AS r"
        " FROM stock_quant q WHERE q.product_id = ANY(%s) GROUP BY 1) q"
        " LEFT JOIN (SELECT product_id, SUM(quantity_product_uom) AS r"
        " FROM stock_move_line WHERE state NOT IN ('done', 'cancel')"
        " AND product_id = ANY(%s) GROUP BY 1) ml ON ml.product_id = q.product_id"
        " WHERE abs(q.r - COALESCE(ml.r, 0)) > 1e-6",
        [products.ids, products.ids],
    )
    inconsistent = cr.fetchone()[0]
    say(f"products whose quants do not reserve what move lines hold: {inconsistent}")
    assert not inconsistent
    assert simulated.line_count == applied.line_count == len(moves)
    assert not wrong, wrong[:5].read(["move_id", "allocated_qty", "reserved_after"])

    # reference: Odoo's reservation of whole products' moves after unreserving
    sample = moves
    if REF_SAMPLE and REF_SAMPLE < len(moves):
        count = max(1, round(len(products) * REF_SAMPLE / len(moves)))
        sample = moves.filtered(lambda move: move.product_id in products[:count])
    sample._do_unreserve()
    env.flush_all()
    timed(env, "odoo _action_assign", sample._action_assign, figures)
    scale = len(moves) / len(sample)
    reference = figures["odoo _action_assign"]["seconds"] * scale
    say(
        f"odoo _action_assign: {len(sample)} moves, {reference:.1f} s scaled to"
        f" {len(moves)} ({1000 * reference / len(moves):.1f} ms per move)"
    )
    result = {
        "name": "allocation",
        "n": len(moves),
        "figures": [
            {
                "operation": label,
                "seconds": round(figures[label]["seconds"], 3),
                "reference": "odoo _action_assign",
                "reference_seconds": round(reference, 3),
                "queries": figures[label]["queries"],
            }
            for label in ("allocation simulate", "allocation apply")
            + (("bop simulate", "bop apply") if BOP else ())
        ],
    }
    say("BENCH " + json.dumps(result))
    cr.rollback()


if "env" in globals():
    run_in_shell(env)
elif __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.run(
        ["bash", "-c", ORCHESTRATE], cwd=root, capture_output=True, text=True
    )
    sys.stderr.write(proc.stderr[-3000:] if proc.returncode else "")
    print(proc.stdout.strip() or "no figures (see errors above)")  # noqa: T201
    sys.exit(proc.returncode)
