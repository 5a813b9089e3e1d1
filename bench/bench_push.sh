#!/usr/bin/env bash
# Tracking pushes per second (issue 17): 快递100 callbacks of 10 events with
# their signature checked, next to the addon's own webhook and a refused
# (mis-signed) push, on a live Odoo with 2 workers.
#
#   bench/bench_push.sh
#   BENCH_PUSHES=6000 BENCH_PUSH_CLIENTS=8 bench/bench_push.sh
#
#   BENCH_PUSH_SOURCE  database holding the three addons to copy (default:
#                      the cached no-demo template, the addons installed first)
#   BENCH_PUSHES       pushes of each kind (default 3000), BENCH_PUSH_ROUNDS
#                      rounds (3), BENCH_PUSH_CLIENTS concurrent clients (8)
#   BENCH_PUSH_WORKERS Odoo workers (default 2)
source "$(dirname "$0")/../scripts/lib.sh"
ensure_odoo
ensure_venv
ensure_postgres

DB="erp_bench_push_$(date +%s)_$$"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/erp_bench_push_XXXXXX")"
SERVER_PID=""
cleanup() {
    [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
    [ -z "$SERVER_PID" ] || wait "$SERVER_PID" 2>/dev/null || true
    odoo_db drop "$DB" >/dev/null 2>&1 || true
    stop_private_postgres
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${BENCH_PUSH_SOURCE:-}" ]; then
    odoo_db duplicate "$BENCH_PUSH_SOURCE" "$DB" >/dev/null 2>&1 ||
        die "cannot copy $BENCH_PUSH_SOURCE"
else
    ensure_template_db nodemo
    odoo_db duplicate "$TEMPLATE_NODEMO_DB" "$DB" >/dev/null 2>&1 ||
        die "cannot copy $TEMPLATE_NODEMO_DB"
    log "installing the addons in $DB"
    odoo_bin -d "$DB" -i "$ERP_ADDONS" --stop-after-init --no-http \
        --data-dir "$ERP_DATA_DIR" --log-level=warn >"$WORK/install.log" 2>&1 ||
        failed "installing the addons failed" "$WORK/install.log"
fi
PORT="$(free_port)"
# exec: $! is then the Odoo master itself (a backgrounded shell function
# would be a subshell, and killing it would leave the server running);
# odoo_bin's command line, which exec cannot run as a function
(exec "$PY" "$ODOO_BIN" -c "$PROJECT_DIR/config/odoo.conf" \
    --addons-path "$ODOO_ADDONS_PATH" ${PGHOST:+--db_host "$PGHOST"} \
    ${PGPORT:+--db_port "$PGPORT"} ${PGUSER:+--db_user "$PGUSER"} \
    -d "$DB" --db-filter "^$DB\$" --http-port "$PORT" \
    --gevent-port "$(free_port)" --workers "${BENCH_PUSH_WORKERS:-2}" \
    --max-cron-threads 0 --http-interface 127.0.0.1 --data-dir "$ERP_DATA_DIR" \
    --log-level=warn --logfile "$WORK/server.log") &
SERVER_PID=$!
for _ in $(seq 180); do
    curl -sf "http://127.0.0.1:$PORT/web/login" >/dev/null 2>&1 && break
    sleep 1
done
BENCH_PUSH_URL="http://127.0.0.1:$PORT" BENCH_PUSH_DB="$DB" \
    "$PY" "$PROJECT_DIR/bench/bench_push.py" || failed "bench_push.py failed" "$WORK/server.log"
if grep -E ' (WARNING|ERROR|CRITICAL) ' "$WORK/server.log" | head -5 | grep -q .; then
    log "server log problems:"
    grep -E ' (WARNING|ERROR|CRITICAL) ' "$WORK/server.log" | head -5 >&2
fi
