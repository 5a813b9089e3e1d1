#!/usr/bin/env bash
# Benchmark: the same data and operations on vanilla Odoo (the cached template
# database: sale_stock, purchase_stock, stock_delivery, portal) and on a copy
# with the three addons installed.  Prints figures and ratios.
#   bench/run.sh            BENCH_PRODUCTS=1000 BENCH_ORDERS=500 bench/run.sh
source "$(dirname "$0")/../scripts/lib.sh"
ensure_odoo
ensure_venv
ensure_postgres
ensure_template_db nodemo

RUN="$(date +%s)_$$"
VANILLA="erp_bench_vanilla_$RUN"
ADDONS="erp_bench_addons_$RUN"
cleanup() {
    odoo_db drop "$VANILLA" >/dev/null 2>&1 || true
    odoo_db drop "$ADDONS" >/dev/null 2>&1 || true
    stop_private_postgres
}
trap cleanup EXIT
odoo_db duplicate "$TEMPLATE_NODEMO_DB" "$VANILLA" >/dev/null 2>&1
odoo_db duplicate "$TEMPLATE_NODEMO_DB" "$ADDONS" >/dev/null 2>&1
odoo_bin -d "$ADDONS" -i "$ERP_ADDONS" --stop-after-init --no-http \
    --data-dir "$ERP_DATA_DIR" --log-level=warn

measure() {
    "$PY" "$ODOO_BIN" shell -c "$PROJECT_DIR/config/odoo.conf" \
        --addons-path "$ODOO_ADDONS_PATH" ${PGHOST:+--db_host "$PGHOST"} \
        ${PGPORT:+--db_port "$PGPORT"} ${PGUSER:+--db_user "$PGUSER"} \
        -d "$1" --no-http --data-dir "$ERP_DATA_DIR" --log-level=warn \
        <"$PROJECT_DIR/bench/bench_orders.py" 2>/dev/null | grep '^BENCH ' | cut -c7-
}
log "measuring vanilla Odoo ($VANILLA)"
vanilla="$(measure "$VANILLA")"
log "measuring with the addons ($ADDONS)"
addons="$(measure "$ADDONS")"
"$PY" - "$vanilla" "$addons" <<'PYEOF'
import json, os, sys
vanilla, addons = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"products={os.environ.get('BENCH_PRODUCTS', 300)} "
      f"orders={os.environ.get('BENCH_ORDERS', 200)} "
      f"lines/order={os.environ.get('BENCH_LINES', 3)}")
print(f"{'operation':28} {'vanilla s':>10} {'addons s':>10} {'ratio':>7} "
      f"{'vanilla q':>10} {'addons q':>10}")
for name in addons:
    a = addons[name]
    v = vanilla.get(name) or (vanilla["read_virtual_available"]
                              if name == "read_virtual_stock_qty" else None)
    if not v:
        continue
    ratio = a["seconds"] / v["seconds"] if v["seconds"] else float("nan")
    print(f"{name:28} {v['seconds']:>10.3f} {a['seconds']:>10.3f} {ratio:>7.2f} "
          f"{v['queries']:>10} {a['queries']:>10}")
PYEOF
