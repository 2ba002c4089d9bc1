#pragma once
// Model fixtures for the tests: the small interchange files of tests/data (make_tiny_model.py,
// real scikit-learn models with scikit-learn's golden outputs) and .sono blobs made from them.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sonotype::test {

// The committed fixtures: tiny_model (rbf SVM, distance-weighted Euclidean KNN) and one per
// other kernel (tiny_poly, tiny_sigmoid, tiny_linear) with the other KNN settings.
// These are version-2 (and 1) interchange files, which `sonotype convert` still reads.
const std::vector<std::string>& tiny_fixture_names();
// One version-3 graph per node kind (tools/make_model_fixtures.py): kind_knn, kind_svc_rbf,
// kind_mlp, kind_logistic, kind_gaussian_nb, kind_decision_tree, kind_random_forest,
// kind_extra_trees, kind_hist_gradient_boosting, kind_xgboost, kind_selection_voting (variance
// threshold, Kruskal-Wallis SelectKBest, weighted soft voting), kind_stacking (passthrough, a
// PCA + tree pipeline as a member).
const std::vector<std::string>& kind_fixture_names();
std::filesystem::path tiny_fixture(const std::string& name);  // tests/data/NAME.json

nlohmann::json read_json(const std::filesystem::path& path);
std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path);

// `sonotype convert JSON OUT --dtype DTYPE` into a temp folder, and the blob it wrote
// (the test fails if the conversion does).
std::vector<std::uint8_t> convert_with_cli(const std::filesystem::path& json, const std::string& dtype);

// Makes a blob whose length or bytes were changed consistent again, as FORMAT.md defines it:
// stores the new length at offset 8 and the CRC-32 of all but the last 4 bytes in them.
void reseal(std::vector<std::uint8_t>& blob);

}  // namespace sonotype::test
