#!/usr/bin/env bash
# Scale benchmark: a directory of BENCH_PEOPLE (100,000) demo people on
# each database in BENCH_DATABASES (SQLite and PostgreSQL), the same request
# mix on each (scripts/bench_scale.py: searches and filters, p50/p95/p99/max
# per kind and overall, server-side from `server-timing` and as the client
# saw it), printed side by side, then whether both databases returned the
# same people for every request. Budget: p95 <= BENCH_BUDGET_MS (20)
# server-side on each. Not part of the test command: it prints figures.
#   BENCH_PEOPLE     directory size (100000; 1000000 for the PostgreSQL goal)
#   BENCH_DATABASES  "sqlite postgres" (either or both)
#   BENCH_ROUNDS     requests per kind (40; 16 kinds)
#   BENCH_BUDGET_MS  the p95 budget printed against (20; 50 at 1,000,000)
#   BENCH_KEEP       a folder to keep the SQLite data in and reuse next time
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

export PATH="$HOME/.cargo/bin:$PATH"
people="${BENCH_PEOPLE:-100000}"
rounds="${BENCH_ROUNDS:-40}"
databases="${BENCH_DATABASES:-sqlite postgres}"
budget="${BENCH_BUDGET_MS:-20}"

target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
cargo build --quiet --profile server -p lanyard-server

source scripts/lib/bench-server.sh
source scripts/lib/postgres.sh
trap 'pg_stop; bench_cleanup' EXIT
trap 'exit 130' INT TERM

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for db in $databases; do
  case "$db" in
    sqlite)
      data="${BENCH_KEEP:-$work/sqlite-data}"
      database=()
      ;;
    postgres)
      data="$work/postgres-data"
      # Settings a dedicated database server would have; fsync off, since
      # the cluster is thrown away (it changes writes, not the reads timed).
      PG_EXTRA_OPTS="-c shared_buffers=1GB -c work_mem=16MB -c random_page_cost=1.1 -c effective_cache_size=4GB" \
        pg_start "$work/postgres"
      psql -q "$PG_URL" -c "CREATE DATABASE lanyard_bench"
      database=(LANYARD_DATABASE_URL="${PG_URL%/*}/lanyard_bench")
      ;;
    *) echo "BENCH_DATABASES: unknown database $db" >&2; exit 2 ;;
  esac
  mkdir -p "$data"
  started=$SECONDS
  # One person asking as fast as the machine allows is what the per-person
  # photo URL limit exists to stop: the benchmark lifts it (the limiter
  # still runs on every request) and measures the server, not the limit.
  start_bench_server 3600 \
    LANYARD_DATA_DIR="$data" \
    LANYARD_SPA_DIR="$root/dist" \
    LANYARD_SEED_PEOPLE="$people" \
    LANYARD_RATE_URLS_PER_MINUTE=4000000000 \
    RUST_LOG=info \
    ${database[@]+"${database[@]}"}
  seeded="$(grep -o 'seeded the demo company.*' "$work/server.log" | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'seconds=[0-9.]*' | cut -d= -f2)" || true
  {
    echo "== $db, $people people"
    if [[ -n "$seeded" ]]; then
      printf 'seeded in %.1f s (server ready after %d s)\n' "$seeded" "$((SECONDS - started))"
    else
      echo "reused the data in $data (no seed)"
    fi
    if [[ "$db" == postgres ]]; then
      # After a bulk load: statistics and the visibility map (index-only walks).
      psql -q "${PG_URL%/*}/lanyard_bench" -c "VACUUM ANALYZE"
    fi
    python3 "$root/scripts/bench_scale.py" "$url" "$LANYARD_DEMO_PASSWORD" "$rounds" \
      --budget "$budget" --dump "$work/$db.json"
  } >"$work/$db.txt" 2>&1 || { cat "$work/$db.txt" >&2; exit 1; }
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  [[ "$db" == postgres ]] && pg_stop
done

echo
# Side by side: each database's table in a column.
set -- $databases
if [[ $# -eq 2 ]]; then
  paste -d'|' <(sed 's/$/ /' "$work/$1.txt" | awk '{printf "%-92s\n", $0}') "$work/$2.txt" | sed 's/|/ | /'
  echo
  python3 - "$work/$1.json" "$work/$2.json" "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
names = sys.argv[3:5]
diff = [(x, y) for x, y in zip(a, b) if x != y]
print(f"same people on both: {len(a) - len(diff)} of {len(a)} requests")
for x, y in diff[:10]:
    print(f"  {x[0]}: {names[0]} total {x[1]} ids {x[2][:5]}…, {names[1]} total {y[1]} ids {y[2][:5]}…")
PY
else
  cat "$work/$1.txt"
fi
