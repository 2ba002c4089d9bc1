#include "core/model/personal_blob.h"

#include <ctime>

#include "core/gtzan.h"
#include "core/model/blob.h"
#include "core/model/novelty.h"

namespace sonotype::model {
namespace {

// The features' STFT and the training rows' clip length: what gtzan_features computes on the
// 30-s windows classify_song analyses (the CLI and the page compute training rows the same way).
constexpr std::int64_t kNfft = 2048, kHop = 512;
constexpr double kWindowSeconds = 30.0;
// The graph's node names (models/FORMAT.md, "Personal models").
const std::string kRoot = "personal", kLog = "log", kScaler = "scaler", kLogistic = "logistic", kKnn = "knn",
                  kVote = "vote";

// The root pipeline's estimator for the configuration the cross-validation chose.
const std::string& estimator_node(EstimatorKind kind) {
  switch (kind) {
    case EstimatorKind::logistic: return kLogistic;
    case EstimatorKind::knn: return kKnn;
    case EstimatorKind::average: break;
  }
  return kVote;
}

std::uint32_t u32(Eigen::Index n) { return static_cast<std::uint32_t>(n); }

Tensor vector_tensor(const std::string& name, const Eigen::VectorXd& v, DType dtype = DType::f32) {
  return {name, dtype, {u32(v.size())}, {v.data(), v.data() + v.size()}};
}

Tensor index_tensor(const std::string& name, const std::vector<int>& v, std::vector<std::uint32_t> shape) {
  return {name, DType::i32, std::move(shape), {v.begin(), v.end()}};
}

// Row-major values of any Eigen matrix expression.
template <class M>
std::vector<double> row_major(const M& m) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(m.size()));
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) out.push_back(static_cast<double>(m(r, c)));
  return out;
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::vector<std::uint8_t> personal_model_blob(const TrainedModel& model, const Provenance& provenance) {
  const TrainReport& report = model.report;
  const auto k = static_cast<Eigen::Index>(report.labels.size());
  const Eigen::Index d = model.knn.fit_X.cols();

  Blob blob;
  std::vector<std::string> features(kGtzanFeatureNames.begin(), kGtzanFeatureNames.end());
  std::vector<std::string> tried;
  for (const Candidate& c : report.tried) tried.push_back(describe(c) + ": " + std::to_string(c.cv_accuracy));
  blob.metadata = {
      {"labels", report.labels},
      {"feature_names", features},
      {"pipeline.sample_rate", std::int64_t{kGtzanSampleRate}},
      {"pipeline.n_fft", kNfft},
      {"pipeline.hop_length", kHop},
      {"pipeline.window_seconds", kWindowSeconds},
      {"graph.root", kRoot},
      {kRoot + ".kind", std::string("pipeline")},
      {kRoot + ".steps", std::vector<std::string>{kLog, kScaler}},
      {kRoot + ".estimator", estimator_node(report.chosen.kind)},
      {kLog + ".kind", std::string("signed_log1p")},
      {kScaler + ".kind", std::string("standard_scaler")},
      {kLogistic + ".kind", std::string("logistic")},
      {kVote + ".kind", std::string("voting")},
      {kVote + ".members", std::vector<std::string>{kLogistic, kKnn}},
      {kKnn + ".kind", std::string("knn")},
      {kKnn + ".n_neighbors", std::int64_t{model.knn.n_neighbors}},
      {kKnn + ".p", std::int64_t{2}},
      {kKnn + ".weights", std::string("distance")},
      {"provenance.trainer", std::string("sonotype train")},
      {"provenance.date", provenance.date},
      {"provenance.sonotype_version", provenance.sonotype_version},
      {"provenance.model", describe(report.chosen)},
      {"provenance.cv_scheme", report.cv_scheme},
      {"provenance.cv_accuracy", report.chosen.cv_accuracy},
      {"provenance.cv_tried", tried},
  };

  // Every blob holds the KNN's rows, whichever estimator was chosen: they are the novelty reference.
  const auto& p = model.preprocess;
  blob.tensors = {
      index_tensor(kLog + ".columns", p.log_columns, {u32(static_cast<Eigen::Index>(p.log_columns.size()))}),
      // f64, as `sonotype convert` writes transform steps (models/FORMAT.md).
      vector_tensor(kScaler + ".mean", p.mean, DType::f64),
      vector_tensor(kScaler + ".scale", p.scale, DType::f64),
      {kLogistic + ".coef", DType::f32, {u32(k), u32(d)}, row_major(model.logistic.coef)},
      vector_tensor(kLogistic + ".intercept", model.logistic.intercept),
      {kKnn + ".fit_X", DType::f32, {u32(model.knn.fit_X.rows()), u32(d)}, row_major(model.knn.fit_X)},
      index_tensor(kKnn + ".fit_y", model.knn.fit_y, {u32(static_cast<Eigen::Index>(model.knn.fit_y.size()))}),
      {kVote + ".weights", DType::f32, {2}, {1.0, 1.0}},
      index_tensor("provenance.songs_per_genre", report.songs_per_genre, {u32(k)}),
      {"provenance.cv_confusion", DType::i32, {u32(k), u32(k)}, row_major(report.confusion)},
  };
  if (model.knn.fit_X.rows() > kNoveltyK) add_novelty(blob, kKnn + ".fit_X", kNoveltyK, kNoveltyPercentile);
  return write_blob(blob);
}

}  // namespace sonotype::model
