#!/usr/bin/env bash
# Regenerate i18n/<addon>.pot from a database where the addons are installed
# and merge it into i18n/zh_CN.po (new strings get an empty msgstr, obsolete
# ones are dropped).  Usage: scripts/i18n.sh [database] (default: a fresh copy
# of the template with the three addons installed).
# ERP_I18N_ADDONS=erp_logistics scripts/i18n.sh   limits the export to one addon.
source "$(dirname "$0")/lib.sh"
ensure_odoo
ensure_venv
ensure_postgres

DB="${1:-}"
if [ -z "$DB" ]; then
    ensure_template_db
    DB="erp_i18n_$$"
    odoo_db duplicate "$TEMPLATE_DB" "$DB"
    trap 'odoo_db drop "$DB" >/dev/null 2>&1 || true; stop_private_postgres' EXIT
    odoo_bin -d "$DB" -i "$ERP_ADDONS" --stop-after-init --no-http --log-level=warn
fi
ADDONS="${ERP_I18N_ADDONS:-$ERP_ADDONS}"
for addon in ${ADDONS//,/ }; do
    pot="$PROJECT_DIR/addons/$addon/i18n/$addon.pot"
    mkdir -p "$(dirname "$pot")"
    odoo_bin -d "$DB" --i18n-export="$pot" --modules="$addon" --stop-after-init \
        --no-http --log-level=warn
    "$PY" "$PROJECT_DIR/scripts/po_merge.py" "$pot" "$PROJECT_DIR/addons/$addon/i18n/zh_CN.po"
    log "$addon: $(grep -c '^msgid' "$pot") strings"
done
