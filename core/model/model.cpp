#include "core/model/model.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace sonotype {
namespace {

std::vector<double> to_std(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

// The raw features after the transform steps. Non-finite features are refused; finite ones can
// still leave the transform non-finite when they lie far outside the training data (a huge
// perceptr_mean under a large Yeo-Johnson lambda, or extreme lambdas in the blob): refused too,
// before any estimator turns them into NaN probabilities.
Eigen::VectorXd preprocessed(const model::FeaturePreprocessor& preprocess, const FeatureVector& raw) {
  for (std::size_t i = 0; i < raw.size(); ++i)
    if (!std::isfinite(raw[i]))
      throw std::invalid_argument("feature " + std::string(kGtzanFeatureNames[i]) + " is not finite");
  Eigen::VectorXd x = preprocess(Eigen::Map<const Eigen::VectorXd>(raw.data(), static_cast<Eigen::Index>(raw.size())));
  for (std::size_t i = 0; i < raw.size(); ++i)
    if (!std::isfinite(x[static_cast<Eigen::Index>(i)])) {
      char value[32];
      std::snprintf(value, sizeof value, "%.6g", raw[i]);
      throw std::invalid_argument("the model cannot use these features: " + std::string(kGtzanFeatureNames[i]) + " = " +
                                  value + " is too far outside the music it was trained on");
    }
  return x;
}

// Probabilities leave the model finite or not at all.
void check_probabilities(const Eigen::VectorXd& proba, const std::string& who) {
  if (!proba.allFinite())
    throw std::invalid_argument("the model cannot use these features: the " + who + " gave probabilities that are not finite");
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
    check_probabilities(proba, base.name + " estimator");
    meta.segment(i * n_classes, n_classes) = proba;
    out.base.push_back({base.name, to_std(proba)});
  }
  if (passthrough_) meta.tail(x.size()) = x;
  const Eigen::VectorXd proba = final_.predict_proba(meta);
  check_probabilities(proba, "final estimator");
  out.proba = to_std(proba);
  if (novelty_) out.novelty = (*novelty_)(x);
  return out;
}

}  // namespace sonotype
