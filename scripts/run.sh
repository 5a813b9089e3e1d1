#!/usr/bin/env bash
# The run command: Odoo on http://localhost:8069 with the database erp_demo
# (the three addons installed with demo data; created on first run, reused and
# upgraded after).  Extra arguments go to odoo-bin.
#
# Environment: ODOO_SRC (default /opt/odoo-18.0), ERP_VENV, PG* (see lib.sh),
# ERP_DEMO_DB (default erp_demo), ERP_HTTP_PORT (default 8069),
# ERP_HTTP_INTERFACE (default 127.0.0.1: this machine only).
#
# The master password (database manager) is generated on the first run into
# .odoo-admin-passwd (git-ignored, readable by its owner only); the server
# reads config/local.conf, written here from config/odoo.conf plus that
# password and the database list, which only this demo command enables.
source "$(dirname "$0")/lib.sh"

ensure_odoo
ensure_venv
ensure_postgres

DB="${ERP_DEMO_DB:-erp_demo}"
PORT="${ERP_HTTP_PORT:-8069}"
INTERFACE="${ERP_HTTP_INTERFACE:-127.0.0.1}"
LOCAL_CONF="$PROJECT_DIR/config/local.conf"
write_local_conf "$LOCAL_CONF" "$PROJECT_DIR/.odoo-admin-passwd"
if db_exists "$DB"; then
    log "Reusing database $DB (updating the three addons)"
    odoo_bin -d "$DB" -u "$ERP_ADDONS" --stop-after-init --no-http \
        --data-dir "$ERP_DATA_DIR" --log-level=warn
else
    ensure_template_db
    log "Creating database $DB from $TEMPLATE_DB with the three addons and demo data"
    odoo_db duplicate "$TEMPLATE_DB" "$DB"
    odoo_bin -d "$DB" -i "$ERP_ADDONS" --stop-after-init --no-http \
        --data-dir "$ERP_DATA_DIR" --log-level=warn
fi

cat >&2 <<MSG
[erp] Odoo 18 is starting on http://localhost:$PORT  (database: $DB, interface: $INTERFACE)
[erp] Log in with admin / admin.  Stop with Ctrl-C.
[erp] Database manager master password: in .odoo-admin-passwd
MSG
exec "$PY" "$ODOO_BIN" -c "$LOCAL_CONF" \
    --addons-path "$ODOO_ADDONS_PATH" --data-dir "$ERP_DATA_DIR" \
    ${PGHOST:+--db_host "$PGHOST"} ${PGPORT:+--db_port "$PGPORT"} \
    ${PGUSER:+--db_user "$PGUSER"} \
    -d "$DB" --db-filter "^$DB\$" --http-interface "$INTERFACE" --http-port "$PORT" "$@"
