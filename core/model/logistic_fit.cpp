#include "core/model/logistic_fit.h"

#include <cmath>
#include <deque>

namespace sonotype::model {
namespace {

// The objective divided by n (same minimiser, gradients of order 1 whatever n is) over theta =
// [W row-major, b], with its gradient.
class Objective {
 public:
  Objective(const RowMatrix& X, const std::vector<int>& y, int n_classes, double C)
      : X_(X), k_(n_classes), d_(X.cols()), scale_(1.0 / static_cast<double>(X.rows())), l2_(1.0 / C) {
    Y_ = RowMatrix::Zero(X.rows(), n_classes);
    for (Eigen::Index i = 0; i < X.rows(); ++i) Y_(i, y[static_cast<std::size_t>(i)]) = 1.0;
  }

  Eigen::Index size() const { return k_ * (d_ + 1); }

  double operator()(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) const {
    const Eigen::Map<const RowMatrix> W(theta.data(), k_, d_);
    const auto b = theta.tail(k_);
    RowMatrix Z = X_ * W.transpose();
    Z.rowwise() += b.transpose();
    // log softmax per row, computed stably: z - max - log(sum exp(z - max)).
    const Eigen::VectorXd max = Z.rowwise().maxCoeff();
    Z.colwise() -= max;
    RowMatrix P = Z.array().exp().matrix();
    const Eigen::VectorXd sum = P.rowwise().sum();
    const Eigen::VectorXd log_sum = sum.array().log().matrix();
    const double loss = -((Z.array() * Y_.array()).rowwise().sum().matrix() - log_sum).sum();
    P.array().colwise() /= sum.array();
    P -= Y_;  // d loss / d z
    gradient.resize(size());
    Eigen::Map<RowMatrix> gW(gradient.data(), k_, d_);
    gW = scale_ * (P.transpose() * X_) + (scale_ * l2_) * W;
    gradient.tail(k_) = scale_ * P.colwise().sum().transpose();
    return scale_ * loss + 0.5 * scale_ * l2_ * W.squaredNorm();
  }

 private:
  const RowMatrix& X_;
  RowMatrix Y_;
  Eigen::Index k_, d_;
  double scale_, l2_;
};

// L-BFGS two-loop recursion: the quasi-Newton direction -H g from the stored (s, y) pairs.
Eigen::VectorXd direction(const Eigen::VectorXd& g, const std::deque<Eigen::VectorXd>& S,
                          const std::deque<Eigen::VectorXd>& Yd) {
  Eigen::VectorXd q = g;
  std::vector<double> alpha(S.size());
  for (std::size_t i = S.size(); i-- > 0;) {
    alpha[i] = S[i].dot(q) / Yd[i].dot(S[i]);
    q -= alpha[i] * Yd[i];
  }
  if (!S.empty()) q *= S.back().dot(Yd.back()) / Yd.back().squaredNorm();
  for (std::size_t i = 0; i < S.size(); ++i) {
    const double beta = Yd[i].dot(q) / Yd[i].dot(S[i]);
    q += (alpha[i] - beta) * S[i];
  }
  return -q;
}

}  // namespace

MultinomialLogistic fit_multinomial_logistic(const RowMatrix& X, const std::vector<int>& y, int n_classes,
                                             const LogisticFitOptions& options, const MultinomialLogistic* start) {
  constexpr std::size_t kPairs = 10;
  constexpr double kArmijo = 1e-4;
  constexpr int kMaxHalvings = 60;
  const Objective f(X, y, n_classes, options.C);
  const Eigen::Index d = X.cols(), k = n_classes;

  Eigen::VectorXd theta = Eigen::VectorXd::Zero(f.size());
  if (start) {
    Eigen::Map<RowMatrix>(theta.data(), k, d) = start->coef;
    theta.tail(k) = start->intercept;
  }
  Eigen::VectorXd g, g_new;
  double value = f(theta, g);
  std::deque<Eigen::VectorXd> S, Yd;
  for (int it = 0; it < options.max_iterations && g.lpNorm<Eigen::Infinity>() > options.tolerance; ++it) {
    Eigen::VectorXd p = direction(g, S, Yd);
    double slope = g.dot(p);
    if (slope >= 0) {  // not a descent direction (rounding): restart from steepest descent
      S.clear();
      Yd.clear();
      p = -g;
      slope = -g.squaredNorm();
    }
    // The first step has no curvature estimate yet: keep it short.
    double step = S.empty() ? std::min(1.0, 1.0 / g.lpNorm<Eigen::Infinity>()) : 1.0;
    Eigen::VectorXd trial;
    double trial_value = value;
    int halvings = 0;
    for (; halvings < kMaxHalvings; ++halvings, step *= 0.5) {
      trial = theta + step * p;
      trial_value = f(trial, g_new);
      if (trial_value <= value + kArmijo * step * slope) break;
    }
    if (halvings == kMaxHalvings) break;  // no decrease representable in double precision: converged
    const Eigen::VectorXd s = trial - theta, yv = g_new - g;
    if (s.dot(yv) > 1e-12 * yv.squaredNorm()) {
      if (S.size() == kPairs) {
        S.pop_front();
        Yd.pop_front();
      }
      S.push_back(s);
      Yd.push_back(yv);
    }
    theta = trial;
    value = trial_value;
    g = g_new;
  }

  MultinomialLogistic model;
  model.coef = Eigen::Map<const RowMatrix>(theta.data(), k, d);
  model.intercept = theta.tail(k);
  model.intercept.array() -= model.intercept.mean();  // the zero-sum representative (see header)
  return model;
}

}  // namespace sonotype::model
