#include "core/model/novelty.h"

#include <algorithm>
#include <cmath>

#include "core/model/model_error.h"

namespace sonotype::model {
namespace {

constexpr const char* kKeys[] = {"novelty.k", "novelty.threshold", "novelty.percentile", "novelty.reference"};
constexpr int kMaxK = 100;

[[noreturn]] void fail(const std::string& message) { throw ModelError("model blob: " + message); }

// Mean of the square roots of the k smallest of `squared` (k <= size), which it reorders.
double mean_of_nearest(std::vector<double>& squared, int k) {
  const auto kth = squared.begin() + k;
  std::partial_sort(squared.begin(), kth, squared.end());
  double sum = 0;
  for (auto it = squared.begin(); it != kth; ++it) sum += std::sqrt(*it);
  return sum / k;
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
  std::vector<double> squared(static_cast<std::size_t>(reference.rows()));
  for (Eigen::Index i = 0; i < reference.rows(); ++i)
    squared[static_cast<std::size_t>(i)] = (reference.row(i).transpose() - z).squaredNorm();
  return {mean_of_nearest(squared, k), threshold};
}

std::vector<double> leave_one_out_scores(const NoveltyDetector::RowMatrix& rows, int k) {
  const auto n = rows.rows();
  std::vector<double> scores, squared;
  for (Eigen::Index i = 0; i < n; ++i) {
    squared.clear();
    for (Eigen::Index j = 0; j < n; ++j)
      if (j != i) squared.push_back((rows.row(j) - rows.row(i)).squaredNorm());
    scores.push_back(mean_of_nearest(squared, k));
  }
  return scores;
}

double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double rank = q / 100 * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, values.size() - 1);
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
