#!/usr/bin/env bash
# Lint: ruff (check + format) and pylint-odoo, as configured in the repo.
source "$(dirname "$0")/lib.sh"
ensure_odoo
ensure_venv
cd "$PROJECT_DIR"
"$ERP_VENV/bin/ruff" check --no-fix .
"$ERP_VENV/bin/ruff" format --check .
"$ERP_VENV/bin/pylint" --rcfile=.pylintrc addons/erp_virtual_stock \
    addons/erp_order_priority addons/erp_logistics
log "lint clean"
