#pragma once
// Short-time Fourier analysis and decibel scaling, after librosa.core.spectrum (librosa 0.8.1).
//
// Spectrograms are column-major Eigen matrices of shape (n_bins, n_frames): one contiguous column
// per frame, which is the memory order of librosa's Fortran-ordered stft_matrix.
#include <Eigen/Core>
#include <cstddef>
#include <span>
#include <vector>

namespace sonotype {

using Spectrogram = Eigen::MatrixXcf;  // complex64, (1 + n_fft/2, n_frames)

struct StftParams {
  int n_fft = 2048;
  int hop_length = 512;  // librosa's default win_length // 4
  bool center = true;    // pad n_fft/2 samples on both sides by reflection
};

// Number of frames librosa.stft returns for n samples: 1 + n / hop when centred.
std::size_t stft_frames(std::size_t n_samples, const StftParams& p = {});

// librosa.stft(y, n_fft, hop_length, window="hann", center, pad_mode="reflect").
// y: (n,) -> (1 + n_fft/2, stft_frames(n)). Windowing and the FFT run in double precision and the
// result is rounded to complex64, as librosa does with numpy's FFT. Throws std::invalid_argument
// for empty input, or when not centred and y is shorter than n_fft.
Spectrogram stft(std::span<const float> y, const StftParams& p = {});

// librosa.istft(D, hop_length, window="hann", center=True, dtype=float32) followed by
// util.fix_length(y, length), as librosa.effects.hpss inverts its masked spectrograms.
// D: (1 + n_fft/2, n_frames) -> (length,). Overlap-add accumulates in float32 and divides by the
// squared-window envelope wherever it exceeds float32's tiny.
std::vector<float> istft(const Spectrogram& D, std::size_t length, const StftParams& p = {});

// librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0), in float32 as librosa computes it:
// 10 log10(max(amin, S)), floored at (max - top_db). Same shape as S.
Eigen::MatrixXf power_to_db(const Eigen::MatrixXf& S, float amin = 1e-10f, float top_db = 80.0f);

}  // namespace sonotype
