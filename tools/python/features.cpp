// sonotype.gtzan_features and FEATURE_NAMES: the 57 columns of the Kaggle GTZAN tables.
#include <optional>
#include <string>
#include <vector>

#include "core/gtzan.h"
#include "core/util.h"
#include "tools/python/bindings.h"
#include "tools/python/numpy_bridge.h"

namespace sonotype::python {
namespace {

py::dict feature_dict(const FeatureVector& f) {
  py::dict row;
  for (std::size_t i = 0; i < kNumGtzanFeatures; ++i) row[py::str(kGtzanFeatureNames[i].data(), kGtzanFeatureNames[i].size())] = f[i];
  return row;
}

py::array feature_vector(const FeatureVector& f) {
  return py::array_t<double>(static_cast<py::ssize_t>(f.size()), f.data());
}

// The rows as (rows, 57) float64, C-ordered like a feature table.
py::array feature_matrix(const std::vector<FeatureVector>& rows) {
  py::array_t<double> out({static_cast<py::ssize_t>(rows.size()), static_cast<py::ssize_t>(kNumGtzanFeatures)});
  auto view = out.mutable_unchecked<2>();
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t i = 0; i < kNumGtzanFeatures; ++i) view(r, i) = rows[r][i];
  return out;
}

py::object gtzan_features_py(const AudioArray& y, int sr, std::optional<int> segments, bool as_array) {
  const std::span<const float> audio = samples(y);
  if (sr != kGtzanSampleRate)
    throw py::value_error("the GTZAN features are defined for audio at 22050 Hz, not " + std::to_string(sr) +
                          " Hz (sonotype.load(path) resamples to 22050 Hz)");
  std::vector<FeatureVector> rows;
  {
    py::gil_scoped_release release;
    check_audio(audio);
    if (!segments) {
      rows.push_back(gtzan_features(audio));
    } else {
      const Segments s = gtzan_segments(audio.size(), *segments);
      for (std::size_t d = 0; d < s.count; ++d) rows.push_back(gtzan_features(audio.subspan(d * s.stride, s.length)));
    }
  }
  if (as_array) return segments ? feature_matrix(rows) : feature_vector(rows.front());
  if (!segments) return feature_dict(rows.front());
  py::list table;
  for (const FeatureVector& row : rows) table.append(feature_dict(row));
  return table;
}

}  // namespace

void add_features(py::module_& m) {
  using namespace pybind11::literals;
  py::tuple names(kNumGtzanFeatures);
  for (std::size_t i = 0; i < kNumGtzanFeatures; ++i) names[i] = py::str(kGtzanFeatureNames[i].data(), kGtzanFeatureNames[i].size());
  m.attr("FEATURE_NAMES") = names;
  m.def("gtzan_features", &gtzan_features_py, "y"_a, "sr"_a = kGtzanSampleRate, py::kw_only(),
        "segments"_a = py::none(), "as_array"_a = false,
        R"(The 57 GTZAN features of mono audio y at 22050 Hz, as librosa 0.8.1 computes the Kaggle
features_30_sec.csv row: a dict {name: value} in FEATURE_NAMES order, or with as_array=True a
float64 array of shape (57,).

segments=3 gives the rows of features_3_sec.csv instead: segment d is y[d*66150 : d*66150 + 66149]
for as many whole segments as fit, as a list of dicts or a (n_segments, 57) array.

Raises ValueError for empty audio, non-finite samples, another sample rate, or audio shorter
than one segment.)");
}

}  // namespace sonotype::python
