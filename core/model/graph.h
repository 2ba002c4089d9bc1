#pragma once
// The model graph (models/FORMAT.md, "The model graph"): named nodes of two sorts, in the style of
// scikit-learn's Pipeline and treelite. A transform maps a feature vector to another
// (StandardScaler.transform); an estimator maps one to class probabilities (predict_proba). A
// chain is transform steps then an estimator; voting and stacking combine estimators. A new kind
// of model is a new node class and one entry in graph_load.cpp's table, never a special case.
#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

namespace sonotype::model {

// What one member of a combination said, for display ("what each base model said").
struct MemberProbabilities {
  std::string name;            // the member's node name
  Eigen::VectorXd proba;       // its predict_proba
};

class Transform {
 public:
  virtual ~Transform() = default;
  // x: the step's input width -> its output width (both checked by the loader).
  virtual Eigen::VectorXd apply(const Eigen::VectorXd& x) const = 0;
};

class Estimator {
 public:
  virtual ~Estimator() = default;
  // x: the node's input width -> n_classes probabilities, as scikit-learn's predict_proba. A
  // combination also appends each member's probabilities to `members` when it is not null.
  virtual Eigen::VectorXd predict_proba(const Eigen::VectorXd& x, std::vector<MemberProbabilities>* members) const = 0;
};

using TransformPtr = std::shared_ptr<const Transform>;
using EstimatorPtr = std::shared_ptr<const Estimator>;

// A leaf estimator that wraps one of the classifier structs (knn.h, svc.h, mlp.h, logistic.h,
// naive_bayes.h, trees.h): each has `Eigen::VectorXd predict_proba(const Eigen::VectorXd&) const`.
template <class Classifier>
class Leaf final : public Estimator {
 public:
  explicit Leaf(Classifier classifier) : classifier_(std::move(classifier)) {}
  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x, std::vector<MemberProbabilities>*) const override {
    return classifier_.predict_proba(x);
  }

 private:
  Classifier classifier_;
};

// sklearn.pipeline.Pipeline: transform steps in order, then the final estimator.
class Chain final : public Estimator {
 public:
  Chain(std::vector<TransformPtr> steps, EstimatorPtr estimator) : steps_(std::move(steps)), estimator_(std::move(estimator)) {}
  Eigen::VectorXd transform(const Eigen::VectorXd& x) const;  // the steps alone
  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x, std::vector<MemberProbabilities>* members) const override {
    return estimator_->predict_proba(transform(x), members);
  }

 private:
  std::vector<TransformPtr> steps_;
  EstimatorPtr estimator_;
};

struct Member {
  std::string name;
  EstimatorPtr estimator;
};

// sklearn.ensemble.VotingClassifier(voting="soft", weights=w).predict_proba: the members'
// probabilities averaged with weights w (np.average).
class SoftVoting final : public Estimator {
 public:
  SoftVoting(std::vector<Member> members, Eigen::VectorXd weights) : members_(std::move(members)), weights_(std::move(weights)) {}
  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x, std::vector<MemberProbabilities>* members) const override;

 private:
  std::vector<Member> members_;
  Eigen::VectorXd weights_;  // one per member, sum > 0
};

// sklearn.ensemble.StackingClassifier(stack_method="predict_proba").predict_proba with more than
// two classes: the final estimator sees every member's probabilities (n_classes columns each, in
// member order), then, with passthrough, the stacking's own input.
class Stacking final : public Estimator {
 public:
  Stacking(std::vector<Member> members, EstimatorPtr final, bool passthrough)
      : members_(std::move(members)), final_(std::move(final)), passthrough_(passthrough) {}
  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x, std::vector<MemberProbabilities>* members) const override;

 private:
  std::vector<Member> members_;
  EstimatorPtr final_;
  bool passthrough_;
};

}  // namespace sonotype::model
