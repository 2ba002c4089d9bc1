#include "core/effects.h"

#include <algorithm>

#include "core/decompose.h"
#include "core/feature/spectral.h"

namespace sonotype::effects {

HarmonicPercussive hpss(std::span<const float> y) {
  const Spectrogram D = stft(y);
  return hpss(D, feature::magnitude_spectrogram(D), y);
}

HarmonicPercussive hpss(const Spectrogram& D, const Eigen::MatrixXf& magnitude, std::span<const float> y) {
  const decompose::SoftMasks masks = decompose::hpss_masks(magnitude);
  Spectrogram harmonic_part;
  decompose::apply_mask(D, masks.harmonic, harmonic_part);
  HarmonicPercussive parts{istft(harmonic_part, y.size()), std::vector<float>(y.size(), 0.0f)};

  // The two soft masks sum to one in every bin, istft is linear, and istft(stft(y)) is y on the
  // samples it returns (the first hop * (n_frames - 1); librosa zero-fills the rest). So the
  // percussive waveform is y - harmonic there: one inverse STFT instead of two, equal to
  // librosa's second inverse up to float32 rounding.
  const auto hop = std::size_t(StftParams{}.hop_length);
  const std::size_t covered = std::min(y.size(), hop * std::size_t(D.cols() - 1));
  for (std::size_t i = 0; i < covered; ++i) parts.percussive[i] = y[i] - parts.harmonic[i];
  return parts;
}

}  // namespace sonotype::effects
