#!/usr/bin/env bash
# Quick benchmark: bench/report.sh at one small size (vanilla Odoo and the
# addons on the same data, figures side by side as ratios).
#   bench/run.sh                 BENCH_N=1000 BENCH_ORDERS=50 bench/run.sh
BENCH_SIZES="${BENCH_N:-${BENCH_PRODUCTS:-300}}" exec "$(dirname "$0")/report.sh"
