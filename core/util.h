#pragma once
// Array helpers that librosa takes from numpy (np.pad), after librosa.util.
#include <cstddef>
#include <span>
#include <vector>

namespace sonotype {

enum class PadMode {
  reflect,  // np.pad(mode="reflect"): mirror without repeating the edge sample
  edge,     // np.pad(mode="edge"): repeat the edge sample
};

// np.pad(y, (left, right), mode): returns left + y.size() + right samples. Reflection continues
// back and forth when the padding is longer than the signal, as numpy's does.
std::vector<float> pad(std::span<const float> y, std::size_t left, std::size_t right, PadMode mode);

}  // namespace sonotype
