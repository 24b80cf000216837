#!/usr/bin/env bash
# The SPA size budget (issue 8): the release build's wasm + JS + CSS, each
# gzipped at -9, must total at most 250 KB, where 1 KB = 1024 bytes (the
# stricter reading). Prints each file and the total; exits non-zero over the
# budget or when dist/ holds no wasm. A size check, not a timed test.
# Usage: scripts/spa-size.sh [DIST_DIR]   (default: dist, after
#        `trunk build --release`; see docs/performance.md, "SPA size")
set -euo pipefail
cd "$(dirname "$0")/.."

dist="${1:-dist}"
budget_kib="${LANYARD_SPA_BUDGET_KIB:-250}"

shopt -s nullglob
files=("$dist"/*.wasm "$dist"/*.js "$dist"/*.css)
wasm=("$dist"/*.wasm)
if ((${#wasm[@]} != 1)); then
  echo "spa-size: expected exactly one .wasm in $dist/ (found ${#wasm[@]}); run trunk build --release first" >&2
  exit 1
fi

kib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }

total=0
printf '%-44s %10s %10s\n' "file" "bytes" "gzip KiB"
for f in "${files[@]}"; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '%-44s %10d %10s\n' "$(basename "$f")" "$raw" "$(kib "$gz")"
done
limit=$((budget_kib * 1024))
printf '%-44s %10s %10s\n' "total (wasm + js + css, gzip -9)" "" "$(kib "$total")"
printf 'budget: %s KiB (1 KiB = 1024 bytes); headroom %s KiB\n' \
  "$budget_kib" "$(kib $((limit - total)))"
if ((total > limit)); then
  echo "spa-size: the SPA is $(kib $((total - limit))) KiB over its ${budget_kib} KiB gzip budget" >&2
  exit 1
fi
