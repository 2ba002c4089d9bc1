#include "core/model/trees.h"

#include <cmath>
#include <limits>

#include "core/model/softmax.h"

namespace sonotype::model {
namespace {

// x rounded to float as numpy's astype(float32) does: beyond float's range it becomes infinite.
float as_float(double x) {
  constexpr double max = std::numeric_limits<float>::max();
  if (std::abs(x) > max) return x > 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
  return static_cast<float>(x);
}

}  // namespace

int TreeNodes::leaf(const Eigen::VectorXd& x, std::size_t t) const {
  auto n = static_cast<std::size_t>(roots[t]);
  while (feature[n] != kLeaf) {
    const double v = x[feature[n]];
    const bool left = float32_input ? as_float(v) <= threshold[n] : v <= threshold[n];
    n = left ? n + 1 : static_cast<std::size_t>(right[n]);
  }
  return right[n];
}

Eigen::VectorXd TreeEnsemble::predict_proba(const Eigen::VectorXd& x) const {
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(leaf_proba.cols());
  for (std::size_t t = 0; t < nodes.roots.size(); ++t) sum += leaf_proba.row(nodes.leaf(x, t)).transpose();
  return sum / static_cast<double>(nodes.roots.size());
}

Eigen::VectorXd BoostedTrees::predict_proba(const Eigen::VectorXd& x) const {
  Eigen::VectorXd raw = base_score;
  for (std::size_t t = 0; t < nodes.roots.size(); ++t) raw[tree_class[t]] += leaf_value[nodes.leaf(x, t)];
  return softmax(raw);
}

}  // namespace sonotype::model
