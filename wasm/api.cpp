// The JavaScript API of the WebAssembly module (declared in sonotype.d.ts): a model held by the
// module, and four calls that take and return typed arrays and plain objects. No C++ class is
// exposed, so JavaScript never has to delete() anything and results can be posted between threads.
//
// Errors: every C++ exception becomes a JavaScript Error carrying what() unchanged, so the page
// can show "model blob: bad checksum ..." exactly as the core words it.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/classify.h"
#include "core/gtzan.h"
#include "core/model/model.h"

namespace {

using emscripten::val;
using sonotype::GenreModel;

std::optional<GenreModel> model;  // the model in use; replaced only by a blob that loads

const GenreModel& current_model() {
  if (!model) throw std::logic_error("no model loaded: call loadModel() with a .sono blob first");
  return *model;
}

// Runs `body`; a C++ exception leaves as a JavaScript Error with the same message. The Error is
// made inside the handler and thrown after it, when no C++ object is left to destroy.
template <typename Body>
val translating_exceptions(Body&& body) {
  val error = val::undefined();
  try {
    return body();
  } catch (const std::exception& e) {
    error = val::global("Error").new_(std::string(e.what()));
  }
  error.throw_();
}

// A copy of `values` as a JavaScript Float64Array (a view into the module's memory would change
// under the caller when the memory grows).
template <typename Range>
val float64_array(const Range& values) {
  const std::span<const double> span(values.data(), values.size());
  return val::global("Float64Array").new_(val(emscripten::typed_memory_view(span.size(), span.data())));
}

val string_array(const auto& strings) {
  val array = val::array();
  for (const auto& s : strings) array.call<void>("push", std::string(s));
  return array;
}

std::size_t argmax(const std::vector<double>& values) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i] > values[best]) best = i;
  return best;
}

// Sets proba, top and label on `target`.
void set_probabilities(val& target, const std::vector<double>& proba) {
  const std::size_t top = argmax(proba);
  target.set("proba", float64_array(proba));
  target.set("top", static_cast<double>(top));
  target.set("label", current_model().labels()[top]);
}

// {knn: Float64Array, svm: ..., mlp: ...} from the base estimators' probabilities; `sums` may add
// up several predictions (then each is divided by `count`).
val base_object(const std::vector<sonotype::BaseProbabilities>& sums, double count) {
  val base = val::object();
  for (const auto& estimator : sums) {
    std::vector<double> mean = estimator.proba;
    for (double& p : mean) p /= count;
    base.set(estimator.name, float64_array(mean));
  }
  return base;
}

val prediction_object(const sonotype::Prediction& prediction) {
  val out = val::object();
  set_probabilities(out, prediction.proba);
  out.set("base", base_object(prediction.base, 1.0));
  return out;
}

// --- the calls ---------------------------------------------------------------------------------

val load_model(const val& bytes) {
  return translating_exceptions([&] {
    const std::vector<std::uint8_t> blob = emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
    model.emplace(GenreModel::from_bytes(blob));  // throws before touching the model in use
    const auto& pipeline = model->pipeline();
    val p = val::object();
    p.set("sampleRate", pipeline.sample_rate);
    p.set("nFft", pipeline.n_fft);
    p.set("hopLength", pipeline.hop_length);
    p.set("windowSeconds", pipeline.window_seconds);
    val info = val::object();
    info.set("labels", string_array(model->labels()));
    info.set("featureNames", string_array(sonotype::kGtzanFeatureNames));
    info.set("pipeline", p);
    return info;
  });
}

val analyse(const val& samples) {
  return translating_exceptions([&] {
    const double started = emscripten_get_now();
    const GenreModel& genre_model = current_model();
    const std::vector<float> y = emscripten::convertJSArrayToNumberVector<float>(samples);
    const sonotype::SongResult song = sonotype::classify_song(genre_model, y);

    val windows = val::array();
    std::vector<sonotype::BaseProbabilities> base_sums = song.windows.front().prediction.base;
    for (auto& b : base_sums) b.proba.assign(b.proba.size(), 0.0);
    for (const auto& w : song.windows) {
      val window = val::object();
      window.set("start", w.start_s);
      window.set("end", w.end_s);
      set_probabilities(window, w.prediction.proba);
      window.set("features", float64_array(w.features));
      windows.call<void>("push", window);
      for (std::size_t i = 0; i < base_sums.size(); ++i)
        for (std::size_t c = 0; c < base_sums[i].proba.size(); ++c) base_sums[i].proba[c] += w.prediction.base[i].proba[c];
    }

    const double total = emscripten_get_now() - started;
    const sonotype::FeatureTimings& t = song.timings;
    val timings = val::object();
    timings.set("features", t.total);
    timings.set("classify", total - t.total);  // the ensemble, plus copying the samples in
    timings.set("total", total);
    timings.set("stft", t.stft);
    timings.set("spectral", t.spectral);
    timings.set("chroma", t.chroma);
    timings.set("mfcc", t.mfcc);
    timings.set("hpss", t.hpss);
    timings.set("tempo", t.tempo);

    val out = val::object();
    set_probabilities(out, song.proba);
    out.set("base", base_object(base_sums, static_cast<double>(song.windows.size())));
    out.set("windows", windows);
    out.set("features", float64_array(song.windows.front().features));
    out.set("timings", timings);
    return out;
  });
}

val classify_features(const val& features) {
  return translating_exceptions([&] {
    const GenreModel& genre_model = current_model();
    const std::vector<double> values = emscripten::convertJSArrayToNumberVector<double>(features);
    if (values.size() != sonotype::kNumGtzanFeatures)
      throw std::invalid_argument("classifyFeatures: expected " + std::to_string(sonotype::kNumGtzanFeatures) +
                                  " features, got " + std::to_string(values.size()));
    sonotype::FeatureVector raw;
    std::copy(values.begin(), values.end(), raw.begin());
    return prediction_object(genre_model.predict(raw));
  });
}

// Where analyse() puts its windows in a song of `length` samples, under the model in use:
// [{begin, end}] sample ranges (core/classify.h song_windows). A caller with several module
// instances can analyse each range on its own and average the results as analyse() does.
val song_windows(double length) {
  return translating_exceptions([&] {
    const GenreModel& genre_model = current_model();
    if (!(length >= 0 && length <= 1e10 && length == std::floor(length)))
      throw std::invalid_argument("songWindows: length must be a sample count");
    val ranges = val::array();
    for (const sonotype::SampleRange& r : sonotype::song_windows(genre_model, static_cast<std::size_t>(length))) {
      val range = val::object();
      range.set("begin", static_cast<double>(r.begin));
      range.set("end", static_cast<double>(r.end));
      ranges.call<void>("push", range);
    }
    return ranges;
  });
}

std::string version() { return SONOTYPE_VERSION; }

}  // namespace

EMSCRIPTEN_BINDINGS(sonotype) {
  emscripten::function("version", &version);
  emscripten::function("loadModel", &load_model);
  emscripten::function("songWindows", &song_windows);
  emscripten::function("analyse", &analyse);
  emscripten::function("classifyFeatures", &classify_features);
}
