#!/usr/bin/env bash
# Generates clients in other languages from docs/openapi.yaml and uses them, so that the
# description stays one a generator types completely:
#   1. Python: openapi-python-client (pinned in .ci/requirements-openapi.txt, in the venv of
#      .ci/schemathesis.sh) must generate with no warning but the one for `GET /openapi.yaml`
#      (a YAML answer it does not parse), every other operation's answer typed
#      (.ci/clients/typed.py), and the generated client runs a session's lifecycle against a
#      fj-sandbox started here (.ci/clients/lifecycle.py).
#   2. TypeScript: openapi-typescript generates types that `tsc --strict --noEmit` accepts, with
#      every operation's answer typed (.ci/clients/check.ts); both pinned by .ci/clients/package.json
#      and its package-lock.json.
# Generated code goes to target/clients (never committed). Run as `bash .ci/clients.sh`; .ci/run
# calls it after .ci/schemathesis.sh, whose venv it reuses (and makes when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-venv
requirements=.ci/requirements-openapi.txt
out=target/clients
rm -rf "$out"
mkdir -p "$out"

echo "== Python: openapi-python-client"
if [ ! -x "$venv/bin/openapi-python-client" ]; then
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3-venv
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
fi
"$venv/bin/openapi-python-client" --version
# The generator runs ruff (in the venv) on its output.
PATH="$PWD/$venv/bin:$PATH" "$venv/bin/openapi-python-client" generate --path docs/openapi.yaml \
  --output-path "$out/python/fj_sourcing_client" --meta none >"$out/python.log" 2>&1 ||
  { cat "$out/python.log"; exit 1; }
cat "$out/python.log"
# Every warning names what it is about ("WARNING parsing GET /openapi.yaml ...").
unexpected=$(grep -E '^(WARNING|ERROR)' "$out/python.log" | grep -v '^WARNING parsing GET /openapi.yaml within sandbox\.$' || true)
if [ -n "$unexpected" ]; then
  echo "openapi-python-client warned about more than GET /openapi.yaml:"
  echo "$unexpected"
  exit 1
fi
"$venv/bin/python" .ci/clients/typed.py "$out/python/fj_sourcing_client"

echo "== TypeScript: openapi-typescript, tsc --strict"
if ! command -v npm >/dev/null; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
ts=$out/typescript
mkdir -p "$ts"
cp .ci/clients/package.json .ci/clients/package-lock.json .ci/clients/check.ts "$ts/"
(cd "$ts" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$ts" && npx --no-install openapi-typescript ../../../docs/openapi.yaml --output api.d.ts)
(cd "$ts" && npx --no-install tsc --version &&
  npx --no-install tsc --strict --noEmit --target es2022 --module nodenext --moduleResolution nodenext check.ts)
echo "tsc --strict accepts the generated types"

echo "== Python: the generated client against fj-sandbox"
# Searches are done at once (`--delay-ms 0`), so the profiles are there to list.
. .ci/sandbox.sh
start_sandbox "$out/sandbox.log" --delay-ms 0
"$venv/bin/python" .ci/clients/lifecycle.py "$out/python" "$base" "$key" tests/fixtures/create_request.json
echo "the generated Python client ran the lifecycle"
