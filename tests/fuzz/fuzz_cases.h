#pragma once
// What the audio fuzz test (tests/unit/audio_fuzz_test.cpp) and the long-run fuzz driver
// (tools/fuzz/driver.cpp, run by tools/fuzz.sh) share: small seed files in every format the CLI
// reads, made at run time; seeded byte-level damage; and one case of each kind, which must end
// in a finite answer or in the input's own error.
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/model/model.h"

namespace sonotype::fuzz {

using Bytes = std::vector<std::uint8_t>;

struct Seed {
  std::string extension;  // ".wav", ".flac", ".ogg", ".opus", ".mp3"
  Bytes bytes;
};

// Writes a 22050-Hz clip (a chord with a little noise) as 16-bit and float WAV, then has ffmpeg
// encode FLAC (also as written to a pipe, without a length), Ogg Vorbis, Opus and MP3 from it, all
// in `dir`: once 0.25 s long (quick cases, for the decoders and the features of short audio) and
// once 3.2 s long (long enough to classify). Short seeds first. Throws std::runtime_error when
// ffmpeg is missing or fails.
std::vector<Seed> make_audio_seeds(const std::filesystem::path& dir);

// The seed of case `i`: every kLongCaseEvery-th case damages a 3.2-s seed, the others a short one,
// each cycling through the formats.
inline constexpr long kLongCaseEvery = 32;
const Seed& seed_for_case(const std::vector<Seed>& seeds, long i);

// Seeded damage: bit flips, truncation, inserted, overwritten, duplicated or zeroed bytes, and
// edge values (0, 0xffffffff, ...) written over 32-bit fields of the first 256 bytes (headers).
class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}
  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  // Applies one to four kinds of damage to `b`; returns the name of the first, for statistics.
  const char* mutate(Bytes& b);

 private:
  const char* mutate_once(Bytes& b);
  std::mt19937_64 rng_;
};

// How a case ended when it did not fail: a finite answer, or the input's own error.
enum class Outcome { ok, refused };

// The audio path: load_audio(file) (at most 60 s), then classify_song (its windows' features,
// the model, novelty) when there are 3 s of audio, else gtzan_features alone. Refused: an
// AudioError or std::invalid_argument. Throws std::logic_error when an answer is not finite;
// anything else that escapes is a failure too.
Outcome audio_case(const GenreModel& model, const std::filesystem::path& file);

// The blob loader: GenreModel::from_bytes(blob), and predict() when it loads. Refused: ModelError
// or std::invalid_argument.
Outcome blob_case(const Bytes& blob);

// Makes a damaged blob consistent again (length at offset 8, CRC-32 at the end), as FORMAT.md
// defines it, so that damage reaches the parser behind the checksum.
void reseal(Bytes& blob);

}  // namespace sonotype::fuzz
