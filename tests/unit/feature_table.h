#pragma once
// A Kaggle-schema feature table (filename,length,<57 features>,label) read from CSV, for tests.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/gtzan.h"

namespace sonotype::test {

struct FeatureTable {
  std::map<std::string, FeatureVector> rows;  // by filename
  FeatureVector column_std{};                 // population std of each feature column
};

// Reads the table and checks that its feature columns are kGtzanFeatureNames, in order.
FeatureTable read_feature_table(const std::filesystem::path& csv);

}  // namespace sonotype::test
