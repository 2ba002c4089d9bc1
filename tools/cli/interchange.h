#pragma once
// The interchange JSON that tools/train.py writes (models/interchange.md), turned into the
// entries of a .sono blob (models/FORMAT.md, "The model graph").
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/blob.h"
#include "core/model/model.h"

namespace sonotype::cli {

struct Conversion {
  model::Blob blob;
  std::vector<std::string> notes;  // what the conversion decided, for the user
  // The document's `novelty.reference` rows (the root pipeline's transformed training rows), as
  // the tensor `novelty.rows` in the weights' dtype; not yet in `blob`: convert stores them
  // only when no KNN holds those rows already.
  std::optional<model::Tensor> novelty_rows;
};

// `weights` is the dtype of the large matrices (KNN training rows, SVM dual coefficients and
// any stored support vectors, MLP weights, tree leaf probabilities): f32, or f16
// to halve the blob. Everything else is
// f32 or an integer type. Throws ModelError ("interchange: <path>: <problem>") when the document
// lacks a field or has one of the wrong type or shape; whether the model makes sense as a whole
// is left to GenreModel::from_bytes on the result.
Conversion convert_interchange(const nlohmann::json& doc, model::DType weights);

// How closely `model` reproduces the document's golden outputs (scikit-learn's predict_proba).
struct GoldenCheck {
  std::size_t rows = 0;          // golden rows (0: the document has none)
  std::size_t same_label = 0;    // rows whose most probable label is scikit-learn's
  double max_delta = 0;          // max |p - p_sklearn| over rows and labels, ensemble
  double max_base_delta = 0;     // the same over every base estimator's probabilities
};
GoldenCheck check_golden(const GenreModel& model, const nlohmann::json& doc);

}  // namespace sonotype::cli
