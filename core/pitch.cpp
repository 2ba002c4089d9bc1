#include "core/pitch.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/filters.h"
#include "core/stats.h"

namespace sonotype {

namespace {

// np.mod(x, 1.0) for float32: the fractional part, in [0, 1).
float fractional_part(float x) {
  float mod = std::fmod(x, 1.0f);
  if (mod < 0) mod += 1.0f;
  return mod;
}

}  // namespace

std::vector<PitchPeak> piptrack(const Eigen::MatrixXf& S, double sr, const PiptrackParams& p) {
  const auto n_bins = static_cast<int>(S.rows());
  const int n_fft = 2 * (n_bins - 1);
  // Bins whose centre frequency lies in [fmin, fmax), fmin and fmax clipped to [0, sr/2].
  const std::vector<double> freqs = filters::fft_frequencies(sr, n_fft);
  const double fmin = std::max(p.fmin, 0.0), fmax = std::min(p.fmax, sr / 2);
  int first = 0, last = n_bins;
  while (first < n_bins && !(fmin <= freqs[static_cast<std::size_t>(first)])) ++first;
  while (last > first && !(freqs[static_cast<std::size_t>(last - 1)] < fmax)) --last;

  constexpr float tiny = std::numeric_limits<float>::min();
  std::vector<PitchPeak> peaks;
  for (Eigen::Index t = 0; t < S.cols(); ++t) {
    const float* s = S.col(t).data();
    const float ref = p.threshold * S.col(t).maxCoeff();
    // The spectrum with values not above ref zeroed, at bin k (edges repeat beyond the ends).
    const auto kept = [&](int k) {
      const float v = s[std::clamp(k, 0, n_bins - 1)];
      return v > ref ? v : 0.0f;
    };
    for (int k = first; k < last; ++k) {
      const float here = kept(k);
      if (!(here > kept(k - 1) && here >= kept(k + 1))) continue;
      // Parabola through the unthresholded neighbours; outside the spectrum both terms are zero.
      float avg = 0, shift = 0;
      if (k > 0 && k < n_bins - 1) {
        avg = 0.5f * (s[k + 1] - s[k - 1]);
        const float curvature = 2.0f * s[k] - s[k + 1] - s[k - 1];
        shift = avg / (curvature + (std::abs(curvature) < tiny ? 1.0f : 0.0f));
      }
      const double frequency = (double(k) + double(shift)) * sr / double(n_fft);
      peaks.push_back({k, static_cast<int>(t), float(frequency), s[k] + 0.5f * avg * shift});
    }
  }
  return peaks;
}

double pitch_tuning(std::span<const float> frequencies, double resolution, int bins_per_octave) {
  // Histogram edges linspace(-0.5, 0.5, ceil(1 / resolution) + 1); the last bin is closed.
  const std::vector<double> edges = filters::linspace(-0.5, 0.5, static_cast<std::size_t>(std::ceil(1.0 / resolution)) + 1);
  std::vector<long> counts(edges.size() - 1, 0);
  bool any = false;
  for (const float f : frequencies) {
    if (!(f > 0)) continue;
    any = true;
    // Deviation from the nearest equal-tempered pitch, in bins, in float32 like librosa.
    const float bins = float(bins_per_octave) * std::log2(f / 27.5f);
    float residual = fractional_part(bins);
    if (residual >= 0.5f) residual -= 1.0f;
    const double x = residual;
    if (x < edges.front() || x > edges.back()) continue;
    const auto above = std::upper_bound(edges.begin(), edges.end(), x);
    const auto bin = std::min<std::ptrdiff_t>(above - edges.begin() - 1, static_cast<std::ptrdiff_t>(counts.size()) - 1);
    ++counts[static_cast<std::size_t>(bin)];
  }
  if (!any) return 0.0;
  const auto fullest = std::max_element(counts.begin(), counts.end()) - counts.begin();
  return edges[static_cast<std::size_t>(fullest)];
}

double estimate_tuning(const Eigen::MatrixXf& S, double sr, double resolution, int bins_per_octave) {
  const std::vector<PitchPeak> peaks = piptrack(S, sr);
  std::vector<float> magnitudes;
  magnitudes.reserve(peaks.size());
  for (const PitchPeak& peak : peaks)
    if (peak.frequency > 0) magnitudes.push_back(peak.magnitude);
  const float threshold = magnitudes.empty() ? 0.0f : median(magnitudes);

  std::vector<float> strong;
  strong.reserve(peaks.size());
  for (const PitchPeak& peak : peaks)
    if (peak.frequency > 0 && peak.magnitude >= threshold) strong.push_back(peak.frequency);
  return pitch_tuning(strong, resolution, bins_per_octave);
}

}  // namespace sonotype
