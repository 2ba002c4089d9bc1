#pragma once
// KissFFT's share of gtzan_features: the real FFTs of n_fft 2048 that the STFT (one forward per
// frame) and the harmonic waveform's inverse STFT (one inverse per frame) do for a clip, timed
// alone through core/fft.h on the same frame count. No change outside the FFT library can take
// the 57 features below this. Shared by `sonotype bench` and the WebAssembly benchmark
// (tools/bench/fft_floor_main.cpp, run by tools/bench-web.sh). The tempogram's 720-point
// transforms, about a sixth more, are not included.
#include <cstddef>

namespace sonotype::cli {

struct FftFloor {
  std::size_t frames = 0;       // transforms of each kind
  double forward_ms = 0;        // the STFT's
  double inverse_ms = 0;        // the inverse STFT's
};

// Medians over `repeat` timed runs, after one warm-up, for a clip of n_samples.
FftFloor time_fft_floor(std::size_t n_samples, int repeat);

}  // namespace sonotype::cli
