#!/usr/bin/env bash
# `make test-bridge`: the C ABI in a gcc-built C program and the JNI bridge in a plain JVM,
# both over the shared cases (tests/data/classify.json, tests/data/user-agents.json).
# Installs gcc / a JDK from Debian when missing, like the Makefile's other setup steps.
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-target}"
out="$target/bridge"
case "$(uname -s)" in
  Darwin) lib="$target/debug/libhanpay_ffi.dylib" ;;
  *) lib="$target/debug/libhanpay_ffi.so" ;;
esac

missing=()
command -v gcc >/dev/null || missing+=(gcc libc6-dev)
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

cargo build -p hanpay-ffi
mkdir -p "$out"
cargo run -q -p hanpay-ffi --example bridge_cases > "$out/cases.tsv"

echo "== C ABI (gcc, ffi/include/hanpay.h, $lib)"
gcc -std=c11 -Wall -Wextra -Werror -Iffi/include ffi/tests/c/bridge_test.c \
  -L"$(dirname "$lib")" -lhanpay_ffi -Wl,-rpath,"$(cd "$(dirname "$lib")" && pwd)" -o "$out/c_bridge_test"
"$out/c_bridge_test" "$out/cases.tsv"

echo "== JNI (javac/java $(javac -version 2>&1 | cut -d' ' -f2), kr.hanpay.Hanpay)"
rm -rf "$out/java"
javac -Xlint:all -Werror -d "$out/java" ffi/tests/java/kr/hanpay/Hanpay.java ffi/tests/java/BridgeTest.java
java -Xcheck:jni -cp "$out/java" BridgeTest "$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")" "$out/cases.tsv"
