#include "tests/fuzz/fuzz_cases.h"

#include <sndfile.h>
#include <strings.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "core/classify.h"
#include "core/gtzan.h"
#include "core/io/audio_file.h"
#include "core/io/flac_memory.h"
#include "core/model/crc32.h"
#include "tools/cli/csv.h"
#include "tools/cli/playlists.h"

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


// What odd names are made of: bytes that CSV quotes, that shells and players treat specially,
// non-ASCII UTF-8 (accents, CJK, an emoji, U+2028, NEL, a BOM, a right-to-left mark) and invalid
// UTF-8 (lone bytes 0xff, 0xfe and 0xc3, an overlong '/', a surrogate); and, rarer (one piece in
// kLineBreakOdds, so that about half the cases hold none), line breaks.
constexpr std::string_view kLineBreaks[] = {"\r", "\n", "\r\n"};
constexpr std::size_t kLineBreakOdds = 64;
constexpr std::string_view kNamePieces[] = {
    "\"", "'", ",", ";", "#", " ", "\t", "\x01", "\x1b", "\x7f", "\\", "*", "?", "$", "`", "!",
    "%20", "~", "-", ".", "é", "日本", "\xf0\x9f\x8e\xb5", "\xe2\x80\xa8", "\xc2\x85", "\xef\xbb\xbf",
    "\xe2\x80\x8f", "\xff", "\xfe", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "Blues, \"live\" é", "a", "song", "1"};
constexpr std::size_t kLongestName = 255;  // bytes in a file name on most file systems
constexpr std::string_view kSongExtensions[] = {".wav", ".mp3", ".flac", ".ogg", ".opus"};

// One folder or file name: a few pieces, now and then repeated to up to kLongestName bytes.
std::string odd_name(Mutator& m) {
  std::string name;
  for (std::size_t n = 1 + m.below(6); n > 0; --n)
    name += m.below(kLineBreakOdds) == 0 ? kLineBreaks[m.below(std::size(kLineBreaks))]
                                         : kNamePieces[m.below(std::size(kNamePieces))];
  if (m.below(8) == 0) {
    const std::string unit = name;
    while (name.size() + unit.size() <= kLongestName) name += unit;
  }
  return name;
}

// The records of `text` read strictly by RFC 4180's grammar (its section 2): a field is either
// enclosed in quotes (anything, a quote doubled) or holds no comma, quote, CR or LF; every record
// ends in LF or CRLF. Throws std::logic_error at the first byte the grammar does not allow.
std::vector<std::vector<std::string>> parse_rfc4180(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::size_t i = 0;
  const auto bad = [&](const std::string& why) { throw std::logic_error("CSV byte " + std::to_string(i) + ": " + why); };
  while (i < text.size()) {
    std::string field;
    if (text[i] == '"') {
      for (++i;; ++i) {
        if (i == text.size()) bad("a quoted field is never closed");
        if (text[i] != '"') field += text[i];
        else if (i + 1 < text.size() && text[i + 1] == '"') field += text[i++];
        else break;
      }
      ++i;  // the closing quote
    } else {
      const std::size_t end = std::min(text.find_first_of(",\"\r\n", i), text.size());
      if (end < text.size() && text[end] == '"') bad("a quote inside a field that is not quoted");
      field = text.substr(i, end - i);
      i = end;
    }
    record.push_back(std::move(field));
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i == text.size() || text[i] != '\n') bad("expected a comma or the end of the record");
    ++i;
    records.push_back(std::move(record));
    record.clear();
  }
  if (!record.empty()) bad("the last record does not end in a line break");
  return records;
}

bool breaks_lines(std::string_view name) { return name.find_first_of("\r\n") != std::string_view::npos; }

// Genre g's playlist lists exactly the songs of that genre that can be listed, in order, each as
// an #EXTINF line (length, the file name's stem) and a path line that leads back to the song.
void check_playlist(const WriterCase& c, const std::string& file_name, std::size_t g) {
  const fs::path file = c.playlists / file_name;
  const Bytes bytes = read_bytes(file);
  const std::string text(bytes.begin(), bytes.end());
  const auto bad = [&](const std::string& why) { throw std::logic_error(file.filename().string() + ": " + why); };
  if (text.find('\r') != std::string::npos) bad("a CR breaks a line");
  if (text.empty() || text.back() != '\n') bad("does not end in a line break");
  std::vector<std::string> lines;
  for (std::size_t from = 0; from < text.size();) {
    const std::size_t end = text.find('\n', from);
    lines.push_back(text.substr(from, end - from));
    from = end + 1;
  }
  std::vector<std::size_t> expected;
  for (std::size_t s = 0; s < c.songs.size(); ++s)
    if (c.genre[s] == g && !breaks_lines(c.songs[s])) expected.push_back(s);
  if (lines.front() != "#EXTM3U") bad("does not start with #EXTM3U");
  if (lines.size() != 1 + 2 * expected.size())
    bad(std::to_string(lines.size()) + " lines for " + std::to_string(expected.size()) + " songs");
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const fs::path song = c.songs[expected[k]];
    const std::string& info = lines[1 + 2 * k];
    const std::string& path = lines[2 + 2 * k];
    const std::size_t comma = info.find(',');
    if (!info.starts_with("#EXTINF:") || comma == std::string::npos || info.substr(comma + 1) != song.stem().string())
      bad("entry " + std::to_string(k) + " has the #EXTINF line '" + info + "'");
    if (path.empty() || path.front() == '#') bad("entry " + std::to_string(k) + "'s path line '" + path + "' reads as a comment");
    if ((c.playlists / path).lexically_normal() != song.lexically_normal())
      bad("entry " + std::to_string(k) + "'s path '" + path + "' does not lead to " + song.string());
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
  if (file.extension() == ".flac") {
    try {
      const MonoAudio flac = decode_flac(read_bytes(file), kMaxCaseSeconds);
      if (!std::all_of(flac.samples.begin(), flac.samples.end(), [](float v) { return std::isfinite(v); }))
        throw std::logic_error("decode_flac gave a sample that is not finite");
    } catch (const AudioError&) {
      // refused by the module's reader: what libsndfile makes of the file is checked below
    }
  }
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

// Genre names a taught model or a blob may hold: any text (distinct), now and then a usual one.
std::vector<std::string> odd_labels(Mutator& m, const std::vector<std::string>& labels) {
  static constexpr const char* kEscapes[] = {"../escape", "..", ".", "", "a/b", "/abs", "\\back", "x:y*?", ".hidden", "Rock"};
  std::vector<std::string> out;
  while (out.size() < labels.size()) {
    std::string label = m.below(3) == 0 ? labels[out.size()]
                        : m.below(2) == 0 ? std::string(kEscapes[m.below(std::size(kEscapes))])
                                          : odd_name(m);
    if (std::find(out.begin(), out.end(), label) == out.end()) out.push_back(std::move(label));
  }
  return out;
}

WriterCase make_writer_case(Mutator& m, const fs::path& root, const std::vector<std::string>& labels) {
  WriterCase c;
  c.labels = m.below(2) == 0 ? labels : odd_labels(m, labels);
  const fs::path songs = root / "songs";
  const fs::path lists[] = {root / "lists", songs, songs / "sub, \"lists\" é"};
  c.playlists = lists[m.below(std::size(lists))];
  for (std::size_t n = 1 + m.below(8); n > 0; --n) {
    fs::path path = songs;
    for (std::size_t folders = m.below(4); folders > 0; --folders) path /= m.below(16) == 0 ? std::string("..") : odd_name(m);
    path /= odd_name(m) + std::string(kSongExtensions[m.below(std::size(kSongExtensions))]);
    c.songs.push_back(path.string());
    c.genre.push_back(m.below(labels.size()));
  }
  return c;
}

std::string describe(const WriterCase& c) {
  const auto escaped = [](std::string_view text) {
    std::string out;
    for (const unsigned char b : text) {
      if (b >= 0x20 && b < 0x7f && b != '\\') {
        out += static_cast<char>(b);
      } else {
        char hex[5];
        std::snprintf(hex, sizeof hex, "\\x%02x", b);
        out += hex;
      }
    }
    return out;
  };
  std::ostringstream out;
  out << "playlists: " << escaped(c.playlists.string()) << "\n";
  for (std::size_t s = 0; s < c.songs.size(); ++s) out << escaped(c.labels[c.genre[s]]) << ": " << escaped(c.songs[s]) << "\n";
  return out.str();
}

Outcome writers_case(const WriterCase& c) {
  // classify --format csv's table: path, genre, probability, second genre, each genre's, error.
  std::vector<std::string> header{"path", "genre", "probability", "second_genre"};
  header.insert(header.end(), c.labels.begin(), c.labels.end());
  header.push_back("error");
  std::string csv = cli::csv_line(header);
  for (std::size_t s = 0; s < c.songs.size(); ++s) {
    std::vector<std::string> row{c.songs[s], c.labels[c.genre[s]], "0.500000", c.labels[(c.genre[s] + 1) % c.labels.size()]};
    row.resize(header.size() - 1, "0.050000");
    row.push_back(s % 3 == 2 ? c.songs[s] + ": cannot be decoded" : "");  // now and then a failed file's error
    csv += cli::csv_line(row);
  }
  const auto records = parse_rfc4180(csv);
  if (records.size() != 1 + c.songs.size()) throw std::logic_error("CSV: " + std::to_string(records.size()) + " records");
  if (records.front() != header) throw std::logic_error("CSV: the header does not read back");
  for (std::size_t s = 0; s < c.songs.size(); ++s) {
    const auto& record = records[1 + s];
    if (record.size() != header.size())
      throw std::logic_error("CSV: song " + std::to_string(s) + "'s record has " + std::to_string(record.size()) + " fields");
    if (record.front() != c.songs[s] || record[1] != c.labels[c.genre[s]] ||
        record.back() != (s % 3 == 2 ? c.songs[s] + ": cannot be decoded" : ""))
      throw std::logic_error("CSV: song " + std::to_string(s) + "'s path, genre or error does not read back");
  }

  std::vector<cli::PlaylistSong> listed;
  std::vector<std::string> unlistable;
  for (std::size_t s = 0; s < c.songs.size(); ++s) {
    listed.push_back({c.songs[s], 30.0 + static_cast<double>(s), c.genre[s]});
    if (breaks_lines(c.songs[s])) unlistable.push_back(c.songs[s]);
  }
  const std::vector<std::string> problems = cli::write_playlists(c.playlists, c.labels, listed);
  if (problems.size() != unlistable.size())
    throw std::logic_error("playlists: " + std::to_string(problems.size()) + " problems for " +
                           std::to_string(unlistable.size()) + " names with line breaks" +
                           (problems.empty() ? "" : ", the first: " + problems.front()));
  for (std::size_t k = 0; k < problems.size(); ++k)
    if (!problems[k].starts_with(unlistable[k] + ": ")) throw std::logic_error("playlists: a problem does not name its song");
  // Whatever the genres are called, each playlist is its own plain file directly inside the folder.
  const std::vector<std::string> names = cli::playlist_file_names(c.labels);
  for (std::size_t g = 0; g < c.labels.size(); ++g) {
    const std::string& name = names[g];
    if (name.empty() || name.size() > 255 || name.front() == '.' || name.find('/') != std::string::npos ||
        std::any_of(name.begin(), name.end(), [](char b) { return static_cast<unsigned char>(b) < 0x20; }))
      throw std::logic_error("playlists: genre " + std::to_string(g) + " gets the file name '" + name + "'");
    for (std::size_t h = 0; h < g; ++h)
      if (strcasecmp(names[h].c_str(), name.c_str()) == 0)
        throw std::logic_error("playlists: genres " + std::to_string(h) + " and " + std::to_string(g) + " share '" + name + "'");
    check_playlist(c, name, g);
  }
  return unlistable.empty() ? Outcome::ok : Outcome::refused;
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
