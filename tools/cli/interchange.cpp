#include "tools/cli/interchange.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/model/model_error.h"

namespace sonotype::cli {
namespace {

using nlohmann::json;
using model::DType;
using model::MetaValue;
using model::Tensor;

// Version 2 added transform.yeo_johnson; a version-1 file has no such step.
constexpr int kInterchangeVersion = 2;

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

// The first KNN estimator of the stack whose training rows, at `support`, are exactly the SVM's
// support vectors (they are when both were fitted on the same scaled rows, as in a stack).
std::optional<std::string> knn_holding_rows(const Field& estimators, const std::vector<std::string>& order,
                                            const Field& support, const Field& vectors) {
  for (const std::string& name : order) {
    const Field knn = estimators[name];
    if (knn["kind"].text() != "knn") continue;
    const Field fit_X = knn["fit_X"];
    bool equal = support.size() == vectors.size();
    for (std::size_t i = 0; equal && i < support.size(); ++i) {
      const std::int64_t row = support[i].integer();
      equal = row >= 0 && static_cast<std::size_t>(row) < fit_X.size() && fit_X[static_cast<std::size_t>(row)].raw() == vectors[i].raw();
    }
    if (equal) return name;
  }
  return std::nullopt;
}

void convert_knn(BlobBuilder& b, const std::string& name, const Field& knn, DType weights) {
  b.meta(name + ".n_neighbors", knn["n_neighbors"].integer());
  b.meta(name + ".weights", knn["weights"].text());
  b.meta(name + ".p", knn["p"].integer());
  b.tensor(knn["fit_X"].tensor(name + ".fit_X", weights));
  b.tensor(knn["fit_y"].indices(name + ".fit_y"));
}

void convert_svc(BlobBuilder& b, const std::string& name, const Field& svm, DType weights, const Field& estimators,
                 const std::vector<std::string>& order) {
  b.meta(name + ".kernel", svm["kernel"].text());
  b.meta(name + ".gamma", svm["gamma"].number());
  b.meta(name + ".coef0", svm["coef0"].number());
  b.meta(name + ".degree", svm["degree"].integer());
  const Field support = svm["support"];
  const auto source = support.is_null() ? std::nullopt : knn_holding_rows(estimators, order, support, svm["support_vectors"]);
  if (source) {
    b.meta(name + ".support_rows_of", *source);
    b.tensor(support.indices(name + ".support"));
    b.note(name + ": support vectors stored as row numbers of " + *source + ".fit_X");
  } else {
    b.tensor(svm["support_vectors"].tensor(name + ".support_vectors", weights));
    b.note(name + ": support vectors stored in full (" +
           (support.is_null() ? std::string("no support indices") : "they are not rows of a KNN's fit_X") + ")");
  }
  b.tensor(svm["n_support"].indices(name + ".n_support"));
  b.tensor(svm["dual_coef"].tensor(name + ".dual_coef", weights));
  b.tensor(svm["rho"].tensor(name + ".rho", DType::f32));
  b.tensor(svm["probA"].tensor(name + ".prob_a", DType::f32));
  b.tensor(svm["probB"].tensor(name + ".prob_b", DType::f32));
}

void convert_mlp(BlobBuilder& b, const std::string& name, const Field& mlp, DType weights) {
  b.meta(name + ".activation", mlp["activation"].text());
  const Field coefs = mlp["coefs"], intercepts = mlp["intercepts"];
  if (intercepts.size() != coefs.size())
    intercepts.fail("has " + std::to_string(intercepts.size()) + " layers, coefs has " + std::to_string(coefs.size()));
  b.meta(name + ".layers", static_cast<std::int64_t>(coefs.size()));
  for (std::size_t l = 0; l < coefs.size(); ++l) {
    b.tensor(coefs[l].tensor(name + ".coef." + std::to_string(l), weights));
    b.tensor(intercepts[l].tensor(name + ".intercept." + std::to_string(l), DType::f32));
  }
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
  const Field X = golden["X"], proba = golden["proba"], label = golden["label"], base = golden["base_proba"];
  for (std::size_t i = 0; i < X.size(); ++i) {
    const Field x = X[i];
    if (x.size() != kNumGtzanFeatures) x.fail("expected " + std::to_string(kNumGtzanFeatures) + " features");
    FeatureVector raw;
    for (std::size_t j = 0; j < raw.size(); ++j) raw[j] = x[j].number();
    const Prediction p = model.predict(raw);
    const auto top = std::max_element(p.proba.begin(), p.proba.end()) - p.proba.begin();
    check.same_label += top == label[i].integer();
    check.max_delta = std::max(check.max_delta, max_abs_difference(p.proba, proba[i]));
    for (const BaseProbabilities& b : p.base)
      check.max_base_delta = std::max(check.max_base_delta, max_abs_difference(b.proba, base[b.name][i]));
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
  b.meta("labels", root["labels"].texts());
  b.meta("feature_names", root["feature_names"].texts());
  const Field pipeline = root["pipeline"];
  for (const char* key : {"sample_rate", "n_fft", "hop_length"}) b.meta(std::string("pipeline.") + key, pipeline[key].integer());
  b.meta("pipeline.window_seconds", pipeline["window_seconds"].number());

  b.tensor(root["transform"]["signed_log1p"].indices("transform.signed_log1p"));
  b.tensor(version >= 2 ? root["transform"]["yeo_johnson"].tensor("transform.yeo_johnson", DType::f32)
                        : Tensor{"transform.yeo_johnson", DType::f32, {0}, {}});
  b.tensor(root["scaler"]["mean"].tensor("scaler.mean", DType::f32));
  b.tensor(root["scaler"]["scale"].tensor("scaler.scale", DType::f32));

  const Field stack = root["stack"], estimators = root["estimators"];
  const std::vector<std::string> order = stack["order"].texts();
  b.meta("stack.order", order);
  b.meta("stack.passthrough", std::int64_t{stack["passthrough"].boolean()});
  for (const std::string& name : order) {
    const Field estimator = estimators[name];
    const std::string kind = estimator["kind"].text();
    b.meta(name + ".kind", kind);
    if (kind == "knn") {
      convert_knn(b, name, estimator, weights);
    } else if (kind == "svc") {
      convert_svc(b, name, estimator, weights, estimators, order);
    } else if (kind == "mlp") {
      convert_mlp(b, name, estimator, weights);
    } else {
      estimator["kind"].fail("unknown estimator kind \"" + kind + "\" (knn, svc or mlp)");
    }
  }
  const Field final = stack["final"];
  b.meta("stack.final.kind", final["kind"].text());
  b.tensor(final["coef"].tensor("stack.final.coef", DType::f32));
  b.tensor(final["intercept"].tensor("stack.final.intercept", DType::f32));
  return out;
}

}  // namespace sonotype::cli
