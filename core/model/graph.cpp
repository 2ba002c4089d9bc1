#include "core/model/graph.h"

namespace sonotype::model {

Eigen::VectorXd Chain::transform(const Eigen::VectorXd& x) const {
  Eigen::VectorXd out = x;
  for (const TransformPtr& step : steps_) out = step->apply(out);
  return out;
}

Eigen::VectorXd SoftVoting::predict_proba(const Eigen::VectorXd& x, std::vector<MemberProbabilities>* members) const {
  Eigen::VectorXd sum;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    const Eigen::VectorXd p = members_[i].estimator->predict_proba(x, nullptr);
    sum = i == 0 ? (weights_[0] * p).eval() : (sum + weights_[static_cast<Eigen::Index>(i)] * p).eval();
    if (members) members->push_back({members_[i].name, p});
  }
  return sum / weights_.sum();
}

Eigen::VectorXd Stacking::predict_proba(const Eigen::VectorXd& x, std::vector<MemberProbabilities>* members) const {
  std::vector<Eigen::VectorXd> said;
  Eigen::Index width = passthrough_ ? x.size() : 0;
  for (const Member& m : members_) {
    said.push_back(m.estimator->predict_proba(x, nullptr));
    width += said.back().size();
    if (members) members->push_back({m.name, said.back()});
  }
  Eigen::VectorXd meta(width);
  Eigen::Index at = 0;
  for (const Eigen::VectorXd& p : said) {
    meta.segment(at, p.size()) = p;
    at += p.size();
  }
  if (passthrough_) meta.tail(x.size()) = x;
  return final_->predict_proba(meta, nullptr);
}

}  // namespace sonotype::model
