#pragma once
// Novelty: how unlike the music the model was trained on a clip is. Its score is the mean
// Euclidean distance from the clip's standardised features (GenreModel::standardise) to its k
// nearest training rows; the threshold is a high percentile of the training rows' own
// leave-one-out scores (each row scored against the others), computed by `sonotype convert` and
// stored in the blob (models/FORMAT.md, "Novelty entries"). A score above the threshold means
// the genre probabilities describe something the model has not heard the like of.
#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "core/model/blob.h"

namespace sonotype::model {

// The defaults of `sonotype convert` and of personal models: 5 neighbours, and the 99.5th
// percentile of the training rows' leave-one-out scores as the threshold.
inline constexpr int kNoveltyK = 5;
inline constexpr double kNoveltyPercentile = 99.5;

// One clip's novelty: its score and the model's threshold.
struct NoveltyScore {
  double score = 0;
  double threshold = 0;
  bool novel() const { return score > threshold; }
};

struct NoveltyDetector {
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  RowMatrix reference;    // n x m training rows in the standardised space (n > k)
  int k = 0;              // neighbours averaged
  double threshold = 0;   // scores above it are novel
  double percentile = 0;  // the percentile of the training rows' leave-one-out scores it is

  // z: m standardised features -> mean distance to the k nearest reference rows.
  NoveltyScore operator()(const Eigen::VectorXd& z) const;
};

// Row i's score against all rows but itself, for every row of `rows` (needs more than k rows).
std::vector<double> leave_one_out_scores(const NoveltyDetector::RowMatrix& rows, int k);

// The q-th percentile (0 to 100) of `values` (not empty), interpolated linearly between the
// closest ranks as numpy.percentile's default does.
double percentile(std::vector<double> values, double q);

// The novelty entries of a blob: none (std::nullopt, novelty unknown) or all of novelty.k,
// novelty.threshold, novelty.percentile and novelty.reference naming an [n, width] tensor with
// n > k, where width is the standardised space's (the root pipeline's output). Throws
// ModelError naming the entry that is missing or out of range.
std::optional<NoveltyDetector> read_novelty(const Blob& blob, std::uint32_t width);

// Adds the novelty entries to `blob`, whose tensor `reference` holds the standardised training
// rows: the threshold is the `q`-th percentile of their leave-one-out scores with `k`
// neighbours, computed from the rows as a reader decodes them (after the dtype's rounding).
// Deterministic. Throws ModelError when the tensor is missing or has too few rows.
void add_novelty(Blob& blob, const std::string& reference, int k, double q);

}  // namespace sonotype::model
