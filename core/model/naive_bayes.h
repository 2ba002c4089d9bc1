#pragma once
// Gaussian naive Bayes class probabilities, as sklearn.naive_bayes.GaussianNB.
#include <Eigen/Core>

namespace sonotype::model {

struct GaussianNb {
  Eigen::MatrixXd theta;             // n_classes x n_features: per-class means (theta_)
  Eigen::MatrixXd var;               // n_classes x n_features: per-class variances, epsilon added (var_)
  Eigen::VectorXd class_log_prior;   // n_classes: log(class_prior_)

  // x: n_features -> n_classes probabilities: the softmax of GaussianNB._joint_log_likelihood,
  // log prior - sum(log(2 pi var)) / 2 - sum((x - theta)^2 / var) / 2 (predict_proba).
  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x) const;
};

}  // namespace sonotype::model
