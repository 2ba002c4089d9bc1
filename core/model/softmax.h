#pragma once
// The softmax that both the MLP's output layer and the multinomial logistic regression apply.
#include <Eigen/Core>

namespace sonotype::model {

// exp(z - max z) / sum: sklearn.utils.extmath.softmax (and neural_network._base.softmax) for one
// row; subtracting the maximum keeps exp() from overflowing without changing the result.
inline Eigen::VectorXd softmax(const Eigen::VectorXd& z) {
  const Eigen::VectorXd e = (z.array() - z.maxCoeff()).exp().matrix();
  return e / e.sum();
}

}  // namespace sonotype::model
