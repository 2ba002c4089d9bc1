// Issue acceptance: `sonotype features` on 44.1- and 48-kHz stereo MP3, FLAC and Ogg versions of
// GTZAN dev clips equals librosa.load(path) (resampled by resampy's kaiser_best) plus the 57
// features within 1e-4 x max(|reference|, the column's standard deviation), with the tempo equal.
// The files are made here with ffmpeg; tests/data/resampled_features.json holds librosa 0.8.1's
// features of the files tools/make_resampled_features.py made with the same commands, with each
// file's CRC-32 and size, so that the numbers are only ever compared for the same bytes.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/gtzan.h"
#include "core/model/crc32.h"
#include "tests/unit/cli_run.h"
#include "tests/unit/feature_table.h"
#include "tests/unit/reference.h"

using namespace sonotype;

namespace {

using nlohmann::json;

// tools/make_resampled_features.py's ffmpeg_args().
std::string ffmpeg_command(const std::filesystem::path& source, int rate, const std::string& format,
                           const std::filesystem::path& out) {
  const std::string codec = format == "mp3"    ? "-c:a libmp3lame -b:a 192k"
                            : format == "flac" ? "-c:a flac -sample_fmt s16"
                                               : "-c:a libvorbis -q:a 5";
  return "ffmpeg -v error -y -i '" + source.string() + "' -ar " + std::to_string(rate) + " -ac 2 " + codec +
         " -fflags +bitexact -flags:a +bitexact -map_metadata -1 '" + out.string() + "'";
}

std::vector<std::uint8_t> file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) out.push_back(part);
  return out;
}

}  // namespace

TEST_CASE("features: 44.1- and 48-kHz MP3, FLAC and Ogg files equal librosa.load's features") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  std::ifstream in(std::filesystem::path(SONOTYPE_TEST_DATA) / "resampled_features.json");
  REQUIRE(in.good());
  const json reference = json::parse(in);
  const test::FeatureTable table = test::read_feature_table(*shared / "data/gtzan/features_30_sec.csv");
  const auto dir = test::temp_dir("features-resampled");

  std::string args;
  for (const json& f : reference.at("files")) {
    const std::string name = f.at("clip").get<std::string>() + "." + std::to_string(f.at("rate").get<int>()) + "." +
                             f.at("format").get<std::string>();
    const std::string command = ffmpeg_command(*shared / "data/gtzan/dev_audio" / (f.at("clip").get<std::string>() + ".wav"),
                                               f.at("rate"), f.at("format"), dir / name);
    REQUIRE_MESSAGE(std::system(command.c_str()) == 0, command);
    const std::vector<std::uint8_t> bytes = file_bytes(dir / name);
    const bool same_file =
        bytes.size() == f.at("size").get<std::size_t>() && model::crc32(bytes) == f.at("crc32").get<std::uint32_t>();
    REQUIRE_MESSAGE(same_file,
                    name << ": this ffmpeg encodes differently from the one the references were made with;"
                            " re-run tools/make_resampled_features.py");
    args += " '" + (dir / name).string() + "'";
  }
  const auto run = test::run_cli("features" + args);
  REQUIRE_MESSAGE(run.status == 0, run.err);
  const std::vector<std::string> rows = split(run.out, '\n');
  REQUIRE(rows.size() == reference.at("files").size() + 1);

  constexpr std::size_t kTempo = 16;  // index of "tempo" in kGtzanFeatureNames
  double worst = 0;
  std::string worst_where;
  for (std::size_t i = 0; i < reference.at("files").size(); ++i) {
    const json& f = reference["files"][i];
    const std::vector<std::string> cells = split(rows[i + 1], ',');
    REQUIRE(cells.size() == kNumGtzanFeatures + 3);
    CAPTURE(cells[0]);
    CHECK(std::stoul(cells[1]) == f.at("samples").get<std::size_t>());  // librosa.load's length
    for (std::size_t j = 0; j < kNumGtzanFeatures; ++j) {
      const double ours = std::stod(cells[j + 2]);
      const double ref = f.at("features").at(std::string(kGtzanFeatureNames[j]));
      if (j == kTempo) {
        CHECK_MESSAGE(ours == doctest::Approx(ref).epsilon(1e-9), "tempo");
        continue;
      }
      const double ratio = std::abs(ours - ref) / (1e-4 * std::max(std::abs(ref), table.column_std[j]));
      if (ratio > worst) worst = ratio, worst_where = cells[0] + " " + std::string(kGtzanFeatureNames[j]);
      CHECK_MESSAGE(ratio <= 1.0, kGtzanFeatureNames[j] << ": ours " << ours << ", librosa " << ref);
    }
  }
  MESSAGE("worst column error: " << worst << " x the tolerance (1e-4 of the column scale), at " << worst_where);
}

TEST_CASE("classify: an M4A (AAC) file classifies as its WAV does, and a damaged one fails on its own") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  const auto dir = test::temp_dir("classify-m4a");
  const auto clip = *shared / "data/gtzan/dev_audio/disco.00000.wav";
  const std::string m4a = (dir / "disco, \"live\".m4a").string();
  REQUIRE(std::system(("ffmpeg -v error -y -i '" + clip.string() + "' -ar 44100 -ac 2 -c:a aac -b:a 160k '" + m4a + "'").c_str()) == 0);
  // Cut before its index (the 'moov' box is written last), then a file of random-looking bytes.
  const std::vector<std::uint8_t> bytes = file_bytes(m4a);
  std::ofstream(dir / "cut.m4a", std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size() / 2));
  std::vector<char> noise(20000);
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = char((i * 2654435761u) >> 13);
  std::ofstream(dir / "noise.aac", std::ios::binary).write(noise.data(), std::streamsize(noise.size()));

  const auto quoted = [](const std::filesystem::path& p) { return "'" + p.string() + "'"; };
  const auto r = test::run_cli("classify --json '" + clip.string() + "' " + quoted(m4a) + " " + quoted(dir / "cut.m4a") +
                               " " + quoted(dir / "noise.aac"));
  CHECK(r.status == 1);
  const json doc = json::parse(r.out);
  REQUIRE(doc.at("files").size() == 4);
  const json &wav = doc["files"][0], &aac = doc["files"][1];
  REQUIRE_MESSAGE(aac.at("ok") == true, aac.dump());
  CHECK(aac.at("genre") == wav.at("genre"));
  CHECK(aac.at("probability").get<double>() == doctest::Approx(wav.at("probability").get<double>()).epsilon(0.1));
  for (int i : {2, 3}) {
    CHECK(doc["files"][i].at("ok") == false);
    CHECK(doc["files"][i].at("error").get<std::string>().find(doc["files"][i].at("file").get<std::string>()) == 0);
  }
}
