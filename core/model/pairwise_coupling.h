#pragma once
// Class probabilities from pairwise ones: method 2 of Wu, Lin & Weng, "Probability Estimates for
// Multi-class Classification by Pairwise Coupling", JMLR 5 (2004), with the iteration limit and
// stopping rule of libsvm's multiclass_probability, so that sklearn's SVC.predict_proba agrees.
#include <Eigen/Core>

namespace sonotype::model {

// r: k x k with r(i, j) = P(class i | class i or j) and r(j, i) = 1 - r(i, j), diagonal unused.
// Returns the k probabilities p (sum 1) minimising sum_t sum_{s != t} (r(s,t) p_t - r(t,s) p_s)^2.
Eigen::VectorXd couple_pairwise_probabilities(const Eigen::MatrixXd& r);

}  // namespace sonotype::model
