#!/bin/sh
# Instructions per event of the controller, counted by callgrind: exact and repeatable where
# timings on a shared machine move by a third between runs. Compare two builds of
# svcdisc_controller_bench on the same workload:
#
#   benchmarks/count_instructions.sh build/bench/benchmarks/svcdisc_controller_bench \
#       '^pod_update/svcdisc/pods:15000/'
#
# Each benchmark matching the filter applies the same SVCDISC_BENCH_ITERATIONS events (default
# 400) in every build; only what runs inside the controller's apply is counted. Instructions
# leave out cache misses, so a change that moves memory around still needs timing.
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 CONTROLLER_BENCH FILTER" >&2
    exit 2
fi
bench=$1
filter=$2
iterations=${SVCDISC_BENCH_ITERATIONS:-400}
out=$(mktemp)
trap 'rm -f "$out" "$out.csv" "$out.log"' EXIT
if ! SVCDISC_BENCH_ITERATIONS=$iterations valgrind --tool=callgrind --callgrind-out-file="$out" \
    '--toggle-collect=*controller_engine<*>::apply<*' "$bench" --benchmark_filter="$filter" \
    --benchmark_format=csv >"$out.csv" 2>"$out.log"; then
    echo "$0: callgrind could not run $bench; its last words:" >&2
    tail -n 5 "$out.log" >&2
    exit 2
fi
runs=$(grep -c '^"' "$out.csv" || true)
if [ "$runs" -eq 0 ]; then
    echo "$0: no benchmark of $bench matches '$filter' (see --benchmark_list_tests)" >&2
    exit 2
fi
total=$(awk '/^(summary|totals):/ { print $2; exit }' "$out")
echo "$runs benchmark(s), $iterations events each: $((total / (runs * iterations))) instructions per event"
