"""sonotype.Model.classify equals `sonotype classify --json`, and bad input gives the command
line's messages."""
import json

import numpy as np
import pytest
import soundfile

import sonotype
from conftest import CORRUPT_CLIP, SOURCE_DIR, dev_audio, dev_clips, run_cli


@pytest.fixture(scope="module")
def model():
    return sonotype.Model()


def cli_json(*files):
    return json.loads(run_cli("classify", "--json", *files, check=False).stdout)


def test_classify_equals_the_cli(model, tmp_path):
    clips = dev_clips()[::5]
    # A song of three clips (a little over 90 s): classified in several windows.
    long_song = tmp_path / "three clips.wav"
    soundfile.write(long_song, np.concatenate([soundfile.read(p, dtype="float32")[0] for p in clips[:3]]), 22050,
                    subtype="PCM_16")
    files = [*clips, long_song]
    report = cli_json(*files)
    assert model.labels == report["labels"]
    for path, expected in zip(files, report["files"]):
        y, sr = sonotype.load(path)
        ours = model.classify(y, sr)
        assert ours["genre"] == expected["genre"], path
        assert ours["probability"] == pytest.approx(expected["probability"], rel=1e-12)
        assert list(ours["proba"]) == model.labels
        assert ours["proba"] == pytest.approx(expected["proba"], rel=1e-12, abs=1e-15)
        assert ours["novelty"] == pytest.approx(expected["novelty"], rel=1e-12)
        assert len(ours["windows"]) == len(expected["windows"])
        for w, e in zip(ours["windows"], expected["windows"]):
            assert (w["start_s"], w["end_s"], w["genre"], w["silent"]) == (e["start_s"], e["end_s"], e["genre"], e["silent"])
            assert w["proba"] == pytest.approx(e["proba"], rel=1e-12, abs=1e-15)
            for name, proba in e["base"].items():
                assert w["base"][name] == pytest.approx(proba, rel=1e-12, abs=1e-15)
            assert w["features"] == pytest.approx(e["features"], rel=1e-12, abs=1e-15)
    assert len(report["files"][-1]["windows"]) > 1  # several windows, each compared above


def test_model_by_path_and_properties(model):
    by_path = sonotype.Model(SOURCE_DIR / "models" / "gtzan.sono")
    assert by_path.labels == model.labels and len(model.labels) == 10
    assert model.sample_rate == 22050 and model.window_seconds == pytest.approx(30, abs=0.1)


def messages(cli, path):
    """The CLI's messages about `path` (after its "sonotype classify: " prefix)."""
    return [line.removeprefix("sonotype classify: ") for line in cli.stderr.splitlines() if str(path) in line]


def test_bad_audio_gives_the_cli_messages(model, tmp_path):
    silent = tmp_path / "silence, \"quiet\".wav"
    soundfile.write(silent, np.zeros(22050 * 5, np.float32), 22050, subtype="PCM_16")
    short = tmp_path / "short ünïcode.wav"
    soundfile.write(short, np.full(22050, 0.25, np.float32), 22050, subtype="PCM_16")
    corrupt = dev_audio() / CORRUPT_CLIP
    cli = run_cli("classify", silent, short, corrupt, check=False)
    assert cli.returncode == 1

    for path in (silent, short):
        y, sr = sonotype.load(path)
        with pytest.raises(ValueError) as error:
            model.classify(y, sr)
        assert messages(cli, path) == [f"{path}: {error.value}"]
    with pytest.raises(ValueError) as error:
        sonotype.load(corrupt)
    assert messages(cli, corrupt) == [str(error.value)]

    y = np.full(22050 * 4, 0.1, np.float32)
    y[12345] = np.nan
    with pytest.raises(ValueError, match="^sample 12345 is not finite"):
        model.classify(y, 22050)
    with pytest.raises(ValueError, match="22050 Hz, not 16000 Hz"):
        model.classify(y, 16000)


def test_bad_models_give_the_cli_messages(tmp_path):
    broken = tmp_path / "broken.sono"
    broken.write_bytes((SOURCE_DIR / "models" / "gtzan.sono").read_bytes()[:1000])
    for path in (broken, tmp_path / "missing.sono"):
        cli = run_cli("classify", "--model", path, dev_clips()[0], check=False)
        assert cli.returncode == 1
        with pytest.raises(ValueError) as error:
            sonotype.Model(path)
        assert cli.stderr == f"sonotype classify: {error.value}\n"
    with pytest.raises(ValueError, match="no such file"):
        sonotype.Model("no-such-model")
