#include "core/model/mlp.h"

#include "core/model/softmax.h"

namespace sonotype::model {

Eigen::VectorXd MlpClassifier::predict_proba(const Eigen::VectorXd& x) const {
  Eigen::VectorXd h = x;
  for (std::size_t layer = 0; layer < weights.size(); ++layer) {
    h = weights[layer].transpose() * h + biases[layer];
    if (layer + 1 < weights.size()) h = h.cwiseMax(0.0);
  }
  return softmax(h);
}

}  // namespace sonotype::model
