#include "core/model/pairwise_coupling.h"

#include <algorithm>

namespace sonotype::model {

Eigen::VectorXd couple_pairwise_probabilities(const Eigen::MatrixXd& r) {
  const Eigen::Index k = r.rows();
  // The objective is p' Q p with Q(t,t) = sum_{s != t} r(s,t)^2 and Q(s,t) = -r(s,t) r(t,s).
  Eigen::MatrixXd Q = -(r.array() * r.transpose().array()).matrix();
  for (Eigen::Index t = 0; t < k; ++t) {
    Q(t, t) = 0;
    for (Eigen::Index s = 0; s < k; ++s)
      if (s != t) Q(t, t) += r(s, t) * r(s, t);
  }

  // At the optimum every (Q p)_t equals p' Q p (the Lagrange condition with sum p = 1), so the
  // paper's fixed-point sweep moves each p_t to satisfy its own condition, then renormalises.
  // As libsvm: at most max(100, k) sweeps, stop once max_t |(Q p)_t - p' Q p| < 0.005 / k, and
  // keep Q p and p' Q p up to date within a sweep instead of recomputing them.
  const int max_sweeps = std::max<int>(100, static_cast<int>(k));
  const double tolerance = 0.005 / static_cast<double>(k);
  Eigen::VectorXd p = Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k));
  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    Eigen::VectorXd Qp = Q * p;
    double pQp = p.dot(Qp);
    if ((Qp.array() - pQp).abs().maxCoeff() < tolerance) break;
    for (Eigen::Index t = 0; t < k; ++t) {
      const double step = (pQp - Qp[t]) / Q(t, t);
      p[t] += step;
      // p now sums to 1 + step; dividing by it restores sum p = 1, and Q p, p' Q p follow.
      const double norm = 1.0 + step;
      pQp = (pQp + step * (step * Q(t, t) + 2.0 * Qp[t])) / (norm * norm);
      Qp = (Qp + step * Q.col(t)) / norm;
      p /= norm;
    }
  }
  return p;
}

}  // namespace sonotype::model
