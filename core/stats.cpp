#include "core/stats.h"

#include <algorithm>
#include <limits>

namespace sonotype {

namespace {

// np.mean: the sum in T divided by the count in T. (numpy divides a float32 sum in double and
// rounds; for a division that double rounding never changes the float32 result.)
template <class T, class Value>
double mean_of(std::size_t n, const Value& value) {
  return double(numpy_sum<T>(n, value) / T(n));
}

// np.var(ddof=0): the mean in T, then the mean of the squared deviations, each computed in T.
template <class T, class Value>
double var_of(std::size_t n, const Value& value) {
  const T mean = numpy_sum<T>(n, value) / T(n);
  const T sum_sq = numpy_sum<T>(n, [&](std::size_t i) {
    const T d = value(i) - mean;
    return d * d;
  });
  return double(sum_sq / T(n));
}

// Element i, in numpy's memory order, of the numpy array that the column-major matrix `a` stands
// for: Eigen's own order for F, row by row for C.
auto numpy_element(const Eigen::MatrixXf& a, NumpyOrder order) {
  const auto rows = static_cast<std::size_t>(a.rows()), cols = static_cast<std::size_t>(a.cols());
  const float* data = a.data();
  return [=](std::size_t i) { return order == NumpyOrder::F ? data[i] : data[(i % cols) * rows + i / cols]; };
}

}  // namespace

double mean(std::span<const float> a) {
  return mean_of<float>(a.size(), [a](std::size_t i) { return a[i]; });
}
double mean(std::span<const double> a) {
  return mean_of<double>(a.size(), [a](std::size_t i) { return a[i]; });
}
double var(std::span<const float> a) {
  return var_of<float>(a.size(), [a](std::size_t i) { return a[i]; });
}
double var(std::span<const double> a) {
  return var_of<double>(a.size(), [a](std::size_t i) { return a[i]; });
}

float median(std::span<float> a) {
  if (a.empty()) return std::numeric_limits<float>::quiet_NaN();
  const auto middle = a.begin() + static_cast<std::ptrdiff_t>(a.size() / 2);
  std::nth_element(a.begin(), middle, a.end());
  if (a.size() % 2 == 1) return *middle;
  // np.mean of the two middle values: their float32 sum, halved.
  const float below = *std::max_element(a.begin(), middle);
  return (below + *middle) / 2.0f;
}

double mean(const Eigen::MatrixXf& a, NumpyOrder order) {
  return mean_of<float>(static_cast<std::size_t>(a.size()), numpy_element(a, order));
}
double var(const Eigen::MatrixXf& a, NumpyOrder order) {
  return var_of<float>(static_cast<std::size_t>(a.size()), numpy_element(a, order));
}

}  // namespace sonotype
