#!/usr/bin/env bash
# Builds libhanpay_ffi.so (the hanpay core + JNI bridge) for the Android ABIs the sample ships
# and copies it into app/src/main/jniLibs/<abi>/ with cargo-ndk.
#
# Needs: rustup, the Android NDK (r25c or newer; set ANDROID_NDK_HOME, or install it from
# Android Studio's SDK Manager so cargo-ndk finds it under ANDROID_HOME/ndk/).
# Usage: android-sample/scripts/build-rust.sh [--debug]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
profile=(--release)
[ "${1:-}" = "--debug" ] && profile=()

abis=(arm64-v8a armeabi-v7a x86_64)
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
command -v cargo-ndk >/dev/null || cargo install cargo-ndk --locked

# 16 KB ELF alignment, required for apps targeting Android 15+ devices with 16 KB pages.
export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-z,max-page-size=16384"
cd "$repo"
args=()
for abi in "${abis[@]}"; do args+=(-t "$abi"); done
# --platform 24 matches minSdk in app/build.gradle.kts.
cargo ndk "${args[@]}" --platform 24 -o "$here/app/src/main/jniLibs" build "${profile[@]}" -p hanpay-ffi
find "$here/app/src/main/jniLibs" -name 'libhanpay_ffi.so' -print
