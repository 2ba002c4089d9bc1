#pragma once
// k-nearest-neighbours class probabilities, as sklearn.neighbors.KNeighborsClassifier.
#include <Eigen/Core>
#include <vector>

namespace sonotype::model {

struct KnnClassifier {
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  RowMatrix fit_X;          // n_train x n_features (scaled training rows, _fit_X)
  std::vector<int> fit_y;   // n_train class indices (_y)
  int n_classes = 0;
  int n_neighbors = 5;
  int p = 2;                // Minkowski power: 1 (Manhattan) or 2 (Euclidean)
  bool distance_weighted = false;  // weights="distance" (else "uniform")

  // x: n_features scaled values -> n_classes probabilities, KNeighborsClassifier.predict_proba:
  // the summed weights of the k nearest training rows per class, normalised to sum 1.
  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x) const;
};

}  // namespace sonotype::model
