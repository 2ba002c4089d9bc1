#include "tools/cli/interchange.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "core/model/model_error.h"
#include "core/model/trees.h"

namespace sonotype::cli {
namespace {

using nlohmann::json;
using model::DType;
using model::MetaValue;
using model::Tensor;

// Version 3 holds a model graph; versions 1 (no Yeo-Johnson) and 2 hold one stacking ensemble,
// which the converter writes as the graph it is.
constexpr int kInterchangeVersion = 3;

// A JSON value and its path in the document ("estimators.svm.gamma"), so that every complaint
// says where the problem is.
class Field {
 public:
  Field(const json& value, std::string path) : value_(value), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& problem) const { throw ModelError("interchange: " + path_ + ": " + problem); }

  Field operator[](const std::string& key) const {
    if (!value_.is_object()) fail(std::string("expected an object, got ") + value_.type_name());
    const auto it = value_.find(key);
    if (it == value_.end()) Field(value_, join(key)).fail("missing");
    return {*it, join(key)};
  }
  Field operator[](std::size_t i) const { return {value_.at(i), path_ + "[" + std::to_string(i) + "]"}; }

  bool has(const std::string& key) const { return value_.is_object() && value_.contains(key); }
  bool is_null() const { return value_.is_null(); }
  const json& raw() const { return value_; }

  std::size_t size() const {
    if (!value_.is_array()) fail(std::string("expected an array, got ") + value_.type_name());
    return value_.size();
  }
  double number() const {
    if (!value_.is_number()) fail(std::string("expected a number, got ") + value_.type_name());
    return value_.get<double>();
  }
  std::int64_t integer() const {
    if (!value_.is_number_integer()) fail(std::string("expected an integer, got ") + value_.dump());
    return value_.get<std::int64_t>();
  }
  bool boolean() const {
    if (!value_.is_boolean()) fail(std::string("expected true or false, got ") + value_.type_name());
    return value_.get<bool>();
  }
  std::string text() const {
    if (!value_.is_string()) fail(std::string("expected a string, got ") + value_.type_name());
    return value_.get<std::string>();
  }
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < size(); ++i) out.push_back((*this)[i].text());
    return out;
  }

  // A list of numbers ([n]) or a list of equally long lists of numbers ([rows, cols]).
  Tensor tensor(const std::string& name, DType dtype) const {
    Tensor t{name, dtype, {static_cast<std::uint32_t>(size())}, {}};
    const bool matrix = !value_.empty() && value_.front().is_array();
    if (matrix) t.shape.push_back(static_cast<std::uint32_t>((*this)[0].size()));
    for (std::size_t i = 0; i < value_.size(); ++i) {
      const Field row = (*this)[i];
      if (!matrix) {
        t.values.push_back(row.number());
        continue;
      }
      if (row.size() != t.shape[1])
        row.fail("has " + std::to_string(row.size()) + " values, row 0 has " + std::to_string(t.shape[1]));
      for (std::size_t j = 0; j < t.shape[1]; ++j) t.values.push_back(row[j].number());
    }
    return t;
  }

  // A list of non-negative integers, as u16 when they fit (row and class numbers usually do).
  Tensor indices(const std::string& name) const {
    Tensor t{name, DType::u16, {static_cast<std::uint32_t>(size())}, {}};
    for (std::size_t i = 0; i < value_.size(); ++i) {
      const std::int64_t v = (*this)[i].integer();
      if (v < 0 || v > INT32_MAX) (*this)[i].fail("expected an index, got " + std::to_string(v));
      if (v > UINT16_MAX) t.dtype = DType::i32;
      t.values.push_back(static_cast<double>(v));
    }
    return t;
  }

 private:
  std::string join(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  const json& value_;
  std::string path_;
};

class BlobBuilder {
 public:
  explicit BlobBuilder(Conversion& out) : out_(out) {}
  void meta(std::string key, MetaValue value) { out_.blob.metadata.push_back({std::move(key), std::move(value)}); }
  void tensor(Tensor t) { out_.blob.tensors.push_back(std::move(t)); }
  void note(std::string text) { out_.notes.push_back(std::move(text)); }

 private:
  Conversion& out_;
};

// The first KNN node whose training rows, at `support`, are exactly the SVM's support vectors
// (they are when both were fitted on the same transformed rows, as in a stack).
std::optional<std::string> knn_holding_rows(const Field& nodes, const Field& support, const Field& vectors) {
  for (const auto& [name, node] : nodes.raw().items()) {
    if (!node.is_object() || node.value("kind", "") != "knn") continue;
    const Field fit_X = nodes[name]["fit_X"];
    bool equal = support.size() == vectors.size();
    for (std::size_t i = 0; equal && i < support.size(); ++i) {
      const std::int64_t row = support[i].integer();
      equal = row >= 0 && static_cast<std::size_t>(row) < fit_X.size() && fit_X[static_cast<std::size_t>(row)].raw() == vectors[i].raw();
    }
    if (equal) return name;
  }
  return std::nullopt;
}

void convert_svc(BlobBuilder& b, const std::string& name, const Field& svm, DType weights, const Field& nodes) {
  const Field support = svm["support"];
  const auto source = support.is_null() ? std::nullopt : knn_holding_rows(nodes, support, svm["support_vectors"]);
  if (source) {
    b.meta(name + ".support_rows_of", *source);
    b.tensor(support.indices(name + ".support"));
    b.note(name + ": support vectors stored as row numbers of " + *source + ".fit_X");
  } else {
    b.tensor(svm["support_vectors"].tensor(name + ".support_vectors", weights));
    b.note(name + ": support vectors stored in full (" +
           (support.is_null() ? std::string("no support indices") : "they are not rows of a KNN's fit_X") + ")");
  }
}

void convert_mlp(BlobBuilder& b, const std::string& name, const Field& mlp, DType weights) {
  const Field coefs = mlp["coefs"], intercepts = mlp["intercepts"];
  if (intercepts.size() != coefs.size())
    intercepts.fail("has " + std::to_string(intercepts.size()) + " layers, coefs has " + std::to_string(coefs.size()));
  b.meta(name + ".layers", static_cast<std::int64_t>(coefs.size()));
  for (std::size_t l = 0; l < coefs.size(); ++l) {
    b.tensor(coefs[l].tensor(name + ".coef." + std::to_string(l), weights));
    b.tensor(intercepts[l].tensor(name + ".intercept." + std::to_string(l), DType::f32));
  }
}

// Column numbers, or names of the model's input columns (feature_names).
Tensor columns(const Field& list, const std::string& name, const std::vector<std::string>& feature_names) {
  if (list.size() == 0 || !list[0].raw().is_string()) return list.indices(name);
  Tensor t{name, DType::u16, {static_cast<std::uint32_t>(list.size())}, {}};
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string column = list[i].text();
    const auto it = std::find(feature_names.begin(), feature_names.end(), column);
    if (it == feature_names.end()) list[i].fail("no feature is named \"" + column + "\"");
    t.values.push_back(static_cast<double>(it - feature_names.begin()));
  }
  return t;
}

// How a node field becomes blob entries (models/FORMAT.md): its kind's fields, copied by type.
// f64: the transform steps; threshold: f64 where trees compare x itself (HistGradientBoosting),
// f32 where they compare float32(x). Why: FORMAT.md, "weights".
enum class As { integer, real, text, texts, boolean, weights, f32, f64, threshold, indices, columns };
struct FieldRule {
  const char* field;
  As as;
};

// Each node kind's plain fields; svc and mlp also have the special cases above.
const std::map<std::string, std::vector<FieldRule>>& node_fields() {
  static const std::map<std::string, std::vector<FieldRule>> kinds{
      {"pipeline", {{"steps", As::texts}, {"estimator", As::text}}},
      {"signed_log1p", {{"columns", As::columns}}},
      {"yeo_johnson", {{"lambdas", As::f64}}},
      {"standard_scaler", {{"mean", As::f64}, {"scale", As::f64}}},
      {"pca", {{"mean", As::f64}, {"components", As::f64}}},
      {"select", {{"columns", As::columns}}},
      {"knn", {{"n_neighbors", As::integer}, {"weights", As::text}, {"p", As::integer}, {"fit_X", As::weights}, {"fit_y", As::indices}}},
      {"svc", {{"kernel", As::text}, {"gamma", As::real}, {"coef0", As::real}, {"degree", As::integer}, {"n_support", As::indices},
               {"dual_coef", As::weights}, {"rho", As::f32}, {"prob_a", As::f32}, {"prob_b", As::f32}}},
      {"mlp", {{"activation", As::text}}},
      {"logistic", {{"coef", As::f32}, {"intercept", As::f32}}},
      {"gaussian_nb", {{"theta", As::f32}, {"var", As::f32}, {"class_prior", As::f32}}},
      {"tree_ensemble", {{"roots", As::indices}, {"feature", As::indices}, {"threshold", As::threshold}, {"right", As::indices},
                         {"float32_input", As::boolean}, {"leaf_proba", As::weights}}},
      {"boosted_trees", {{"roots", As::indices}, {"feature", As::indices}, {"threshold", As::threshold}, {"right", As::indices},
                         {"float32_input", As::boolean}, {"leaf_value", As::f32}, {"tree_class", As::indices},
                         {"base_score", As::f32}}},
      {"voting", {{"members", As::texts}, {"weights", As::f32}}},
      {"stacking", {{"members", As::texts}, {"final", As::text}, {"passthrough", As::boolean}}},
  };
  return kinds;
}

// A tree node array's thresholds as the blob stores them: one per split node (the interchange
// document has one per node, 0 at leaves), f32 where the trees compare float32(x), else f64.
Tensor split_thresholds(const Field& threshold, const Field& feature, const std::string& key, bool float32_input) {
  Tensor all = threshold.tensor(key, float32_input ? DType::f32 : DType::f64);
  if (all.shape.size() != 1 || all.values.size() != feature.size())
    threshold.fail("has " + std::to_string(all.values.size()) + " values for " + std::to_string(feature.size()) + " nodes");
  std::vector<double> splits;
  for (std::size_t n = 0; n < all.values.size(); ++n)
    if (feature[n].integer() != model::TreeNodes::kLeaf) splits.push_back(all.values[n]);
  return {key, all.dtype, {static_cast<std::uint32_t>(splits.size())}, std::move(splits)};
}

void convert_node(BlobBuilder& b, const std::string& name, const Field& node, const Field& nodes, DType weights,
                  const std::vector<std::string>& feature_names) {
  const std::string kind = node["kind"].text();
  const auto rules = node_fields().find(kind);
  if (rules == node_fields().end()) {
    std::string known;
    for (const auto& [k, _] : node_fields()) known += (known.empty() ? "" : ", ") + k;
    node["kind"].fail("unknown node kind \"" + kind + "\" (" + known + ")");
  }
  b.meta(name + ".kind", kind);
  for (const FieldRule& rule : rules->second) {
    const Field f = node[rule.field];
    const std::string key = name + "." + rule.field;
    switch (rule.as) {
      case As::integer: b.meta(key, f.integer()); break;
      case As::real: b.meta(key, f.number()); break;
      case As::text: b.meta(key, f.text()); break;
      case As::texts: b.meta(key, f.texts()); break;
      case As::boolean: b.meta(key, std::int64_t{f.boolean()}); break;
      case As::weights: b.tensor(f.tensor(key, weights)); break;
      case As::f32: b.tensor(f.tensor(key, DType::f32)); break;
      case As::f64: b.tensor(f.tensor(key, DType::f64)); break;
      case As::threshold: b.tensor(split_thresholds(f, node["feature"], key, node["float32_input"].boolean())); break;
      case As::indices: b.tensor(f.indices(key)); break;
      case As::columns: b.tensor(columns(f, key, feature_names)); break;
    }
  }
  if (kind == "svc") convert_svc(b, name, node, weights, nodes);
  if (kind == "mlp") convert_mlp(b, name, node, weights);
}

// A version-1 or 2 document (one stacking ensemble: transform, scaler, estimators, stack) as the
// version-3 graph it describes.
json upgraded_to_graph(const Field& root, std::int64_t version) {
  json nodes = json::object();
  json steps = json::array({"log"});
  nodes["log"] = {{"kind", "signed_log1p"}, {"columns", root["transform"]["signed_log1p"].raw()}};
  if (version >= 2 && root["transform"]["yeo_johnson"].size() > 0) {
    nodes["yeo_johnson"] = {{"kind", "yeo_johnson"}, {"lambdas", root["transform"]["yeo_johnson"].raw()}};
    steps.push_back("yeo_johnson");
  }
  nodes["scale"] = {{"kind", "standard_scaler"}, {"mean", root["scaler"]["mean"].raw()}, {"scale", root["scaler"]["scale"].raw()}};
  steps.push_back("scale");
  const Field stack = root["stack"];
  for (const std::string& name : stack["order"].texts()) {
    json node = root["estimators"][name].raw();
    if (node.contains("probA")) node["prob_a"] = node["probA"], node["prob_b"] = node["probB"];
    nodes[name] = node;
  }
  const Field final = stack["final"];
  nodes["final"] = {{"kind", final["kind"].text()}, {"coef", final["coef"].raw()}, {"intercept", final["intercept"].raw()}};
  nodes["stack"] = {{"kind", "stacking"}, {"members", stack["order"].raw()}, {"final", "final"}, {"passthrough", stack["passthrough"].raw()}};
  nodes["model"] = {{"kind", "pipeline"}, {"steps", steps}, {"estimator", "stack"}};
  return {{"root", "model"}, {"nodes", nodes}};
}

double max_abs_difference(const std::vector<double>& ours, const Field& theirs) {
  if (theirs.size() != ours.size()) theirs.fail("has " + std::to_string(theirs.size()) + " values, expected " + std::to_string(ours.size()));
  double max = 0;
  for (std::size_t c = 0; c < ours.size(); ++c) max = std::max(max, std::abs(ours[c] - theirs[c].number()));
  return max;
}

}  // namespace

GoldenCheck check_golden(const GenreModel& model, const json& doc) {
  GoldenCheck check;
  const Field root(doc, "");
  if (!root.has("golden")) return check;
  const Field golden = root["golden"];
  const Field X = golden["X"], proba = golden["proba"], label = golden["label"];
  const std::optional<Field> base = golden.has("base_proba") ? std::optional<Field>(golden["base_proba"]) : std::nullopt;
  for (std::size_t i = 0; i < X.size(); ++i) {
    const Field x = X[i];
    if (x.size() != kNumGtzanFeatures) x.fail("expected " + std::to_string(kNumGtzanFeatures) + " features");
    FeatureVector raw;
    for (std::size_t j = 0; j < raw.size(); ++j) raw[j] = x[j].number();
    const Prediction p = model.predict(raw);
    const auto top = std::max_element(p.proba.begin(), p.proba.end()) - p.proba.begin();
    check.same_label += top == label[i].integer();
    check.max_delta = std::max(check.max_delta, max_abs_difference(p.proba, proba[i]));
    if (base)
      for (const BaseProbabilities& b : p.base)
        check.max_base_delta = std::max(check.max_base_delta, max_abs_difference(b.proba, (*base)[b.name][i]));
    ++check.rows;
  }
  return check;
}

Conversion convert_interchange(const json& doc, DType weights) {
  const Field root(doc, "");
  if (root["format"].text() != "sonotype-interchange") root["format"].fail("expected \"sonotype-interchange\"");
  const std::int64_t version = root["version"].integer();
  if (version < 1 || version > kInterchangeVersion)
    root["version"].fail("this converter reads versions 1 to " + std::to_string(kInterchangeVersion));

  Conversion out;
  BlobBuilder b(out);
  const std::vector<std::string> feature_names = root["feature_names"].texts();
  b.meta("labels", root["labels"].texts());
  b.meta("feature_names", feature_names);
  const Field pipeline = root["pipeline"];
  for (const char* key : {"sample_rate", "n_fft", "hop_length"}) b.meta(std::string("pipeline.") + key, pipeline[key].integer());
  b.meta("pipeline.window_seconds", pipeline["window_seconds"].number());

  const json upgraded = version >= 3 ? json() : upgraded_to_graph(root, version);
  if (version < 3) b.note("interchange version " + std::to_string(version) + ": its stacking ensemble written as a version-3 graph");
  const Field graph = version >= 3 ? root["graph"] : Field(upgraded, "graph");
  b.meta("graph.root", graph["root"].text());
  const Field nodes = graph["nodes"];
  if (!nodes.raw().is_object()) nodes.fail(std::string("expected an object, got ") + nodes.raw().type_name());
  for (const auto& [name, _] : nodes.raw().items()) convert_node(b, name, nodes[name], nodes, weights, feature_names);
  if (root.has("novelty")) out.novelty_rows = root["novelty"]["reference"].tensor("novelty.rows", weights);
  return out;
}

}  // namespace sonotype::cli
