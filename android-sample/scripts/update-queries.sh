#!/usr/bin/env bash
# Regenerates the <queries> block in app/src/main/AndroidManifest.xml from the hanpay scheme
# table (`hanpay manifest android`), replacing the lines between the BEGIN/END markers.
# Run it after updating hanpay; ffi/tests/samples.rs fails while the block is stale.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
manifest="$here/app/src/main/AndroidManifest.xml"
block="$(mktemp)"
trap 'rm -f "$block" "$block.out"' EXIT
(cd "$repo" && cargo run -q -p hanpay-cli -- manifest android) | sed 's/^/    /' > "$block"
awk -v block="$block" '
  /<!-- BEGIN hanpay manifest android -->/ { print; while ((getline line < block) > 0) print line; skip = 1; next }
  /<!-- END hanpay manifest android -->/ { skip = 0 }
  !skip { print }
' "$manifest" > "$block.out"
grep -q "BEGIN hanpay manifest android" "$block.out" || { echo "markers missing in $manifest" >&2; exit 1; }
mv "$block.out" "$manifest"
echo "updated $manifest ($(grep -c '<package ' "$manifest") packages)"
