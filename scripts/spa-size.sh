#!/usr/bin/env bash
# The SPA size budget (issue 8): what a browser downloads to open one of
# the SPA's bundles — the wasm, JS and CSS its page names — each file
# gzipped at -9, must total at most 250 KiB (1 KiB = 1024 bytes, the
# stricter reading), for every bundle: the directory (index.html), "My
# photo" and HR's desk (apps/*/index.html; see src/apps/). Prints each
# bundle's files and total; exits non-zero when any is over budget or a
# page is missing. A size check, not a timed test.
# Usage: scripts/spa-size.sh [DIST_DIR]   (default: dist, after
#        scripts/build-spa.sh; see docs/performance.md, "SPA size")
set -euo pipefail
cd "$(dirname "$0")/.."

exec python3 - "${1:-dist}" "${LANYARD_SPA_BUDGET_KIB:-250}" <<'PY'
import gzip, os, re, sys

dist, budget_kib = sys.argv[1], int(sys.argv[2])
# Lanyard's bundles (lanyard_wire::Entry::html_file).
pages = ["index.html", "apps/my-photo/index.html", "apps/hr/index.html", "apps/org/index.html"]
limit = budget_kib * 1024
over = []

def kib(n):
    return f"{n / 1024:.1f}"

for page in pages:
    path = os.path.join(dist, page)
    if not os.path.isfile(path):
        sys.exit(f"spa-size: {path} is missing; run scripts/build-spa.sh first")
    html = open(path, encoding="utf-8").read()
    # Trunk writes absolute asset paths under the bundle's public URL.
    assets = sorted(set(re.findall(r"""['"=]/?([\w./-]+\.(?:wasm|js|css))\b""", html)))
    if not any(a.endswith(".wasm") for a in assets):
        sys.exit(f"spa-size: {path} names no .wasm file")
    total = 0
    print(f"{page}")
    for asset in assets:
        data = open(os.path.join(dist, asset.lstrip("/")), "rb").read()
        gz = len(gzip.compress(data, compresslevel=9, mtime=0))
        total += gz
        print(f"  {os.path.basename(asset):<44} {len(data):>9} B {kib(gz):>8} KiB gzip")
    print(f"  {'total (wasm + js + css, gzip -9)':<44} {'':>11} {kib(total):>8} KiB"
          f"  (budget {budget_kib} KiB, headroom {kib(limit - total)} KiB)")
    if total > limit:
        over.append(f"{page} is {kib(total - limit)} KiB over")

if over:
    sys.exit("spa-size: over the %d KiB gzip budget: %s" % (budget_kib, "; ".join(over)))
PY
