#include "tools/cli/bench_timing.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <vector>

#include "core/audio.h"
#include "core/fft.h"
#include "core/spectrum.h"

namespace sonotype::cli {

double median(std::vector<double> runs) {
  std::sort(runs.begin(), runs.end());
  return runs[runs.size() / 2];
}

FftFloor time_fft_floor(std::size_t n_samples, int repeat) {
  const StftParams params;
  const auto n_fft = static_cast<std::size_t>(params.n_fft);
  FftFloor floor{stft_frames(n_samples, params), 0, 0};
  RealFft fft(n_fft);
  std::vector<double> frame(n_fft);
  std::vector<std::complex<double>> bins(n_fft / 2 + 1);
  for (std::size_t i = 0; i < n_fft; ++i) frame[i] = double((i * 7919) % n_fft) / double(n_fft) - 0.5;

  using clock = std::chrono::steady_clock;
  const auto ms = [](clock::time_point a, clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  std::vector<double> forward, inverse;
  for (int run = 0; run <= repeat; ++run) {  // run 0 warms up
    const auto t0 = clock::now();
    for (std::size_t t = 0; t < floor.frames; ++t) fft.forward(frame.data(), bins.data());
    const auto t1 = clock::now();
    for (std::size_t t = 0; t < floor.frames; ++t) fft.inverse(bins.data(), frame.data());
    const auto t2 = clock::now();
    if (run > 0) {
      forward.push_back(ms(t0, t1));
      inverse.push_back(ms(t1, t2));
    }
  }
  floor.forward_ms = median(forward);
  floor.inverse_ms = median(inverse);
  return floor;
}

double time_resample_song(int repeat) {
  constexpr int kRate = 44100;
  constexpr std::size_t kFrames = std::size_t(180) * kRate;
  std::vector<float> stereo(2 * kFrames);
  for (std::size_t i = 0; i < kFrames; ++i) {
    const double t = double(i) / kRate;
    stereo[2 * i] = float(0.3 * std::sin(2 * 3.141592653589793 * 440 * t) + 0.01 * double((i * 7919) % 201) / 100);
    stereo[2 * i + 1] = float(0.3 * std::sin(2 * 3.141592653589793 * 12000 * t));
  }
  using clock = std::chrono::steady_clock;
  std::vector<double> runs;
  for (int r = 0; r <= repeat; ++r) {
    const auto start = clock::now();
    const std::vector<float> y = resample(to_mono(stereo, 2), kRate, 22050);
    const double ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
    if (r > 0 && !y.empty()) runs.push_back(ms);  // run 0 is the warm-up
  }
  return median(runs);
}

}  // namespace sonotype::cli
