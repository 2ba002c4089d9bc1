// `sonotype features` on good and bad input: every failure names its file, the other files are
// still processed, and the exit status says whether anything failed.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <sstream>

#include "core/gtzan.h"
#include "tests/unit/cli_run.h"
#include "tests/unit/reference.h"

using namespace sonotype;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<float> tone(std::size_t n) {
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = float(0.3 * std::sin(2 * std::numbers::pi * 440.0 * double(i) / 22050.0));
  return y;
}

// The 57 feature cells of a CSV row, which must all be finite numbers.
void check_finite_row(const std::string& row) {
  std::stringstream in(row);
  std::vector<std::string> cells;
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  REQUIRE(cells.size() == kNumGtzanFeatures + 3);
  for (std::size_t j = 2; j < cells.size() - 1; ++j) CHECK(std::isfinite(std::stod(cells[j])));
}

}  // namespace

TEST_CASE("features: CSV header and a row per file, labelled by folder") {
  const auto dir = test::temp_dir("features-ok") / "mygenre";
  std::filesystem::create_directories(dir);
  test::write_wav(dir / "a.wav", tone(22050 * 4), 22050);
  const auto r = test::run_cli("features '" + (dir / "a.wav").string() + "'");
  CHECK(r.status == 0);
  const auto rows = lines(r.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].starts_with("filename,length,chroma_stft_mean,chroma_stft_var,rms_mean"));
  CHECK(rows[0].ends_with("mfcc20_mean,mfcc20_var,label"));
  CHECK(rows[1].starts_with("a.wav,88200,"));
  CHECK(rows[1].ends_with(",mygenre"));
  check_finite_row(rows[1]);
}

TEST_CASE("features --segments 3 writes the 3-s table's segments") {
  const auto dir = test::temp_dir("features-segments");
  test::write_wav(dir / "clip.wav", tone(661794), 22050);
  const auto r = test::run_cli("features --segments 3 '" + (dir / "clip.wav").string() + "'");
  CHECK(r.status == 0);
  const auto rows = lines(r.out);
  REQUIRE(rows.size() == 11);
  for (int d = 0; d < 10; ++d) CHECK(rows[std::size_t(d) + 1].starts_with("clip." + std::to_string(d) + ".wav,66149,"));
}

TEST_CASE("features: silence and a 0.2-s clip give finite rows") {
  const auto dir = test::temp_dir("features-edge");
  test::write_wav(dir / "silence.wav", std::vector<float>(22050 * 5, 0.0f), 22050);
  test::write_wav(dir / "short.wav", tone(4410), 22050);
  const auto r = test::run_cli("features '" + (dir / "silence.wav").string() + "' '" + (dir / "short.wav").string() + "'");
  CHECK(r.status == 0);
  const auto rows = lines(r.out);
  REQUIRE(rows.size() == 3);
  check_finite_row(rows[1]);
  check_finite_row(rows[2]);
}

TEST_CASE("features: bad files are named in errors and the good file is still processed") {
  const auto dir = test::temp_dir("features-bad");
  test::write_wav(dir / "good.wav", tone(22050 * 3), 22050);
  std::ofstream(dir / "empty.wav").close();
  std::ofstream(dir / "notes.txt") << "this is not audio\n";
  std::vector<float> nan_samples = tone(22050);
  nan_samples[100] = std::numeric_limits<float>::quiet_NaN();
  test::write_wav(dir / "nan.wav", nan_samples, 22050, /*as_float=*/true);
  std::vector<float> inf_samples = tone(22050);
  inf_samples[5] = std::numeric_limits<float>::infinity();
  test::write_wav(dir / "inf.wav", inf_samples, 22050, /*as_float=*/true);

  std::string args = "features";
  for (const char* f : {"missing.wav", "empty.wav", "notes.txt", "nan.wav", "inf.wav", "good.wav"})
    args += " '" + (dir / f).string() + "'";
  const auto r = test::run_cli(args);
  CHECK(r.status == 1);
  const auto rows = lines(r.out);
  REQUIRE(rows.size() == 2);  // header + good.wav only
  CHECK(rows[1].starts_with("good.wav,"));
  for (const char* f : {"missing.wav: no such file", "empty.wav: empty file", "notes.txt: cannot decode", "nan.wav:", "inf.wav:"})
    CHECK_MESSAGE(r.err.find(f) != std::string::npos, "stderr lacks '" << f << "': " << r.err);
  CHECK(r.err.find("non-finite") != std::string::npos);
  CHECK(r.err.find("5 of 6 files failed") != std::string::npos);
}

TEST_CASE("features: the corrupt GTZAN clip jazz.00054.wav gives a clear error") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  const auto corrupt = *shared / "data" / "gtzan" / "dev_audio" / "jazz.00054.wav";
  const auto r = test::run_cli("features '" + corrupt.string() + "'");
  CHECK(r.status == 1);
  CHECK(r.err.find("jazz.00054.wav") != std::string::npos);
  CHECK(lines(r.out).size() == 1);  // the header only
}

TEST_CASE("features: an hour of audio as one row fails with a clear message about its length") {
  const auto dir = test::temp_dir("features-hour");
  test::write_wav(dir / "hour.wav", std::vector<float>(std::size_t(3600) * 22050, 0.01f), 22050);
  const auto whole = test::run_cli("features '" + (dir / "hour.wav").string() + "'");
  CHECK(whole.status == 1);
  CHECK(whole.err.find("hour.wav: audio is 60 min long") != std::string::npos);
}

TEST_CASE("features --jobs: files worked on at once are reported as one job reports them, in the order given") {
  const auto dir = test::temp_dir("features-jobs");
  // The first file is the longest, so with several jobs later files finish first.
  std::string args;
  for (int seconds : {20, 3, 5, 4}) {
    const auto path = dir / ("tone" + std::to_string(seconds) + ".wav");
    test::write_wav(path, tone(22050 * std::size_t(seconds)), 22050);
    args += " '" + path.string() + "'";
    if (seconds == 3) args += " '" + (dir / "missing.wav").string() + "'";
  }
  const auto one = test::run_cli("features --jobs 1" + args);
  const auto three = test::run_cli("features --jobs 3" + args);
  CHECK(one.status == 1);
  CHECK(three.status == one.status);
  CHECK(three.out == one.out);
  CHECK(three.err == one.err);
  const auto rows = lines(three.out);
  REQUIRE(rows.size() == 5);
  for (std::size_t i = 0; const char* name : {"tone20.wav,", "tone3.wav,", "tone5.wav,", "tone4.wav,"})
    CHECK(rows[++i].starts_with(name));
  CHECK(test::run_cli("features --jobs 0" + args).status != 0);  // refused by the option's range
}
