#!/usr/bin/env bash
# Guard: a cold debug build of a small binary on fj-sourcing (benches/compile/cold/fj: default
# features, tokio `rt` + `macros`) takes at most 1.15x the CPU time of its twin written with
# reqwest + serde derive + serde_json (benches/compile/cold/raw: reqwest 0.13 with the features
# and the *ring* crypto provider fj-sourcing's default turns on, the same tokio).
#
#   bash benches/compile/cold.sh [RUNS]        (default and minimum: 3 runs of each)
#
# Each variant is a crate outside the workspace, in a fresh temporary directory, with the
# workspace's Cargo.lock (so shared dependencies are built at the same versions). Every run
# starts from an empty target directory, and the runs are interleaved so background load hits
# both alike. CPU time is user + sys of cargo and everything it runs (`/usr/bin/time`), steadier
# than wall-clock time on a shared machine. Prints each run, the medians, the ratio, PASS/FAIL
# and the load average.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO="$PWD"
RUNS="${1:-3}"
[ "$RUNS" -ge 3 ] || RUNS=3
GUARD=1.15
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fj-cold-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export CARGO_INCREMENTAL=0 CARGO_TERM_COLOR=never

for v in fj raw; do
  mkdir -p "$WORK/$v"
  cp -r "$REPO/benches/compile/cold/$v/src" "$WORK/$v/src"
  {
    printf '[package]\nname = "cold-%s"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n' "$v"
    printf '[workspace]\n\n[dependencies]\ntokio = { version = "1", features = ["rt", "macros"] }\n'
    if [ "$v" = fj ]; then
      echo "fj-sourcing = { path = \"$REPO\" }"
    else
      cat <<EOF
reqwest = { version = "0.13", default-features = false, features = ["json", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
EOF
    fi
  } >"$WORK/$v/Cargo.toml"
  cp "$REPO/Cargo.lock" "$WORK/$v/Cargo.lock"
  # Resolve once (adds the variant itself to the copied lock) and download what is missing.
  cargo fetch --quiet --manifest-path "$WORK/$v/Cargo.toml"
done

declare -A cpu
for run in $(seq 1 "$RUNS"); do
  for v in fj raw; do
    rm -rf "$WORK/$v/target"
    export CARGO_TARGET_DIR="$WORK/$v/target"
    read -r user sys real < <(
      /usr/bin/time -f '%U %S %e' cargo build --offline --quiet \
        --manifest-path "$WORK/$v/Cargo.toml" 2>&1 >/dev/null | tail -n 1
    )
    ms=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
    cpu[$v]="${cpu[$v]:-} $ms"
    echo "run $run  $v  cpu ${ms} ms  wall ${real} s  load $(cut -d' ' -f1 /proc/loadavg)"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
fj=$(echo "${cpu[fj]}" | median)
raw=$(echo "${cpu[raw]}" | median)
echo "fj: median CPU $fj ms [${cpu[fj]} ]; raw: median CPU $raw ms [${cpu[raw]} ]; $(rustc -V)"
awk -v a="$fj" -v b="$raw" -v g="$GUARD" -v load="$(cat /proc/loadavg)" 'BEGIN {
  r = a / b
  printf "cold_build: fj/raw CPU %.3fx, guard <= %.2fx: %s; loadavg %s\n", r, g, (r <= g ? "PASS" : "FAIL"), load
}'
