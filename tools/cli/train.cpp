// `sonotype train DIR -o OUT.sono`, `sonotype train --labels LABELS.csv -o OUT.sono` and
// `sonotype train --from-features FEATURES.csv [--labels LABELS.csv] -o OUT.sono`: a personal
// genre model (core/model/train.h) from the user's own labelled songs, written as a .sono blob
// that `sonotype classify --model` and the page read. Prints the songs per genre, every
// cross-validated configuration, the chosen one and its confusion matrix.
//
// DIR: each subfolder is a genre named after it; its audio files anywhere below it are its songs.
// LABELS.csv: columns path,genre; relative paths are relative to the CSV's folder.
// FEATURES.csv: the output of `sonotype features` (genre from its label column, or from
// LABELS.csv matched by file name). Songs are taken in a fixed order (sorted paths, or the
// CSV's row order), so the same input gives the same model.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "core/classify.h"
#include "core/gtzan.h"
#include "core/io/audio_file.h"
#include "core/model/personal_blob.h"
#include "core/model/train.h"
#include "tools/cli/audio_inputs.h"
#include "tools/cli/commands.h"
#include "tools/cli/csv_table.h"
#include "tools/cli/file_bytes.h"
#include "tools/cli/in_order.h"

namespace sonotype::cli {
namespace {

namespace fs = std::filesystem;

// As `sonotype features`: whole songs up to this long (their spectrograms are held in memory).
constexpr double kMaxSongSeconds = 15 * 60;
constexpr std::size_t kRmsMean = 2;  // kGtzanFeatureNames: rms_mean

struct TrainOptions {
  std::string dir, labels, from_features, out;
  unsigned jobs = 1;
};

struct Song {
  fs::path path;
  std::string genre;
};

// Stops the command with `message` on stderr and exit status 1.
[[noreturn]] void refuse(const std::string& message) {
  std::fprintf(stderr, "sonotype train: %s\n", message.c_str());
  throw CLI::RuntimeError(1);
}

// The songs of DIR's genre subfolders, sorted by path.
std::vector<Song> songs_of_folder(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) refuse(dir.string() + ": not a folder");
  std::vector<fs::path> genres;
  fs::directory_iterator it(dir, error);
  if (error) refuse(dir.string() + ": cannot read the folder (" + error.message() + ")");
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) refuse(dir.string() + ": cannot read the folder (" + error.message() + ")");
    if (it->is_directory(error)) genres.push_back(it->path());
  }
  if (genres.empty()) refuse(dir.string() + " has no subfolders: make one folder per genre, named after it, holding its songs");
  std::sort(genres.begin(), genres.end());
  std::vector<Song> songs;
  for (const fs::path& genre : genres) {
    std::vector<fs::path> files;
    fs::recursive_directory_iterator walk(genre, fs::directory_options::skip_permission_denied, error);
    if (error) refuse(genre.string() + ": cannot read the folder (" + error.message() + ")");
    for (; walk != fs::recursive_directory_iterator(); walk.increment(error)) {
      if (error) refuse(walk->path().string() + ": cannot read the folder (" + error.message() + ")");
      if (walk->is_regular_file(error) && has_audio_extension(walk->path().filename().string())) files.push_back(walk->path());
    }
    if (files.empty()) refuse("genre folder " + genre.string() + " holds no audio files");
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) songs.push_back({f, genre.filename().string()});
  }
  return songs;
}

// The rows of LABELS.csv (path,genre), paths relative to the CSV's folder, in file order.
std::vector<Song> songs_of_labels(const fs::path& csv) {
  const CsvTable table = read_csv_table(csv);
  const std::size_t path_col = table.column("path"), genre_col = table.column("genre");
  if (table.rows.empty()) refuse(csv.string() + " lists no songs");
  std::vector<Song> songs;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string& path = table.rows[r][path_col];
    const std::string& genre = table.rows[r][genre_col];
    if (path.empty() || genre.empty())
      refuse(table.where(r) + ": empty " + (path.empty() ? "path" : "genre"));
    songs.push_back({(csv.parent_path() / fs::path(path)).lexically_normal(), genre});
  }
  return songs;
}

// One song's row: the features of the whole song, as `sonotype features` computes them.
struct SongFeatures {
  FeatureVector features{};
  std::string error;  // why it is left out
};

SongFeatures song_features(const fs::path& path) {
  SongFeatures out;
  try {
    const std::vector<float> y = load_audio(path, kGtzanSampleRate, kMaxSongSeconds);
    if (y.size() < kMinSongSamples) throw std::invalid_argument("shorter than 3 s");
    if (std::any_of(y.begin(), y.end(), [](float v) { return !std::isfinite(v); }))
      throw std::invalid_argument("the audio has non-finite samples");
    out.features = gtzan_features(y);
    if (out.features[kRmsMean] < kSilentRms) throw std::invalid_argument("silent throughout");
  } catch (const AudioError& e) {  // names the file
    out.error = e.what();
  } catch (const std::exception& e) {
    out.error = path.string() + ": " + e.what();
  }
  return out;
}

model::TrainingSet decoded_set(const std::vector<Song>& songs, unsigned jobs) {
  model::TrainingSet set;
  std::vector<FeatureVector> rows;
  std::size_t failed = 0;
  // Duplicates are the trainer's to name; decoding a song twice would only waste time.
  for_each_in_order(songs.size(), jobs, [&](std::size_t i) { return song_features(songs[i].path); },
                    [&](std::size_t i, const SongFeatures& s) {
                      if (!s.error.empty()) {
                        std::fprintf(stderr, "sonotype train: %s (left out)\n", s.error.c_str());
                        ++failed;
                        return;
                      }
                      set.songs.push_back(songs[i].path.string());
                      set.genres.push_back(songs[i].genre);
                      rows.push_back(s.features);
                    });
  if (failed) std::fprintf(stderr, "sonotype train: %zu of %zu songs could not be used\n", failed, songs.size());
  set.features.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(kNumGtzanFeatures));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) set.features(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
  return set;
}

// FEATURES.csv's rows; each genre from its label column, or from LABELS.csv by file name.
model::TrainingSet features_set(const fs::path& csv, const std::string& labels_csv) {
  const CsvTable table = read_csv_table(csv);
  const std::size_t name_col = table.column("filename");
  std::vector<std::size_t> feature_cols;
  for (const auto name : kGtzanFeatureNames) feature_cols.push_back(table.column(name));
  std::map<std::string, std::string> genre_of;  // file name -> genre
  if (!labels_csv.empty())
    for (const Song& s : songs_of_labels(labels_csv)) {
      const auto [it, fresh] = genre_of.emplace(s.path.filename().string(), s.genre);
      if (!fresh && it->second != s.genre)
        refuse(labels_csv + ": " + s.path.filename().string() + " is labelled twice (as '" + it->second + "' and as '" + s.genre +
               "'; features tables name songs by file name)");
    }
  const std::size_t label_col = labels_csv.empty() ? table.column("label") : 0;

  model::TrainingSet set;
  std::vector<std::size_t> used;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string& name = table.rows[r][name_col];
    if (labels_csv.empty()) {
      set.genres.push_back(table.rows[r][label_col]);
    } else {
      const auto it = genre_of.find(name);
      if (it == genre_of.end()) continue;  // not one of the labelled songs
      set.genres.push_back(it->second);
    }
    set.songs.push_back(name);
    used.push_back(r);
  }
  if (used.empty()) refuse(csv.string() + (labels_csv.empty() ? " has no rows" : " has no row for any song of " + labels_csv));
  set.features.resize(static_cast<Eigen::Index>(used.size()), static_cast<Eigen::Index>(kNumGtzanFeatures));
  for (std::size_t i = 0; i < used.size(); ++i)
    for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) {
      const std::string& text = table.rows[used[i]][feature_cols[j]];
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0')
        refuse(table.where(used[i]) + ": " + std::string(kGtzanFeatureNames[j]) + " is \"" + text + "\", not a number");
      set.features(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = v;
    }
  return set;
}

void print_report(const model::TrainReport& report, const std::vector<model::EstimatorKind>& writable) {
  std::size_t width = 5;
  for (const auto& l : report.labels) width = std::max(width, l.size());
  const int w = static_cast<int>(width);
  int total = 0;
  for (const int c : report.songs_per_genre) total += c;
  std::printf("Songs per genre (%d songs, %zu genres):\n", total, report.labels.size());
  for (std::size_t g = 0; g < report.labels.size(); ++g) std::printf("  %-*s %5d\n", w, report.labels[g].c_str(), report.songs_per_genre[g]);
  std::printf("Cross-validated accuracy (%s):\n", report.cv_scheme.c_str());
  for (const model::Candidate& c : report.tried) {
    const bool ok = std::find(writable.begin(), writable.end(), c.kind) != writable.end();
    std::printf("  %s: %.6f%s\n", model::describe(c).c_str(), c.cv_accuracy, ok ? "" : "  (the .sono format cannot hold it yet)");
  }
  std::printf("Chosen: %s, cross-validated accuracy %.3f\n", model::describe(report.chosen).c_str(), report.chosen.cv_accuracy);
  std::printf("Confusion matrix (rows: true genre, columns: predicted, out-of-fold):\n  %-*s", w, "");
  for (std::size_t g = 0; g < report.labels.size(); ++g) std::printf(" %*s", w, report.labels[g].c_str());
  std::printf("\n");
  for (std::size_t t = 0; t < report.labels.size(); ++t) {
    std::printf("  %-*s", w, report.labels[t].c_str());
    for (std::size_t p = 0; p < report.labels.size(); ++p)
      std::printf(" %*d", w, report.confusion(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(p)));
    std::printf("\n");
  }
}

void run_train(const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const int sources = !options.dir.empty() + !options.from_features.empty();
  if (sources == 0 && options.labels.empty()) refuse("give a folder of genre subfolders, --labels LABELS.csv or --from-features FEATURES.csv");
  if (sources > 1 || (!options.dir.empty() && !options.labels.empty()))
    refuse("give one of: a folder, --labels LABELS.csv, --from-features FEATURES.csv (optionally with --labels)");

  model::TrainingSet set;
  try {
    if (!options.from_features.empty()) set = features_set(options.from_features, options.labels);
    else set = decoded_set(options.dir.empty() ? songs_of_labels(options.labels) : songs_of_folder(options.dir), options.jobs);
  } catch (const CLI::Error&) {
    throw;  // already reported
  } catch (const std::runtime_error& e) {  // CSV problems, named by file and line
    refuse(e.what());
  }

  model::TrainOptions train_options;
  model::TrainedModel trained;
  try {
    trained = model::train_genre_model(set, train_options);
  } catch (const std::invalid_argument& e) {
    refuse(e.what());
  }
  print_report(trained.report, train_options.allowed);
  const std::vector<std::uint8_t> blob = model::personal_model_blob(trained, {model::utc_now(), SONOTYPE_VERSION});
  try {
    write_file_bytes(options.out, blob);
  } catch (const CLI::Error&) {
    throw;
  } catch (const std::runtime_error& e) {
    refuse(e.what());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("Wrote %s (%zu bytes) in %.1f s\n", options.out.c_str(), blob.size(), seconds);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand("train", "Train a personal genre model from your own labelled songs");
  cmd->add_option("dir", options->dir, "A folder with one subfolder per genre (named after it) holding its songs");
  cmd->add_option("--labels", options->labels, "A CSV with columns path,genre (paths relative to the CSV's folder)");
  cmd->add_option("--from-features", options->from_features, "The CSV that `sonotype features` wrote, instead of audio");
  cmd->add_option("-o,--output", options->out, "The .sono model to write")->required();
  add_jobs_option(*cmd, options->jobs);
  cmd->callback([options] { run_train(*options); });
}

}  // namespace sonotype::cli
