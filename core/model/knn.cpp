#include "core/model/knn.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sonotype::model {

std::vector<Neighbour> KnnClassifier::nearest(const Eigen::VectorXd& x, int k) const {
  const auto diff = (fit_X.rowwise() - x.transpose()).array();
  const Eigen::VectorXd dist = p == 1 ? diff.abs().rowwise().sum().matrix().eval()
                                      : diff.square().rowwise().sum().sqrt().matrix().eval();

  // The k smallest distances; equal distances go to the lower training index, which is what
  // sklearn's brute-force search (the one it picks for 57 features) keeps at the boundary.
  const int n = static_cast<int>(dist.size());
  k = std::min(k, n);
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + k, order.end(),
                    [&](int a, int b) { return dist[a] < dist[b] || (dist[a] == dist[b] && a < b); });
  std::vector<Neighbour> out(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) out[static_cast<std::size_t>(i)] = {order[static_cast<std::size_t>(i)], dist[order[static_cast<std::size_t>(i)]]};
  return out;
}

Eigen::VectorXd KnnClassifier::proba_of(std::span<const Neighbour> neighbours) const {
  // weights="distance" is 1/d, except that when any neighbour is at distance 0 (1/d infinite)
  // those neighbours get weight 1 and the rest 0 (sklearn.neighbors._base._get_weights).
  // sklearn computes Euclidean distances as sqrt(|x|^2 - 2 x.y + |y|^2), which can leave ~1e-8
  // instead of 0 for a training row itself; its probabilities then differ from these by ~1e-7.
  std::vector<double> weight(neighbours.size(), 1.0);
  if (distance_weighted) {
    std::transform(neighbours.begin(), neighbours.end(), weight.begin(), [](const Neighbour& nb) { return 1.0 / nb.distance; });
    if (std::any_of(weight.begin(), weight.end(), [](double w) { return std::isinf(w); }))
      for (double& w : weight) w = std::isinf(w) ? 1.0 : 0.0;
  }
  Eigen::VectorXd proba = Eigen::VectorXd::Zero(n_classes);
  for (std::size_t i = 0; i < neighbours.size(); ++i) proba[fit_y[static_cast<std::size_t>(neighbours[i].row)]] += weight[i];
  const double total = proba.sum();
  return total == 0.0 ? proba : (proba / total).eval();
}

Eigen::VectorXd KnnClassifier::predict_proba(const Eigen::VectorXd& x) const { return proba_of(nearest(x, n_neighbors)); }

}  // namespace sonotype::model
