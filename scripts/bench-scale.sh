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

source scripts/lib/bench-server.sh

data="${BENCH_KEEP:-$work/data}"
mkdir -p "$data"
started=$SECONDS
# One person asking as fast as the machine allows is what the per-person
# photo URL limit exists to stop: the benchmark lifts it (the limiter still
# runs on every request) and measures the server, not the limit.
start_bench_server 600 \
  LANYARD_DATA_DIR="$data" \
  LANYARD_SPA_DIR="$root/dist" \
  LANYARD_SEED_PEOPLE="$people" \
  LANYARD_RATE_URLS_PER_MINUTE=4000000000 \
  RUST_LOG=info

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
