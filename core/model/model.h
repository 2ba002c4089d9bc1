#pragma once
// The genre classifier: the stacking ensemble that tools/train.py fits with scikit-learn, read
// from a .sono blob (models/FORMAT.md) and evaluated in double precision with Eigen, so that
// its probabilities equal scikit-learn's (the parity tests compare them to 1e-5).
//
//   raw 57 features -> signed_log1p on some columns -> Yeo-Johnson -> StandardScaler -> base estimators
//   (knn, svm, mlp: each predict_proba) -> [their probabilities..., scaled features]
//   -> multinomial logistic regression -> genre probabilities
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/gtzan.h"
#include "core/model/knn.h"
#include "core/model/logistic.h"
#include "core/model/mlp.h"
#include "core/model/model_error.h"
#include "core/model/novelty.h"
#include "core/model/preprocess.h"
#include "core/model/svc.h"

namespace sonotype {

// How the features the model was trained on were computed (the blob's pipeline.* metadata).
struct Pipeline {
  int sample_rate = 0;        // Hz of the audio the features see
  int n_fft = 0;              // STFT frame length
  int hop_length = 0;         // STFT hop
  double window_seconds = 0;  // length of the clips the training rows came from
};

// What one base estimator of the ensemble said, for display.
struct BaseProbabilities {
  std::string name;           // its name in the stack: "knn", "svm", "mlp"
  std::vector<double> proba;  // one per label
};

struct Prediction {
  std::vector<double> proba;            // the ensemble's probabilities, one per label (sum 1)
  std::vector<BaseProbabilities> base;  // each base estimator, in stacking order
  std::optional<model::NoveltyScore> novelty;  // absent when the blob has no novelty entries
};

class GenreModel {
 public:
  // Reads and validates a blob held in memory (see model_load.cpp for what is checked).
  // Throws ModelError naming the problem.
  static GenreModel from_bytes(std::span<const std::uint8_t> blob);

  const std::vector<std::string>& labels() const { return labels_; }
  const Pipeline& pipeline() const { return pipeline_; }

  // The probabilities for one clip's raw features (in kGtzanFeatureNames order), as the
  // scikit-learn pipeline's predict_proba, and their novelty (novelty.h). Throws
  // std::invalid_argument if a feature, a transformed feature or a probability is not finite:
  // no NaN probability ever leaves the model.
  Prediction predict(const FeatureVector& raw) const;

  // The model's standardised feature space: `raw` after the model's transform steps (signed_log1p,
  // Yeo-Johnson, StandardScaler), 57 values, the space its KNN measures distances in. Novelty and
  // "more like this" are distances here. Throws std::invalid_argument if a feature is not finite.
  std::vector<double> standardise(const FeatureVector& raw) const;

 private:
  GenreModel() = default;

  using Estimator = std::variant<model::KnnClassifier, model::SvcClassifier, model::MlpClassifier>;
  struct BaseEstimator {
    std::string name;
    Estimator estimator;
  };

  std::vector<std::string> labels_;
  Pipeline pipeline_;
  model::FeaturePreprocessor preprocess_;
  std::vector<BaseEstimator> base_;
  bool passthrough_ = false;  // the final estimator also sees the scaled features
  model::MultinomialLogistic final_;
  std::optional<model::NoveltyDetector> novelty_;  // read_novelty(blob)
};

}  // namespace sonotype
