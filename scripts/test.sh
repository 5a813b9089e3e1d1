#!/usr/bin/env bash
# The test command: a throw-away database copied from a cached template, the
# three addons installed with Odoo's test runner (every addon test recorded),
# then pytest over tests/ (which reports the Odoo tests too), then clean-up.
#
#   scripts/test.sh [pytest args...]      (default: pytest tests)
#   ERP_TEST_ADDONS=erp_logistics scripts/test.sh tests/test_odoo_addons.py
#       installs and tests only the named addons (and what they depend on)
#   ERP_TEST_TAGS=/erp_logistics:TestWebhook   Odoo --test-tags override
#   ERP_ODOO_SUITES=1|0   run Odoo's own suites as a regression gate
#       (scripts/odoo_suites.sh, checked by tests/test_odoo_suites.py) beside
#       the addons' tests; default: on for the full run (no pytest args),
#       off when pytest args narrow the run
#
# Environment: ODOO_SRC (default /opt/odoo-18.0), ERP_VENV, PG* (see lib.sh).
# System packages (Chromium, wkhtmltopdf, CJK fonts, poppler-utils, PostgreSQL
# client) are checked first: installed when root on Debian, else the command
# stops with the apt-get command to run (ensure_system_packages in lib.sh).
source "$(dirname "$0")/lib.sh"

ensure_system_packages
ensure_odoo
ensure_venv
ensure_postgres
ensure_template_db
ensure_template_db nodemo

RUN_ID="$(date +%Y%m%d%H%M%S)_$$"
export ERP_TEST_DB="erp_test_$RUN_ID"
export ERP_ODOO_RESULTS="$PROJECT_DIR/.test-artifacts/odoo-results-$RUN_ID.json"
export ERP_ARTIFACTS="$PROJECT_DIR/.test-artifacts"
export ODOO_SRC ODOO_ADDONS_PATH ERP_DATA_DIR TEMPLATE_DB ERP_ADDONS ERP_VENV
mkdir -p "$ERP_ARTIFACTS"

SUITES_PID=""
cleanup() {
    if [ -n "$SUITES_PID" ]; then
        pkill -TERM -P "$SUITES_PID" 2>/dev/null || true
        kill "$SUITES_PID" 2>/dev/null || true
        wait "$SUITES_PID" 2>/dev/null || true
    fi
    odoo_db drop "$ERP_TEST_DB" >/dev/null 2>&1 || true
    stop_private_postgres
}
trap cleanup EXIT

# Odoo's own suites with the addons installed, on a database of their own,
# while the addons' tests run (two processes for the machine's two cores).
ERP_ODOO_SUITES="${ERP_ODOO_SUITES:-$([ "$#" -eq 0 ] && echo 1 || echo 0)}"
export ERP_ODOO_SUITES
if [ "$ERP_ODOO_SUITES" = 1 ]; then
    export ERP_SUITES_RESULTS="$ERP_ARTIFACTS/odoo-suites-$RUN_ID.json"
    # Written with the gate's exit status when it ends: pytest runs the
    # cross-module tests meanwhile and tests/test_odoo_suites.py (collected
    # last) waits for this file.
    export ERP_SUITES_DONE="$ERP_ARTIFACTS/odoo-suites-$RUN_ID.done"
    rm -f "$ERP_SUITES_DONE"
    (
        "$PROJECT_DIR/scripts/odoo_suites.sh" "$ERP_SUITES_RESULTS" \
            >"$ERP_ARTIFACTS/odoo-suites-$RUN_ID.out" 2>&1
        echo $? >"$ERP_SUITES_DONE"
    ) &
    SUITES_PID=$!
fi

odoo_db duplicate "$TEMPLATE_DB" "$ERP_TEST_DB" >"$ERP_ARTIFACTS/db-$RUN_ID.log" 2>&1

ERP_TEST_ADDONS="${ERP_TEST_ADDONS:-$ERP_ADDONS}"
export ERP_TEST_ADDONS
tags="${ERP_TEST_TAGS:-$(echo "$ERP_TEST_ADDONS" | sed 's/\([a-z_]*\)/\/\1/g')}"
log "Installing $ERP_ADDONS in $ERP_TEST_DB and running their Odoo tests"
set +e
"$PY" "$PROJECT_DIR/scripts/odoo_test_runner.py" "$ERP_ODOO_RESULTS" "$ODOO_SRC" \
    -c "$PROJECT_DIR/config/odoo.conf" --addons-path "$ODOO_ADDONS_PATH" \
    --data-dir "$ERP_DATA_DIR" ${PGHOST:+--db_host "$PGHOST"} \
    ${PGPORT:+--db_port "$PGPORT"} ${PGUSER:+--db_user "$PGUSER"} \
    -d "$ERP_TEST_DB" -i "$ERP_TEST_ADDONS" --test-enable --test-tags "$tags" \
    --stop-after-init --http-port "$(free_port)" --gevent-port "$(free_port)" \
    --max-cron-threads 0 --log-level=info --screenshots "$ERP_ARTIFACTS/screenshots" \
    >"$ERP_ARTIFACTS/odoo-tests-$RUN_ID.log" 2>&1
odoo_rc=$?
set -e
log "Odoo test run exited with $odoo_rc (log: .test-artifacts/odoo-tests-$RUN_ID.log)"
export ERP_ODOO_RC="$odoo_rc"
if [ -n "$SUITES_PID" ]; then
    log "Odoo's own suites still running beside pytest (log: .test-artifacts/odoo-suites-$RUN_ID.out)"
fi

cd "$PROJECT_DIR"
if [ "$#" -eq 0 ]; then set -- tests; fi
# The cleanup stops the suites' process if pytest did not wait for it (a
# narrowed run that does not collect tests/test_odoo_suites.py).
"$PY" -m pytest "$@"
