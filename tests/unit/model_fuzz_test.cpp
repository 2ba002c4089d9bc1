// Fuzzing the model loader: a valid blob damaged many thousands of ways (seeded, so failures
// reproduce) must either load or be refused with a ModelError; never crash, read out of bounds
// (run under -fsanitize=address,undefined to see that), or throw anything else.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <typeinfo>

#include "core/model/model.h"
#include "tests/unit/model_support.h"

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr int kIterations = 10000;  // per fixture
constexpr std::uint64_t kSeed = 20240611;

// Values that sit on the edges of the reader's checks, for overwriting 32-bit fields.
constexpr std::uint32_t kEdgeValues[] = {0, 1, 2, 4, 63, 64, 65, 128, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffc0, 0xffffffff};

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  std::uint8_t byte() { return static_cast<std::uint8_t>(below(256)); }

  // One random kind of damage; returns its name for the statistics.
  const char* mutate(Bytes& b) {
    switch (below(8)) {
      case 0: flip_bits(b); return "flipped bits";
      case 1: b.resize(below(b.size())); return "truncated";
      case 2: insert(b); return "inserted bytes";
      case 3: overwrite(b, table_end(b)), reseal(b); return "resealed: header/table bytes";
      case 4: overwrite_u32(b, table_end(b)), reseal(b); return "resealed: header/table edge value";
      case 5: overwrite(b, b.size()), reseal(b); return "resealed: any bytes";
      case 6: b.resize(std::max<std::size_t>(12, below(b.size()))), reseal(b); return "resealed: truncated";
      default: insert(b), reseal(b); return "resealed: inserted bytes";
    }
  }

 private:
  // Where the tables end (the data section offset), or the whole blob if that field is broken.
  static std::size_t table_end(const Bytes& b) {
    if (b.size() < 24) return b.size();
    const std::size_t d = b[20] | b[21] << 8 | b[22] << 16 | static_cast<std::size_t>(b[23]) << 24;
    return std::min(d, b.size());
  }
  static void reseal(Bytes& b) {
    if (b.size() >= 12) sonotype::test::reseal(b);
  }
  void flip_bits(Bytes& b) {
    for (std::size_t n = 1 + below(8); n > 0 && !b.empty(); --n) b[below(b.size())] ^= static_cast<std::uint8_t>(1u << below(8));
  }
  void insert(Bytes& b) {
    const auto at = b.begin() + static_cast<std::ptrdiff_t>(below(b.size() + 1));
    Bytes extra(1 + below(16));
    for (auto& x : extra) x = byte();
    b.insert(at, extra.begin(), extra.end());
  }
  void overwrite(Bytes& b, std::size_t end) {
    for (std::size_t n = 1 + below(4); n > 0 && end > 0; --n) b[below(end)] = byte();
  }
  void overwrite_u32(Bytes& b, std::size_t end) {
    if (end < 4) return;
    const std::size_t at = below(end - 3);
    const std::uint32_t v = kEdgeValues[below(std::size(kEdgeValues))];
    for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  }

  std::mt19937_64 rng_;
};

}  // namespace

// Three graphs between them hold every sort of entry: a stacking of KNN, SVC and MLP under
// transforms (tiny_model); selection, soft voting, logistic, a forest and naive Bayes
// (kind_selection_voting); PCA and boosted trees' shared node arrays (kind_hist_gradient_boosting).
TEST_CASE("model fuzz: damaged blobs load or raise ModelError, nothing else") {
  sonotype::FeatureVector features;
  features.fill(1.0);
  for (const char* fixture : {"tiny_model", "kind_selection_voting", "kind_hist_gradient_boosting"}) {
    CAPTURE(fixture);
    const Bytes valid = sonotype::test::convert_with_cli(sonotype::test::tiny_fixture(fixture), "f16");
    Mutator mutator(kSeed);
    std::map<std::string, int> kinds;
    int loaded = 0, refused = 0, not_finite = 0;
    for (int i = 0; i < kIterations; ++i) {
      Bytes b = valid;
      const char* kind = mutator.mutate(b);
      ++kinds[kind];
      try {
        const sonotype::GenreModel model = sonotype::GenreModel::from_bytes(b);
        ++loaded;
        try {
          (void)model.predict(features);  // a model that loads must also run, or say why not
        } catch (const std::invalid_argument&) {
          ++not_finite;  // damaged weights can be finite and still overflow; predict says so
        }
      } catch (const sonotype::ModelError&) {
        ++refused;
      } catch (const std::exception& e) {
        FAIL("iteration " << i << " (" << kind << "): " << typeid(e).name() << ": " << e.what());
      }
    }
    MESSAGE(fixture << ": " << kIterations << " damaged blobs: " << loaded << " loaded (" << not_finite
                    << " of them with non-finite answers, refused by predict), " << refused << " refused with ModelError");
    for (const auto& [kind, count] : kinds) MESSAGE("  " << kind << ": " << count);
    CHECK(loaded + refused == kIterations);
  }
}
