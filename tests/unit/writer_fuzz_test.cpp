// Fuzzing the CLI's CSV and M3U writers on every run (tests/fuzz/fuzz_cases.h): seeded odd song
// names and folders (quotes, commas, '#', CR, LF, non-ASCII and invalid UTF-8, very long names)
// written as classify's CSV rows and --playlists; the CSV must read back by RFC 4180's grammar
// and each playlist must list each of its songs once, with a path that leads back to it.
// tools/fuzz.sh runs the same cases by the thousand under ASan and UBSan.
#include <doctest/doctest.h>

#include "tests/fuzz/fuzz_cases.h"
#include "tests/unit/cli_run.h"
#include "tests/unit/model_support.h"

namespace {

constexpr std::uint64_t kSeed = 20261202;
constexpr int kCases = 300;
const std::vector<std::string> kLabels{"blues", "classical", "country", "disco", "hiphop",
                                       "jazz", "metal", "pop", "reggae", "rock"};

}  // namespace

TEST_CASE("writer fuzz: odd names read back from the CSV, and each song is one playlist entry") {
  using namespace sonotype;
  const auto root = test::temp_dir("writer-fuzz");
  fuzz::Mutator mutator(kSeed);
  int ok = 0, refused = 0;
  for (int i = 0; i < kCases; ++i) {
    const fuzz::WriterCase c = fuzz::make_writer_case(mutator, root, kLabels);
    try {
      (fuzz::writers_case(c) == fuzz::Outcome::ok ? ok : refused)++;
    } catch (const std::exception& e) {
      FAIL("case " << i << ": " << std::string(e.what()) << "\n" << fuzz::describe(c));
    }
  }
  MESSAGE(kCases << " writer cases: " << ok << " all listed, " << refused << " with a name that breaks lines, reported");
  CHECK(ok > 0);
  CHECK(refused > 0);
}

TEST_CASE("writer fuzz: a song whose name starts with '#' is listed, not read as a comment") {
  using namespace sonotype;
  const auto root = test::temp_dir("writer-hash");
  fuzz::WriterCase c{root / "songs", kLabels, {(root / "songs/#1 hit, \"live\".wav").string()}, {3}};
  CHECK(fuzz::writers_case(c) == fuzz::Outcome::ok);
  const std::vector<std::uint8_t> list = test::read_bytes(root / "songs/disco.m3u8");
  CHECK(std::string(list.begin(), list.end()).find("\n./#1 hit, \"live\".wav\n") != std::string::npos);
}
