#pragma once
// Windows and filter banks, after librosa.filters (librosa 0.8.1), with the frequency grids they are
// built on (librosa.core.convert: fft_frequencies, mel_frequencies, hz_to_mel, mel_to_hz).
//
// Filter banks are float32 matrices of shape (n_filters, 1 + n_fft/2), as librosa returns them, so
// that filter_bank * spectrogram maps a (1 + n_fft/2, n_frames) spectrogram to (n_filters, n_frames).
#include <Eigen/Core>
#include <cstddef>
#include <optional>
#include <vector>

namespace sonotype::filters {

// scipy.signal.get_window("hann", n, fftbins=True): the periodic Hann window
// 0.5 - 0.5 cos(2 pi i / n), i < n, in double precision. Shape (n,).
std::vector<double> get_window_hann(std::size_t n);

// np.linspace(start, stop, num) in numpy's arithmetic: i * step + start with
// step = (stop - start) / (num - 1), and exactly `stop` last. Shape (num,).
std::vector<double> linspace(double start, double stop, std::size_t num);

// librosa.fft_frequencies(sr, n_fft): the centre frequency of each rfft bin,
// linspace(0, sr/2, 1 + n_fft/2). Shape (1 + n_fft/2,).
std::vector<double> fft_frequencies(double sr, int n_fft);

// librosa.hz_to_mel / mel_to_hz with htk=False: Slaney's Auditory Toolbox scale, linear below
// 1 kHz (200/3 Hz per mel) and logarithmic above (27 mels per factor 6.4).
double hz_to_mel(double hz);
double mel_to_hz(double mel);

// librosa.mel_frequencies(n_mels, fmin, fmax, htk=False): n_mels frequencies (Hz) equally spaced
// on the Slaney mel scale from fmin to fmax inclusive. Shape (n_mels,).
std::vector<double> mel_frequencies(int n_mels, double fmin, double fmax);

// librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm="slaney", dtype=float32):
// triangular filters between consecutive mel_frequencies(n_mels + 2, fmin, fmax), each scaled by
// 2 / (its bandwidth in Hz) so every band has about the same energy. fmax defaults to sr / 2.
// Shape (n_mels, 1 + n_fft/2); each row is zero outside one contiguous run of bins.
Eigen::MatrixXf mel(double sr, int n_fft, int n_mels = 128, double fmin = 0.0,
                    std::optional<double> fmax = std::nullopt);

// librosa.filters.chroma(sr, n_fft, n_chroma, tuning, ctroct, octwidth, norm=2, base_c=True,
// dtype=float32): for every FFT bin a Gaussian bump over the n_chroma pitch classes around the
// bin's (tuned) pitch, each column scaled to unit L2 norm, then weighted by a Gaussian over octaves
// centred on `ctroct` (octaves above A0 = 27.5 Hz) with half-width `octwidth`. Row 0 is C.
// `tuning` is the deviation from A440 in fractions of a chroma bin. Shape (n_chroma, 1 + n_fft/2).
Eigen::MatrixXf chroma(double sr, int n_fft, int n_chroma = 12, double tuning = 0.0,
                       double ctroct = 5.0, double octwidth = 2.0);

}  // namespace sonotype::filters
