#!/usr/bin/env bash
# Instruction counts (valgrind's callgrind) for the targets of issue 15 that the shared machine
# makes noisy in time: client overhead (client thread only) and build + serialize.
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

# Instructions of the first thread (the one running the loop) for `FJ_BENCH_LOOP=$2:$3`.
count() {
    local bin=$1 spec=$2:$3 tag=$4
    FJ_BENCH_LOOP=$spec valgrind --tool=callgrind --separate-threads=yes \
        --callgrind-out-file="$out/$tag.%p" "$bin" >/dev/null 2>&1
    local file
    file=$(ls "$out/$tag".*-01 2>/dev/null | head -1)
    [ -n "$file" ] || file=$(ls "$out/$tag".* | head -1)
    awk '/^(summary|totals):/ {print $2; exit}' "$file"
}

per_iteration() {
    local bin=$1 function=$2 n=$3
    local zero full
    zero=$(count "$bin" "$function" 0 "$function-0")
    full=$(count "$bin" "$function" "$n" "$function-$n")
    python3 -c "print(round(($full - $zero) / $n))"
}

client=$(exe client)
dsl=$(exe dsl)

typed=$(per_iteration "$client" typed "$REQUESTS")
raw=$(per_iteration "$client" raw "$REQUESTS")
fj=$(per_iteration "$dsl" fj_sourcing "$BUILDS")
owned=$(per_iteration "$dsl" derive_owned "$BUILDS")
borrowed=$(per_iteration "$dsl" derive_borrowed "$BUILDS")

python3 - "$typed" "$raw" "$fj" "$owned" "$borrowed" <<'EOF'
import sys
typed, raw, fj, owned, borrowed = map(int, sys.argv[1:])
print("instructions per iteration (callgrind, loop thread only)")
print(f"  client overhead: typed {typed}, raw reqwest + Value {raw}, typed/raw {typed / raw:.3f}x")
print(f"  build + serialize: fj_sourcing {fj}, derive_owned {owned}, derive_borrowed {borrowed}; "
      f"fj/owned {fj / owned:.3f}x, fj/borrowed {fj / borrowed:.3f}x")
EOF
