#!/usr/bin/env bash
# Runs Lanyard with its embedded defaults: a SQLite file and an embedded S3
# store under ./data, demo data seeded on first start. Installs what is
# missing, builds the SPA (release) and the server, then starts the server in
# the foreground; Ctrl-C stops it cleanly. Extra arguments go to the server
# (`bash scripts/run.sh --help` lists every setting and its environment name).
set -euo pipefail
cd "$(dirname "$0")/.."

LANYARD_NO_BROWSER=1 LANYARD_NO_SERVICES=1 bash scripts/install-tools.sh
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "[run] building the SPA's bundles (scripts/build-spa.sh)" >&2
bash scripts/build-spa.sh >&2

echo "[run] building the server (cargo build --profile server)" >&2
cargo build --quiet -p lanyard-server --profile server

target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
export LANYARD_SPA_DIR="${LANYARD_SPA_DIR:-$PWD/dist}"
exec "$target_dir/server/lanyard" "$@"
