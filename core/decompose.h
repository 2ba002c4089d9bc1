#pragma once
// Harmonic-percussive source separation of a spectrogram, after librosa.decompose (0.8.1).
#include <Eigen/Core>

#include "core/spectrum.h"

namespace sonotype::decompose {

struct SoftMasks {
  Eigen::MatrixXf harmonic;    // (1 + n_fft/2, n_frames), values in [0, 1]
  Eigen::MatrixXf percussive;  // same shape
};

struct HarmonicPercussive {
  Spectrogram harmonic;    // (1 + n_fft/2, n_frames), complex64
  Spectrogram percussive;  // same shape
};

// librosa.decompose.hpss(D, kernel_size, power=2.0, mask=True, margin=1.0) of a complex STFT D,
// from its magnitude |D| (magnitude_spectrogram(D), float32). |D| is median-filtered along time
// (width kernel_size: H) and along frequency (P) with scipy's reflect mode; util.softmask then
// gives H^2 / (H^2 + P^2) and P^2 / (H^2 + P^2), computed in float32 after dividing both by
// max(H, P), and 0.5 each wherever that maximum is below float32's tiny (split_zeros, which
// librosa turns on because both margins are 1).
SoftMasks hpss_masks(const Eigen::MatrixXf& magnitude, int kernel_size = 31);

// D weighted by a soft mask, element by element, into out (resized to D's shape).
// librosa multiplies the mask by |D| and then by the phase exp(i angle(D)); weighing D itself
// differs from that by about one float32 rounding and needs no trigonometry.
void apply_mask(const Spectrogram& D, const Eigen::MatrixXf& mask, Spectrogram& out);

// librosa.decompose.hpss(D, kernel_size, power=2.0, mask=False, margin=1.0): D weighted by
// each of hpss_masks(|D|, kernel_size).
HarmonicPercussive hpss(const Spectrogram& D, int kernel_size = 31);

}  // namespace sonotype::decompose
