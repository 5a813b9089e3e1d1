#!/usr/bin/env bash
# Benchmark report: for each N in BENCH_SIZES (default "1000 10000 50000"),
# copy the cached no-demo template into a vanilla database and into a database
# with the three addons, build the same scale data in both (N products x 3
# warehouses, 10 N stock moves, N open order lines: bench/bench_common.py),
# run every bench/bench_*.py, print the figures side by side with vanilla Odoo
# / raw SQL as ratios, and write a Markdown table with the growth between sizes
# (time at N / time at the previous N / N ratio: 1.0 = linear).
#
#   bench/report.sh
#   BENCH_SIZES="200 1000" bench/report.sh
#
#   BENCH_SIZES    sizes N (products), ascending
#   BENCH_REPORT   Markdown output (default bench/results/REPORT.md)
#   BENCH_ORDERS   orders confirmed one by one per database (default 200)
#   BENCH_SCRIPTS  the bench/bench_*.py to run (default: all of them)
#   BENCH_VANILLA_SCRIPTS  those of them run in the vanilla database too
#                  (default: bench_virtual_stock.py bench_stock_shortage.py
#                  bench_orders.py; Odoo's reports take minutes at 50k)
#   BENCH_KEEP     a tag: the databases are named erp_bench_<part>_<N>_<tag>,
#                  reused when they exist (no build) and kept on exit (drop
#                  them with `odoo-bin db drop` when done); default: throw-away
#
# bench/bench_screens.py runs while both databases of a size exist (it
# alternates the two in one process). A failing benchmark fails the command
# (its log is shown); the throw-away databases are dropped on exit in every
# case.
source "$(dirname "$0")/../scripts/lib.sh"
ensure_odoo
ensure_venv
ensure_postgres
ensure_template_db nodemo

SIZES="${BENCH_SIZES:-1000 10000 50000}"
KEEP="${BENCH_KEEP:-}"
[[ -z "$KEEP" || "$KEEP" =~ ^[a-z0-9_]+$ ]] || die "BENCH_KEEP must match [a-z0-9_]+"
REPORT="${BENCH_REPORT:-$PROJECT_DIR/bench/results/REPORT.md}"
RUN="$(date +%s)_$$"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/erp_bench_XXXXXX")"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
DATABASES=()

cleanup() {
    local rc=$?
    local db
    for db in "${DATABASES[@]}"; do
        odoo_db drop "$db" >/dev/null 2>&1 || true
    done
    stop_private_postgres
    if [ "$rc" = 0 ]; then
        rm -rf "$WORK"
    else
        log "benchmark logs kept in $WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for n in $SIZES; do
    [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 10 ] ||
        die "BENCH_SIZES must be integers >= 10, got '$n'"
done

new_db() { # new_db <source> <name>
    odoo_db duplicate "$1" "$2" >/dev/null 2>&1 || die "cannot copy $1 to $2"
    [ -n "$KEEP" ] || DATABASES+=("$2")
}

drop_db() {
    local db keep=()
    [ -z "$KEEP" ] || return 0
    odoo_db drop "$1" >/dev/null 2>&1 || true
    for db in "${DATABASES[@]}"; do
        [ "$db" = "$1" ] || keep+=("$db")
    done
    DATABASES=("${keep[@]}")
}

# run_bench <part: vanilla|addons> <db> <script>: human lines indented on the
# terminal, [bench] progress from stderr, the BENCH line into $RESULTS
run_bench() {
    local part="$1" db="$2" script="$3"
    local name="${script%.py}"
    local out="$WORK/$N.$part.$name.out" err="$WORK/$N.$part.$name.log"
    local start=$SECONDS status=0
    log "N=$N $part: $script"
    (cd "$PROJECT_DIR" && BENCH_PART="$part" odoo_shell "$db" "bench/$script") \
        2> >(tee "$err" | grep --line-buffered '^\[bench\]' >&2) |
        tee "$out" | { grep -v '^BENCH ' || true; } | sed -u 's/^/    /' ||
        status=$?
    [ "$status" = 0 ] || failed "$script failed on the $part database (N=$N)" "$err"
    local lines
    lines="$(grep -c '^BENCH ' "$out" || true)"
    [ "$lines" = 1 ] ||
        failed "$script printed $lines BENCH lines instead of 1 (N=$N, $part)" "$err"
    printf '{"size": %s, "part": "%s", "bench": %s}\n' "$N" "$part" \
        "$(grep '^BENCH ' "$out" | cut -c7-)" >>"$RESULTS"
    log "N=$N $part: $script done in $((SECONDS - start)) s"
}

build_data() { # build_data <part> <db>
    local err="$WORK/$N.$1.build.log"
    (cd "$PROJECT_DIR" && odoo_shell "$2" bench/build_data.py) >"$WORK/$N.$1.build.out" \
        2>"$err" || failed "building the scale data failed on the $1 database (N=$N)" "$err"
    log "N=$N $1: $(tail -n 1 "$WORK/$N.$1.build.out")"
}

TOTAL_START=$SECONDS
BASE="erp_bench_base_$RUN"
base_ready=""
install_base() {
    [ -z "$base_ready" ] || return 0
    log "installing the addons in $BASE (copied once per size)"
    odoo_db duplicate "$TEMPLATE_NODEMO_DB" "$BASE" >/dev/null 2>&1 ||
        die "cannot copy $TEMPLATE_NODEMO_DB to $BASE"
    DATABASES+=("$BASE")
    odoo_bin -d "$BASE" -i "$ERP_ADDONS" --stop-after-init --no-http \
        --data-dir "$ERP_DATA_DIR" --log-level=warn >"$WORK/install.log" 2>&1 ||
        failed "installing the addons failed" "$WORK/install.log"
    base_ready=1
}

# the two order confirmation runs (vanilla last, addons first) are adjacent in
# time so that a change of machine load does not land between them
VANILLA_BENCHES=(bench_virtual_stock.py bench_stock_shortage.py bench_orders.py)
BENCHES=(bench_orders.py bench_virtual_stock.py bench_stock_shortage.py bench_forecast.py)
if [ -f "$PROJECT_DIR/bench/bench_allocation.py" ]; then
    BENCHES+=(bench_allocation.py)
else
    log "bench/bench_allocation.py not found: no allocation figures"
fi
if [ -f "$PROJECT_DIR/bench/bench_suggestion_approval.py" ]; then
    BENCHES+=(bench_suggestion_approval.py)
fi
wanted() { # wanted <script>: in BENCH_SCRIPTS (all when unset)
    [ -z "${BENCH_SCRIPTS:-}" ] || [[ " $BENCH_SCRIPTS " == *" $1 "* ]]
}

for N in $SIZES; do
    export BENCH_N="$N" ERP_BENCH_N="$N" BENCH_WAREHOUSES=3
    export BENCH_MOVES=$((10 * N)) BENCH_LINES="$N"
    VANILLA="erp_bench_vanilla_${N}_${KEEP:-$RUN}"
    ADDONS="erp_bench_addons_${N}_${KEEP:-$RUN}"
    log "N=$N: $N products x 3 warehouses, $BENCH_MOVES moves, $N open order lines"
    if [ -n "$KEEP" ] && db_exists "$VANILLA" && db_exists "$ADDONS"; then
        log "N=$N: reusing $VANILLA and $ADDONS"
    else
        new_db "$TEMPLATE_NODEMO_DB" "$VANILLA"
        install_base
        new_db "$BASE" "$ADDONS"
        build_data vanilla "$VANILLA" &
        vanilla_build=$!
        build_data addons "$ADDONS" &
        addons_build=$!
        wait "$vanilla_build" || exit 1
        wait "$addons_build" || exit 1
    fi
    for script in ${BENCH_VANILLA_SCRIPTS:-${VANILLA_BENCHES[@]}}; do
        if wanted "$script"; then run_bench vanilla "$VANILLA" "$script"; fi
    done
    if wanted bench_screens.py; then
        export BENCH_VANILLA_DB="$VANILLA"
        run_bench addons "$ADDONS" bench_screens.py
    fi
    drop_db "$VANILLA"
    for script in "${BENCHES[@]}"; do
        if wanted "$script"; then run_bench addons "$ADDONS" "$script"; fi
    done
    drop_db "$ADDONS"
done

mkdir -p "$(dirname "$REPORT")"
"$PY" "$PROJECT_DIR/bench/report.py" "$RESULTS" "$REPORT" \
    "$(git -C "$PROJECT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$((SECONDS - TOTAL_START))"
log "report written to $REPORT ($((SECONDS - TOTAL_START)) s in all)"
