#pragma once
// What the scikit-learn pipeline does to the 57 raw features before any estimator sees them.
#include <Eigen/Core>
#include <vector>

namespace sonotype::model {

// FunctionTransformer(signed_log1p) on some columns, then PowerTransformer(method="yeo-johnson",
// standardize=False) when it has lambdas, then StandardScaler.transform.
struct FeaturePreprocessor {
  std::vector<int> log_columns;  // columns replaced by sign(x) * log1p(|x|); each at most once
  Eigen::VectorXd yeo_johnson;   // PowerTransformer.lambdas_, one per feature; empty: no such step
  Eigen::VectorXd mean;          // StandardScaler.mean_, one per feature
  Eigen::VectorXd scale;         // StandardScaler.scale_ (never 0: sklearn stores 1 for constants)

  // raw: n_features values -> the scaled features (n_features): (transformed - mean) / scale.
  Eigen::VectorXd operator()(const Eigen::VectorXd& raw) const;
};

// The Yeo-Johnson transform of x with parameter lambda, as scikit-learn 1.2's
// PowerTransformer._yeo_johnson_transform computes it: ((x + 1)^l - 1) / l for x >= 0 (log1p(x)
// when l is 0), -((1 - x)^(2 - l) - 1) / (2 - l) for x < 0 (-log1p(-x) when l is 2).
double yeo_johnson(double x, double lambda);

}  // namespace sonotype::model
