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
  every product and warehouse (what the refresh computes at least: a smaller
  question, no cover, no stock-out projection);
- raw_full (`raw_full_query`): one hand-written raw SQL SELECT answering the
  same question as the refresh: the rates (the chosen method's where the
  selection has one), the virtual stock (manual entries included), the days
  of cover and the stock-out date walking the time-phased supply (open
  receipts by day, manual entries starting and ending) and the forecast
  demand over 7, 30 and 90 days, on the daily forecast of the selection; a
  read only (no write, no history). After the samples it
  is compared with the refreshed rows (pairs missing on one side, pairs whose
  figures differ);
- raw_write (`raw_write_queries`): the same hand-written SELECT written as a
  hand-written SQL refresh would write it: its answer into a temporary
  table, an UPDATE of the rows whose figures changed, the day's history
  deleted and copied from the rows (one INSERT ... SELECT). Run in a
  savepoint rolled back once timed (the refresh's own write follows on the
  rows of the day before); information: what storing the answer costs
  PostgreSQL whoever writes it;
- the refresh's own forecast SELECT alone (`_get_refresh_query`, no write):
  the part of the refresh statement that computes the figures;
- refresh: `erp.demand.forecast._refresh_company()` (demand rates, virtual
  stock, projected stock-out, in-place update of the current rows, history,
  accuracy), each in its own committed transaction like the nightly job: the
  first one (every row inserted), then BENCH_FC_SAMPLES (5) daily ones (the
  next days: every rate moves, rows updated in place), each alternated with
  the two raw queries; p50 / p95 of each are reported;
and prints one JSON line prefixed with BENCH plus the ratios to the raw SQL of
the rates and virtual stock and to the raw SQL of the same figures (target
<= 2).
The forecast rows are deleted at the end (the database goes on with other
benchmarks).

Data: by default the scale data of bench/bench_common.py (sizes from BENCH_N,
BENCH_WAREHOUSES, BENCH_MOVES, BENCH_LINES; 5/9 of the moves that are not
order lines are done deliveries and returns), which bench/report.sh builds;
with BENCH_FC_PRODUCTS set, its own data instead: BENCH_FC_PRODUCTS products,
BENCH_FC_WAREHOUSES (3) warehouses, BENCH_FC_MOVES (100000) done moves and
BENCH_FC_INCOMING (0) open receipts dated 5 to 64 days ahead (the issue's
target size is 50000 / 3 / 1000000).
The shell's log goes to BENCH_FC_LOG (default /tmp/bench_forecast_shell.log).
Before each daily sample the tables the refresh writes get a VACUUM ANALYZE
(not timed): a production server's autovacuum does it in the night between
two refreshes, the server of a test machine may run without autovacuum
(BENCH_FC_VACUUM=0 skips it: the tables then grow dead rows and keep the
planner's default estimates from one sample to the next).
BENCH_FC_KEEP=1 keeps the database and the rows of the last refresh (its name
is printed; drop it yourself) to look at the statements afterwards.
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
# open receipts of the own data (time-phased supply: the stock-out projection
# has events to walk through), dated 5 to 64 days ahead
N_INCOMING = int(os.environ.get("BENCH_FC_INCOMING", "0"))

# 1: before each day, what a production server's autovacuum does in the
# night between two refreshes (the machine's server may run without it)
NIGHTLY_VACUUM = os.environ.get("BENCH_FC_VACUUM", "1") != "0"
NIGHT_TABLES = (
    "erp_demand_forecast",
    "erp_demand_forecast_history",
    "erp_demand_forecast_selection",
    "erp_demand_forecast_accuracy",
)


def night(dbname):
    """VACUUM ANALYZE of the tables the refresh writes, outside any
    transaction (psql), not timed; nothing with BENCH_FC_VACUUM=0."""
    if not NIGHTLY_VACUUM:
        return
    subprocess.run(
        [
            "psql",
            "-q",
            "-X",
            "-d",
            dbname,
            "-c",
            "VACUUM ANALYZE " + ", ".join(NIGHT_TABLES),
        ],
        check=True,
    )


ORCHESTRATE = r"""
set -e
source scripts/lib.sh
ensure_odoo
ensure_venv
ensure_postgres
ensure_template_db
DB="erp_bench_fc_$(date +%s)_$$"
if [ -n "${BENCH_FC_KEEP:-}" ]; then
    trap 'echo "kept database $DB"' EXIT
else
    trap 'odoo_db drop "$DB" >/dev/null 2>&1 || true; stop_private_postgres' EXIT
fi
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
    from datetime import timedelta

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
    if N_INCOMING:
        supplier = env.ref("stock.stock_location_suppliers")
        receipt = env["stock.move"].create(
            {
                "name": "bench receipt",
                "product_id": seed.id,
                "product_uom_qty": 10,
                "product_uom": seed.uom_id.id,
                "location_id": supplier.id,
                "location_dest_id": warehouses[0].lot_stock_id.id,
                "date": now + timedelta(days=5),
            }
        )
        receipt._action_confirm()
        env.flush_all()
        clone_rows(
            env,
            "stock_move",
            receipt.id,
            N_INCOMING - 1,
            {
                "product_id": SQL(
                    "(%s::int[])[1 + mod(i::bigint * 104729, %s)]",
                    product_ids,
                    len(product_ids),
                ),
                "location_dest_id": SQL(
                    "(%s::int[])[1 + mod(i, %s)]", stock_ids, len(stock_ids)
                ),
                "product_qty": SQL("10 + mod(i, 50)"),
                "product_uom_qty": SQL("10 + mod(i, 50)"),
                "date": SQL(
                    "%s::timestamp + (5 + mod(i::bigint * 7, 60)) * INTERVAL '1 day'",
                    now,
                ),
            },
        )
        figures["incoming"] = N_INCOMING
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


def raw_full_query(env, company, now, today):
    """The raw SQL answering the same question as the refresh: one hand-written
    SELECT of the rates (the chosen method's rate where the selection has one,
    else the weighted moving average), the virtual stock (on hand - open
    outgoing + open incoming + active manual entries), the days of cover and
    the stock-out date with the time-phased supply (open receipts by day,
    manual entries starting and ending), read on the daily forecast of the
    selection where there is one. No ORM, no write: a plain read."""
    from datetime import MAXYEAR, timedelta

    from odoo.tools import SQL

    Forecast = env["erp.demand.forecast"]
    window = max(Forecast._get_param("window_days"), 1)
    recent = min(max(Forecast._get_param("recent_days"), 0), window)
    weight = max(Forecast._get_param("recent_weight"), 0.0)
    wdays = (window - recent) + recent * weight or window

    def until(days):  # forecast demand of pair p over the next ``days`` days
        return SQL(
            "(CASE WHEN p.cum IS NULL THEN p.rate * (%(d)s)"
            " WHEN (%(d)s) + p.off < array_length(p.cum, 1)"
            " THEN p.cum[(%(d)s) + p.off + 1]"
            " ELSE p.cum[array_length(p.cum, 1)]"
            "  + p.tail * ((%(d)s) + p.off + 1 - array_length(p.cum, 1)) END"
            " - p.c0)",
            d=days,
        )

    def reaches(qty):  # days after which that demand reaches ``qty``
        x = SQL("((%s) + p.c0)", qty)
        i = SQL("width_bucket(%s, p.cum)", x)
        return SQL(
            "(CASE WHEN p.cum IS NULL THEN (%(q)s) / p.rate"
            " WHEN %(i)s < array_length(p.cum, 1) THEN %(i)s - 1 - p.off"
            "  + (%(x)s - p.cum[%(i)s]) / (p.cum[%(i)s + 1] - p.cum[%(i)s])"
            " WHEN p.tail > 0 THEN array_length(p.cum, 1) - 1 - p.off"
            "  + (%(x)s - p.cum[array_length(p.cum, 1)]) / p.tail END)",
            q=qty,
            x=x,
            i=i,
        )

    open_states = ["waiting", "confirmed", "assigned", "partially_available"]
    return SQL(
        "WITH mv AS (SELECT sm.product_id, sm.date,"
        "  CASE WHEN dst.usage = 'customer' THEN src.warehouse_id"
        "   ELSE dst.warehouse_id END AS wh,"
        "  CASE WHEN dst.usage = 'customer' THEN sm.product_qty::float8"
        "   ELSE -sm.product_qty::float8 END AS qty"
        "  FROM stock_move sm"
        "  JOIN stock_location src ON src.id = sm.location_id"
        "  JOIN stock_location dst ON dst.id = sm.location_dest_id"
        "  WHERE sm.state = 'done' AND sm.date >= %(start)s AND sm.date < %(now)s"
        "  AND ((src.usage = 'internal' AND dst.usage = 'customer')"
        "   OR (src.usage = 'customer' AND dst.usage = 'internal'))),"
        " rates AS (SELECT product_id, wh, SUM(qty) AS net,"
        "  SUM(qty * CASE WHEN date >= %(recent)s THEN %(weight)s ELSE 1 END)"
        "  / %(wdays)s AS rate FROM mv GROUP BY 1, 2),"
        " sel AS (SELECT product_id, warehouse_id AS wh, rate,"
        "  demand_cum_values AS cum, COALESCE(tail_rate, 0) AS tail,"
        "  GREATEST(%(today)s::date - date, 0) AS off"
        "  FROM erp_demand_forecast_selection"
        "  WHERE company_id = %(company)s AND rate IS NOT NULL),"
        # open moves: out of a warehouse (committed), into it (incoming)
        " om AS (SELECT m.product_id, m.date, m.product_qty::float8 AS qty,"
        "  s.warehouse_id AS src_wh, d.warehouse_id AS dst_wh FROM stock_move m"
        "  JOIN stock_location s ON s.id = m.location_id"
        "  JOIN stock_location d ON d.id = m.location_dest_id"
        "  WHERE m.state = ANY(%(states)s)"
        "  AND s.warehouse_id IS DISTINCT FROM d.warehouse_id),"
        " vs AS (SELECT product_id, wh, SUM(qty) AS qty FROM ("
        "  SELECT q.product_id, l.warehouse_id AS wh, q.quantity::float8 AS qty"
        "  FROM stock_quant q JOIN stock_location l ON l.id = q.location_id"
        "  WHERE l.warehouse_id IS NOT NULL AND l.usage = 'internal'"
        "  UNION ALL SELECT product_id, src_wh, -qty FROM om"
        "  WHERE src_wh IS NOT NULL"
        "  UNION ALL SELECT product_id, dst_wh, qty FROM om WHERE dst_wh IS NOT NULL"
        "  UNION ALL SELECT product_id, warehouse_id, quantity::float8"
        "  FROM erp_virtual_stock WHERE state = 'active') f GROUP BY 1, 2),"
        # every pair: its rate, virtual stock and daily forecast (cumulative
        # demand ``cum`` from the selection day, ``c0`` consumed since then)
        " p AS (SELECT COALESCE(x.product_id, v.product_id) AS product_id,"
        "  COALESCE(x.wh, v.wh) AS wh, COALESCE(x.net, 0) AS net,"
        "  COALESCE(x.rate, 0) AS rate,"
        "  COALESCE(v.qty, 0) AS virtual, x.cum, x.tail, x.off,"
        "  CASE WHEN x.cum IS NULL THEN 0"
        "   WHEN x.off < array_length(x.cum, 1) THEN x.cum[x.off + 1]"
        "   ELSE x.cum[array_length(x.cum, 1)]"
        "   + x.tail * (x.off + 1 - array_length(x.cum, 1)) END AS c0"
        "  FROM (SELECT COALESCE(r.product_id, s.product_id) AS product_id,"
        "   COALESCE(r.wh, s.wh) AS wh, COALESCE(r.net, 0) AS net,"
        "   GREATEST(COALESCE(s.rate, r.rate, 0), 0) AS rate, s.cum, s.tail, s.off"
        "   FROM rates r FULL JOIN sel s"
        "   ON s.product_id = r.product_id AND s.wh = r.wh) x"
        "  FULL JOIN vs v ON v.product_id = x.product_id AND v.wh = x.wh"
        # the company's warehouses: the question of its refresh
        "  WHERE COALESCE(x.wh, v.wh) = ANY(%(whs)s)),"
        # supply events of the pairs with demand, by day from today
        " ev AS (SELECT product_id, dst_wh AS wh,"
        "  (date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day,"
        "  qty, qty AS incoming FROM om"
        "  WHERE dst_wh IS NOT NULL AND date > %(real_now)s"
        "  UNION ALL SELECT product_id, warehouse_id, date_start, quantity, 0"
        "  FROM erp_virtual_stock WHERE state = 'active'"
        "  AND date_start > %(today)s"
        "  UNION ALL SELECT product_id, warehouse_id, date_end + 1, -quantity, 0"
        "  FROM erp_virtual_stock WHERE state = 'active' AND date_end IS NOT NULL),"
        " run AS (SELECT ev.product_id, ev.wh,"
        "  GREATEST(ev.day - %(today)s::date, 0) AS d,"
        "  ROW_NUMBER() OVER w AS k, SUM(ev.qty::float8) OVER w AS cum,"
        "  LEAD(GREATEST(ev.day - %(today)s::date, 0)) OVER w AS next_d,"
        "  SUM(ev.incoming::float8) OVER (PARTITION BY ev.product_id, ev.wh)"
        "   AS incoming"
        "  FROM ev WINDOW w AS (PARTITION BY ev.product_id, ev.wh"
        "  ORDER BY ev.day, ev.qty ROWS UNBOUNDED PRECEDING)),"
        # the states: today (k = 0) and after each event; the stock the
        # demand may take by then is ``reach``
        " st AS (SELECT r.product_id, r.wh, r.k, r.d, r.next_d,"
        "  p.virtual - r.incoming + r.cum AS reach FROM run r"
        "  JOIN p ON p.product_id = r.product_id AND p.wh = r.wh AND p.rate > 0"
        "  UNION ALL SELECT r.product_id, r.wh, 0, 0, r.d, p.virtual - r.incoming"
        "  FROM run r JOIN p ON p.product_id = r.product_id AND p.wh = r.wh"
        "  AND p.rate > 0 WHERE r.k = 1),"
        # the first state whose stock is gone or runs dry before the next
        " stop AS (SELECT DISTINCT ON (s.product_id, s.wh) s.product_id, s.wh,"
        "  s.d, s.reach, s.reach - %(until_d)s AS level"
        "  FROM st s JOIN p ON p.product_id = s.product_id AND p.wh = s.wh"
        "  ORDER BY s.product_id, s.wh, (s.next_d IS NULL"
        "  OR s.reach - %(until_d)s <= 0 OR s.reach - %(until_next)s <= 0) DESC,"
        "  s.k)"
        " SELECT p.product_id, p.wh, p.net, p.rate, p.virtual,"
        " CASE WHEN p.rate > 0 AND p.virtual > 0 THEN %(cover)s"
        "  WHEN p.rate > 0 THEN p.virtual / p.rate END AS cover,"
        " CASE WHEN p.rate > 0 THEN %(today)s::date + LEAST(floor(CASE"
        "  WHEN z.product_id IS NULL AND p.virtual > 0 THEN %(cover)s"
        "  WHEN z.product_id IS NULL THEN 0"
        "  WHEN z.level > 0 THEN %(runout)s ELSE z.d END), %(max_days)s)::int"
        " END AS stockout,"
        # the forecast demand over 7, 30 and 90 days
        " %(until_7)s AS q7, %(until_30)s AS q30, %(until_90)s AS q90"
        " FROM p LEFT JOIN stop z ON z.product_id = p.product_id AND z.wh = p.wh",
        start=now - timedelta(days=window),
        now=now,
        recent=now - timedelta(days=recent),
        weight=float(weight),
        wdays=float(wdays),
        today=today,
        company=company.id,
        whs=env["stock.warehouse"].search([("company_id", "=", company.id)]).ids,
        states=open_states,
        tz=Forecast._get_user_tz_name(),
        real_now=env.cr.now().replace(tzinfo=None),
        until_d=until(SQL("s.d")),
        until_next=until(SQL("s.next_d")),
        until_7=until(SQL("7")),
        until_30=until(SQL("30")),
        until_90=until(SQL("90")),
        cover=reaches(SQL("p.virtual")),
        runout=reaches(SQL("z.reach")),
        max_days=(today.replace(year=MAXYEAR, month=12, day=31) - today).days,
    )


def raw_write_queries(company, query, today):
    """The statements of a hand-written SQL refresh storing the answer of
    ``query`` (raw_full_query) on ``today``: the rows whose figures changed
    updated in place, the day's history replaced by a copy of the rows."""
    from odoo.tools import SQL

    return [
        # the answer first, in a table of its own (its own plan, the one of
        # the SELECT alone: inside an UPDATE the planner joined the answer's
        # parts by nested loops, minutes at 50,000 x 3), analyzed, then the
        # rows whose figures changed updated from it
        SQL(
            "CREATE TEMP TABLE bench_raw_answer ON COMMIT DROP AS %s",
            query,
        ),
        SQL("ANALYZE bench_raw_answer"),
        SQL(
            "UPDATE erp_demand_forecast f SET demand_qty = r.net,"
            " demand_rate = r.rate, virtual_stock_qty = r.virtual,"
            " days_of_cover = r.cover, stockout_date = r.stockout,"
            " forecast_qty_7 = r.q7, forecast_qty_30 = r.q30,"
            " forecast_qty_90 = r.q90"
            " FROM bench_raw_answer r"
            " WHERE f.product_id = r.product_id AND f.warehouse_id = r.wh"
            " AND f.company_id = %(company)s"
            " AND (f.demand_qty, f.demand_rate, f.virtual_stock_qty,"
            " f.days_of_cover, f.stockout_date, f.forecast_qty_7,"
            " f.forecast_qty_30, f.forecast_qty_90) IS DISTINCT FROM"
            " (r.net, r.rate, r.virtual, r.cover, r.stockout, r.q7, r.q30,"
            " r.q90)",
            company=company.id,
        ),
        SQL(
            "DELETE FROM erp_demand_forecast_history"
            " WHERE company_id = %(company)s AND date = %(today)s",
            company=company.id,
            today=today,
        ),
        SQL(
            "INSERT INTO erp_demand_forecast_history (company_id, date,"
            " product_id, warehouse_id, categ_id, rate, day_qty)"
            " SELECT company_id, %(today)s, product_id, warehouse_id,"
            " product_categ_id, COALESCE(demand_rate, 0), COALESCE(demand_rate, 0)"
            " FROM erp_demand_forecast WHERE company_id = %(company)s",
            company=company.id,
            today=today,
        ),
    ]


def raw_write_step(cr, statements):
    """A step running ``statements`` in a savepoint rolled back once timed:
    (seconds, None, rows written)."""

    def run():
        cr.execute("SAVEPOINT bench_raw_write")
        t0 = time.perf_counter()
        written = 0
        for statement in statements:
            cr.execute(statement)
            written += max(cr.rowcount, 0)
        seconds = time.perf_counter() - t0
        cr.execute("ROLLBACK TO SAVEPOINT bench_raw_write")
        return seconds, None, written

    return run


def full_ref_mismatches(env, query):
    """Pairs on which the raw SQL of the same question and the refreshed rows
    disagree (a pair missing on one side, or a figure apart), and the first
    three pairs apart (both sides' figures)."""
    from odoo.tools import SQL

    rows = env.execute_query(
        SQL(
            "SELECT f.id IS NULL OR r.product_id IS NULL,"
            " f.product_id, f.warehouse_id, f.demand_qty::float8, r.net::float8,"
            " f.demand_rate::float8, r.rate::float8, f.virtual_stock_qty::float8,"
            " r.virtual::float8, f.days_of_cover::float8, r.cover::float8,"
            " f.stockout_date::text, r.stockout::text,"
            " f.forecast_qty_7::float8, r.q7, f.forecast_qty_30::float8, r.q30,"
            " f.forecast_qty_90::float8, r.q90"
            " FROM erp_demand_forecast f FULL JOIN (%s) r"
            " ON r.product_id = f.product_id AND r.wh = f.warehouse_id"
            " WHERE f.id IS NULL OR r.product_id IS NULL"
            " OR abs(f.demand_rate - r.rate) > 1e-6"
            " OR abs(f.virtual_stock_qty - r.virtual) > 1e-6"
            " OR abs(f.demand_qty - r.net) > 1e-6"
            " OR abs(f.days_of_cover - r.cover) > 1e-6"
            " OR (f.days_of_cover IS NULL) != (r.cover IS NULL)"
            " OR f.stockout_date IS DISTINCT FROM r.stockout"
            " OR abs(f.forecast_qty_7 - r.q7) > 1e-6"
            " OR abs(f.forecast_qty_30 - r.q30) > 1e-6"
            " OR abs(f.forecast_qty_90 - r.q90) > 1e-6",
            query,
        )
    )
    apart = [row[1:] for row in rows if not row[0]]
    return sum(1 for row in rows if row[0]), len(apart), apart[:3]


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
    samples = {
        "raw": [],
        "raw_same": [],
        "raw_full": [],
        "raw_write": [],
        "select": [],
        "refresh": [],
    }
    warehouses = env["stock.warehouse"].search([("company_id", "=", company.id)])

    def raw_full(days):
        """The raw SQL of the same question on the day of the refresh of
        ``days`` after today."""
        return raw_full_query(
            env, company, now + timedelta(days=days), today + timedelta(days=days)
        )

    def forecast_select(days):
        """The refresh's own forecast query alone (its SELECT, no write):
        the part of the refresh statement that computes the figures."""

        def run():
            env.invalidate_all()
            query = Forecast.with_context(
                erp_forecast_selection=company.id
            )._get_refresh_query(
                warehouses, today + timedelta(days=days), now + timedelta(days=days)
            )
            t0 = time.perf_counter()
            cr.execute(query)
            rows = cr.fetchall()
            return time.perf_counter() - t0, None, len(rows)

        return run

    try:
        raw_query(raw)()
        raw_query(raw_same)()
        raw_query(raw_full(0))()
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
            night(cr.dbname)
            steps = [
                ("raw", raw_query(raw)),
                ("raw_same", raw_query(raw_same)),
                ("raw_full", raw_query(raw_full(day))),
                (
                    # rolled back once timed: the refresh follows on the rows
                    # of the day before
                    "raw_write",
                    raw_write_step(
                        cr,
                        raw_write_queries(
                            company, raw_full(day), today + timedelta(days=day)
                        ),
                    ),
                ),
                ("select", forecast_select(day)),
                ("refresh", lambda day=day: refresh(day)),
            ]
            for key, step in steps if day % 2 else steps[::-1]:
                seconds, queries, rows = step()
                samples[key].append(seconds)
                if key == "refresh":
                    daily.append((seconds, queries, rows))
                else:
                    figures[f"{key}_rows"] = rows
        # the raw SQL of the same question against the rows of the last
        # refresh (same day): pairs missing on one side, figures apart
        missing, apart, sample = full_ref_mismatches(env, raw_full(SAMPLES))
        figures["raw_full_pairs_missing"] = missing
        figures["raw_full_pairs_apart"] = apart
        figures["raw_full_apart_sample"] = sample
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
        # (unless kept to look at)
        cr.rollback()
        params.set_param("erp_virtual_stock.forecast_selection_interval_days", "0")
        for table in (
            ()
            if os.environ.get("BENCH_FC_KEEP")
            else (
                "erp_demand_forecast_selection",
                "erp_demand_forecast",
                "erp_demand_forecast_history",
                "erp_demand_forecast_accuracy",
            )
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
    figures["nightly_vacuum"] = NIGHTLY_VACUUM
    figures["refresh_seconds"] = round(best["refresh"], 3)
    figures["snapshot_rows"] = count
    figures["ratio"] = round(best["refresh"] / best["raw_same"], 2)
    figures["raw_full_seconds"] = round(best["raw_full"], 3)
    figures["ratio_full"] = round(best["refresh"] / best["raw_full"], 2)
    figures["forecast_select_seconds"] = round(best["select"], 3)
    figures["raw_write_seconds"] = round(best["raw_write"], 3)
    figures["ratio_write"] = round(best["refresh"] / best["raw_write"], 2)
    print(  # noqa: T201
        f"BENCH forecast refresh (daily) p50 {best['refresh']:.3f} s,"
        f" p95 {p95['refresh']:.3f} s, first {first:.3f} s;"
        f" raw SQL of rates and virtual stock p50 {best['raw_same']:.3f} s:"
        f" {figures['ratio']}x; raw SQL of the same figures (cover, stock-out"
        f" with time-phased supply) p50 {best['raw_full']:.3f} s:"
        f" {figures['ratio_full']}x; the refresh's forecast SELECT alone"
        f" {best['select']:.3f} s; the same figures written by hand-written SQL"
        f" (changed rows, the day's history) p50 {best['raw_write']:.3f} s:"
        f" {figures['ratio_write']}x;"
        f" raw SQL aggregate of the rates {best['raw']:.3f} s"
        f" ({json.dumps(figures)})"
    )
    references = (
        ("raw_same", "raw SQL of the rates and virtual stock {} (alternated)", 2.0),
        (
            "raw_full",
            "raw SQL of the same figures (rates, virtual stock, cover,"
            " stock-out with time-phased supply) {} (alternated)",
            2.0,
        ),
        (
            "raw_write",
            "the same figures written by hand-written SQL (changed rows, the"
            " day's history) {} (info, alternated)",
            None,
        ),
    )
    for key, label, target in references:
        for pct, stats in (("p50", best), ("p95", p95)):
            bench.figure(
                f"forecast refresh (daily) {pct}",
                stats["refresh"],
                queries,
                reference=label.format(pct),
                reference_seconds=stats[key],
                target_ratio=target,
                rows=count,
                samples=SAMPLES,
            )
    bench.figure(
        "forecast query alone (its SELECT, no write) p50",
        best["select"],
        1,
        reference="raw SQL of the same figures p50 (info)",
        reference_seconds=best["raw_full"],
        rows=count,
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
