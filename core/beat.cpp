#include "core/beat.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/fft.h"
#include "core/filters.h"

namespace sonotype::beat {

namespace {

// The smallest even 2^a 3^b 5^c >= n: a size KissFFT transforms quickly. numpy pads to
// 2 win_length + 1 instead; any size >= 2 win_length - 1 gives the same linear autocorrelation.
std::size_t fast_even_size(std::size_t n) {
  for (std::size_t size = std::max<std::size_t>(n + n % 2, 2);; size += 2) {
    std::size_t rest = size;
    for (std::size_t factor : {2, 3, 5})
      while (rest % factor == 0) rest /= factor;
    if (rest == 1) return size;
  }
}

// np.pad(envelope, half, mode="linear_ramp", end_values=0) in float32: np.linspace from 0 to the
// edge sample in double, half steps without the endpoint, rounded to float.
std::vector<float> pad_linear_ramp(std::span<const float> envelope, std::size_t half) {
  const std::size_t n = envelope.size();
  std::vector<float> padded(n + 2 * half);
  const double step_left = double(envelope.front()) / double(half);
  const double step_right = double(envelope.back()) / double(half);
  for (std::size_t j = 0; j < half; ++j) {
    padded[j] = float(double(j) * step_left);
    padded[n + 2 * half - 1 - j] = float(double(j) * step_right);
  }
  std::copy(envelope.begin(), envelope.end(), padded.begin() + static_cast<std::ptrdiff_t>(half));
  return padded;
}

// np.mean(librosa.feature.tempogram(onset_envelope, win_length, center=True, window="hann",
// norm=np.inf), axis=1): the mean over frames of the Hann-windowed autocorrelation of each
// frame's neighbourhood, divided by its largest magnitude. Shape (win_length,), lags
// 0 .. win_length - 1.
//
// The largest magnitude of an autocorrelation is its value at lag 0, the frame's energy, and the
// inverse FFT is linear, so the power spectra are scaled and summed first and inverted once,
// instead of inverting every frame. All-zero frames, which librosa leaves unscaled, add nothing.
std::vector<double> mean_tempogram(std::span<const float> envelope, std::size_t win_length) {
  const std::size_t n = envelope.size();
  const std::vector<float> padded = pad_linear_ramp(envelope, win_length / 2);
  const std::vector<double> window = filters::get_window_hann(win_length);

  RealFft fft(fast_even_size(2 * win_length - 1));
  std::vector<double> frame(fft.size(), 0.0);
  std::vector<std::complex<double>> spectrum(fft.size() / 2 + 1), sum(spectrum.size(), 0.0);
  for (std::size_t t = 0; t < n; ++t) {
    double energy = 0.0;
    for (std::size_t i = 0; i < win_length; ++i) {
      frame[i] = double(padded[t + i]) * window[i];
      energy += frame[i] * frame[i];
    }
    if (energy < std::numeric_limits<double>::min()) continue;
    fft.forward(frame.data(), spectrum.data());
    for (std::size_t f = 0; f < spectrum.size(); ++f) sum[f] += std::norm(spectrum[f]) / energy;
  }
  std::vector<double> autocorrelation(fft.size());
  fft.inverse(sum.data(), autocorrelation.data());
  autocorrelation.resize(win_length);
  for (double& a : autocorrelation) a /= double(n);
  return autocorrelation;
}

}  // namespace

double tempo(std::span<const float> onset_envelope, const TempoParams& p) {
  if (onset_envelope.empty()) throw std::invalid_argument("there is no onset envelope to find a tempo in");
  // core.time_to_frames(ac_size): whole samples, then whole hops.
  const auto win_samples = static_cast<std::size_t>(p.ac_size * p.sr);
  const std::size_t win_length = win_samples / static_cast<std::size_t>(p.hop_length);
  if (win_length < 1) throw std::invalid_argument("the tempo autocorrelation window is shorter than one hop");
  const std::vector<double> tg = mean_tempogram(onset_envelope, win_length);

  // core.tempo_frequencies: lag k is 60 sr / (hop k) BPM, lag 0 infinite. The prior excludes
  // every lag before the first one below max_tempo. np.argmax takes the first maximum, and a
  // NaN (log1p of less than -1) as the maximum.
  const double beats_per_lag = 60.0 * p.sr;
  const double log2_start = std::log2(p.start_bpm);
  std::size_t best = 0;
  double best_score = -std::numeric_limits<double>::infinity();
  bool allowed = false;
  for (std::size_t k = 0; k < win_length; ++k) {
    const double bpm = k == 0 ? std::numeric_limits<double>::infinity()
                              : beats_per_lag / (double(p.hop_length) * double(k));
    allowed = allowed || bpm < p.max_tempo;
    const double deviation = (std::log2(bpm) - log2_start) / p.std_bpm;
    const double log_prior = allowed ? -0.5 * (deviation * deviation) : -std::numeric_limits<double>::infinity();
    const double score = std::log1p(1e6 * tg[k]) + log_prior;
    if (std::isnan(score) ? !std::isnan(best_score) : score > best_score) {
      best = k;
      best_score = score;
    }
  }
  return best == 0 ? std::numeric_limits<double>::infinity()
                   : beats_per_lag / (double(p.hop_length) * double(best));
}

double beat_track_tempo(std::span<const float> onset_envelope, const TempoParams& p) {
  const bool any = std::any_of(onset_envelope.begin(), onset_envelope.end(), [](float v) { return v != 0.0f; });
  return any ? tempo(onset_envelope, p) : 0.0;
}

}  // namespace sonotype::beat
