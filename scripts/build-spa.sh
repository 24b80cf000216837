#!/usr/bin/env bash
# Builds the SPA's release bundles with Trunk into dist/ (or $1): the
# directory (index.html → dist/), "My photo" (my-photo.html →
# dist/apps/my-photo/) and HR's desk (hr.html → dist/apps/hr/). The server
# picks a bundle's page by path (lanyard_wire::Entry). The directory goes
# first: Trunk empties its dist folder, the others' included.
# Usage: scripts/build-spa.sh [DIST_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

dist="${1:-dist}"
trunk build index.html --release --dist "$dist"
for app in my-photo hr; do
  trunk build "$app.html" --release --dist "$dist/apps/$app" --public-url "/apps/$app/"
done
