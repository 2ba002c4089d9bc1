#pragma once
// Array helpers that librosa takes from numpy (np.pad, valid_audio), after librosa.util.
#include <cstddef>
#include <span>
#include <vector>

namespace sonotype {

enum class PadMode {
  reflect,  // np.pad(mode="reflect"): mirror without repeating the edge sample
  edge,     // np.pad(mode="edge"): repeat the edge sample
};

// librosa.util.valid_audio's checks on a mono signal: throws std::invalid_argument for empty
// input or a non-finite sample (NaN or Inf).
void check_audio(std::span<const float> y);

// np.pad(y, (left, right), mode): returns left + y.size() + right samples. Reflection continues
// back and forth when the padding is longer than the signal, as numpy's does.
std::vector<float> pad(std::span<const float> y, std::size_t left, std::size_t right, PadMode mode);

}  // namespace sonotype
