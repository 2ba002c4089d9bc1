#include "core/model/preprocess.h"

#include <cmath>

namespace sonotype::model {

Eigen::VectorXd FeaturePreprocessor::operator()(const Eigen::VectorXd& raw) const {
  Eigen::VectorXd x = raw;
  for (const int c : log_columns) x[c] = std::copysign(std::log1p(std::abs(x[c])), x[c]);
  return ((x - mean).array() / scale.array()).matrix();
}

}  // namespace sonotype::model
