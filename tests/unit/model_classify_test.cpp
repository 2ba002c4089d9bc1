// classify_song (core/classify.h): where the windows go, what input it refuses, and, on GTZAN
// clips from ../shared, that a whole clip is classified exactly as its row of the Kaggle table
// (the features training saw) is.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "core/classify.h"
#include "core/io/audio_file.h"
#include "tests/unit/model_support.h"
#include "tests/unit/reference.h"

namespace {

using sonotype::SampleRange;
using sonotype::song_windows;

constexpr std::size_t kWindow = 661500;      // 30 s at 22050 Hz
constexpr std::size_t kGtzanClip = 661794;   // most GTZAN clips
constexpr double kProbabilityTolerance = 1e-3;  // our features vs librosa's, seen through the model

const sonotype::GenreModel& tiny_model() {
  static const sonotype::GenreModel model = sonotype::GenreModel::from_bytes(
      sonotype::test::convert_with_cli(sonotype::test::tiny_fixture("tiny_model"), "f32"));
  return model;
}

// The features_30_sec.csv row of `clip` ("blues.00000.wav").
sonotype::FeatureVector kaggle_row(const std::filesystem::path& shared, const std::string& clip) {
  std::ifstream in(shared / "data/gtzan/features_30_sec.csv");
  REQUIRE(in.good());
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with(clip + ",")) continue;
    std::stringstream fields(line);
    std::string field;
    std::getline(fields, field, ',');  // filename
    std::getline(fields, field, ',');  // length
    sonotype::FeatureVector row;
    for (double& value : row) {
      REQUIRE(std::getline(fields, field, ','));
      value = std::stod(field);
    }
    return row;
  }
  FAIL("no row for " << clip);
  return {};
}

}  // namespace

TEST_CASE("classify: a clip of up to 1.5 windows is one window, the whole clip") {
  CHECK(song_windows(kGtzanClip, kWindow) == std::vector<SampleRange>{{0, kGtzanClip}});
  CHECK(song_windows(100, kWindow) == std::vector<SampleRange>{{0, 100}});
  CHECK(song_windows(kWindow * 3 / 2, kWindow) == std::vector<SampleRange>{{0, kWindow * 3 / 2}});
}

TEST_CASE("classify: a longer song gets evenly spaced windows from its first to its last sample") {
  CHECK(song_windows(kWindow * 3 / 2 + 1, kWindow) ==
        std::vector<SampleRange>{{0, kWindow}, {kWindow / 2 + 1, kWindow * 3 / 2 + 1}});
  CHECK(song_windows(3 * kWindow, kWindow) ==
        std::vector<SampleRange>{{0, kWindow}, {kWindow, 2 * kWindow}, {2 * kWindow, 3 * kWindow}});
  for (const std::size_t n : {3 * kWindow + 1, 7 * kWindow + 12345, 120 * kWindow - 1}) {
    CAPTURE(n);
    const auto windows = song_windows(n, kWindow);
    REQUIRE(windows.size() == (n + kWindow - 1) / kWindow);
    CHECK(windows.front().begin == 0);
    CHECK(windows.back().end == n);
    for (std::size_t i = 0; i < windows.size(); ++i) {
      CHECK(windows[i].end - windows[i].begin == kWindow);
      if (i > 1) {  // equal steps, up to rounding
        const auto step = static_cast<long>(windows[i].begin - windows[i - 1].begin);
        const auto previous = static_cast<long>(windows[i - 1].begin - windows[i - 2].begin);
        CHECK(std::abs(step - previous) <= 1);
      }
      if (i > 0) CHECK(windows[i].begin <= windows[i - 1].end);  // no gaps
    }
  }
}

TEST_CASE("classify: empty, too short and non-finite audio are refused") {
  const auto& model = tiny_model();
  CHECK_THROWS_WITH_AS(sonotype::classify_song(model, {}), "the audio is empty", std::invalid_argument);
  const std::vector<float> short_clip(22050 * 2, 0.1f);
  CHECK_THROWS_WITH_AS(sonotype::classify_song(model, short_clip),
                       "the audio lasts 2.00 s; at least 66149 samples (3 s) are needed", std::invalid_argument);
  CHECK_NOTHROW(sonotype::classify_song(model, std::vector<float>(66149, 0.1f)));  // a Kaggle 3-s segment
  std::vector<float> with_nan(22050 * 5, 0.1f);
  with_nan[12345] = std::nanf("");
  CHECK_THROWS_WITH_AS(sonotype::classify_song(model, with_nan), "sample 12345 is not finite (nan)",
                       std::invalid_argument);
  with_nan[12345] = -INFINITY;
  CHECK_THROWS_AS(sonotype::classify_song(model, with_nan), std::invalid_argument);
}

TEST_CASE("classify: silence is refused, quiet music is not") {
  const auto& model = tiny_model();
  REQUIRE(sonotype::kGtzanFeatureNames[sonotype::kRmsMeanIndex] == "rms_mean");
  const std::size_t n = 22050 * 70;  // three windows
  const auto silent = "the audio is silent (quieter than -90 dBFS throughout): there is no genre to find";
  CHECK_THROWS_WITH_AS(sonotype::classify_song(model, std::vector<float>(n, 0.0f)), silent, std::invalid_argument);

  // Dither of one 16-bit step at most (TPDF, +-1 LSB): still silence.
  std::vector<float> dither(n);
  std::uint32_t state = 1;
  const auto uniform = [&state] { return float((state = state * 1664525u + 1013904223u) >> 8) / float(1 << 24); };
  for (float& v : dither) v = (uniform() - uniform()) / 32768.0f;
  CHECK_THROWS_WITH_AS(sonotype::classify_song(model, dither), silent, std::invalid_argument);

  // A 440-Hz tone at -60 dBFS, and a song that is silent except in its last window.
  std::vector<float> quiet(n);
  for (std::size_t i = 0; i < n; ++i) quiet[i] = 0.001f * float(std::sin(2.0 * std::numbers::pi * 440.0 * double(i) / 22050.0));
  CHECK_NOTHROW(sonotype::classify_song(model, quiet));
  std::vector<float> late_start(n, 0.0f);
  std::copy(quiet.end() - 22050 * 20, quiet.end(), late_start.end() - 22050 * 20);
  const sonotype::SongResult song = sonotype::classify_song(model, late_start);
  REQUIRE(song.windows.size() == 3);  // at 0, 20 and 40 s: only the last one hears the tone
  CHECK(song.windows[0].silent);
  CHECK(song.windows[1].silent);
  CHECK_FALSE(song.windows[2].silent);
  CHECK(song.proba == song.windows[2].prediction.proba);  // the silent windows do not vote
  for (std::size_t b = 0; b < song.base.size(); ++b) CHECK(song.base[b].proba == song.windows[2].prediction.base[b].proba);
}

TEST_CASE("classify: the song's answer is the mean of its windows that are not silent") {
  const auto& model = tiny_model();
  // 40 s of a tone, then 30 s of silence: windows at 0, 20 and 40 s, the last one silent.
  std::vector<float> y(22050 * 70, 0.0f);
  for (std::size_t i = 0; i < 22050 * 40; ++i) y[i] = 0.1f * float(std::sin(2.0 * std::numbers::pi * 440.0 * double(i) / 22050.0));
  const sonotype::SongResult song = sonotype::classify_song(model, y);
  REQUIRE(song.windows.size() == 3);
  CHECK_FALSE(song.windows[0].silent);
  CHECK_FALSE(song.windows[1].silent);
  CHECK(song.windows[2].silent);
  for (std::size_t c = 0; c < song.proba.size(); ++c) {
    const double mean = (song.windows[0].prediction.proba[c] + song.windows[1].prediction.proba[c]) / 2;
    CHECK(song.proba[c] == doctest::Approx(mean).epsilon(1e-14));
  }
}

TEST_CASE("classify: a whole GTZAN clip is classified as its Kaggle table row is") {
  const auto shared = sonotype::test::shared_dir();
  if (!shared) return;
  const auto& model = tiny_model();
  for (const std::string genre : {"blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"}) {
    const std::string clip = genre + ".00000.wav";
    CAPTURE(clip);
    const std::vector<float> y = sonotype::load_audio(*shared / "data/gtzan/dev_audio" / clip);
    const sonotype::SongResult song = sonotype::classify_song(model, y);
    REQUIRE(song.windows.size() == 1);
    CHECK(song.windows[0].start_s == 0.0);
    CHECK(song.windows[0].end_s == static_cast<double>(y.size()) / 22050);
    const sonotype::Prediction expected = model.predict(kaggle_row(*shared, clip));
    CHECK(song.top == static_cast<std::size_t>(std::max_element(expected.proba.begin(), expected.proba.end()) - expected.proba.begin()));
    for (std::size_t c = 0; c < expected.proba.size(); ++c) CHECK(std::abs(song.proba[c] - expected.proba[c]) <= kProbabilityTolerance);
  }
}

TEST_CASE("classify: a long song averages its windows") {
  const auto shared = sonotype::test::shared_dir();
  if (!shared) return;
  std::vector<float> song_audio;
  for (const char* clip : {"blues.00000.wav", "classical.00000.wav", "rock.00000.wav"}) {
    const std::vector<float> y = sonotype::load_audio(*shared / "data/gtzan/dev_audio" / clip);
    song_audio.insert(song_audio.end(), y.begin(), y.end());
  }
  const sonotype::SongResult song = sonotype::classify_song(tiny_model(), song_audio);
  const auto windows = song_windows(song_audio.size(), kWindow);
  REQUIRE(song.windows.size() == windows.size());
  for (std::size_t i = 0; i < windows.size(); ++i) {
    CHECK(song.windows[i].start_s == static_cast<double>(windows[i].begin) / 22050);
    CHECK(song.windows[i].end_s == static_cast<double>(windows[i].end) / 22050);
  }
  double total_ms = 0;
  for (const auto& w : song.windows) total_ms += w.timings.total;
  CHECK(song.timings.total == doctest::Approx(total_ms));
  for (std::size_t c = 0; c < song.proba.size(); ++c) {
    double mean = 0;
    for (const auto& w : song.windows) mean += w.prediction.proba[c] / static_cast<double>(song.windows.size());
    CHECK(song.proba[c] == doctest::Approx(mean).epsilon(1e-12));
    CHECK(song.proba[c] <= song.proba[song.top]);
  }
}
