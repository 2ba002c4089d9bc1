#pragma once
// Teaching Sonotype your own genres: a personal model fitted from labelled feature vectors, in
// C++ (no Python), for the CLI's `sonotype train` and the page's teach view alike.
//
//   raw 57 features -> signed_log1p on the *_var columns -> StandardScaler
//   -> multinomial logistic regression (L2, C), distance-weighted KNN (k), or their average
//
// Stratified cross-validation chooses C, k and which of the three, as scikit-learn's
// cross_val_predict over the same folds would: the CV of tools/train_cv_reference.py agrees.
#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/knn.h"
#include "core/model/logistic.h"
#include "core/model/logistic_fit.h"

namespace sonotype::model {

// The estimator a personal model ends with.
enum class EstimatorKind { logistic, knn, average };
std::string_view kind_name(EstimatorKind kind);  // "logistic", "knn", "average"

// What the trainer learns from: one row per song.
struct TrainingSet {
  std::vector<std::string> songs;   // a name per row (a path or file name), for messages
  std::vector<std::string> genres;  // each row's genre
  RowMatrix features;               // n x 57 raw features in kGtzanFeatureNames order
};

struct TrainOptions {
  std::vector<double> C_values = {0.01, 0.03, 0.1, 0.3, 1.0, 3.0};  // LogisticRegression C, ascending
  std::vector<int> k_values = {1, 3, 5, 7, 10, 15, 20};               // KNN n_neighbors, ascending
  std::vector<EstimatorKind> allowed = {EstimatorKind::logistic, EstimatorKind::knn, EstimatorKind::average};
};

// One cross-validated configuration.
struct Candidate {
  EstimatorKind kind = EstimatorKind::logistic;
  double C = 0;  // logistic and average
  int k = 0;     // knn and average
  double cv_accuracy = 0;
};
std::string describe(const Candidate& c);  // "logistic C=0.3", "knn k=7", "average (C=0.3, k=7)"

// Every genre with at least this many songs: 5-fold stratified CV; otherwise leave-one-out (up to
// kMaxLeaveOneOutSongs songs, past which 5-fold again keeps the time bounded).
inline constexpr int kStratifiedFolds = 5;
inline constexpr int kMinSongsForFolds = 10;
inline constexpr int kMaxLeaveOneOutSongs = 400;
inline constexpr int kMinSongsPerGenre = 3;
inline constexpr int kMinGenres = 3;  // the .sono loader's minimum (a stack needs three classes)

struct TrainReport {
  std::vector<std::string> labels;  // the genres, sorted (scikit-learn's classes_ order)
  std::vector<int> songs_per_genre;
  std::string cv_scheme;            // "5-fold stratified" or "leave-one-out"
  std::vector<Candidate> tried;     // every configuration, in the order tried
  Candidate chosen;                 // the best allowed one (the first of equal accuracy)
  Eigen::MatrixXi confusion;        // [true genre][predicted genre]: out-of-fold songs of `chosen`
  std::vector<int> cv_predicted;    // each song's out-of-fold genre under `chosen` (index in labels)
  std::vector<double> cv_confidence;  // and that genre's out-of-fold probability: low = unsure
};

// The fitted preprocessing: FunctionTransformer(signed_log1p) on the *_var columns (as
// tools/train.py), then StandardScaler.
struct Scaling {
  std::vector<int> log_columns;  // columns replaced by sign(x) log1p(|x|)
  Eigen::VectorXd mean, scale;   // StandardScaler's mean_ and scale_ (1 for constant columns)

  // raw: 57 values -> the scaled features.
  Eigen::VectorXd operator()(const Eigen::VectorXd& raw) const;
};

struct TrainedModel {
  Scaling preprocess;              // fitted on every song
  MultinomialLogistic logistic;    // fitted with report.chosen.C (best C even when not chosen)
  KnnClassifier knn;               // every song's scaled row, report.chosen.k (best k)
  TrainReport report;
};

// Validates the set and fits. Throws std::invalid_argument with a message for the user when:
// there are no songs, a song is listed twice, a feature is not finite (naming song and feature),
// there are fewer than kMinGenres genres, or a genre has fewer than kMinSongsPerGenre songs.
// Deterministic: the same rows in the same order give the same model.
TrainedModel train_genre_model(const TrainingSet& set, const TrainOptions& options = {});

// Scaling fitted on `X` (raw rows), as StandardScaler.fit after the log: population variance,
// scale 1 for constant columns.
Scaling fit_scaling(const RowMatrix& X);

// Test folds as sklearn.model_selection.StratifiedKFold(n_splits, shuffle=False) assigns them
// for labels y (any integers): a fold number per row. Classes are numbered by first appearance,
// fold sizes per class come from a round robin over the sorted labels, and each class's rows
// get folds in contiguous blocks, in row order.
std::vector<int> stratified_folds(const std::vector<int>& y, int n_splits);

}  // namespace sonotype::model
