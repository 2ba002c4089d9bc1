#include "core/audio.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__)
#define SONOTYPE_DOT_AVX2 1
#include <immintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace sonotype {

namespace {

struct FilterSpec {
  int zeros;      // zero crossings kept on each side
  int precision;  // log2 of the table entries per zero crossing
  double beta;    // Kaiser window shape
  double rolloff; // cut-off as a fraction of the Nyquist frequency
};

// resampy 0.4.2's filters.py documents the parameters its stored tables were made with.
FilterSpec spec(ResampleFilter filter) {
  switch (filter) {
    case ResampleFilter::kaiser_fast: return {24, 9, 9.90322, 0.868212};
    case ResampleFilter::kaiser_best: break;
  }
  return {50, 13, 12.9846, 0.917347};
}

// The modified Bessel function of the first kind, order 0, by its power series
// sum_k ((x/2)^2)^k / (k!)^2, which for the Kaiser betas here (< 13) converges in ~40 terms.
double bessel_i0(double x) {
  const double q = x * x / 4;
  double term = 1, sum = 1;
  for (int k = 1; k < 200 && term > sum * 1e-17; ++k) {
    term *= q / (double(k) * double(k));
    sum += term;
  }
  return sum;
}

// Entry k of resampy.filters.sinc_window(zeros, precision, kaiser(2n + 1, beta), rolloff):
// the right half of a Kaiser-windowed sinc sampled at 2^precision points per zero crossing.
double table_entry(const FilterSpec& f, std::int64_t k, double i0_beta) {
  const double per_zero = std::ldexp(1.0, f.precision);
  const double n = per_zero * f.zeros;
  const double y = std::numbers::pi * (f.rolloff * (double(k) / per_zero));  // np.sinc's pi * x
  const double sinc = k == 0 ? 1.0 : std::sin(y) / y;
  const double r = double(k) / n;  // scipy's kaiser: (m - alpha) / alpha for the right half
  const double taper = bessel_i0(f.beta * std::sqrt(1 - r * r)) / i0_beta;
  return taper * (f.rolloff * sinc);
}

// The filter's dot product with the input; n is a multiple of kLanes. Four independent vector
// sums hide the latency of the additions. GCC does not vectorise the plain loop well (it reached a
// third of the AVX2 version's speed), so the two SIMD targets are written with intrinsics: AVX2 +
// FMA where the CPU has it, WebAssembly's f64x2; other targets take the plain loop.
constexpr std::size_t kLanes = 16;

#if !defined(__wasm_simd128__)
double dot_plain(const double* w, const double* x, std::size_t n) {
  double acc[kLanes] = {};
  for (std::size_t j = 0; j < n; j += kLanes)
    for (std::size_t k = 0; k < kLanes; ++k) acc[k] += w[j + k] * x[j + k];
  for (std::size_t width = kLanes / 2; width > 0; width /= 2)
    for (std::size_t k = 0; k < width; ++k) acc[k] += acc[k + width];
  return acc[0];
}
#endif

#if defined(SONOTYPE_DOT_AVX2)
__attribute__((target("avx2,fma"))) double dot_avx2(const double* w, const double* x, std::size_t n) {
  __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  for (std::size_t j = 0; j < n; j += kLanes) {
    a0 = _mm256_fmadd_pd(_mm256_loadu_pd(w + j), _mm256_loadu_pd(x + j), a0);
    a1 = _mm256_fmadd_pd(_mm256_loadu_pd(w + j + 4), _mm256_loadu_pd(x + j + 4), a1);
    a2 = _mm256_fmadd_pd(_mm256_loadu_pd(w + j + 8), _mm256_loadu_pd(x + j + 8), a2);
    a3 = _mm256_fmadd_pd(_mm256_loadu_pd(w + j + 12), _mm256_loadu_pd(x + j + 12), a3);
  }
  double sum[4];
  _mm256_storeu_pd(sum, _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
  return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}
#endif

#if defined(__wasm_simd128__)
double dot_wasm(const double* w, const double* x, std::size_t n) {
  v128_t acc[8];
  for (v128_t& a : acc) a = wasm_f64x2_splat(0.0);
  for (std::size_t j = 0; j < n; j += kLanes)
    for (std::size_t k = 0; k < 8; ++k)
      acc[k] = wasm_f64x2_add(acc[k], wasm_f64x2_mul(wasm_v128_load(w + j + 2 * k), wasm_v128_load(x + j + 2 * k)));
  for (std::size_t width = 4; width > 0; width /= 2)
    for (std::size_t k = 0; k < width; ++k) acc[k] = wasm_f64x2_add(acc[k], acc[k + width]);
  return wasm_f64x2_extract_lane(acc[0], 0) + wasm_f64x2_extract_lane(acc[0], 1);
}
#endif

double dot(const double* w, const double* x, std::size_t n) {
#if defined(SONOTYPE_DOT_AVX2)
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return avx2 ? dot_avx2(w, x, n) : dot_plain(w, x, n);
#elif defined(__wasm_simd128__)
  return dot_wasm(w, x, n);
#else
  return dot_plain(w, x, n);
#endif
}

// A period of at most this many weights (phases x taps) is tabulated once; longer ones (rate
// pairs with a large period, e.g. 44101 -> 22050) have each output's row computed from the table.
constexpr std::size_t kMaxTabulatedWeights = std::size_t(1) << 20;
constexpr std::size_t kChunk = 65536;  // input samples converted to double per step

}  // namespace

std::vector<double> resample_filter_table(ResampleFilter filter) {
  const FilterSpec f = spec(filter);
  const std::int64_t n = (std::int64_t(1) << f.precision) * f.zeros;
  const double i0_beta = bessel_i0(f.beta);
  std::vector<double> table(static_cast<std::size_t>(n + 1));
  for (std::int64_t k = 0; k <= n; ++k) table[static_cast<std::size_t>(k)] = table_entry(f, k, i0_beta);
  return table;
}

std::vector<float> to_mono(std::span<const float> interleaved, int channels) {
  if (channels < 1) throw std::invalid_argument("to_mono: no channels");
  const std::size_t c = static_cast<std::size_t>(channels), frames = interleaved.size() / c;
  std::vector<float> y(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    float sum = 0;
    for (std::size_t j = 0; j < c; ++j) sum += interleaved[i * c + j];
    y[i] = channels == 1 ? sum : sum / float(channels);
  }
  return y;
}

Resampler::Resampler(int orig_sr, int target_sr, ResampleFilter filter)
    : orig_sr_(orig_sr), target_sr_(target_sr), same_rate_(orig_sr == target_sr), filter_(filter) {
  if (orig_sr < 1 || target_sr < 1) throw std::invalid_argument("resample: sample rates must be positive");
  if (same_rate_) return;
  const FilterSpec f = spec(filter);
  const std::int64_t per_zero = std::int64_t(1) << f.precision;
  const std::int64_t table_size = per_zero * f.zeros + 1;
  const double ratio = double(target_sr) / double(orig_sr);
  scale_ = std::min(1.0, ratio);
  time_increment_ = 1.0 / ratio;
  // resampy: index_step = int(scale * num_table); a wing has at most table_size // index_step taps.
  const std::int64_t index_step = static_cast<std::int64_t>(scale_ * double(per_zero));
  // Below one table entry per step the filter has no taps left (resampy divides by zero there):
  // only a damaged header claims such a rate, so it is refused rather than resampled.
  if (index_step < 1)
    throw std::invalid_argument("cannot resample from " + std::to_string(orig_sr) + " Hz to " +
                                std::to_string(target_sr) + " Hz: the rates are too far apart");
  const std::int64_t wing = table_size / index_step;
  lowest_tap_ = -static_cast<int>(wing - 1);
  taps_ = (static_cast<std::size_t>(2 * wing) + kLanes - 1) / kLanes * kLanes;

  const std::int64_t g = std::gcd(orig_sr, target_sr);
  const std::int64_t period_outputs = target_sr / g;
  const bool tabulate = std::size_t(period_outputs) * taps_ <= kMaxTabulatedWeights;

  // resampy scales the window by the ratio when downsampling, and interpolates linearly between
  // its entries with the differences np.diff(window, append=window[-1]).
  const double i0_beta = bessel_i0(f.beta);
  auto window = [&](std::int64_t k) {
    const double w = table_entry(f, k, i0_beta);
    return ratio < 1 ? ratio * w : w;
  };
  if (!tabulate) {
    table_.resize(static_cast<std::size_t>(table_size));
    for (std::int64_t k = 0; k < table_size; ++k) table_[std::size_t(k)] = window(k);
    delta_.assign(table_.size(), 0.0);
    for (std::size_t k = 0; k + 1 < table_.size(); ++k) delta_[k] = table_[k + 1] - table_[k];
    rows_.assign(taps_, 0.0);
    return;
  }
  phases_ = period_outputs;
  step_ = orig_sr / g;
  rows_.assign(std::size_t(phases_) * taps_, 0.0);
  first_.resize(std::size_t(phases_));
  for (std::int64_t p = 0; p < phases_; ++p) {
    // Output p of a period interpolates at p * step / phases: whole part n, fraction frac.
    const std::int64_t n = p * step_ / phases_;
    first_[std::size_t(p)] = n + lowest_tap_;
    double* row = &rows_[std::size_t(p) * taps_];
    const double frac = scale_ * (double((p * step_) % phases_) / double(phases_));
    // resampy's loop: the left wing weighs x[n - i] from offset frac * num_table, the right wing
    // x[n + 1 + k] from (scale - frac) * num_table, both in steps of index_step table entries.
    for (const bool left : {true, false}) {
      const double index = (left ? frac : scale_ - frac) * double(per_zero);
      const std::int64_t offset = static_cast<std::int64_t>(index);
      const double eta = index - double(offset);
      const std::int64_t count = (table_size - offset) / index_step;
      for (std::int64_t i = 0; i < count; ++i) {
        const std::int64_t k = offset + i * index_step;
        const double w = window(k), next = k + 1 < table_size ? window(k + 1) : w;
        const std::int64_t position = left ? -i : 1 + i;
        row[position - lowest_tap_] = w + eta * (next - w);
      }
    }
  }
}

std::int64_t Resampler::output_count(std::int64_t inputs) const {
  // resampy: int(n * float(sr_new) / float(sr_orig))
  return static_cast<std::int64_t>(double(inputs) * double(target_sr_) / double(orig_sr_));
}

const double* Resampler::weights(std::int64_t t, std::int64_t& first_input) {
  if (phases_ > 0) {  // t = period_ * phases_ + phase_
    first_input = period_ * step_ + first_[std::size_t(phase_)];
    return &rows_[std::size_t(phase_) * taps_];
  }
  // resampy's own arithmetic: time t * (1 / ratio), its whole part and scaled fraction.
  const FilterSpec f = spec(filter_);
  const double per_zero = std::ldexp(1.0, f.precision);
  const std::int64_t index_step = static_cast<std::int64_t>(scale_ * per_zero);
  const std::int64_t table_size = static_cast<std::int64_t>(table_.size());
  const double time = double(t) * time_increment_;
  const std::int64_t n = static_cast<std::int64_t>(time);
  const double frac = scale_ * (time - double(n));
  first_input = n + lowest_tap_;
  std::fill(rows_.begin(), rows_.end(), 0.0);
  for (const bool left : {true, false}) {
    const double index = (left ? frac : scale_ - frac) * per_zero;
    const std::int64_t offset = static_cast<std::int64_t>(index);
    const double eta = index - double(offset);
    const std::int64_t count = (table_size - offset) / index_step;
    for (std::int64_t i = 0; i < count; ++i) {
      const std::size_t k = std::size_t(offset + i * index_step);
      rows_[std::size_t((left ? -i : 1 + i) - lowest_tap_)] = table_[k] + eta * delta_[k];
    }
  }
  return rows_.data();
}

void Resampler::emit_ready(std::int64_t available) {
  const std::int64_t limit = output_count(inputs_);
  while (next_output_ < limit) {
    std::int64_t first = 0;
    const double* w = weights(next_output_, first);
    if (first + std::int64_t(taps_) > available) break;
    out_.push_back(float(dot(w, &buffer_[std::size_t(first - buffer_start_)], taps_)));
    ++next_output_;
    if (phases_ > 0 && ++phase_ == phases_) phase_ = 0, ++period_;
  }
  // Drop the input no later output reads (outputs' first taps only move forward).
  std::int64_t keep_from = 0;
  weights(next_output_, keep_from);
  const std::int64_t drop = std::min<std::int64_t>(keep_from - buffer_start_, std::int64_t(buffer_.size()));
  if (drop > std::int64_t(kChunk)) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + drop);
    buffer_start_ += drop;
  }
}

void Resampler::push(std::span<const float> x) {
  if (same_rate_) {
    out_.insert(out_.end(), x.begin(), x.end());
    inputs_ += std::int64_t(x.size());
    return;
  }
  if (inputs_ == 0 && buffer_.empty()) {
    // resampy's edge: samples before the start are zeros.
    buffer_.assign(std::size_t(-lowest_tap_), 0.0);
    buffer_start_ = lowest_tap_;
  }
  for (std::size_t begin = 0; begin < x.size(); begin += kChunk) {
    const std::span<const float> chunk = x.subspan(begin, std::min(kChunk, x.size() - begin));
    buffer_.insert(buffer_.end(), chunk.begin(), chunk.end());
    inputs_ += std::int64_t(chunk.size());
    emit_ready(inputs_);
  }
}

std::vector<float> Resampler::finish() {
  if (same_rate_) return std::move(out_);
  if (output_count(inputs_) < 1) {
    throw std::invalid_argument("too short to resample (" + std::to_string(inputs_) + " samples at " +
                                std::to_string(orig_sr_) + " Hz)");
  }
  // resampy's edge: samples after the end are zeros.
  buffer_.insert(buffer_.end(), taps_, 0.0);
  emit_ready(inputs_ + std::int64_t(taps_));
  // librosa.resample: fix_length(y_hat, int(ceil(n * ratio))).
  const double ratio = double(target_sr_) / double(orig_sr_);
  out_.resize(static_cast<std::size_t>(std::ceil(double(inputs_) * ratio)), 0.0f);
  buffer_ = {};
  return std::move(out_);
}

std::vector<float> resample(std::span<const float> y, int orig_sr, int target_sr, ResampleFilter filter) {
  Resampler resampler(orig_sr, target_sr, filter);
  resampler.push(y);
  return resampler.finish();
}

}  // namespace sonotype
