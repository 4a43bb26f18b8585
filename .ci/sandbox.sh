# Sourced by .ci/schemathesis.sh and .ci/clients.sh: `start_sandbox LOG [FLAG...]` builds and
# starts fj-sandbox on a free port with the API key in `$key`, writing its output to LOG; it
# sets `$base` to the API's base URL and stops the sandbox when the script exits.
key=fjk_sandbox_key
sandbox_pid=
stop_sandbox() {
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
}
start_sandbox() {
  local log=$1
  shift
  cargo build -p fj-sandbox --bin fj-sandbox
  trap stop_sandbox EXIT
  target/debug/fj-sandbox --addr 127.0.0.1:0 --api-key "$key" "$@" >"$log" 2>&1 &
  sandbox_pid=$!
  base=
  for _ in $(seq 1 100); do
    base=$(sed -n 's/^fj-sandbox serving the FutureJobs Sourcing API at //p' "$log")
    [ -n "$base" ] && break
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
  done
  [ -n "$base" ] || { echo "fj-sandbox printed no address"; cat "$log"; exit 1; }
}
