#!/usr/bin/env bash
# Builds the WebAssembly module and serves the page locally:
#   tools/serve.sh            -> http://127.0.0.1:8080/
#   PORT=9000 tools/serve.sh  -> http://127.0.0.1:9000/
# web/ plus web/build/ is the whole site; any static file server would do.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
tools/build-wasm.sh
exec node tools/static-server.mjs web "${PORT:-8080}"
