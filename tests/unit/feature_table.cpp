#include "tests/unit/feature_table.h"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace sonotype::test {

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

}  // namespace

FeatureTable read_feature_table(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  REQUIRE_MESSAGE(in.good(), "cannot open " << csv.string());
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  REQUIRE(header.size() == kNumGtzanFeatures + 3);
  for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) REQUIRE(header[j + 2] == kGtzanFeatureNames[j]);

  FeatureTable table;
  FeatureVector sum{}, sum_sq{};
  while (std::getline(in, line)) {
    const auto cells = split(line);
    REQUIRE(cells.size() == header.size());
    FeatureVector& row = table.rows[cells[0]];
    for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) {
      row[j] = std::stod(cells[j + 2]);
      sum[j] += row[j];
      sum_sq[j] += row[j] * row[j];
    }
  }
  const double n = double(table.rows.size());
  for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) {
    const double mean = sum[j] / n;
    table.column_std[j] = std::sqrt(std::max(0.0, sum_sq[j] / n - mean * mean));
  }
  return table;
}

}  // namespace sonotype::test
