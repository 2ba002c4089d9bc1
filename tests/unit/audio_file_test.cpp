// load_audio against known signals: down-mixing, resampling to 22050 Hz (length as
// librosa.resample gives it, sines preserved, content above the new Nyquist removed), and files
// whose header does not know their length.
#include "core/io/audio_file.h"

#include <doctest/doctest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <string>
#include <vector>

#include "tests/unit/cli_run.h"

namespace sonotype {

namespace {

std::vector<float> sine(double freq, double rate, std::size_t n, double amplitude) {
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = float(amplitude * std::sin(2 * std::numbers::pi * freq * double(i) / rate));
  return y;
}

// The largest difference from the sine, away from the filter's edge transients at both ends.
double max_error_inside(const std::vector<float>& y, double freq, double amplitude, std::size_t margin) {
  const std::vector<float> want = sine(freq, 22050, y.size(), amplitude);
  double worst = 0;
  for (std::size_t i = margin; i + margin < y.size(); ++i) worst = std::max(worst, std::abs(double(y[i]) - double(want[i])));
  return worst;
}

// Runs a shell command (ffmpeg making a test file); the test fails if it does not succeed.
void run(const std::string& command) { REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "failed: " << command); }

// libsndfile's frame count for a file: SF_COUNT_MAX when the header does not know it.
sf_count_t header_frames(const std::filesystem::path& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  REQUIRE(file != nullptr);
  sf_close(file);
  return info.frames;
}

}  // namespace

TEST_CASE("load_audio reads a FLAC written to a pipe (no length in its header) to its end") {
  const auto dir = test::temp_dir("audio-piped-flac");
  const std::vector<float> y = sine(440, 22050, 3 * 22050 + 7, 0.5);
  test::write_wav(dir / "tone.wav", y, 22050);
  run("ffmpeg -v error -i '" + (dir / "tone.wav").string() + "' -f flac - > '" + (dir / "piped.flac").string() + "'");
  REQUIRE(header_frames(dir / "piped.flac") == SF_COUNT_MAX);  // the case this test is about

  const std::vector<float> from_wav = load_audio(dir / "tone.wav"), from_flac = load_audio(dir / "piped.flac");
  CHECK(from_flac.size() == y.size());
  CHECK(from_flac == from_wav);  // lossless: the same 16-bit samples

  // The length limit applies to what was decoded, with a message that names the file.
  CHECK_THROWS_WITH_AS(load_audio(dir / "piped.flac", 22050, 2.0),
                       doctest::Contains("piped.flac: audio is over 2 s long; the limit here is 2 s"), AudioError);
  CHECK(load_audio(dir / "piped.flac", 22050, 3.5).size() == y.size());
}

TEST_CASE("load_audio reads a truncated Opus file (no length in its header) as far as it goes") {
  const auto dir = test::temp_dir("audio-truncated-opus");
  test::write_wav(dir / "tone.wav", sine(440, 48000, 4 * 48000, 0.5), 48000);
  run("ffmpeg -v error -i '" + (dir / "tone.wav").string() + "' -c:a libopus -b:a 64k '" + (dir / "whole.opus").string() + "'");
  const auto whole_size = std::filesystem::file_size(dir / "whole.opus");
  std::filesystem::copy_file(dir / "whole.opus", dir / "cut.opus");
  std::filesystem::resize_file(dir / "cut.opus", whole_size / 2);
  REQUIRE(header_frames(dir / "cut.opus") == SF_COUNT_MAX);

  const std::vector<float> whole = load_audio(dir / "whole.opus", 48000), cut = load_audio(dir / "cut.opus", 48000);
  // About half of the 4 s survive, and they are the first half of the whole file's samples.
  CHECK(cut.size() > 48000);
  CHECK(cut.size() < 3 * 48000);
  REQUIRE(cut.size() <= whole.size());
  CHECK(std::equal(cut.begin(), cut.end(), whole.begin()));
  CHECK_THROWS_WITH_AS(load_audio(dir / "cut.opus", 48000, 1.0), doctest::Contains("cut.opus: audio is over 1 s long"),
                       AudioError);
}

TEST_CASE("load_audio resamples 44.1 kHz to 22050 Hz: ceil(n / 2) samples, the sine kept") {
  const auto path = test::temp_dir("audio-44k") / "sine.wav";
  test::write_wav(path, sine(1000, 44100, 88201, 0.5), 44100);  // 16-bit PCM, odd length
  const std::vector<float> y = load_audio(path);
  CHECK(y.size() == 44101);
  CHECK(max_error_inside(y, 1000, 0.5, 200) < 1e-3);
}

TEST_CASE("load_audio resamples 48 kHz by a non-integer ratio") {
  const auto path = test::temp_dir("audio-48k") / "sine.wav";
  test::write_wav(path, sine(3000, 48000, 48001, 0.25), 48000, /*as_float=*/true);
  const std::vector<float> y = load_audio(path);
  CHECK(y.size() == 22051);  // ceil(48001 * 22050 / 48000)
  CHECK(max_error_inside(y, 3000, 0.25, 200) < 1e-3);
}

TEST_CASE("load_audio removes content above the new Nyquist frequency instead of aliasing it") {
  const auto path = test::temp_dir("audio-alias") / "tone.wav";
  test::write_wav(path, sine(15000, 44100, 44100, 0.5), 44100, /*as_float=*/true);
  const std::vector<float> y = load_audio(path);
  double energy = 0;
  for (std::size_t i = 200; i + 200 < y.size(); ++i) energy += double(y[i]) * y[i];
  CHECK(std::sqrt(energy / double(y.size() - 400)) < 1e-3);  // the tone's own RMS is 0.35
}

TEST_CASE("load_audio down-mixes to the mean of the channels, exactly when no resampling is needed") {
  const auto path = test::temp_dir("audio-stereo") / "stereo.wav";
  const std::vector<float> left = sine(440, 22050, 22050, 0.5), right = sine(660, 22050, 22050, 0.25);
  std::vector<float> interleaved;
  for (std::size_t i = 0; i < left.size(); ++i) interleaved.insert(interleaved.end(), {left[i], right[i]});
  test::write_wav(path, interleaved, 22050, /*as_float=*/true, /*channels=*/2);
  const std::vector<float> y = load_audio(path);
  REQUIRE(y.size() == left.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < y.size(); ++i) differing += y[i] != (left[i] + right[i]) / 2.0f;
  CHECK(differing == 0);
}

TEST_CASE("load_audio down-mixes a 44.1 kHz stereo file before resampling it") {
  const auto path = test::temp_dir("audio-stereo-44k") / "stereo.wav";
  // Opposite tones cancel in the mean; what remains is the 500-Hz sine on the left alone.
  const std::vector<float> hum = sine(2000, 44100, 44100, 0.4), tone = sine(500, 44100, 44100, 0.6);
  std::vector<float> interleaved;
  for (std::size_t i = 0; i < hum.size(); ++i) interleaved.insert(interleaved.end(), {hum[i] + tone[i], -hum[i]});
  test::write_wav(path, interleaved, 44100, /*as_float=*/true, /*channels=*/2);
  const std::vector<float> y = load_audio(path);
  CHECK(y.size() == 22050);
  CHECK(max_error_inside(y, 500, 0.3, 200) < 1e-3);
}

}  // namespace sonotype
