#include "tests/unit/model_support.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "tests/fuzz/fuzz_cases.h"
#include "tests/unit/cli_run.h"

namespace sonotype::test {

const std::vector<std::string>& tiny_fixture_names() {
  static const std::vector<std::string> names{"tiny_model", "tiny_poly", "tiny_sigmoid", "tiny_linear"};
  return names;
}

const std::vector<std::string>& kind_fixture_names() {
  static const std::vector<std::string> names{
      "kind_knn",           "kind_svc_rbf",       "kind_mlp",          "kind_logistic",
      "kind_gaussian_nb",   "kind_decision_tree", "kind_random_forest", "kind_extra_trees",
      "kind_hist_gradient_boosting", "kind_xgboost", "kind_selection_voting", "kind_stacking"};
  return names;
}

std::filesystem::path tiny_fixture(const std::string& name) {
  return std::filesystem::path(SONOTYPE_TEST_DATA) / (name + ".json");
}

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
  return nlohmann::json::parse(in);
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::uint8_t> convert_with_cli(const std::filesystem::path& json, const std::string& dtype) {
  const auto out = temp_dir("converted") / (json.stem().string() + "." + dtype + ".sono");
  const CliResult r = run_cli("convert '" + json.string() + "' '" + out.string() + "' --dtype " + dtype);
  REQUIRE_MESSAGE(r.status == 0, "sonotype convert failed:\n" << r.out << r.err);
  return read_bytes(out);
}

void reseal(std::vector<std::uint8_t>& blob) {
  REQUIRE(blob.size() >= 12);
  fuzz::reseal(blob);
}

}  // namespace sonotype::test
