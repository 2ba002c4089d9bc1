// stft / istft / RealFft against librosa 0.8.1's numbers and against known signals.
#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>

#include "core/fft.h"
#include "core/spectrum.h"
#include "core/util.h"
#include "tests/unit/reference.h"

using namespace sonotype;

TEST_CASE("pad reflects and repeats edges like np.pad") {
  const std::vector<float> y = {1, 2, 3};
  // Expected values printed by numpy: np.pad([1,2,3], 5, mode="reflect"), and mode="edge"
  CHECK(pad(y, 5, 5, PadMode::reflect) == std::vector<float>{2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2});
  CHECK(pad(y, 2, 1, PadMode::edge) == std::vector<float>{1, 1, 1, 2, 3, 3});
  CHECK(pad(std::vector<float>{7}, 2, 2, PadMode::reflect) == std::vector<float>{7, 7, 7, 7, 7});
}

TEST_CASE("RealFft matches a direct DFT and inverts itself") {
  const std::size_t n = 64;
  std::mt19937 rng(1);
  std::normal_distribution<double> noise;
  std::vector<double> x(n), back(n);
  for (double& v : x) v = noise(rng);
  std::vector<std::complex<double>> X(n / 2 + 1);
  RealFft fft(n);
  fft.forward(x.data(), X.data());
  for (std::size_t k = 0; k <= n / 2; ++k) {
    std::complex<double> direct = 0;
    for (std::size_t i = 0; i < n; ++i) direct += x[i] * std::polar(1.0, -2 * std::numbers::pi * double(k * i) / double(n));
    CHECK(std::abs(X[k] - direct) < 1e-12);
  }
  fft.inverse(X.data(), back.data());
  for (std::size_t i = 0; i < n; ++i) CHECK(back[i] == doctest::Approx(x[i]).epsilon(1e-12));
}

TEST_CASE("stft of a sinusoid peaks at its bin") {
  const double sr = 22050, freq = 43 * sr / 2048;  // exactly bin 43
  std::vector<float> y(22050);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = float(std::sin(2 * std::numbers::pi * freq * double(i) / sr));
  const Spectrogram D = stft(y);
  CHECK(D.rows() == 1025);
  CHECK(D.cols() == 1 + 22050 / 512);
  Eigen::Index peak;
  D.col(20).cwiseAbs().maxCoeff(&peak);
  CHECK(peak == 43);
  // A Hann-windowed unit sinusoid on a bin centre has |X| = n_fft / 4.
  CHECK(std::abs(D(43, 20)) == doctest::Approx(512.0).epsilon(1e-4));
}

TEST_CASE("istft inverts stft") {
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> y(10000);
  for (float& v : y) v = u(rng);
  const std::vector<float> back = istft(stft(y), y.size());
  // librosa's inversion drops the last len % hop samples (its length is hop * (n_frames - 1)).
  const std::size_t exact = y.size() / 512 * 512;
  for (std::size_t i = 0; i < exact; ++i) REQUIRE(back[i] == doctest::Approx(y[i]).epsilon(1e-5).scale(1));
  for (std::size_t i = exact; i < y.size(); ++i) REQUIRE(back[i] == 0.0f);
}

TEST_CASE("stft magnitude matches librosa 0.8.1 on every reference clip") {
  test::for_each_reference([](const std::string&, const nlohmann::json& ref, const std::vector<float>& y) {
    REQUIRE(y.size() == ref.at("n_samples").get<std::size_t>());
    const Spectrogram D = stft(y);
    REQUIRE(D.cols() == ref.at("n_frames").get<Eigen::Index>());

    const Eigen::MatrixXd first = test::reference_matrix(ref.at("stft_magnitude_first_frames"));
    const Eigen::MatrixXd sums = test::reference_matrix(ref.at("stft_magnitude_frame_sums"));
    const double scale = std::max(1e-3, first.cwiseAbs().maxCoeff());
    for (Eigen::Index k = 0; k < first.rows(); ++k)
      for (Eigen::Index t = 0; t < first.cols(); ++t) REQUIRE(std::abs(std::abs(D(k, t)) - first(k, t)) <= 1e-6 * scale);
    for (Eigen::Index t = 0; t < D.cols(); ++t) {
      const double sum = D.col(t).cwiseAbs().cast<double>().sum();
      REQUIRE(std::abs(sum - sums(t, 0)) <= 1e-5 * std::max(1.0, sums(t, 0)));
    }
  });
}
