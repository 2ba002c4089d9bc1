#!/usr/bin/env bash
# Installs what is missing, builds the native and WebAssembly flavours, and runs every test:
# the doctest unit tests, the Node tests of the WASM module and the headless-Chromium tests of
# the page, all through one ctest run whose summary line ends the output.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

tools/install-deps.sh
command -v em++ >/dev/null || { echo "test.sh: em++ not found (apt-get install emscripten)" >&2; exit 1; }
jobs=$(nproc)

echo "== WebAssembly build (build/wasm -> web/build)"
tools/build-wasm.sh

echo "== native build (build/native)"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release -DSONOTYPE_WASM_DIR="$root/web/build" >/dev/null
cmake --build build/native -j"$jobs"

echo "== tests"
cd build/native
ctest --output-on-failure -j"$jobs"
