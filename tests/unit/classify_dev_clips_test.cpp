// Issue acceptance, end to end: on the readable GTZAN dev clips, the genre that classify_song
// finds from the audio with the shipped blob equals the genre scikit-learn predicts from the
// clip's row of features_30_sec.csv (models/gtzan.json's golden labels) for >= 36 of 37 clips.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "core/classify.h"
#include "core/io/audio_file.h"
#include "tests/unit/feature_table.h"
#include "tests/unit/reference.h"

using namespace sonotype;

namespace {

struct GoldenRow {
  FeatureVector x;
  std::string label;  // scikit-learn's prediction for x
};

std::vector<GoldenRow> golden_rows(const nlohmann::json& model) {
  std::vector<GoldenRow> rows;
  const auto& golden = model.at("golden");
  for (std::size_t i = 0; i < golden.at("X").size(); ++i) {
    GoldenRow row;
    for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) row.x[j] = golden.at("X").at(i).at(j).get<double>();
    row.label = model.at("labels").at(golden.at("label").at(i).get<std::size_t>()).get<std::string>();
    rows.push_back(row);
  }
  return rows;
}

// The golden row holding `x` (CSV and JSON parsers may differ in the last bit, so not ==).
const GoldenRow* find_row(const std::vector<GoldenRow>& rows, const FeatureVector& x) {
  for (const GoldenRow& row : rows) {
    bool same = true;
    for (std::size_t j = 0; j < kNumGtzanFeatures && same; ++j)
      same = std::abs(row.x[j] - x[j]) <= 1e-12 * std::max(1.0, std::abs(x[j]));
    if (same) return &row;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("classify: dev clips get scikit-learn's label for their feature rows") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  const std::filesystem::path models = std::filesystem::path(SONOTYPE_SOURCE_DIR) / "models";
  std::ifstream json_in(models / "gtzan.json");
  REQUIRE_MESSAGE(json_in.good(), "models/gtzan.json is missing");
  const std::vector<GoldenRow> golden = golden_rows(nlohmann::json::parse(json_in));
  std::ifstream blob_in(models / "gtzan.sono", std::ios::binary);
  REQUIRE_MESSAGE(blob_in.good(), "models/gtzan.sono is missing");
  const std::vector<std::uint8_t> blob((std::istreambuf_iterator<char>(blob_in)), {});
  const GenreModel model = GenreModel::from_bytes(blob);

  const auto gtzan = *shared / "data" / "gtzan";
  const test::FeatureTable table = test::read_feature_table(gtzan / "features_30_sec.csv");
  int clips = 0, agree = 0;
  for (const auto& entry : std::filesystem::directory_iterator(gtzan / "dev_audio")) {
    const std::string name = entry.path().filename().string();
    if (name == "jazz.00054.wav") continue;  // corrupt
    const GoldenRow* expected = find_row(golden, table.rows.at(name));
    REQUIRE_MESSAGE(expected != nullptr, name << "'s feature row is not among the golden rows");
    const SongResult result = classify_song(model, load_audio(entry.path()));
    const std::string& ours = model.labels()[result.top];
    ++clips;
    if (ours == expected->label) ++agree;
    else std::cout << name << ": classify " << ours << ", scikit-learn " << expected->label << "\n";
  }
  std::cout << "classify agrees with scikit-learn on " << agree << " of " << clips << " dev clips\n";
  CHECK(clips == 37);
  CHECK(agree >= 36);
}
