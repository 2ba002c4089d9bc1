#include "core/model/model.h"

#include <cmath>
#include <stdexcept>

namespace sonotype {
namespace {

std::vector<double> to_std(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

Eigen::VectorXd preprocessed(const model::FeaturePreprocessor& preprocess, const FeatureVector& raw) {
  for (std::size_t i = 0; i < raw.size(); ++i)
    if (!std::isfinite(raw[i]))
      throw std::invalid_argument("feature " + std::string(kGtzanFeatureNames[i]) + " is not finite");
  return preprocess(Eigen::Map<const Eigen::VectorXd>(raw.data(), static_cast<Eigen::Index>(raw.size())));
}

}  // namespace

std::vector<double> GenreModel::standardise(const FeatureVector& raw) const {
  return to_std(preprocessed(preprocess_, raw));
}

// StackingClassifier.predict_proba: the final estimator sees each base estimator's
// predict_proba (all columns: more than two classes), then with passthrough the scaled features.
Prediction GenreModel::predict(const FeatureVector& raw) const {
  const Eigen::VectorXd x = preprocessed(preprocess_, raw);

  const auto n_classes = static_cast<Eigen::Index>(labels_.size());
  const auto n_base = static_cast<Eigen::Index>(base_.size());
  Eigen::VectorXd meta(n_base * n_classes + (passthrough_ ? x.size() : 0));
  Prediction out;
  for (Eigen::Index i = 0; i < n_base; ++i) {
    const BaseEstimator& base = base_[static_cast<std::size_t>(i)];
    const Eigen::VectorXd proba = std::visit([&](const auto& e) { return e.predict_proba(x); }, base.estimator);
    meta.segment(i * n_classes, n_classes) = proba;
    out.base.push_back({base.name, to_std(proba)});
  }
  if (passthrough_) meta.tail(x.size()) = x;
  out.proba = to_std(final_.predict_proba(meta));
  return out;
}

}  // namespace sonotype
