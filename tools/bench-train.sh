#!/usr/bin/env bash
# The trainer's benchmark (prints figures; not a test), on the native build (build/native):
#  1. `sonotype train DIR` on 80 one-minute MP3 songs, decoding included: 4 MER-4Q genres x 20
#     songs, each two consecutive clips of its genre joined with ffmpeg (the halves repeat across
#     songs, so the accuracy it prints is optimistic: this measures time).
#  2. `sonotype train --from-features` on N songs (default 10000): rows of the GTZAN feature
#     table jittered by 5% of each column's spread, 10 genres; wall time and peak memory.
#  3. The WebAssembly module's train() in Node (tools/bench-train-wasm.mjs, the page's worker's
#     call) on 500 and N songs' features; wall time and the Node process's peak memory.
#   SONOTYPE_SHARED_DIR (default ../shared) holds the clips and the table.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SONOTYPE_SHARED_DIR:-$PWD/../shared}"
CLI="$PWD/build/native/sonotype"
SONGS="${1:-10000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
[ -x "$CLI" ] || { echo "bench-train: build the native CLI first (see README)" >&2; exit 1; }

echo "== 80 one-minute songs (MP3), decoding included"
/usr/bin/python3 - "$SHARED/data/mer4q" "$WORK/songs" <<'PY'
import csv, pathlib, subprocess, sys
mer, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
rows = list(csv.DictReader(open(mer / "labels.csv", newline="")))
for genre in ["Jazz", "Reggae", "Rap", "Country"]:
    clips = [mer / r["file"] for r in rows if r["allmusic_genre"] == genre]
    (out / genre).mkdir(parents=True)
    for i in range(20):
        a, b = clips[i % len(clips)], clips[(i + 1) % len(clips)]
        subprocess.run(["ffmpeg", "-v", "error", "-i", str(a), "-i", str(b), "-filter_complex",
                        "[0:a][1:a]concat=n=2:v=0:a=1,aresample=44100", "-ac", "2", "-b:a", "128k",
                        str(out / genre / f"song {i:02d}.mp3")], check=True)
PY
/usr/bin/time -f "wall %e s, peak memory %M KB" "$CLI" train "$WORK/songs" -o "$WORK/songs.sono" | tail -n 4

echo "== $SONGS songs from features"
/usr/bin/python3 - "$SHARED/data/gtzan/features_30_sec.csv" "$WORK/features.csv" "$SONGS" <<'PY'
import sys
import numpy as np
import pandas as pd
table = pd.read_csv(sys.argv[1])
n = int(sys.argv[3])
columns = [c for c in table.columns if c not in ("filename", "length", "label")]
rng = np.random.default_rng(12)
rows = table.iloc[rng.integers(0, len(table), n)].reset_index(drop=True)
X = rows[columns].to_numpy()
X = X + rng.normal(size=X.shape) * 0.05 * table[columns].to_numpy().std(axis=0)
out = pd.DataFrame(X, columns=columns)
out.insert(0, "length", 661794)
out.insert(0, "filename", [f"song{i:05d}.wav" for i in range(n)])
out["label"] = rows["label"]
out.to_csv(sys.argv[2], index=False)
PY
/usr/bin/time -f "wall %e s, peak memory %M KB" "$CLI" train --from-features "$WORK/features.csv" -o "$WORK/features.sono" |
  grep -E "^Cross|^Chosen|^Wrote"

echo "== the module's train() (the page's teach view), 500 and $SONGS songs from features"
/usr/bin/time -f "wall %e s, peak memory %M KB" node tools/bench-train-wasm.mjs 500 "$SONGS"
