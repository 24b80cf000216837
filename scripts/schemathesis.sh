#!/usr/bin/env bash
# The hostile-input fuzzing pass: schemathesis (tools/.venv, from
# scripts/install-tools.sh) generates requests from the server's own OpenAPI
# document (GET /api/openapi.json), valid and invalid, and checks that no
# answer is a 5xx and that every answer matches the document (status code,
# content type, body schema).
#
# usage: scripts/schemathesis.sh BASE_URL   (LANYARD_DEMO_PASSWORD set)
#
# It runs twice: signed in as the demo employee, then as HR (who can reach
# every operation). DELETE /api/session is left out, or the run would sign
# itself out. The HR pass erases photos, edits, deactivates and imports
# people: run it only against a server whose data nobody needs afterwards
# (scripts/test.sh runs it after the Playwright suite).
# Prints one "schemathesis: N passed, N failed" line per pass (operations,
# from the JUnit report), which scripts/test.sh adds to its closing count.
set -euo pipefail
cd "$(dirname "$0")/.."

base="${1:?usage: scripts/schemathesis.sh BASE_URL}"
base="${base%/}"
: "${LANYARD_DEMO_PASSWORD:?set LANYARD_DEMO_PASSWORD to the demo password of the server}"
st="$PWD/tools/.venv/bin/schemathesis"
[[ -x "$st" ]] || { echo "schemathesis is missing: run scripts/install-tools.sh" >&2; exit 1; }
# Examples per operation and phase: about a minute for both passes on 2 cores.
examples="${LANYARD_SCHEMATHESIS_EXAMPLES:-50}"
reports="$(mktemp -d)"
trap 'rm -rf "$reports"' EXIT

# sign_in EMAIL: the session cookie ("lanyard_session=…") of a fresh sign-in.
sign_in() {
  local cookie
  cookie="$(curl -sS -D - -o /dev/null -H 'content-type: application/json' \
    --data "$(python3 -c 'import json,sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' \
      "$1" "$LANYARD_DEMO_PASSWORD")" \
    "$base/api/session" | tr -d '\r' | grep -io '^set-cookie: lanyard_session=[^;]*' | cut -d' ' -f2)" || true
  [[ -n "$cookie" ]] || { echo "could not sign in as $1" >&2; exit 1; }
  printf '%s' "$cookie"
}

status=0
# pass NAME EMAIL [schemathesis options…]
pass() {
  local name="$1" email="$2"; shift 2
  local cookie junit="$reports/$name.xml"
  cookie="$(sign_in "$email")"
  echo "--- schemathesis as $name ($email), $examples examples per operation ---"
  # The cookie is a credential: --output-sanitize keeps it out of the report.
  # One worker: with threads, hypothesis's ast.parse fails on Python 3.11.7
  # ("AST constructor recursion depth mismatch", CPython gh-106905).
  if ! "$st" run "$base/api/openapi.json" \
    --header "Cookie: $cookie" \
    --exclude-operation-id sign_out \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$examples" \
    --workers 1 \
    --output-sanitize true \
    --report junit --report-junit-path "$junit" \
    "$@"; then
    status=1
  fi
  python3 - "$junit" <<'PY'
import sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
passed = failed = 0
for case in cases:
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    elif case.find("skipped") is None:
        passed += 1
print(f"schemathesis: {passed} passed, {failed} failed")
PY
}

# The employee first: the HR pass may deactivate the demo employee.
pass employee employee@lanyard.example --exclude-tag hr
pass hr hr@lanyard.example
exit "$status"
