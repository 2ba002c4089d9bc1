#pragma once
// The statistics of the GTZAN feature table, np.mean and np.var, reproduced to the bit, and the
// np.median that librosa's tuning estimate and onset strength use.
//
// numpy sums in the array's own dtype (float32 stays float32) with pairwise summation, over the
// array's memory order in blocks of 8192 elements (its iterator's buffer size) whose pairwise sums
// are added one after the other. Rounding differs from a plain loop by far more than the last bit
// for long float32 arrays, and the mean of a zero-mean waveform (librosa.effects.hpss outputs:
// ~1e-5 from values ~0.1) depends on it, so the order is kept exactly.
#include <Eigen/Core>
#include <cstddef>
#include <span>

namespace sonotype {

namespace detail {

// numpy's pairwise_sum (umath loops): 8 interleaved partial sums for up to 128 values, halving
// (at a multiple of 8) above that, and a plain loop below 8. value(i) gives element i in T.
template <class T, class Value>
T pairwise_sum(const Value& value, std::size_t begin, std::size_t n) {
  if (n < 8) {
    T sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += value(begin + i);
    return sum;
  }
  if (n <= 128) {
    T r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = value(begin + j);
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (std::size_t j = 0; j < 8; ++j) r[j] += value(begin + i + j);
    T sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += value(begin + i);
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return pairwise_sum<T>(value, begin, half) + pairwise_sum<T>(value, begin + half, n - half);
}

}  // namespace detail

// np.add.reduce over n elements in memory order, accumulating in T: value(i) is element i.
template <class T, class Value>
T numpy_sum(std::size_t n, const Value& value) {
  constexpr std::size_t kBufferSize = 8192;
  T sum = 0;
  for (std::size_t begin = 0; begin < n; begin += kBufferSize)
    sum += detail::pairwise_sum<T>(value, begin, n - begin < kBufferSize ? n - begin : kBufferSize);
  return sum;
}

inline float numpy_sum(std::span<const float> a) {
  return numpy_sum<float>(a.size(), [a](std::size_t i) { return a[i]; });
}
inline double numpy_sum(std::span<const double> a) {
  return numpy_sum<double>(a.size(), [a](std::size_t i) { return a[i]; });
}

// np.mean(a) and np.var(a) (population variance, ddof=0) of a 1-D array. A float32 array gives
// numpy's float32 result, returned widened to double. Empty input gives NaN, as numpy does.
double mean(std::span<const float> a);
double mean(std::span<const double> a);
double var(std::span<const float> a);
double var(std::span<const double> a);

// np.median of float32 values: the middle value, or for an even count the float32 mean of the two
// middle values. Reorders `a` (partial sort). Empty input gives NaN.
float median(std::span<float> a);

// How numpy lays out a 2-D array: row by row (C) or column by column (F). An Eigen matrix is
// always column-major; `order` says which order the numpy array it stands for had, which decides
// the summation order. librosa's np.dot products (chroma_stft, melspectrogram) are C-ordered.
enum class NumpyOrder { C, F };

// np.mean(a) and np.var(a) over all elements of a float32 matrix.
double mean(const Eigen::MatrixXf& a, NumpyOrder order);
double var(const Eigen::MatrixXf& a, NumpyOrder order);

}  // namespace sonotype
