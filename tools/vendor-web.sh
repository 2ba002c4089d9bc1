#!/usr/bin/env bash
# Copies the libraries the page ships (tools/web-vendor/package.json, installed by
# tools/install-deps.sh) into web/build/, next to the module, so that the site stays static and
# works offline: fflate's ES-module build (the playlists' .zip) and its licence.
set -euo pipefail
cd "$(dirname "$0")/.."

from=tools/web-vendor/node_modules/fflate
if [ ! -f "$from/esm/browser.js" ]; then
  echo "vendor-web: $from is missing: run tools/install-deps.sh" >&2
  exit 1
fi
mkdir -p web/build
cp "$from/esm/browser.js" web/build/fflate.js
cp "$from/LICENSE" web/build/fflate.LICENSE
