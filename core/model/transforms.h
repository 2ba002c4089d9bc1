#pragma once
// The transform steps of a model graph (graph.h), each one scikit-learn transformer's
// transform() for a single row.
#include <Eigen/Core>
#include <vector>

#include "core/model/graph.h"

namespace sonotype::model {

// FunctionTransformer(signed_log1p) on some columns: x -> sign(x) * log1p(|x|) there, the other
// columns unchanged (tools/train.py's signed_log1p). Width in = width out.
class SignedLog1p final : public Transform {
 public:
  explicit SignedLog1p(std::vector<int> columns) : columns_(std::move(columns)) {}
  Eigen::VectorXd apply(const Eigen::VectorXd& x) const override;

 private:
  std::vector<int> columns_;  // each at most once
};

// PowerTransformer(method="yeo-johnson", standardize=False).transform: column c by yeo_johnson(x,
// lambdas[c]). Width in = width out = lambdas.size().
class YeoJohnson final : public Transform {
 public:
  explicit YeoJohnson(Eigen::VectorXd lambdas) : lambdas_(std::move(lambdas)) {}
  Eigen::VectorXd apply(const Eigen::VectorXd& x) const override;

 private:
  Eigen::VectorXd lambdas_;
};

// The Yeo-Johnson transform of x with parameter lambda, as scikit-learn 1.2's
// PowerTransformer._yeo_johnson_transform computes it: ((x + 1)^l - 1) / l for x >= 0 (log1p(x)
// when l is 0), -((1 - x)^(2 - l) - 1) / (2 - l) for x < 0 (-log1p(-x) when l is 2).
double yeo_johnson(double x, double lambda);

// StandardScaler.transform: (x - mean) / scale per column (scale never 0: sklearn stores 1 for
// constant columns).
class StandardScaler final : public Transform {
 public:
  StandardScaler(Eigen::VectorXd mean, Eigen::VectorXd scale) : mean_(std::move(mean)), scale_(std::move(scale)) {}
  Eigen::VectorXd apply(const Eigen::VectorXd& x) const override;

 private:
  Eigen::VectorXd mean_, scale_;
};

// PCA(whiten=False).transform: components (n_out x n_in) times (x - mean).
class Pca final : public Transform {
 public:
  Pca(Eigen::VectorXd mean, Eigen::MatrixXd components) : mean_(std::move(mean)), components_(std::move(components)) {}
  Eigen::VectorXd apply(const Eigen::VectorXd& x) const override;

 private:
  Eigen::VectorXd mean_;
  Eigen::MatrixXd components_;
};

// Column selection (VarianceThreshold, SelectKBest, a ColumnTransformer picking columns by
// name): output column i is input column columns[i].
class SelectColumns final : public Transform {
 public:
  explicit SelectColumns(std::vector<int> columns) : columns_(std::move(columns)) {}
  Eigen::VectorXd apply(const Eigen::VectorXd& x) const override;

 private:
  std::vector<int> columns_;
};

}  // namespace sonotype::model
