#!/usr/bin/env bash
# Holds the sandbox to docs/openapi.yaml with two outside checkers, installed from PyPI into a
# virtual environment (versions pinned in .ci/requirements-openapi.txt):
#   1. openapi-spec-validator: docs/openapi.yaml is a valid OpenAPI 3.1 description, and every
#      documented example matches its schema (.ci/openapi_examples.py);
#   2. schemathesis: a fj-sandbox started here answers every generated request as the description
#      says, with every check on (config: .ci/schemathesis.toml). The positive-data check leaves
#      out the cases that break a rule the description names in `x-fj-rules` (rules JSON Schema
#      cannot state; .ci/schemathesis_hooks.py), and nothing else. It runs at a fixed seed and at
#      a random one, printed so that a failure can be replayed.
# Run from anywhere as `bash .ci/schemathesis.sh`; .ci/run calls it last.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-venv

# curl creates the sessions whose ids schemathesis is given; python3 with venv runs the checkers.
if ! command -v curl >/dev/null; then
  apt-get update -qq && apt-get install -y -qq curl
fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-venv
fi
requirements=.ci/requirements-openapi.txt
# The fixed seed's cases on every run, and one random seed's, which explore further: the
# description must agree with the sandbox at any seed. FJ_SCHEMATHESIS_SEED="N ..." runs those
# seeds only (to replay a failure).
seeds=${FJ_SCHEMATHESIS_SEED:-"20260519 $(python3 -c 'import secrets; print(secrets.randbelow(2**32))')"}
# Cases per operation and phase (at least 100; FJ_SCHEMATHESIS_EXAMPLES for longer runs).
examples=${FJ_SCHEMATHESIS_EXAMPLES:-100}
# Report formats kept in target/schemathesis/report (add `har` to see every request and answer).
reports=${FJ_SCHEMATHESIS_REPORTS:-junit}

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
# Everything this run writes (sandbox log, id dictionaries, schemathesis output and reports).
out=target/schemathesis
rm -rf "$out"
mkdir -p "$out"
# Enough credits and requests that the fuzzer meets 402 and 429 only if the sandbox is wrong;
# searches are done at once (`--delay-ms 0`), so every read sees finished results.
. .ci/sandbox.sh
start_sandbox "$out/sandbox.log" --credits 1000000000 --rate-limit 100000000 --delay-ms 0
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
export FJ_SANDBOX_KEY=$key FJ_WRITE_SESSION
# The dictionaries .ci/schemathesis.toml draws real ids from (libFuzzer format: one quoted
# value a line; the ids and the URL need no escaping).
printf '"%s"\n' "$FJ_SESSION" >"$out/session.dict"
printf '"%s"\n' "$FJ_CANDIDATE" >"$out/candidate.dict"
printf '"%s"\n' "$FJ_CANDIDATE_URL" >"$out/candidate-url.dict"
echo "sessions $FJ_SESSION (read) and $FJ_WRITE_SESSION (write), candidate $FJ_CANDIDATE"

status=0
for seed in $seeds; do
  echo "== schemathesis run, seed $seed (replay: FJ_SCHEMATHESIS_SEED=$seed bash .ci/schemathesis.sh)"
  started=$(date +%s)
  run_status=0
  "$venv/bin/schemathesis" --config-file .ci/schemathesis.toml run docs/openapi.yaml \
    --url "$base" --checks all --exclude-checks positive_data_acceptance \
    --max-examples "$examples" --seed "$seed" --no-color \
    --report "$reports" --report-dir "$out/report-$seed" 2>&1 |
    tee "$out/output-$seed.txt" || run_status=$?
  elapsed=$(( $(date +%s) - started ))
  # The summary's "Test cases:" section: "<N> generated, <M> passed, ...".
  cases=$(grep -A1 '^Test cases:' "$out/output-$seed.txt" | sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p')
  echo "schemathesis seed $seed: ${cases:-?} test cases generated and checked in ${elapsed} s (exit status $run_status)"
  [ -n "$cases" ] || { echo "no case count in the schemathesis output"; exit 1; }
  [ "$run_status" -eq 0 ] || status=$run_status
done
exit "$status"
