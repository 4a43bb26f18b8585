#!/usr/bin/env bash
# Issue 6, measurement 5: `cargo check` time of 50 typed builder chains (10 filters each)
# against the same 50 requests written with `serde_json::json!`.
#
#   bash benches/compile/measure.sh [RUNS]        (default 7 runs per variant)
#
# 1. generates the crates (benches/compile/gen.py) under target/compile-bench,
# 2. warms up: checks every dependency once, and tests that each typed request serializes to
#    exactly its json! twin (set VERIFY=0 to skip that build),
# 3. touches each variant's source and times `cargo check -p <variant>`, RUNS times, variants
#    interleaved so that background load hits them alike,
# 4. prints the median of each and the ratios, for wall-clock time and for CPU time (user + sys
#    of cargo and rustc; steadier than wall-clock on a machine shared with other work).
# CARGO_INCREMENTAL=0: with incremental caches, touching an unchanged file would measure cache
# reuse, not type checking.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-7}"
OUT="target/compile-bench"
export CARGO_TARGET_DIR="$PWD/$OUT/target"
export CARGO_INCREMENTAL=0
export CARGO_TERM_COLOR=never
VARIANTS=(typed json empty)

python3 benches/compile/gen.py "$OUT"
manifest="$OUT/Cargo.toml"

echo "== warm-up: dependencies and all variants"
cargo check --offline --quiet --manifest-path "$manifest" -p typed -p json -p empty
if [ "${VERIFY:-1}" != 0 ]; then
  echo "== verify: every typed request equals its json! twin"
  cargo test --offline --quiet --manifest-path "$manifest" -p check
fi

declare -A times cpu
TIMEFORMAT='%R %U %S'
for run in $(seq 1 "$RUNS"); do
  for v in "${VARIANTS[@]}"; do
    touch "$OUT/$v/src/lib.rs"
    read -r real user sys < <({ time cargo check --offline --quiet --manifest-path "$manifest" -p "$v" >&2; } 2>&1)
    ms=$(awk -v r="$real" 'BEGIN { printf "%d", r * 1000 }')
    cpu_ms=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
    times[$v]="${times[$v]:-} $ms"
    cpu[$v]="${cpu[$v]:-} $cpu_ms"
    echo "run $run  $v  wall ${ms} ms  cpu ${cpu_ms} ms"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
report() {
  local label=$1 typed json empty
  local -n series=$2
  typed=$(echo "${series[typed]}" | median)
  json=$(echo "${series[json]}" | median)
  empty=$(echo "${series[empty]}" | median)
  echo "$label: median cargo check (ms) over $RUNS runs: typed $typed, json $json, empty $empty"
  echo "  all runs (ms): typed [${series[typed]} ], json [${series[json]} ], empty [${series[empty]} ]"
  awk -v t="$typed" -v j="$json" -v e="$empty" 'BEGIN {
    printf "  ratio typed / json          = %.2fx   (target: at most 1.50x)\n", t / j
    if (j > e) printf "  ratio above the empty crate = %.2fx   ((typed - empty) / (json - empty))\n", (t - e) / (j - e)
  }'
}

echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(rustc -V)"
report "wall-clock" times
report "CPU (user + sys)" cpu
