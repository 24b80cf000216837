# Sourced by the benchmarks that load the API with wrk
# (bench-directory.sh, bench-replicas.sh).
#
#   measure SECONDS PATH   one wrk run against "$url$PATH" with "$cookie",
#                          "$threads" threads and "$connections"
#                          connections; prints "req/s p50 p99" (latencies
#                          in ms) and stops the benchmark if any answer
#                          was not a 2xx. wrk's output goes to $work/wrk.out.
measure() {
  wrk -t"$threads" -c"$connections" -d"${1}s" --latency -H "$cookie" "$url$2" >"$work/wrk.out"
  if grep -q 'Non-2xx' "$work/wrk.out"; then
    grep 'Non-2xx' "$work/wrk.out" >&2
    echo "$2 answered errors under load" >&2
    exit 1
  fi
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v
    }
    $1 == "Requests/sec:" { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }
  ' "$work/wrk.out"
}
