#include "core/filters.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sonotype::filters {

namespace {

// Constants of the Slaney mel scale, computed as librosa does so that band edges agree bit for bit.
constexpr double kMelLinearHzPerMel = 200.0 / 3;
constexpr double kMelLogStartHz = 1000.0;
constexpr double kMelLogStartMel = kMelLogStartHz / kMelLinearHzPerMel;
const double kMelLogStep = std::log(6.4) / 27.0;  // log(Hz) per mel above 1 kHz

// np.remainder for doubles: the result takes the sign of the divisor.
double remainder_like_numpy(double a, double b) {
  double mod = std::fmod(a, b);
  if (mod != 0 && ((b < 0) != (mod < 0))) mod += b;
  return mod;
}

}  // namespace

std::vector<double> get_window_hann(std::size_t n) {
  // scipy's general_cosine form, evaluated in the same order so the values agree bit for bit:
  // w = 0.5 + 0.5 cos(fac), fac = linspace(-pi, pi, n + 1)[:n].
  const double step = 2.0 * std::numbers::pi / double(n);
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = 0.5 + 0.5 * std::cos(double(i) * step - std::numbers::pi);
  return w;
}

std::vector<double> linspace(double start, double stop, std::size_t num) {
  std::vector<double> y(num);
  if (num == 0) return y;
  const double step = num > 1 ? (stop - start) / double(num - 1) : 0.0;
  for (std::size_t i = 0; i < num; ++i) y[i] = double(i) * step + start;
  y[num - 1] = num > 1 ? stop : start;
  return y;
}

std::vector<double> fft_frequencies(double sr, int n_fft) {
  return linspace(0.0, sr / 2, static_cast<std::size_t>(1 + n_fft / 2));
}

double hz_to_mel(double hz) {
  if (hz >= kMelLogStartHz) return kMelLogStartMel + std::log(hz / kMelLogStartHz) / kMelLogStep;
  return hz / kMelLinearHzPerMel;
}

double mel_to_hz(double mel) {
  if (mel >= kMelLogStartMel) return kMelLogStartHz * std::exp(kMelLogStep * (mel - kMelLogStartMel));
  return kMelLinearHzPerMel * mel;
}

std::vector<double> mel_frequencies(int n_mels, double fmin, double fmax) {
  std::vector<double> f = linspace(hz_to_mel(fmin), hz_to_mel(fmax), static_cast<std::size_t>(n_mels));
  for (double& v : f) v = mel_to_hz(v);
  return f;
}

Eigen::MatrixXf mel(double sr, int n_fft, int n_mels, double fmin, std::optional<double> fmax) {
  const std::vector<double> fft_freqs = fft_frequencies(sr, n_fft);
  const std::vector<double> edges = mel_frequencies(n_mels + 2, fmin, fmax.value_or(sr / 2));
  Eigen::MatrixXf weights(n_mels, static_cast<Eigen::Index>(fft_freqs.size()));
  for (int i = 0; i < n_mels; ++i) {
    const double lower_width = edges[i + 1] - edges[i], upper_width = edges[i + 2] - edges[i + 1];
    const double slaney_norm = 2.0 / (edges[i + 2] - edges[i]);
    for (std::size_t k = 0; k < fft_freqs.size(); ++k) {
      // Outside (edges[i], edges[i + 2]) one slope is <= 0, so the weight is 0.
      if (fft_freqs[k] <= edges[i] || fft_freqs[k] >= edges[i + 2]) {
        weights(i, static_cast<Eigen::Index>(k)) = 0.0f;
        continue;
      }
      // Rising and falling slopes of the triangle, clipped at zero. librosa stores the triangle
      // in float32 before scaling it (in double) by the Slaney factor, rounding twice.
      const double rising = -(edges[i] - fft_freqs[k]) / lower_width;
      const double falling = (edges[i + 2] - fft_freqs[k]) / upper_width;
      const float triangle = float(std::max(0.0, std::min(rising, falling)));
      weights(i, static_cast<Eigen::Index>(k)) = float(double(triangle) * slaney_norm);
    }
  }
  return weights;
}

Eigen::MatrixXf chroma(double sr, int n_fft, int n_chroma, double tuning, double ctroct, double octwidth) {
  const auto n = static_cast<std::size_t>(n_fft);
  const double n_chroma_d = n_chroma;

  // Pitch of every FFT bin in chroma bins (A0 = 0); the DC bin gets a made-up pitch 1.5 octaves
  // below bin 1 so that its weight is spread broadly over the pitch classes.
  const double a440 = 440.0 * std::pow(2.0, tuning / n_chroma_d);
  const double bin_hz = sr / double(n_fft);
  std::vector<double> pitch(n);
  for (std::size_t k = 1; k < n; ++k) pitch[k] = n_chroma_d * std::log2(double(k) * bin_hz / (a440 / 16));
  pitch[0] = pitch[1] - 1.5 * n_chroma_d;
  // Width of each bin in chroma bins, at least one.
  std::vector<double> width(n, 1.0);
  for (std::size_t k = 0; k + 1 < n; ++k) width[k] = std::max(pitch[k + 1] - pitch[k], 1.0);

  // Only the first 1 + n_fft/2 columns are kept; librosa computes all n_fft and drops the aliases.
  const auto n_bins = static_cast<Eigen::Index>(n / 2 + 1);
  const double half = std::nearbyint(n_chroma_d / 2);  // np.round: ties to even
  const int roll = 3 * (n_chroma / 12);                // rotate so that row 0 is C, not A
  Eigen::MatrixXf weights(n_chroma, n_bins);
  std::vector<double> column(static_cast<std::size_t>(n_chroma));
  for (Eigen::Index k = 0; k < n_bins; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    double norm_sq = 0.0;
    for (int c = 0; c < n_chroma; ++c) {
      // Distance from pitch class c, wrapped into [-n_chroma/2, n_chroma/2).
      const double d = remainder_like_numpy(pitch[kk] - c + half + 10 * n_chroma_d, n_chroma_d) - half;
      const double x = 2 * d / width[kk];
      column[static_cast<std::size_t>(c)] = std::exp(-0.5 * (x * x));
      norm_sq += column[static_cast<std::size_t>(c)] * column[static_cast<std::size_t>(c)];
    }
    const double norm = std::sqrt(norm_sq);
    const double octave_offset = (pitch[kk] / n_chroma_d - ctroct) / octwidth;
    const double octave_weight = std::exp(-0.5 * (octave_offset * octave_offset));
    for (int c = 0; c < n_chroma; ++c) {
      const int row = (c - roll + n_chroma) % n_chroma;
      weights(row, k) = float(column[static_cast<std::size_t>(c)] / norm * octave_weight);
    }
  }
  return weights;
}

}  // namespace sonotype::filters
