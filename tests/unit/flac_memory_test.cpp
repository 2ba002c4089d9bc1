// decode_flac (the WebAssembly module's FLAC reader, dr_flac) against libsndfile's load_audio, the
// command line's (librosa's soundfile) reader: the same samples, exactly, for 16- and 24-bit,
// mono and stereo files; and a clear error for every broken file.
#include "core/io/flac_memory.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/io/audio_file.h"
#include "tests/unit/cli_run.h"

namespace sonotype {

namespace {

std::vector<std::uint8_t> file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A FLAC file that ffmpeg encodes from 4 s of two tones and noise at `rate`.
std::filesystem::path make_flac(const std::filesystem::path& dir, const std::string& name, int rate, int channels,
                                const std::string& sample_fmt) {
  const auto path = dir / name;
  const std::string command = "ffmpeg -v error -f lavfi -i 'aevalsrc=0.4*sin(2*PI*220*t)+0.3*sin(2*PI*3000*t)+0.1*(random(0)*2-1):s=" +
                              std::to_string(rate) + ":d=4' -ac " + std::to_string(channels) + " -sample_fmt " +
                              sample_fmt + " -c:a flac '" + path.string() + "'";
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "failed: " << command);
  return path;
}

}  // namespace

TEST_CASE("decode_flac gives libsndfile's samples (load_audio at the file's own rate) exactly") {
  const auto dir = test::temp_dir("flac-memory");
  struct Case { const char* name; int rate, channels; const char* sample_fmt; };
  for (const Case c : {Case{"mono16.flac", 22050, 1, "s16"}, Case{"stereo16.flac", 44100, 2, "s16"},
                       Case{"stereo24.flac", 48000, 2, "s32"}}) {
    CAPTURE(c.name);
    const auto path = make_flac(dir, c.name, c.rate, c.channels, c.sample_fmt);
    const MonoAudio decoded = decode_flac(file_bytes(path));
    CHECK(decoded.sample_rate == c.rate);
    CHECK(decoded.samples.size() == std::size_t(4 * c.rate));
    CHECK(decoded.samples == load_audio(path, c.rate));
  }
}

TEST_CASE("decode_flac reads a FLAC file behind an ID3v2 tag as libsndfile does") {
  const auto dir = test::temp_dir("flac-memory-id3");
  const std::vector<std::uint8_t> flac = file_bytes(make_flac(dir, "plain.flac", 22050, 1, "s16"));
  // ID3v2.4, no flags, 116 bytes (syncsafe): a TIT2 frame "Blues", then padding.
  std::vector<std::uint8_t> tagged{'I', 'D', '3', 4, 0, 0, 0, 0, 0, 116, 'T', 'I', 'T', '2', 0, 0, 0, 6, 0, 0, 3, 'B', 'l', 'u', 'e', 's'};
  tagged.resize(10 + 116, 0);
  tagged.insert(tagged.end(), flac.begin(), flac.end());
  const auto path = dir / "tagged.flac";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(tagged.data()), std::streamsize(tagged.size()));
  const MonoAudio decoded = decode_flac(tagged);
  CHECK(decoded.samples == load_audio(path, 22050));
  CHECK(decoded.samples == decode_flac(flac).samples);
  // A tag and nothing after it is not FLAC.
  CHECK_THROWS_WITH_AS(decode_flac(std::vector<std::uint8_t>(tagged.begin(), tagged.begin() + 126)),
                       "not a FLAC file, or its header is damaged", AudioError);
}

TEST_CASE("decode_flac refuses broken FLAC with a message that says what is wrong") {
  const auto dir = test::temp_dir("flac-memory-broken");
  std::vector<std::uint8_t> good = file_bytes(make_flac(dir, "good.flac", 22050, 1, "s16"));
  const auto fails_with = [](const std::vector<std::uint8_t>& bytes, const std::string& message) {
    CHECK_THROWS_WITH_AS(decode_flac(bytes), doctest::Contains(message.c_str()), AudioError);
  };
  fails_with({}, "not a FLAC file, or its header is damaged");
  fails_with({'f', 'L', 'a', 'C', 0, 0, 0}, "not a FLAC file, or its header is damaged");
  fails_with(std::vector<std::uint8_t>(good.begin(), good.begin() + std::ptrdiff_t(good.size() / 2)),
             "the FLAC file is damaged or cut short: ");
  std::vector<std::uint8_t> damaged = good;
  std::fill_n(damaged.begin() + std::ptrdiff_t(damaged.size() / 2), 2048, std::uint8_t(0x55));
  fails_with(damaged, "the FLAC file is damaged or cut short: ");
  CHECK_THROWS_WITH_AS(decode_flac(good, 2.0), "the FLAC file lasts 4 s; the limit here is 2 s", AudioError);
}

}  // namespace sonotype
