#pragma once
// What the benchmarks share: `sonotype bench` (bench.cpp) and the WebAssembly FFT floor
// (tools/bench/fft_floor_main.cpp, run by tools/bench-web.sh).
#include <cstddef>
#include <vector>

namespace sonotype::cli {

// Samples in a 30-s GTZAN clip at 22050 Hz: the length the benchmarks time.
inline constexpr std::size_t kGtzanClipSamples = 661794;

// The middle value of timed runs (the upper middle for an even count).
double median(std::vector<double> runs);

// KissFFT's share of gtzan_features: the real FFTs of n_fft 2048 that the STFT (one forward per
// frame) and the harmonic waveform's inverse STFT (one inverse per frame) do for a clip, timed
// alone through core/fft.h on the same frame count. No change outside the FFT library can take
// the 57 features below this. The tempogram's 720-point transforms, about a sixth more, are not
// included.
struct FftFloor {
  std::size_t frames = 0;  // transforms of each kind
  double forward_ms = 0;   // the STFT's
  double inverse_ms = 0;   // the inverse STFT's
};

// Medians over `repeat` timed runs, after one warm-up, for a clip of n_samples.
FftFloor time_fft_floor(std::size_t n_samples, int repeat);

// librosa.load's work after decoding for a 3-minute 44.1-kHz stereo song: to_mono, then resample
// to 22050 Hz with kaiser_best (core/audio.h). Median ms of `repeat` runs after one warm-up.
double time_resample_song(int repeat);

}  // namespace sonotype::cli
