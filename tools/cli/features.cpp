// `sonotype features [--segments SECONDS] [--jobs N] FILE...`: rows of the Kaggle GTZAN feature tables
// (features_30_sec.csv, or features_3_sec.csv with --segments 3) as CSV on stdout.
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/gtzan.h"
#include "core/io/audio_file.h"
#include "tools/cli/commands.h"
#include "tools/cli/in_order.h"

namespace sonotype::cli {

namespace {

// Whole-file features hold the spectrogram and its HPSS copies in memory (~100 bytes per
// sample); past this length we ask for segments instead of risking the machine's memory.
constexpr double kWholeFileLimitSeconds = 15 * 60;
// Segments are computed one at a time, so only the decoded mono signal scales with length.
// Both limits are per file: with --jobs N, N files are in memory at once.
constexpr double kSegmentedLimitSeconds = 6 * 3600;

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
  std::string header = "filename,length";
  for (std::string_view name : kGtzanFeatureNames) (header += ',') += name;
  std::puts((header + ",label").c_str());
}

void print_row(const Row& row, const std::string& label) {
  std::string line = row.filename + ',' + std::to_string(row.length);
  for (double x : row.features) (line += ',') += format_number(x);
  std::puts((line + ',' + label).c_str());
}

// The rows of one file: the whole clip, or the Kaggle 3-s table's segments. That table's segment
// d holds samples [d * stride, d * stride + stride - 1): one sample short of the stride, which we
// keep so that our rows are the table's rows.
std::vector<Row> file_rows(const std::filesystem::path& path, int segment_seconds) {
  const double limit = segment_seconds > 0 ? kSegmentedLimitSeconds : kWholeFileLimitSeconds;
  const std::vector<float> y = load_audio(path, kGtzanSampleRate, limit);
  const std::span<const float> audio(y);
  if (segment_seconds <= 0) return {{path.filename().string(), y.size(), gtzan_features(audio)}};

  const std::size_t stride = std::size_t(segment_seconds) * kGtzanSampleRate, length = stride - 1;
  if (y.size() < length) {
    throw std::invalid_argument("audio is " + std::to_string(y.size()) + " samples, shorter than one " +
                                std::to_string(segment_seconds) + "-s segment (" + std::to_string(length) + ")");
  }
  const std::size_t count = (y.size() - length) / stride + 1;
  std::vector<Row> rows;
  for (std::size_t d = 0; d < count; ++d) {
    const std::string name = path.stem().string() + '.' + std::to_string(d) + path.extension().string();
    rows.push_back({name, length, gtzan_features(audio.subspan(d * stride, length))});
  }
  return rows;
}

// A file's rows, or why there are none.
struct FileRows {
  std::vector<Row> rows;
  std::string error;
};

// Files are decoded and analysed on `jobs` threads and printed in the order given.
int run_features(const std::vector<std::string>& files, int segment_seconds, unsigned jobs) {
  print_header();
  const auto rows_of = [&](std::size_t i) {
    FileRows result;
    try {
      result.rows = file_rows(files[i], segment_seconds);
    } catch (const AudioError& e) {  // its message names the file
      result.error = e.what();
    } catch (const std::exception& e) {
      result.error = files[i] + ": " + e.what();
    }
    return result;
  };
  int failed = 0;
  for_each_in_order(files.size(), jobs, rows_of, [&](std::size_t i, const FileRows& result) {
    if (!result.error.empty()) {
      std::fprintf(stderr, "sonotype features: %s\n", result.error.c_str());
      ++failed;
      return;
    }
    // A file's rows are printed only once all of them are computed: no partial files.
    const std::string label = std::filesystem::absolute(files[i]).parent_path().filename().string();
    for (const Row& row : result.rows) print_row(row, label);
    std::fflush(stdout);
  });
  if (failed) std::fprintf(stderr, "sonotype features: %d of %zu files failed\n", failed, files.size());
  return failed ? 1 : 0;
}

}  // namespace

void add_features_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("features", "Compute the 57 GTZAN features (librosa 0.8.1 compatible) as CSV");
  struct Options {
    std::vector<std::string> files;
    int segments = 0;
    unsigned jobs = 1;
  };
  auto options = std::make_shared<Options>();
  cmd->add_option("--segments", options->segments,
                  "Write one row per SECONDS-long segment (3 gives the features_3_sec.csv rows)")
      ->check(CLI::Range(1, 30));
  add_jobs_option(*cmd, options->jobs);
  cmd->add_option("files", options->files, "Audio files (WAV, FLAC, OGG, MP3, ...)")->required();
  cmd->callback([options] {
    if (int status = run_features(options->files, options->segments, options->jobs)) throw CLI::RuntimeError(status);
  });
}

}  // namespace sonotype::cli
