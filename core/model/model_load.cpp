// GenreModel::from_bytes: the blob's entries (models/FORMAT.md, "GenreModel entries") turned into
// estimators, after checking that they describe a usable GTZAN model: the pipeline our feature
// code computes, 57 features in its order, and tensor shapes that agree with the labels, the
// features and each other. Every failure is a ModelError naming the entry.
#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "core/model/blob.h"
#include "core/model/model.h"

namespace sonotype {
namespace {

using model::Blob;
using model::Tensor;

// The STFT that gtzan_features() computes (librosa's defaults); a model trained on other
// features would silently get wrong inputs.
constexpr int kGtzanNfft = 2048;
constexpr int kGtzanHop = 512;
// The longest training clip a model may declare. A song is analysed in windows of up to 1.5 clips,
// each needing about 1.5 MB of spectrograms per second of audio, and the page runs up to four
// windows at once: 60 s keeps that near 0.5 GB (600 s would ask a browser tab for 5 GB).
constexpr double kMaxWindowSeconds = 60;
// Sanity limits that keep derived sizes (k(k-1)/2 class pairs) far from overflowing.
constexpr std::size_t kMaxLabels = 1000;
constexpr std::int64_t kMaxMlpLayers = 64;

constexpr auto kFeatures = static_cast<std::uint32_t>(kNumGtzanFeatures);

[[noreturn]] void fail(const std::string& message) { throw ModelError("model blob: " + message); }

std::string quoted(const std::string& name) { return "'" + name + "'"; }

// Metadata integer `key`, required to lie in [lo, hi].
int integer_in(const Blob& blob, const std::string& key, std::int64_t lo, std::int64_t hi) {
  const std::int64_t v = blob.integer(key);
  if (v < lo || v > hi)
    fail("metadata " + quoted(key) + " is " + std::to_string(v) + ", expected " + std::to_string(lo) +
         (lo == hi ? "" : " to " + std::to_string(hi)));
  return static_cast<int>(v);
}

double finite_real(const Blob& blob, const std::string& key) {
  const double v = blob.real(key);
  if (!std::isfinite(v)) fail("metadata " + quoted(key) + " is not a finite number");
  return v;
}

// Metadata text `key`, required to be one of `allowed`; returns its index there.
std::size_t choice(const Blob& blob, const std::string& key, const std::vector<std::string>& allowed) {
  const std::string& v = blob.text(key);
  const auto it = std::find(allowed.begin(), allowed.end(), v);
  if (it == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail("metadata " + quoted(key) + " is \"" + v + "\", expected one of " + list);
  }
  return static_cast<std::size_t>(it - allowed.begin());
}

// Tensor `name`, required to have `shape`, where a missing (nullopt) extent may be anything.
const Tensor& shaped(const Blob& blob, const std::string& name, const std::vector<std::optional<std::uint32_t>>& shape) {
  const Tensor& t = blob.tensor(name);
  bool ok = t.shape.size() == shape.size();
  std::string expected = "[";
  for (std::size_t d = 0; d < shape.size(); ++d) {
    expected += (d ? ", " : "") + (shape[d] ? std::to_string(*shape[d]) : std::string("*"));
    ok = ok && (!shape[d] || t.shape[d] == *shape[d]);
  }
  if (!ok) fail("tensor " + quoted(name) + " has shape " + model::shape_string(t.shape) + ", expected " + expected + "]");
  return t;
}

Eigen::VectorXd vector_of(const Tensor& t) {
  return Eigen::Map<const Eigen::VectorXd>(t.values.data(), static_cast<Eigen::Index>(t.values.size()));
}

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

RowMatrix matrix_of(const Tensor& t) {
  return Eigen::Map<const RowMatrix>(t.values.data(), t.shape.at(0), t.shape.at(1));
}

// An integer tensor's values, each required to lie in [0, limit).
std::vector<int> indices_of(const Tensor& t, std::size_t limit) {
  if (t.dtype != model::DType::i32 && t.dtype != model::DType::u16)
    fail("tensor " + quoted(t.name) + " has dtype " + std::string(model::dtype_name(t.dtype)) + ", expected i32 or u16");
  std::vector<int> out;
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    const double v = t.values[i];
    if (v < 0 || v >= static_cast<double>(limit))
      fail("tensor " + quoted(t.name) + " element " + std::to_string(i) + " is " + std::to_string(static_cast<long long>(v)) +
           ", outside [0, " + std::to_string(limit) + ")");
    out.push_back(static_cast<int>(v));
  }
  return out;
}

template <class T>
void require_unique(const std::vector<T>& items, const std::string& what) {
  if (std::set<T>(items.begin(), items.end()).size() != items.size()) fail(what + " has duplicates");
}

model::FeaturePreprocessor load_preprocessor(const Blob& blob) {
  model::FeaturePreprocessor p;
  p.log_columns = indices_of(shaped(blob, "transform.signed_log1p", {std::nullopt}), kNumGtzanFeatures);
  require_unique(p.log_columns, "tensor 'transform.signed_log1p'");
  p.yeo_johnson = vector_of(shaped(blob, "transform.yeo_johnson", {std::nullopt}));
  if (p.yeo_johnson.size() != 0 && p.yeo_johnson.size() != kNumGtzanFeatures)
    fail("tensor 'transform.yeo_johnson' has " + std::to_string(p.yeo_johnson.size()) + " lambdas, expected 0 or " +
         std::to_string(kNumGtzanFeatures));
  p.mean = vector_of(shaped(blob, "scaler.mean", {kFeatures}));
  p.scale = vector_of(shaped(blob, "scaler.scale", {kFeatures}));
  if ((p.scale.array() == 0).any()) fail("tensor 'scaler.scale' has a zero");
  return p;
}

model::KnnClassifier load_knn(const Blob& blob, const std::string& name, std::size_t n_classes) {
  model::KnnClassifier knn;
  knn.fit_X = matrix_of(shaped(blob, name + ".fit_X", {std::nullopt, kFeatures}));
  const auto n_train = static_cast<std::uint32_t>(knn.fit_X.rows());
  if (n_train == 0) fail("tensor " + quoted(name + ".fit_X") + " has no rows");
  knn.fit_y = indices_of(shaped(blob, name + ".fit_y", {n_train}), n_classes);
  knn.n_classes = static_cast<int>(n_classes);
  knn.n_neighbors = integer_in(blob, name + ".n_neighbors", 1, n_train);
  knn.p = integer_in(blob, name + ".p", 1, 2);
  knn.distance_weighted = choice(blob, name + ".weights", {"uniform", "distance"}) == 1;
  return knn;
}

// The support vectors: stored as such, or (smaller) as row numbers of a KNN's training matrix,
// which holds the same scaled training rows (models/FORMAT.md).
RowMatrix load_support_vectors(const Blob& blob, const std::string& name) {
  const std::string rows_key = name + ".support_rows_of";
  if (!blob.find_meta(rows_key)) return matrix_of(shaped(blob, name + ".support_vectors", {std::nullopt, kFeatures}));
  const std::string source = blob.text(rows_key) + ".fit_X";
  const RowMatrix fit_X = matrix_of(shaped(blob, source, {std::nullopt, kFeatures}));
  const std::vector<int> rows = indices_of(shaped(blob, name + ".support", {std::nullopt}), static_cast<std::size_t>(fit_X.rows()));
  RowMatrix vectors(static_cast<Eigen::Index>(rows.size()), fit_X.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) vectors.row(static_cast<Eigen::Index>(i)) = fit_X.row(rows[i]);
  return vectors;
}

model::SvcClassifier load_svc(const Blob& blob, const std::string& name, std::size_t n_classes) {
  model::SvcClassifier svc;
  svc.kernel = static_cast<model::SvmKernel>(choice(blob, name + ".kernel", {"linear", "poly", "rbf", "sigmoid"}));
  svc.gamma = finite_real(blob, name + ".gamma");
  svc.coef0 = finite_real(blob, name + ".coef0");
  svc.degree = integer_in(blob, name + ".degree", 0, 100);
  svc.support_vectors = load_support_vectors(blob, name);
  const auto n_sv = static_cast<std::uint32_t>(svc.support_vectors.rows());
  const auto k = static_cast<std::uint32_t>(n_classes);
  svc.n_support = indices_of(shaped(blob, name + ".n_support", {k}), n_sv + 1);
  long long total = 0;
  for (const int n : svc.n_support) total += n;
  if (total != n_sv)
    fail("tensor " + quoted(name + ".n_support") + " counts " + std::to_string(total) + " support vectors, there are " +
         std::to_string(n_sv));
  svc.dual_coef = matrix_of(shaped(blob, name + ".dual_coef", {k - 1, n_sv}));
  const std::uint32_t pairs = k * (k - 1) / 2;
  svc.rho = vector_of(shaped(blob, name + ".rho", {pairs}));
  svc.prob_a = vector_of(shaped(blob, name + ".prob_a", {pairs}));
  svc.prob_b = vector_of(shaped(blob, name + ".prob_b", {pairs}));
  return svc;
}

model::MlpClassifier load_mlp(const Blob& blob, const std::string& name, std::size_t n_classes) {
  choice(blob, name + ".activation", {"relu"});
  model::MlpClassifier mlp;
  const int layers = integer_in(blob, name + ".layers", 1, kMaxMlpLayers);
  std::uint32_t n_in = kFeatures;
  for (int l = 0; l < layers; ++l) {
    const std::string layer = std::to_string(l);
    const std::optional<std::uint32_t> n_out =
        l + 1 == layers ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(n_classes)) : std::nullopt;
    mlp.weights.push_back(matrix_of(shaped(blob, name + ".coef." + layer, {n_in, n_out})));
    n_in = static_cast<std::uint32_t>(mlp.weights.back().cols());
    mlp.biases.push_back(vector_of(shaped(blob, name + ".intercept." + layer, {n_in})));
  }
  return mlp;
}

}  // namespace

GenreModel GenreModel::from_bytes(std::span<const std::uint8_t> bytes) {
  const Blob blob = model::read_blob(bytes);
  GenreModel m;

  // At least three: with two classes StackingClassifier keeps one column per base estimator.
  m.labels_ = blob.texts("labels");
  if (m.labels_.size() < 3 || m.labels_.size() > kMaxLabels)
    fail("metadata 'labels' has " + std::to_string(m.labels_.size()) + " labels, expected 3 to " + std::to_string(kMaxLabels));
  require_unique(m.labels_, "metadata 'labels'");
  const std::size_t k = m.labels_.size();

  const auto& features = blob.texts("feature_names");
  if (features.size() != kNumGtzanFeatures)
    fail("metadata 'feature_names' has " + std::to_string(features.size()) + " features, the GTZAN pipeline computes " +
         std::to_string(kNumGtzanFeatures));
  for (std::size_t i = 0; i < features.size(); ++i)
    if (features[i] != kGtzanFeatureNames[i])
      fail("feature " + std::to_string(i) + " is \"" + features[i] + "\", the GTZAN pipeline computes \"" +
           std::string(kGtzanFeatureNames[i]) + "\" there");

  m.pipeline_.sample_rate = integer_in(blob, "pipeline.sample_rate", kGtzanSampleRate, kGtzanSampleRate);
  m.pipeline_.n_fft = integer_in(blob, "pipeline.n_fft", kGtzanNfft, kGtzanNfft);
  m.pipeline_.hop_length = integer_in(blob, "pipeline.hop_length", kGtzanHop, kGtzanHop);
  m.pipeline_.window_seconds = finite_real(blob, "pipeline.window_seconds");
  if (m.pipeline_.window_seconds < 1 || m.pipeline_.window_seconds > kMaxWindowSeconds)
    fail("metadata 'pipeline.window_seconds' is " + model::to_string(m.pipeline_.window_seconds) + ", expected 1 to " +
         model::to_string(kMaxWindowSeconds));

  m.preprocess_ = load_preprocessor(blob);

  const auto& order = blob.texts("stack.order");
  if (order.empty()) fail("metadata 'stack.order' is empty");
  require_unique(order, "metadata 'stack.order'");
  for (const std::string& name : order) {
    switch (choice(blob, name + ".kind", {"knn", "svc", "mlp"})) {
      case 0: m.base_.push_back({name, load_knn(blob, name, k)}); break;
      case 1: m.base_.push_back({name, load_svc(blob, name, k)}); break;
      default: m.base_.push_back({name, load_mlp(blob, name, k)}); break;
    }
  }
  m.passthrough_ = integer_in(blob, "stack.passthrough", 0, 1) == 1;

  choice(blob, "stack.final.kind", {"logistic"});
  const auto n_meta = static_cast<std::uint32_t>(order.size() * k + (m.passthrough_ ? kNumGtzanFeatures : 0));
  m.final_.coef = matrix_of(shaped(blob, "stack.final.coef", {static_cast<std::uint32_t>(k), n_meta}));
  m.final_.intercept = vector_of(shaped(blob, "stack.final.intercept", {static_cast<std::uint32_t>(k)}));
  m.novelty_ = model::read_novelty(blob);
  return m;
}

}  // namespace sonotype
