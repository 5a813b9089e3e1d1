"""Benchmark of the demand forecast refresh (erp_virtual_stock, issue 8).

Runnable on its own from the repository root:

    export ERP_VENV=.venv  (the project virtualenv that scripts/test.sh builds)
    BENCH_FC_PRODUCTS=5000 BENCH_FC_MOVES=100000 python3 bench/bench_forecast.py

It copies the cached template database, installs erp_virtual_stock, then runs
this same file inside `odoo-bin shell` (where `env` exists) and drops the copy.
Inside the shell it bulk-creates (by SQL, cloning one seed row) N products,
3 warehouses and M done customer deliveries and returns spread over 120 days,
then measures:

- raw_sql_aggregate: one SQL aggregate computing the same daily demand rates
  per product and warehouse (the issue's reference);
- raw_same_figures: one raw SQL computing the rates and the virtual stock of
  every product and warehouse (what the refresh computes at least);
- refresh: `erp.demand.forecast._refresh_company()` (demand rates, virtual
  stock, projected stock-out, in-place update of the current rows, history,
  accuracy), each in its own committed transaction like the nightly job: the
  first one (every row inserted), then BENCH_FC_SAMPLES (5) daily ones (the
  next days: every rate moves, rows updated in place), each alternated with
  the two raw queries; p50 / p95 of each are reported;
and prints one JSON line prefixed with BENCH plus the ratio to the raw SQL of
the rates and virtual stock (target <= 2).
The forecast rows are deleted at the end (the database goes on with other
benchmarks).

Data: by default the scale data of bench/bench_common.py (sizes from BENCH_N,
BENCH_WAREHOUSES, BENCH_MOVES, BENCH_LINES; 5/9 of the moves that are not
order lines are done deliveries and returns), which bench/report.sh builds;
with BENCH_FC_PRODUCTS set, its own data instead: BENCH_FC_PRODUCTS products,
BENCH_FC_WAREHOUSES (3) warehouses and BENCH_FC_MOVES (100000) done moves (the
issue's target size is 50000 / 3 / 1000000).
The shell's log goes to BENCH_FC_LOG (default /tmp/bench_forecast_shell.log).
"""

# ruff: noqa: F821  (env is provided by odoo-bin shell)
import json
import os
import subprocess
import sys
import time

OWN_DATA = bool(os.environ.get("BENCH_FC_PRODUCTS"))
N_PRODUCTS = int(os.environ.get("BENCH_FC_PRODUCTS") or "5000")
N_WAREHOUSES = int(os.environ.get("BENCH_FC_WAREHOUSES", "3"))
N_MOVES = int(os.environ.get("BENCH_FC_MOVES", "100000"))
SAMPLES = int(os.environ.get("BENCH_FC_SAMPLES", "5"))
# days the own data's moves spread over (a year or more: every pair has a
# series long enough for the backtest) and stock per product and warehouse
# (so that the days are not censored as out of stock)
N_DAYS = int(os.environ.get("BENCH_FC_DAYS", "120"))
STOCK = int(os.environ.get("BENCH_FC_STOCK", "0"))
# 0: the daily refreshes keep the first refresh's method selection
# (forecast_selection_interval_days set), 1: they select again (default)
RESELECT = os.environ.get("BENCH_FC_RESELECT", "1") != "0"

ORCHESTRATE = r"""
set -e
source scripts/lib.sh
ensure_odoo
ensure_venv
ensure_postgres
ensure_template_db
DB="erp_bench_fc_$(date +%s)_$$"
trap 'odoo_db drop "$DB" >/dev/null 2>&1 || true; stop_private_postgres' EXIT
odoo_db duplicate "$TEMPLATE_DB" "$DB" >/dev/null 2>&1
odoo_bin -d "$DB" -i erp_virtual_stock --stop-after-init --no-http \
    --data-dir "$ERP_DATA_DIR" --log-level=warn
"$PY" "$ODOO_BIN" shell -c "$PROJECT_DIR/config/odoo.conf" \
    --addons-path "$ODOO_ADDONS_PATH" ${PGHOST:+--db_host "$PGHOST"} \
    ${PGPORT:+--db_port "$PGPORT"} ${PGUSER:+--db_user "$PGUSER"} \
    -d "$DB" --no-http --data-dir "$ERP_DATA_DIR" --log-level=warn \
    < bench/bench_forecast.py 2>"${BENCH_FC_LOG:-/tmp/bench_forecast_shell.log}" \
    | grep '^BENCH ' | cut -c7-
"""


def clone_rows(env, table, seed_id, count, overrides):
    """``count`` copies of row ``seed_id`` of ``table`` with the ``overrides``
    (column -> odoo.tools.SQL expression of the series index ``i``)."""
    from odoo.tools import SQL

    sys.path.insert(0, os.path.abspath(os.environ.get("BENCH_DIR", "bench")))
    import bench_common

    series = SQL("generate_series(0, %s - 1) AS i", count)
    return bench_common.clone_rows(env, table, seed_id, series, overrides)


def build_own_data(env, figures):
    from odoo import fields
    from odoo.tools import SQL

    cr = env.cr
    figures.update(products=N_PRODUCTS, warehouses=N_WAREHOUSES, moves=N_MOVES)
    warehouses = env["stock.warehouse"].create(
        [{"name": f"Bench FC WH {i}", "code": f"BF{i}"} for i in range(N_WAREHOUSES)]
    )
    seed = env["product.product"].create(
        {"name": "Bench FC seed", "type": "consu", "is_storable": True}
    )
    customer = env.ref("stock.stock_location_customers")
    move = env["stock.move"].create(
        {
            "name": "bench",
            "product_id": seed.id,
            "product_uom_qty": 1,
            "product_uom": seed.uom_id.id,
            "location_id": warehouses[0].lot_stock_id.id,
            "location_dest_id": customer.id,
        }
    )
    move._action_confirm()
    move.quantity = 1
    move.picked = True
    move._action_done()
    env.flush_all()
    tmpl_ids = clone_rows(
        env, "product_template", seed.product_tmpl_id.id, N_PRODUCTS - 1, {}
    )
    cr.execute(
        SQL(
            "INSERT INTO product_product (product_tmpl_id, active, create_uid,"
            " write_uid, create_date, write_date)"
            " SELECT t, TRUE, 1, 1, now(), now() FROM unnest(%s::int[]) t"
            " RETURNING id",
            tmpl_ids,
        )
    )
    product_ids = [seed.id] + [row[0] for row in cr.fetchall()]
    stock_ids = [wh.lot_stock_id.id for wh in warehouses]
    now = fields.Datetime.now()
    # 1 move in 10 is a return; dates spread over the last 120 days
    clone_rows(
        env,
        "stock_move",
        move.id,
        N_MOVES - 1,
        {
            "product_id": SQL(
                "(%s::int[])[1 + mod(i::bigint * 7919, %s)]",
                product_ids,
                len(product_ids),
            ),
            "location_id": SQL(
                "CASE WHEN mod(i, 10) = 0 THEN %s ELSE (%s::int[])[1 + mod(i, %s)] END",
                customer.id,
                stock_ids,
                len(stock_ids),
            ),
            "location_dest_id": SQL(
                "CASE WHEN mod(i, 10) = 0 THEN (%s::int[])[1 + mod(i, %s)] ELSE %s END",
                stock_ids,
                len(stock_ids),
                customer.id,
            ),
            "product_qty": SQL("1 + mod(i, 5)"),
            "product_uom_qty": SQL("1 + mod(i, 5)"),
            "quantity": SQL("1 + mod(i, 5)"),
            # days spread pseudo-randomly (multiplicative hash): a product's
            # moves fall on many different days
            "date": SQL(
                "%s::timestamp - mod(mod(i::bigint * 2654435761, 4294967296), %s)"
                " * INTERVAL '1 day'",
                now,
                N_DAYS,
            ),
        },
    )
    if STOCK:
        cr.execute(
            SQL(
                "INSERT INTO stock_quant (product_id, location_id, company_id,"
                " quantity, reserved_quantity, in_date, create_date, write_date,"
                " create_uid, write_uid)"
                " SELECT p, loc, %s, %s, 0, now(), now(), now(), 1, 1"
                " FROM unnest(%s::int[]) p, unnest(%s::int[]) loc",
                env.company.id,
                STOCK,
                product_ids,
                stock_ids,
            )
        )
        cr.execute("ANALYZE stock_quant")
    cr.execute("ANALYZE stock_move")
    env.invalidate_all()
    return now


def run_in_shell(env):
    from datetime import timedelta

    from odoo import fields
    from odoo.tools import SQL

    sys.path.insert(0, os.path.abspath(os.environ.get("BENCH_DIR", "bench")))
    from bench_common import Bench, median, percentile, scale_data

    cr = env.cr
    company = env.company
    figures = {}
    start = time.perf_counter()
    if OWN_DATA:
        now = build_own_data(env, figures)
        n = N_PRODUCTS
    else:
        data = scale_data(env)
        print(data.describe())  # noqa: T201
        n = len(data.product_ids)
        now = fields.Datetime.now()
    figures["setup_seconds"] = round(time.perf_counter() - start, 2)
    bench = Bench(env, "forecast", n)

    Forecast = env["erp.demand.forecast"]
    window = Forecast._get_param("window_days")
    raw = SQL(
        "SELECT sm.product_id,"
        " CASE WHEN dst.usage = 'customer' THEN src.warehouse_id"
        "  ELSE dst.warehouse_id END,"
        " SUM(CASE WHEN dst.usage = 'customer' THEN sm.product_qty"
        "  ELSE -sm.product_qty END) / %(window)s"
        " FROM stock_move sm"
        " JOIN stock_location src ON src.id = sm.location_id"
        " JOIN stock_location dst ON dst.id = sm.location_dest_id"
        " WHERE sm.state = 'done' AND sm.date >= %(start)s"
        " AND ((src.usage = 'internal' AND dst.usage = 'customer')"
        "   OR (src.usage = 'customer' AND dst.usage = 'internal'))"
        " GROUP BY 1, 2",
        window=float(window),
        start=now - timedelta(days=window),
    )
    # the floor of the same figures: the rates and the virtual stock of every
    # product and warehouse (on hand - open outgoing + open incoming) in one
    # raw SQL aggregate with plain joins
    raw_same = SQL(
        "WITH rates AS (%(raw)s),"
        " vs AS (SELECT product_id, wh, SUM(qty) AS qty FROM ("
        "  SELECT q.product_id, l.warehouse_id AS wh, q.quantity AS qty"
        "  FROM stock_quant q JOIN stock_location l ON l.id = q.location_id"
        "  WHERE l.warehouse_id IS NOT NULL"
        "  UNION ALL"
        "  SELECT m.product_id, s.warehouse_id, -m.product_qty FROM stock_move m"
        "  JOIN stock_location s ON s.id = m.location_id"
        "  JOIN stock_location d ON d.id = m.location_dest_id"
        "  WHERE m.state = ANY(%(states)s) AND s.warehouse_id IS NOT NULL"
        "  AND d.warehouse_id IS DISTINCT FROM s.warehouse_id"
        "  UNION ALL"
        "  SELECT m.product_id, d.warehouse_id, m.product_qty FROM stock_move m"
        "  JOIN stock_location s ON s.id = m.location_id"
        "  JOIN stock_location d ON d.id = m.location_dest_id"
        "  WHERE m.state = ANY(%(states)s) AND d.warehouse_id IS NOT NULL"
        "  AND s.warehouse_id IS DISTINCT FROM d.warehouse_id) f"
        "  GROUP BY product_id, wh)"
        " SELECT COALESCE(r.product_id, v.product_id), COALESCE(r.wh, v.wh),"
        " r.rate, v.qty, v.qty / NULLIF(r.rate, 0)"
        " FROM rates r(product_id, wh, rate) FULL JOIN vs v"
        " ON v.product_id = r.product_id AND v.wh = r.wh",
        raw=raw,
        states=["waiting", "confirmed", "assigned", "partially_available"],
    )
    # the raw SQL reading the same demand history as the selection: the daily
    # customer deliveries of every product and warehouse over the history
    days_read = max(
        Forecast._get_selection_param("history_days"),
        Forecast._get_selection_param("yearly_history_days"),
    )
    raw_series = SQL(
        "SELECT sm.product_id, CASE WHEN dst.usage = 'customer'"
        "  THEN src.warehouse_id ELSE dst.warehouse_id END, sm.date::date,"
        " SUM(sm.product_qty)"
        " FROM stock_move sm"
        " JOIN stock_location src ON src.id = sm.location_id"
        " JOIN stock_location dst ON dst.id = sm.location_dest_id"
        " WHERE sm.state = 'done' AND sm.date >= %(start)s"
        " AND ((src.usage = 'internal' AND dst.usage = 'customer')"
        "   OR (src.usage = 'customer' AND dst.usage = 'internal'))"
        " GROUP BY 1, 2, 3",
        start=now - timedelta(days=days_read),
    )
    params = env["ir.config_parameter"].sudo()
    params.set_param("erp_virtual_stock.forecast_selection_interval_days", "0")
    cr.commit()
    today = fields.Date.context_today(Forecast)

    def refresh(days):
        """One refresh ``days`` after today, in its own transaction as the
        nightly job runs (committed: the rows of the previous refresh are
        then updated in place)."""
        env.invalidate_all()
        t0 = time.perf_counter()
        queries = cr.sql_log_count
        # committed per batch of the selection, as the nightly job does
        count = Forecast.with_context(erp_forecast_commit=True)._refresh_company(
            company,
            today=today + timedelta(days=days),
            now=now + timedelta(days=days),
        )
        env.flush_all()
        cr.commit()
        return time.perf_counter() - t0, cr.sql_log_count - queries, count

    def raw_query(query):
        def run():
            t0 = time.perf_counter()
            cr.execute(query)
            rows = cr.fetchall()
            return time.perf_counter() - t0, None, len(rows)

        return run

    # the daily refreshes alternated with the raw SQL of the same figures (a
    # change of machine load lands on both); p50 / p95 of each
    samples = {"raw": [], "raw_same": [], "refresh": []}
    try:
        raw_query(raw)()
        raw_query(raw_same)()
        series_seconds = raw_query(raw_series)()[0]
        first, _queries, count = refresh(0)
        cr.execute("SELECT method, count(*) FROM erp_demand_forecast GROUP BY 1")
        figures["methods"] = dict(cr.fetchall())
        if not RESELECT:
            params.set_param("erp_virtual_stock.forecast_selection_interval_days", "30")
            cr.commit()
        figures["raw_series_seconds"] = round(series_seconds, 3)
        daily = []
        for day in range(1, SAMPLES + 1):
            steps = [
                ("raw", raw_query(raw)),
                ("raw_same", raw_query(raw_same)),
                ("refresh", lambda day=day: refresh(day)),
            ]
            for key, step in steps if day % 2 else steps[::-1]:
                seconds, queries, rows = step()
                samples[key].append(seconds)
                if key == "refresh":
                    daily.append((seconds, queries, rows))
                else:
                    figures[f"{key}_rows"] = rows
        if os.environ.get("BENCH_FC_PROFILE"):
            # one more daily refresh under cProfile (cumulative per function,
            # SQL included in the functions that run it), to the named file
            import cProfile
            import io
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            refresh(SAMPLES + 1)
            profile.disable()
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(45)
            with open(os.environ["BENCH_FC_PROFILE"], "w") as file:
                file.write(out.getvalue())
    finally:
        # the benchmark database goes on with other benchmarks: leave no row
        cr.rollback()
        params.set_param("erp_virtual_stock.forecast_selection_interval_days", "0")
        for table in (
            "erp_demand_forecast_selection",
            "erp_demand_forecast",
            "erp_demand_forecast_history",
            "erp_demand_forecast_accuracy",
        ):
            cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
        cr.commit()
    best = {key: median(values) for key, values in samples.items()}
    p95 = {key: percentile(values, 95) for key, values in samples.items()}
    queries = daily[0][1]
    figures["raw_sql_aggregate_seconds"] = round(best["raw"], 3)
    figures["raw_same_figures_seconds"] = round(best["raw_same"], 3)
    figures["first_refresh_seconds"] = round(first, 3)
    figures["reselect"] = RESELECT
    figures["refresh_seconds"] = round(best["refresh"], 3)
    figures["snapshot_rows"] = count
    figures["ratio"] = round(best["refresh"] / best["raw_same"], 2)
    print(  # noqa: T201
        f"BENCH forecast refresh (daily) p50 {best['refresh']:.3f} s,"
        f" p95 {p95['refresh']:.3f} s, first {first:.3f} s;"
        f" raw SQL of rates and virtual stock p50 {best['raw_same']:.3f} s:"
        f" {figures['ratio']}x; raw SQL aggregate of the rates {best['raw']:.3f} s"
        f" ({json.dumps(figures)})"
    )
    for pct, ours, ref in (
        ("p50", best["refresh"], best["raw_same"]),
        ("p95", p95["refresh"], p95["raw_same"]),
    ):
        bench.figure(
            f"forecast refresh (daily) {pct}",
            ours,
            queries,
            reference=f"raw SQL of the rates and virtual stock {pct} (alternated)",
            reference_seconds=ref,
            target_ratio=2.0,
            rows=count,
            samples=SAMPLES,
        )
    bench.figure(
        "forecast refresh (daily) p50",
        best["refresh"],
        queries,
        reference="raw SQL aggregate of the rates only p50 (info)",
        reference_seconds=best["raw"],
        rows=count,
    )
    bench.figure(
        "forecast refresh (first, every row inserted)",
        first,
        None,
        reference="raw SQL aggregate of the rates",
        reference_seconds=best["raw"],
        rows=count,
    )
    bench.emit()
    cr.rollback()


if "env" in globals():
    run_in_shell(env)
elif __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run(
        ["bash", "-c", ORCHESTRATE], cwd=root, capture_output=True, text=True
    )
    sys.stderr.write(result.stderr[-2000:] if result.returncode else "")
    print(result.stdout.strip() or "no figures (see errors above)")
    sys.exit(result.returncode)
