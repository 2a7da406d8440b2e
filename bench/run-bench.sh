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
ttl=$("$dir/bench_engine" ttl "$(n 10000000)")
small=$("$dir/bench_engine" mm1 "$(n 1000000)")
pend=$("$dir/bench_engine" pending 100000)
echo "$base"; echo "$eng"; echo "$ttl"; echo "$small"; echo "$pend"
b=$(field events_per_s "$base"); e=$(field events_per_s "$eng")
awk -v b="$b" -v e="$e" -v m1="$(field peak_kib "$small")" -v m2="$(field peak_kib "$eng")" \
    -v p="$(field events_per_s "$pend")" -v t="$(field events_per_s "$ttl")" 'BEGIN {
  printf "hand-written loop      %6.2f M events/s\n", b / 1e6
  printf "engine, full stats     %6.2f M events/s  = %.0f%% of the loop (target >= 50%%)\n", e / 1e6, 100 * e / b
  printf "engine, TTL + DLX      %6.2f M events/s  = %.0f%% of the loop (target >= 50%%)\n", t / 1e6, 100 * t / b
  printf "engine, 1e5 pending    %6.2f M events/s  (target >= 3 M)\n", p / 1e6
  printf "peak memory, 1e6 vs 1e7 customers: %d KiB vs %d KiB (flat: ratio %.2f)\n", m1, m2, m2 / m1
}'
# Live mode, embedded backend (bench_live.cpp). Wall-clock runs: QL_BENCH_SCALE shortens them.
if [[ -x "$dir/bench_live" ]]; then
  secs() { awk -v a="$1" -v s="$scale" 'BEGIN { v = a * s; if (v < 1) v = 1; printf "%g", v }'; }
  echo "== live, embedded backend (1 producer -> 1 queue -> 1 consumer, no service time) =="
  full=$("$dir/bench_live" speed "$(secs 3)" 1000)
  pf1=$("$dir/bench_live" speed "$(secs 3)" 1)
  lat=$("$dir/bench_live" latency "$(secs 3)" 200000)
  echo "$full"; echo "$pf1"; echo "$lat"
  awk -v a="$(field msgs_per_s "$full")" -v b="$(field msgs_per_s "$pf1")" \
      -v p50="$(field p50_us "$lat")" -v p99="$(field p99_us "$lat")" 'BEGIN {
    printf "embedded, prefetch 1000  %6.2f M msgs/s  (target >= 2 M)\n", a / 1e6
    printf "embedded, prefetch 1     %6.2f M msgs/s\n", b / 1e6
    printf "latency at 200k msgs/s:  p50 %.1f us, p99 %.1f us\n", p50, p99
  }'
  echo "== live fidelity, embedded (load 0.6, 1 scenario s = 1 ms wall; target within 15% of the simulation) =="
  for f in mm1.json work-queue.json; do
    fid=$("$dir/bench_live" fidelity "${QL_SOURCE_DIR:-.}/scenarios/$f" "$(secs 30)" 0.6)
    echo "$fid"
    awk -v f="$f" -v l="$(field live_mean "$fid")" -v s="$(field sim_mean "$fid")" \
        -v r="$(field rel_diff "$fid")" -v lc="$(field live_ci95 "$fid")" 'BEGIN {
      printf "%-16s live mean latency %.3f (+-%.0f%% batch means) vs simulated %.3f: %+.1f%%\n", f, l, (l > 0 ? 100 * lc / l : 0), s, 100 * r }'
  done
  echo "(machine load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
fi
# Live mode, AMQP backend (bench_amqp.cpp) against a private RabbitMQ on a free loopback port,
# started here and stopped on every way out. QL_BENCH_SCALE shortens it.
if [[ -x "$dir/bench_amqp" ]]; then
  echo "== live, AMQP backend beside a plain rabbitmq-c loop (1 producer -> 1 queue -> 1 consumer, no service time) =="
  rmq="${QL_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/.ci/rabbitmq.sh"
  amqp_port=$(bash "$rmq" free-port)
  amqp_dir=${TMPDIR:-/tmp}/queuelab-rabbitmq-bench-$amqp_port
  trap 'bash "$rmq" --port "$amqp_port" --dir "$amqp_dir" stop' EXIT
  trap 'exit 130' INT TERM
  if amqp_uri=$(bash "$rmq" --port "$amqp_port" --dir "$amqp_dir" start); then
    am=$(QUEUELAB_AMQP_URI=$amqp_uri "$dir/bench_amqp" "$(n 200000)" 3 1000)
    echo "$am"
    rate() { field consume_per_s "$(grep "case=$1 " <<<"$am")"; }
    awk -v a="$(rate plain-autoack)" -v k="$(rate plain-ack)" -v t="$(rate transport)" -v r="$(rate runner)" 'BEGIN {
      printf "plain rabbitmq-c, auto-ack      %7.0f msgs/s\n", a
      printf "plain rabbitmq-c, manual acks   %7.0f msgs/s\n", k
      printf "AMQP transport (confirms, acks) %7.0f msgs/s = %.0f%% of manual-ack loop, %.0f%% of auto-ack loop (target >= 80%%)\n", t, 100 * t / k, 100 * t / a
      printf "LiveRunner on AMQP              %7.0f msgs/s = %.0f%% of manual-ack loop, %.0f%% of auto-ack loop\n", r, 100 * r / k, 100 * r / a
    }'
    echo "(machine load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
  else
    echo "bench_amqp: could not start a private RabbitMQ; skipped"
  fi
  bash "$rmq" --port "$amqp_port" --dir "$amqp_dir" stop
  trap - EXIT
fi
for extra in "${@:2}"; do
  case "$extra" in bench_engine|bench_live|bench_amqp) ;; *) echo "== $extra =="; "$dir/$extra" ;; esac
done
