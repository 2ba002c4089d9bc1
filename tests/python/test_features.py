"""sonotype.gtzan_features equals librosa 0.8.1's references and the Kaggle tables, within the
acceptance tolerance 1e-4 max(|reference|, column std), with the tempo equal."""
import numpy as np
import pytest
import soundfile

import sonotype
from conftest import REFERENCE_NAMES, column_std, dev_clips, feature_table, reference, reference_audio, run_cli


def assert_row_close(ours, expected, stds, what):
    for name in sonotype.FEATURE_NAMES:
        if name == "tempo":  # a discrete choice of autocorrelation lag: equal or wrong
            assert ours[name] == pytest.approx(expected[name], rel=1e-9, abs=1e-12), f"{what} tempo"
            continue
        tolerance = 1e-4 * max(abs(expected[name]), stds[name])
        assert abs(ours[name] - expected[name]) <= tolerance, f"{what} {name}: {ours[name]} vs {expected[name]}"


def test_names_are_the_kaggle_columns(shared):
    _, columns = feature_table("features_30_sec.csv")
    assert list(sonotype.FEATURE_NAMES) == columns[2:-1]


@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_features_equal_librosa_references(name):
    ref = reference(name)
    ours = sonotype.gtzan_features(reference_audio(name))
    assert list(ours) == list(sonotype.FEATURE_NAMES)
    assert_row_close(ours, ref["gtzan57"], column_std(), name)


def test_features_equal_the_30_s_table_and_the_array_form(shared):
    table, _ = feature_table("features_30_sec.csv")
    stds = column_std()
    for path in dev_clips()[::6]:
        y, _ = soundfile.read(path, dtype="float32")
        ours = sonotype.gtzan_features(y)
        assert_row_close(ours, {k: float(v) for k, v in table[path.name].items() if k in ours}, stds, path.name)
        vector = sonotype.gtzan_features(y, as_array=True)
        assert vector.shape == (57,) and vector.dtype == np.float64
        assert list(vector) == list(ours.values())


def test_segments_equal_the_3_s_table(shared):
    table, _ = feature_table("dev_features_3_sec.csv")
    stds = column_std()
    for path in dev_clips()[::12]:
        y, _ = soundfile.read(path, dtype="float32")
        rows = sonotype.gtzan_features(y, segments=3)
        assert len(rows) == 10  # 661794 samples: ten whole 66149-sample segments
        for d, ours in enumerate(rows):
            name = f"{path.stem}.{d}.wav"
            assert_row_close(ours, {k: float(v) for k, v in table[name].items() if k in ours}, stds, name)
        matrix = sonotype.gtzan_features(y, segments=3, as_array=True)
        assert matrix.shape == (10, 57)
        assert matrix.tolist() == [list(r.values()) for r in rows]


def test_bad_audio_raises_value_error_with_the_cli_message(tmp_path):
    with pytest.raises(ValueError, match="^audio is empty$"):
        sonotype.gtzan_features(np.zeros(0, np.float32))
    y = np.zeros(22050, np.float32)
    y[100] = np.nan
    with pytest.raises(ValueError, match=r"^audio contains non-finite samples \(NaN or Inf\)$"):
        sonotype.gtzan_features(y)
    with pytest.raises(ValueError, match="22050 Hz, not 44100 Hz"):
        sonotype.gtzan_features(np.zeros(44100, np.float32), 44100)
    with pytest.raises(ValueError, match="mono"):
        sonotype.gtzan_features(np.zeros((2, 22050), np.float32))

    # Too short for one 3-s segment: the message `sonotype features --segments 3` gives.
    short = tmp_path / "short, 'one' second.wav"
    soundfile.write(short, np.full(22050, 0.1, np.float32), 22050, subtype="PCM_16")
    cli = run_cli("features", "--segments", "3", short, check=False)
    assert cli.returncode == 1
    with pytest.raises(ValueError) as error:
        sonotype.gtzan_features(sonotype.load(str(short))[0], segments=3)
    assert f"sonotype features: {short}: {error.value}\n" in cli.stderr
