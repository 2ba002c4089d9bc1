#pragma once
// What the fuzz tests (tests/unit/audio_fuzz_test.cpp, writer_fuzz_test.cpp) and the long-run
// fuzz driver (tools/fuzz/driver.cpp, run by tools/fuzz.sh) share: small seed files in every
// format the CLI reads, made at run time; seeded byte-level damage; odd file names for the CSV
// and M3U writers; and one case of each kind, which must end in a finite answer or in the
// input's own error.
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
// the model, novelty) when there are 3 s of audio, else gtzan_features alone; for a .flac file
// also decode_flac on its bytes (dr_flac, the WebAssembly module's and the packages' reader),
// which must decode to finite samples or throw an AudioError. Refused: an AudioError or
// std::invalid_argument from load_audio or the features. Throws std::logic_error when an answer
// is not finite; anything else that escapes is a failure too.
Outcome audio_case(const GenreModel& model, const std::filesystem::path& file);

// The blob loader: GenreModel::from_bytes(blob), and predict() when it loads. Refused: ModelError
// or std::invalid_argument.
Outcome blob_case(const Bytes& blob);

// The CLI's writers (tools/cli/csv.h, tools/cli/playlists.h) given odd names: songs whose paths
// hold quotes, commas, semicolons, '#', spaces, tabs, CR, LF, control characters, non-ASCII
// UTF-8, invalid UTF-8, ".." and very long names (folders of up to 255 bytes, paths of
// thousands), below `root`, each given a genre: `labels`, or in half the cases as many odd genre
// names (path climbs such as "../escape", separators, a leading '.', the empty name, names that
// differ only in case, and the odd names above); the playlists go into root/lists, into the
// songs' own folder or into one of their subfolders.
struct WriterCase {
  std::filesystem::path playlists;   // the --playlists folder (absolute)
  std::vector<std::string> labels;   // the genres
  std::vector<std::string> songs;    // absolute paths, as the command line reached them
  std::vector<std::size_t> genre;    // each song's, into labels
};
WriterCase make_writer_case(Mutator& mutator, const std::filesystem::path& root, const std::vector<std::string>& labels);

// The case in words, one song per line, every byte outside printable ASCII as \xHH: what
// tools/fuzz.sh keeps of a failing case.
std::string describe(const WriterCase& c);

// Writes the songs as `classify --format csv` rows (path, genre, probabilities, error) and the
// playlists. Ok: the CSV parses back as RFC 4180 defines it (every record as many fields as the
// header, each path and genre round-trips byte for byte) and each song is one #EXTINF entry of
// its genre's playlist (a plain file directly in the folder, named apart from the others), whose
// path line leads back to the song. Refused: the same, except that
// songs whose names hold a line break (which no playlist can list) are each reported by name
// instead. Throws std::logic_error, saying what, for anything else.
Outcome writers_case(const WriterCase& c);

// Makes a damaged blob consistent again (length at offset 8, CRC-32 at the end), as FORMAT.md
// defines it, so that damage reaches the parser behind the checksum.
void reseal(Bytes& blob);

}  // namespace sonotype::fuzz
