#include "core/model/model.h"

#include <cmath>
#include <stdexcept>

namespace sonotype {
namespace {

std::vector<double> to_std(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

Eigen::VectorXd finite_input(const FeatureVector& raw) {
  for (std::size_t i = 0; i < raw.size(); ++i)
    if (!std::isfinite(raw[i]))
      throw std::invalid_argument("feature " + std::string(kGtzanFeatureNames[i]) + " is not finite");
  return Eigen::Map<const Eigen::VectorXd>(raw.data(), static_cast<Eigen::Index>(raw.size()));
}

Eigen::VectorXd transformed(const std::vector<model::TransformPtr>& steps, Eigen::VectorXd x) {
  for (const model::TransformPtr& step : steps) x = step->apply(x);
  return x;
}

}  // namespace

std::vector<double> GenreModel::standardise(const FeatureVector& raw) const {
  return to_std(transformed(steps_, finite_input(raw)));
}

Prediction GenreModel::predict(const FeatureVector& raw) const {
  std::vector<model::MemberProbabilities> members;
  const Eigen::VectorXd proba = estimator_->predict_proba(transformed(steps_, finite_input(raw)), &members);
  // Finite features can still overflow a transform (a huge value under Yeo-Johnson); say so
  // rather than return NaN probabilities.
  if (!proba.allFinite()) throw std::invalid_argument("the model's probabilities are not finite for these features");
  Prediction out{to_std(proba), {}};
  for (const auto& m : members) out.base.push_back({m.name, to_std(m.proba)});
  return out;
}

}  // namespace sonotype
