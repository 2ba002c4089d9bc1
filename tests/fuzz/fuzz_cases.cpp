#include "tests/fuzz/fuzz_cases.h"

#include <sndfile.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <numbers>
#include <stdexcept>

#include "core/classify.h"
#include "core/gtzan.h"
#include "core/io/audio_file.h"
#include "core/model/crc32.h"

namespace sonotype::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr double kShortSeedSeconds = 0.25;
constexpr double kLongSeedSeconds = 3.2;  // just over classify's 3-s minimum: cases stay quick
constexpr const char* kSeedNames[] = {"seed.wav", "seed-float.wav", "seed.flac", "seed-pipe.flac",
                                      "seed.ogg", "seed.opus", "seed.mp3"};
constexpr double kMaxCaseSeconds = 60;    // longer decoded audio (a damaged length) is refused
constexpr std::size_t kHeaderBytes = 256;  // where headers live, for the edge-value damage
constexpr std::uint32_t kEdgeValues[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
                                         0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff};

Bytes read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_wav(const fs::path& path, const std::vector<float>& y, int format) {
  SF_INFO info{};
  info.samplerate = kGtzanSampleRate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | format;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!file) throw std::runtime_error("cannot write " + path.string());
  sf_write_float(file, y.data(), static_cast<sf_count_t>(y.size()));
  sf_close(file);
}

// A shell command that must succeed (ffmpeg writing a seed).
void run(const std::string& command) {
  if (std::system((command + " 2>/dev/null").c_str()) != 0) throw std::runtime_error("failed: " + command + " (is ffmpeg installed?)");
}

void check_finite(const std::vector<double>& values, const char* what) {
  for (double v : values)
    if (!std::isfinite(v)) throw std::logic_error(std::string("non-finite ") + what);
}

void check_song(const SongResult& song) {
  check_finite(song.proba, "song probability");
  for (const auto& b : song.base) check_finite(b.proba, "base probability");
  if (song.novelty && !std::isfinite(song.novelty->score)) throw std::logic_error("non-finite novelty");
  for (const WindowResult& w : song.windows) {
    check_finite(w.prediction.proba, "window probability");
    check_finite({w.features.begin(), w.features.end()}, "feature");
  }
}

}  // namespace

std::vector<Seed> make_audio_seeds(const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<Seed> seeds;
  for (const double seconds : {kShortSeedSeconds, kLongSeedSeconds}) {
    std::vector<float> y(static_cast<std::size_t>(seconds * kGtzanSampleRate));
    std::minstd_rand noise(1);
    for (std::size_t i = 0; i < y.size(); ++i) {
      const double t = double(i) / kGtzanSampleRate;
      double v = 0;
      for (const double hz : {220.0, 277.2, 329.6}) v += 0.2 * std::sin(2 * std::numbers::pi * hz * t);
      y[i] = static_cast<float>(v + 0.02 * (double(noise()) / double(noise.max()) - 0.5));
    }
    const fs::path wav = dir / "seed.wav";
    write_wav(wav, y, SF_FORMAT_PCM_16);
    write_wav(dir / "seed-float.wav", y, SF_FORMAT_FLOAT);
    const std::string in = "ffmpeg -nostdin -y -v error -i '" + wav.string() + "' ";
    run(in + "'" + (dir / "seed.flac").string() + "'");
    run(in + "-f flac - > '" + (dir / "seed-pipe.flac").string() + "'");  // STREAMINFO without a length
    run(in + "-c:a libvorbis -q:a 2 '" + (dir / "seed.ogg").string() + "'");
    run(in + "-ar 48000 -c:a libopus -b:a 24k '" + (dir / "seed.opus").string() + "'");
    run(in + "-c:a libmp3lame -b:a 64k '" + (dir / "seed.mp3").string() + "'");
    for (const char* name : kSeedNames) seeds.push_back({fs::path(name).extension().string(), read_bytes(dir / name)});
  }
  return seeds;
}

const Seed& seed_for_case(const std::vector<Seed>& seeds, long i) {
  const std::size_t formats = std::size(kSeedNames), n = static_cast<std::size_t>(i);
  if (i % kLongCaseEvery == kLongCaseEvery - 1) return seeds[formats + (n / kLongCaseEvery) % formats];
  return seeds[n % formats];
}

const char* Mutator::mutate(Bytes& b) {
  const char* first = mutate_once(b);
  for (std::size_t extra = below(4); extra > 0; --extra) mutate_once(b);
  return first;
}

const char* Mutator::mutate_once(Bytes& b) {
  if (b.empty()) b.push_back(0);
  const auto at = [&](std::size_t end) { return below(std::min(end, b.size())); };
  const auto random_byte = [&] { return static_cast<std::uint8_t>(below(256)); };
  switch (below(8)) {
    case 0:
      for (std::size_t n = 1 + below(8); n > 0; --n) b[below(b.size())] ^= static_cast<std::uint8_t>(1u << below(8));
      return "flipped bits";
    case 1: b.resize(below(b.size())); return "truncated";
    case 2: {
      Bytes extra(1 + below(64));
      for (auto& x : extra) x = random_byte();
      b.insert(b.begin() + static_cast<std::ptrdiff_t>(below(b.size() + 1)), extra.begin(), extra.end());
      return "inserted bytes";
    }
    case 3:
      for (std::size_t n = 1 + below(16); n > 0; --n) b[at(kHeaderBytes)] = random_byte();
      return "header bytes";
    case 4: {
      if (b.size() < 4) return "edge value (too short)";
      const std::size_t i = below(std::min(kHeaderBytes, b.size() - 3));
      const std::uint32_t v = kEdgeValues[below(std::size(kEdgeValues))];
      for (std::size_t k = 0; k < 4; ++k) b[i + k] = static_cast<std::uint8_t>(v >> (8 * k));
      return "header edge value";
    }
    case 5: {
      const std::size_t from = below(b.size()), n = 1 + below(std::min<std::size_t>(4096, b.size() - from));
      const Bytes chunk(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(from + n));
      b.insert(b.begin() + static_cast<std::ptrdiff_t>(below(b.size() + 1)), chunk.begin(), chunk.end());
      return "duplicated bytes";
    }
    case 6: {
      const std::size_t from = below(b.size()), n = 1 + below(std::min<std::size_t>(4096, b.size() - from));
      std::fill_n(b.begin() + static_cast<std::ptrdiff_t>(from), n, static_cast<std::uint8_t>(below(2) ? 0 : 0xff));
      return "zeroed or filled bytes";
    }
    default:
      for (std::size_t n = 1 + below(64); n > 0; --n) b[below(b.size())] = random_byte();
      return "overwritten bytes";
  }
}

Outcome audio_case(const GenreModel& model, const fs::path& file) {
  try {
    const std::vector<float> y = load_audio(file, kGtzanSampleRate, kMaxCaseSeconds);
    if (y.size() >= kMinSongSamples) {
      check_song(classify_song(model, y));
    } else {
      const FeatureVector f = gtzan_features(y);
      check_finite({f.begin(), f.end()}, "feature");
    }
    return Outcome::ok;
  } catch (const AudioError&) {
    return Outcome::refused;
  } catch (const std::invalid_argument&) {
    return Outcome::refused;
  }
}

Outcome blob_case(const Bytes& blob) {
  try {
    const GenreModel model = GenreModel::from_bytes(blob);
    FeatureVector features;
    features.fill(0.5);
    const Prediction p = model.predict(features);
    check_finite(p.proba, "probability");
    return Outcome::ok;
  } catch (const ModelError&) {
    return Outcome::refused;
  } catch (const std::invalid_argument&) {
    return Outcome::refused;
  }
}

void reseal(Bytes& blob) {
  if (blob.size() < 12) return;
  const auto put_u32 = [&](std::size_t at, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) blob[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  };
  put_u32(8, static_cast<std::uint32_t>(blob.size()));
  put_u32(blob.size() - 4, model::crc32(std::span(blob).first(blob.size() - 4)));
}

}  // namespace sonotype::fuzz
