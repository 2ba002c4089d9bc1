// Novelty (core/model/novelty.h): the score's arithmetic against hand-worked cases, the blob
// entries, and the default model's verdicts: sounds that are not music (made here: DC, noise, a
// square wave, a click, speech from espeak-ng, a beep in silence) are flagged, and no GTZAN dev
// clip is; the same for a model without a KNN (logistic regression), on its own reference rows.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <random>

#include "core/classify.h"
#include "core/io/audio_file.h"
#include "core/model/blob.h"
#include "core/model/model.h"
#include "core/model/novelty.h"
#include "tests/unit/cli_run.h"
#include "tests/unit/model_support.h"
#include "tests/unit/reference.h"

#include <nlohmann/json.hpp>

using namespace sonotype;
using model::NoveltyDetector;

namespace {

constexpr std::size_t kClip = 30 * kGtzanSampleRate;

std::filesystem::path default_model_path() { return std::filesystem::path(SONOTYPE_SOURCE_DIR) / "models/gtzan.sono"; }
GenreModel default_model() { return GenreModel::from_bytes(test::read_bytes(default_model_path())); }

// Logistic regression alone (models/index.json's `logistic`, gtzan.sono when it is the default):
// no KNN holds its training rows, so its blob carries reference rows of its own, novelty.rows.
std::filesystem::path logistic_model_path() {
  const auto models = std::filesystem::path(SONOTYPE_SOURCE_DIR) / "models";
  const nlohmann::json index = test::read_json(models / "index.json");  // kept: the loop reads into it
  for (const auto& entry : index.at("models"))
    if (entry.at("name") == "logistic") return models / entry.at("file").get<std::string>();
  FAIL("models/index.json lists no model named logistic");
  return {};
}

std::vector<float> generate(std::size_t n, auto&& sample) {
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(sample(double(i) / kGtzanSampleRate, i));
  return y;
}

// The non-music inputs of issue 16, 30 s each unless said otherwise.
std::vector<std::pair<std::string, std::vector<float>>> not_music() {
  std::mt19937 rng(16);
  std::uniform_real_distribution<double> uniform(-0.5, 0.5);
  std::vector<std::pair<std::string, std::vector<float>>> inputs;
  inputs.emplace_back("DC offset", generate(kClip, [](double, std::size_t) { return 0.5; }));
  inputs.emplace_back("white noise", generate(kClip, [&](double, std::size_t) { return uniform(rng); }));
  inputs.emplace_back("full-scale square wave",
                      generate(kClip, [](double t, std::size_t) { return std::sin(2 * std::numbers::pi * 440 * t) >= 0 ? 0.999 : -0.999; }));
  inputs.emplace_back("a click in silence", generate(kClip, [](double, std::size_t i) { return i == kClip / 2 ? 1.0 : 0.0; }));
  inputs.emplace_back("a beep in silence", generate(kClip, [](double t, std::size_t) {
                        return t >= 14.5 && t < 15.5 ? 0.5 * std::sin(2 * std::numbers::pi * 440 * t) : 0.0;
                      }));
  return inputs;
}

// About 15 s of speech from espeak-ng, at 22050 Hz.
std::vector<float> speech() {
  const auto wav = test::temp_dir("novelty-speech") / "speech.wav";
  const std::string text =
      "The quick brown fox jumps over the lazy dog. This is a test of the speech synthesiser, which "
      "should not sound like music at all. We keep talking for a while, so that the clip is long "
      "enough to classify: about fifteen seconds of plain speech.";
  const std::string command = "espeak-ng -w '" + wav.string() + "' \"" + text + "\"";
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "espeak-ng failed (tools/install-deps.sh installs it)");
  return load_audio(wav, kGtzanSampleRate);
}

}  // namespace

TEST_CASE("novelty: percentile interpolates as numpy.percentile") {
  CHECK(model::percentile({4, 1, 3, 2}, 50) == doctest::Approx(2.5));
  CHECK(model::percentile({4, 1, 3, 2}, 99) == doctest::Approx(3.97));
  CHECK(model::percentile({4, 1, 3, 2}, 100) == 4);
  CHECK(model::percentile({7}, 90) == 7);
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(model::percentile({inf}, 50) == inf);  // not inf - inf
}

TEST_CASE("novelty: mean distance to the k nearest rows, and leave-one-out scores") {
  NoveltyDetector d;
  d.reference = NoveltyDetector::RowMatrix::Zero(4, 57);
  d.reference(1, 0) = 1;   // rows at 0, 1, 3 and 10 along the first axis
  d.reference(2, 0) = 3;
  d.reference(3, 0) = 10;
  d.k = 2;
  d.threshold = 2;
  Eigen::VectorXd z = Eigen::VectorXd::Zero(57);
  z[0] = 2;  // distances 2, 1, 1, 8
  CHECK(d(z).score == doctest::Approx(1.0));
  CHECK_FALSE(d(z).novel());
  z[0] = 20;  // 20, 19, 17, 10: nearest two 10 and 17
  CHECK(d(z).score == doctest::Approx(13.5));
  CHECK(d(z).novel());
  const std::vector<double> loo = model::leave_one_out_scores(d.reference, 2);
  REQUIRE(loo.size() == 4);
  CHECK(loo[0] == doctest::Approx(2.0));   // 1, 3
  CHECK(loo[1] == doctest::Approx(1.5));   // 1, 2
  CHECK(loo[2] == doctest::Approx(2.5));   // 2, 3
  CHECK(loo[3] == doctest::Approx(8.0));   // 7, 9
}

TEST_CASE("novelty: blob entries, their absence and their damage") {
  model::Blob blob = model::read_blob(test::read_bytes(default_model_path()));
  const std::optional<NoveltyDetector> detector = model::read_novelty(blob, kNumGtzanFeatures);
  REQUIRE(detector.has_value());
  CHECK((blob.text("novelty.reference").ends_with(".fit_X") || blob.text("novelty.reference") == "novelty.rows"));
  CHECK(detector->reference.rows() == blob.tensor(blob.text("novelty.reference")).shape[0]);
  CHECK(detector->threshold > 0);
  // The stored threshold is what the documented recipe gives on the stored rows.
  CHECK(detector->threshold ==
        doctest::Approx(model::percentile(model::leave_one_out_scores(detector->reference, detector->k), detector->percentile)));

  model::Blob without = blob;
  std::erase_if(without.metadata, [](const model::MetaEntry& e) { return e.key.starts_with("novelty."); });
  CHECK_FALSE(model::read_novelty(without, kNumGtzanFeatures).has_value());
  const GenreModel plain = GenreModel::from_bytes(model::write_blob(without));  // still loads
  const FeatureVector features =
      gtzan_features(generate(4 * kGtzanSampleRate, [](double t, std::size_t) { return 0.3 * std::sin(2 * std::numbers::pi * 440 * t); }));
  CHECK_FALSE(plain.predict(features).novelty.has_value());
  CHECK(default_model().predict(features).novelty.has_value());

  model::Blob partial = without;
  partial.metadata.push_back({"novelty.k", std::int64_t{5}});
  CHECK_THROWS_AS(model::read_novelty(partial, kNumGtzanFeatures), ModelError);
  model::Blob bad_k = blob;
  for (auto& e : bad_k.metadata)
    if (e.key == "novelty.k") e.value = std::int64_t{0};
  CHECK_THROWS_AS(model::read_novelty(bad_k, kNumGtzanFeatures), ModelError);
  model::Blob bad_reference = blob;
  for (auto& e : bad_reference.metadata)
    if (e.key == "novelty.reference") e.value = std::string("scaler.mean");
  CHECK_THROWS_AS(model::read_novelty(bad_reference, kNumGtzanFeatures), ModelError);
  CHECK_THROWS_AS(model::read_novelty(blob, kNumGtzanFeatures - 1), ModelError);  // not the standardised space's width
}

TEST_CASE("novelty: sounds that are not music are flagged") {
  const GenreModel model = default_model();
  auto inputs = not_music();
  inputs.emplace_back("speech (espeak-ng)", speech());
  for (const auto& [name, y] : inputs) {
    const SongResult song = classify_song(model, y);
    REQUIRE(song.novelty.has_value());
    MESSAGE(name << ": novelty " << song.novelty->score << " (threshold " << song.novelty->threshold << "), "
                 << model.labels()[song.top] << " " << song.proba[song.top]);
    CHECK_MESSAGE(song.novelty->novel(), name);
  }
}

// tools/fuzz.sh's one "crash" (audio case 511 of seed 1): a chord holding one sample of 2e6 has
// finite features, as librosa's, but one of them lands at 1e183 in the standardised space, whose
// squared distances overflowed: the window's score was infinite and the song's median NaN.
TEST_CASE("novelty: a click far outside [-1, 1] is far from the music, finitely") {
  const GenreModel model = default_model();
  std::vector<float> y = generate(4 * kGtzanSampleRate, [](double t, std::size_t) {
    double v = 0;
    for (const double hz : {220.0, 277.2, 329.6}) v += 0.2 * std::sin(2 * std::numbers::pi * hz * t);
    return v;
  });
  for (const float click : {2.1e6f, 1e7f}) {
    CAPTURE(click);
    y[y.size() / 2] = click;
    const SongResult song = classify_song(model, y);
    REQUIRE(song.novelty.has_value());
    CHECK(std::isfinite(song.novelty->score));
    CHECK(song.novelty->novel());
    REQUIRE(song.windows.front().prediction.novelty.has_value());
    CHECK(std::isfinite(song.windows.front().prediction.novelty->score));
    for (const double p : song.proba) CHECK(std::isfinite(p));
  }
}

TEST_CASE("novelty: logistic regression alone measures it on its own reference rows, and flags DC and a square wave") {
  const model::Blob blob = model::read_blob(test::read_bytes(logistic_model_path()));
  REQUIRE(blob.text("novelty.reference") == "novelty.rows");
  CHECK(blob.tensor("novelty.rows").shape == std::vector<std::uint32_t>{400, kNumGtzanFeatures});
  const GenreModel model = GenreModel::from_bytes(model::write_blob(blob));
  const auto inputs = not_music();
  for (const std::size_t i : {0, 2}) {  // the DC offset, the square wave
    const SongResult song = classify_song(model, inputs[i].second);
    REQUIRE(song.novelty.has_value());
    CHECK_MESSAGE(song.novelty->novel(), inputs[i].first << ": " << song.novelty->score << " (threshold "
                                                           << song.novelty->threshold << ")");
  }
}

TEST_CASE("novelty: no GTZAN dev clip is flagged by the default or by logistic regression, and the corrupt one fails as its own error") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  const GenreModel model = default_model();
  const GenreModel logistic = GenreModel::from_bytes(test::read_bytes(logistic_model_path()));
  int clips = 0;
  double highest = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*shared / "data/gtzan/dev_audio")) {
    if (entry.path().filename() == "jazz.00054.wav") {
      CHECK_THROWS_AS(load_audio(entry.path(), kGtzanSampleRate), AudioError);
      continue;
    }
    const std::vector<float> y = load_audio(entry.path(), kGtzanSampleRate);
    const SongResult song = classify_song(model, y), by_logistic = classify_song(logistic, y);
    REQUIRE(song.novelty.has_value());
    REQUIRE(by_logistic.novelty.has_value());
    highest = std::max(highest, song.novelty->score);
    CHECK_MESSAGE(!song.novelty->novel(), entry.path().filename().string() << ": " << song.novelty->score);
    CHECK_MESSAGE(!by_logistic.novelty->novel(), entry.path().filename().string() << " (logistic): " << by_logistic.novelty->score);
    ++clips;
  }
  MESSAGE(clips << " dev clips, highest novelty " << highest);
  CHECK(clips == 37);
}

TEST_CASE("novelty: classify says so in text and JSON, and still gives the probabilities") {
  const auto dir = test::temp_dir("novelty-cli");
  test::write_wav(dir / "noise.wav", not_music()[1].second, kGtzanSampleRate);
  const test::CliResult text = test::run_cli("classify '" + (dir / "noise.wav").string() + "'");
  CHECK(text.status == 0);
  CHECK(text.out.find("this does not sound like the music the model was trained on") != std::string::npos);
  CHECK(text.out.find("metal") != std::string::npos);  // every genre is still listed
  const test::CliResult json = test::run_cli("classify --json '" + (dir / "noise.wav").string() + "'");
  CHECK(json.status == 0);
  const auto doc = nlohmann::json::parse(json.out);
  const auto& file = doc.at("files").at(0);
  CHECK(file.at("novelty").at("novel") == true);
  CHECK(file.at("novelty").at("score").get<double>() > file.at("novelty").at("threshold").get<double>());
  CHECK(file.at("note") == "this does not sound like the music the model was trained on");
  CHECK(file.at("proba").size() == 10);
}

TEST_CASE("novelty: classify --format csv gives each song's novelty, a DC offset novel and a dev clip not") {
  const auto dir = test::temp_dir("novelty-csv");
  test::write_wav(dir / "dc, offset.wav", not_music()[0].second, kGtzanSampleRate);
  std::string files = test::shell_word(dir / "dc, offset.wav");
  const auto shared = test::shared_dir();
  if (shared) files += " " + test::shell_word(*shared / "data/gtzan/dev_audio/blues.00000.wav");
  const test::CliResult r = test::run_cli("classify --format csv " + files);
  CHECK(r.status == 0);
  const auto records = test::python_csv(r.out);
  REQUIRE(records.size() == (shared ? 3u : 2u));
  const auto& header = records.front();
  REQUIRE(header.size() >= 3);
  CHECK(header[header.size() - 3] == "error");  // the novelty columns come after the others
  CHECK(header[header.size() - 2] == "novelty");
  CHECK(header.back() == "novel");
  const double threshold = model::read_novelty(model::read_blob(test::read_bytes(default_model_path())), kNumGtzanFeatures)->threshold;
  for (std::size_t i = 1; i < records.size(); ++i) {
    REQUIRE(records[i].size() == header.size());
    const double score = std::stod(records[i][header.size() - 2]);
    CHECK(records[i].back() == (score > threshold ? "true" : "false"));
  }
  CHECK(records[1].back() == "true");  // the DC offset
  if (shared) CHECK(records[2].back() == "false");  // blues.00000.wav
}
