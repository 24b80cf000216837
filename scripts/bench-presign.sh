#!/usr/bin/env bash
# Presigning benchmark (issue 8, budget 1): per URL, the floor (one SHA-256
# + one HMAC-SHA256 over SigV4-sized inputs), Lanyard's presigner and
# aws-sdk-s3's, all signing the same thumbnail URL (benches/presign/).
# Budget: Lanyard <= 3x the floor and >= 20x faster than aws-sdk-s3.
# Prints figures; not a test. The bench crate is its own workspace so that
# aws-sdk-s3 is never built by the test command; the first run builds it
# (minutes), into the repository's target folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

(cd benches/presign && cargo bench --quiet --bench presign -- --noplot "$@")

python3 - "$CARGO_TARGET_DIR/criterion/presign" <<'PY'
import json, os, sys
base = sys.argv[1]
def ns(name):
    with open(os.path.join(base, name, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]
floor, lanyard, plain, signer, aws = (ns(n) for n in
    ("floor", "lanyard", "lanyard-plain", "lanyard-photo-signer", "aws-sdk-s3"))
print()
print("Presigning, per URL (criterion medians; the same thumbnail URL everywhere)")
print(f"  floor (SHA-256 + HMAC-SHA256)      {floor:10.0f} ns")
print(f"  Lanyard Presigner (photo URL)      {lanyard:10.0f} ns")
print(f"  Lanyard Presigner (plain GET)      {plain:10.0f} ns")
print(f"  Lanyard PhotoSigner::sign_version  {signer:10.0f} ns")
print(f"  aws-sdk-s3 presigned()             {aws:10.0f} ns")
r1, r2 = lanyard / floor, aws / lanyard
print(f"  Lanyard / floor:      {r1:5.2f}x (budget <= 3x: {'within' if r1 <= 3 else 'OVER'})")
print(f"  aws-sdk-s3 / Lanyard: {r2:5.1f}x (budget >= 20x: {'within' if r2 >= 20 else 'OVER'})")
PY
