#!/usr/bin/env bash
# The 57 features of the MER-4Q clips that have a GTZAN genre (../shared/data/mer4q/labels.csv,
# column gtzan_genre), computed once with `sonotype features` and cached in
# build/mer4q/features_30_sec.csv for tools/train.py's protocols (c) and (d). Two files at once,
# niced: the machine is shared. SONOTYPE chooses the executable (default build/native/sonotype).
set -euo pipefail
cd "$(dirname "$0")/.."
readonly out=build/mer4q/features_30_sec.csv labels=../shared/data/mer4q/labels.csv
[ -f "$out" ] && { echo "mer4q-features: $out exists (delete it to recompute)"; exit 0; }
[ -f "$labels" ] || { echo "mer4q-features: $labels not found (../shared is missing)" >&2; exit 1; }
mkdir -p build/mer4q
mapfile -t files < <(/usr/bin/python3 -c '
import csv, sys
for row in csv.DictReader(open(sys.argv[1])):
    if row["gtzan_genre"]: print("../shared/data/mer4q/" + row["file"])' "$labels")
nice "${SONOTYPE:-build/native/sonotype}" features -j2 "${files[@]}" > "$out.tmp"
mv "$out.tmp" "$out"
echo "mer4q-features: ${#files[@]} clips -> $out"
