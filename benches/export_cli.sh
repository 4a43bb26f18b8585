#!/usr/bin/env bash
# `fj profiles --all` page after page (--pages-in-flight 1) against pages in flight (the default,
# 4), on a 5-page session: 500 candidates in pages of 100, from `fj sandbox --latency-ms 100`.
# Issue 25's guard: pages in flight at least 2x faster. The limit is 5 round trips (0.5 s)
# against 1 + ceil(4 / 4) = 2 (0.2 s), so 2.5x, less the process start and the decoding that
# both runs pay.
#
#   bash benches/export_cli.sh [RUNS] [PROFILE]
#
# RUNS (default 5) pairs, each run of the pair in a fresh `fj` process, interleaved; PROFILE
# (default release) is the cargo profile `fj` is built with. Prints every time, the medians and
# their ratio; exits 1 when the ratio is under 2 or the two exports print different rows.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PROFILE=${2:-release}

if [ "$PROFILE" = release ]; then
    cargo build -q --release -p fj-cli --bin fj
    FJ=target/release/fj
else
    cargo build -q -p fj-cli --bin fj
    FJ=target/debug/fj
fi

out=$(mktemp -d)
"$FJ" sandbox --addr 127.0.0.1:0 --polls 0 --batch-size 500 --latency-ms 100 >"$out/sandbox" 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 100); do
    grep -q 'serving' "$out/sandbox" && break
    sleep 0.1
done
FJ_BASE_URL=$(grep -o 'http://[^ ]*/api/v1/wl' "$out/sandbox" | head -1)
export FJ_BASE_URL FJ_API_KEY=fjk_sandbox_key

id=$("$FJ" search examples/queries/dotnet-pune.json --format ndjson |
    python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["session_id"])')
"$FJ" session "$id" >/dev/null

# Wall seconds of `fj profiles --all --pages-in-flight $1`; its rows go to $out/rows.$1.
run() {
    python3 - "$FJ" "$id" "$1" "$out/rows.$1" <<'PY'
import subprocess, sys, time
fj, session, n, rows = sys.argv[1:]
with open(rows, "wb") as sink:
    start = time.perf_counter()
    subprocess.run([fj, "-q", "profiles", session, "--all", "--pages-in-flight", n,
                    "--format", "ndjson"], stdout=sink, check=True)
    print(f"{time.perf_counter() - start:.4f}")
PY
}

echo "export_cli: load average $(cat /proc/loadavg)"
one=() four=()
for i in $(seq "$RUNS"); do
    a=$(run 1)
    b=$(run 4)
    cmp -s "$out/rows.1" "$out/rows.4" || { echo "export_cli: the two exports differ" >&2; exit 1; }
    echo "  run $i  page after page $a s, 4 pages in flight $b s"
    one+=("$a") four+=("$b")
done
python3 - "${one[*]}" "${four[*]}" <<'PY'
import statistics, sys
one = [float(x) for x in sys.argv[1].split()]
four = [float(x) for x in sys.argv[2].split()]
a, b = statistics.median(one), statistics.median(four)
print(f"export_cli: 5 pages of 100 at 100 ms: page after page median {a:.3f} s "
      f"(range {min(one):.3f}-{max(one):.3f}), 4 in flight {b:.3f} s "
      f"(range {min(four):.3f}-{max(four):.3f}): {a / b:.2f}x faster")
sys.exit(0 if a / b >= 2 else 1)
PY
