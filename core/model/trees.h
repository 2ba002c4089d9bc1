#pragma once
// Decision-tree ensembles in shared node arrays (models/FORMAT.md, "Trees"): every tree's nodes
// in one preorder array, so that a 300-tree forest is four flat tensors, not 300 objects.
#include <cstdint>
#include <Eigen/Core>
#include <vector>

namespace sonotype::model {

struct TreeNodes {
  static constexpr std::uint16_t kLeaf = 0xFFFF;  // `feature` of a leaf

  std::vector<int> roots;               // first node of each tree (tree t ends where t + 1 starts)
  std::vector<std::uint16_t> feature;   // per node: the input column it splits on, or kLeaf
  std::vector<double> threshold;        // per node: go left when x[feature] <= threshold (an f32 value when
                                        // float32_input, else HistGradientBoosting's own float64)
  std::vector<int> right;               // per split node: its right child (its left child is the next
                                        // node); per leaf: the leaf's row of leaf values
  bool float32_input = true;            // compare float(x) (sklearn trees, xgboost) or x (HistGradientBoosting)

  // The leaf row that `x` reaches in tree `t`.
  int leaf(const Eigen::VectorXd& x, std::size_t t) const;
};

// DecisionTreeClassifier, RandomForestClassifier and ExtraTreesClassifier predict_proba: the
// mean over trees of the class distribution of the leaf reached (one tree: that distribution).
struct TreeEnsemble {
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  TreeNodes nodes;
  RowMatrix leaf_proba;  // n_leaves x n_classes, each row the leaf's normalised (weighted) counts

  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x) const;
};

// HistGradientBoostingClassifier and XGBClassifier (multi:softprob) predict_proba: per class, a
// base score plus the leaf values of that class's trees, then the softmax over classes.
struct BoostedTrees {
  TreeNodes nodes;
  Eigen::VectorXd leaf_value;   // n_leaves
  std::vector<int> tree_class;  // per tree: the class whose score it adds to
  Eigen::VectorXd base_score;   // n_classes: HGB's _baseline_prediction, xgboost's base_score

  Eigen::VectorXd predict_proba(const Eigen::VectorXd& x) const;
};

}  // namespace sonotype::model
