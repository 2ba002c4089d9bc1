// "More like this" (core/similar.h) against scikit-learn's NearestNeighbors on the default
// model's scaled rows (tests/data/similar_gtzan.json, tools/make_similar_fixture.py), and a
// small case worked out by hand for ties, skipping and the similarity formula.
#include <doctest/doctest.h>

#include <cmath>

#include "core/classify.h"
#include "core/similar.h"
#include "tests/unit/model_support.h"

using namespace sonotype;

TEST_CASE("similar: song points and nearest songs equal scikit-learn's NearestNeighbors on the model's scaled rows") {
  const GenreModel model = GenreModel::from_bytes(test::read_bytes(std::string(SONOTYPE_SOURCE_DIR) + "/models/gtzan.sono"));
  const auto fixture = test::read_json(std::string(SONOTYPE_TEST_DATA) + "/similar_gtzan.json");
  const auto& rows = fixture["rows"];
  const std::size_t per_song = fixture["windows_per_song"];
  std::vector<std::vector<double>> points;
  for (std::size_t s = 0; s * per_song < rows.size(); ++s) {
    std::vector<FeatureVector> windows(per_song);
    for (std::size_t w = 0; w < per_song; ++w)
      for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) windows[w][j] = rows[s * per_song + w][j];
    points.push_back(song_point(model, windows));
    for (std::size_t j = 0; j < kNumGtzanFeatures; ++j)
      CHECK(points.back()[j] == doctest::Approx(double(fixture["points"][s][j])).epsilon(1e-9));
  }
  REQUIRE(points.size() == 20);
  for (const auto& q : fixture["queries"]) {
    const std::size_t song = q["song"];
    const auto near = nearest_songs(points[song], points, q["neighbours"].size(), song);
    REQUIRE(near.size() == q["neighbours"].size());
    for (std::size_t i = 0; i < near.size(); ++i) {
      CHECK(near[i].index == std::size_t(q["neighbours"][i]));
      CHECK(near[i].distance == doctest::Approx(double(q["distances"][i])).epsilon(1e-9));
      CHECK(near[i].similarity == doctest::Approx(1.0 / (1.0 + double(q["distances"][i]) / std::sqrt(57.0))));
    }
  }
}

TEST_CASE("similar: nearest first, ties in collection order, the skipped song left out, n capped") {
  const std::vector<std::vector<double>> collection{{3, 4}, {0, 1}, {1, 0}, {0, 0}, {-1, 0}};
  const std::vector<double> query{0, 0};
  const auto near = nearest_songs(query, collection, 10, /*skip=*/3);
  REQUIRE(near.size() == 4);
  CHECK(near[0].index == 1);  // distance 1, like 2 and 4: collection order
  CHECK(near[1].index == 2);
  CHECK(near[2].index == 4);
  CHECK(near[3].index == 0);
  CHECK(near[3].distance == 5.0);
  CHECK(near[0].similarity == doctest::Approx(1.0 / (1.0 + 1.0 / std::sqrt(2.0))));
  CHECK(nearest_songs(query, collection, 2).size() == 2);
  CHECK(nearest_songs(query, collection, 1)[0].index == 3);  // itself, when not skipped: similarity 1
  CHECK(nearest_songs(query, collection, 1)[0].similarity == 1.0);
  CHECK(nearest_songs(query, {}, 3).empty());
}

TEST_CASE("similar: points of another dimension and songs without windows are refused") {
  const std::vector<std::vector<double>> collection{{1, 2}, {1, 2, 3}};
  CHECK_THROWS_AS(nearest_songs(std::vector<double>{0, 0}, collection, 2), std::invalid_argument);
  const GenreModel model = GenreModel::from_bytes(test::read_bytes(std::string(SONOTYPE_SOURCE_DIR) + "/models/gtzan.sono"));
  CHECK_THROWS_AS(song_point(model, {}), std::invalid_argument);
}

TEST_CASE("similar: a song's silent windows are left out of its point, unless all are silent") {
  const GenreModel model = GenreModel::from_bytes(test::read_bytes(std::string(SONOTYPE_SOURCE_DIR) + "/models/gtzan.sono"));
  const auto fixture = test::read_json(std::string(SONOTYPE_TEST_DATA) + "/similar_gtzan.json");
  FeatureVector heard{}, silent{};
  for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) heard[j] = silent[j] = fixture["rows"][0][j];
  silent[kRmsMeanIndex] = 0.5 * kSilentRms;
  const std::vector<FeatureVector> song{silent, heard};
  CHECK(song_point(model, song) == model.standardise(heard));
  const std::vector<FeatureVector> quiet{silent};
  CHECK(song_point(model, quiet) == model.standardise(silent));
}
