#!/usr/bin/python3
"""Benchmarks of the Python module and tools/catalogue.py (numbers, not a test):

  1. sonotype.gtzan_features on a 30-s clip against librosa 0.8.1's same 57 features, in this
     process, as a ratio (needs the librosa 0.8.1 oracle: --librosa, default /tmp/librosa_oracle.py);
  2. gtzan_features of the dev clips on 4 threads against 1 (the GIL is released while it computes);
  3. tools/catalogue.py's files per second on a LocalCluster of 2 workers against
     `sonotype classify -j 2` over the same files.

    /usr/bin/python3 tools/bench-python.py [--shared ../shared] [--runs 5]

Run it with `nice` on a shared machine, and read its numbers as noisy there.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "native" / "python"))
import sonotype  # noqa: E402

CLI = ROOT / "build" / "native" / "sonotype"


def best_and_median(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def librosa_gtzan_features(librosa, y, sr=22050):
    """The Kaggle table's 57 columns with librosa's default arguments (../shared/README.md)."""
    columns = []
    for frames in (librosa.feature.chroma_stft(y=y, sr=sr), librosa.feature.rms(y=y),
                   librosa.feature.spectral_centroid(y=y, sr=sr), librosa.feature.spectral_bandwidth(y=y, sr=sr),
                   librosa.feature.spectral_rolloff(y=y, sr=sr), librosa.feature.zero_crossing_rate(y)):
        columns += [np.mean(frames), np.var(frames)]
    harmonic, percussive = librosa.effects.hpss(y)
    columns += [np.mean(harmonic), np.var(harmonic), np.mean(percussive), np.var(percussive)]
    columns.append(librosa.beat.beat_track(y=y, sr=sr)[0])
    for row in librosa.feature.mfcc(y=y, sr=sr):
        columns += [np.mean(row), np.var(row)]
    return np.array(columns, dtype=np.float64)


def bench_against_librosa(clip, runs, oracle):
    y, _ = sonotype.load(clip)
    ours_best, ours_median = best_and_median(lambda: sonotype.gtzan_features(y), runs)
    print(f"gtzan_features, 30-s clip ({clip.name}): best {ours_best * 1e3:.1f} ms, median {ours_median * 1e3:.1f} ms")
    if not oracle.exists():
        print(f"  librosa 0.8.1: not measured ({oracle} not found)")
        return
    namespace = {}
    exec(oracle.read_text(), namespace)
    librosa = namespace["librosa"]
    ours = sonotype.gtzan_features(y, as_array=True)
    theirs = librosa_gtzan_features(librosa, y)
    worst = np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-12))
    lib_best, lib_median = best_and_median(lambda: librosa_gtzan_features(librosa, y), max(1, runs // 2))
    print(f"  librosa {librosa.__version__}: best {lib_best * 1e3:.0f} ms, median {lib_median * 1e3:.0f} ms"
          f" -> sonotype is {lib_median / ours_median:.1f}x faster (medians); largest relative difference {worst:.1e}")


def wall_and_cores(fn):
    """Wall-clock seconds of fn() and the cores it kept busy (process CPU time / wall time)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu / wall


def bench_threads(clips, runs):
    songs = [sonotype.load(c)[0] for c in clips]
    with ThreadPoolExecutor(4) as pool:
        one = min((wall_and_cores(lambda: [sonotype.gtzan_features(y) for y in songs]) for _ in range(runs)))
        four = min((wall_and_cores(lambda: list(pool.map(sonotype.gtzan_features, songs))) for _ in range(runs)))
    print(f"gtzan_features of {len(songs)} clips: 1 thread {one[0]:.2f} s ({one[1]:.2f} cores busy),"
          f" 4 threads {four[0]:.2f} s ({four[1]:.2f} cores busy) -> {one[0] / four[0]:.2f}x on {os.cpu_count()} cores")


def bench_catalogue(clips):
    files = [str(c) for c in clips]
    start = time.perf_counter()
    subprocess.run([str(CLI), "classify", "-j", "2", *files], check=True, capture_output=True)
    cli = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        run = subprocess.run([sys.executable, str(ROOT / "tools" / "catalogue.py"), "--workers", "2",
                              "--output", os.path.join(tmp, "out.csv"), *files], capture_output=True, text=True)
        catalogue = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"catalogue failed:\n{run.stderr}")
    [steady] = [line for line in run.stderr.splitlines() if " files done, " in line]  # "..., R files/s"
    print(f"classify {len(files)} files: `sonotype classify -j 2` {len(files) / cli:.2f} files/s;"
          f" catalogue on 2 workers {len(files) / catalogue:.2f} files/s with the cluster's start-up"
          f" ({steady.split(', ')[-1]} once running)")


def main():
    parser = argparse.ArgumentParser(description="Benchmarks of the Python module and the catalogue")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--librosa", type=Path, default=Path("/tmp/librosa_oracle.py"), help="the oracle's import helper")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    dev = args.shared / "data" / "gtzan" / "dev_audio"
    clips = sorted(p for p in dev.glob("*.wav") if p.name != "jazz.00054.wav")  # that one is corrupt
    if not clips:
        sys.exit(f"no GTZAN dev clips in {dev}")
    print(f"(timings on a machine with {os.cpu_count()} cores; noisy when others share it)")
    bench_against_librosa(clips[0], args.runs, args.librosa)
    bench_threads(clips[:8], args.runs)
    bench_catalogue(clips)


if __name__ == "__main__":
    main()
