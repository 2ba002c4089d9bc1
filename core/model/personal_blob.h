#pragma once
// A trained personal model as an ordinary .sono blob (models/FORMAT.md), which
// GenreModel::from_bytes reads like the default model: labels, pipeline, fitted estimators and
// the provenance of the training (songs per genre, cross-validation, date, Sonotype version).
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/train.h"

namespace sonotype::model {

struct Provenance {
  std::string date;              // ISO 8601, UTC
  std::string sonotype_version;  // e.g. "0.1.0"
};

// Now as ISO 8601 UTC ("2026-12-01T21:30:00Z"), for Provenance::date.
std::string utc_now();

// The blob: the graph of models/FORMAT.md's "Personal models" ending in the chosen estimator,
// with novelty entries measured on the KNN's rows (when there are enough of them).
std::vector<std::uint8_t> personal_model_blob(const TrainedModel& model, const Provenance& provenance);

}  // namespace sonotype::model
