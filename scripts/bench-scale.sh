#!/usr/bin/env bash
# Scale benchmark (issue 8, budget 3): a directory of BENCH_PEOPLE (100,000)
# demo people. Prints how long the seed took, then the server-side time
# (`server-timing`) and the client-observed latency of several hundred
# searches and filters, p50/p95/p99/max per kind and overall; see
# scripts/bench_scale.py for the request mix. Budget: p95 <= 20 ms
# server-side. Not part of the test command: it prints figures.
#   BENCH_PEOPLE  directory size (100000)
#   BENCH_ROUNDS  requests per kind (40; 16 kinds)
#   BENCH_KEEP    a folder to keep the seeded data in and reuse next time
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

export PATH="$HOME/.cargo/bin:$PATH"
people="${BENCH_PEOPLE:-100000}"
rounds="${BENCH_ROUNDS:-40}"

target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
cargo build --quiet --profile server -p lanyard-server

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

data="${BENCH_KEEP:-$work/data}"
mkdir -p "$data"
export LANYARD_DEMO_PASSWORD="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
started=$SECONDS
# One person asking as fast as the machine allows is what the per-person
# photo URL limit exists to stop: the benchmark lifts it (the limiter still
# runs on every request) and measures the server, not the limit.
LANYARD_ADDR=127.0.0.1:0 \
LANYARD_EMBEDDED_S3_ADDR=127.0.0.1:0 \
LANYARD_DATA_DIR="$data" \
LANYARD_SPA_DIR="$root/dist" \
LANYARD_SEED_PEOPLE="$people" \
LANYARD_RATE_URLS_PER_MINUTE=4000000000 \
RUST_LOG=info \
  "$target_dir/server/lanyard" >"$work/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 1200); do
  url="$(grep -o 'Lanyard is running at http://[0-9.:]*' "$work/server.log" | head -1 | sed 's/.* at //')" || true
  [[ -n "$url" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log" >&2; exit 1; fi
  sleep 0.5
done
[[ -n "$url" ]] || { tail -20 "$work/server.log" >&2; echo "the server did not start" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# The seed's own log line: how long writing the company took.
seeded="$(grep -o 'seeded the demo company.*' "$work/server.log" | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'seconds=[0-9.]*' | cut -d= -f2)" || true
if [[ -n "$seeded" ]]; then
  printf 'seeded %s people in %.1f s (server ready after %d s)\n' "$people" "$seeded" "$((SECONDS - started))"
else
  echo "reused the data in $data (no seed)"
fi
echo
python3 "$root/scripts/bench_scale.py" "$url" "$LANYARD_DEMO_PASSWORD" "$rounds"
