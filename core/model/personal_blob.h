#pragma once
// A trained personal model as an ordinary .sono blob (models/FORMAT.md), which
// GenreModel::from_bytes reads like the default model: labels, pipeline, fitted estimators and
// the provenance of the training (songs per genre, cross-validation, date, Sonotype version).
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/train.h"

namespace sonotype::model {

// The estimator kinds a blob of this format version can hold exactly. Format 2 has one graph: a
// stack whose final multinomial logistic regression also sees the scaled features; a personal
// logistic regression is that final step with zero weight on the base KNN's probabilities.
// (KNN alone and the average need a voting node.)
std::vector<EstimatorKind> blob_estimator_kinds();

struct Provenance {
  std::string date;              // ISO 8601, UTC
  std::string sonotype_version;  // e.g. "0.1.0"
};

// Now as ISO 8601 UTC ("2026-12-01T21:30:00Z"), for Provenance::date.
std::string utc_now();

// The blob. Throws std::invalid_argument when model.report.chosen is not one of
// blob_estimator_kinds().
std::vector<std::uint8_t> personal_model_blob(const TrainedModel& model, const Provenance& provenance);

}  // namespace sonotype::model
