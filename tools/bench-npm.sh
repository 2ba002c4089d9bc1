#!/usr/bin/env bash
# The npm package's benchmark (prints figures; not a test): builds the WebAssembly module, then
# tools/bench-npm.mjs packs the package and prints the tarball's size, the Vite, webpack and esbuild
# bundles' sizes, and the cold start to the first result in Node and in Chromium.
#   RUNS (default 5): fresh processes / browser contexts per figure.
#   SONOTYPE_SHARED_DIR (default ../shared) holds the GTZAN clip it classifies.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
tools/build-wasm.sh
exec nice node tools/bench-npm.mjs "${RUNS:-5}"
