#!/usr/bin/env bash
# Builds the WebAssembly module into web/build/ (sonotype.js, sonotype.wasm, sonotype.d.ts and the
# default model gtzan.sono) from the build tree build/wasm, and copies the page's vendored
# libraries there (tools/vendor-web.sh). Extra arguments go to CMake's configure step,
# e.g. -DSONOTYPE_SIMD=OFF -DSONOTYPE_WEB_OUT=... for the scalar build the benchmark compares.
#   BUILD_DIR (default build/wasm) chooses the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Emscripten finds its JavaScript dependencies (acorn) through NODE_PATH.
export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"
build_dir="${BUILD_DIR:-build/wasm}"
emcmake cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
tools/vendor-web.sh  # the page's other libraries, next to the module
