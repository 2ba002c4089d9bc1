// onset::onset_strength against librosa 0.8.1: a small example and every reference clip.
#include <doctest/doctest.h>

#include <cmath>

#include "core/feature/spectral.h"
#include "core/onset.h"
#include "core/spectrum.h"
#include "tests/unit/reference.h"

using namespace sonotype;

TEST_CASE("onset_strength matches librosa on a small spectrogram") {
  Eigen::MatrixXf S(4, 8);
  S << 0, 1, 5, 5, 2, 2, 9, 9,  //
      0, 0, 4, 6, 6, 1, 1, 8,   //
      3, 3, 3, 0, 7, 7, 7, 2,   //
      1, 2, 3, 4, 5, 6, 7, 8;
  // Printed by librosa 0.8.1: onset.onset_strength(S=S) and onset_strength(S=S, aggregate=np.median).
  CHECK(onset::onset_strength(S) == std::vector<float>{0, 0, 0, 0.5f, 2.25f, 0.75f, 2.0f, 0.25f});
  CHECK(onset::onset_strength(S, onset::Aggregate::median) == std::vector<float>{0, 0, 0, 0.5f, 2.5f, 0.5f, 0.5f, 0});
  // Shorter than the centring shift: all zero.
  CHECK(onset::onset_strength(S.leftCols(3)) == std::vector<float>{0, 0, 0});
  CHECK(onset::onset_strength(S.leftCols(1)) == std::vector<float>{0});
}

TEST_CASE("onset_strength matches librosa 0.8.1 on every reference clip") {
  // The references' onset_strength is librosa's default (aggregate=np.mean); beat_track's median
  // envelope is checked through the tempo in beat_test.cpp.
  test::for_each_reference([](const std::string&, const nlohmann::json& ref, const std::vector<float>& y) {
    const Eigen::MatrixXd expected = test::reference_matrix(ref.at("onset_strength"));
    const double scale = std::max(1.0, expected.cwiseAbs().maxCoeff());

    // From the audio, through the shared log-mel spectrogram.
    const Eigen::MatrixXf log_mel = power_to_db(feature::melspectrogram(feature::power_spectrogram(feature::magnitude_spectrogram(stft(y)))));
    const std::vector<float> envelope = onset::onset_strength(log_mel);
    REQUIRE(envelope.size() == std::size_t(expected.rows()));
    for (Eigen::Index t = 0; t < expected.rows(); ++t) {
      CAPTURE(t);
      REQUIRE(std::abs(envelope[std::size_t(t)] - expected(t, 0)) <= 1e-5 * scale);
    }

    // From librosa's own mel spectrogram where the reference has it (8 significant digits):
    // isolates the envelope from the mel spectrogram's rounding.
    if (!ref.contains("melspectrogram")) return;
    const Eigen::MatrixXf mel = test::reference_matrix(ref.at("melspectrogram")).cast<float>();
    const std::vector<float> from_mel = onset::onset_strength(power_to_db(mel));
    for (Eigen::Index t = 0; t < expected.rows(); ++t) {
      CAPTURE(t);
      REQUIRE(std::abs(from_mel[std::size_t(t)] - expected(t, 0)) <= 1e-6 * scale);
    }
  });
}
