#include "tools/cli/bench_timing.h"

#include <algorithm>
#include <chrono>
#include <complex>
#include <vector>

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

}  // namespace sonotype::cli
