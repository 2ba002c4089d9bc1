// `sonotype classify [--model FILE|NAME] [--format text|json|csv] [--playlists DIR] [--jobs N] PATH...`:
// the genre of each audio file, and of each audio file in each folder named (recursively,
// audio_inputs.h), with the whole probability distribution: a table (text), one JSON document
// that also holds every window's features, base-estimator probabilities and timings (json, or
// --json), or one CSV row per file (csv). A file that cannot be classified is reported by name
// in its place and the others are still done; the exit status is then 1.
//
// Without --model the model is models/gtzan.sono of the source tree the executable was built
// in: it is looked for in models/ of the executable's directory and its ancestors (a build tree
// inside the source tree: build/NAME/sonotype -> ../../models), then in ./models. --model NAME
// (no "/", no .sono, not a file) is the file models/index.json gives that name, else
// models/NAME.sono, looked for the same way.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/classify.h"
#include "core/io/audio_file.h"
#include "core/model/model.h"
#include "tools/cli/audio_inputs.h"
#include "tools/cli/commands.h"
#include "tools/cli/csv.h"
#include "tools/cli/file_bytes.h"
#include "tools/cli/in_order.h"
#include "tools/cli/playlists.h"
#include "tools/cli/progress.h"

namespace sonotype::cli {
namespace {

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

constexpr const char* kDefaultModel = "models/gtzan.sono";
constexpr int kAncestorsSearched = 4;
constexpr int kBarWidth = 40;

struct ClassifyOptions {
  std::string model;
  std::string format = "text";
  bool json = false;  // --json: the same as --format json
  std::string playlists;
  unsigned jobs = 1;
  std::vector<std::string> files;
};

struct Outcome {
  std::string file;
  std::optional<SongResult> song;  // absent when the file failed
  std::string error;
  double seconds = 0;  // the audio's length
};

// `relative` (models/NAME.sono) under the executable's directory and its ancestors, then under
// the working directory.
fs::path find_model(const std::string& relative, const std::string& why) {
  std::vector<fs::path> candidates;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    fs::path dir = exe.parent_path();
    for (int i = 0; i < kAncestorsSearched && !dir.empty(); ++i, dir = dir.parent_path()) {
      candidates.push_back(dir / relative);
      if (dir == dir.root_path()) break;
    }
  }
  candidates.push_back(fs::current_path(error) / relative);
  std::string searched;
  for (const fs::path& candidate : candidates) {
    if (fs::is_regular_file(candidate, error)) return candidate;
    searched += "\n  " + candidate.string();
  }
  throw std::runtime_error(why + " and no " + relative + " found; looked at:" + searched + "\n(tools/build-model.sh builds it)");
}

// --model: a path to a .sono file, or a model's name: its file in models/index.json (the default
// recipe's is gtzan.sono), else models/NAME.sono.
fs::path model_path_of(const std::string& model) {
  if (model.empty()) return find_model(kDefaultModel, "no --model given");
  std::error_code error;
  const bool name = model.find('/') == std::string::npos && fs::path(model).extension() != ".sono";
  if (!name || fs::exists(model, error)) return model;
  const fs::path index = find_model("models/index.json", "--model " + model + " is not a file");
  std::ifstream in(index);
  const nlohmann::json listed = nlohmann::json::parse(in, nullptr, false);
  if (listed.is_object() && listed.contains("models") && listed["models"].is_array())
    for (const auto& entry : listed["models"])
      if (entry.value("name", "") == model && entry.contains("file") && entry["file"].is_string())
        return find_model("models/" + entry["file"].get<std::string>(), "--model " + model + " is listed in " + index.string());
  return find_model("models/" + model + ".sono", "--model " + model + " is not a file");
}

ordered_json distribution(const std::vector<std::string>& labels, const std::vector<double>& proba) {
  ordered_json out = ordered_json::object();
  for (std::size_t c = 0; c < labels.size(); ++c) out[labels[c]] = proba[c];
  return out;
}

ordered_json timings_json(const FeatureTimings& t) {
  return {{"stft", t.stft},   {"spectral", t.spectral}, {"chroma", t.chroma}, {"mfcc", t.mfcc},
          {"hpss", t.hpss},   {"tempo", t.tempo},       {"total", t.total}};
}

// What a song or window beyond the novelty threshold is called, in the text and the JSON.
constexpr const char* kNovelMessage = "this does not sound like the music the model was trained on";

// {score, threshold, novel}, or null when the model has no novelty entries.
ordered_json novelty_json(const std::optional<model::NoveltyScore>& novelty) {
  if (!novelty) return nullptr;
  return {{"score", novelty->score}, {"threshold", novelty->threshold}, {"novel", novelty->novel()}};
}

std::size_t argmax(const std::vector<double>& v) {
  return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

ordered_json outcome_json(const GenreModel& model, const Outcome& outcome) {
  const auto& labels = model.labels();
  if (!outcome.song) return {{"file", outcome.file}, {"ok", false}, {"error", outcome.error}};
  const SongResult& song = *outcome.song;
  ordered_json windows = ordered_json::array();
  for (const WindowResult& w : song.windows) {
    ordered_json base = ordered_json::object(), features = ordered_json::object();
    for (const BaseProbabilities& b : w.prediction.base) base[b.name] = distribution(labels, b.proba);
    for (std::size_t i = 0; i < w.features.size(); ++i) features[std::string(kGtzanFeatureNames[i])] = w.features[i];
    windows.push_back({{"start_s", w.start_s},
                       {"end_s", w.end_s},
                       {"genre", labels[argmax(w.prediction.proba)]},
                       {"silent", w.silent},
                       {"novelty", novelty_json(w.prediction.novelty)},
                       {"proba", distribution(labels, w.prediction.proba)},
                       {"base", base},
                       {"features", features},
                       {"timings_ms", timings_json(w.timings)}});
  }
  return {{"file", outcome.file},
          {"ok", true},
          {"genre", labels[song.top]},
          {"probability", song.proba[song.top]},
          {"proba", distribution(labels, song.proba)},
          {"novelty", novelty_json(song.novelty)},
          {"note", song.novelty && song.novelty->novel() ? ordered_json(kNovelMessage) : ordered_json(nullptr)},
          {"windows", windows},
          {"timings_ms", timings_json(song.timings)}};
}

std::vector<std::string> csv_header(const GenreModel& model) {
  std::vector<std::string> header{"path", "genre", "probability", "second_genre"};
  for (const std::string& label : model.labels()) header.push_back(label);
  header.insert(header.end(), {"error", "novelty", "novel"});
  return header;
}

// path, genre, its probability, the second most probable genre, every genre's probability, the
// error (empty when the file was classified; the other cells are empty when it was not), then
// the novelty score and whether it is beyond the model's threshold ("true": the genres are a
// guess; both empty when the model has no novelty entries).
std::vector<std::string> csv_row(const GenreModel& model, const Outcome& outcome) {
  const auto& labels = model.labels();
  std::vector<std::string> row{outcome.file};
  if (!outcome.song) {
    row.resize(4 + labels.size());
    row.insert(row.end(), {outcome.error, "", ""});
    return row;
  }
  const std::vector<double>& proba = outcome.song->proba;
  std::size_t second = outcome.song->top == 0 ? 1 : 0;
  for (std::size_t c = 0; c < proba.size(); ++c)
    if (c != outcome.song->top && proba[c] > proba[second]) second = c;
  const auto number = [](double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6f", x);
    return std::string(text);
  };
  row.insert(row.end(), {labels[outcome.song->top], number(proba[outcome.song->top]), labels[second]});
  for (const double p : proba) row.push_back(number(p));
  row.emplace_back();
  const auto& novelty = outcome.song->novelty;
  row.push_back(novelty ? number(novelty->score) : "");
  row.push_back(novelty ? (novelty->novel() ? "true" : "false") : "");
  return row;
}

// "FILE: genre (p)", the distribution from most to least probable with bars, then the windows.
void print_outcome(const GenreModel& model, const Outcome& outcome) {
  if (!outcome.song) return;  // reported on stderr as it happened
  const auto& labels = model.labels();
  const SongResult& song = *outcome.song;
  std::printf("%s: %s (%.3f)\n", outcome.file.c_str(), labels[song.top].c_str(), song.proba[song.top]);
  if (song.novelty && song.novelty->novel())
    std::printf("  %s (novelty %.2f, above %.2f): the genres below are a guess\n", kNovelMessage, song.novelty->score,
                song.novelty->threshold);
  std::vector<std::size_t> order(labels.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return song.proba[a] > song.proba[b]; });
  for (const std::size_t c : order)
    std::printf("  %-12s %.3f %s\n", labels[c].c_str(), song.proba[c],
                std::string(static_cast<std::size_t>(song.proba[c] * kBarWidth + 0.5), '#').c_str());
  if (song.windows.size() > 1)
    for (const WindowResult& w : song.windows) {
      if (w.silent) {
        std::printf("  window %7.1f-%7.1f s: silence (left out)\n", w.start_s, w.end_s);
        continue;
      }
      const std::size_t top = argmax(w.prediction.proba);
      const bool novel = w.prediction.novelty && w.prediction.novelty->novel();
      std::printf("  window %7.1f-%7.1f s: %s (%.3f)%s\n", w.start_s, w.end_s, labels[top].c_str(), w.prediction.proba[top],
                  novel ? ", unlike the training music" : "");
    }
}

void run_classify(const ClassifyOptions& options) {
  std::string model_path;
  const GenreModel model = load_cli_model(options.model, "classify", model_path);
  const std::string format = options.json ? "json" : options.format;

  const AudioInputs found = collect_audio_inputs(options.files);
  const std::vector<AudioInput>& inputs = found.inputs;
  if (found.skipped) std::fprintf(stderr, "sonotype classify: %zu files skipped: not audio\n", found.skipped);

  // Files are decoded and classified on options.jobs threads and reported in the order listed.
  const auto classify_file = [&](std::size_t i) {
    Outcome outcome{inputs[i].path, std::nullopt, inputs[i].error};
    if (!outcome.error.empty()) return outcome;
    try {
      const std::vector<float> audio = load_audio(outcome.file, model.pipeline().sample_rate);
      outcome.seconds = double(audio.size()) / model.pipeline().sample_rate;
      outcome.song = classify_song(model, audio);
    } catch (const AudioError& e) {  // its message names the file
      outcome.error = e.what();
    } catch (const std::exception& e) {  // audio that classify_song or the model refuses
      outcome.error = outcome.file + ": " + e.what();
    } catch (...) {
      outcome.error = outcome.file + ": could not be classified (unknown error)";
    }
    return outcome;
  };
  ordered_json files = ordered_json::array();
  std::vector<PlaylistSong> listed;
  bool any_failed = false;
  if (format == "csv") std::fputs(csv_line(csv_header(model)).c_str(), stdout);
  Progress progress(inputs.size());
  for_each_in_order(inputs.size(), options.jobs, classify_file, [&](std::size_t i, const Outcome& outcome) {
    if (!outcome.song) {
      any_failed = true;
      progress.message("sonotype classify: " + outcome.error);
    } else {
      listed.push_back({outcome.file, outcome.seconds, outcome.song->top});
    }
    if (format == "json") {
      files.push_back(outcome_json(model, outcome));
    } else {
      if (format == "csv") std::fputs(csv_line(csv_row(model, outcome)).c_str(), stdout);
      else print_outcome(model, outcome);
      std::fflush(stdout);
    }
    progress.update(i + 1);
  });
  progress.finish();
  if (format == "json")
    std::puts(ordered_json{{"model", model_path}, {"labels", model.labels()}, {"files", files}}.dump(2).c_str());
  if (!options.playlists.empty()) {
    for (const std::string& problem : write_playlists(options.playlists, model.labels(), listed)) {
      std::fprintf(stderr, "sonotype classify: %s\n", problem.c_str());
      any_failed = true;
    }
  }
  if (any_failed) throw CLI::RuntimeError(1);
}

}  // namespace

GenreModel load_cli_model(const std::string& option, const char* command, std::string& model_path) {
  model_path = option;
  try {
    model_path = model_path_of(option).string();
    return GenreModel::from_bytes(read_file_bytes(model_path));
  } catch (const std::runtime_error& e) {  // no default model, file errors, ModelError
    if (model_path.empty()) std::fprintf(stderr, "sonotype %s: %s\n", command, e.what());
    else std::fprintf(stderr, "sonotype %s: model %s: %s\n", command, model_path.c_str(), e.what());
    throw CLI::RuntimeError(1);
  }
}

void add_classify_command(CLI::App& app) {
  auto options = std::make_shared<ClassifyOptions>();
  CLI::App* cmd = app.add_subcommand("classify", "Genre of each audio file (WAV, FLAC, OGG, Opus, MP3)");
  cmd->add_option("--model", options->model,
                  "The .sono model: a file, or a name in models/ (models/index.json lists them; default: models/gtzan.sono)");
  cmd->add_option("--format", options->format,
                  "text: a table per file; json: one document with every window; csv: a row per file")
      ->check(CLI::IsMember({"text", "json", "csv"}))
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "The same as --format json");
  cmd->add_option("--playlists", options->playlists, "Write one GENRE.m3u8 per genre into this folder");
  add_jobs_option(*cmd, options->jobs);
  cmd->add_option("files", options->files, "Audio files, and folders searched for audio")->required();
  cmd->callback([options] { run_classify(*options); });
}

}  // namespace sonotype::cli
