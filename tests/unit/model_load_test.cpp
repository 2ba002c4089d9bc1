// GenreModel::from_bytes on blobs that are well-formed containers but not usable models: each
// inconsistency is refused with a ModelError naming the entry. The blobs are the tiny fixture's,
// decoded, changed in one place, and encoded again.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

#include "core/model/blob.h"
#include "core/model/model.h"
#include "core/model/transforms.h"
#include "core/model/trees.h"
#include "tests/unit/model_support.h"

namespace {

using sonotype::GenreModel;
using sonotype::ModelError;
using namespace sonotype::model;

const std::vector<std::uint8_t>& tiny_blob() {
  static const std::vector<std::uint8_t> blob =
      sonotype::test::convert_with_cli(sonotype::test::tiny_fixture("tiny_model"), "f32");
  return blob;
}

MetaValue& meta(Blob& blob, std::string_view key) {
  const auto it = std::find_if(blob.metadata.begin(), blob.metadata.end(), [&](const MetaEntry& e) { return e.key == key; });
  REQUIRE_MESSAGE(it != blob.metadata.end(), "no metadata " << key);
  return it->value;
}

Tensor& tensor(Blob& blob, std::string_view name) {
  const auto it = std::find_if(blob.tensors.begin(), blob.tensors.end(), [&](const Tensor& t) { return t.name == name; });
  REQUIRE_MESSAGE(it != blob.tensors.end(), "no tensor " << name);
  return *it;
}

// The ModelError message of loading the tiny blob after `change` (the test fails if it loads).
std::string load_error(const std::function<void(Blob&)>& change) {
  Blob blob = read_blob(tiny_blob());
  change(blob);
  try {
    GenreModel::from_bytes(write_blob(blob));
  } catch (const ModelError& e) {
    return e.what();
  }
  FAIL("the changed blob loaded");
  return {};
}

}  // namespace

TEST_CASE("model load: the tiny fixture's blob loads with its labels and pipeline") {
  const GenreModel model = GenreModel::from_bytes(tiny_blob());
  CHECK(model.labels() == std::vector<std::string>{"blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop",
                                                   "reggae", "rock"});
  CHECK(model.pipeline().sample_rate == 22050);
  CHECK(model.pipeline().n_fft == 2048);
  CHECK(model.pipeline().hop_length == 512);
  CHECK(model.pipeline().window_seconds == 30.0);
}

TEST_CASE("model load: missing or mistyped metadata and tensors are named") {
  CHECK(load_error([](Blob& b) { std::erase_if(b.tensors, [](const Tensor& t) { return t.name == "svm.rho"; }); }) ==
        "model blob: missing tensor 'svm.rho'");
  CHECK(load_error([](Blob& b) { std::erase_if(b.metadata, [](const MetaEntry& e) { return e.key == "knn.p"; }); }) ==
        "model blob: missing metadata 'knn.p'");
  CHECK(load_error([](Blob& b) { meta(b, "knn.p") = std::string("two"); }) ==
        "model blob: metadata 'knn.p' is \"two\", expected an integer");
  CHECK(load_error([](Blob& b) { meta(b, "knn.p") = std::int64_t{3}; }) == "model blob: metadata 'knn.p' is 3, expected 1 to 2");
  CHECK(load_error([](Blob& b) { meta(b, "knn.n_neighbors") = std::int64_t{0}; }) ==
        "model blob: metadata 'knn.n_neighbors' is 0, expected 1 to 80");
  CHECK(load_error([](Blob& b) { meta(b, "svm.kernel") = std::string("cubic"); }) ==
        "model blob: metadata 'svm.kernel' is \"cubic\", expected one of linear, poly, rbf, sigmoid");
  CHECK(load_error([](Blob& b) { meta(b, "svm.gamma") = std::numeric_limits<double>::infinity(); }) ==
        "model blob: metadata 'svm.gamma' is not a finite number");
  CHECK(load_error([](Blob& b) { meta(b, "stack.members") = std::vector<std::string>{"knn", "xgb"}; }) ==
        "model blob: missing metadata 'xgb.kind'");
  CHECK(load_error([](Blob& b) { meta(b, "final.kind") = std::string("forest"); }) ==
        "model blob: metadata 'final.kind' is \"forest\", expected one of boosted_trees, gaussian_nb, knn, logistic, mlp, "
        "pipeline, stacking, svc, tree_ensemble, voting");
}

TEST_CASE("model load: features and pipeline must be the GTZAN pipeline's") {
  CHECK(load_error([](Blob& b) { std::get<std::vector<std::string>>(meta(b, "feature_names")).pop_back(); }) ==
        "model blob: metadata 'feature_names' has 56 features, the GTZAN pipeline computes 57");
  CHECK(load_error([](Blob& b) {
          auto& names = std::get<std::vector<std::string>>(meta(b, "feature_names"));
          std::swap(names[2], names[3]);
        }) == "model blob: feature 2 is \"rms_var\", the GTZAN pipeline computes \"rms_mean\" there");
  CHECK(load_error([](Blob& b) { meta(b, "pipeline.sample_rate") = std::int64_t{44100}; }) ==
        "model blob: metadata 'pipeline.sample_rate' is 44100, expected 22050");
  CHECK(load_error([](Blob& b) { meta(b, "pipeline.hop_length") = std::int64_t{256}; }) ==
        "model blob: metadata 'pipeline.hop_length' is 256, expected 512");
  CHECK(load_error([](Blob& b) { meta(b, "pipeline.window_seconds") = 0.5; }) ==
      "model blob: metadata 'pipeline.window_seconds' is 0.5, expected 1 to 60");
  CHECK(load_error([](Blob& b) { meta(b, "pipeline.window_seconds") = 61.0; }) ==
        "model blob: metadata 'pipeline.window_seconds' is 61, expected 1 to 60");
  CHECK(load_error([](Blob& b) { tensor(b, "log.columns").values[0] = 57; }) ==
        "model blob: tensor 'log.columns' element 0 is 57, outside [0, 57)");
  CHECK(load_error([](Blob& b) { tensor(b, "scale.scale").values[5] = 0; }) ==
        "model blob: tensor 'scale.scale' element 5 is 0, expected more than 0");
  CHECK(load_error([](Blob& b) { tensor(b, "scale.mean").shape = {1, 57}; }) ==
        "model blob: tensor 'scale.mean' has shape [1, 57], expected [57]");
}

// Adds a Yeo-Johnson step with these lambdas between the log and the scaler of the tiny blob.
static void add_yeo_johnson(Blob& b, Tensor lambdas) {
  b.metadata.push_back({"yj.kind", std::string("yeo_johnson")});
  b.tensors.push_back(std::move(lambdas));
  meta(b, "model.steps") = std::vector<std::string>{"log", "yj", "scale"};
}

TEST_CASE("model load: the graph's references must resolve to nodes of the right sort, without cycles") {
  CHECK(load_error([](Blob& b) { meta(b, "graph.root") = std::string("nowhere"); }) == "model blob: missing metadata 'nowhere.kind'");
  CHECK(load_error([](Blob& b) { meta(b, "graph.root") = std::string("stack"); }) ==
        "model blob: metadata 'stack.kind' is \"stacking\", expected one of pipeline");
  CHECK(load_error([](Blob& b) { meta(b, "model.steps") = std::vector<std::string>{"log", "knn"}; }) ==
        "model blob: metadata 'knn.kind' is \"knn\", expected one of pca, select, signed_log1p, standard_scaler, yeo_johnson");
  CHECK(load_error([](Blob& b) { meta(b, "model.estimator") = std::string("scale"); }).find("'scale.kind' is \"standard_scaler\"") !=
        std::string::npos);
  CHECK(load_error([](Blob& b) { meta(b, "stack.members") = std::vector<std::string>{"knn", "stack"}; }) ==
        "model blob: node 'stack' refers to itself");
  CHECK(load_error([](Blob& b) { meta(b, "stack.members") = std::vector<std::string>{"knn", "knn"}; }) ==
        "model blob: metadata 'stack.members' has duplicates");
  CHECK(load_error([](Blob& b) { meta(b, "stack.members") = std::vector<std::string>{"knn", "svm", "novelty"}; })
            .find("node name \"novelty\" is not a name") != std::string::npos);
  CHECK(load_error([](Blob& b) { meta(b, "stack.final") = std::string("knn"); }) ==
        "model blob: tensor 'knn.fit_X' has shape [80, 57], expected [*, 87]");
  CHECK(load_error([](Blob& b) { add_yeo_johnson(b, {"yj.lambdas", DType::f32, {3}, {1, 1, 1}}); }) ==
        "model blob: tensor 'yj.lambdas' has shape [3], expected [57]");
}

TEST_CASE("model load: tree arrays must end every walk at a leaf of the same tree") {
  const auto tree_blob = sonotype::test::convert_with_cli(sonotype::test::tiny_fixture("kind_decision_tree"), "f32");
  const auto tree_error = [&](const std::function<void(Blob&)>& change) {
    Blob blob = read_blob(tree_blob);
    change(blob);
    try {
      GenreModel::from_bytes(write_blob(blob));
    } catch (const ModelError& e) {
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  CHECK(tree_error([](Blob&) {}) == "loaded");
  CHECK(tree_error([](Blob& b) { tensor(b, "dt.right").values[0] = 0; }).find("sends node 0 to 0 (node 0, tree 0)") != std::string::npos);
  CHECK(tree_error([](Blob& b) { tensor(b, "dt.right").values[0] = 1e4; }).find("children must follow their parent") != std::string::npos);
  CHECK(tree_error([](Blob& b) { tensor(b, "dt.feature").values[0] = 57; }) ==
        "model blob: tensor 'dt.feature' splits on input 57 (node 0, tree 0), the node has 57 inputs");
  CHECK(tree_error([](Blob& b) { tensor(b, "dt.feature").dtype = DType::i32; }) ==
        "model blob: tensor 'dt.feature' has dtype i32, expected u16");
  CHECK(tree_error([](Blob& b) { tensor(b, "dt.roots").values[0] = 1; }) == "model blob: tensor 'dt.roots' must start with node 0");
  CHECK(tree_error([](Blob& b) { tensor(b, "dt.threshold").dtype = DType::f16; }) ==
        "model blob: tensor 'dt.threshold' has dtype f16, expected f32 or f64");
  // Version 4 has one threshold per split node: version 3's layout, one per node, is refused by name.
  const auto per_node = tree_error([](Blob& b) {
    Tensor& threshold = tensor(b, "dt.threshold");
    threshold.shape[0] = static_cast<std::uint32_t>(tensor(b, "dt.feature").values.size());
    threshold.values.resize(threshold.shape[0], 0.0);
  });
  CHECK_MESSAGE(per_node.find("'dt.threshold' has shape") != std::string::npos, per_node);
  CHECK(tree_error([](Blob& b) {
          Tensor& leaves = tensor(b, "dt.leaf_proba");
          leaves.shape[0] = 1;
          leaves.values.resize(10);
        }).find("has 1 rows, the leaves use") != std::string::npos);
}

TEST_CASE("model load: a version-3 blob, with a threshold for every tree node, predicts as the version-4 blob") {
  const auto fixture = sonotype::test::tiny_fixture("kind_random_forest");
  const auto v4 = sonotype::test::convert_with_cli(fixture, "f32");
  Blob blob = read_blob(v4);
  blob.version = 3;
  for (Tensor& t : blob.tensors) {
    if (!t.name.ends_with(".threshold")) continue;
    const Tensor& feature = tensor(blob, t.name.substr(0, t.name.size() - 10) + ".feature");
    std::vector<double> per_node;
    for (std::size_t n = 0, split = 0; n < feature.values.size(); ++n)
      per_node.push_back(feature.values[n] == TreeNodes::kLeaf ? 0.0 : t.values[split++]);
    t.values = per_node;
    t.shape = {static_cast<std::uint32_t>(per_node.size())};
  }
  const GenreModel old_layout = GenreModel::from_bytes(write_blob(blob)), model = GenreModel::from_bytes(v4);
  const auto golden = sonotype::test::read_json(fixture)["golden"]["X"];
  REQUIRE(golden.size() > 10);
  for (const auto& row : golden) {
    sonotype::FeatureVector x{};
    for (std::size_t j = 0; j < x.size(); ++j) x[j] = row[j].get<double>();
    CHECK(old_layout.predict(x).proba == model.predict(x).proba);
  }
}

TEST_CASE("model load: the Yeo-Johnson transform is scikit-learn's formula, and lambda 1 changes nothing") {
  using sonotype::model::yeo_johnson;
  CHECK(yeo_johnson(3.0, 0.5) == doctest::Approx(2.0));  // (4^0.5 - 1) / 0.5
  CHECK(yeo_johnson(-3.0, 0.5) == doctest::Approx(-14.0 / 3.0));  // -(4^1.5 - 1) / 1.5
  CHECK(yeo_johnson(3.0, 0.0) == std::log1p(3.0));
  CHECK(yeo_johnson(-3.0, 2.0) == -std::log1p(3.0));
  for (const double x : {-7.5, -1.0, 0.0, 0.25, 12.0}) CHECK(yeo_johnson(x, 1.0) == doctest::Approx(x).epsilon(1e-15));

  // With every lambda 1 the model's answers are those of the blob without the step.
  Blob blob = read_blob(tiny_blob());
  add_yeo_johnson(blob, {"yj.lambdas", DType::f32, {57}, std::vector<double>(57, 1.0)});
  const GenreModel with = GenreModel::from_bytes(write_blob(blob)), without = GenreModel::from_bytes(tiny_blob());
  sonotype::FeatureVector raw;
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = std::sin(double(i)) * 100.0;
  const auto a = with.predict(raw).proba, b = without.predict(raw).proba;
  for (std::size_t c = 0; c < a.size(); ++c) CHECK(a[c] == doctest::Approx(b[c]).epsilon(1e-12));
}

TEST_CASE("model load: tensor shapes must agree with the labels, the features and each other") {
  CHECK(load_error([](Blob& b) { tensor(b, "knn.fit_X").shape = {240, 19}; }) ==
        "model blob: tensor 'knn.fit_X' has shape [240, 19], expected [*, 57]");
  CHECK(load_error([](Blob& b) { tensor(b, "knn.fit_y").values[0] = 10; }) ==
        "model blob: tensor 'knn.fit_y' element 0 is 10, outside [0, 10)");
  CHECK(load_error([](Blob& b) { tensor(b, "knn.fit_y").dtype = DType::f32; }) ==
        "model blob: tensor 'knn.fit_y' has dtype f32, expected i32 or u16");
  CHECK(load_error([](Blob& b) { tensor(b, "knn.fit_y").shape = {79}, tensor(b, "knn.fit_y").values.pop_back(); }) ==
        "model blob: tensor 'knn.fit_y' has shape [79], expected [80]");
  CHECK(load_error([](Blob& b) { std::get<std::vector<std::string>>(meta(b, "labels")).push_back("polka"); }) ==
        "model blob: tensor 'svm.n_support' has shape [10], expected [11]");
  CHECK(load_error([](Blob& b) { std::get<std::vector<std::string>>(meta(b, "labels"))[1] = "blues"; }) ==
        "model blob: metadata 'labels' has duplicates");
  CHECK(load_error([](Blob& b) { tensor(b, "svm.support").values[0] = 80; }) ==
        "model blob: tensor 'svm.support' element 0 is 80, outside [0, 80)");
  CHECK(load_error([](Blob& b) { tensor(b, "svm.n_support").values[0] += 1; }).find("support vectors, there are") !=
        std::string::npos);
  CHECK(load_error([](Blob& b) { tensor(b, "svm.rho").shape = {44}, tensor(b, "svm.rho").values.pop_back(); }) ==
        "model blob: tensor 'svm.rho' has shape [44], expected [45]");
  CHECK(load_error([](Blob& b) { meta(b, "mlp.layers") = std::int64_t{3}; }) == "model blob: missing tensor 'mlp.coef.2'");
  CHECK(load_error([](Blob& b) { tensor(b, "mlp.coef.0").shape = {16, 57}; }) ==
        "model blob: tensor 'mlp.coef.0' has shape [16, 57], expected [57, *]");
  CHECK(load_error([](Blob& b) { tensor(b, "mlp.coef.1").shape = {10, 16}; }) ==
        "model blob: tensor 'mlp.coef.1' has shape [10, 16], expected [16, 10]");
  CHECK(load_error([](Blob& b) { meta(b, "stack.passthrough") = std::int64_t{0}; }) ==
        "model blob: tensor 'final.coef' has shape [10, 87], expected [10, 30]");
}

TEST_CASE("model load: predict refuses features that are not finite") {
  const GenreModel model = GenreModel::from_bytes(tiny_blob());
  sonotype::FeatureVector raw;
  raw.fill(1.0);
  raw[16] = std::nan("");  // tempo
  CHECK_THROWS_WITH_AS(model.predict(raw), "feature tempo is not finite", std::invalid_argument);
}
