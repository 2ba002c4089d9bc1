#!/usr/bin/env bash
# How well a personal model learns a taxonomy of one's own from few songs (prints figures; not a
# test): `sonotype train`'s cross-validated accuracy on MER-4Q taxonomies (AllMusic genres, some
# that GTZAN lacks) with 5, 10, 15 and 20 songs per genre (the first N clips of each genre in
# labels.csv order, tools/mer4q_taxonomy.py), from one `sonotype features` pass over the clips.
#   tools/teach-accuracy.sh [FEATURES.csv]   (reuses a features table of ../shared/data/mer4q/audio)
#   SONOTYPE_SHARED_DIR (default ../shared) holds the clips.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SONOTYPE_SHARED_DIR:-$PWD/../shared}"
CLI="$PWD/build/native/sonotype"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
[ -x "$CLI" ] || { echo "teach-accuracy: build the native CLI first (see README)" >&2; exit 1; }
FEATURES="${1:-$WORK/features.csv}"
[ -f "$FEATURES" ] || "$CLI" features "$SHARED/data/mer4q/audio" > "$FEATURES"

# name|genres (each with at least 20 clips, except where a genre has fewer: then up to its count)
TAXONOMIES=(
  "GTZAN lacks two|Electronic R&B Reggae Jazz"
  "six AllMusic genres|Rap Jazz Reggae Country Blues R&B"
  "Pop/Rock against four|Pop/Rock Rap Jazz Country Blues"
)
for taxonomy in "${TAXONOMIES[@]}"; do
  name="${taxonomy%%|*}"
  read -r -a genres <<< "${taxonomy#*|}"
  for n in 5 10 15 20; do
    labels="$WORK/labels.csv"
    if ! /usr/bin/python3 tools/mer4q_taxonomy.py "$labels" "$n" "${genres[@]}" --mer "$SHARED/data/mer4q" 2> "$WORK/err"; then
      echo "$name, $n songs per genre: $(cat "$WORK/err")"
      continue
    fi
    chosen=$("$CLI" train --from-features "$FEATURES" --labels "$labels" -o "$WORK/model.sono" | grep '^Chosen:')
    echo "$name (${genres[*]}), $n songs per genre: ${chosen#Chosen: }"
  done
done
