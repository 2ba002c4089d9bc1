"""Shared set-up of the Python tests (pytest, run by ctest as python.<file>).

They import the `sonotype` module from the build tree (SONOTYPE_PYTHON_DIR, set by
tests/CMakeLists.txt) and compare it with independent truths: librosa 0.8.1's references and the
Kaggle tables in ../shared, soundfile's decoding, and the `sonotype` command line.
Tests that need ../shared skip with "SKIPPED (no ../shared)" without it, and fail under CI=true.
"""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

SOURCE_DIR = Path(os.environ.get("SONOTYPE_SOURCE_DIR", Path(__file__).resolve().parents[2]))
sys.path.insert(0, os.environ.get("SONOTYPE_PYTHON_DIR", str(SOURCE_DIR / "build" / "native" / "python")))
CLI = os.environ.get("SONOTYPE_CLI", str(SOURCE_DIR / "build" / "native" / "sonotype"))
_SHARED = Path(os.environ.get("SONOTYPE_SHARED_DIR", SOURCE_DIR.parent / "shared"))

# The clips of ../shared/reference/librosa-0.8.1, synthetic and GTZAN.
REFERENCE_NAMES = [
    "synthetic_tones_chirp_clicks_10s", "synthetic_short_0p2s", "synthetic_silence_5s",
    "synthetic_white_noise_5s", "blues.00000", "blues.00000.seg0", "classical.00000",
    "classical.00000.seg0", "rock.00000", "rock.00000.seg0",
]
CORRUPT_CLIP = "jazz.00054.wav"  # GTZAN ships it broken


def shared_dir():
    """../shared, or skip the test (fail under CI=true) when it is missing."""
    if _SHARED.is_dir():
        return _SHARED
    if os.environ.get("CI") == "true":
        pytest.fail(f"{_SHARED} is missing and CI=true")
    pytest.skip("SKIPPED (no ../shared)")


@pytest.fixture
def shared():
    return shared_dir()


def dev_audio():
    return shared_dir() / "data" / "gtzan" / "dev_audio"


def dev_clips():
    """The readable GTZAN dev clips, sorted."""
    return sorted(p for p in dev_audio().glob("*.wav") if p.name != CORRUPT_CLIP)


def reference(name):
    with open(shared_dir() / "reference" / "librosa-0.8.1" / f"{name}.json") as f:
        return json.load(f)


def array(ref):
    """A reference array {"shape", "data"} as numpy."""
    return np.asarray(ref["data"], dtype=np.float64).reshape(ref["shape"])


def reference_audio(name):
    """The audio a reference was made from, decoded by soundfile (librosa 0.8.1's reader)."""
    shared = shared_dir()
    clip, _, segment = name.partition(".seg")
    path = shared / "reference" / "librosa-0.8.1" / "inputs" / f"{name}.wav"
    if not path.exists():
        path = shared / "data" / "gtzan" / "dev_audio" / f"{clip}.wav"
    y, sr = soundfile.read(path, dtype="float32")
    assert sr == 22050
    return y[:66149] if segment else y


def feature_table(name):
    """A Kaggle-schema table from ../shared/data/gtzan as {filename: row dict} and its columns."""
    with open(shared_dir() / "data" / "gtzan" / name, newline="") as f:
        rows = list(csv.DictReader(f))
    return {r["filename"]: r for r in rows}, list(rows[0].keys())


def column_std():
    """The population standard deviation of each feature column of features_30_sec.csv: the floor
    of the acceptance tolerance 1e-4 max(|reference|, column std) that the C++ parity tests use."""
    rows, columns = feature_table("features_30_sec.csv")
    names = columns[2:-1]
    values = np.array([[float(r[c]) for c in names] for r in rows.values()])
    return dict(zip(names, values.std(axis=0)))


def run_cli(*args, check=True):
    """`sonotype ARGS...`: the completed process, with text output."""
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, check=check)
