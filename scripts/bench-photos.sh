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

source scripts/lib/bench-server.sh

# About nine in ten demo people have a photo: seed enough for `count`.
start_bench_server 120 \
  LANYARD_DATA_DIR="$work/data" \
  LANYARD_SPA_DIR="$target_dir/bench-dist" \
  LANYARD_SEED_PEOPLE="$((count * 12 / 10 + 50))" \
  LANYARD_THUMB_TTL="$ttl" \
  LANYARD_PROFILE_TTL="$ttl" \
  RUST_LOG=warn

cd "$root/e2e"
LANYARD_BENCH_URL="$url" BENCH_PHOTOS="$count" BENCH_TTL="$ttl" node bench/photo-wall.mjs
