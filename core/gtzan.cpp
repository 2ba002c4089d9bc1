#include "core/gtzan.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "core/beat.h"
#include "core/effects.h"
#include "core/feature/spectral.h"
#include "core/onset.h"
#include "core/spectrum.h"
#include "core/stats.h"
#include "core/util.h"

namespace sonotype {

const std::array<std::string_view, kNumGtzanFeatures> kGtzanFeatureNames = {
    "chroma_stft_mean", "chroma_stft_var", "rms_mean", "rms_var", "spectral_centroid_mean",
    "spectral_centroid_var", "spectral_bandwidth_mean", "spectral_bandwidth_var", "rolloff_mean",
    "rolloff_var", "zero_crossing_rate_mean", "zero_crossing_rate_var", "harmony_mean", "harmony_var",
    "perceptr_mean", "perceptr_var", "tempo", "mfcc1_mean", "mfcc1_var", "mfcc2_mean", "mfcc2_var",
    "mfcc3_mean", "mfcc3_var", "mfcc4_mean", "mfcc4_var", "mfcc5_mean", "mfcc5_var", "mfcc6_mean",
    "mfcc6_var", "mfcc7_mean", "mfcc7_var", "mfcc8_mean", "mfcc8_var", "mfcc9_mean", "mfcc9_var",
    "mfcc10_mean", "mfcc10_var", "mfcc11_mean", "mfcc11_var", "mfcc12_mean", "mfcc12_var",
    "mfcc13_mean", "mfcc13_var", "mfcc14_mean", "mfcc14_var", "mfcc15_mean", "mfcc15_var",
    "mfcc16_mean", "mfcc16_var", "mfcc17_mean", "mfcc17_var", "mfcc18_mean", "mfcc18_var",
    "mfcc19_mean", "mfcc19_var", "mfcc20_mean", "mfcc20_var"};

namespace {

// Accumulates wall-clock milliseconds into one field of FeatureTimings per stage.
class StageClock {
 public:
  explicit StageClock(FeatureTimings* timings) : timings_(timings), start_(now()), last_(start_) {}
  void stage(double FeatureTimings::*field) {
    const auto t = now();
    if (timings_) timings_->*field = std::chrono::duration<double, std::milli>(t - last_).count();
    last_ = t;
  }
  void finish() {
    if (timings_) timings_->total = std::chrono::duration<double, std::milli>(now() - start_).count();
  }

 private:
  static std::chrono::steady_clock::time_point now() { return std::chrono::steady_clock::now(); }
  FeatureTimings* timings_;
  std::chrono::steady_clock::time_point start_, last_;
};

// Writes np.mean(x) and np.var(x) of a 1-D array (a waveform, or a row vector of per-frame
// values) at out[0], out[1], accumulating in x's own precision as numpy does.
template <class T>
void mean_var(std::span<const T> x, double* out) {
  out[0] = mean(x);
  out[1] = var(x);
}
template <class Vector>
void mean_var(const Vector& x, double* out) {
  mean_var(std::span<const typename Vector::Scalar>(x.data(), std::size_t(x.size())), out);
}

// Samples far outside [-1, 1] can overflow the float spectra (librosa's float32 arithmetic
// overflows as well, from about 1e18), leaving some features non-finite: such audio is refused,
// naming its peak, rather than described by NaN.
void check_features(const FeatureVector& f, std::span<const float> y) {
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (std::isfinite(f[i])) continue;
    float peak = 0;
    for (float v : y) peak = std::max(peak, std::abs(v));
    char message[200];
    std::snprintf(message, sizeof message,
                  "the samples reach %.3g, far outside [-1, 1]: feature %s overflows, so this audio cannot be analysed",
                  static_cast<double>(peak), std::string(kGtzanFeatureNames[i]).c_str());
    throw std::invalid_argument(message);
  }
}

}  // namespace

FeatureVector gtzan_features(std::span<const float> y, FeatureTimings* timings) {
  check_audio(y);
  FeatureVector f{};
  StageClock clock(timings);

  // One STFT (n_fft 2048, hop 512, Hann, reflect-centred) serves every spectral feature and HPSS.
  const Spectrogram D = stft(y);
  const Eigen::MatrixXf magnitude = feature::magnitude_spectrogram(D);
  const Eigen::MatrixXf power = feature::power_spectrogram(magnitude);
  clock.stage(&FeatureTimings::stft);

  mean_var(feature::rms(y), &f[kRmsMeanIndex]);
  const feature::CentroidBandwidth spread = feature::spectral_centroid_bandwidth(magnitude);
  mean_var(spread.centroid, &f[4]);
  mean_var(spread.bandwidth, &f[6]);
  mean_var(feature::spectral_rolloff(magnitude), &f[8]);
  mean_var(feature::zero_crossing_rate(y), &f[10]);
  clock.stage(&FeatureTimings::spectral);

  const Eigen::MatrixXf chroma = feature::chroma_stft(power);
  f[0] = mean(chroma, NumpyOrder::C);
  f[1] = var(chroma, NumpyOrder::C);
  clock.stage(&FeatureTimings::chroma);

  // mfcc(y) and onset_strength(y) both start from power_to_db(melspectrogram(y)).
  const Eigen::MatrixXf log_mel = power_to_db(feature::melspectrogram(power));
  const Eigen::MatrixXf coefficients = feature::mfcc(log_mel);
  for (Eigen::Index i = 0; i < coefficients.rows(); ++i) {
    const Eigen::RowVectorXf row = coefficients.row(i);
    mean_var(row, &f[17 + 2 * std::size_t(i)]);
  }
  clock.stage(&FeatureTimings::mfcc);

  const effects::HarmonicPercussive parts = effects::hpss(D, magnitude, y);
  mean_var(std::span<const float>(parts.harmonic), &f[12]);
  mean_var(std::span<const float>(parts.percussive), &f[14]);
  clock.stage(&FeatureTimings::hpss);

  const std::vector<float> envelope = onset::onset_strength(log_mel, onset::Aggregate::median);
  f[16] = beat::beat_track_tempo(envelope);
  clock.stage(&FeatureTimings::tempo);
  clock.finish();
  check_features(f, y);
  return f;
}

Segments gtzan_segments(std::size_t n, int segment_seconds) {
  if (segment_seconds <= 0) throw std::invalid_argument("the segment length must be positive");
  Segments s;
  s.stride = std::size_t(segment_seconds) * kGtzanSampleRate;
  s.length = s.stride - 1;
  if (n < s.length) {
    throw std::invalid_argument("audio is " + std::to_string(n) + " samples, shorter than one " +
                                std::to_string(segment_seconds) + "-s segment (" + std::to_string(s.length) + ")");
  }
  s.count = (n - s.length) / s.stride + 1;
  return s;
}

}  // namespace sonotype
