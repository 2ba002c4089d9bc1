#include "core/model/transforms.h"

#include <cmath>
#include <limits>

namespace sonotype::model {

Eigen::VectorXd SignedLog1p::apply(const Eigen::VectorXd& x) const {
  Eigen::VectorXd out = x;
  for (const int c : columns_) out[c] = std::copysign(std::log1p(std::abs(x[c])), x[c]);
  return out;
}

double yeo_johnson(double x, double lambda) {
  constexpr double spacing = std::numeric_limits<double>::epsilon();  // numpy's spacing(1.0)
  if (x >= 0) return std::abs(lambda) < spacing ? std::log1p(x) : (std::pow(x + 1, lambda) - 1) / lambda;
  return std::abs(lambda - 2) > spacing ? -(std::pow(-x + 1, 2 - lambda) - 1) / (2 - lambda) : -std::log1p(-x);
}

Eigen::VectorXd YeoJohnson::apply(const Eigen::VectorXd& x) const {
  Eigen::VectorXd out(x.size());
  for (Eigen::Index c = 0; c < x.size(); ++c) out[c] = yeo_johnson(x[c], lambdas_[c]);
  return out;
}

Eigen::VectorXd StandardScaler::apply(const Eigen::VectorXd& x) const {
  return ((x - mean_).array() / scale_.array()).matrix();
}

Eigen::VectorXd Pca::apply(const Eigen::VectorXd& x) const { return components_ * (x - mean_); }

Eigen::VectorXd SelectColumns::apply(const Eigen::VectorXd& x) const {
  Eigen::VectorXd out(static_cast<Eigen::Index>(columns_.size()));
  for (std::size_t i = 0; i < columns_.size(); ++i) out[static_cast<Eigen::Index>(i)] = x[columns_[i]];
  return out;
}

}  // namespace sonotype::model
