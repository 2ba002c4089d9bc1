// Frequency grids and filter banks against their defining properties and librosa 0.8.1's values.
// Exact values were printed by the librosa 0.8.1 oracle, e.g.
//   float(librosa.filters.mel(22050, 2048)[0, 1]).hex()
//   float(librosa.filters.chroma(22050, 2048, tuning=-0.18)[9, 41]).hex()
#include <doctest/doctest.h>

#include <cmath>

#include "core/filters.h"

using namespace sonotype;

TEST_CASE("linspace and fft_frequencies follow numpy") {
  const std::vector<double> f = filters::fft_frequencies(22050, 2048);
  REQUIRE(f.size() == 1025);
  CHECK(f[0] == 0.0);
  CHECK(f[1] == 22050.0 / 2048);
  CHECK(f[1024] == 11025.0);
  // numpy: i * step + start, with the exact stop last.
  const std::vector<double> edges = filters::linspace(-0.5, 0.5, 101);
  CHECK(edges[33] == -0.16999999999999998);  // not -0.17: the tuning values librosa reports
  CHECK(edges[68] == 0.18000000000000005);
  CHECK(edges[100] == 0.5);
}

TEST_CASE("Slaney mel scale: librosa's documented values") {
  CHECK(filters::hz_to_mel(60) == doctest::Approx(0.9).epsilon(1e-15));
  CHECK(filters::hz_to_mel(110) == doctest::Approx(1.65).epsilon(1e-15));
  CHECK(filters::hz_to_mel(440) == doctest::Approx(6.6).epsilon(1e-15));
  CHECK(filters::hz_to_mel(1000) == doctest::Approx(15.0).epsilon(1e-15));  // where the log part starts
  // numpy's own SIMD log/exp (AVX-512 here) and the C library's can differ in the last bit or two
  // of a double; the float32 filter bank built on them is still identical (next test).
  CHECK(filters::hz_to_mel(11025) == doctest::Approx(0x1.8f48e5c2419c3p+5).epsilon(1e-15));
  CHECK(filters::mel_to_hz(3) == doctest::Approx(200.0).epsilon(1e-15));
  for (const double hz : {20.0, 999.0, 1000.0, 1001.0, 8000.0, 11025.0})
    CHECK(filters::mel_to_hz(filters::hz_to_mel(hz)) == doctest::Approx(hz).epsilon(1e-13));

  const std::vector<double> f = filters::mel_frequencies(40, 0, 11025);
  CHECK(f[0] == 0.0);
  CHECK(f[1] == doctest::Approx(85.31725552).epsilon(1e-9));
  CHECK(f[12] == doctest::Approx(1024.85554588).epsilon(1e-9));
  CHECK(f[39] == doctest::Approx(11025.0).epsilon(1e-13));
  CHECK(filters::mel_frequencies(130, 0, 11025)[64] == doctest::Approx(0x1.e91e6105aea13p+10).epsilon(1e-15));
}

TEST_CASE("mel filter bank: Slaney triangles equal to librosa float32 values") {
  const Eigen::MatrixXf M = filters::mel(22050, 2048);
  REQUIRE(M.rows() == 128);
  REQUIRE(M.cols() == 1025);
  CHECK(M.minCoeff() == 0.0f);

  const std::vector<double> edges = filters::mel_frequencies(130, 0, 11025);
  const double bin_hz = 22050.0 / 2048;
  int non_zero = 0;
  for (Eigen::Index i = 0; i < M.rows(); ++i) {
    CAPTURE(i);
    // One contiguous run of bins, strictly inside (edges[i], edges[i + 2]).
    Eigen::Index first = 0, last = M.cols();
    while (M(i, first) == 0.0f) ++first;
    while (M(i, last - 1) == 0.0f) --last;
    CHECK((M.row(i).segment(first, last - first).array() > 0).all());
    CHECK(double(first) * bin_hz > edges[size_t(i)]);
    CHECK(double(last - 1) * bin_hz < edges[size_t(i) + 2]);
    non_zero += int(last - first);
    // Slaney normalisation: the triangle of height 2 / width has unit area (in Hz), which the
    // bin sum approximates once a band spans many bins.
    if (i >= 40) CHECK(M.row(i).cast<double>().sum() * bin_hz == doctest::Approx(1.0).epsilon(0.02));
  }
  CHECK(non_zero == 2018);

  CHECK(M(0, 1) == 0x1.0923cep-6f);
  CHECK(M(0, 2) == 0x1.0923cep-5f);
  CHECK(M(10, 25) == 0x1.1487dap-6f);
  CHECK(M(40, 99) == 0x1.e3c7e4p-6f);
  CHECK(M(64, 187) == 0x1.1b18acp-6f);
  CHECK(M(100, 487) == 0x1.ba9914p-8f);
  CHECK(M(127, 1000) == 0x1.99c372p-9f);
  CHECK(M(127, 1024) == 0.0f);
  CHECK(M.cast<double>().sum() == doctest::Approx(0x1.7c5fb17177500p+3).epsilon(1e-14));
}

TEST_CASE("chroma filter bank: unit-norm pitch-class bumps under an octave weighting") {
  const Eigen::MatrixXf C = filters::chroma(22050, 2048);
  REQUIRE(C.rows() == 12);
  REQUIRE(C.cols() == 1025);
  CHECK(C.minCoeff() >= 0.0f);
  // Row 0 is C: the bin nearest C4 (261.6 Hz, bin 24.3) peaks in row 0, A4 (440 Hz, bin 40.9) in 9.
  Eigen::Index row;
  C.col(24).maxCoeff(&row);
  CHECK(row == 0);
  C.col(41).maxCoeff(&row);
  CHECK(row == 9);
  // Each column has unit L2 norm before the octave weighting exp(-0.5 ((octs - 5) / 2)^2), where
  // octs counts octaves above A0 = 27.5 Hz.
  for (const Eigen::Index k : {10, 41, 200, 1024}) {
    const double octs = std::log2(double(k) * 22050 / 2048 / 27.5);
    const double weight = std::exp(-0.5 * std::pow((octs - 5.0) / 2.0, 2));
    CHECK(C.col(k).cast<double>().norm() == doctest::Approx(weight).epsilon(1e-6));
  }
  CHECK(C.cast<double>().sum() == doctest::Approx(0x1.4d2546e21ce7cp+9).epsilon(1e-13));

  // Tuned as estimate_tuning found blues.00000 (-0.18 bin): librosa's float32 values.
  const Eigen::MatrixXf T = filters::chroma(22050, 2048, 12, -0.18);
  CHECK(T(0, 0) == 0x1.2a4c0ap-13f);
  CHECK(T(0, 24) == 0x1.56419ap-1f);
  CHECK(T(9, 41) == 0x1.ac468cp-1f);
  CHECK(T(9, 82) == 0x1.e2eae8p-1f);
  CHECK(T(3, 300) == 0x1.f9d97cp-65f);
  CHECK(T(11, 1024) == 0x1.7a5044p-105f);
  CHECK(T.cast<double>().sum() == doctest::Approx(0x1.4aeb08a5da37ep+9).epsilon(1e-13));
}
