// GenreModel::from_bytes: a version-3 or 4 blob's model graph (models/FORMAT.md) turned into nodes,
// after checking that it describes a usable GTZAN model: the pipeline our feature code computes,
// 57 features in its order, every node reference resolving to a node of the right sort without
// cycles, and every tensor shape agreeing with the labels, the node's input width and the other
// tensors. Every failure is a ModelError naming the entry.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "core/model/blob.h"
#include "core/model/graph.h"
#include "core/model/knn.h"
#include "core/model/logistic.h"
#include "core/model/mlp.h"
#include "core/model/model.h"
#include "core/model/naive_bayes.h"
#include "core/model/svc.h"
#include "core/model/transforms.h"
#include "core/model/trees.h"

namespace sonotype {
namespace {

using model::Blob;
using model::Tensor;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The STFT that gtzan_features() computes (librosa's defaults); a model trained on other
// features would silently get wrong inputs.
constexpr int kGtzanNfft = 2048;
constexpr int kGtzanHop = 512;
// The longest training clip a model may declare. A song is analysed in windows of up to 1.5 clips,
// each needing about 1.5 MB of spectrograms per second of audio, and the page runs up to four
// windows at once: 60 s keeps that near 0.5 GB (600 s would ask a browser tab for 5 GB).
constexpr double kMaxWindowSeconds = 60;
// Sanity limits that keep derived sizes (k(k-1)/2 class pairs) far from overflowing and nesting
// (each level a C++ stack frame) shallow.
constexpr std::size_t kMaxLabels = 1000;
constexpr std::int64_t kMaxMlpLayers = 64;
constexpr std::size_t kMaxDepth = 16;
// Metadata prefixes that are not nodes (novelty.* belongs to the novelty detector).
const std::set<std::string> kReservedNames{"graph", "pipeline", "novelty", "labels", "feature_names"};

[[noreturn]] void fail(const std::string& message) { throw ModelError("model blob: " + message); }

std::string quoted(const std::string& name) { return "'" + name + "'"; }

std::string count(std::size_t n, const std::string& what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }

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

RowMatrix matrix_of(const Tensor& t) { return Eigen::Map<const RowMatrix>(t.values.data(), t.shape.at(0), t.shape.at(1)); }

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

void require_positive(const Eigen::VectorXd& v, const std::string& name, bool zero_allowed) {
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (v[i] < 0 || (!zero_allowed && v[i] == 0))
      fail("tensor " + quoted(name) + " element " + std::to_string(i) + " is " + model::to_string(v[i]) + ", expected " +
           (zero_allowed ? "at least 0" : "more than 0"));
}

}  // namespace

// Reads the nodes that the root chain reaches, depth first. `n_in` is the width of the vector a
// node receives; each transform reports the width it returns.
class GraphLoader {
 public:
  GraphLoader(const Blob& blob, std::size_t n_classes) : blob_(blob), k_(static_cast<std::uint32_t>(n_classes)) {}

  void root(GenreModel& m) {
    const std::string name = blob_.text("graph.root");
    Visit visit(*this, name, "root");
    choice(blob_, name + ".kind", {"pipeline"});
    std::uint32_t width = kNumGtzanFeatures;
    m.steps_ = steps(name, width);
    m.estimator_ = estimator(blob_.text(name + ".estimator"), width);
    m.outline_ = outline_;
    m.novelty_ = model::read_novelty(blob_, width);
  }

 private:
  using EstimatorLoader = model::EstimatorPtr (GraphLoader::*)(const std::string&, std::uint32_t);
  using TransformLoader = model::TransformPtr (GraphLoader::*)(const std::string&, std::uint32_t&);

  // The node being read: checks its name, guards against cycles and deep nesting, and indents
  // the outline lines of the nodes it uses.
  class Visit {
   public:
    Visit(GraphLoader& g, const std::string& name, const std::string& used_as) : g_(g), name_(name) {
      const bool word = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      });
      if (!word || kReservedNames.count(name))
        fail(used_as + " node name \"" + name + "\" is not a name of letters, digits and '_' other than " +
             "graph, pipeline, novelty, labels, feature_names");
      if (g.path_.size() >= kMaxDepth) fail("node " + quoted(name) + " is nested more than " + std::to_string(kMaxDepth) + " deep");
      if (std::find(g.path_.begin(), g.path_.end(), name) != g.path_.end()) fail("node " + quoted(name) + " refers to itself");
      g.path_.push_back(name);
    }
    ~Visit() { g_.path_.pop_back(); }

   private:
    GraphLoader& g_;
    std::string name_;
  };

  // The outline line of node `name` at offset `at` (a combination's line goes before its members').
  void line_at(std::size_t at, const std::string& name, const std::string& text) {
    outline_.insert(at, std::string(2 * (path_.size() - 1), ' ') + name + ": " + text + "\n");
  }
  void line(const std::string& name, const std::string& text) { line_at(outline_.size(), name, text); }

  // ---- transforms ----

  std::vector<model::TransformPtr> steps(const std::string& chain, std::uint32_t& width) {
    const std::uint32_t n_in = width;
    const auto& names = blob_.texts(chain + ".steps");
    std::vector<model::TransformPtr> out;
    std::string text;
    for (const std::string& s : names) text += (text.empty() ? "" : ", ") + s;
    const std::size_t at = outline_.size();
    for (const std::string& s : names) out.push_back(transform(s, width));
    line_at(at, chain, "pipeline of " + (names.empty() ? std::string("no steps") : text) + " (" + std::to_string(n_in) +
                           " -> " + std::to_string(width) + " features), then " + blob_.text(chain + ".estimator"));
    return out;
  }

  model::TransformPtr transform(const std::string& name, std::uint32_t& width) {
    static const std::map<std::string, TransformLoader> kinds{
        {"signed_log1p", &GraphLoader::signed_log1p}, {"yeo_johnson", &GraphLoader::yeo_johnson},
        {"standard_scaler", &GraphLoader::standard_scaler}, {"pca", &GraphLoader::pca}, {"select", &GraphLoader::select}};
    Visit visit(*this, name, "transform");
    return (this->*kinds.at(kind(name, kinds)))(name, width);
  }

  model::TransformPtr signed_log1p(const std::string& name, std::uint32_t& width) {
    std::vector<int> columns = indices_of(shaped(blob_, name + ".columns", {std::nullopt}), width);
    require_unique(columns, "tensor " + quoted(name + ".columns"));
    line(name, "signed_log1p on " + count(columns.size(), "column"));
    return std::make_shared<model::SignedLog1p>(std::move(columns));
  }

  model::TransformPtr yeo_johnson(const std::string& name, std::uint32_t& width) {
    line(name, "yeo_johnson");
    return std::make_shared<model::YeoJohnson>(vector_of(shaped(blob_, name + ".lambdas", {width})));
  }

  model::TransformPtr standard_scaler(const std::string& name, std::uint32_t& width) {
    Eigen::VectorXd scale = vector_of(shaped(blob_, name + ".scale", {width}));
    require_positive(scale, name + ".scale", false);
    line(name, "standard_scaler");
    return std::make_shared<model::StandardScaler>(vector_of(shaped(blob_, name + ".mean", {width})), std::move(scale));
  }

  model::TransformPtr pca(const std::string& name, std::uint32_t& width) {
    RowMatrix components = matrix_of(shaped(blob_, name + ".components", {std::nullopt, width}));
    if (components.rows() == 0) fail("tensor " + quoted(name + ".components") + " has no rows");
    Eigen::VectorXd mean = vector_of(shaped(blob_, name + ".mean", {width}));
    width = static_cast<std::uint32_t>(components.rows());
    line(name, "pca to " + count(width, "component"));
    return std::make_shared<model::Pca>(std::move(mean), std::move(components));
  }

  model::TransformPtr select(const std::string& name, std::uint32_t& width) {
    std::vector<int> columns = indices_of(shaped(blob_, name + ".columns", {std::nullopt}), width);
    if (columns.empty()) fail("tensor " + quoted(name + ".columns") + " selects no column");
    width = static_cast<std::uint32_t>(columns.size());
    line(name, "select " + count(columns.size(), "column"));
    return std::make_shared<model::SelectColumns>(std::move(columns));
  }

  // ---- estimators ----

  model::EstimatorPtr estimator(const std::string& name, std::uint32_t n_in) {
    static const std::map<std::string, EstimatorLoader> kinds{
        {"pipeline", &GraphLoader::chain},           {"knn", &GraphLoader::knn},
        {"svc", &GraphLoader::svc},                  {"mlp", &GraphLoader::mlp},
        {"logistic", &GraphLoader::logistic},        {"gaussian_nb", &GraphLoader::gaussian_nb},
        {"tree_ensemble", &GraphLoader::tree_ensemble}, {"boosted_trees", &GraphLoader::boosted_trees},
        {"voting", &GraphLoader::voting},            {"stacking", &GraphLoader::stacking}};
    Visit visit(*this, name, "estimator");
    return (this->*kinds.at(kind(name, kinds)))(name, n_in);
  }

  template <class Map>
  std::string kind(const std::string& name, const Map& kinds) {
    std::vector<std::string> allowed;
    for (const auto& [k, _] : kinds) allowed.push_back(k);
    return allowed[choice(blob_, name + ".kind", allowed)];
  }

  model::EstimatorPtr chain(const std::string& name, std::uint32_t n_in) {
    std::uint32_t width = n_in;
    std::vector<model::TransformPtr> s = steps(name, width);
    return std::make_shared<model::Chain>(std::move(s), estimator(blob_.text(name + ".estimator"), width));
  }

  model::EstimatorPtr knn(const std::string& name, std::uint32_t n_in) {
    model::KnnClassifier knn;
    knn.fit_X = matrix_of(shaped(blob_, name + ".fit_X", {std::nullopt, n_in}));
    const auto n_train = static_cast<std::uint32_t>(knn.fit_X.rows());
    if (n_train == 0) fail("tensor " + quoted(name + ".fit_X") + " has no rows");
    knn.fit_y = indices_of(shaped(blob_, name + ".fit_y", {n_train}), k_);
    knn.n_classes = static_cast<int>(k_);
    knn.n_neighbors = integer_in(blob_, name + ".n_neighbors", 1, n_train);
    knn.p = integer_in(blob_, name + ".p", 1, 2);
    knn.distance_weighted = choice(blob_, name + ".weights", {"uniform", "distance"}) == 1;
    line(name, "knn, k " + std::to_string(knn.n_neighbors) + ", p " + std::to_string(knn.p) + ", " +
                   blob_.text(name + ".weights") + ", " + count(n_train, "training row"));
    return std::make_shared<model::Leaf<model::KnnClassifier>>(std::move(knn));
  }

  // The support vectors: stored as such, or (smaller) as row numbers of a KNN's training matrix,
  // which holds the same scaled training rows (models/FORMAT.md).
  RowMatrix support_vectors(const std::string& name, std::uint32_t n_in) {
    const std::string rows_key = name + ".support_rows_of";
    if (!blob_.find_meta(rows_key)) return matrix_of(shaped(blob_, name + ".support_vectors", {std::nullopt, n_in}));
    const std::string source = blob_.text(rows_key) + ".fit_X";
    const RowMatrix fit_X = matrix_of(shaped(blob_, source, {std::nullopt, n_in}));
    const std::vector<int> rows = indices_of(shaped(blob_, name + ".support", {std::nullopt}), static_cast<std::size_t>(fit_X.rows()));
    RowMatrix vectors(static_cast<Eigen::Index>(rows.size()), fit_X.cols());
    for (std::size_t i = 0; i < rows.size(); ++i) vectors.row(static_cast<Eigen::Index>(i)) = fit_X.row(rows[i]);
    return vectors;
  }

  model::EstimatorPtr svc(const std::string& name, std::uint32_t n_in) {
    model::SvcClassifier svc;
    svc.kernel = static_cast<model::SvmKernel>(choice(blob_, name + ".kernel", {"linear", "poly", "rbf", "sigmoid"}));
    svc.gamma = finite_real(blob_, name + ".gamma");
    svc.coef0 = finite_real(blob_, name + ".coef0");
    svc.degree = integer_in(blob_, name + ".degree", 0, 100);
    svc.support_vectors = support_vectors(name, n_in);
    const auto n_sv = static_cast<std::uint32_t>(svc.support_vectors.rows());
    svc.n_support = indices_of(shaped(blob_, name + ".n_support", {k_}), n_sv + 1);
    long long total = 0;
    for (const int n : svc.n_support) total += n;
    if (total != n_sv)
      fail("tensor " + quoted(name + ".n_support") + " counts " + std::to_string(total) + " support vectors, there are " +
           std::to_string(n_sv));
    svc.dual_coef = matrix_of(shaped(blob_, name + ".dual_coef", {k_ - 1, n_sv}));
    const std::uint32_t pairs = k_ * (k_ - 1) / 2;
    svc.rho = vector_of(shaped(blob_, name + ".rho", {pairs}));
    svc.prob_a = vector_of(shaped(blob_, name + ".prob_a", {pairs}));
    svc.prob_b = vector_of(shaped(blob_, name + ".prob_b", {pairs}));
    line(name, "svc, " + blob_.text(name + ".kernel") + " kernel, " + count(n_sv, "support vector"));
    return std::make_shared<model::Leaf<model::SvcClassifier>>(std::move(svc));
  }

  model::EstimatorPtr mlp(const std::string& name, std::uint32_t n_in) {
    choice(blob_, name + ".activation", {"relu"});
    model::MlpClassifier mlp;
    const int layers = integer_in(blob_, name + ".layers", 1, kMaxMlpLayers);
    std::string widths = std::to_string(n_in);
    for (int l = 0; l < layers; ++l) {
      const std::string layer = std::to_string(l);
      const std::optional<std::uint32_t> n_out = l + 1 == layers ? std::optional<std::uint32_t>(k_) : std::nullopt;
      mlp.weights.push_back(matrix_of(shaped(blob_, name + ".coef." + layer, {n_in, n_out})));
      n_in = static_cast<std::uint32_t>(mlp.weights.back().cols());
      mlp.biases.push_back(vector_of(shaped(blob_, name + ".intercept." + layer, {n_in})));
      widths += " -> " + std::to_string(n_in);
    }
    line(name, "mlp, relu, " + widths);
    return std::make_shared<model::Leaf<model::MlpClassifier>>(std::move(mlp));
  }

  model::EstimatorPtr logistic(const std::string& name, std::uint32_t n_in) {
    model::MultinomialLogistic lr;
    lr.coef = matrix_of(shaped(blob_, name + ".coef", {k_, n_in}));
    lr.intercept = vector_of(shaped(blob_, name + ".intercept", {k_}));
    line(name, "logistic (multinomial), " + std::to_string(n_in) + " inputs");
    return std::make_shared<model::Leaf<model::MultinomialLogistic>>(std::move(lr));
  }

  model::EstimatorPtr gaussian_nb(const std::string& name, std::uint32_t n_in) {
    model::GaussianNb nb;
    nb.theta = matrix_of(shaped(blob_, name + ".theta", {k_, n_in}));
    nb.var = matrix_of(shaped(blob_, name + ".var", {k_, n_in}));
    for (Eigen::Index i = 0; i < nb.var.size(); ++i)
      if (!(nb.var.data()[i] > 0)) fail("tensor " + quoted(name + ".var") + " element " + std::to_string(i) + " is not above 0");
    const Eigen::VectorXd prior = vector_of(shaped(blob_, name + ".class_prior", {k_}));
    require_positive(prior, name + ".class_prior", false);
    nb.class_log_prior = prior.array().log().matrix();
    line(name, "gaussian_nb");
    return std::make_shared<model::Leaf<model::GaussianNb>>(std::move(nb));
  }

  // The shared node arrays of a tree ensemble (models/FORMAT.md, "Trees"), checked so that every
  // walk from a root ends at a leaf inside its tree: children come after their parent and before
  // the next tree, features are inputs, leaf rows exist.
  model::TreeNodes tree_nodes(const std::string& name, std::uint32_t n_in, std::uint32_t& n_leaves) {
    model::TreeNodes t;
    const Tensor& feature = shaped(blob_, name + ".feature", {std::nullopt});
    if (feature.dtype != model::DType::u16) fail("tensor " + quoted(name + ".feature") + " has dtype " +
                                                 std::string(model::dtype_name(feature.dtype)) + ", expected u16");
    const auto n_nodes = static_cast<std::uint32_t>(feature.values.size());
    if (n_nodes == 0) fail("tensor " + quoted(name + ".feature") + " has no nodes");
    for (const double f : feature.values) t.feature.push_back(static_cast<std::uint16_t>(f));
    // One threshold per split node, in node order (models/FORMAT.md, "Trees"); version 3 had one
    // per node, 0 at leaves.
    const bool per_node = blob_.version == 3;
    const auto n_splits = static_cast<std::uint32_t>(
        std::count_if(t.feature.begin(), t.feature.end(), [](std::uint16_t f) { return f != model::TreeNodes::kLeaf; }));
    const Tensor& thresholds = shaped(blob_, name + ".threshold", {per_node ? n_nodes : n_splits});
    if (thresholds.dtype != model::DType::f32 && thresholds.dtype != model::DType::f64)
      fail("tensor " + quoted(name + ".threshold") + " has dtype " + std::string(model::dtype_name(thresholds.dtype)) +
           ", expected f32 or f64");
    t.threshold.assign(n_nodes, 0.0);
    for (std::uint32_t n = 0, split = 0; n < n_nodes; ++n)
      if (t.feature[n] != model::TreeNodes::kLeaf) t.threshold[n] = thresholds.values[per_node ? n : split++];
    t.roots = indices_of(shaped(blob_, name + ".roots", {std::nullopt}), n_nodes);
    if (t.roots.empty() || t.roots.front() != 0) fail("tensor " + quoted(name + ".roots") + " must start with node 0");
    t.right = indices_of(shaped(blob_, name + ".right", {n_nodes}), INT32_MAX);
    t.float32_input = integer_in(blob_, name + ".float32_input", 0, 1) == 1;
    n_leaves = 0;
    for (std::size_t tree = 0; tree < t.roots.size(); ++tree) {
      const auto begin = static_cast<std::size_t>(t.roots[tree]);
      const std::size_t end = tree + 1 < t.roots.size() ? static_cast<std::size_t>(t.roots[tree + 1]) : n_nodes;
      if (end <= begin) fail("tensor " + quoted(name + ".roots") + " element " + std::to_string(tree + 1) + " does not follow the previous root");
      for (std::size_t n = begin; n < end; ++n) {
        const auto at = " (node " + std::to_string(n) + ", tree " + std::to_string(tree) + ")";
        if (t.feature[n] == model::TreeNodes::kLeaf) {
          n_leaves = std::max(n_leaves, static_cast<std::uint32_t>(t.right[n]) + 1);
          continue;
        }
        if (t.feature[n] >= n_in)
          fail("tensor " + quoted(name + ".feature") + " splits on input " + std::to_string(t.feature[n]) + at + ", the node has " +
               std::to_string(n_in) + " inputs");
        const auto right = static_cast<std::size_t>(t.right[n]);
        if (n + 1 >= end || right <= n + 1 || right >= end)
          fail("tensor " + quoted(name + ".right") + " sends node " + std::to_string(n) + " to " + std::to_string(right) + at +
               ": children must follow their parent within the tree, [" + std::to_string(begin) + ", " + std::to_string(end) + ")");
      }
    }
    return t;
  }

  model::EstimatorPtr tree_ensemble(const std::string& name, std::uint32_t n_in) {
    model::TreeEnsemble e;
    std::uint32_t n_leaves = 0;
    e.nodes = tree_nodes(name, n_in, n_leaves);
    e.leaf_proba = matrix_of(shaped(blob_, name + ".leaf_proba", {std::nullopt, k_}));
    if (e.leaf_proba.rows() < static_cast<Eigen::Index>(n_leaves))
      fail("tensor " + quoted(name + ".leaf_proba") + " has " + std::to_string(e.leaf_proba.rows()) + " rows, the leaves use " +
           std::to_string(n_leaves));
    line(name, "tree_ensemble, " + count(e.nodes.roots.size(), "tree") + ", " + count(e.nodes.feature.size(), "node"));
    return std::make_shared<model::Leaf<model::TreeEnsemble>>(std::move(e));
  }

  model::EstimatorPtr boosted_trees(const std::string& name, std::uint32_t n_in) {
    model::BoostedTrees b;
    std::uint32_t n_leaves = 0;
    b.nodes = tree_nodes(name, n_in, n_leaves);
    b.leaf_value = vector_of(shaped(blob_, name + ".leaf_value", {std::nullopt}));
    if (b.leaf_value.size() < static_cast<Eigen::Index>(n_leaves))
      fail("tensor " + quoted(name + ".leaf_value") + " has " + std::to_string(b.leaf_value.size()) + " values, the leaves use " +
           std::to_string(n_leaves));
    b.tree_class = indices_of(shaped(blob_, name + ".tree_class", {static_cast<std::uint32_t>(b.nodes.roots.size())}), k_);
    b.base_score = vector_of(shaped(blob_, name + ".base_score", {k_}));
    line(name, "boosted_trees, " + count(b.nodes.roots.size(), "tree") + ", " + count(b.nodes.feature.size(), "node"));
    return std::make_shared<model::Leaf<model::BoostedTrees>>(std::move(b));
  }

  std::vector<model::Member> members(const std::string& name, std::uint32_t n_in) {
    const auto& names = blob_.texts(name + ".members");
    if (names.empty()) fail("metadata " + quoted(name + ".members") + " is empty");
    require_unique(names, "metadata " + quoted(name + ".members"));
    std::vector<model::Member> out;
    for (const std::string& m : names) out.push_back({m, estimator(m, n_in)});
    return out;
  }

  model::EstimatorPtr voting(const std::string& name, std::uint32_t n_in) {
    const std::size_t at = outline_.size();
    std::vector<model::Member> m = members(name, n_in);
    Eigen::VectorXd weights = vector_of(shaped(blob_, name + ".weights", {static_cast<std::uint32_t>(m.size())}));
    require_positive(weights, name + ".weights", true);
    if (!(weights.sum() > 0)) fail("tensor " + quoted(name + ".weights") + " sums to 0");
    std::string text;
    for (Eigen::Index i = 0; i < weights.size(); ++i) text += (i ? ", " : "") + model::to_string(weights[i]);
    line_at(at, name, "soft voting, weights " + text);
    return std::make_shared<model::SoftVoting>(std::move(m), std::move(weights));
  }

  model::EstimatorPtr stacking(const std::string& name, std::uint32_t n_in) {
    const std::size_t at = outline_.size();
    std::vector<model::Member> m = members(name, n_in);
    const bool passthrough = integer_in(blob_, name + ".passthrough", 0, 1) == 1;
    const auto n_meta = static_cast<std::uint32_t>(m.size() * k_ + (passthrough ? n_in : 0));
    model::EstimatorPtr final = estimator(blob_.text(name + ".final"), n_meta);
    line_at(at, name, std::string("stacking") + (passthrough ? " with passthrough" : "") + ", final estimator " +
                          blob_.text(name + ".final"));
    return std::make_shared<model::Stacking>(std::move(m), std::move(final), passthrough);
  }

  const Blob& blob_;
  const std::uint32_t k_;
  std::vector<std::string> path_;  // the nodes being read, outermost first
  std::string outline_;
};

GenreModel GenreModel::from_bytes(std::span<const std::uint8_t> bytes) {
  const Blob blob = model::read_blob(bytes);
  GenreModel m;

  // At least three: with two classes scikit-learn keeps one column per stacked estimator.
  m.labels_ = blob.texts("labels");
  if (m.labels_.size() < 3 || m.labels_.size() > kMaxLabels)
    fail("metadata 'labels' has " + std::to_string(m.labels_.size()) + " labels, expected 3 to " + std::to_string(kMaxLabels));
  require_unique(m.labels_, "metadata 'labels'");

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

  GraphLoader(blob, m.labels_.size()).root(m);
  return m;
}

}  // namespace sonotype
