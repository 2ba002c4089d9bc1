#pragma once
// What the scikit-learn pipeline does to the 57 raw features before any estimator sees them.
#include <Eigen/Core>
#include <vector>

namespace sonotype::model {

// FunctionTransformer(signed_log1p) on some columns, then StandardScaler.transform.
struct FeaturePreprocessor {
  std::vector<int> log_columns;  // columns replaced by sign(x) * log1p(|x|); each at most once
  Eigen::VectorXd mean;          // StandardScaler.mean_, one per feature
  Eigen::VectorXd scale;         // StandardScaler.scale_ (never 0: sklearn stores 1 for constants)

  // raw: n_features values -> the scaled features (n_features): (transformed - mean) / scale.
  Eigen::VectorXd operator()(const Eigen::VectorXd& raw) const;
};

}  // namespace sonotype::model
