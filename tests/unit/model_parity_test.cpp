// Parity with scikit-learn: the C++ model graph against the golden outputs that scikit-learn (or
// xgboost) itself wrote into the interchange files: tests/data/tiny_*.json (version-2 stacks) and
// kind_*.json (one per node kind) always, models/gtzan.json (the model the product ships)
// whenever it is in the repository.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/model/blob.h"
#include "core/model/model.h"
#include "tests/unit/model_support.h"

namespace {

using nlohmann::json;
using sonotype::GenreModel;

constexpr double kTolerance = 1e-5;          // f32 blobs: every probability, ensemble and base
constexpr double kMaxF16LabelChanges = 0.01;  // f16 blobs: share of golden rows whose label may change
constexpr std::size_t kMaxDefaultModelBytes = 150000;

struct Agreement {
  std::size_t rows = 0, same_label = 0;
  double max_delta = 0;       // ensemble probabilities
  double max_base_delta = 0;  // every base estimator's probabilities
};

double max_abs_difference(const std::vector<double>& ours, const json& theirs) {
  REQUIRE(theirs.size() == ours.size());
  double max = 0;
  for (std::size_t c = 0; c < ours.size(); ++c) max = std::max(max, std::abs(ours[c] - theirs[c].get<double>()));
  return max;
}

Agreement compare_with_golden(const GenreModel& model, const json& doc) {
  REQUIRE(model.labels() == doc.at("labels").get<std::vector<std::string>>());
  const json& golden = doc.at("golden");
  Agreement a;
  for (std::size_t i = 0; i < golden.at("X").size(); ++i) {
    sonotype::FeatureVector raw;
    REQUIRE(golden["X"][i].size() == raw.size());
    for (std::size_t j = 0; j < raw.size(); ++j) raw[j] = golden["X"][i][j].get<double>();
    const sonotype::Prediction p = model.predict(raw);
    const auto label = std::max_element(p.proba.begin(), p.proba.end()) - p.proba.begin();
    a.same_label += label == golden.at("label")[i].get<long>();
    a.max_delta = std::max(a.max_delta, max_abs_difference(p.proba, golden.at("proba")[i]));
    REQUIRE(p.base.size() == (golden.contains("base_proba") ? golden.at("base_proba").size() : 0));
    for (const auto& base : p.base)
      a.max_base_delta = std::max(a.max_base_delta, max_abs_difference(base.proba, golden.at("base_proba").at(base.name)[i]));
    ++a.rows;
  }
  MESSAGE(a.rows << " golden rows: labels agree " << a.same_label << "/" << a.rows << ", max |dp| " << a.max_delta
                 << ", base estimators " << a.max_base_delta);
  return a;
}

void check_same_as_sklearn(const Agreement& a) {
  CHECK(a.rows > 0);
  CHECK(a.same_label == a.rows);
  CHECK(a.max_delta <= kTolerance);
  CHECK(a.max_base_delta <= kTolerance);
}

void check_few_label_changes(const Agreement& a) {
  CHECK(a.rows > 0);
  CHECK(static_cast<double>(a.rows - a.same_label) <= kMaxF16LabelChanges * static_cast<double>(a.rows));
}

// Each fixture's f32 blob against the golden outputs in its interchange file.
void check_f32_fixtures(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    CAPTURE(name);
    const auto path = sonotype::test::tiny_fixture(name);
    const GenreModel model = GenreModel::from_bytes(sonotype::test::convert_with_cli(path, "f32"));
    check_same_as_sklearn(compare_with_golden(model, sonotype::test::read_json(path)));
  }
}

}  // namespace

TEST_CASE("model parity: f32 blobs of the tiny fixtures give scikit-learn's labels and probabilities") {
  check_f32_fixtures(sonotype::test::tiny_fixture_names());
}

TEST_CASE("model parity: every node kind's f32 blob gives scikit-learn's (xgboost's) labels and probabilities") {
  check_f32_fixtures(sonotype::test::kind_fixture_names());
}

TEST_CASE("model parity: f16 blobs of the tiny fixtures change at most 1% of the labels") {
  for (const std::string& name : sonotype::test::tiny_fixture_names()) {
    CAPTURE(name);
    const auto path = sonotype::test::tiny_fixture(name);
    const auto f32 = sonotype::test::convert_with_cli(path, "f32");
    const auto f16 = sonotype::test::convert_with_cli(path, "f16");
    CHECK(f16.size() < f32.size());
    check_few_label_changes(compare_with_golden(GenreModel::from_bytes(f16), sonotype::test::read_json(path)));
  }
}

TEST_CASE("model parity: the shipped model, models/gtzan.json and models/gtzan.sono") {
  const std::filesystem::path models = std::filesystem::path(SONOTYPE_SOURCE_DIR) / "models";
  if (!std::filesystem::exists(models / "gtzan.json")) {
    MESSAGE("models/gtzan.json is not in the repository (yet): nothing to compare");
    return;
  }
  const json doc = sonotype::test::read_json(models / "gtzan.json");
  SUBCASE("an f32 conversion reproduces scikit-learn") {
    check_same_as_sklearn(compare_with_golden(GenreModel::from_bytes(sonotype::test::convert_with_cli(models / "gtzan.json", "f32")), doc));
  }
  SUBCASE("the committed blob is small and agrees with scikit-learn") {
    REQUIRE_MESSAGE(std::filesystem::exists(models / "gtzan.sono"), "models/gtzan.json has no gtzan.sono: run tools/build-model.sh");
    const auto bytes = sonotype::test::read_bytes(models / "gtzan.sono");
    MESSAGE("models/gtzan.sono: " << bytes.size() << " bytes");
    CHECK(bytes.size() <= kMaxDefaultModelBytes);
    const Agreement a = compare_with_golden(GenreModel::from_bytes(bytes), doc);
    const auto tensors = sonotype::model::read_blob(bytes).tensors;
    const bool f16_weights =
        std::any_of(tensors.begin(), tensors.end(), [](const auto& t) { return t.dtype == sonotype::model::DType::f16; });
    if (!f16_weights) check_same_as_sklearn(a);
    else check_few_label_changes(a);
  }
}
