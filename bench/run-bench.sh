#!/usr/bin/env bash
# Runs every benchmark once and prints the figures with their ratios against the baselines
# measured in the same run. Usage: run-bench.sh BUILD_BENCH_DIR [targets...]
# Sizes can be scaled down for a quick look: QL_BENCH_SCALE=0.1.
set -euo pipefail
dir=$1
scale=${QL_BENCH_SCALE:-1}
n() { awk -v a="$1" -v s="$scale" 'BEGIN { printf "%d", a * s }'; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

echo "== engine (M/M/1, lambda 0.9, mu 1; events = 2 per customer) =="
base=$("$dir/bench_engine" baseline "$(n 10000000)")
eng=$("$dir/bench_engine" mm1 "$(n 10000000)")
small=$("$dir/bench_engine" mm1 "$(n 1000000)")
pend=$("$dir/bench_engine" pending 100000)
echo "$base"; echo "$eng"; echo "$small"; echo "$pend"
b=$(field events_per_s "$base"); e=$(field events_per_s "$eng")
awk -v b="$b" -v e="$e" -v m1="$(field peak_kib "$small")" -v m2="$(field peak_kib "$eng")" \
    -v p="$(field events_per_s "$pend")" 'BEGIN {
  printf "hand-written loop      %6.2f M events/s\n", b / 1e6
  printf "engine, full stats     %6.2f M events/s  = %.0f%% of the loop (target >= 50%%)\n", e / 1e6, 100 * e / b
  printf "engine, 1e5 pending    %6.2f M events/s  (target >= 3 M)\n", p / 1e6
  printf "peak memory, 1e6 vs 1e7 customers: %d KiB vs %d KiB (flat: ratio %.2f)\n", m1, m2, m2 / m1
}'
for extra in "${@:2}"; do
  case "$extra" in bench_engine) ;; *) echo "== $extra =="; "$dir/$extra" ;; esac
done
