#!/usr/bin/env bash
# The web benchmark (prints figures; not a test): builds the SIMD module (web/build/) and a scalar
# build of the same code (build/wasm-scalar/), then measures them in headless Chromium with
# tools/bench-web.mjs: WASM time for a 30-s clip, SIMD vs scalar, the end-to-end time for a
# 3-minute MP3 on the page, and the gzipped download size; and, in Node (the same V8), how much of
# the WASM time is KissFFT's transforms alone; then a collection of 100 three-minute MP3s chosen as a
# folder (tools/bench-web-collection.mjs: songs per minute, the tab's peak memory).
#   SONOTYPE_SHARED_DIR (default ../shared) holds the GTZAN clips it uses.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
tools/build-wasm.sh
NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs" cmake --build build/wasm --target sonotype_fft_floor  # KissFFT's share, in Node
BUILD_DIR=build/wasm-scalar tools/build-wasm.sh -DSONOTYPE_SIMD=OFF -DSONOTYPE_WEB_OUT="$PWD/build/wasm-scalar/web-build"
node tools/bench-web.mjs build/wasm-scalar/web-build build/wasm/sonotype_fft_floor.js
echo
exec nice node tools/bench-web-collection.mjs 100 /tmp/sonotype-bench-collection  # a collection: songs per minute, peak memory
