#pragma once
// Windows and filter banks, after librosa.filters (librosa 0.8.1).
#include <cstddef>
#include <vector>

namespace sonotype {

// scipy.signal.get_window("hann", n, fftbins=True): the periodic Hann window
// 0.5 - 0.5 cos(2 pi i / n), i < n, in double precision. Shape (n,).
std::vector<double> get_window_hann(std::size_t n);

}  // namespace sonotype
