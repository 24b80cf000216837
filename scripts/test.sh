#!/usr/bin/env bash
# Runs every Lanyard test: formatting and lints, native unit and integration
# tests (real server on port 0, real embedded S3 store, real SQLite file),
# wasm-bindgen tests in headless Chromium, the release SPA build, and the
# Playwright end-to-end suite against the running system (two servers: the
# default photo URL lifetimes, and 8-second ones for the healing tests), and
# Lanyard as a company runs it: two replicas on PostgreSQL and SeaweedFS
# behind nginx.
# Installs what is missing first (scripts/install-tools.sh); a warm machine
# skips the installs and reuses compiled dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

bash scripts/install-tools.sh
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

started=$SECONDS
work="$(mktemp -d)"
server_pids=()
source scripts/lib/postgres.sh
source scripts/lib/seaweedfs.sh
source scripts/lib/nginx.sh
source scripts/lib/replicas.sh
cleanup() {
  for pid in ${server_pids[@]+"${server_pids[@]}"}; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  nginx_stop
  replicas_stop
  sw_stop
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
# Interrupted (Ctrl+C, a CI timeout's SIGTERM): exit, so the EXIT trap
# still stops the services this script started.
trap 'exit 130' INT TERM
# Every runner's output is also kept here, to count the tests at the end.
results="$work/results.log"
step() { printf '\n\033[1;34m== %s (at %ss)\033[0m\n' "$*" "$((SECONDS - started))" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, every crate and test)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo clippy (the SPA for wasm32)"
cargo clippy -p lanyard --target wasm32-unknown-unknown --all-targets --all-features --quiet -- -D warnings

step "native tests: wire types, SPA logic, server unit and integration tests (SQLite)"
cargo test --workspace 2>&1 | tee -a "$results"

step "a throwaway PostgreSQL cluster (scripts/lib/postgres.sh)"
pg_start "$work/postgres"
echo "PostgreSQL at ${PG_URL}" >&2

step "server integration tests again, on PostgreSQL"
LANYARD_TEST_POSTGRES="$PG_URL" cargo test -p lanyard-server --test api 2>&1 | tee -a "$results"

step "SeaweedFS, an S3 server independent of the embedded store (scripts/lib/seaweedfs.sh)"
sw_key="lanyard-test"
sw_secret="$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
sw_start "$work/seaweedfs" lanyard-photos "$sw_key" "$sw_secret"
echo "SeaweedFS at ${SW_URL}" >&2

step "storage, upload and doctor tests again, on SeaweedFS"
LANYARD_TEST_S3="$SW_URL" LANYARD_TEST_S3_KEY="$sw_key" LANYARD_TEST_S3_SECRET="$sw_secret" \
  cargo test -p lanyard-server --test api -- doctor uploads photos 2>&1 | tee -a "$results"

step "wasm-bindgen tests in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=/usr/bin/chromedriver \
WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p lanyard --target wasm32-unknown-unknown 2>&1 | tee -a "$results"

step "release build of the SPA's bundles (scripts/build-spa.sh: Trunk, four pages)"
bash scripts/build-spa.sh

step "SPA size: each bundle's wasm + JS + CSS gzip against the 250 KiB budget (scripts/spa-size.sh)"
bash scripts/spa-size.sh

step "end-to-end: Playwright against two running servers"
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
cargo build --quiet -p lanyard-server
export LANYARD_DEMO_PASSWORD="e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
# start_server NAME [VAR=value…]: a debug server on free ports with its own
# data folder, logging to $work/NAME.log.
start_server() {
  local name="$1"; shift
  env LANYARD_ADDR=127.0.0.1:0 \
    LANYARD_EMBEDDED_S3_ADDR=127.0.0.1:0 \
    LANYARD_DATA_DIR="$work/$name-data" \
    LANYARD_SPA_DIR="$root/dist" \
    RUST_LOG="${RUST_LOG:-info}" \
    "$@" "$target_dir/debug/lanyard" >"$work/$name.log" 2>&1 &
  server_pids+=("$!")
}
# wait_for_server NAME PID: prints the server's URL once it says it is running.
wait_for_server() {
  local name="$1" pid="$2" url=""
  for _ in $(seq 1 600); do
    url="$(grep -o 'Lanyard is running at http://[0-9.:]*' "$work/$name.log" | head -1 | sed 's/.* at //')" || true
    [[ -n "$url" ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then cat "$work/$name.log" >&2; echo "the $name server exited" >&2; exit 1; fi
    sleep 0.5
  done
  [[ -n "$url" ]] || { cat "$work/$name.log" >&2; echo "the $name server did not start" >&2; exit 1; }
  echo "$name server at $url" >&2
  printf '%s' "$url"
}
# The test OpenID Provider (e2e/oidc: npm's oidc-provider) and the default
# server, on PostgreSQL, signing in through it (the password form stays on
# for the rest of the suite); and a server on SQLite whose photo URLs live
# 8 s for the healing tests (several expiries within one test) and whose
# sign-in links live 4 s. Both servers seed at once. The default server's
# port is chosen first: the provider must know its redirect URI.
port="$(pg_free_port)"
op_port="$(pg_free_port)"
app_url="http://127.0.0.1:$port"
oidc_secret="e2e-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
cp e2e/oidc/accounts.json "$work/oidc-accounts.json"
OIDC_CLIENT_ID=lanyard-e2e OIDC_CLIENT_SECRET="$oidc_secret" \
  node e2e/oidc/provider.mjs "$op_port" "$app_url/api/sso/callback" "$app_url/" "$work/oidc-accounts.json" \
  >"$work/oidc.log" 2>&1 &
server_pids+=("$!")
for _ in $(seq 1 100); do grep -q '^ready ' "$work/oidc.log" && break; sleep 0.2; done
grep -q '^ready ' "$work/oidc.log" || { cat "$work/oidc.log" >&2; echo "the OpenID Provider did not start" >&2; exit 1; }
psql -q "$PG_URL" -c "CREATE DATABASE lanyard_e2e"
start_server server LANYARD_ADDR="127.0.0.1:$port" LANYARD_PUBLIC_URL="$app_url" \
  LANYARD_DATABASE_URL="${PG_URL%/*}/lanyard_e2e" \
  LANYARD_OIDC_ISSUER="http://127.0.0.1:$op_port" LANYARD_OIDC_CLIENT_ID=lanyard-e2e \
  LANYARD_OIDC_CLIENT_SECRET="$oidc_secret" LANYARD_OIDC_NAME="Test Provider" \
  LANYARD_OIDC_HR_CLAIM=groups LANYARD_OIDC_HR_VALUES=lanyard-hr LANYARD_PASSWORD_SIGN_IN=true
start_server short LANYARD_THUMB_TTL=8 LANYARD_PROFILE_TTL=8 LANYARD_SIGN_IN_LINK_TTL=4
url="$(wait_for_server server "${server_pids[1]}")"
short_url="$(wait_for_server short "${server_pids[2]}")"
# SCIM tokens for the default server, made as an operator makes them: one
# for Playwright's provisioning spec, one for the conformance checker.
scim_token() {
  LANYARD_DATABASE_URL="${PG_URL%/*}/lanyard_e2e" LANYARD_DATA_DIR="$work/server-data" \
    "$target_dir/debug/lanyard" scim-token create "$1" | sed -n 's/^SCIM token [^:]*: //p'
}
e2e_scim_token="$(scim_token e2e)"
conformance_scim_token="$(scim_token conformance)"
[[ -n "$e2e_scim_token" && -n "$conformance_scim_token" ]] || { echo "lanyard scim-token create printed no token" >&2; exit 1; }

cd "$root/e2e"
if ! LANYARD_E2E_URL="$url" LANYARD_E2E_SHORT_URL="$short_url" \
  LANYARD_E2E_SSO=1 LANYARD_E2E_SCIM_TOKEN="$e2e_scim_token" \
  npx playwright test --project=e2e --project=sso --project=late --project=healing 2>&1 | tee -a "$results"; then
  echo "--- server log ---" >&2; tail -50 "$work/server.log" >&2
  echo "--- short-lifetime server log ---" >&2; tail -50 "$work/short.log" >&2
  echo "--- OpenID Provider log ---" >&2; tail -30 "$work/oidc.log" >&2
  exit 1
fi

# After Playwright, not beside it: the HR pass erases photos, edits and
# deactivates people and imports CSVs, and the employee pass starts uploads
# (cancelling the demo employee's own); the e2e specs rely on that data.
step "hostile input: schemathesis against the default server"
if ! bash "$root/scripts/schemathesis.sh" "$url" 2>&1 | tee -a "$results"; then
  echo "--- server log ---" >&2; tail -50 "$work/server.log" >&2
  exit 1
fi

step "SCIM conformance: scim2-cli's test (scim2-tester) against the default server"
# It exits 1 when any check is not a success (errors and skips alike); the
# token goes in the environment, not on the command line.
cd "$root"
if ! SCIM_CLI_HEADERS="Authorization: Bearer $conformance_scim_token" \
  "$root/tools/.venv/bin/scim2" --url "$url/scim/v2" test 2>&1 | tee "$work/scim2.log" | tee -a "$results"; then
  echo "--- server log ---" >&2; tail -50 "$work/server.log" >&2
  exit 1
fi
echo "scim2: $(grep -c '^SUCCESS' "$work/scim2.log") checks passed" | tee -a "$results"

step "two replicas on PostgreSQL and SeaweedFS behind nginx: Playwright through nginx"
# The replicas share the database and the bucket, trust nginx for the
# client's address, and have small limits the spec spends across both.
# The first seeds the demo company before the second starts; the first
# also takes the sweeper's lease.
psql -q "$PG_URL" -c "CREATE DATABASE lanyard_replicas"
lb_port="$(pg_free_port)"
url_budget=400
sign_in_failures=4
REPLICA_ENV=(
  LANYARD_DATABASE_URL="${PG_URL%/*}/lanyard_replicas"
  AWS_ENDPOINT_URL_S3="$SW_URL" AWS_ACCESS_KEY_ID="$sw_key" AWS_SECRET_ACCESS_KEY="$sw_secret"
  LANYARD_BUCKET=lanyard-photos
  LANYARD_PUBLIC_URL="http://127.0.0.1:$lb_port" LANYARD_TRUSTED_PROXIES=127.0.0.1/32
  LANYARD_SPA_DIR="$root/dist" LANYARD_DEMO_PASSWORD="$LANYARD_DEMO_PASSWORD"
  LANYARD_RATE_URLS_PER_MINUTE="$url_budget" LANYARD_RATE_SIGN_IN_FAILURES="$sign_in_failures"
  RUST_LOG="${RUST_LOG:-info}"
)
replicas_json="["
upstreams=()
for name in a b; do
  port="$(pg_free_port)"
  metrics_port="$(pg_free_port)"
  replica_start "$target_dir/debug/lanyard" "$work/replica-$name.log" "$port" \
    LANYARD_DATA_DIR="$work/replica-$name" LANYARD_REPLICA_NAME="$name" \
    LANYARD_METRICS_ADDR="127.0.0.1:$metrics_port"
  upstreams+=("127.0.0.1:$port")
  replicas_json+="{\"name\":\"$name\",\"pid\":$REPLICA_PID,\"metrics\":\"http://127.0.0.1:$metrics_port/metrics\"},"
done
replicas_json="${replicas_json%,}]"
nginx_start "$work/nginx" "$lb_port" "${upstreams[@]}"
echo "nginx at http://127.0.0.1:$lb_port in front of ${upstreams[*]}" >&2
cd "$root/e2e"
if ! LANYARD_E2E_URL="$url" LANYARD_E2E_SHORT_URL="$short_url" \
  LANYARD_E2E_REPLICAS_URL="http://127.0.0.1:$lb_port" LANYARD_E2E_REPLICAS="$replicas_json" \
  LANYARD_E2E_URL_BUDGET="$url_budget" LANYARD_E2E_SIGN_IN_FAILURES="$sign_in_failures" \
  npx playwright test --project=replicas 2>&1 | tee -a "$results"; then
  for name in a b; do echo "--- replica $name's log ---" >&2; tail -40 "$work/replica-$name.log" >&2; done
  echo "--- nginx's error log ---" >&2; tail -20 "$work/nginx/logs/error.log" >&2
  exit 1
fi
cd "$root"

step "all tests passed"
# One closing line for the whole run: cargo's "test result" lines (native and
# wasm), Playwright's "N passed" and schemathesis's operations.
python3 - "$results" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
passed = failed = 0
for m in re.finditer(r"test result: \w+\. (\d+) passed; (\d+) failed", text):
    passed += int(m[1]); failed += int(m[2])
for m in re.finditer(r"^\s*(\d+) passed \(", text, re.M):
    passed += int(m[1])
for m in re.finditer(r"^\s*(\d+) failed$", text, re.M):
    failed += int(m[1])
for m in re.finditer(r"^schemathesis: (\d+) passed, (\d+) failed$", text, re.M):
    passed += int(m[1]); failed += int(m[2])
print(f"{passed} passed, {failed} failed")
PY
