#include "core/model/knn.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sonotype::model {

Eigen::VectorXd KnnClassifier::predict_proba(const Eigen::VectorXd& x) const {
  const auto diff = (fit_X.rowwise() - x.transpose()).array();
  const Eigen::VectorXd dist = p == 1 ? diff.abs().rowwise().sum().matrix().eval()
                                      : diff.square().rowwise().sum().sqrt().matrix().eval();

  // The k smallest distances; equal distances go to the lower training index, which is what
  // sklearn's brute-force search (the one it picks for 57 features) keeps at the boundary.
  const int n = static_cast<int>(dist.size());
  const int k = std::min(n_neighbors, n);
  std::vector<int> nearest(static_cast<std::size_t>(n));
  std::iota(nearest.begin(), nearest.end(), 0);
  std::partial_sort(nearest.begin(), nearest.begin() + k, nearest.end(),
                    [&](int a, int b) { return dist[a] < dist[b] || (dist[a] == dist[b] && a < b); });
  nearest.resize(static_cast<std::size_t>(k));

  // weights="distance" is 1/d, except that when any neighbour is at distance 0 (1/d infinite)
  // those neighbours get weight 1 and the rest 0 (sklearn.neighbors._base._get_weights).
  // sklearn computes Euclidean distances as sqrt(|x|^2 - 2 x.y + |y|^2), which can leave ~1e-8
  // instead of 0 for a training row itself; its probabilities then differ from these by ~1e-7.
  std::vector<double> weight(nearest.size(), 1.0);
  if (distance_weighted) {
    std::transform(nearest.begin(), nearest.end(), weight.begin(), [&](int i) { return 1.0 / dist[i]; });
    if (std::any_of(weight.begin(), weight.end(), [](double w) { return std::isinf(w); }))
      for (double& w : weight) w = std::isinf(w) ? 1.0 : 0.0;
  }
  Eigen::VectorXd proba = Eigen::VectorXd::Zero(n_classes);
  for (std::size_t i = 0; i < nearest.size(); ++i) proba[fit_y[static_cast<std::size_t>(nearest[i])]] += weight[i];
  const double total = proba.sum();
  return total == 0.0 ? proba : (proba / total).eval();
}

}  // namespace sonotype::model
