#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS each, one after another (the machine has two cores),
# and prints one line per target: executions, exec/s and the result. Exits non-zero when any
# target crashed, timed out or leaked; the reproducer is then in fuzz/artifacts/<target>/.
#
# Stable toolchain only: cargo-fuzz passes -Z flags, which RUSTC_BOOTSTRAP=1 allows, and the
# sanitizer defaults to none (FUZZ_SANITIZER=address needs the ASan runtime; hanpay has no
# `unsafe`, so libFuzzer's coverage search plus Rust's own bounds/overflow checks is what counts).
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
SECONDS_PER_TARGET=${FUZZ_SECONDS:-900}
SANITIZER=${FUZZ_SANITIZER:-none}
TARGETS=${FUZZ_TARGETS:-classify form result env}
# Overflow checks on: an arithmetic overflow on input is a finding, as in debug builds.
FLAGS=(--sanitizer "$SANITIZER" -O --debug-assertions)

node seed.mjs
cargo fuzz build "${FLAGS[@]}"
summary=()
status=0
for t in $TARGETS; do
  log="artifacts/$t.log"
  mkdir -p "artifacts/$t"
  set +e
  cargo fuzz run "${FLAGS[@]}" "$t" "corpus/$t" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1
  rc=$?
  set -e
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
  if [ "$rc" = 0 ]; then
    result="ok"
  else
    status=1
    result="FAILED (exit $rc): $(grep -m1 -E 'panicked|ERROR: libFuzzer|SUMMARY' "$log" || echo "see $log")"
  fi
  line=$(printf '%-9s %12s execs %8s exec/s  %ss  %s' "$t" "${execs:-?}" "${rate:-?}" "$SECONDS_PER_TARGET" "$result")
  echo "$line"
  summary+=("$line")
done
echo "---- fuzz summary ----"
printf '%s\n' "${summary[@]}"
exit $status
