#include "core/feature/spectral.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

#include "core/filters.h"
#include "core/pitch.h"
#include "core/stats.h"
#include "core/util.h"

namespace sonotype::feature {

namespace {

// librosa.util.normalize's threshold for float32 input: norms below it are left unnormalised.
constexpr double kTinyFloat = std::numeric_limits<float>::min();

int n_fft_of(const Eigen::MatrixXf& S) { return 2 * static_cast<int>(S.rows() - 1); }

// Frames processed together where numpy's order allows it.
constexpr std::size_t kFrameBlock = 8;

// One frame of librosa.util.normalize(S, norm=1, axis=0) on float32 S, written to out[k * stride]:
// the L1 norm is summed in double (numpy's pairwise order) and each value divided in double, then
// rounded to float32.
void l1_normalize_frame(const float* s, std::size_t n, float* out, std::size_t stride) {
  double norm = numpy_sum<double>(n, [s](std::size_t k) { return double(std::abs(s[k])); });
  if (norm < kTinyFloat) norm = 1.0;
  for (std::size_t k = 0; k < n; ++k) out[k * stride] = float(double(s[k]) / norm);
}

// The orthonormal DCT-II basis, rows 0..n_out-1 of the n x n matrix (scipy's norm="ortho"):
// sqrt(1/n) for row 0 and sqrt(2/n) cos(pi k (2m + 1) / (2n)) otherwise, in double.
Eigen::MatrixXd dct2_ortho_basis(int n_out, int n) {
  Eigen::MatrixXd basis(n_out, n);
  const long period = 4L * n;  // cos(pi j / (2n)) has period 4n in j
  for (int k = 0; k < n_out; ++k) {
    const double scale = std::sqrt((k == 0 ? 1.0 : 2.0) / n);
    for (int m = 0; m < n; ++m) {
      const long j = (long(k) * (2L * m + 1)) % period;  // reduce exactly before the cosine
      basis(k, m) = scale * std::cos(std::numbers::pi * double(j) / (2.0 * n));
    }
  }
  return basis;
}

}  // namespace

Eigen::MatrixXf magnitude_spectrogram(const Spectrogram& D) {
  // np.abs of complex64 is glibc's hypotf, which is sqrt(re^2 + im^2) in double rounded to float32
  // (the squares are exact in double). Written out it gives the same bits on every platform
  // (musl's hypotf and Eigen's complex abs round differently), and Eigen's packet sqrt vectorises.
  Eigen::MatrixXf magnitude(D.rows(), D.cols());
  Eigen::ArrayXd energy(D.rows());
  for (Eigen::Index t = 0; t < D.cols(); ++t) {
    const auto frame = D.col(t).array();
    energy = frame.real().cast<double>().square() + frame.imag().cast<double>().square();
    magnitude.col(t) = energy.sqrt().cast<float>().matrix();
  }
  return magnitude;
}

Eigen::MatrixXf power_spectrogram(const Eigen::MatrixXf& magnitude) { return magnitude.array().square(); }

Eigen::MatrixXf melspectrogram(const Eigen::MatrixXf& power, double sr, int n_mels) {
  const Eigen::MatrixXf basis = filters::mel(sr, n_fft_of(power), n_mels);
  // Each filter is non-zero on one run of bins only, so multiply by that run instead of the
  // dense (n_mels, n_bins) matrix: about 2 instead of n_mels multiply-adds per bin and frame.
  Eigen::MatrixXf out(n_mels, power.cols());
  for (Eigen::Index i = 0; i < n_mels; ++i) {
    Eigen::Index first = 0, last = basis.cols();
    while (first < last && basis(i, first) == 0.0f) ++first;
    while (last > first && basis(i, last - 1) == 0.0f) --last;
    if (first == last) {
      out.row(i).setZero();
      continue;
    }
    const Eigen::RowVectorXf weights = basis.row(i).segment(first, last - first);
    out.row(i).noalias() = weights * power.middleRows(first, last - first);
  }
  return out;
}

Eigen::MatrixXf mfcc(const Eigen::MatrixXf& log_mel, int n_mfcc) {
  // The transform runs in double and is rounded once, so each coefficient is the exact DCT of the
  // float32 log-mel to within half an ulp. scipy computes it with pocketfft in float32, whose
  // rounding differs from this by a few 1e-8 of the frame's norm (up to 3.5e-5 dB on GTZAN).
  const Eigen::MatrixXd basis = dct2_ortho_basis(n_mfcc, static_cast<int>(log_mel.rows()));
  return (basis * log_mel.cast<double>()).cast<float>();
}

Eigen::MatrixXf chroma_stft(const Eigen::MatrixXf& power, double sr, std::optional<double> tuning, int n_chroma) {
  const double tune = tuning ? *tuning : estimate_tuning(power, sr, 0.01, n_chroma);
  const Eigen::MatrixXf basis = filters::chroma(sr, n_fft_of(power), n_chroma, tune);
  Eigen::MatrixXf raw = basis * power;
  // util.normalize(norm=inf, axis=0): divide each frame by its largest magnitude, in double.
  for (Eigen::Index t = 0; t < raw.cols(); ++t) {
    double norm = raw.col(t).cwiseAbs().maxCoeff();
    if (norm < kTinyFloat) norm = 1.0;
    for (Eigen::Index c = 0; c < raw.rows(); ++c) raw(c, t) = float(double(raw(c, t)) / norm);
  }
  return raw;
}

namespace {

// Centroid and bandwidth share librosa.util.normalize(S, norm=1, axis=0), so one pass normalises
// blocks of frames, bin-major (weights[k * kFrameBlock + j] is bin k of frame t0 + j), and takes
// the centroid (unless `given`) and, if asked, the bandwidth of each.
CentroidBandwidth centroid_bandwidth(const Eigen::MatrixXf& magnitude, double sr, const Eigen::RowVectorXd* given,
                                     bool with_bandwidth) {
  const std::vector<double> freq = filters::fft_frequencies(sr, n_fft_of(magnitude));
  const auto n = static_cast<std::size_t>(magnitude.rows());
  const auto n_frames = static_cast<std::size_t>(magnitude.cols());
  CentroidBandwidth out{given ? *given : Eigen::RowVectorXd(magnitude.cols()), Eigen::RowVectorXd()};
  if (with_bandwidth) out.bandwidth.resize(magnitude.cols());
  std::vector<float> weights(n * kFrameBlock, 0.0f);
  for (std::size_t t0 = 0; t0 < n_frames; t0 += kFrameBlock) {
    const std::size_t block = std::min(kFrameBlock, n_frames - t0);
    std::array<double, kFrameBlock> center{};
    for (std::size_t j = 0; j < block; ++j) {
      const auto t = static_cast<Eigen::Index>(t0 + j);
      l1_normalize_frame(magnitude.col(t).data(), n, weights.data() + j, kFrameBlock);
      // np.sum(freq * S_norm, axis=0): a float64 product laid out like S (frame-contiguous), so
      // each frame is summed pairwise.
      if (!given)
        out.centroid(t) = numpy_sum<double>(n, [&](std::size_t k) { return freq[k] * double(weights[k * kFrameBlock + j]); });
      center[j] = out.centroid(t);
    }
    if (!with_bandwidth) continue;
    // (Lanes past the last frame compute on stale weights and are not stored.)
    // np.sum(S_norm * deviation ** 2, axis=0): numpy lays this product out row by row (the
    // deviations are C-ordered), so the sum adds one bin after the other, for all frames at once.
    std::array<double, kFrameBlock> sum{};
    for (std::size_t k = 0; k < n; ++k) {
      const float* w = weights.data() + k * kFrameBlock;
      for (std::size_t j = 0; j < kFrameBlock; ++j) {
        const double deviation = std::abs(freq[k] - center[j]);
        sum[j] += double(w[j]) * (deviation * deviation);
      }
    }
    for (std::size_t j = 0; j < block; ++j) out.bandwidth(static_cast<Eigen::Index>(t0 + j)) = std::sqrt(sum[j]);
  }
  return out;
}

}  // namespace

Eigen::RowVectorXd spectral_centroid(const Eigen::MatrixXf& magnitude, double sr) {
  return centroid_bandwidth(magnitude, sr, nullptr, false).centroid;
}

Eigen::RowVectorXd spectral_bandwidth(const Eigen::MatrixXf& magnitude, const Eigen::RowVectorXd& centroid, double sr) {
  return centroid_bandwidth(magnitude, sr, &centroid, true).bandwidth;
}

CentroidBandwidth spectral_centroid_bandwidth(const Eigen::MatrixXf& magnitude, double sr) {
  return centroid_bandwidth(magnitude, sr, nullptr, true);
}

Eigen::RowVectorXd spectral_rolloff(const Eigen::MatrixXf& magnitude, double sr, double roll_percent) {
  const std::vector<double> freq = filters::fft_frequencies(sr, n_fft_of(magnitude));
  const auto n = static_cast<std::size_t>(magnitude.rows());
  const auto n_frames = static_cast<std::size_t>(magnitude.cols());
  Eigen::RowVectorXd rolloff(magnitude.cols());
  // np.cumsum in float32 is one long chain of dependent additions per frame; running the chains
  // of a block of frames side by side (bin-major) keeps the order and overlaps their latencies.
  std::vector<float> cumulative(n * kFrameBlock);
  for (std::size_t t0 = 0; t0 < n_frames; t0 += kFrameBlock) {
    const std::size_t block = std::min(kFrameBlock, n_frames - t0);
    std::array<const float*, kFrameBlock> s{};  // lanes past the last frame repeat it
    for (std::size_t j = 0; j < kFrameBlock; ++j) s[j] = magnitude.col(static_cast<Eigen::Index>(t0 + std::min(j, block - 1))).data();
    std::array<float, kFrameBlock> running{};
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t j = 0; j < kFrameBlock; ++j) cumulative[k * kFrameBlock + j] = running[j] += s[j][k];
    for (std::size_t j = 0; j < block; ++j) {
      // The threshold is float32 too (numpy casts roll_percent). The running sum never decreases,
      // so the first bin reaching the threshold is found by bisection.
      const float threshold = float(roll_percent) * running[j];
      std::size_t lo = 0, hi = n;
      while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (cumulative[mid * kFrameBlock + j] < threshold) lo = mid + 1; else hi = mid;
      }
      rolloff(static_cast<Eigen::Index>(t0 + j)) = lo < n ? freq[lo] : std::numeric_limits<double>::quiet_NaN();
    }
  }
  return rolloff;
}

Eigen::RowVectorXf rms(std::span<const float> y, int frame_length, int hop_length) {
  const auto length = static_cast<std::size_t>(frame_length), hop = static_cast<std::size_t>(hop_length);
  const std::vector<float> padded = pad(y, length / 2, length / 2, PadMode::reflect);
  const std::size_t n_frames = 1 + (padded.size() - length) / hop;
  Eigen::RowVectorXf out(static_cast<Eigen::Index>(n_frames));
  for (std::size_t t = 0; t < n_frames; ++t) {
    const float* x = padded.data() + t * hop;
    // np.mean(np.abs(x) ** 2, axis=0) over a frame-contiguous float32 array: pairwise in float32.
    const float power = numpy_sum<float>(length, [x](std::size_t i) { return x[i] * x[i]; }) / float(length);
    out(static_cast<Eigen::Index>(t)) = std::sqrt(power);
  }
  return out;
}

Eigen::RowVectorXd zero_crossing_rate(std::span<const float> y, int frame_length, int hop_length) {
  const auto length = static_cast<std::size_t>(frame_length), hop = static_cast<std::size_t>(hop_length);
  const std::vector<float> padded = pad(y, length / 2, length / 2, PadMode::edge);
  // crossings_before[j]: sign changes between consecutive samples up to position j of the padded
  // signal, so a frame's count is a difference (the frame's first sample has no predecessor).
  // librosa zeroes |y| <= 1e-10 (float32) and compares sign bits, so a sample counts as negative
  // exactly when y < -1e-10.
  constexpr float kZeroThreshold = 1e-10f;
  std::vector<std::uint32_t> crossings_before(padded.size(), 0);
  std::uint32_t count = 0;
  bool was_negative = padded[0] < -kZeroThreshold;
  for (std::size_t j = 1; j < padded.size(); ++j) {
    const bool negative = padded[j] < -kZeroThreshold;
    count += negative != was_negative ? 1 : 0;
    crossings_before[j] = count;
    was_negative = negative;
  }
  const std::size_t n_frames = 1 + (padded.size() - length) / hop;
  Eigen::RowVectorXd out(static_cast<Eigen::Index>(n_frames));
  for (std::size_t t = 0; t < n_frames; ++t) {
    const std::size_t start = t * hop;
    out(static_cast<Eigen::Index>(t)) = double(crossings_before[start + length - 1] - crossings_before[start]) / double(length);
  }
  return out;
}

}  // namespace sonotype::feature
