// np.mean / np.var / np.median reproduced to the bit. The expected values were printed (as hex
// floats) by numpy 1.24.2, the oracle's numpy, for the same inputs:
//   i = np.arange(n, dtype=np.float64); a64 = ((i * 7919) % 10007) / 10007 - 0.49
//   a32 = a64.astype(np.float32); float(np.mean(a32)).hex(), ...
// The sequence is computed exactly the same way here (IEEE double division), so a mismatch means
// the summation order differs from numpy's.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "core/stats.h"

using namespace sonotype;

namespace {

std::vector<double> sequence64(std::size_t n) {
  std::vector<double> a(n);
  for (std::size_t i = 0; i < n; ++i) a[i] = double((std::uint64_t(i) * 7919) % 10007) / 10007.0 - 0.49;
  return a;
}

std::vector<float> sequence32(std::size_t n) {
  const std::vector<double> a = sequence64(n);
  return std::vector<float>(a.begin(), a.end());
}

}  // namespace

TEST_CASE("np.mean and np.var of a long float32 array bit for bit") {
  const std::vector<float> a = sequence32(661794);  // a 30-s clip's samples
  CHECK(mean(a) == 0x1.4612ba0000000p-7);
  CHECK(var(a) == 0x1.5555580000000p-4);

  // The same sum in a plain float32 loop is far off: the order matters.
  float naive = 0;
  for (std::size_t i = 0; i < 100000; ++i) naive += a[i];
  CHECK(naive == 0x1.f1bf400000000p+9f);
  CHECK(numpy_sum(std::span<const float>(a).first(100000)) == 0x1.f1bf5e0000000p+9f);
}

TEST_CASE("np.sum and np.mean and np.var around numpy block sizes 8 128 8192") {
  const std::vector<float> a = sequence32(8193);
  struct Case {
    std::size_t n;
    float sum, mean, var;
  };
  const Case cases[] = {
      {1, -0x1.f5c29p-2f, -0x1.f5c29p-2f, 0.0f},
      {7, 0x1.81923cp-3f, 0x1.b8a72p-6f, 0x1.afa91p-4f},
      {8, 0x1.e6c9d0p-3f, 0x1.e6c9d0p-6f, 0x1.79ee24p-4f},
      {9, 0x1.415d40p-4f, 0x1.1da838p-7f, 0x1.5e6142p-4f},
      {127, 0x1.546e4cp+0f, 0x1.571c86p-7f, 0x1.595f34p-4f},
      {128, 0x1.573be0p+0f, 0x1.573be0p-7f, 0x1.56ac76p-4f},
      {129, 0x1.249f1cp+0f, 0x1.225a68p-7f, 0x1.5561f8p-4f},
      {8191, 0x1.467f8ap+6f, 0x1.4689bep-7f, 0x1.555f16p-4f},
      {8192, 0x1.483350p+6f, 0x1.483350p-7f, 0x1.556a86p-4f},
      {8193, 0x1.49116cp+6f, 0x1.490724p-7f, 0x1.556554p-4f},
  };
  for (const Case& c : cases) {
    CAPTURE(c.n);
    const std::span<const float> head = std::span<const float>(a).first(c.n);
    CHECK(numpy_sum(head) == c.sum);
    CHECK(mean(head) == double(c.mean));
    CHECK(var(head) == double(c.var));
  }
}

TEST_CASE("np.mean and np.var of a float64 array") {
  const std::vector<double> a = sequence64(661794);
  CHECK(mean(a) == 0x1.4612ba07896afp-7);
  CHECK(var(a) == 0x1.555556320f0a3p-4);
}

TEST_CASE("np.mean and np.var of a 2-D float32 array follow its memory order") {
  // numpy: m = a32[:12 * 1293].reshape(12, 1293) (C order) and np.asfortranarray(m) (F order).
  const std::vector<float> a = sequence32(12 * 1293);
  const Eigen::MatrixXf m = Eigen::Map<const Eigen::Matrix<float, 12, Eigen::Dynamic, Eigen::RowMajor>>(a.data(), 12, 1293);
  CHECK(mean(m, NumpyOrder::C) == 0x1.49e07ep-7);
  CHECK(var(m, NumpyOrder::C) == 0x1.555f2ep-4);
  CHECK(mean(m, NumpyOrder::F) == 0x1.49e07cp-7);
  CHECK(var(m, NumpyOrder::F) == 0x1.555f2ep-4);
}

TEST_CASE("np.median of float32 values") {
  std::vector<float> even = sequence32(1000), odd = sequence32(1001);
  CHECK(median(even) == 0x1.566a50p-7f);
  CHECK(median(odd) == 0x1.460af2p-7f);
  std::vector<float> two = {1.0f, 0x1.000002p0f};  // the float32 mean of the two rounds to even
  CHECK(median(two) == 1.0f);
}
