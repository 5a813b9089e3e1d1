#!/usr/bin/env bash
# The Odoo-suites regression gate: every test of Odoo's own sale, purchase,
# sale_stock, purchase_stock, stock_delivery and stock (at_install and
# post_install alike) on a database where the three addons are installed.
#
#   scripts/odoo_suites.sh RESULTS.json      run the gate, record each outcome
#   ERP_SUITES_VANILLA=1 scripts/odoo_suites.sh RESULTS.json
#       the same suites without the addons (how tests/odoo_suites_vanilla_failures.txt
#       was measured)
#   ERP_SUITES=stock_delivery scripts/odoo_suites.sh RESULTS.json   fewer suites
#
# The database is a copy of the cached template; the addons are installed
# first, without tests, then the registry is loaded once more and the
# selected suites run on it (scripts/odoo_test_runner.py with
# ERP_TESTS_AFTER_LOAD=1).  tests/test_odoo_suites.py turns the record into
# pytest results against the checked-in list of tests that fail on vanilla
# Odoo too.  scripts/test.sh runs it; alone, run
#   scripts/odoo_suites.sh /tmp/suites.json &&
#   ERP_SUITES_RESULTS=/tmp/suites.json .venv/bin/python -m pytest tests/test_odoo_suites.py
source "$(dirname "$0")/lib.sh"

RESULTS="${1:?usage: scripts/odoo_suites.sh RESULTS.json}"
SUITES="${ERP_SUITES:-sale,purchase,sale_stock,purchase_stock,stock_delivery,stock}"

ensure_odoo
ensure_venv
ensure_postgres
ensure_template_db

DB="erp_suites_$(date +%Y%m%d%H%M%S)_$$"
ARTIFACTS="$PROJECT_DIR/.test-artifacts"
mkdir -p "$ARTIFACTS"
drop_db() { odoo_db drop "$DB" >/dev/null 2>&1 || true; }
trap 'drop_db; stop_private_postgres' EXIT

odoo_db duplicate "$TEMPLATE_DB" "$DB" >/dev/null
if [ "${ERP_SUITES_VANILLA:-0}" != 1 ]; then
    log "Odoo suites gate: installing $ERP_ADDONS in $DB"
    odoo_bin -d "$DB" -i "$ERP_ADDONS" --stop-after-init --no-http \
        --data-dir "$ERP_DATA_DIR" --log-level=warn \
        >"$ARTIFACTS/$DB-install.log" 2>&1 ||
        die "installing the addons failed (.test-artifacts/$DB-install.log)"
fi

tags="$(echo "$SUITES" | sed 's/\([a-z_]*\)/\/\1/g')"
log "Odoo suites gate: running $tags on $DB"
set +e
ERP_TESTS_AFTER_LOAD=1 "$PY" "$PROJECT_DIR/scripts/odoo_test_runner.py" "$RESULTS" \
    "$ODOO_SRC" -c "$PROJECT_DIR/config/odoo.conf" --addons-path "$ODOO_ADDONS_PATH" \
    --data-dir "$ERP_DATA_DIR" ${PGHOST:+--db_host "$PGHOST"} \
    ${PGPORT:+--db_port "$PGPORT"} ${PGUSER:+--db_user "$PGUSER"} \
    -d "$DB" --test-enable --test-tags "$tags" --stop-after-init \
    --http-port "$(free_port)" --gevent-port "$(free_port)" --max-cron-threads 0 \
    --log-level=info >"$ARTIFACTS/$DB.log" 2>&1
rc=$?
set -e
log "Odoo suites gate: odoo-bin exited with $rc (log: .test-artifacts/$DB.log)"
exit 0
