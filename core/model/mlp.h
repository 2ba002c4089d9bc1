#pragma once
// Multi-layer perceptron class probabilities, as sklearn.neural_network.MLPClassifier with
// activation="relu" and its softmax output layer (multi-class).
#include <Eigen/Core>
#include <vector>

namespace sonotype::model {

struct MlpClassifier {
  std::vector<Eigen::MatrixXd> weights;  // coefs_: layer l is n_in(l) x n_out(l); the last n_out is n_classes
  std::vector<Eigen::VectorXd> biases;   // intercepts_: layer l has n_out(l)

  // x: n_features -> n_classes probabilities (MLPClassifier.predict_proba): relu(W' h + b) on
  // every hidden layer, softmax(W' h + b) on the last.
  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x) const;
};

}  // namespace sonotype::model
