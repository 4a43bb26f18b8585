#!/usr/bin/env bash
# Holds the sandbox to docs/openapi.yaml with two outside checkers, installed from PyPI into a
# virtual environment (versions pinned in .ci/requirements-openapi.txt):
#   1. openapi-spec-validator: docs/openapi.yaml is a valid OpenAPI 3.1 description, and every
#      documented example matches its schema (.ci/openapi_examples.py);
#   2. schemathesis: a fj-sandbox started here answers every generated request as the description
#      says, with every check on (config: .ci/schemathesis.toml).
# Run from anywhere as `bash .ci/schemathesis.sh`; .ci/run calls it last.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-venv
requirements=.ci/requirements-openapi.txt
# The same cases on every run, so CI is not flaky; set FJ_SCHEMATHESIS_SEED to explore others.
seed=${FJ_SCHEMATHESIS_SEED:-20260519}

echo "== Python tools for the OpenAPI checks ($requirements)"
if [ ! -x "$venv/bin/python" ] || ! diff -q <("$venv/bin/python" -m pip freeze --all 2>/dev/null | grep -v -e '^pip==' -e '^setuptools==' | sort) \
    <(grep -v '^#' "$requirements" | sort) >/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
fi
"$venv/bin/schemathesis" --version
"$venv/bin/openapi-spec-validator" --version 2>/dev/null || true

echo "== openapi-spec-validator docs/openapi.yaml"
"$venv/bin/openapi-spec-validator" docs/openapi.yaml
"$venv/bin/python" .ci/openapi_examples.py docs/openapi.yaml

echo "== fj-sandbox for schemathesis"
cargo build --features sandbox --bin fj-sandbox
workdir=$(mktemp -d)
sandbox_pid=
cleanup() {
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
key=fjk_sandbox_key
# Enough credits and requests that the fuzzer meets 402 and 429 only if the sandbox is wrong;
# searches are done at once (`--delay-ms 0`), so every read sees finished results.
target/debug/fj-sandbox --addr 127.0.0.1:0 --api-key "$key" --credits 1000000000 \
  --rate-limit 100000000 --delay-ms 0 >"$workdir/sandbox.log" 2>&1 &
sandbox_pid=$!
base=
for _ in $(seq 1 100); do
  base=$(sed -n 's/^fj-sandbox serving the FutureJobs Sourcing API at //p' "$workdir/sandbox.log")
  [ -n "$base" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$workdir/sandbox.log"; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "fj-sandbox printed no address"; cat "$workdir/sandbox.log"; exit 1; }
echo "fj-sandbox at $base"

# Two sessions from the reference's own example: one only read, one for Update and Fetch More.
api() { curl -sS --fail-with-body -H "x-fj-api-key: $key" -H 'content-type: application/json' "$@"; }
json() { "$venv/bin/python" -c "import json,sys; print(json.load(sys.stdin)$1)"; }
body=tests/fixtures/create_request.json
FJ_SESSION=$(api -X POST --data-binary "@$body" "$base/sourcing-session" | json "['data']['session']['_id']")
FJ_WRITE_SESSION=$(api -X POST --data-binary "@$body" "$base/sourcing-session" | json "['data']['session']['_id']")
first=$(api "$base/sourcing-session/$FJ_SESSION/profiles?limit=1")
FJ_CANDIDATE=$(json "['data']['docs'][0]['_id']" <<<"$first")
FJ_CANDIDATE_URL=$(json "['data']['docs'][0]['profile']['linkedin_profile_url']" <<<"$first")
export FJ_SANDBOX_KEY=$key FJ_SESSION FJ_WRITE_SESSION FJ_CANDIDATE FJ_CANDIDATE_URL
echo "sessions $FJ_SESSION (read) and $FJ_WRITE_SESSION (write), candidate $FJ_CANDIDATE"

echo "== schemathesis run (seed $seed)"
started=$(date +%s)
status=0
"$venv/bin/schemathesis" --config-file .ci/schemathesis.toml run docs/openapi.yaml \
  --url "$base" --checks all --max-examples 100 --seed "$seed" --no-color \
  --report junit --report-dir "$workdir/report" || status=$?
elapsed=$(( $(date +%s) - started ))
"$venv/bin/python" - "$workdir/report" "$elapsed" <<'EOF'
import pathlib, sys, xml.etree.ElementTree as ET
report = next(pathlib.Path(sys.argv[1]).glob("*.xml"))
root = ET.parse(report).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
tests = sum(int(s.get("tests", 0)) for s in suites)
failures = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
print(f"schemathesis: {tests} operations tested, {failures} with failures, in {sys.argv[2]} s")
EOF
exit "$status"
