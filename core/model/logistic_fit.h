#pragma once
// Fitting the multinomial logistic regression that MultinomialLogistic evaluates, as
// sklearn.linear_model.LogisticRegression(multi_class="multinomial", solver="lbfgs", penalty="l2")
// fits it: the same objective, minimised to a tight tolerance, so that the coefficients agree
// with scikit-learn's (run to convergence) to far better than 1e-4.
#include <Eigen/Core>
#include <vector>

#include "core/model/logistic.h"

namespace sonotype::model {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct LogisticFitOptions {
  double C = 1.0;              // inverse L2 strength, sklearn's C
  double tolerance = 1e-9;     // stop when the mean gradient's largest |component| is below this
  int max_iterations = 5000;   // L-BFGS iterations (each one gradient, plus line-search steps)
};

// Minimises sklearn's objective over W (n_classes x n_features) and b (n_classes):
//   sum_i -log softmax(W x_i + b)[y_i]  +  ||W||^2 / (2 C)     (the intercept b is not penalised)
// with L-BFGS (10 correction pairs, backtracking Armijo line search) on X (n x n_features) and
// y (n class indices in [0, n_classes)). The objective fixes b only up to a common shift (softmax
// ignores it); like scikit-learn's start from zero, the result has intercepts summing to zero.
// `start` (same shapes) warm-starts the search, as when fitting a path of C values.
MultinomialLogistic fit_multinomial_logistic(const RowMatrix& X, const std::vector<int>& y, int n_classes,
                                             const LogisticFitOptions& options,
                                             const MultinomialLogistic* start = nullptr);

}  // namespace sonotype::model
