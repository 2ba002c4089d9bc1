// sonotype.Model: a .sono genre model, classifying songs as `sonotype classify` does.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>  // paths as str or os.PathLike

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/classify.h"
#include "core/model/model.h"
#include "tools/cli/file_bytes.h"
#include "tools/python/bindings.h"
#include "tools/python/numpy_bridge.h"

namespace sonotype::python {
namespace {

namespace fs = std::filesystem;

// A path to a .sono file, or the name of one in the source tree's models/ (SONOTYPE_MODELS_DIR):
// "gtzan" is models/gtzan.sono, the default model.
fs::path model_path(const fs::path& given) {
  std::error_code error;
  if (fs::exists(given, error) || given.has_parent_path() || given.extension() == ".sono") return given;
  return fs::path(SONOTYPE_MODELS_DIR) / (given.string() + ".sono");
}

py::dict distribution(const std::vector<std::string>& labels, const std::vector<double>& proba) {
  py::dict out;
  for (std::size_t c = 0; c < labels.size(); ++c) out[py::str(labels[c])] = proba[c];
  return out;
}

std::size_t argmax(const std::vector<double>& v) {
  return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

class Model {
 public:
  explicit Model(const fs::path& path_or_name) : path_(model_path(path_or_name).string()), blob_(read(path_)), model_(parse(path_, blob_)) {}
  Model(std::string path, std::vector<std::uint8_t> blob) : path_(std::move(path)), blob_(std::move(blob)), model_(parse(path_, blob_)) {}

  const std::string& path() const { return path_; }
  const std::vector<std::uint8_t>& blob() const { return blob_; }
  const GenreModel& genre_model() const { return model_; }

  // The song's result as `sonotype classify --json` reports a file (without the timings).
  py::dict classify(const AudioArray& y, int sr) const {
    const auto audio = samples(y);
    const int rate = model_.pipeline().sample_rate;
    if (sr != rate)
      throw py::value_error("this model needs audio at " + std::to_string(rate) + " Hz, not " + std::to_string(sr) +
                            " Hz (sonotype.load(path, sr=" + std::to_string(rate) + ") resamples)");
    SongResult song;
    {
      py::gil_scoped_release release;
      song = classify_song(model_, audio);
    }
    const auto& labels = model_.labels();
    py::list windows;
    for (const WindowResult& w : song.windows) {
      py::dict base, features;
      for (const BaseProbabilities& b : w.prediction.base) base[py::str(b.name)] = distribution(labels, b.proba);
      for (std::size_t i = 0; i < w.features.size(); ++i)
        features[py::str(kGtzanFeatureNames[i].data(), kGtzanFeatureNames[i].size())] = w.features[i];
      py::dict window;
      window["start_s"] = w.start_s;
      window["end_s"] = w.end_s;
      window["genre"] = labels[argmax(w.prediction.proba)];
      window["silent"] = w.silent;
      window["proba"] = distribution(labels, w.prediction.proba);
      window["base"] = base;
      window["features"] = features;
      windows.append(window);
    }
    py::dict result;
    result["genre"] = labels[song.top];
    result["probability"] = song.proba[song.top];
    result["proba"] = distribution(labels, song.proba);
    if (song.novelty) {  // as the command line's JSON: {score, threshold, novel}, or None
      py::dict novelty;
      novelty["score"] = song.novelty->score;
      novelty["threshold"] = song.novelty->threshold;
      novelty["novel"] = song.novelty->novel();
      result["novelty"] = novelty;
    } else {
      result["novelty"] = py::none();
    }
    result["windows"] = windows;
    return result;
  }

 private:
  // As `sonotype classify --model PATH` reports a model it cannot use: "model PATH: why".
  static std::vector<std::uint8_t> read(const std::string& path) {
    try {
      return cli::read_file_bytes(path);
    } catch (const std::runtime_error& e) {
      throw py::value_error("model " + path + ": " + e.what());
    }
  }
  static GenreModel parse(const std::string& path, const std::vector<std::uint8_t>& blob) {
    try {
      return GenreModel::from_bytes(blob);
    } catch (const ModelError& e) {
      throw py::value_error("model " + path + ": " + e.what());
    }
  }

  std::string path_;
  std::vector<std::uint8_t> blob_;  // kept for pickling: a model travels to Dask workers whole
  GenreModel model_;
};

}  // namespace

void add_model(py::module_& m) {
  using namespace pybind11::literals;
  py::class_<Model>(m, "Model", "A genre model (.sono blob), as `sonotype classify --model` uses it.")
      .def(py::init<const fs::path&>(), "path_or_name"_a = "gtzan",
           "A .sono file, or the name of a model in models/ ('gtzan', the default). Raises ValueError\n"
           "for a missing or broken model.")
      .def_property_readonly("labels", [](const Model& self) { return self.genre_model().labels(); },
                             "The genres, in the order of every probability")
      .def_property_readonly("path", &Model::path)
      .def_property_readonly("sample_rate", [](const Model& self) { return self.genre_model().pipeline().sample_rate; })
      .def_property_readonly("window_seconds",
                             [](const Model& self) { return self.genre_model().pipeline().window_seconds; },
                             "Length of the training clips: longer songs are classified in windows of this length")
      .def("classify", &Model::classify, "y"_a, "sr"_a = kGtzanSampleRate,
           R"(The genre of mono audio y at the model's rate, as `sonotype classify` finds it: the song's
windows (as long as the training clips) classified and their probabilities averaged, silent ones
left out. Returns {"genre", "probability", "proba": {genre: p}, "novelty": {"score", "threshold",
"novel"} (None for a model without novelty entries; novel: it does not sound like the music the
model was trained on), "windows": [{"start_s", "end_s", "genre", "silent", "proba", "base":
{estimator: {genre: p}}, "features": {name: value}}]}.
Raises ValueError, with the command line's message, for audio under 3 s, non-finite samples or
silence throughout.)")
      // Pickled as its blob, so that workers on other machines need no copy of the file.
      .def(py::pickle(
          [](const Model& self) {
            return py::make_tuple(self.path(), py::bytes(reinterpret_cast<const char*>(self.blob().data()), self.blob().size()));
          },
          [](const py::tuple& state) {
            const std::string blob = state[1].cast<std::string>();
            return Model(state[0].cast<std::string>(), std::vector<std::uint8_t>(blob.begin(), blob.end()));
          }))
      .def("__repr__", [](const Model& self) { return "sonotype.Model('" + self.path() + "')"; });
}

}  // namespace sonotype::python
