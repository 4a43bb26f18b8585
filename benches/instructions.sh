#!/usr/bin/env bash
# Instruction counts (valgrind's callgrind) for the targets of issue 15 that the shared machine
# makes noisy in time: client overhead (client thread only), build + serialize, and the
# sandbox's create against its constant-body ceiling (all threads: load client and server).
#
#   bash benches/instructions.sh [REQUESTS] [BUILDS]
#
# Each function runs in its benchmark binary's `FJ_BENCH_LOOP` mode twice, with 0 and with N
# iterations; the difference divided by N is the count per iteration, set-up excluded. Counts do
# not depend on the machine's load. They leave out the kernel (both client paths make the same
# system calls) and weigh every instruction alike (cache misses are not counted).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-2000}
BUILDS=${2:-20000}

command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }

exe() {
    cargo bench --no-run --bench "$1" --message-format=json 2>/dev/null |
        python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == sys.argv[1]:
        print(m["executable"])' "$1"
}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Instructions for `FJ_BENCH_LOOP=$2:$3`: of the first thread (the one running the loop), or
# of every thread when $5 is `all`.
count() {
    local bin=$1 spec=$2:$3 tag=$4 threads=${5:-first}
    FJ_BENCH_LOOP=$spec valgrind --tool=callgrind --separate-threads=yes \
        --callgrind-out-file="$out/$tag.%p" "$bin" >/dev/null 2>&1
    local files
    if [ "$threads" = all ]; then
        files=$(ls "$out/$tag".*-*)
    else
        files=$(ls "$out/$tag".*-01)
    fi
    # shellcheck disable=SC2086
    awk '/^(summary|totals):/ {sum += $2; nextfile} END {print sum}' $files
}

per_iteration() {
    local bin=$1 function=$2 n=$3 threads=${4:-first}
    local zero full
    zero=$(count "$bin" "$function" 0 "$function-0" "$threads")
    full=$(count "$bin" "$function" "$n" "$function-$n" "$threads")
    python3 -c "print(round(($full - $zero) / $n))"
}

client=$(exe client)
dsl=$(exe dsl)
sandbox=$(exe sandbox)

typed=$(per_iteration "$client" typed "$REQUESTS")
raw=$(per_iteration "$client" raw "$REQUESTS")
fj=$(per_iteration "$dsl" fj_sourcing "$BUILDS")
owned=$(per_iteration "$dsl" derive_owned "$BUILDS")
borrowed=$(per_iteration "$dsl" derive_borrowed "$BUILDS")
# Client and server threads together, one connection, sequential creates.
sandbox_create=$(per_iteration "$sandbox" sandbox "$REQUESTS" all)
constant_create=$(per_iteration "$sandbox" constant "$REQUESTS" all)

python3 - "$typed" "$raw" "$fj" "$owned" "$borrowed" "$sandbox_create" "$constant_create" <<'EOF'
import sys
typed, raw, fj, owned, borrowed, sandbox, constant = map(int, sys.argv[1:])
print("instructions per iteration (callgrind, loop thread only)")
print(f"  client overhead: typed {typed}, raw reqwest + Value {raw}, typed/raw {typed / raw:.3f}x")
print(f"  build + serialize: fj_sourcing {fj}, derive_owned {owned}, derive_borrowed {borrowed}; "
      f"fj/owned {fj / owned:.3f}x, fj/borrowed {fj / borrowed:.3f}x")
print(f"  sandbox create (client + server threads): sandbox {sandbox}, constant body {constant}; "
      f"constant/sandbox {constant / sandbox:.3f}")
EOF
