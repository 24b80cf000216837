# Sourced by the test and benchmark scripts: Lanyard replicas as a company
# runs them, several processes sharing one PostgreSQL database and one S3
# bucket, each on its own loopback port.
#
#   replica_start BIN LOG PORT [VAR=value…]  starts BIN with the settings
#                        given (and the shared ones in REPLICA_ENV), waits
#                        until its /api/ready answers 200; appends its pid to
#                        REPLICA_PIDS and sets REPLICA_PID
#   replicas_stop        stops every replica started (by pid)
#
# REPLICA_ENV: an array of VAR=value settings every replica gets.

REPLICA_PIDS=()
REPLICA_PID=""
REPLICA_ENV=()

replica_start() {
  local bin="$1" log="$2" port="$3"
  shift 3
  env LANYARD_ADDR="127.0.0.1:$port" ${REPLICA_ENV[@]+"${REPLICA_ENV[@]}"} "$@" "$bin" >"$log" 2>&1 &
  REPLICA_PID=$!
  REPLICA_PIDS+=("$REPLICA_PID")
  for _ in $(seq 1 600); do
    if ! kill -0 "$REPLICA_PID" 2>/dev/null; then tail -40 "$log" >&2; echo "the replica on port $port exited" >&2; return 1; fi
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/ready" || true)"
    [[ "$code" == 200 ]] && return 0
    sleep 0.5
  done
  tail -40 "$log" >&2; echo "the replica on port $port was not ready" >&2; return 1
}

replicas_stop() {
  local pid
  for pid in ${REPLICA_PIDS[@]+"${REPLICA_PIDS[@]}"}; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  REPLICA_PIDS=()
}
