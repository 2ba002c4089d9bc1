#include "core/model/novelty.h"

#include <algorithm>
#include <cmath>

#include "core/model/model_error.h"

namespace sonotype::model {
namespace {

constexpr const char* kKeys[] = {"novelty.k", "novelty.threshold", "novelty.percentile", "novelty.reference"};
constexpr int kMaxK = 100;

[[noreturn]] void fail(const std::string& message) { throw ModelError("model blob: " + message); }

// Mean of the k smallest of `distances` (k <= size), which it reorders.
double mean_of_nearest(std::vector<double>& distances, int k) {
  const auto kth = distances.begin() + k;
  std::partial_sort(distances.begin(), kth, distances.end());
  double sum = 0;
  for (auto it = distances.begin(); it != kth; ++it) sum += *it;
  return sum / k;
}

// The Euclidean length of `d`. Its squares are summed as they are unless that overflows (a
// standardised feature of 1e155 or more, from audio far outside [-1, 1]: a finite distance all
// the same), when Eigen's stableNorm scales them first.
template <typename Vector>
double length(const Vector& d) {
  const double squared = d.squaredNorm();
  return std::isfinite(squared) ? std::sqrt(squared) : d.stableNorm();
}

NoveltyDetector::RowMatrix rows_of(const Tensor& t, std::uint32_t width) {
  if (t.shape.size() != 2 || t.shape[1] != width)
    fail("novelty reference tensor '" + t.name + "' has shape " + shape_string(t.shape) + ", expected [n, " +
         std::to_string(width) + "]");
  return Eigen::Map<const NoveltyDetector::RowMatrix>(t.values.data(), t.shape[0], t.shape[1]);
}

void check_k(std::int64_t k, Eigen::Index rows) {
  if (k < 1 || k > kMaxK || k >= rows)
    fail("metadata 'novelty.k' is " + std::to_string(k) + ", expected 1 to " + std::to_string(kMaxK) +
         " and fewer than the " + std::to_string(rows) + " reference rows");
}

}  // namespace

NoveltyScore NoveltyDetector::operator()(const Eigen::VectorXd& z) const {
  std::vector<double> distances(static_cast<std::size_t>(reference.rows()));
  for (Eigen::Index i = 0; i < reference.rows(); ++i)
    distances[static_cast<std::size_t>(i)] = length(reference.row(i).transpose() - z);
  return {mean_of_nearest(distances, k), threshold};
}

std::vector<double> leave_one_out_scores(const NoveltyDetector::RowMatrix& rows, int k) {
  const auto n = rows.rows();
  std::vector<double> scores, distances;
  for (Eigen::Index i = 0; i < n; ++i) {
    distances.clear();
    for (Eigen::Index j = 0; j < n; ++j)
      if (j != i) distances.push_back(length(rows.row(j) - rows.row(i)));
    scores.push_back(mean_of_nearest(distances, k));
  }
  return scores;
}

double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double rank = q / 100 * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  if (values[above] == values[below]) return values[below];  // also for infinities, where the step is NaN
  return values[below] + (rank - static_cast<double>(below)) * (values[above] - values[below]);
}

std::optional<NoveltyDetector> read_novelty(const Blob& blob, std::uint32_t width) {
  if (std::none_of(std::begin(kKeys), std::end(kKeys), [&](const char* key) { return blob.find_meta(key); }))
    return std::nullopt;
  NoveltyDetector detector;
  detector.reference = rows_of(blob.tensor(blob.text("novelty.reference")), width);
  const std::int64_t k = blob.integer("novelty.k");
  check_k(k, detector.reference.rows());
  detector.k = static_cast<int>(k);
  detector.threshold = blob.real("novelty.threshold");
  if (!(detector.threshold > 0 && std::isfinite(detector.threshold)))
    fail("metadata 'novelty.threshold' is " + to_string(detector.threshold) + ", expected a positive distance");
  detector.percentile = blob.real("novelty.percentile");
  if (!(detector.percentile > 0 && detector.percentile <= 100))
    fail("metadata 'novelty.percentile' is " + to_string(detector.percentile) + ", expected above 0 and at most 100");
  return detector;
}

void add_novelty(Blob& blob, const std::string& reference, int k, double q) {
  const Blob stored = read_blob(write_blob(blob));  // the rows as a reader will see them
  const Tensor& t = stored.tensor(reference);
  const NoveltyDetector::RowMatrix rows = rows_of(t, t.shape.size() == 2 ? t.shape[1] : 0);
  check_k(k, rows.rows());
  blob.metadata.push_back({"novelty.reference", reference});
  blob.metadata.push_back({"novelty.k", std::int64_t{k}});
  blob.metadata.push_back({"novelty.percentile", q});
  blob.metadata.push_back({"novelty.threshold", percentile(leave_one_out_scores(rows, k), q)});
}

}  // namespace sonotype::model
