# Sourced by the test and benchmark scripts: a throwaway PostgreSQL cluster
# from Debian's package (scripts/install-tools.sh installs it), on a free
# loopback port, with fsync off (its data is thrown away).
#
#   pg_start DIR   initdb into DIR and start; sets PG_URL, the superuser's
#                  URL of the `postgres` database (which may create databases)
#                  (PG_EXTRA_OPTS: more server settings, e.g. -c shared_buffers=1GB)
#   pg_stop        stops that cluster (by its own postmaster.pid) and deletes DIR
#
# The caller's EXIT trap calls pg_stop. As root the cluster runs as the
# `postgres` user (initdb refuses root); otherwise as the caller.

PG_DIR=""
PG_URL=""

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [[ -x "$bin/initdb" ]] || { echo "no PostgreSQL server found (run scripts/install-tools.sh)" >&2; return 1; }
  printf '%s' "$bin"
}

pg_as() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
  local bin port
  bin="$(pg_bin)" || return 1
  if [[ $(id -u) -eq 0 ]]; then
    # The `postgres` user must reach its data directory, and the caller's
    # work directory is mktemp's 0700 root-only folder: so as root the
    # cluster gets a folder of its own (DIR is then unused).
    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/lanyard-postgres.XXXXXX")"
    chown postgres: "$PG_DIR"
  else
    PG_DIR="$1"
    mkdir -p "$PG_DIR"
  fi
  pg_as "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  port="$(pg_free_port)"
  pg_as "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start -o \
    "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${PG_EXTRA_OPTS:-}" \
    >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

pg_stop() {
  [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]] || { [[ -n "$PG_DIR" ]] && rm -rf "$PG_DIR"; PG_DIR=""; return 0; }
  local bin
  bin="$(pg_bin)" && pg_as "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
