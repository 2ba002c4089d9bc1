#pragma once
// Multinomial logistic regression, as sklearn.linear_model.LogisticRegression (lbfgs,
// multi_class multinomial): the stacking ensemble's final estimator.
#include <Eigen/Core>

namespace sonotype::model {

struct MultinomialLogistic {
  Eigen::MatrixXd coef;       // n_classes x n_inputs (coef_)
  Eigen::VectorXd intercept;  // n_classes (intercept_)

  // x: n_inputs -> n_classes probabilities, softmax(coef x + intercept) (predict_proba).
  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x) const;
};

}  // namespace sonotype::model
