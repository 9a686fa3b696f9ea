#!/usr/bin/env bash
# Regenerates LSApplicationQueriesSchemes in HanpaySample/Info.plist from the hanpay scheme
# table (`hanpay manifest ios`), replacing the lines between the BEGIN/END markers.
# Run it after updating hanpay; ffi/tests/samples.rs fails while the block is stale.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
plist="$here/HanpaySample/Info.plist"
block="$(mktemp)"
trap 'rm -f "$block" "$block.out"' EXIT
(cd "$repo" && cargo run -q -p hanpay-cli -- manifest ios) | sed 's/^/\t/' > "$block"
awk -v block="$block" '
  /<!-- BEGIN hanpay manifest ios -->/ { print; while ((getline line < block) > 0) print line; skip = 1; next }
  /<!-- END hanpay manifest ios -->/ { skip = 0 }
  !skip { print }
' "$plist" > "$block.out"
grep -q "BEGIN hanpay manifest ios" "$block.out" || { echo "markers missing in $plist" >&2; exit 1; }
mv "$block.out" "$plist"
echo "updated $plist ($(grep -c '<string>' "$block") schemes)"
