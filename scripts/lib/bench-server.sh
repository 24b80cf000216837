# Sourced by scripts/bench-*.sh: a temporary work folder and one server on
# free loopback ports: the optimised build (`--profile server`, built by the
# caller), or with $server_bin another one. Needs $target_dir. Gives $work
# (removed on exit, with the server stopped), LANYARD_DEMO_PASSWORD (fresh
# per run), and start_bench_server.

work="$(mktemp -d)"
server_pid=""
bench_cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap bench_cleanup EXIT

export LANYARD_DEMO_PASSWORD="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# start_bench_server WAIT_SECONDS [VAR=value…]: starts the server with those
# settings (on top of free ports), logging to $work/server.log, and sets $url
# once it says it is running; gives up after WAIT_SECONDS (a big seed takes
# minutes) or if the server exits.
start_bench_server() {
  local wait_seconds="$1"; shift
  env LANYARD_ADDR=127.0.0.1:0 LANYARD_EMBEDDED_S3_ADDR=127.0.0.1:0 "$@" \
    "${server_bin:-$target_dir/server/lanyard}" >"$work/server.log" 2>&1 &
  server_pid=$!
  url=""
  for _ in $(seq 1 $((wait_seconds * 2))); do
    url="$(grep -o 'Lanyard is running at http://[0-9.:]*' "$work/server.log" | head -1 | sed 's/.* at //')" || true
    [[ -n "$url" ]] && return 0
    if ! kill -0 "$server_pid" 2>/dev/null; then tail -50 "$work/server.log" >&2; echo "the server exited" >&2; exit 1; fi
    sleep 0.5
  done
  tail -50 "$work/server.log" >&2; echo "the server did not start within ${wait_seconds} s" >&2; exit 1
}
