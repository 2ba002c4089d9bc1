// beat::tempo / beat_track_tempo against librosa 0.8.1: synthetic onset envelopes, the reference
// clips, and the tempo column of the Kaggle tables for every GTZAN dev clip and 3-s segment.
#include <doctest/doctest.h>

#include <cmath>
#include <iostream>

#include "core/beat.h"
#include "core/feature/spectral.h"
#include "core/io/audio_file.h"
#include "core/onset.h"
#include "core/spectrum.h"
#include "tests/unit/feature_table.h"
#include "tests/unit/reference.h"

using namespace sonotype;

namespace {

// What librosa.beat.beat_track(y, sr=22050)[0] computes: the median-aggregated onset envelope of
// the log-mel spectrogram, then the tempo.
double beat_track_tempo(std::span<const float> y) {
  const Eigen::MatrixXf log_mel = power_to_db(feature::melspectrogram(feature::power_spectrogram(feature::magnitude_spectrogram(stft(y)))));
  return beat::beat_track_tempo(onset::onset_strength(log_mel, onset::Aggregate::median));
}

// Tempos are BPM bins 60 sr / (hop lag): equal bins agree to rounding, neighbouring ones differ
// by more than 0.2 %. (dev_features_3_sec.csv stores 117.45383522727272, one unit in the last
// place below librosa's 117.45383522727273.)
bool same_bin(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b)); }

}  // namespace

TEST_CASE("tempo matches librosa on synthetic onset envelopes") {
  // Expected values printed by librosa 0.8.1: beat.tempo(onset_envelope=e)[0].
  const auto pulses = [](std::size_t n, std::size_t period) {
    std::vector<float> e(n, 0.0f);
    for (std::size_t i = 5; i < n; i += period) e[i] = 1.0f;
    return e;
  };
  CHECK(beat::tempo(pulses(600, 43)) == 60.09265988372093);
  CHECK(beat::tempo(pulses(600, 22)) == 117.45383522727273);
  CHECK(beat::tempo(pulses(600, 30)) == 86.1328125);

  std::vector<float> pattern(400), accented(700);
  for (std::size_t i = 0; i < pattern.size(); ++i) pattern[i] = float(double((i * 37) % 101) / 100.0);
  for (std::size_t i = 0; i < accented.size(); ++i)
    accented[i] = float(double((i * 37) % 101) / 100.0 + (i % 25 == 0 ? 3.0 : 0.0));
  CHECK(beat::tempo(pattern) == 135.99917763157896);
  CHECK(beat::tempo(accented) == 103.359375);
  CHECK(beat::tempo(std::vector<float>{0, 0, 0, 1}) == 135.99917763157896);

  // No onsets: tempo() falls back on the prior's favourite bin, beat_track reports 0.
  const std::vector<float> silence(100, 0.0f);
  CHECK(beat::tempo(silence) == 117.45383522727273);
  CHECK(beat::beat_track_tempo(silence) == 0.0);
  CHECK(beat::beat_track_tempo({}) == 0.0);
  CHECK(beat::beat_track_tempo(pulses(600, 22)) == 117.45383522727273);
}

TEST_CASE("beat_track tempo matches librosa 0.8.1 on every reference clip") {
  test::for_each_reference([](const std::string&, const nlohmann::json& ref, const std::vector<float>& y) {
    const double expected = ref.at("tempo").get<double>();
    CHECK(beat_track_tempo(y) == expected);
    CHECK(ref.at("gtzan57").at("tempo").get<double>() == expected);
    if (ref.contains("melspectrogram")) {  // librosa's own mel spectrogram, 8 significant digits
      const Eigen::MatrixXf mel = test::reference_matrix(ref.at("melspectrogram")).cast<float>();
      CHECK(beat::beat_track_tempo(onset::onset_strength(power_to_db(mel), onset::Aggregate::median)) == expected);
    }
  });
}

TEST_CASE("beat_track tempo equals the Kaggle tables on every GTZAN dev clip and 3-s segment") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  const auto gtzan = *shared / "data" / "gtzan";
  const test::FeatureTable table30 = test::read_feature_table(gtzan / "features_30_sec.csv");
  const test::FeatureTable table3 = test::read_feature_table(gtzan / "dev_features_3_sec.csv");
  constexpr std::size_t kTempo = 16;  // "tempo" in kGtzanFeatureNames
  REQUIRE(kGtzanFeatureNames[kTempo] == "tempo");

  int clips = 0, clips_equal = 0, segments = 0, segments_equal = 0;
  for (const auto& entry : std::filesystem::directory_iterator(gtzan / "dev_audio")) {
    const std::string name = entry.path().filename().string();
    if (name == "jazz.00054.wav") continue;  // GTZAN's corrupt file
    CAPTURE(name);
    const std::vector<float> y = load_audio(entry.path());
    const double tempo = beat_track_tempo(y);
    ++clips;
    clips_equal += same_bin(tempo, table30.rows.at(name)[kTempo]);
    CHECK(same_bin(tempo, table30.rows.at(name)[kTempo]));
    for (std::size_t d = 0; d < 10; ++d) {
      const std::string segment = entry.path().stem().string() + "." + std::to_string(d) + ".wav";
      CAPTURE(segment);
      const double segment_tempo = beat_track_tempo(std::span<const float>(y).subspan(d * 66150, 66149));
      ++segments;
      segments_equal += same_bin(segment_tempo, table3.rows.at(segment)[kTempo]);
      CHECK(same_bin(segment_tempo, table3.rows.at(segment)[kTempo]));
    }
  }
  std::cout << "tempo: " << clips_equal << "/" << clips << " clips, " << segments_equal << "/" << segments
            << " 3-s segments equal the Kaggle tables\n";
  CHECK(clips == 37);
}
