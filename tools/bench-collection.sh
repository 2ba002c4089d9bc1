#!/usr/bin/env bash
# The collection benchmark of the command line (prints figures; not a test): songs per minute for
# `sonotype classify -j N` on a folder of 100 three-minute 44.1-kHz stereo MP3s, the folder that
# the page's collection benchmark uses too.
#   COLLECTION_DIR  where the folder is made once, from ../shared's dev clips (default
#                   /tmp/sonotype-collection-100; never inside the repository)
#   JOBS            files worked on at once (default: the number of cores)
#   SONOTYPE_CLI    the executable (default build/native/sonotype)
# Five different songs (six dev clips each, one after another) are encoded and copied to make
# 100 files: copies cost classify the same work as different songs, and encoding is slow.
set -euo pipefail
cd "$(dirname "$0")/.."

cli="${SONOTYPE_CLI:-build/native/sonotype}"
dir="${COLLECTION_DIR:-/tmp/sonotype-collection-100}"
jobs="${JOBS:-$(nproc)}"
shared="${SONOTYPE_SHARED_DIR:-../shared}"

if [ ! -f "$dir/.complete" ]; then
  mkdir -p "$dir"
  mapfile -t clips < <(ls "$shared"/data/gtzan/dev_audio/*.wav | grep -v jazz.00054)
  for song in 0 1 2 3 4; do
    inputs=()
    for k in 0 1 2 3 4 5; do inputs+=(-i "${clips[$(( (song * 5 + k * 7) % ${#clips[@]} ))]}"); done
    nice ffmpeg -loglevel error -y "${inputs[@]}" -filter_complex "concat=n=6:v=0:a=1" \
      -ar 44100 -ac 2 -c:a libmp3lame -b:a 192k "$dir/song $song.0.mp3"
    for copy in $(seq 1 19); do cp "$dir/song $song.0.mp3" "$dir/song $song.$copy.mp3"; done
  done
  touch "$dir/.complete"
fi

count=$(find "$dir" -name '*.mp3' | wc -l)
started=$(date +%s.%N)
"$cli" classify --format csv -j "$jobs" "$dir" > /dev/null
ended=$(date +%s.%N)
awk -v n="$count" -v s="$started" -v e="$ended" -v j="$jobs" \
  'BEGIN { printf "classify -j %d: %d three-minute MP3s in %.1f s: %.1f songs per minute\n", j, n, e - s, n / (e - s) * 60 }'
