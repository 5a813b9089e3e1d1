# shellcheck shell=bash
# Common set-up for scripts/*.sh and bench/*.sh.  Sourced, not run.
#
#   ODOO_SRC   path of an Odoo 18.0 source tree (nightly tarball layout, or git
#              layout with addons/ and odoo/addons).  Default: /opt/odoo-18.0
#   ERP_VENV   project virtualenv (default: <project>/.venv)
#   ERP_DATA_DIR  Odoo data dir (filestores), shared by clones so that the
#              cached template database keeps its filestore
#              (default: ~/.local/share/erp-order-suite)
#   PGHOST/PGPORT/PGUSER  the PostgreSQL server to use (libpq defaults);
#              when none answers a private cluster is started in .pgdata/.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-18.0}"
ERP_VENV="${ERP_VENV:-$PROJECT_DIR/.venv}"
ODOO_NIGHTLY_URL="https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
ERP_ADDONS="erp_virtual_stock,erp_order_priority,erp_logistics"
PY="$ERP_VENV/bin/python"
ERP_DATA_DIR="${ERP_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/erp-order-suite}"

log() { printf '[erp] %s\n' "$*" >&2; }
die() { printf '[erp] ERROR: %s\n' "$*" >&2; exit 1; }

have_internet() {
    command -v curl >/dev/null 2>&1 &&
        curl -fsI --max-time 10 "$ODOO_NIGHTLY_URL" >/dev/null 2>&1
}

# --- Odoo source -----------------------------------------------------------
ensure_odoo() {
    if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        if have_internet; then
            log "No Odoo at $ODOO_SRC: downloading the official 18.0 nightly source"
            mkdir -p "$ODOO_SRC"
            curl -fL --max-time 1200 "$ODOO_NIGHTLY_URL" |
                tar -xz -C "$ODOO_SRC" --strip-components=1
        else
            die "No Odoo 18.0 source tree at ODOO_SRC=$ODOO_SRC and no internet to
       download it.  Put an Odoo 18.0 source tree there (official nightly
       tarball, git checkout of odoo/odoo branch 18.0, or any copy with
       odoo/release.py, odoo-bin and addons/) or set ODOO_SRC to its path."
        fi
    fi
    grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" ||
        die "$ODOO_SRC is not Odoo 18.0 (see $ODOO_SRC/odoo/release.py)"
    ODOO_BIN="$ODOO_SRC/odoo-bin"
    [ -f "$ODOO_BIN" ] || ODOO_BIN="$ODOO_SRC/setup/odoo"
    # nightly layout keeps every addon in odoo/addons; git layout adds addons/
    ODOO_ADDONS_PATH="$PROJECT_DIR/addons,$ODOO_SRC/odoo/addons"
    [ -d "$ODOO_SRC/addons" ] && ODOO_ADDONS_PATH="$ODOO_ADDONS_PATH,$ODOO_SRC/addons"
    export ODOO_SRC ODOO_BIN ODOO_ADDONS_PATH
}

# --- Python virtualenv -------------------------------------------------------
ensure_venv() {
    local stamp="$ERP_VENV/.erp-requirements"
    local want
    want="$(cat "$ODOO_SRC/requirements.txt" "$PROJECT_DIR/requirements-dev.txt" | sha1sum | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    log "Installing Python requirements into $ERP_VENV"
    [ -x "$PY" ] || python3 -m venv "$ERP_VENV"
    "$PY" -m pip install -q --upgrade pip wheel packaging
    "$PY" "$PROJECT_DIR/scripts/odoo_requirements.py" "$ODOO_SRC/requirements.txt" \
        >"$ERP_VENV/odoo-requirements.txt"
    "$PY" -m pip install -q -r "$ERP_VENV/odoo-requirements.txt" \
        -r "$PROJECT_DIR/requirements-dev.txt"
    echo "$want" >"$stamp"
}

# --- PostgreSQL --------------------------------------------------------------
PRIVATE_PG=""
pg_up() { pg_isready -q >/dev/null 2>&1 && psql -d postgres -Atc 'select 1' >/dev/null 2>&1; }

ensure_postgres() {
    if [ -z "${PGUSER:-}" ] && [ "$(id -un)" = "postgres" ]; then
        die "Odoo refuses the 'postgres' role: run as another user or set PGUSER"
    fi
    if pg_up; then
        return
    fi
    log "No reachable PostgreSQL: starting a private cluster in $PROJECT_DIR/.pgdata"
    local bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [ -n "$bindir" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
    local data="$PROJECT_DIR/.pgdata" sock="$PROJECT_DIR/.pgdata/run"
    local run_as=()
    if [ "$(id -u)" = 0 ]; then
        mkdir -p "$data"
        chown postgres "$data"
        run_as=(runuser -u postgres --)
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        "${run_as[@]}" "$bindir/initdb" -D "$data" -A trust -U postgres >/dev/null
    fi
    "${run_as[@]}" mkdir -p "$sock"
    "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
        -o "-k $sock -c listen_addresses='' -p 5499" start >/dev/null
    PRIVATE_PG="$data"
    export PGHOST="$sock" PGPORT=5499
    local me
    me="$(id -un)"
    [ "$me" = postgres ] && me=odoo
    psql -U postgres -d postgres -qc "CREATE ROLE \"$me\" SUPERUSER LOGIN" 2>/dev/null || true
    export PGUSER="$me"
    trap stop_private_postgres EXIT
}

stop_private_postgres() {
    [ -n "$PRIVATE_PG" ] || return 0
    local run_as=()
    [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
    "${run_as[@]}" "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" \
        -D "$PRIVATE_PG" -m fast stop >/dev/null || true
}

db_exists() { [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }

# Run odoo-bin from the source tree with the project's configuration.
odoo_bin() {
    "$PY" "$ODOO_BIN" -c "$PROJECT_DIR/config/odoo.conf" \
        --addons-path "$ODOO_ADDONS_PATH" \
        ${PGHOST:+--db_host "$PGHOST"} ${PGPORT:+--db_port "$PGPORT"} \
        ${PGUSER:+--db_user "$PGUSER"} "$@"
}

# Filestore-aware database commands (odoo-bin db duplicate/drop).
odoo_db() {
    "$PY" "$ODOO_BIN" db -c "$PROJECT_DIR/config/odoo.conf" \
        --addons-path "$ODOO_ADDONS_PATH" --data-dir "$ERP_DATA_DIR" \
        ${PGHOST:+--db_host "$PGHOST"} ${PGPORT:+--db_port "$PGPORT"} \
        ${PGUSER:+--db_user "$PGUSER"} "$@"
}

# Run a Python script inside `odoo-bin shell` on a database (stdin: script).
odoo_shell() { # odoo_shell <db> <script>
    PYTHONUNBUFFERED=1 "$PY" "$ODOO_BIN" shell -c "$PROJECT_DIR/config/odoo.conf" \
        --addons-path "$ODOO_ADDONS_PATH" ${PGHOST:+--db_host "$PGHOST"} \
        ${PGPORT:+--db_port "$PGPORT"} ${PGUSER:+--db_user "$PGUSER"} \
        -d "$1" --no-http --data-dir "$ERP_DATA_DIR" --log-level=warn <"$2"
}

# Stop with an error and the end of the log of the step that failed.
failed() { # failed <what> <log>
    sleep 0.5 # let a stderr filter finish writing the log
    printf '[erp] ERROR: %s; last lines of its log (%s):\n' "$1" "$2" >&2
    tail -n 40 "$2" | sed 's/^/    /' >&2
    exit 1
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Odoo modules our addons depend on (outside this project), sorted.
external_depends() {
    "$PY" - "$PROJECT_DIR/addons" <<'PYEOF'
import ast, pathlib, sys
root = pathlib.Path(sys.argv[1])
ours = {p.parent.name for p in root.glob("*/__manifest__.py")}
deps = set()
for manifest in root.glob("*/__manifest__.py"):
    deps.update(ast.literal_eval(manifest.read_text())["depends"])
print(",".join(sorted(deps - ours)))
PYEOF
}

# A database with the Odoo dependencies (and demo data) installed, cached and
# keyed by Odoo's version, the source tree and our external dependencies.
# `ensure_template_db nodemo` builds/uses the variant without demo data.
ensure_template_db() {
    local variant="${1:-demo}" deps key name demo_opt=()
    deps="$(external_depends)"
    key="$( { grep -E "^version_info" "$ODOO_SRC/odoo/release.py"; echo "$deps"; \
              echo "$ODOO_SRC $ERP_DATA_DIR"; ls "$ODOO_SRC/addons" 2>/dev/null | md5sum; } |
            sha1sum | cut -c1-10)"
    name="erp_tmpl_$key"
    if [ "$variant" = nodemo ]; then
        name="${name}_nodemo"
        demo_opt=(--without-demo=all)
    fi
    if ! db_exists "$name"; then
        log "Building template database $name ($deps, $variant); later runs reuse it"
        local tmp="${name}_building_$$"
        odoo_bin -d "$tmp" -i "$deps" "${demo_opt[@]}" --stop-after-init --no-http \
            --data-dir "$ERP_DATA_DIR" --log-level=warn ||
            { odoo_db drop "$tmp" || true; die "template database build failed"; }
        if ! odoo_db rename "$tmp" "$name" >/dev/null 2>&1; then
            # another process built the same template meanwhile: use theirs
            db_exists "$name" || die "could not rename $tmp to $name"
            odoo_db drop "$tmp" >/dev/null 2>&1 || true
        fi
    fi
    if [ "$variant" = nodemo ]; then
        TEMPLATE_NODEMO_DB="$name"
        export TEMPLATE_NODEMO_DB
    else
        TEMPLATE_DB="$name"
        export TEMPLATE_DB
    fi
}
