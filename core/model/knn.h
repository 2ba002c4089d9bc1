#pragma once
// k-nearest-neighbours class probabilities, as sklearn.neighbors.KNeighborsClassifier.
#include <Eigen/Core>
#include <span>
#include <vector>

namespace sonotype::model {

struct Neighbour {
  int row = 0;          // index into fit_X
  double distance = 0;  // Minkowski distance to the query
};

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

  // The min(k, n_train) training rows nearest to x, nearest first (KNeighborsClassifier.kneighbors).
  std::vector<Neighbour> nearest(const Eigen::VectorXd& x, int k) const;

  // predict_proba's answer from the nearest rows as `nearest` lists them (any k of them): the
  // cross-validation of the trainer tries several k from one neighbour search.
  Eigen::VectorXd proba_of(std::span<const Neighbour> neighbours) const;
};

}  // namespace sonotype::model
