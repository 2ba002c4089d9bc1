#pragma once
// Time-domain effects, after librosa.effects (0.8.1).
#include <Eigen/Core>
#include <cstddef>
#include <span>
#include <vector>

#include "core/spectrum.h"

namespace sonotype::effects {

struct HarmonicPercussive {
  std::vector<float> harmonic;    // (n,), float32 like y
  std::vector<float> percussive;  // (n,)
};

// librosa.effects.hpss(y): stft(y) with the defaults, decompose::hpss, and istft of each part
// cut or zero-padded to len(y) (util.fix_length). y: (n,) -> two (n,) waveforms.
HarmonicPercussive hpss(std::span<const float> y);

// The same from D = stft(y) and magnitude = magnitude_spectrogram(D) computed beforehand (default
// StftParams), for callers that share one STFT between features.
HarmonicPercussive hpss(const Spectrogram& D, const Eigen::MatrixXf& magnitude, std::span<const float> y);

}  // namespace sonotype::effects
