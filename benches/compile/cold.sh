#!/usr/bin/env bash
# Issue 15 target 6 / issue 16: the CPU time of a cold `cargo build` (debug) of a small
# downstream binary that builds a request and calls `create_session` (benches/compile/cold/fj),
# against the same program written with reqwest + serde_json + serde derive
# (benches/compile/cold/raw).
#
#   bash benches/compile/cold.sh [RUNS] [BEFORE_REV]        (default: 3 runs, no "before")
#   ONLY="fj raw" bash benches/compile/cold.sh 1               (a subset of the variants)
#
# Variants, each a crate outside the workspace, in a fresh temporary directory with its own
# target directory (so every build is cold: every dependency is compiled):
#   fj        fj-sourcing from this checkout (path dependency), default features
#   raw       reqwest 0.13 with the features fj-sourcing's default turns on (json, rustls with
#             the ring provider) + serde_json + serde derive + tokio
#   raw-aws   the same with reqwest's own `rustls` feature (aws-lc-rs): what the TLS choice saves
#   with BEFORE_REV (a git revision, e.g. the commit before the reqwest 0.13 move):
#   fj-before fj-sourcing from `git archive BEFORE_REV`, with that revision's Cargo.lock
#   raw-0.12  the raw program on reqwest 0.12 (json, rustls-tls), with that revision's lock
#
# Each variant gets the Cargo.lock of the tree it compares against, so shared dependencies are
# built at the same versions. Runs are interleaved so background load hits every variant alike.
# CPU time is user + sys of cargo and everything it runs (`/usr/bin/time`), steadier than
# wall-clock time on a shared machine; both are printed, with the load average.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO="$PWD"
RUNS="${1:-3}"
BEFORE="${2:-}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fj-cold-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export CARGO_INCREMENTAL=0 CARGO_TERM_COLOR=never

# variant name -> "source tree|lock file|kind"
declare -A SPEC
SPEC[fj]="$REPO|$REPO/Cargo.lock|fj"
SPEC[raw]="$REPO|$REPO/Cargo.lock|raw-ring"
SPEC[raw-aws]="$REPO|$REPO/Cargo.lock|raw-aws"
VARIANTS=(fj raw raw-aws)
if [ -n "$BEFORE" ]; then
  mkdir -p "$WORK/before-src"
  git archive "$BEFORE" | tar -x -C "$WORK/before-src"
  SPEC[fj-before]="$WORK/before-src|$WORK/before-src/Cargo.lock|fj"
  SPEC[raw-0.12]="$WORK/before-src|$WORK/before-src/Cargo.lock|raw-0.12"
  VARIANTS=(fj-before raw-0.12 "${VARIANTS[@]}")
fi
if [ -n "${ONLY:-}" ]; then
  read -r -a VARIANTS <<<"$ONLY"
fi

manifest() { # name kind tree
  local name=$1 kind=$2 tree=$3
  cat <<EOF
[package]
name = "cold-${name//./_}"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
tokio = { version = "1", features = ["rt", "macros"] }
EOF
  case $kind in
    fj) echo "fj-sourcing = { path = \"$tree\" }" ;;
    raw-ring) cat <<EOF
reqwest = { version = "0.13", default-features = false, features = ["json", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
EOF
      ;;
    raw-aws) cat <<EOF
reqwest = { version = "0.13", default-features = false, features = ["json", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
EOF
      ;;
    raw-0.12) cat <<EOF
reqwest = { version = "0.12", default-features = false, features = ["json", "rustls-tls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
EOF
      ;;
  esac
}

provider() { # kind: how the raw program gets a rustls crypto provider
  if [ "$1" = raw-ring ]; then
    echo 'pub fn install() { let _ = rustls::crypto::ring::default_provider().install_default(); }'
  else
    printf '%s\n' '// reqwest brings its own provider.' 'pub fn install() {}'
  fi
}

for v in "${VARIANTS[@]}"; do
  IFS='|' read -r tree lock kind <<<"${SPEC[$v]}"
  dir="$WORK/$v"
  src=fj; [ "$kind" = fj ] || src=raw
  mkdir -p "$dir"
  cp -r "$REPO/benches/compile/cold/$src/src" "$dir/src"
  [ "$src" = raw ] && provider "$kind" >"$dir/src/provider.rs"
  manifest "$v" "$kind" "$tree" >"$dir/Cargo.toml"
  cp "$lock" "$dir/Cargo.lock"
  # Resolve once (adds the variant itself to the copied lock) and download what is missing.
  cargo fetch --quiet --manifest-path "$dir/Cargo.toml"
done

declare -A cpu wall
for run in $(seq 1 "$RUNS"); do
  for v in "${VARIANTS[@]}"; do
    rm -rf "$WORK/$v/target"
    export CARGO_TARGET_DIR="$WORK/$v/target"
    load=$(cut -d' ' -f1 /proc/loadavg)
    read -r user sys real < <(
      /usr/bin/time -f '%U %S %e' cargo build --offline --quiet \
        --manifest-path "$WORK/$v/Cargo.toml" 2>&1 >/dev/null | tail -n 1
    )
    ms=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
    cpu[$v]="${cpu[$v]:-} $ms"
    wall[$v]="${wall[$v]:-} $real"
    echo "run $run  $v  cpu ${ms} ms  wall ${real} s  load ${load}"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
range() { tr ' ' '\n' | grep -v '^$' | sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {print lo "-" hi}'; }
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(rustc -V)"
for v in "${VARIANTS[@]}"; do
  echo "$v: median CPU $(echo "${cpu[$v]}" | median) ms (range $(echo "${cpu[$v]}" | range)), wall [${wall[$v]} ] s"
done
ratio() { # a b
  awk -v a="$(echo "${cpu[$1]}" | median)" -v b="$(echo "${cpu[$2]}" | median)" \
    'BEGIN { printf "%.2fx", a / b }'
}
has() { [ -n "${cpu[$1]:-}" ]; }
if has fj && has raw; then echo "fj / raw (CPU, medians)          = $(ratio fj raw)   (target: at most 1.10x)"; fi
if has raw-aws && has raw; then echo "raw-aws / raw (aws-lc-rs / ring) = $(ratio raw-aws raw)"; fi
if has fj-before && has raw-0.12; then echo "fj-before / raw-0.12 (before)    = $(ratio fj-before raw-0.12)"; fi
if has fj && has fj-before; then echo "fj / fj-before                   = $(ratio fj fj-before)"; fi
