#include "core/model/preprocess.h"

#include <cmath>
#include <limits>

namespace sonotype::model {

double yeo_johnson(double x, double lambda) {
  constexpr double spacing = std::numeric_limits<double>::epsilon();  // numpy's spacing(1.0)
  if (x >= 0) return std::abs(lambda) < spacing ? std::log1p(x) : (std::pow(x + 1, lambda) - 1) / lambda;
  return std::abs(lambda - 2) > spacing ? -(std::pow(-x + 1, 2 - lambda) - 1) / (2 - lambda) : -std::log1p(-x);
}

Eigen::VectorXd FeaturePreprocessor::operator()(const Eigen::VectorXd& raw) const {
  Eigen::VectorXd x = raw;
  for (const int c : log_columns) x[c] = std::copysign(std::log1p(std::abs(x[c])), x[c]);
  for (Eigen::Index c = 0; c < yeo_johnson.size(); ++c) x[c] = sonotype::model::yeo_johnson(x[c], yeo_johnson[c]);
  return ((x - mean).array() / scale.array()).matrix();
}

}  // namespace sonotype::model
