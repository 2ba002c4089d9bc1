#!/usr/bin/env bash
# (Re)builds the default model, models/gtzan.sono, from models/gtzan.json (written by
# tools/train.py) with `sonotype convert --dtype f16`, and prints the default-size report: the
# blob's size with f32 and with f16 weights. Fails when conversion fails (convert checks the
# blob against the JSON's golden outputs) or when the f16 blob exceeds 150 KB.
#   SONOTYPE (default: build/native/sonotype, built if missing) chooses the executable.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly json=models/gtzan.json out=models/gtzan.sono max_bytes=150000
[ -f "$json" ] || { echo "build-model: $json not found: run /usr/bin/python3 tools/train.py first" >&2; exit 1; }

sonotype="${SONOTYPE:-build/native/sonotype}"
if [ -z "${SONOTYPE:-}" ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native --target sonotype -j"$(nproc)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sonotype" convert "$json" "$tmp/gtzan.f32.sono" --dtype f32
"$sonotype" convert "$json" "$tmp/gtzan.f16.sono" --dtype f16
f32=$(stat -c %s "$tmp/gtzan.f32.sono")
f16=$(stat -c %s "$tmp/gtzan.f16.sono")
echo "default-size report: f32 weights $f32 bytes, f16 weights $f16 bytes (limit $max_bytes)"
if [ "$f16" -gt "$max_bytes" ]; then
  echo "build-model: the f16 blob ($f16 bytes) exceeds $max_bytes bytes; $out left unchanged" >&2
  exit 1
fi
cp "$tmp/gtzan.f16.sono" "$out"
echo "wrote $out"
