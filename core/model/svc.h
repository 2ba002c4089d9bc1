#pragma once
// Support-vector class probabilities, as sklearn.svm.SVC(probability=True).predict_proba, which
// is libsvm's svm_predict_probability: one-vs-one decision values, a Platt sigmoid per class
// pair, and Wu-Lin-Weng pairwise coupling (pairwise_coupling.h).
#include <Eigen/Core>
#include <vector>

namespace sonotype::model {

enum class SvmKernel { linear, poly, rbf, sigmoid };

struct SvcClassifier {
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  SvmKernel kernel = SvmKernel::rbf;
  double gamma = 0;   // the fitted _gamma (a number, also when sklearn's gamma was "scale")
  double coef0 = 0;
  int degree = 3;
  RowMatrix support_vectors;   // n_sv x n_features, grouped by class in class order
  std::vector<int> n_support;  // n_classes: how many support vectors each class has
  Eigen::MatrixXd dual_coef;   // (n_classes - 1) x n_sv: libsvm's sv_coef (sklearn _dual_coef_)
  Eigen::VectorXd rho;         // one per class pair (0,1), (0,2), ..., (1,2), ...: -_intercept_
  Eigen::VectorXd prob_a, prob_b;  // Platt sigmoid parameters per class pair (probA_, probB_)

  // x: n_features -> the n_classes (n_classes - 1) / 2 one-vs-one decision values in pair order;
  // positive favours the pair's first class. libsvm's svm_predict_values.
  Eigen::VectorXd decision_values(const Eigen::VectorXd& x) const;

  // x: n_features -> n_classes probabilities (SVC.predict_proba), for n_classes >= 3 (with two
  // classes libsvm skips the coupling; GenreModel never has two).
  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x) const;

 private:
  Eigen::VectorXd kernel_values(const Eigen::VectorXd& x) const;  // K(sv_i, x) for each support vector
};

}  // namespace sonotype::model
