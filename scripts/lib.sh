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

# --- System packages -------------------------------------------------------
# What the tests need outside Python, as Debian packages: Chromium (browser
# tours), wkhtmltopdf (PDF reports), CJK fonts (Chinese text in the PDFs),
# poppler-utils (pdftotext/pdffonts/pdfimages check the PDFs), the PostgreSQL
# client (and server when none answers) and, while the virtualenv is still to
# be created, what building psycopg2 needs (libpq-dev, gcc, python3-dev) and
# python3-venv.  Missing ones are installed with
# apt-get when running as root on Debian/Ubuntu (or with passwordless sudo
# when ERP_SUDO_INSTALL=1, as .ci/run does); otherwise the command stops at
# once and prints the apt-get command to run.  ERP_NO_SYSTEM_INSTALL=1 never
# installs (only checks).
missing_system_packages() {
    local need=()
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
        command -v google-chrome >/dev/null 2>&1 ||
        command -v google-chrome-stable >/dev/null 2>&1 || need+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || need+=(wkhtmltopdf)
    command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
    [ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || need+=(fonts-noto-cjk)
    { command -v pdftotext && command -v pdffonts && command -v pdfimages &&
        command -v pdftoppm && command -v pdfinfo; } \
        >/dev/null 2>&1 || need+=(poppler-utils)
    if ! command -v psql >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1; then
        need+=(postgresql-client)
    fi
    # a server only when none answers and none is installed for a private cluster
    if ! pg_up && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        need+=(postgresql)
    fi
    if [ ! -f "$ERP_VENV/.erp-requirements" ]; then
        # psycopg2 (Odoo's pin) is built from source: compiler and headers
        command -v pg_config >/dev/null 2>&1 || need+=(libpq-dev)
        command -v gcc >/dev/null 2>&1 || need+=(gcc)
        python3 -c 'import os, sysconfig; os.stat(sysconfig.get_path("include") + "/Python.h")' \
            >/dev/null 2>&1 || need+=(python3-dev)
        python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
    fi
    echo "${need[*]}"
}

ensure_system_packages() {
    local need
    need="$(missing_system_packages)"
    [ -n "$need" ] || return 0
    local cmd="apt-get update && apt-get install -y $need"
    local sudo=()
    if [ "${ERP_NO_SYSTEM_INSTALL:-}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ] && [ "${ERP_SUDO_INSTALL:-}" = 1 ] && sudo -n true 2>/dev/null; then
            sudo=(sudo)
        fi
        if [ "$(id -u)" = 0 ] || [ "${#sudo[@]}" -gt 0 ]; then
            log "Installing missing system packages: $need"
            # shellcheck disable=SC2086  # one word per package
            "${sudo[@]}" apt-get update -qq &&
                "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
                    apt-get install -y -qq $need >/dev/null ||
                die "could not install the system packages; run: $cmd"
            need="$(missing_system_packages)"
            [ -z "$need" ] || die "still missing after apt-get install: $need"
            return 0
        fi
    fi
    die "missing system packages: $need
       On Debian/Ubuntu run (as root or with sudo):
           $cmd
       (elsewhere install the equivalents: Chromium, wkhtmltopdf, a CJK font
       that fc-list :lang=zh lists, poppler-utils, the PostgreSQL client)"
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
    want="$(cat "$ODOO_SRC/requirements.txt" "$PROJECT_DIR/requirements.txt" \
        "$PROJECT_DIR/requirements-dev.txt" \
        "$PROJECT_DIR/scripts/odoo_requirements.py" | sha1sum | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    log "Installing Python requirements into $ERP_VENV"
    [ -x "$PY" ] || python3 -m venv "$ERP_VENV"
    "$PY" -m pip install -q --upgrade pip wheel packaging
    "$PY" "$PROJECT_DIR/scripts/odoo_requirements.py" "$ODOO_SRC/requirements.txt" \
        >"$ERP_VENV/odoo-requirements.txt"
    "$PY" -m pip install -q -r "$ERP_VENV/odoo-requirements.txt" \
        -r "$PROJECT_DIR/requirements.txt" -r "$PROJECT_DIR/requirements-dev.txt"
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

# The configuration of the demo run: config/odoo.conf (which ships no master
# password and no database list) plus the master password kept in
# PASSWD_FILE (generated on first use, readable by its owner only) and the
# database list.  Both files are git-ignored.
#   write_local_conf CONF_OUT PASSWD_FILE
write_local_conf() {
    local out="$1" passwd_file="$2"
    if [ ! -s "$passwd_file" ]; then
        (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' \
            >"$passwd_file")
        log "Generated the database manager's master password into $passwd_file"
    fi
    (
        umask 077
        {
            # configparser refuses a key twice: drop the shipped values set here
            grep -Ev '^[[:space:]]*(admin_passwd|list_db)[[:space:]]*=' \
                "$PROJECT_DIR/config/odoo.conf"
            printf '; written by scripts/run.sh: do not edit, do not commit\n'
            # Odoo's own hash scheme: the password itself stays in its file
            printf 'admin_passwd = %s\nlist_db = True\n' "$("$PY" -c \
                'import sys; from passlib.hash import pbkdf2_sha512 as h; print(h.hash(sys.stdin.read().strip()))' \
                <"$passwd_file")"
        } >"$out"
        chmod 600 "$out" "$passwd_file"
    )
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
