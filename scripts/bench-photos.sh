#!/usr/bin/env bash
# Photo healing benchmark: BENCH_PHOTOS (500) photos on one screen whose
# URLs (BENCH_TTL, 20 s) expire together. Prints re-sign requests per
# expiry wave and the time until every photo is loaded again; see
# e2e/bench/photo-wall.mjs. Not part of the test command: it prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

bash scripts/install-tools.sh
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
count="${BENCH_PHOTOS:-500}"
ttl="${BENCH_TTL:-20}"

target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
# The SPA with its benchmark page (cargo feature `bench`), beside the real one.
trunk build --release --features bench --dist "$target_dir/bench-dist"
cargo build --quiet --profile server -p lanyard-server

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export LANYARD_DEMO_PASSWORD="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
# About nine in ten demo people have a photo: seed enough for `count`.
LANYARD_ADDR=127.0.0.1:0 \
LANYARD_EMBEDDED_S3_ADDR=127.0.0.1:0 \
LANYARD_DATA_DIR="$work/data" \
LANYARD_SPA_DIR="$target_dir/bench-dist" \
LANYARD_SEED_PEOPLE="$((count * 12 / 10 + 50))" \
LANYARD_THUMB_TTL="$ttl" \
LANYARD_PROFILE_TTL="$ttl" \
RUST_LOG=warn \
  "$target_dir/server/lanyard" >"$work/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 240); do
  url="$(grep -o 'Lanyard is running at http://[0-9.:]*' "$work/server.log" | head -1 | sed 's/.* at //')" || true
  [[ -n "$url" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log" >&2; exit 1; fi
  sleep 0.5
done
[[ -n "$url" ]] || { cat "$work/server.log" >&2; echo "the server did not start" >&2; exit 1; }

cd "$root/e2e"
LANYARD_BENCH_URL="$url" BENCH_PHOTOS="$count" BENCH_TTL="$ttl" node bench/photo-wall.mjs
