#!/usr/bin/env bash
# Directory API load benchmark (issue 8, budget 2): a signed-in
# `GET /api/people?per_page=100` (100 people, 100 presigned photo URLs) next
# to the same server answering a static file of the same size from its SPA
# folder. Budget: the API keeps >= 50 % of the static throughput. Prints
# req/s and p50/p99 of each; figures, not a test. Loopback only.
#
# BENCH_SEED_PEOPLE (320, the demo default), BENCH_DURATION (10 s per run),
# BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_PROFILE (`server`, the
# optimised build; `dev` measures the build `scripts/run.sh` starts).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

seed="${BENCH_SEED_PEOPLE:-320}"
duration="${BENCH_DURATION:-10}"
connections="${BENCH_CONNECTIONS:-32}"
threads="${BENCH_THREADS:-2}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

export PATH="$HOME/.cargo/bin:$PATH"
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
profile="${BENCH_PROFILE:-server}"
cargo build --quiet --profile "$profile" -p lanyard-server
# Cargo's folder for the dev profile is `debug`.
server_bin="$target_dir/${profile/#dev/debug}/lanyard"

source scripts/lib/bench-server.sh

# A copy of the SPA folder (or an empty one if the SPA is not built): the
# static reference file goes into it, never into the real dist/.
mkdir -p "$work/spa"
if [[ -d "$root/dist" ]]; then cp -r "$root/dist/." "$work/spa/"; fi

# One person asking as fast as the machine allows is what the per-person
# photo URL limit exists to stop: the benchmark lifts it (the limiter still
# runs on every request) and measures the server, not the limit.
start_bench_server 120 \
  LANYARD_DATA_DIR="$work/data" \
  LANYARD_SPA_DIR="$work/spa" \
  LANYARD_SEED_PEOPLE="$seed" \
  LANYARD_RATE_URLS_PER_MINUTE=4000000000 \
  RUST_LOG=warn

# About one demo person in ten has no photo, so a page of 100 would carry
# ~88 URLs. The budget is about a page of 100 photo URLs: give each of them
# an approved photo version (no object behind it: only the signing counts
# here). Written beside the running server (WAL); the search index's
# triggers do not fire for photo columns, which this sqlite3 could not run.
python3 - "$work/data/lanyard.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=10)
db.executescript("""
  BEGIN;
  INSERT INTO photo_versions (id, employee_id, state, created_at, decided_at)
    SELECT lower(hex(randomblob(16))), id, 'approved', 0, 0
    FROM employees WHERE photo_version_id IS NULL;
  UPDATE employees SET photo_version_id =
    (SELECT pv.id FROM photo_versions pv WHERE pv.employee_id = employees.id
     AND pv.state = 'approved' ORDER BY pv.created_at LIMIT 1)
  WHERE photo_version_id IS NULL;
  COMMIT;""")
PY

# Sign in as the demo employee; keep only the session cookie.
curl -sf -c "$work/cookies" -H 'content-type: application/json' \
  --data "{\"email\":\"employee@lanyard.example\",\"password\":\"$LANYARD_DEMO_PASSWORD\"}" \
  "$url/api/session" >/dev/null
session="$(awk '$6 == "lanyard_session" { print $7 }' "$work/cookies")"
[[ -n "$session" ]] || { echo "signing in gave no session cookie" >&2; exit 1; }
cookie="Cookie: lanyard_session=$session"

api_path="/api/people?per_page=100"
curl -sf -H "$cookie" "$url$api_path" >"$work/spa/bench-people.json"
photos="$(grep -o 'X-Amz-Signature=' "$work/spa/bench-people.json" | wc -l)"
bytes="$(stat -c %s "$work/spa/bench-people.json")"
if [[ "$photos" -ne 100 ]]; then
  echo "expected 100 photo URLs in one page, got $photos (seed more people?)" >&2
  exit 1
fi
static_path="/bench-people.json"
[[ "$(curl -sf -H "$cookie" "$url$static_path" | wc -c)" -eq "$bytes" ]] ||
  { echo "the static copy is not served as is" >&2; exit 1; }

# measure SECONDS PATH: scripts/lib/wrk.sh.
source "$root/scripts/lib/wrk.sh"

# Warm both (connections, page cache, SQLite's statement cache), then measure.
measure 2 "$static_path" >/dev/null
measure 2 "$api_path" >/dev/null
read -r static_rps static_p50 static_p99 < <(measure "$duration" "$static_path")
read -r api_rps api_p50 api_p99 < <(measure "$duration" "$api_path")

echo "Directory API vs. a static file of the same size ($bytes bytes, $photos photo URLs; $seed people seeded; the $profile build)"
echo "wrk -t$threads -c$connections -d${duration}s --latency, loopback, $(nproc) cores shared by wrk and the server"
printf '  %-32s %9s %10s %10s\n' "" "req/s" "p50 ms" "p99 ms"
printf '  %-32s %9s %10s %10s\n' "static $static_path" "$static_rps" "$static_p50" "$static_p99"
printf '  %-32s %9s %10s %10s\n' "GET $api_path" "$api_rps" "$api_p50" "$api_p99"
python3 - "$api_rps" "$static_rps" <<'PY'
import sys
api, static = float(sys.argv[1]), float(sys.argv[2])
ratio = api / static
verdict = "within" if ratio >= 0.5 else "OVER"
print(f"  API / static throughput: {ratio:.0%} (budget >= 50 %: {verdict} budget)")
PY
