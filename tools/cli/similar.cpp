// `sonotype similar FILE --in FOLDER_OR_TABLE [-n 10] [--model F] [--jobs N]`: "more like this",
// the n songs of a collection nearest to FILE in the model's standardised feature space, by the
// definition of core/similar.h that the page uses too. One line per song, nearest first:
//   SIMILARITY  PATH
// with SIMILARITY = 1 / (1 + distance / sqrt(57)) printed to 6 decimals.
//
// The collection is a folder (its audio is analysed as `classify` does: a song's point is the
// mean of its non-silent 30-s windows' standardised features), or a CSV table that
// `sonotype features` wrote, so that a large collection is analysed once:
//   - the rows sharing a filename are one song, whose point is the mean of the rows'
//     standardised features (silent rows left out): `features --windows` writes one row per
//     classify window, which gives exactly the folder's points; a plain `features` table has one
//     row per file, the whole file's features, which is the same for songs of up to 45 s;
//   - FILE may then be one of the table's filenames (or a path ending in one): its rows are used
//     and nothing is decoded. Otherwise FILE is analysed.
// FILE itself, when it is one of the collection's songs, is left out of the list.
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

#include "core/classify.h"
#include "core/io/audio_file.h"
#include "core/model/model.h"
#include "core/similar.h"
#include "tools/cli/audio_inputs.h"
#include "tools/cli/commands.h"
#include "tools/cli/csv_table.h"
#include "tools/cli/in_order.h"
#include "tools/cli/progress.h"

namespace sonotype::cli {
namespace {

namespace fs = std::filesystem;

struct SimilarOptions {
  std::string file;
  std::string collection;
  std::size_t n = 10;
  std::string model;
  unsigned jobs = 1;
};

struct Song {
  std::string name;            // its path, or its filename in the table
  std::vector<double> point;   // empty when it could not be analysed
  std::string error;
};

// The windows' features of an audio file, as classify analyses it.
std::vector<FeatureVector> window_features(const GenreModel& model, const std::string& path) {
  const std::vector<float> audio = load_audio(path, model.pipeline().sample_rate);
  std::vector<FeatureVector> out;
  for (const WindowResult& w : classify_song(model, audio).windows) out.push_back(w.features);
  return out;
}

Song analysed_song(const GenreModel& model, const std::string& path) {
  Song song{path, {}, {}};
  try {
    song.point = song_point(model, window_features(model, path));
  } catch (const AudioError& e) {  // its message names the file
    song.error = e.what();
  } catch (const std::exception& e) {
    song.error = path + ": " + e.what();
  }
  return song;
}

std::vector<Song> folder_songs(const GenreModel& model, const std::string& folder, unsigned jobs) {
  const AudioInputs found = collect_audio_inputs({folder});
  if (found.skipped) std::fprintf(stderr, "sonotype similar: %zu files skipped: not audio\n", found.skipped);
  std::vector<Song> songs;
  Progress progress(found.inputs.size());
  const auto analyse = [&](std::size_t i) {
    const AudioInput& input = found.inputs[i];
    return input.error.empty() ? analysed_song(model, input.path) : Song{input.path, {}, input.error};
  };
  for_each_in_order(found.inputs.size(), jobs, analyse, [&](std::size_t i, Song song) {
    songs.push_back(std::move(song));
    progress.update(i + 1);
  });
  return songs;
}

// The songs of a `sonotype features` table, in the order of their first rows.
std::vector<Song> table_songs(const GenreModel& model, const std::string& table_path) {
  const CsvTable table = read_csv_table(table_path);
  const std::size_t filename = table.column("filename");
  std::vector<std::size_t> feature_columns;
  for (std::string_view name : kGtzanFeatureNames) feature_columns.push_back(table.column(name));

  std::vector<std::string> order;
  std::map<std::string, std::vector<FeatureVector>> rows;
  std::map<std::string, std::string> errors;
  for (const std::vector<std::string>& record : table.rows) {
    const std::string& name = record[filename];
    if (!rows.count(name)) order.push_back(name);
    FeatureVector features{};
    for (std::size_t k = 0; k < kNumGtzanFeatures; ++k) {
      const std::string& cell = record[feature_columns[k]];
      char* end = nullptr;
      features[k] = std::strtod(cell.c_str(), &end);
      if (cell.empty() || *end != '\0') errors[name] = "column " + std::string(kGtzanFeatureNames[k]) + " is not a number";
    }
    rows[name].push_back(features);
  }
  std::vector<Song> songs;
  for (const std::string& name : order) {
    Song song{name, {}, {}};
    try {
      if (errors.count(name)) throw std::invalid_argument(errors[name]);
      song.point = song_point(model, rows[name]);
    } catch (const std::invalid_argument& e) {
      song.error = table_path + ": " + name + ": " + e.what();
    }
    songs.push_back(std::move(song));
  }
  return songs;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

// The collection's song that FILE is: the same file (a folder), or a filename of the table that
// FILE is or ends with.
std::size_t find_query(const std::vector<Song>& songs, const std::string& file, bool from_table) {
  const std::string path = fs::path(file).lexically_normal().generic_string();
  for (std::size_t i = 0; i < songs.size(); ++i) {
    const std::string& name = songs[i].name;
    if (from_table ? (path == name || (path.size() > name.size() && path.ends_with("/" + name)))
                   : same_file(file, name))
      return i;
  }
  return kNoSong;
}

void run_similar(const SimilarOptions& options) {
  std::string model_path;
  const GenreModel model = load_cli_model(options.model, "similar", model_path);
  std::error_code error;
  const bool from_table = !fs::is_directory(options.collection, error);
  std::vector<Song> songs;
  try {
    songs = from_table ? table_songs(model, options.collection) : folder_songs(model, options.collection, options.jobs);
  } catch (const std::runtime_error& e) {  // an unreadable or malformed table
    std::fprintf(stderr, "sonotype similar: %s\n", e.what());
    throw CLI::RuntimeError(1);
  }
  bool any_failed = false;
  std::vector<std::vector<double>> points;
  std::vector<std::size_t> song_of;  // points[k] is songs[song_of[k]]
  for (std::size_t i = 0; i < songs.size(); ++i) {
    if (!songs[i].error.empty()) {
      std::fprintf(stderr, "sonotype similar: %s\n", songs[i].error.c_str());
      any_failed = true;
      continue;
    }
    points.push_back(songs[i].point);
    song_of.push_back(i);
  }

  const std::size_t member = find_query(songs, options.file, from_table);
  std::vector<double> query;
  std::size_t skip = kNoSong;
  if (member != kNoSong && songs[member].error.empty()) {
    query = songs[member].point;
    skip = static_cast<std::size_t>(std::find(song_of.begin(), song_of.end(), member) - song_of.begin());
  } else {
    const Song analysed = analysed_song(model, options.file);
    if (!analysed.error.empty()) {
      std::fprintf(stderr, "sonotype similar: %s\n", analysed.error.c_str());
      throw CLI::RuntimeError(1);
    }
    query = analysed.point;
  }
  for (const Neighbour& near : nearest_songs(query, points, options.n, skip))
    std::printf("%.6f  %s\n", near.similarity, songs[song_of[near.index]].name.c_str());
  if (any_failed) throw CLI::RuntimeError(1);
}

}  // namespace

void add_similar_command(CLI::App& app) {
  auto options = std::make_shared<SimilarOptions>();
  CLI::App* cmd = app.add_subcommand("similar", "The songs of a collection most like a song (\"more like this\")");
  cmd->add_option("file", options->file, "The song: an audio file, or a filename of the --in table")->required();
  cmd->add_option("--in", options->collection,
                  "The collection: a folder searched for audio, or a CSV table written by `sonotype features`")
      ->required();
  cmd->add_option("-n", options->n, "How many songs to list")->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--model", options->model, "The .sono model (default: models/gtzan.sono of the source tree)");
  add_jobs_option(*cmd, options->jobs);
  cmd->callback([options] { run_similar(*options); });
}

}  // namespace sonotype::cli
