#include "core/model/train.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>

#include "core/gtzan.h"

namespace sonotype::model {
namespace {

// Cross-validation fits need only each song's most probable genre: scikit-learn's own default
// tolerance (1e-4) is plenty, and it makes training 500 songs three times as fast as 1e-7 did. The
// final fit is the one kept, and 1e-7 still holds its coefficients to scikit-learn's within 1e-4.
constexpr double kCvTolerance = 1e-4;
constexpr double kFinalTolerance = 1e-7;

[[noreturn]] void refuse(const std::string& message) { throw std::invalid_argument(message); }

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", x);
  return buffer;
}

// Class indices in sorted-label order, after the checks the header lists.
std::vector<int> validated_classes(const TrainingSet& set, std::vector<std::string>& labels, std::vector<int>& counts) {
  const auto n = static_cast<std::size_t>(set.features.rows());
  if (set.songs.size() != n || set.genres.size() != n)
    throw std::logic_error("training set: songs, genres and feature rows differ in number");
  if (n == 0) refuse("no songs to train on");
  if (set.features.cols() != static_cast<Eigen::Index>(kNumGtzanFeatures))
    refuse("each song needs the " + std::to_string(kNumGtzanFeatures) + " GTZAN features, got " +
           std::to_string(set.features.cols()));

  std::map<std::string, std::size_t> first_row;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [it, fresh] = first_row.emplace(set.songs[i], i);
    if (!fresh) {
      const std::string& before = set.genres[it->second];
      refuse(set.songs[i] + " is labelled twice" +
             (before == set.genres[i] ? " (both times as " + quoted(before) + ")"
                                      : " (as " + quoted(before) + " and as " + quoted(set.genres[i]) + ")"));
    }
    for (Eigen::Index j = 0; j < set.features.cols(); ++j)
      if (!std::isfinite(set.features(static_cast<Eigen::Index>(i), j)))
        refuse(set.songs[i] + ": feature " + std::string(kGtzanFeatureNames[static_cast<std::size_t>(j)]) + " is not finite");
  }

  std::map<std::string, int> per_genre;
  for (const auto& g : set.genres) {
    if (g.empty()) refuse("a song has an empty genre name");
    ++per_genre[g];
  }
  if (per_genre.size() < static_cast<std::size_t>(kMinGenres)) {
    std::string names;
    for (const auto& [g, c] : per_genre) names += (names.empty() ? "" : ", ") + quoted(g);
    refuse((per_genre.size() == 1 ? "only one genre (" : std::to_string(per_genre.size()) + " genres (") + names +
           "): a model needs at least " + std::to_string(kMinGenres) + " genres");
  }
  for (const auto& [g, c] : per_genre)
    if (c < kMinSongsPerGenre)
      refuse("genre " + quoted(g) + " has " + std::to_string(c) + (c == 1 ? " song" : " songs") + "; each genre needs at least " +
             std::to_string(kMinSongsPerGenre));

  std::map<std::string, int> index;
  for (const auto& [g, c] : per_genre) {
    index[g] = static_cast<int>(labels.size());
    labels.push_back(g);
    counts.push_back(c);
  }
  std::vector<int> y;
  for (const auto& g : set.genres) y.push_back(index[g]);
  return y;
}

RowMatrix rows_of(const RowMatrix& X, const std::vector<int>& rows) {
  RowMatrix out(static_cast<Eigen::Index>(rows.size()), X.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Eigen::Index>(i)) = X.row(rows[i]);
  return out;
}

RowMatrix transformed(const Scaling& p, const RowMatrix& X) {
  RowMatrix out(X.rows(), X.cols());
  for (Eigen::Index i = 0; i < X.rows(); ++i) out.row(i) = p(X.row(i).transpose()).transpose();
  return out;
}

double signed_log1p(double x) { return std::copysign(std::log1p(std::abs(x)), x); }

std::size_t argmax(const Eigen::VectorXd& v) {
  Eigen::Index best = 0;
  for (Eigen::Index c = 1; c < v.size(); ++c)
    if (v[c] > v[best]) best = c;  // the first of equal maxima, as numpy.argmax
  return static_cast<std::size_t>(best);
}

// Out-of-fold probabilities of one configuration: a row per song.
struct OutOfFold {
  Candidate candidate;
  RowMatrix proba;
};

double accuracy(const RowMatrix& proba, const std::vector<int>& y) {
  int right = 0;
  for (Eigen::Index i = 0; i < proba.rows(); ++i) right += static_cast<int>(argmax(proba.row(i).transpose())) == y[static_cast<std::size_t>(i)];
  return static_cast<double>(right) / static_cast<double>(y.size());
}

// The first of the highest cv_accuracy among those of `kind`, or nullptr.
const OutOfFold* best_of(const std::vector<OutOfFold>& all, EstimatorKind kind) {
  const OutOfFold* best = nullptr;
  for (const auto& o : all)
    if (o.candidate.kind == kind && (!best || o.candidate.cv_accuracy > best->candidate.cv_accuracy)) best = &o;
  return best;
}

}  // namespace

std::string_view kind_name(EstimatorKind kind) {
  switch (kind) {
    case EstimatorKind::logistic: return "logistic";
    case EstimatorKind::knn: return "knn";
    case EstimatorKind::average: return "average";
  }
  return "?";
}

std::string describe(const Candidate& c) {
  switch (c.kind) {
    case EstimatorKind::logistic: return "logistic regression C=" + number(c.C);
    case EstimatorKind::knn: return "distance-weighted KNN k=" + std::to_string(c.k);
    case EstimatorKind::average: return "average of logistic regression C=" + number(c.C) + " and KNN k=" + std::to_string(c.k);
  }
  return "?";
}

Eigen::VectorXd Scaling::operator()(const Eigen::VectorXd& raw) const {
  Eigen::VectorXd x = raw;
  for (const int c : log_columns) x[c] = signed_log1p(x[c]);
  return ((x - mean).array() / scale.array()).matrix();
}

Scaling fit_scaling(const RowMatrix& X) {
  Scaling p;
  for (std::size_t c = 0; c < kNumGtzanFeatures; ++c)
    if (kGtzanFeatureNames[c].ends_with("_var")) p.log_columns.push_back(static_cast<int>(c));
  RowMatrix logged = X;
  for (const int c : p.log_columns)
    logged.col(c) = logged.col(c).unaryExpr(&signed_log1p);
  const auto n = static_cast<double>(X.rows());
  p.mean = logged.colwise().mean().transpose();
  const Eigen::VectorXd var = (logged.rowwise() - p.mean.transpose()).array().square().colwise().mean().transpose();
  // StandardScaler keeps scale 1 for constant columns (sklearn.preprocessing._data._is_constant_feature).
  constexpr double eps = std::numeric_limits<double>::epsilon();
  p.scale = var.array().sqrt();
  for (Eigen::Index c = 0; c < var.size(); ++c) {
    const double bound = n * eps * var[c] + std::pow(n * p.mean[c] * eps, 2);
    if (var[c] <= bound) p.scale[c] = 1.0;
  }
  return p;
}

std::vector<int> stratified_folds(const std::vector<int>& y, int n_splits) {
  std::map<int, int> encoding;  // label -> order of first appearance
  for (const int v : y) encoding.emplace(v, static_cast<int>(encoding.size()));
  std::vector<int> encoded;
  for (const int v : y) encoded.push_back(encoding[v]);
  const int n_classes = static_cast<int>(encoding.size());
  std::vector<int> sorted = encoded;
  std::sort(sorted.begin(), sorted.end());
  // allocation[f][c]: songs of class c in test fold f (round robin over the sorted labels).
  std::vector<std::vector<int>> allocation(static_cast<std::size_t>(n_splits), std::vector<int>(static_cast<std::size_t>(n_classes)));
  for (std::size_t i = 0; i < sorted.size(); ++i) ++allocation[i % static_cast<std::size_t>(n_splits)][static_cast<std::size_t>(sorted[i])];
  std::vector<int> fold(y.size());
  for (int c = 0; c < n_classes; ++c) {
    int f = 0, left = allocation[0][static_cast<std::size_t>(c)];
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (encoded[i] != c) continue;
      while (left == 0) left = allocation[static_cast<std::size_t>(++f)][static_cast<std::size_t>(c)];
      fold[i] = f;
      --left;
    }
  }
  return fold;
}

TrainedModel train_genre_model(const TrainingSet& set, const TrainOptions& options) {
  TrainedModel model;
  TrainReport& report = model.report;
  const std::vector<int> y = validated_classes(set, report.labels, report.songs_per_genre);
  const int n = static_cast<int>(y.size());
  const int n_classes = static_cast<int>(report.labels.size());

  const bool small_genre = *std::min_element(report.songs_per_genre.begin(), report.songs_per_genre.end()) < kMinSongsForFolds;
  const bool leave_one_out = small_genre && n <= kMaxLeaveOneOutSongs;
  std::vector<int> fold(static_cast<std::size_t>(n));
  int n_folds = n;
  if (leave_one_out) {
    for (int i = 0; i < n; ++i) fold[static_cast<std::size_t>(i)] = i;
    report.cv_scheme = "leave-one-out";
  } else {
    fold = stratified_folds(y, kStratifiedFolds);
    n_folds = kStratifiedFolds;
    report.cv_scheme = std::to_string(kStratifiedFolds) + "-fold stratified";
  }

  // k above the smallest training fold would not be defined in every fold.
  int smallest_train = n;
  for (int f = 0; f < n_folds; ++f) smallest_train = std::min(smallest_train, n - static_cast<int>(std::count(fold.begin(), fold.end(), f)));
  std::vector<int> ks;
  for (const int k : options.k_values)
    if (k >= 1 && k <= smallest_train) ks.push_back(k);

  std::vector<OutOfFold> oof;
  for (const double C : options.C_values) oof.push_back({{EstimatorKind::logistic, C, 0, 0}, RowMatrix::Zero(n, n_classes)});
  for (const int k : ks) oof.push_back({{EstimatorKind::knn, 0, k, 0}, RowMatrix::Zero(n, n_classes)});
  std::vector<MultinomialLogistic> warm(options.C_values.size());  // each C's previous fold: a close start

  for (int f = 0; f < n_folds; ++f) {
    std::vector<int> train, test;
    for (int i = 0; i < n; ++i) (fold[static_cast<std::size_t>(i)] == f ? test : train).push_back(i);
    if (test.empty()) continue;
    const RowMatrix raw_train = rows_of(set.features, train);
    const Scaling p = fit_scaling(raw_train);
    const RowMatrix X_train = transformed(p, raw_train), X_test = transformed(p, rows_of(set.features, test));
    std::vector<int> y_train;
    for (const int i : train) y_train.push_back(y[static_cast<std::size_t>(i)]);

    for (std::size_t c = 0; c < options.C_values.size(); ++c) {
      const MultinomialLogistic* start = warm[c].coef.size() ? &warm[c] : (c > 0 ? &warm[c - 1] : nullptr);
      warm[c] = fit_multinomial_logistic(X_train, y_train, n_classes, {options.C_values[c], kCvTolerance}, start);
      for (std::size_t t = 0; t < test.size(); ++t)
        oof[c].proba.row(test[t]) = warm[c].predict_proba(X_test.row(static_cast<Eigen::Index>(t)).transpose()).transpose();
    }
    if (!ks.empty()) {
      KnnClassifier knn{X_train, y_train, n_classes, ks.back(), 2, true};
      for (std::size_t t = 0; t < test.size(); ++t) {
        const std::vector<Neighbour> nearest = knn.nearest(X_test.row(static_cast<Eigen::Index>(t)).transpose(), ks.back());
        for (std::size_t j = 0; j < ks.size(); ++j)
          oof[options.C_values.size() + j].proba.row(test[t]) =
              knn.proba_of(std::span(nearest).first(static_cast<std::size_t>(ks[j]))).transpose();
      }
    }
  }
  for (auto& o : oof) o.candidate.cv_accuracy = accuracy(o.proba, y);

  // The average of the best of each (VotingClassifier(voting="soft"): the mean of the two).
  const OutOfFold* best_lr = best_of(oof, EstimatorKind::logistic);
  const OutOfFold* best_knn = best_of(oof, EstimatorKind::knn);
  if (best_lr && best_knn) {
    OutOfFold avg{{EstimatorKind::average, best_lr->candidate.C, best_knn->candidate.k, 0}, 0.5 * (best_lr->proba + best_knn->proba)};
    avg.candidate.cv_accuracy = accuracy(avg.proba, y);
    oof.push_back(std::move(avg));
    best_lr = best_of(oof, EstimatorKind::logistic);  // (push_back may have moved them)
    best_knn = best_of(oof, EstimatorKind::knn);
  }

  const OutOfFold* chosen = nullptr;
  for (const auto& o : oof) {
    report.tried.push_back(o.candidate);
    const bool allowed = std::find(options.allowed.begin(), options.allowed.end(), o.candidate.kind) != options.allowed.end();
    if (allowed && (!chosen || o.candidate.cv_accuracy > chosen->candidate.cv_accuracy)) chosen = &o;
  }
  if (!chosen) throw std::logic_error("train_genre_model: no allowed configuration");
  report.chosen = chosen->candidate;
  report.confusion = Eigen::MatrixXi::Zero(n_classes, n_classes);
  for (int i = 0; i < n; ++i) {
    const std::size_t top = argmax(chosen->proba.row(i).transpose());
    ++report.confusion(y[static_cast<std::size_t>(i)], static_cast<Eigen::Index>(top));
    report.cv_predicted.push_back(static_cast<int>(top));
    report.cv_confidence.push_back(chosen->proba(i, static_cast<Eigen::Index>(top)));
  }

  // The final model, on every song, keeping the best configuration of each estimator.
  model.preprocess = fit_scaling(set.features);
  const RowMatrix X = transformed(model.preprocess, set.features);
  if (best_lr) model.logistic = fit_multinomial_logistic(X, y, n_classes, {best_lr->candidate.C, kFinalTolerance});
  const int k = best_knn ? best_knn->candidate.k : std::min(n, options.k_values.empty() ? 1 : options.k_values.front());
  model.knn = {X, y, n_classes, k, 2, true};
  return model;
}

}  // namespace sonotype::model
