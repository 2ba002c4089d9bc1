// median_filter, decompose::hpss and effects::hpss against scipy / librosa 0.8.1 and known signals.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

#include "core/decompose.h"
#include "core/effects.h"
#include "core/feature/spectral.h"
#include "core/median_filter.h"
#include "core/spectrum.h"
#include "core/stats.h"
#include "tests/unit/feature_table.h"
#include "tests/unit/reference.h"

using namespace sonotype;

namespace {

// scipy.ndimage's "reflect" extension: position q of a line of n samples, mirrored with the edge
// repeated and periodic beyond.
Eigen::Index reflect(Eigen::Index q, Eigen::Index n) {
  const Eigen::Index period = 2 * n;
  Eigen::Index m = q % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

// The median of each window by sorting it: what median_filter must equal exactly.
Eigen::MatrixXf brute_force_median(const Eigen::MatrixXf& S, int size_rows, int size_cols) {
  Eigen::MatrixXf out(S.rows(), S.cols());
  std::vector<float> window;
  for (Eigen::Index r = 0; r < S.rows(); ++r)
    for (Eigen::Index c = 0; c < S.cols(); ++c) {
      window.clear();
      for (Eigen::Index i = -(size_rows / 2); i <= size_rows / 2; ++i)
        for (Eigen::Index j = -(size_cols / 2); j <= size_cols / 2; ++j)
          window.push_back(S(reflect(r + i, S.rows()), reflect(c + j, S.cols())));
      std::sort(window.begin(), window.end());
      out(r, c) = window[window.size() / 2];
    }
  return out;
}

Eigen::MatrixXf from_rows(const std::vector<std::vector<float>>& rows) {
  Eigen::MatrixXf m(Eigen::Index(rows.size()), Eigen::Index(rows[0].size()));
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < rows[r].size(); ++c) m(Eigen::Index(r), Eigen::Index(c)) = rows[r][c];
  return m;
}

}  // namespace

TEST_CASE("median_filter matches scipy.ndimage.median_filter with mode reflect") {
  // Expected values printed by scipy 1.10: median_filter(S, size=..., mode="reflect").
  const Eigen::MatrixXf S = from_rows({{9, 6, 6, 8, 5, 7, 8},
                                       {2, 0, 3, 2, 8, 9, 0},
                                       {4, 8, 1, 7, 1, 4, 8},
                                       {3, 3, 2, 7, 2, 9, 4},
                                       {4, 5, 5, 5, 5, 9, 8}});
  CHECK(median_filter(S, 1, 5) == from_rows({{6, 8, 6, 6, 7, 8, 7},
                                             {2, 2, 2, 3, 3, 2, 8},
                                             {4, 4, 4, 4, 4, 7, 4},
                                             {3, 3, 3, 3, 4, 4, 4},
                                             {5, 5, 5, 5, 5, 8, 8}}));
  CHECK(median_filter(S, 5, 1) == from_rows({{4, 6, 3, 7, 5, 7, 8},
                                             {4, 6, 3, 7, 5, 7, 8},
                                             {4, 5, 3, 7, 5, 9, 8},
                                             {4, 5, 3, 5, 5, 9, 8},
                                             {4, 5, 2, 7, 2, 9, 8}}));
  // Windows much longer than the lines wrap around the reflection several times.
  CHECK(median_filter(S, 1, 31) == from_rows({{7, 7, 7, 7, 7, 7, 7},
                                              {2, 2, 2, 2, 2, 2, 2},
                                              {4, 4, 4, 4, 4, 4, 4},
                                              {3, 3, 3, 3, 3, 3, 3},
                                              {5, 5, 5, 5, 5, 5, 5}}));
  CHECK(median_filter(S, 31, 1) == from_rows({{4, 5, 3, 7, 5, 9, 8},
                                              {4, 5, 3, 7, 5, 9, 8},
                                              {4, 5, 3, 7, 5, 9, 8},
                                              {4, 5, 3, 7, 5, 9, 8},
                                              {4, 5, 3, 7, 5, 9, 8}}));
}

TEST_CASE("median_filter equals the sorted middle of every reflected window") {
  std::mt19937 rng(3);
  std::exponential_distribution<float> magnitude;
  // Sizes around the 16-line SIMD blocks and the 16-output blocks of width 31; rounded values
  // give many ties.
  for (const Eigen::Index rows : {1, 4, 15, 17, 33})
    for (const Eigen::Index cols : {1, 2, 16, 31, 47})
      for (const int width : {1, 3, 7, 31}) {
        CAPTURE(rows);
        CAPTURE(cols);
        CAPTURE(width);
        Eigen::MatrixXf S(rows, cols);
        for (float& v : S.reshaped()) v = std::round(magnitude(rng) * 4) / 4;
        REQUIRE(median_filter(S, 1, width) == brute_force_median(S, 1, width));
        REQUIRE(median_filter(S, width, 1) == brute_force_median(S, width, 1));
      }
}

TEST_CASE("median_filter rejects even and two-dimensional windows") {
  const Eigen::MatrixXf S = Eigen::MatrixXf::Ones(4, 4);
  CHECK_THROWS_AS(median_filter(S, 1, 4), std::invalid_argument);
  CHECK_THROWS_AS(median_filter(S, 3, 3), std::invalid_argument);
  CHECK_THROWS_AS(median_filter(S, 1, 0), std::invalid_argument);
  CHECK(median_filter(Eigen::MatrixXf(0, 5), 1, 31).size() == 0);
}

TEST_CASE("hpss separates a steady tone from a click") {
  // 1 s of a 1 kHz tone with a click in the middle: the tone's bins go to the harmonic part,
  // the click's frame (away from the tone's bins) to the percussive part.
  std::vector<float> y(22050);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = 0.5f * float(std::sin(2 * std::numbers::pi * 1000.0 * double(i) / 22050));
  y[11025] += 1.0f;
  const Spectrogram D = stft(y);
  const decompose::SoftMasks masks = decompose::hpss_masks(feature::magnitude_spectrogram(D));
  const Eigen::Index tone_bin = Eigen::Index(std::lround(1000.0 * 2048 / 22050));
  const Eigen::Index click_frame = 11025 / 512 + 1;
  CHECK(masks.harmonic(tone_bin, 5) > 0.99f);
  CHECK(masks.percussive(tone_bin, 5) < 0.01f);
  CHECK(masks.percussive(600, click_frame) > 0.99f);
  CHECK(masks.harmonic(600, click_frame) < 0.01f);
}

TEST_CASE("hpss masks add up to one, and split silence in halves") {
  std::mt19937 rng(4);
  std::normal_distribution<float> noise;
  Spectrogram D(1025, 40);
  for (auto& v : D.reshaped()) v = {noise(rng), noise(rng)};
  D.col(7).setZero();  // zero magnitudes inside a noisy spectrogram
  const decompose::HarmonicPercussive parts = decompose::hpss(D);
  const decompose::SoftMasks masks = decompose::hpss_masks(feature::magnitude_spectrogram(D));
  for (Eigen::Index i = 0; i < D.size(); ++i) {
    const float h = masks.harmonic.reshaped()[i], p = masks.percussive.reshaped()[i];
    REQUIRE(h >= 0.0f);
    REQUIRE(p >= 0.0f);
    REQUIRE(std::abs(h + p - 1.0f) <= 2e-7f);
    REQUIRE(std::abs(parts.harmonic.reshaped()[i] + parts.percussive.reshaped()[i] - D.reshaped()[i]) <=
            1e-6f * std::abs(D.reshaped()[i]));
  }

  // Silence: both medians are zero everywhere, and librosa's split_zeros gives 0.5 each.
  const decompose::SoftMasks silent = decompose::hpss_masks(Eigen::MatrixXf::Zero(1025, 9));
  CHECK((silent.harmonic.array() == 0.5f).all());
  CHECK((silent.percussive.array() == 0.5f).all());
}

TEST_CASE("effects::hpss waveforms match librosa 0.8.1 on every reference clip") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  const test::FeatureTable table = test::read_feature_table(*shared / "data" / "gtzan" / "features_30_sec.csv");
  const auto column = [](std::string_view name) {
    return std::size_t(std::find(kGtzanFeatureNames.begin(), kGtzanFeatureNames.end(), name) - kGtzanFeatureNames.begin());
  };
  double worst_ratio = 0;
  for (const std::string& name : test::reference_names()) {
    CAPTURE(name);
    const auto ref = test::load_reference(*shared, name);
    const std::vector<float> y = test::reference_audio(*shared, name);
    const effects::HarmonicPercussive parts = effects::hpss(y);
    REQUIRE(parts.harmonic.size() == y.size());
    REQUIRE(parts.percussive.size() == y.size());

    for (const auto& [part, waveform] : {std::pair{"harmonic", &parts.harmonic}, std::pair{"percussive", &parts.percussive}}) {
      CAPTURE(part);
      const auto& r = ref.at(part);
      // The first samples, which the reference stores with 8 significant digits.
      const Eigen::MatrixXd first = test::reference_matrix(r.at("first_samples"));
      for (Eigen::Index i = 0; i < first.rows(); ++i)
        REQUIRE(std::abs((*waveform)[std::size_t(i)] - first(i, 0)) <= 2e-7 + 1e-6 * std::abs(first(i, 0)));

      // np.mean / np.var as the feature table takes them, within the acceptance tolerance
      // 1e-4 max(|ref|, column std over features_30_sec.csv).
      const std::string prefix = part == std::string("harmonic") ? "harmony" : "perceptr";
      const double stats[2] = {mean(std::span<const float>(*waveform)), var(std::span<const float>(*waveform))};
      const char* suffixes[2] = {"_mean", "_var"};
      for (int s = 0; s < 2; ++s) {
        const std::string feature = prefix + suffixes[s];
        const double expected = ref.at("gtzan57").at(feature).get<double>();
        const double tolerance = 1e-4 * std::max(std::abs(expected), table.column_std[column(feature)]);
        CAPTURE(feature);
        CHECK(std::abs(stats[s] - expected) <= tolerance);
        worst_ratio = std::max(worst_ratio, std::abs(stats[s] - expected) / tolerance);
      }
      CHECK(stats[0] == doctest::Approx(r.at("mean").get<double>()).epsilon(1e-3).scale(1e-9));
      CHECK(stats[1] == doctest::Approx(r.at("var").get<double>()).epsilon(1e-6));
    }
  }
  MESSAGE("worst harmony/perceptr error: " << worst_ratio << " x tolerance");
}
