// Issue acceptance: the 57 features of every readable GTZAN dev clip equal the Kaggle tables'
// rows (made with librosa 0.8) within 1e-4 x max(|reference|, the column's standard deviation
// over features_30_sec.csv), and tempo is equal — for whole clips and for 3-s segments.
#include <doctest/doctest.h>

#include <cmath>
#include <iostream>
#include <string>

#include "core/gtzan.h"
#include "core/io/audio_file.h"
#include "tests/unit/feature_table.h"
#include "tests/unit/reference.h"

using namespace sonotype;

namespace {

constexpr double kRelativeTolerance = 1e-4;
constexpr std::size_t kTempo = 16;  // index of "tempo" in kGtzanFeatureNames

struct Worst {
  double ratio = 0;  // error / tolerance
  std::string where;
  void update(double error, double tolerance, const std::string& what) {
    if (error / tolerance > ratio) ratio = error / tolerance, where = what;
  }
};

// Compares one computed row with the table's; returns how many columns are out of tolerance.
int compare_row(const FeatureVector& ours, const FeatureVector& ref, const FeatureVector& column_std,
                const std::string& row_name, Worst& worst) {
  int bad = 0;
  for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) {
    const double error = std::abs(ours[j] - ref[j]);
    const double tolerance = j == kTempo ? 1e-9 * ref[j] + 1e-12
                                         : kRelativeTolerance * std::max(std::abs(ref[j]), column_std[j]);
    const std::string what = row_name + " " + std::string(kGtzanFeatureNames[j]) + ": ours " +
                             std::to_string(ours[j]) + " ref " + std::to_string(ref[j]);
    worst.update(error, tolerance, what);
    if (error > tolerance) {
      ++bad;
      MESSAGE("out of tolerance: " << what << " (error " << error << ", tolerance " << tolerance << ")");
    }
  }
  return bad;
}

}  // namespace

TEST_CASE("GTZAN dev clips: 30-s and 3-s feature rows equal the Kaggle tables") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  const auto gtzan = *shared / "data" / "gtzan";
  const test::FeatureTable table30 = test::read_feature_table(gtzan / "features_30_sec.csv");
  const test::FeatureTable table3 = test::read_feature_table(gtzan / "dev_features_3_sec.csv");

  Worst worst30, worst3;
  int bad = 0, clips = 0, segments = 0;
  for (const auto& entry : std::filesystem::directory_iterator(gtzan / "dev_audio")) {
    const std::string name = entry.path().filename().string();
    if (name == "jazz.00054.wav") continue;  // corrupt (tested in the CLI's bad-input tests)
    CAPTURE(name);
    const std::vector<float> y = load_audio(entry.path());
    const std::span<const float> audio(y);
    bad += compare_row(gtzan_features(audio), table30.rows.at(name), table30.column_std, name, worst30);
    ++clips;
    for (std::size_t d = 0; d < 10; ++d) {
      const std::string segment = entry.path().stem().string() + "." + std::to_string(d) + ".wav";
      bad += compare_row(gtzan_features(audio.subspan(d * 66150, 66149)), table3.rows.at(segment),
                         table30.column_std, segment, worst3);
      ++segments;
    }
  }
  std::cout << "parity: " << clips << " clips, " << segments << " segments\n"
            << "  worst 30-s column: " << worst30.where << " (" << worst30.ratio << " x tolerance)\n"
            << "  worst 3-s column:  " << worst3.where << " (" << worst3.ratio << " x tolerance)\n";
  CHECK(clips == 37);
  CHECK(bad == 0);
}
