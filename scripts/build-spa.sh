#!/usr/bin/env bash
# Builds the SPA's release bundles with Trunk into dist/ (or $1): the
# directory (index.html → dist/), "My photo" (my-photo.html →
# dist/apps/my-photo/), HR's desk (hr.html → dist/apps/hr/) and the org
# chart (org.html → dist/apps/org/). The server
# picks a bundle's page by path (lanyard_wire::Entry). The directory goes
# first: Trunk empties its dist folder, the others' included.
# Usage: scripts/build-spa.sh [DIST_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

dist="${1:-dist}"
# Trunk's usual log level, but its JS minifier's warning silenced: minify-js
# 0.6 cannot parse wasm-bindgen's glue (`RequiredTokenNotFound(Identifier)
# [token=KeywordDefault]`) and ships it as it is, on every build. The glue
# is 8.6 KiB gzip of each bundle's ~235 (measured: gzip -9 of dist/*.js);
# minifying it with another tool would also mean rewriting Trunk's SRI
# hashes in the page, for perhaps 2-3 KiB. Other warnings still show.
log="error,trunk=info,trunk::processing::minify=error"
trunk build index.html --release --dist "$dist" --log "$log"
for app in my-photo hr org; do
  trunk build "$app.html" --release --dist "$dist/apps/$app" --public-url "/apps/$app/" --log "$log"
done
