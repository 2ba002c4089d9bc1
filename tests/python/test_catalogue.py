"""tools/catalogue.py on a LocalCluster of 2 workers, over 30 files of which 2 are bad, gives the
rows of `sonotype classify --format csv`, resumes an interrupted output, and computes the rows
of `sonotype features`. One cluster serves every run (starting one takes seconds)."""
import csv
import io
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile

from conftest import CORRUPT_CLIP, SOURCE_DIR, dev_audio, dev_clips, run_cli

CATALOGUE = SOURCE_DIR / "tools" / "catalogue.py"


@pytest.fixture(scope="module")
def scheduler():
    # Spawned workers import sonotype (to unpickle the model) from the test's module folder.
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """28 readable clips (some under names with spaces, quotes, commas and non-ASCII letters),
    the corrupt GTZAN clip and a 1-s file too short to classify."""
    folder = tmp_path_factory.mktemp("catalogue")
    clips = dev_clips()[:28]
    odd = ["a song, \"live\".wav", "it's ünïcode.wav", "two  spaces.wav"]
    for name, clip in zip(odd, clips):
        (folder / name).symlink_to(clip)
    short = folder / "short.wav"
    soundfile.write(short, np.full(22050, 0.2, np.float32), 22050, subtype="PCM_16")
    return [str(folder / n) for n in odd] + [str(c) for c in clips[len(odd):]] + [str(dev_audio() / CORRUPT_CLIP), str(short)]


def cli_rows(files):
    """`sonotype classify --format csv` of the files: header and rows."""
    rows = list(csv.reader(io.StringIO(run_cli("classify", "--format", "csv", "-j", "2", *files, check=False).stdout)))
    return rows[0], rows[1:]


def catalogue(*args):
    return subprocess.run([sys.executable, str(CATALOGUE), *map(str, args)], capture_output=True, text=True)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def assert_same_rows(ours, expected, numeric_columns):
    """Each file once, with the same cells; numbers equal to the six decimals the CSV keeps."""
    assert sorted(r[0] for r in ours) == sorted(r[0] for r in expected)  # each file once
    by_path = {r[0]: r for r in ours}
    for row in expected:
        mine = by_path[row[0]]
        assert len(mine) == len(row), row[0]
        for c, (a, b) in enumerate(zip(mine, row)):
            if c in numeric_columns and b != "":
                assert float(a) == pytest.approx(float(b), rel=0, abs=5e-7), (row[0], c)  # six decimals
            else:
                assert a == b, (row[0], c)


def test_catalogue_equals_the_cli_and_resumes(scheduler, files, tmp_path):
    header, expected = cli_rows(files)
    error = header.index("error")  # after the genres' probabilities; novelty and novel follow it
    numeric = {2, *range(4, error), header.index("novelty")}
    assert len(files) == 30 and sum(r[error] != "" for r in expected) == 2

    out = tmp_path / "genres.csv"
    run = catalogue("--scheduler", scheduler, "--output", out, *files)
    assert run.returncode == 1, run.stderr  # two files failed
    assert "30 files to do" in run.stderr and "30 files done, 2 failed" in run.stderr
    ours_header, ours = read_csv(out)
    assert ours_header == header
    assert_same_rows(ours, expected, numeric)

    # Interrupted after 26 rows, in the middle of the 27th: the run resumes with the other 4.
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:27]) + lines[27][:25], encoding="utf-8")
    run = catalogue("--scheduler", scheduler, "--output", out, *files)
    assert "4 files to do, 26 already in" in run.stderr, run.stderr
    resumed = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert resumed[:27] == lines[:27]
    assert_same_rows(read_csv(out)[1], expected, numeric)

    # Finished: a third run has nothing to do.
    run = catalogue("--scheduler", scheduler, "--output", out, *files)
    assert run.returncode == 0 and "0 files to do, 30 already in" in run.stderr


def test_catalogue_features_equal_the_cli(scheduler, files, tmp_path):
    chosen = files[3:5] + files[-2:]  # two clips, the corrupt one and the short one
    for segments in ([], ["--segments", "3"]):
        cli = run_cli("features", *segments, *chosen, check=False)
        expected = list(csv.reader(io.StringIO(cli.stdout)))
        out = tmp_path / f"features{len(segments)}.csv"
        run = catalogue("--scheduler", scheduler, "--features", *segments, "--output", out, *chosen)
        header, rows = read_csv(out)
        assert header == ["path", *expected[0], "error"]
        good = [r for r in rows if r[-1] == ""]
        assert sorted(r[1:-1] for r in good) == sorted(expected[1:])
        errors = {r[0]: r[-1] for r in rows if r[-1] != ""}
        # The whole-clip features of a 1-s file are defined; its 3-s segments are not.
        assert set(errors) == ({files[-2], files[-1]} if segments else {files[-2]})
        for path, message in errors.items():
            assert f"sonotype features: {message}\n" in cli.stderr
        assert run.returncode == 1
