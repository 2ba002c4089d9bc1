"""The building blocks (stft, melspectrogram, mfcc, chroma_stft, hpss, onset_strength, tempo)
equal librosa 0.8.1's reference arrays, with librosa's shapes and dtypes. Tolerances are those of
the C++ tests of the same core functions (tests/unit/*_test.cpp), relative to the clip's largest
value."""
import numpy as np
import pytest

import sonotype
from conftest import REFERENCE_NAMES, array, reference, reference_audio


def max_error(ours, ref, scale=None):
    ours = np.asarray(ours, np.float64).reshape(ref.shape)
    scale = scale or max(np.abs(ref).max(), 1e-30)
    return np.abs(ours - ref).max() / scale


@pytest.fixture(params=REFERENCE_NAMES)
def clip(request):
    return request.param, reference(request.param), reference_audio(request.param)


def test_stft(clip):
    name, ref, y = clip
    D = sonotype.stft(y)
    assert D.dtype == np.complex64 and D.shape == (1025, ref["n_frames"])
    assert not D.flags.owndata and D.flags.f_contiguous  # the core's buffer, Fortran-ordered like librosa's
    first = array(ref["stft_magnitude_first_frames"])
    assert max_error(np.abs(D[:, :3]), first, max(1e-3, first.max())) <= 1e-6, name
    sums = array(ref["stft_magnitude_frame_sums"])
    assert np.all(np.abs(np.abs(D).sum(axis=0, dtype=np.float64) - sums) <= 1e-5 * np.maximum(1, sums)), name


def test_melspectrogram_and_mfcc(clip):
    name, ref, y = clip
    mel = sonotype.melspectrogram(y=y)
    assert mel.dtype == np.float32 and mel.shape == (128, ref["n_frames"])
    # np.mean(S, axis=1) in float32 sums in memory order: librosa's S is C-ordered, ours Fortran.
    assert max_error(np.ascontiguousarray(mel).mean(axis=1), array(ref["mel_band_means"])) <= 1e-6, name
    if "melspectrogram" in ref:
        assert max_error(mel, array(ref["melspectrogram"])) <= 1e-6, name
    # From a power spectrogram, as librosa's S= argument takes it: the same to float32 rounding
    # (numpy's |D| ** 2 rounds differently from the core's re^2 + im^2 on CPUs where numpy's abs
    # takes its AVX-512 path).
    power = np.abs(sonotype.stft(y)) ** 2
    assert max_error(sonotype.melspectrogram(S=power), np.asarray(mel, np.float64)) <= 1e-6, name

    coefficients = sonotype.mfcc(y=y)
    assert coefficients.dtype == np.float32 and coefficients.shape == (20, ref["n_frames"])
    assert max_error(coefficients, array(ref["mfcc"])) <= 1e-6, name
    assert sonotype.mfcc(y=y, n_mfcc=13).shape == (13, ref["n_frames"])


def test_chroma_stft(clip):
    name, ref, y = clip
    chroma = sonotype.chroma_stft(y=y)
    assert chroma.dtype == np.float32 and chroma.shape == (12, ref["n_frames"])
    assert max_error(chroma, array(ref["chroma_stft"]), 1.0) <= 1e-5, name


def test_onset_strength_and_tempo(clip):
    name, ref, y = clip
    envelope = sonotype.onset_strength(y=y)
    expected = array(ref["onset_strength"])
    assert envelope.dtype == np.float32 and envelope.shape == expected.shape
    assert np.abs(envelope - expected).max() <= 1e-5 * max(1.0, np.abs(expected).max()), name

    # The references' tempo is beat_track's, which is librosa.beat.tempo(y) unless the (median)
    # onset envelope is all zero (silence, or a clip shorter than a few frames): then beat_track says 0.
    tempo = sonotype.tempo(y=y)
    assert tempo.shape == (1,) and tempo.dtype == np.float64
    if sonotype.onset_strength(y=y, aggregate=np.median).any():
        assert tempo[0] == pytest.approx(ref["tempo"], rel=1e-9), name
        assert sonotype.tempo(onset_envelope=sonotype.onset_strength(y=y, aggregate="median"))[0] == tempo[0]
    else:
        assert ref["tempo"] == 0


def test_hpss(clip):
    name, ref, y = clip
    harmonic, percussive = sonotype.hpss(y)
    for part, waveform in (("harmonic", harmonic), ("percussive", percussive)):
        assert waveform.dtype == np.float32 and waveform.shape == y.shape
        first = array(ref[part]["first_samples"])
        assert np.all(np.abs(waveform[: len(first)] - first) <= 2e-7 + 1e-6 * np.abs(first)), f"{name} {part}"
        assert float(np.var(waveform)) == pytest.approx(ref[part]["var"], rel=1e-6), f"{name} {part}"


def test_hpss_of_a_spectrogram_splits_it():
    # librosa.decompose.hpss(D) with masks: the soft masks sum to 1, so H + P is D; a steady tone
    # is harmonic and a click train percussive.
    sr, n = 22050, 22050 * 2
    t = np.arange(n) / sr
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    clicks = np.zeros(n, np.float32)
    clicks[::4410] = 1.0
    D = sonotype.stft(tone + clicks)
    H, P = sonotype.hpss(D)
    assert H.dtype == np.complex64 and H.shape == D.shape
    assert np.abs(H + P - D).max() <= 1e-5 * np.abs(D).max()
    bin_440 = round(440 * 2048 / sr)
    assert np.abs(H[bin_440]).sum() > 10 * np.abs(P[bin_440]).sum()
    assert np.abs(P[800]).sum() > 10 * np.abs(H[800]).sum()  # far above the tone: only clicks


def test_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="^audio is empty$"):
        sonotype.stft(np.zeros(0, np.float32))
    with pytest.raises(ValueError, match="non-finite"):
        sonotype.mfcc(y=np.full(4096, np.inf, np.float32))
    with pytest.raises(ValueError, match="either"):
        sonotype.melspectrogram()
    with pytest.raises(ValueError, match="n_fft"):
        sonotype.stft(np.zeros(4096, np.float32), n_fft=1023)
    with pytest.raises(ValueError, match="aggregate"):
        sonotype.onset_strength(y=np.zeros(4096, np.float32), aggregate=np.max)
