// `sonotype features [--segments SECONDS | --windows] [--jobs N] PATH...`: rows of the Kaggle GTZAN
// feature tables (features_30_sec.csv, or features_3_sec.csv with --segments 3; with --windows one
// row per 30-s window of `classify`, for `similar --in`) as CSV on stdout (RFC 4180 quoting, csv.h). PATH is a file, or a folder searched for audio (audio_inputs.h).
// filename is the file's name for a file named on the command line, as in the Kaggle tables, and
// its path relative to the folder for a file found in a folder named (a collection's songs need
// not have different names); label is the name of the folder holding the file.
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/classify.h"
#include "core/gtzan.h"
#include "core/io/audio_file.h"
#include "tools/cli/audio_inputs.h"
#include "tools/cli/commands.h"
#include "tools/cli/csv.h"
#include "tools/cli/in_order.h"
#include "tools/cli/progress.h"

namespace sonotype::cli {

namespace {

// Whole-file features hold the spectrogram and its HPSS copies in memory (~100 bytes per
// sample); past this length we ask for segments instead of risking the machine's memory.
constexpr double kWholeFileLimitSeconds = 15 * 60;
// Segments are computed one at a time, so only the decoded mono signal scales with length.
// Both limits are per file: with --jobs N, N files are in memory at once.
constexpr double kSegmentedLimitSeconds = 6 * 3600;
// --windows: the windows of `classify` under the default model (its pipeline.window_seconds).
constexpr std::size_t kClassifyWindow = 30 * kGtzanSampleRate;

struct Row {
  std::string filename;
  std::size_t length;
  FeatureVector features;
};

// Shortest text that reads back as the same double, like Python's repr in the Kaggle tables.
std::string format_number(double x) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

void print_header() {
  std::vector<std::string> header{"filename", "length"};
  header.insert(header.end(), kGtzanFeatureNames.begin(), kGtzanFeatureNames.end());
  header.emplace_back("label");
  std::fputs(csv_line(header).c_str(), stdout);
}

void print_row(const Row& row, const std::string& label) {
  std::vector<std::string> fields{row.filename, std::to_string(row.length)};
  for (double x : row.features) fields.push_back(format_number(x));
  fields.push_back(label);
  std::fputs(csv_line(fields).c_str(), stdout);
}

// The rows of one file: the whole clip, or the Kaggle 3-s table's segments (gtzan_segments).
// With `windows`, the rows of classify's windows (song_windows), each under the file's name.
// `name` is the row's filename (see the top of this file).
std::vector<Row> file_rows(const std::filesystem::path& path, const std::filesystem::path& name, int segment_seconds,
                           bool windows) {
  const double limit = segment_seconds > 0 || windows ? kSegmentedLimitSeconds : kWholeFileLimitSeconds;
  const std::vector<float> y = load_audio(path, kGtzanSampleRate, limit);
  const std::span<const float> audio(y);
  if (windows) {
    std::vector<Row> rows;
    for (const SampleRange& r : song_windows(y.size(), kClassifyWindow))
      rows.push_back({name.string(), r.end - r.begin, gtzan_features(audio.subspan(r.begin, r.end - r.begin))});
    return rows;
  }
  if (segment_seconds <= 0) return {{name.string(), y.size(), gtzan_features(audio)}};

  const Segments segments = gtzan_segments(y.size(), segment_seconds);
  std::vector<Row> rows;
  for (std::size_t d = 0; d < segments.count; ++d) {
    const auto segment = std::filesystem::path(name).replace_filename(name.stem().string() + '.' + std::to_string(d) +
                                                                      name.extension().string());
    rows.push_back({segment.string(), segments.length, gtzan_features(audio.subspan(d * segments.stride, segments.length))});
  }
  return rows;
}

// A file's rows, or why there are none.
struct FileRows {
  std::vector<Row> rows;
  std::string error;
};

// Files are decoded and analysed on `jobs` threads and printed in the order given.
int run_features(const std::vector<std::string>& args, int segment_seconds, bool windows, unsigned jobs) {
  const AudioInputs found = collect_audio_inputs(args);
  const std::vector<AudioInput>& files = found.inputs;
  if (found.skipped) std::fprintf(stderr, "sonotype features: %zu files skipped: not audio\n", found.skipped);
  print_header();
  const auto rows_of = [&](std::size_t i) {
    FileRows result{{}, files[i].error};
    if (!result.error.empty()) return result;
    try {
      result.rows = file_rows(files[i].path, files[i].relative, segment_seconds, windows);
    } catch (const AudioError& e) {  // its message names the file
      result.error = e.what();
    } catch (const std::exception& e) {
      result.error = files[i].path + ": " + e.what();
    }
    return result;
  };
  int failed = 0;
  Progress progress(files.size());
  for_each_in_order(files.size(), jobs, rows_of, [&](std::size_t i, const FileRows& result) {
    progress.update(i + 1);
    if (!result.error.empty()) {
      progress.message("sonotype features: " + result.error);
      ++failed;
      return;
    }
    // A file's rows are printed only once all of them are computed: no partial files.
    const std::string label = std::filesystem::absolute(files[i].path).parent_path().filename().string();
    for (const Row& row : result.rows) print_row(row, label);
    std::fflush(stdout);
  });
  progress.finish();
  if (failed) std::fprintf(stderr, "sonotype features: %d of %zu files failed\n", failed, files.size());
  return failed ? 1 : 0;
}

}  // namespace

void add_features_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("features", "Compute the 57 GTZAN features (librosa 0.8.1 compatible) as CSV");
  struct Options {
    std::vector<std::string> files;
    int segments = 0;
    bool windows = false;
    unsigned jobs = 1;
  };
  auto options = std::make_shared<Options>();
  cmd->add_option("--segments", options->segments,
                  "Write one row per SECONDS-long segment (3 gives the features_3_sec.csv rows)")
      ->check(CLI::Range(1, 30));
  cmd->add_flag("--windows", options->windows,
                "Write one row per 30-s window that `classify` analyses, each named after its file "
                "(the table `similar --in` reads to match a folder's analysis)")
      ->excludes("--segments");
  add_jobs_option(*cmd, options->jobs);
  cmd->add_option("files", options->files, "Audio files (WAV, FLAC, OGG, MP3, ...), and folders searched for audio")
      ->required();
  cmd->callback([options] {
    if (int status = run_features(options->files, options->segments, options->windows, options->jobs)) throw CLI::RuntimeError(status);
  });
}

}  // namespace sonotype::cli
