#include "core/onset.h"

#include <algorithm>
#include <cstddef>

#include "core/stats.h"

namespace sonotype::onset {

namespace {

// np.mean(flux, axis=0) of librosa's C-ordered (n_mels, frames) array: numpy adds the rows one
// after another in float32, then divides by the count.
float band_mean(const std::vector<float>& flux) {
  float sum = 0.0f;
  for (float v : flux) sum += v;
  return sum / float(flux.size());
}

}  // namespace

std::vector<float> onset_strength(const Eigen::MatrixXf& S_db, Aggregate aggregate, int n_fft, int hop_length) {
  const auto n_frames = static_cast<std::size_t>(S_db.cols());
  std::vector<float> envelope(n_frames, 0.0f);
  // lag 1, plus centring: the flux between frames t and t+1 lands on frame t + shift.
  const auto shift = static_cast<std::size_t>(1 + n_fft / (2 * hop_length));
  std::vector<float> flux(static_cast<std::size_t>(S_db.rows()));
  for (std::size_t t = 0; t + shift < n_frames; ++t) {
    const float* now = S_db.col(static_cast<Eigen::Index>(t + 1)).data();
    const float* before = S_db.col(static_cast<Eigen::Index>(t)).data();
    for (std::size_t k = 0; k < flux.size(); ++k) flux[k] = std::max(0.0f, now[k] - before[k]);
    envelope[t + shift] = aggregate == Aggregate::mean ? band_mean(flux) : median(flux);
  }
  return envelope;
}

}  // namespace sonotype::onset
