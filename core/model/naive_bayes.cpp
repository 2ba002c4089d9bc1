#include "core/model/naive_bayes.h"

#include <cmath>
#include <numbers>

#include "core/model/softmax.h"

namespace sonotype::model {

Eigen::VectorXd GaussianNb::predict_proba(const Eigen::VectorXd& x) const {
  Eigen::VectorXd joint(theta.rows());
  for (Eigen::Index c = 0; c < theta.rows(); ++c) {
    const auto v = var.row(c).array();
    const double norm = -0.5 * (2 * std::numbers::pi * v).log().sum();
    joint[c] = class_log_prior[c] + norm - 0.5 * ((x.transpose().array() - theta.row(c).array()).square() / v).sum();
  }
  return softmax(joint);
}

}  // namespace sonotype::model
