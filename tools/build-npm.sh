#!/usr/bin/env bash
# Builds the npm package `sonotype` into build/npm/: stages build/npm/package/ from the built
# WebAssembly module (sonotype.js, .wasm, .d.ts and the default model gtzan.sono), the page's own
# decoding (web/decode.js, web/wav.js: the package and the page decode alike) and the wrapper in
# wasm/npm/, then packs it with `npm pack` into build/npm/sonotype-VERSION.tgz. It never publishes.
#   SONOTYPE_WASM_DIR (default web/build, made by tools/build-wasm.sh): the module to package.
#   NPM_OUT (default build/npm): where the staged package and the tarball go.
# Prints the tarball's path.
set -euo pipefail
cd "$(dirname "$0")/.."

wasm_dir="${SONOTYPE_WASM_DIR:-web/build}"
out="${NPM_OUT:-build/npm}"
module=(sonotype.js sonotype.wasm sonotype.d.ts gtzan.sono)
for file in "${module[@]}"; do
  [ -f "$wasm_dir/$file" ] || { echo "build-npm: $wasm_dir/$file is missing: run tools/build-wasm.sh" >&2; exit 1; }
done
version=$(sed -n 's/^project(sonotype VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

stage="$out/package"
rm -rf "$stage" "$out"/sonotype-*.tgz
mkdir -p "$stage"
cp "${module[@]/#/$wasm_dir/}" "$stage/"
cp web/decode.js web/wav.js "$stage/"
cp wasm/npm/*.js wasm/npm/*.d.ts wasm/npm/README.md LICENSE "$stage/"
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" wasm/npm/package.json >"$stage/package.json"

tarball=$(cd "$out" && npm pack ./package --silent)
echo "$(cd "$out" && pwd)/$tarball"
