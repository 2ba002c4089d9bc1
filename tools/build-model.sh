#!/usr/bin/env bash
# (Re)builds the model blobs from tools/train.py's exports with `sonotype convert --dtype f16`
# (convert checks each blob against its JSON's golden outputs): models/gtzan.sono, the default,
# from models/gtzan.json, and models/NAME.sono from each build/models/NAME.json (the other
# recipes, for `sonotype classify --model NAME` and the page's model list, models/index.json).
# Prints each blob's size with f32 and f16 weights; fails when the default's f16 blob exceeds the
# page's 150 KB budget. Blobs over the budget are CLI-only (index.json has them "page": false)
# and are not committed (models/.gitignore lists them): one rule, the page's budget, decides both
# what the page offers and what the repository carries; `classify --model NAME` finds them once
# this script has built them, and the CLI test skips those not built.
#   SONOTYPE (default: build/native/sonotype, built if missing) chooses the executable.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly max_bytes=150000
[ -f models/gtzan.json ] || { echo "build-model: models/gtzan.json not found: run /usr/bin/python3 tools/train.py first" >&2; exit 1; }

sonotype="${SONOTYPE:-build/native/sonotype}"
if [ -z "${SONOTYPE:-}" ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native --target sonotype -j2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/oversize"
# convert JSON NAME: writes models/NAME.sono (f16); prints the sizes.
convert() {
  # The f32 blob holds every model to the parity rule (each golden probability within 1e-5 of
  # scikit-learn's) and gives the size report; the page's f16 blob is checked on its labels.
  local f32 f16
  "$sonotype" convert "$1" "$tmp/$2.f32.sono" --dtype f32 | sed -n '2,$p' | grep -v "stored"
  f32=$(stat -c %s "$tmp/$2.f32.sono")
  "$sonotype" convert "$1" "$tmp/$2.f16.sono" --dtype f16 > /dev/null
  f16=$(stat -c %s "$tmp/$2.f16.sono")
  echo "size report: $2: f32 weights $f32 bytes, f16 weights $f16 bytes (page limit $max_bytes)"
  if [ "$2" = gtzan ] && [ "$f16" -gt "$max_bytes" ]; then
    echo "build-model: the default's f16 blob ($f16 bytes) exceeds $max_bytes bytes; models/gtzan.sono left unchanged" >&2
    exit 1
  fi
  [ "$f16" -gt "$max_bytes" ] && echo "$2.sono" >> "$tmp/oversize"
  cp "$tmp/$2.f16.sono" "models/$2.sono"
  echo "wrote models/$2.sono"
}
convert models/gtzan.json gtzan
for json in build/models/*.json; do
  [ -e "$json" ] && convert "$json" "$(basename "$json" .json)"
done
{ echo "# Written by tools/build-model.sh: blobs over the page's 150 KB budget, too big to commit."; cat "$tmp/oversize"; } > models/.gitignore
