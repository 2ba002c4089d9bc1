#pragma once
// The genre classifier: a model graph (graph.h, models/FORMAT.md) that tools/train.py fits with
// scikit-learn, read from a .sono blob and evaluated in double precision with Eigen, so that its
// probabilities equal scikit-learn's (the parity tests compare them to 1e-5).
//
//   raw 57 features -> the root chain's transform steps (signed_log1p, Yeo-Johnson, scaler, PCA,
//   column selection) -> its estimator: a leaf (KNN, SVC, MLP, logistic regression, Gaussian NB,
//   trees, boosted trees) or a combination (soft voting, stacking) of estimators -> probabilities
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/gtzan.h"
#include "core/model/graph.h"
#include "core/model/model_error.h"
#include "core/model/novelty.h"

namespace sonotype {

// How the features the model was trained on were computed (the blob's pipeline.* metadata).
struct Pipeline {
  int sample_rate = 0;        // Hz of the audio the features see
  int n_fft = 0;              // STFT frame length
  int hop_length = 0;         // STFT hop
  double window_seconds = 0;  // length of the clips the training rows came from
};

// What one member of the top-level combination said, for display.
struct BaseProbabilities {
  std::string name;           // its node name: "knn", "svm", "mlp", "forest", ...
  std::vector<double> proba;  // one per label
};

struct Prediction {
  std::vector<double> proba;            // the model's probabilities, one per label (sum 1)
  std::vector<BaseProbabilities> base;  // each member of the top-level voting or stacking, in
                                        // order; empty when the model is a single estimator
  std::optional<model::NoveltyScore> novelty;  // absent when the blob has no novelty entries
};

class GenreModel {
 public:
  // Reads and validates a blob held in memory (see graph_load.cpp for what is checked).
  // Throws ModelError naming the problem.
  static GenreModel from_bytes(std::span<const std::uint8_t> blob);

  const std::vector<std::string>& labels() const { return labels_; }
  const Pipeline& pipeline() const { return pipeline_; }
  // The graph, one node per line, indented under the node that uses it (for `sonotype inspect`).
  const std::string& outline() const { return outline_; }

  // The probabilities for one clip's raw features (in kGtzanFeatureNames order), as the
  // scikit-learn pipeline's predict_proba, and their novelty (novelty.h). Throws
  // std::invalid_argument if a feature, a transformed feature or a probability is not finite:
  // no NaN probability ever leaves the model.
  Prediction predict(const FeatureVector& raw) const;

  // The model's standardised feature space: `raw` after the root chain's transform steps (for
  // today's models signed_log1p, Yeo-Johnson and StandardScaler: 57 values, the space a KNN
  // member measures distances in). Novelty and "more like this" are distances here. Throws
  // std::invalid_argument if a feature is not finite.
  std::vector<double> standardise(const FeatureVector& raw) const;

 private:
  GenreModel() = default;
  friend class GraphLoader;

  std::vector<std::string> labels_;
  Pipeline pipeline_;
  std::vector<model::TransformPtr> steps_;  // the root chain's transform steps
  model::EstimatorPtr estimator_;           // and its estimator
  std::string outline_;
  std::optional<model::NoveltyDetector> novelty_;  // read_novelty(blob), in the steps' output space
};

}  // namespace sonotype
