// The JavaScript API of the WebAssembly module (declared in sonotype.d.ts): a model held by the
// module, and a handful of calls that take and return typed arrays and plain objects. No C++
// class is exposed, so JavaScript never has to delete() anything and results can be posted
// between threads. analyse() does a whole song in one call; songWindows(), features() and
// classifySong() are the same work in three steps, so that several workers can share a song.
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
#include <utility>
#include <vector>

#include "core/audio.h"
#include "core/classify.h"
#include "core/gtzan.h"
#include "core/io/flac_memory.h"
#include "core/model/model.h"
#include "core/model/personal_blob.h"
#include "core/model/train.h"
#include "core/similar.h"

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
  } catch (...) {
    error = val::global("Error").new_(std::string("unexpected error inside the module"));
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

// {logistic: Float64Array, kw_logistic: ..., ...}: each top-level vote or stack member's probabilities.
val base_object(const std::vector<sonotype::BaseProbabilities>& base) {
  val out = val::object();
  for (const auto& estimator : base) out.set(estimator.name, float64_array(estimator.proba));
  return out;
}

// The Novelty object of sonotype.d.ts, or null when the model has no novelty entries.
val novelty_object(const std::optional<sonotype::model::NoveltyScore>& novelty) {
  if (!novelty) return val::null();
  val out = val::object();
  out.set("score", novelty->score);
  out.set("threshold", novelty->threshold);
  out.set("novel", novelty->novel());
  return out;
}

val prediction_object(const sonotype::Prediction& prediction) {
  val out = val::object();
  set_probabilities(out, prediction.proba);
  out.set("base", base_object(prediction.base));
  out.set("novelty", novelty_object(prediction.novelty));
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

// The per-stage fields of FeatureTimings, by their JavaScript names.
using sonotype::FeatureTimings;
constexpr std::pair<const char*, double FeatureTimings::*> kTimingFields[] = {
    {"stft", &FeatureTimings::stft}, {"spectral", &FeatureTimings::spectral}, {"chroma", &FeatureTimings::chroma},
    {"mfcc", &FeatureTimings::mfcc}, {"hpss", &FeatureTimings::hpss},         {"tempo", &FeatureTimings::tempo},
    {"total", &FeatureTimings::total}};

val timings_object(const FeatureTimings& t) {
  val out = val::object();
  for (const auto& [name, field] : kTimingFields) out.set(name, t.*field);
  return out;
}

// Timings that JavaScript passed back (features() gave them); missing fields count as 0.
FeatureTimings timings_from(const val& t) {
  FeatureTimings out;
  if (!t.isUndefined() && !t.isNull())
    for (const auto& [name, field] : kTimingFields)
      if (t[name].isNumber()) out.*field = t[name].as<double>();
  return out;
}

// `what` names the features for the message: "window 3", "the input".
sonotype::FeatureVector feature_vector(const val& features, const std::string& what) {
  const std::vector<double> values = emscripten::convertJSArrayToNumberVector<double>(features);
  if (values.size() != sonotype::kNumGtzanFeatures)
    throw std::invalid_argument(what + ": expected " + std::to_string(sonotype::kNumGtzanFeatures) + " features, got " +
                                std::to_string(values.size()));
  sonotype::FeatureVector raw;
  std::copy(values.begin(), values.end(), raw.begin());
  return raw;
}

// The Analysis object of sonotype.d.ts. classify_ms: time spent predicting and combining.
val song_object(const sonotype::SongResult& song, double classify_ms) {
  val windows = val::array();
  for (const auto& w : song.windows) {
    val window = val::object();
    window.set("start", w.start_s);
    window.set("end", w.end_s);
    window.set("silent", w.silent);
    set_probabilities(window, w.prediction.proba);
    window.set("novelty", novelty_object(w.prediction.novelty));
    window.set("features", float64_array(w.features));
    windows.call<void>("push", window);
  }
  val timings = timings_object(song.timings);
  timings.set("features", song.timings.total);
  timings.set("classify", classify_ms);
  timings.set("total", song.timings.total + classify_ms);

  val out = val::object();
  set_probabilities(out, song.proba);
  out.set("base", base_object(song.base));
  out.set("windows", windows);
  out.set("novelty", novelty_object(song.novelty));
  out.set("features", float64_array(song.windows.front().features));
  out.set("timings", timings);
  return out;
}

val analyse(const val& samples) {
  return translating_exceptions([&] {
    const GenreModel& genre_model = current_model();
    const std::vector<float> y = emscripten::convertJSArrayToNumberVector<float>(samples);
    const double started = emscripten_get_now();
    const sonotype::SongResult song = sonotype::classify_song(genre_model, y);
    return song_object(song, emscripten_get_now() - started - song.timings.total);
  });
}

// The largest sample position JavaScript may pass: a Float32Array in a 2-GB module holds fewer
// than 2^29 samples, and this bound keeps the 32-bit size_t arithmetic exact.
constexpr double kMaxSamples = double(1 << 30);

// Where analyse() puts its windows in a song of `length` samples: [{begin, end}].
val song_windows(double length) {
  return translating_exceptions([&] {
    const GenreModel& genre_model = current_model();
    if (!(length >= 0 && length <= kMaxSamples && length == std::floor(length)))
      throw std::invalid_argument("the length must be a whole number of samples below 2^30");
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

// The 57 features of one window's samples: {features, timings}. Needs no model.
val features(const val& samples) {
  return translating_exceptions([&] {
    const std::vector<float> y = emscripten::convertJSArrayToNumberVector<float>(samples);
    sonotype::FeatureTimings t;
    const sonotype::FeatureVector f = sonotype::gtzan_features(y, &t);
    val out = val::object();
    out.set("features", float64_array(f));
    out.set("timings", timings_object(t));
    return out;
  });
}

// The song's Analysis from its windows' features: [{begin, end, features, timings?}] in song
// order, as songWindows() and features() give them.
val classify_song(const val& windows) {
  return translating_exceptions([&] {
    const GenreModel& genre_model = current_model();
    const double started = emscripten_get_now();
    std::vector<sonotype::WindowResult> results;
    const auto count = windows["length"].as<std::size_t>();
    for (std::size_t i = 0; i < count; ++i) {
      const val w = windows[i];
      const double begin = w["begin"].as<double>(), end = w["end"].as<double>();
      if (!(begin >= 0 && end > begin && end <= kMaxSamples))
        throw std::invalid_argument("window " + std::to_string(i) + " has no valid begin and end");
      const sonotype::SampleRange range{static_cast<std::size_t>(begin), static_cast<std::size_t>(end)};
      const sonotype::FeatureVector features = feature_vector(w["features"], "window " + std::to_string(i));
      results.push_back(sonotype::window_result(genre_model, range, features, timings_from(w["timings"])));
    }
    const sonotype::SongResult song = sonotype::combine_windows(std::move(results));
    return song_object(song, emscripten_get_now() - started);
  });
}

val classify_features(const val& features) {
  return translating_exceptions([&] {
    return prediction_object(current_model().predict(feature_vector(features, "the input")));
  });
}

// "More like this" (core/similar.h): the `n` songs of `collection` nearest to collection[query],
// nearest first, as [{index, distance, similarity}]. Song i is collection[i]: the raw features of
// all its windows (Analysis.windows[].features) one after another, 57 per window; song_point
// leaves the silent ones out.
val similar(const val& collection, double query, double n) {
  return translating_exceptions([&] {
    const GenreModel& genre_model = current_model();
    const auto count = collection["length"].as<std::size_t>();
    if (!(query >= 0 && query < double(count) && query == std::floor(query)))
      throw std::invalid_argument("similar: query must be the index of a song in the collection");
    if (!(n >= 0 && n == std::floor(n))) throw std::invalid_argument("similar: n must be a whole number");
    std::vector<std::vector<double>> points;
    for (std::size_t i = 0; i < count; ++i) {
      const std::vector<double> values = emscripten::convertJSArrayToNumberVector<double>(collection[i]);
      if (values.empty() || values.size() % sonotype::kNumGtzanFeatures != 0)
        throw std::invalid_argument("similar: song " + std::to_string(i) + " has " + std::to_string(values.size()) +
                                    " values, not 57 per window");
      std::vector<sonotype::FeatureVector> windows(values.size() / sonotype::kNumGtzanFeatures);
      for (std::size_t w = 0; w < windows.size(); ++w)
        std::copy_n(values.begin() + std::ptrdiff_t(w * sonotype::kNumGtzanFeatures), sonotype::kNumGtzanFeatures,
                    windows[w].begin());
      points.push_back(sonotype::song_point(genre_model, windows));
    }
    const auto q = static_cast<std::size_t>(query);
    val out = val::array();
    for (const sonotype::Neighbour& near : sonotype::nearest_songs(points[q], points, static_cast<std::size_t>(std::min(n, 1e9)), q)) {
      val song = val::object();
      song.set("index", static_cast<double>(near.index));
      song.set("distance", near.distance);
      song.set("similarity", near.similarity);
      out.call<void>("push", song);
    }
    return out;
  });
}

// librosa.resample(samples, from, to) with resampy's kaiser_best filter, as librosa.load applies
// it: the same core/audio code as the command line, so a file decoded at its own rate gives the
// CLI's samples.
val resample(const val& samples, double from, double to) {
  return translating_exceptions([&] {
    for (const double rate : {from, to})
      if (!(rate >= 1 && rate <= 1e6 && rate == std::floor(rate)))
        throw std::invalid_argument("resample: sample rates must be whole numbers of Hz from 1 to 1000000");
    const std::vector<float> y = emscripten::convertJSArrayToNumberVector<float>(samples);
    const std::vector<float> out = sonotype::resample(y, static_cast<int>(from), static_cast<int>(to));
    return val::global("Float32Array").new_(val(emscripten::typed_memory_view(out.size(), out.data())));
  });
}

// The bytes of an audio file the module reads itself (FLAC, core/io/flac_memory.h), as
// {samples: mono Float32Array at the file's rate, sampleRate}: libsndfile's samples, which
// resample() then brings to the model's rate as the command line does. Outside a browser
// window no other decoder exists, so this one call is added to the handful.
val decode_audio(const val& bytes) {
  return translating_exceptions([&] {
    const std::vector<std::uint8_t> file = emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
    const sonotype::MonoAudio audio = sonotype::decode_flac(file);
    val out = val::object();
    out.set("samples", val::global("Float32Array").new_(val(emscripten::typed_memory_view(audio.samples.size(), audio.samples.data()))));
    out.set("sampleRate", audio.sample_rate);
    return out;
  });
}

// A personal model from labelled feature vectors (core/model/train.h): the .sono blob, which
// loadModel() then reads, and the training report. Does not change the model in use.
val train(const val& features, const val& genres, const val& songs) {
  return translating_exceptions([&] {
    const double started = emscripten_get_now();
    namespace m = sonotype::model;
    m::TrainingSet set;
    set.genres = emscripten::vecFromJSArray<std::string>(genres);
    set.songs = emscripten::vecFromJSArray<std::string>(songs);
    const std::vector<double> values = emscripten::convertJSArrayToNumberVector<double>(features);
    const std::size_t n = set.genres.size(), d = sonotype::kNumGtzanFeatures;
    if (set.songs.size() != n || values.size() != n * d)
      throw std::invalid_argument("train: expected " + std::to_string(n) + " song names and " + std::to_string(n) + " x " +
                                  std::to_string(d) + " features for " + std::to_string(n) + " genres, got " +
                                  std::to_string(set.songs.size()) + " names and " + std::to_string(values.size()) + " features");
    set.features = Eigen::Map<const m::RowMatrix>(values.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
    m::TrainOptions options;
    const m::TrainedModel trained = m::train_genre_model(set, options);
    const std::vector<std::uint8_t> blob = m::personal_model_blob(trained, {m::utc_now(), SONOTYPE_VERSION});

    const m::TrainReport& r = trained.report;
    const auto candidate = [](const m::Candidate& c) {
      val out = val::object();
      out.set("model", m::describe(c));
      out.set("kind", std::string(m::kind_name(c.kind)));
      out.set("C", c.C);
      out.set("k", c.k);
      out.set("accuracy", c.cv_accuracy);
      return out;
    };
    val tried = val::array(), confusion = val::array(), counts = val::array(), predicted = val::array();
    for (const auto& c : r.tried) tried.call<void>("push", candidate(c));
    for (Eigen::Index t = 0; t < r.confusion.rows(); ++t) {
      val row = val::array();
      for (Eigen::Index p = 0; p < r.confusion.cols(); ++p) row.call<void>("push", r.confusion(t, p));
      confusion.call<void>("push", row);
    }
    for (const int c : r.songs_per_genre) counts.call<void>("push", c);
    for (const int p : r.cv_predicted) predicted.call<void>("push", p);
    val report = val::object();
    report.set("labels", string_array(r.labels));
    report.set("songsPerGenre", counts);
    report.set("cvScheme", r.cv_scheme);
    report.set("tried", tried);
    report.set("chosen", candidate(r.chosen));
    report.set("confusion", confusion);
    report.set("cvPredicted", predicted);
    report.set("cvConfidence", float64_array(r.cv_confidence));
    report.set("trainMs", emscripten_get_now() - started);
    val out = val::object();
    out.set("blob", val::global("Uint8Array").new_(val(emscripten::typed_memory_view(blob.size(), blob.data()))));
    out.set("report", report);
    return out;
  });
}

std::string version() { return SONOTYPE_VERSION; }

}  // namespace

EMSCRIPTEN_BINDINGS(sonotype) {
  emscripten::function("version", &version);
  emscripten::function("loadModel", &load_model);
  emscripten::function("resample", &resample);
  emscripten::function("decodeAudio", &decode_audio);
  emscripten::function("analyse", &analyse);
  emscripten::function("songWindows", &song_windows);
  emscripten::function("features", &features);
  emscripten::function("classifySong", &classify_song);
  emscripten::function("classifyFeatures", &classify_features);
  emscripten::function("similar", &similar);
  emscripten::function("train", &train);
}
