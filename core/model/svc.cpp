#include "core/model/svc.h"

#include <algorithm>
#include <cmath>

#include "core/model/pairwise_coupling.h"

namespace sonotype::model {
namespace {

// libsvm clips each pairwise probability to [1e-7, 1 - 1e-7] so that coupling never sees 0 or 1.
constexpr double kMinPairProbability = 1e-7;

// P(first class of the pair) = 1 / (1 + exp(A f + B)), written so that exp() never overflows
// and 1 - P keeps its precision (libsvm's sigmoid_predict).
double platt_probability(double decision_value, double a, double b) {
  const double t = decision_value * a + b;
  return t >= 0 ? std::exp(-t) / (1.0 + std::exp(-t)) : 1.0 / (1.0 + std::exp(t));
}

}  // namespace

Eigen::VectorXd SvcClassifier::kernel_values(const Eigen::VectorXd& x) const {
  switch (kernel) {
    case SvmKernel::linear: return support_vectors * x;
    case SvmKernel::poly:
      return (gamma * (support_vectors * x).array() + coef0).pow(static_cast<double>(degree)).matrix();
    case SvmKernel::sigmoid: return (gamma * (support_vectors * x).array() + coef0).tanh().matrix();
    case SvmKernel::rbf:
      return (-gamma * (support_vectors.rowwise() - x.transpose()).rowwise().squaredNorm().array()).exp().matrix();
  }
  return {};
}

Eigen::VectorXd SvcClassifier::decision_values(const Eigen::VectorXd& x) const {
  const Eigen::VectorXd k = kernel_values(x);
  const int n_classes = static_cast<int>(n_support.size());
  std::vector<Eigen::Index> first_sv(n_support.size() + 1, 0);  // class c's vectors: [first_sv[c], first_sv[c+1])
  for (std::size_t c = 0; c < n_support.size(); ++c) first_sv[c + 1] = first_sv[c] + n_support[c];

  // For the pair (i, j), class i's vectors carry their coefficients against j in dual_coef row
  // j - 1, and class j's against i in row i (libsvm's one-vs-one layout of sv_coef).
  Eigen::VectorXd values(n_classes * (n_classes - 1) / 2);
  Eigen::Index pair = 0;
  for (int i = 0; i < n_classes; ++i) {
    for (int j = i + 1; j < n_classes; ++j, ++pair) {
      const Eigen::Index si = first_sv[i], ni = n_support[i], sj = first_sv[j], nj = n_support[j];
      values[pair] = dual_coef.row(j - 1).segment(si, ni).dot(k.segment(si, ni)) +
                     dual_coef.row(i).segment(sj, nj).dot(k.segment(sj, nj)) - rho[pair];
    }
  }
  return values;
}

Eigen::VectorXd SvcClassifier::predict_proba(const Eigen::VectorXd& x) const {
  const Eigen::VectorXd f = decision_values(x);
  const Eigen::Index n_classes = static_cast<Eigen::Index>(n_support.size());
  Eigen::MatrixXd r(n_classes, n_classes);  // r(i, j) = P(class i | class i or j)
  r.diagonal().setZero();
  Eigen::Index pair = 0;
  for (Eigen::Index i = 0; i < n_classes; ++i) {
    for (Eigen::Index j = i + 1; j < n_classes; ++j, ++pair) {
      r(i, j) = std::clamp(platt_probability(f[pair], prob_a[pair], prob_b[pair]), kMinPairProbability,
                           1.0 - kMinPairProbability);
      r(j, i) = 1.0 - r(i, j);
    }
  }
  return couple_pairwise_probabilities(r);
}

}  // namespace sonotype::model
