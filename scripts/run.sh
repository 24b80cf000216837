#!/usr/bin/env bash
# Runs Lanyard with its embedded defaults: a SQLite file and an embedded S3
# store under ./data, demo data seeded on first start. Installs what is
# missing, builds the SPA (release) and the server, then starts the server in
# the foreground; Ctrl-C stops it cleanly. Extra arguments go to the server
# (`bash scripts/run.sh --help` lists every setting and its environment name).
#
# The server is the dev-profile build, the very binary the test command
# builds and starts (scripts/test.sh), in the same target folder: whichever
# command runs first, the other reuses its compiled output. Measured on this
# 2-core machine, one person browsing: a directory page in 6.1 ms against
# 2.6 ms from the optimised `server` profile (which production builds:
# docs/production.md), and the first start seeds the demo as fast (2-3 s;
# image codecs and password hashing are optimised in dev builds too).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1;34m[run]\033[0m %s\n' "$*" >&2; }

# The server compiles while the tools install: `cargo install` builds in a
# folder of its own, so the two do not wait on each other's lock, and on 2
# cores each fills the other's single-threaded stretches (link steps,
# build scripts). Only where a C compiler is already there: on a bare
# machine install-tools.sh installs it first.
server_log="$(mktemp)"
trap 'rm -f "$server_log"' EXIT
server_build=""
if command -v cc >/dev/null; then
  cargo build --quiet -p lanyard-server >"$server_log" 2>&1 &
  server_build=$!
fi

step "1/3 tools: Trunk, wasm-bindgen and wasm-opt (the first time about 8 minutes: two cargo installs, the server compiling beside them; then seconds)"
LANYARD_NO_BROWSER=1 LANYARD_NO_SERVICES=1 bash scripts/install-tools.sh
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step "2/3 the SPA's four bundles (scripts/build-spa.sh; the first time about 5 minutes, then under a minute)"
bash scripts/build-spa.sh >&2

step "3/3 the server (cargo build; the first time about 4 minutes, less when it compiled during step 1; then seconds)"
if [[ -n "$server_build" ]] && ! wait "$server_build"; then
  cat "$server_log" >&2
  exit 1
fi
cargo build --quiet -p lanyard-server

target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
export LANYARD_SPA_DIR="${LANYARD_SPA_DIR:-$PWD/dist}"
rm -f "$server_log"
exec "$target_dir/debug/lanyard" "$@"
