"""sonotype.load equals librosa 0.8.1's librosa.load: soundfile's decoding (the reader librosa
uses), np.mean over channels in float32, and resampy's kaiser_best resampling to ceil(n * ratio)
samples."""
import numpy as np
import pytest
import resampy
import soundfile

import sonotype
from conftest import dev_clips

# core/audio's kaiser_best equals resampy's to float32 rounding (the C++ tests hold it to 1e-6).
RESAMPLED_TOLERANCE = 1e-6


def test_wav_at_22050_hz_is_read_exactly(shared):
    for path in dev_clips()[::9]:
        y, sr = sonotype.load(path)
        expected, _ = soundfile.read(path, dtype="float32")
        assert sr == 22050 and y.dtype == np.float32
        assert np.array_equal(y, expected), path


def stereo_44k(tmp_path):
    path = tmp_path / "stereo 44.1 kHz.wav"
    t = np.arange(44100 * 3) / 44100
    left = 0.4 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 9000 * t)
    right = 0.3 * np.sin(2 * np.pi * 660 * t)
    soundfile.write(path, np.stack([left, right], axis=1).astype(np.float32), 44100, subtype="FLOAT")
    return path


def test_channels_are_averaged(tmp_path):
    path = tmp_path / "stereo.wav"
    data = np.random.default_rng(1).uniform(-0.5, 0.5, (22050, 2)).astype(np.float32)
    soundfile.write(path, data, 22050, subtype="FLOAT")
    y, sr = sonotype.load(path)
    assert sr == 22050
    assert np.array_equal(y, np.mean(data.T, axis=0))  # librosa.to_mono


def test_resampling_to_22050_hz(tmp_path):
    path = stereo_44k(tmp_path)
    y, sr = sonotype.load(path)
    mono = np.mean(soundfile.read(path, dtype="float32")[0].T, axis=0)
    expected = resampy.resample(mono, 44100, 22050, filter="kaiser_best")
    assert sr == 22050 and y.dtype == np.float32
    assert len(y) == int(np.ceil(len(mono) * 22050 / 44100))
    assert np.abs(y - expected[: len(y)]).max() <= RESAMPLED_TOLERANCE


def test_files_that_cannot_be_read_raise_value_error_naming_them(tmp_path):
    with pytest.raises(ValueError, match=f"^{tmp_path}/missing.wav: "):
        sonotype.load(tmp_path / "missing.wav")
    text = tmp_path / "not audio, 'really'.mp3"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not audio, 'really'.mp3: "):
        sonotype.load(str(text))
    with pytest.raises(ValueError, match="positive"):
        sonotype.load(text, sr=0)
