# Sourced by the test and benchmark scripts: nginx (Debian's package,
# installed by scripts/install-tools.sh) as the load balancer in front of
# Lanyard's replicas, on a free loopback port, with its configuration, logs
# and temporary files in a folder of its own. The package's own service is
# left alone.
#
#   nginx_start DIR PORT UPSTREAM...  balances round-robin over the
#                                     UPSTREAMs (host:port); sets NGINX_PID
#   NGINX_STATIC=FILE nginx_start …   also serves FILE at /static.json
#                                     (the benchmark's baseline)
#   nginx_stop                        stops it (by NGINX_PID) and deletes DIR
#
# What the configuration does, and production's should too (see
# docs/production.md): forwards the client's address (X-Forwarded-For, which
# Lanyard reads through LANYARD_TRUSTED_PROXIES) and the Host the browser
# used; retries a request on the next replica when one cannot be reached
# (`proxy_next_upstream error timeout`: nginx never retries a POST it has
# already sent, so nothing is done twice); keeps connections to the
# replicas open.

NGINX_DIR=""
NGINX_PID=""

nginx_bin() {
  command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; }
}

nginx_start() {
  NGINX_DIR="$1"
  local port="$2" bin servers="" upstream static=""
  shift 2
  bin="$(nginx_bin)" || { echo "nginx is not installed (run scripts/install-tools.sh)" >&2; return 1; }
  for upstream in "$@"; do
    servers+="    server $upstream max_fails=1 fail_timeout=10s;"$'\n'
  done
  if [[ -n "${NGINX_STATIC:-}" ]]; then
    static="    location = /static.json { alias ${NGINX_STATIC}; default_type application/json; }"
  fi
  mkdir -p "$NGINX_DIR/logs" "$NGINX_DIR/tmp"
  # Run as root (CI), the workers would become `nobody`, who may not enter
  # the test's private temporary folders.
  local user=""
  [[ $(id -u) -eq 0 ]] && user="user root;"
  cat >"$NGINX_DIR/nginx.conf" <<CONF
$user
daemon off;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/tmp/body;
  proxy_temp_path $NGINX_DIR/tmp/proxy;
  fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
  uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
  scgi_temp_path $NGINX_DIR/tmp/scgi;
  upstream lanyard {
$servers    keepalive 32;
  }
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 16m;
$static
    location / {
      proxy_pass http://lanyard;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
    }
  }
}
CONF
  "$bin" -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -e "$NGINX_DIR/logs/error.log" &
  NGINX_PID=$!
  for _ in $(seq 1 100); do
    if ! kill -0 "$NGINX_PID" 2>/dev/null; then cat "$NGINX_DIR/logs/error.log" >&2; echo "nginx exited" >&2; return 1; fi
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/health" || true)"
    [[ "$code" == 200 ]] && return 0
    sleep 0.1
  done
  cat "$NGINX_DIR/logs/error.log" >&2; echo "nginx did not answer" >&2; return 1
}

nginx_stop() {
  if [[ -n "$NGINX_PID" ]]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""; fi
  [[ -n "$NGINX_DIR" ]] && rm -rf "$NGINX_DIR"
  NGINX_DIR=""
}
