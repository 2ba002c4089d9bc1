#include "core/model/logistic.h"

#include "core/model/softmax.h"

namespace sonotype::model {

Eigen::VectorXd MultinomialLogistic::predict_proba(const Eigen::VectorXd& x) const {
  return softmax(coef * x + intercept);
}

}  // namespace sonotype::model
