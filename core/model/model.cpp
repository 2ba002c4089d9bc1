#include "core/model/model.h"

#include <cmath>
#include <cstdio>
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

// The features after the transform steps. Finite features can still leave them non-finite when
// they lie far outside the training data (a huge perceptr_mean under a large Yeo-Johnson lambda,
// or extreme lambdas in the blob): refused, before any estimator turns them into NaN
// probabilities. The feature is named when the steps keep the 57 columns in place.
Eigen::VectorXd transformed(const std::vector<model::TransformPtr>& steps, const FeatureVector& raw) {
  Eigen::VectorXd x = finite_input(raw);
  for (const model::TransformPtr& step : steps) x = step->apply(x);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (std::isfinite(x[i])) continue;
    std::string what = "they are";
    if (x.size() == static_cast<Eigen::Index>(raw.size())) {
      char value[32];
      std::snprintf(value, sizeof value, "%.6g", raw[static_cast<std::size_t>(i)]);
      what = std::string(kGtzanFeatureNames[static_cast<std::size_t>(i)]) + " = " + value + " is";
    }
    throw std::invalid_argument("the model cannot use these features: " + what + " too far outside the music it was trained on");
  }
  return x;
}

}  // namespace

std::vector<double> GenreModel::standardise(const FeatureVector& raw) const {
  return to_std(transformed(steps_, raw));
}

Prediction GenreModel::predict(const FeatureVector& raw) const {
  std::vector<model::MemberProbabilities> members;
  const Eigen::VectorXd x = transformed(steps_, raw);
  const Eigen::VectorXd proba = estimator_->predict_proba(x, &members);
  if (!proba.allFinite())
    throw std::invalid_argument("the model cannot use these features: its probabilities for them are not finite");
  Prediction out{to_std(proba), {}, {}};
  for (const auto& m : members) out.base.push_back({m.name, to_std(m.proba)});
  if (novelty_) out.novelty = (*novelty_)(x);
  return out;
}

}  // namespace sonotype
