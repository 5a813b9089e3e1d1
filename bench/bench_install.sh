#!/usr/bin/env bash
# Installation time of the three addons (`odoo-bin -i`, registry loading
# included) on a populated database against the same install on an empty one.
# For each N in BENCH_SIZES (default "10000 50000"): copy the cached no-demo
# template twice, build the benchmark's scale data in one copy (N products x 3
# warehouses, 10 N stock moves, N open order lines: bench/bench_common.py),
# then install the addons in the empty copy and in the populated one, back to
# back, and print both times and their ratio (the target is below 3).
#
#   bench/bench_install.sh
#   BENCH_SIZES=10000 bench/bench_install.sh
#
#   BENCH_SIZES         sizes N (products)
#   BENCH_INSTALL_LOGS  directory that keeps the install logs (--log-level=info:
#                       the slow steps); by default they are removed
#
# The throw-away databases are dropped on exit in every case.
source "$(dirname "$0")/../scripts/lib.sh"
ensure_odoo
ensure_venv
ensure_postgres
ensure_template_db nodemo

SIZES="${BENCH_SIZES:-10000 50000}"
RUN="$(date +%s)_$$"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/erp_bench_install_XXXXXX")"
DATABASES=()

cleanup() {
    local rc=$?
    local db
    for db in "${DATABASES[@]}"; do
        odoo_db drop "$db" >/dev/null 2>&1 || true
    done
    stop_private_postgres
    if [ -n "${BENCH_INSTALL_LOGS:-}" ]; then
        mkdir -p "$BENCH_INSTALL_LOGS"
        cp "$WORK"/*.log "$BENCH_INSTALL_LOGS"/ 2>/dev/null || true
    fi
    if [ "$rc" = 0 ]; then
        rm -rf "$WORK"
    else
        log "logs kept in $WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for n in $SIZES; do
    [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 10 ] ||
        die "BENCH_SIZES must be integers >= 10, got '$n'"
done

new_db() { # new_db <name>: a copy of the no-demo template
    odoo_db duplicate "$TEMPLATE_NODEMO_DB" "$1" >/dev/null 2>&1 ||
        die "cannot copy $TEMPLATE_NODEMO_DB to $1"
    DATABASES+=("$1")
}

# time_install <db> <log>: prints the wall time of the install in seconds
time_install() {
    local start end
    start="$(date +%s.%N)"
    odoo_bin -d "$1" -i "$ERP_ADDONS" --stop-after-init --no-http \
        --data-dir "$ERP_DATA_DIR" --log-level=info >"$2" 2>&1 ||
        failed "installing the addons in $1 failed" "$2"
    end="$(date +%s.%N)"
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

ROWS=()
for N in $SIZES; do
    export BENCH_N="$N" BENCH_WAREHOUSES=3 BENCH_MOVES=$((10 * N)) BENCH_LINES="$N"
    EMPTY="erp_bench_install_empty_${N}_$RUN"
    FULL="erp_bench_install_full_${N}_$RUN"
    log "N=$N: building the scale data ($N products x 3 warehouses, $BENCH_MOVES moves, $N open order lines)"
    new_db "$FULL"
    (cd "$PROJECT_DIR" && odoo_shell "$FULL" bench/build_data.py) >"$WORK/$N.build.out" \
        2>"$WORK/$N.build.log" || failed "building the scale data failed (N=$N)" "$WORK/$N.build.log"
    log "N=$N: $(tail -n 1 "$WORK/$N.build.out")"
    new_db "$EMPTY"
    # the two installs run back to back so that a change of machine load
    # does not land between them
    log "N=$N: installing $ERP_ADDONS on an empty database"
    empty_s="$(time_install "$EMPTY" "$WORK/$N.install_empty.log")"
    log "N=$N: installing $ERP_ADDONS on the populated database"
    full_s="$(time_install "$FULL" "$WORK/$N.install_populated.log")"
    ratio="$(awk -v a="$full_s" -v b="$empty_s" 'BEGIN { printf "%.2f", a / b }')"
    printf 'N=%s: install on empty DB %s s, on N-scale DB %s s, ratio %s\n' \
        "$N" "$empty_s" "$full_s" "$ratio"
    ROWS+=("| $N | $empty_s | $full_s | $ratio |")
    for db in "$EMPTY" "$FULL"; do
        odoo_db drop "$db" >/dev/null 2>&1 || true
    done
    DATABASES=()
done

printf '\n| N | install on empty DB (s) | install on N-scale DB (s) | ratio (target < 3) |\n'
printf '|---:|---:|---:|---:|\n'
printf '%s\n' "${ROWS[@]}"
