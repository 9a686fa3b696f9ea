#!/usr/bin/env bash
# Size of the browser package as shipped: gzip -9 bytes of the wasm and every JS file it loads
# (the minified wasm-bindgen glue, the entry point and the wasm-bindgen snippets it imports), one line per
# file, then the total as an integer on the LAST line (issue 8). With BUDGET set, exits 1 above it.
set -euo pipefail
cd "$(dirname "$0")/.."
files=(pkg/hanpay_bg.wasm pkg/hanpay.js pkg/index.js)
if [ -d pkg/snippets ]; then
  while IFS= read -r f; do files+=("$f"); done < <(find pkg/snippets -type f -name '*.js' | sort)
fi
[ -f pkg/hanpay_bg.wasm ] || { echo "pkg/hanpay_bg.wasm missing: run make pkg" >&2; exit 2; }
total=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  n=$(gzip -9 -c "$f" | wc -c)
  printf '%8d  %s\n' "$n" "$f"
  total=$((total + n))
done
if [ -n "${BUDGET:-}" ] && [ "$total" -gt "$BUDGET" ]; then
  echo "browser package is $total bytes gzip -9, over the $BUDGET-byte budget"
  echo "$total"
  exit 1
fi
echo "$total"
