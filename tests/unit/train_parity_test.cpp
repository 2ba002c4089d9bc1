// Parity of the personal-model trainer (core/model/train.h) with scikit-learn 1.2, on the fixed
// GTZAN rows and scikit-learn answers of tests/data/train_parity.json (tools/make_train_fixture.py):
// the logistic regression's coefficients (1e-4 relative), every label, the KNN's probabilities,
// the stratified folds and the cross-validated accuracy of every configuration.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "core/classify.h"
#include "core/model/logistic_fit.h"
#include "core/model/model.h"
#include "core/model/personal_blob.h"
#include "core/model/train.h"
#include "tests/unit/model_support.h"

namespace {

using nlohmann::json;
using namespace sonotype::model;

constexpr double kCoefTolerance = 1e-4;   // relative, per coefficient (the bar)
// Absolute, per probability. The inference bar (1e-5) holds for the KNN and for C <= 1; at C=3
// scikit-learn's lbfgs, even restarted, stops with a gradient of ~1e-7 (ours: 1e-9), 4e-5 away.
constexpr double kProbaTolerance = 1e-5;
constexpr double kFitProbaTolerance = 1e-4;
constexpr double kMaxComparedC = 1.0;

const json& fixture() {
  static const json doc = sonotype::test::read_json(std::filesystem::path(SONOTYPE_TEST_DATA) / "train_parity.json");
  return doc;
}

RowMatrix matrix(const json& rows) {
  RowMatrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)].get<double>();
  return m;
}

TrainingSet training_set(const std::vector<std::size_t>* only = nullptr) {
  const json& doc = fixture();
  const RowMatrix X = matrix(doc["X"]);
  TrainingSet set;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < doc["y"].size(); ++i) rows.push_back(i);
  if (only) rows = *only;
  set.features.resize(static_cast<Eigen::Index>(rows.size()), X.cols());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    set.songs.push_back(doc["songs"][rows[r]].get<std::string>());
    set.genres.push_back(doc["y"][rows[r]].get<std::string>());
    set.features.row(static_cast<Eigen::Index>(r)) = X.row(static_cast<Eigen::Index>(rows[r]));
  }
  return set;
}

std::vector<std::string> sorted_labels() {
  std::vector<std::string> labels = fixture()["y"].get<std::vector<std::string>>();
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  return labels;
}

std::vector<int> class_indices(const json& names) {
  const auto labels = sorted_labels();
  std::vector<int> y;
  for (const auto& n : names) y.push_back(static_cast<int>(std::find(labels.begin(), labels.end(), n.get<std::string>()) - labels.begin()));
  return y;
}

// max |ours - theirs| / max |theirs|: the error relative to the size of the coefficients (an
// element-wise ratio would divide by coefficients that the penalty has shrunk to nearly 0).
double max_relative_difference(const Eigen::MatrixXd& ours, const json& theirs) {
  double worst = 0, size = 0;
  for (Eigen::Index i = 0; i < ours.rows(); ++i)
    for (Eigen::Index j = 0; j < ours.cols(); ++j) {
      const double t = ours.cols() == 1 ? theirs[static_cast<std::size_t>(i)].get<double>()
                                        : theirs[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)].get<double>();
      worst = std::max(worst, std::abs(ours(i, j) - t));
      size = std::max(size, std::abs(t));
    }
  return worst / size;
}

std::size_t argmax(const Eigen::VectorXd& p) {
  Eigen::Index top = 0;
  p.maxCoeff(&top);
  return static_cast<std::size_t>(top);
}

// Our probabilities for the held-out rows against scikit-learn's: the largest difference, and
// whether every label agrees.
template <class Predict>
void check_held_out(const json& expected, Predict predict, double tolerance = kProbaTolerance) {
  const RowMatrix Xt = matrix(fixture()["test_X"]);
  const auto labels = sorted_labels();
  double worst = 0;
  int same = 0;
  for (Eigen::Index i = 0; i < Xt.rows(); ++i) {
    const Eigen::VectorXd p = predict(Eigen::VectorXd(Xt.row(i).transpose()));
    for (Eigen::Index c = 0; c < p.size(); ++c)
      worst = std::max(worst, std::abs(p[c] - expected["proba"][static_cast<std::size_t>(i)][static_cast<std::size_t>(c)].get<double>()));
    same += labels[argmax(p)] == expected["labels"][static_cast<std::size_t>(i)].get<std::string>();
  }
  MESSAGE("held-out rows: labels agree " << same << "/" << Xt.rows() << ", max |dp| " << worst);
  CHECK(same == Xt.rows());
  CHECK(worst < tolerance);
}

void check_cv(const TrainReport& report, const json& expected, std::size_t n) {
  CHECK(report.cv_scheme == expected["scheme"].get<std::string>());
  REQUIRE(report.tried.size() == expected["tried"].size());
  for (std::size_t i = 0; i < report.tried.size(); ++i) {
    const json& e = expected["tried"][i];
    INFO(e["description"].get<std::string>());
    CHECK(describe(report.tried[i]) == e["description"].get<std::string>());
    // A song whose two most probable genres tie within the solvers' tolerances may go either way.
    CHECK(std::abs(report.tried[i].cv_accuracy - e["accuracy"].get<double>()) <= 1.0 / static_cast<double>(n) + 1e-12);
  }
  CHECK(describe(report.chosen) == expected["chosen"].get<std::string>());
}

}  // namespace

TEST_CASE("train parity: StandardScaler and the logistic regression's coefficients equal scikit-learn's") {
  const TrainingSet set = training_set();
  const Scaling p = fit_scaling(set.features);
  RowMatrix X(set.features.rows(), set.features.cols());
  for (Eigen::Index i = 0; i < X.rows(); ++i) X.row(i) = p(set.features.row(i).transpose()).transpose();
  const std::vector<int> y = class_indices(fixture()["y"]);
  for (const auto& [name, expected] : fixture()["fits"].items()) {
    if (!expected.contains("coef")) continue;
    INFO(name);
    CHECK(max_relative_difference(p.mean, expected["mean"]) < 1e-12);
    CHECK(max_relative_difference(p.scale, expected["scale"]) < 1e-12);
    const MultinomialLogistic lr = fit_multinomial_logistic(X, y, 4, {expected["C"].get<double>()});
    // Intercepts (which sum to 0) are judged with the coefficients, against the largest of them all.
    Eigen::MatrixXd ours(lr.coef.rows(), lr.coef.cols() + 1);
    ours << lr.coef, lr.intercept;
    json theirs = expected["coef"];
    for (std::size_t c = 0; c < theirs.size(); ++c) theirs[c].push_back(expected["intercept"][c]);
    const double difference = max_relative_difference(ours, theirs);
    MESSAGE(name << ": max difference of coefficients and intercepts, relative to the largest: " << difference);
    // At C=3 the training songs are nearly separated and the unpenalised intercepts nearly flat:
    // scikit-learn's lbfgs leaves them ~2e-4 from the minimiser (reported, not held to 1e-4).
    if (expected["C"].get<double>() <= kMaxComparedC) CHECK(difference < kCoefTolerance);
    check_held_out(expected, [&](const Eigen::VectorXd& raw) { return lr.predict_proba(p(raw)); }, kFitProbaTolerance);
  }
}

TEST_CASE("train parity: the distance-weighted KNN equals KNeighborsClassifier(weights='distance')") {
  const TrainingSet set = training_set();
  const Scaling p = fit_scaling(set.features);
  KnnClassifier knn{RowMatrix(set.features.rows(), set.features.cols()), class_indices(fixture()["y"]), 4, 5, 2, true};
  for (Eigen::Index i = 0; i < knn.fit_X.rows(); ++i) knn.fit_X.row(i) = p(set.features.row(i).transpose()).transpose();
  check_held_out(fixture()["fits"]["knn k=5"], [&](const Eigen::VectorXd& raw) { return knn.predict_proba(p(raw)); });
}

TEST_CASE("train parity: stratified folds are StratifiedKFold(5)'s") {
  CHECK(stratified_folds(class_indices(fixture()["y"]), kStratifiedFolds) == fixture()["stratified_folds"].get<std::vector<int>>());
}

TEST_CASE("train parity: cross-validated accuracy of every configuration, 5-fold and leave-one-out") {
  SUBCASE("15 songs per genre: 5-fold stratified") {
    const TrainedModel m = train_genre_model(training_set());
    check_cv(m.report, fixture()["cv"], fixture()["y"].size());
    CHECK(m.report.labels == sorted_labels());
    CHECK(m.report.songs_per_genre == std::vector<int>{15, 15, 15, 15});
    CHECK(m.report.confusion.sum() == 60);
    CHECK(m.report.confusion.trace() == static_cast<int>(std::lround(m.report.chosen.cv_accuracy * 60)));
  }
  SUBCASE("6 songs per genre: leave-one-out") {
    const auto rows = fixture()["small_rows"].get<std::vector<std::size_t>>();
    const TrainedModel m = train_genre_model(training_set(&rows));
    check_cv(m.report, fixture()["cv_small"], rows.size());
  }
}

// Each estimator the cross-validation may choose, written as a blob (a model graph) and read
// back, equals the fitted estimator (itself held to scikit-learn above) within f32 rounding.
TEST_CASE("train parity: the written blob of each kind loads and gives the fitted estimator's probabilities") {
  const RowMatrix Xt = matrix(fixture()["test_X"]);
  const Provenance provenance{"2026-12-01T00:00:00Z", "test"};
  for (const EstimatorKind kind : {EstimatorKind::logistic, EstimatorKind::knn, EstimatorKind::average}) {
    CAPTURE(kind_name(kind));
    TrainOptions options;
    options.allowed = {kind};
    const TrainedModel m = train_genre_model(training_set(), options);
    REQUIRE(m.report.chosen.kind == kind);
    const std::vector<std::uint8_t> blob = personal_model_blob(m, provenance);
    CHECK(blob == personal_model_blob(train_genre_model(training_set(), options), provenance));  // deterministic

    const sonotype::GenreModel model = sonotype::GenreModel::from_bytes(blob);
    CHECK(model.labels() == sorted_labels());
    for (Eigen::Index i = 0; i < Xt.rows(); ++i) {
      sonotype::FeatureVector raw;
      for (std::size_t j = 0; j < raw.size(); ++j) raw[j] = Xt(i, static_cast<Eigen::Index>(j));
      const sonotype::Prediction prediction = model.predict(raw);
      const Eigen::VectorXd z = m.preprocess(Xt.row(i).transpose());
      const Eigen::VectorXd lr = m.logistic.predict_proba(z), knn = m.knn.predict_proba(z);
      const Eigen::VectorXd ours = kind == EstimatorKind::logistic ? lr : kind == EstimatorKind::knn ? knn : Eigen::VectorXd(0.5 * (lr + knn));
      for (std::size_t c = 0; c < prediction.proba.size(); ++c)
        CHECK(std::abs(prediction.proba[c] - ours[static_cast<Eigen::Index>(c)]) < kProbaTolerance);
      CHECK(prediction.novelty.has_value());  // every personal blob carries the KNN's rows as reference
    }
  }
}

TEST_CASE("train: bad training sets are refused with a message naming the problem") {
  const auto message_of = [](const TrainingSet& set) {
    try {
      train_genre_model(set);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  const auto contains = [](const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; };
  TrainingSet set = training_set();

  TrainingSet one = set;
  std::fill(one.genres.begin(), one.genres.end(), "blues");
  CHECK(contains(message_of(one), "only one genre ('blues')"));

  TrainingSet few = set;
  for (std::size_t i = 0, moved = 0; i < few.genres.size() && moved < 13; ++i)
    if (few.genres[i] == "metal") few.genres[i] = "blues", ++moved;
  CHECK(contains(message_of(few), "genre 'metal' has 2 songs; each genre needs at least 3"));

  TrainingSet twice = set;
  twice.songs[7] = twice.songs[3];
  const std::string twice_message = message_of(twice);
  CHECK(contains(twice_message, set.songs[3] + " is labelled twice"));

  TrainingSet nan = set;
  nan.features(5, 16) = std::nan("");
  CHECK(message_of(nan) == set.songs[5] + ": feature tempo is not finite");

  TrainingSet empty;
  empty.features.resize(0, 57);
  CHECK(message_of(empty) == "no songs to train on");
}
