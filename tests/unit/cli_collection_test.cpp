// `sonotype classify`, `features` and `similar` on folders (issue 10): recursion in a stable
// order, the output formats (CSV checked by Python's csv module, an independent RFC 4180 reader),
// playlists, "more like this", --version, and every bad input of a collection each reported in
// its own row while the rest carries on.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <map>
#include <numbers>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "tests/unit/cli_run.h"
#include "tools/cli/playlists.h"
#include "tests/unit/reference.h"

namespace fs = std::filesystem;
using sonotype::test::CliResult;
using sonotype::test::python_csv;
using sonotype::test::run_cli;
using sonotype::test::shell_word;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }


// 4 s of a chord with some noise; `seed` sets its pitches and noise, so songs differ.
std::vector<float> song(unsigned seed, double seconds = 4) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> pitch(110, 880), noise(-1, 1);
  const double f1 = pitch(rng), f2 = pitch(rng), level = 0.02 + 0.1 * (seed % 5);
  std::vector<float> y(std::size_t(seconds * 22050));
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double t = double(i) / 22050;
    y[i] = float(0.2 * std::sin(2 * std::numbers::pi * f1 * t) + 0.1 * std::sin(2 * std::numbers::pi * f2 * t) * (1 + std::sin(7 * t)) +
                 level * noise(rng));
  }
  return y;
}

void write_song(const fs::path& path, unsigned seed, double seconds = 4) {
  fs::create_directories(path.parent_path());
  sonotype::test::write_wav(path, song(seed, seconds), 22050);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A small collection: nested folders, odd names, two files that are not audio.
fs::path make_collection(const std::string& name) {
  const fs::path root = sonotype::test::temp_dir(name) / "music";
  write_song(root / "b" / "z.wav", 1);
  write_song(root / "a" / "y.wav", 2);
  write_song(root / "a c" / "x.wav", 3);
  write_song(root / "B.WAV", 4);
  write_song(root / "Folder, with comma" / "Blues, \"live\" é.wav", 5);
  write_song(root / "Folder, with comma" / "it's here.wav", 6);
  std::ofstream(root / "notes.txt") << "not audio\n";
  std::ofstream(root / "a" / "cover.jpg") << "not audio either\n";
  return root;
}

// The relative paths of make_collection's songs, byte-wise sorted: ' ' < ',' < '/' < 'B' < 'a'.
const std::vector<std::string> kSorted{"B.WAV", "Folder, with comma/Blues, \"live\" é.wav",
                                       "Folder, with comma/it's here.wav", "a c/x.wav", "a/y.wav", "b/z.wav"};

const std::vector<std::string> kLabels{"blues", "classical", "country", "disco", "hiphop",
                                       "jazz",  "metal",     "pop",     "reggae", "rock"};

// The error cell of a classify --format csv record: the error, then the novelty and novel columns.
const std::string& error_cell(const std::vector<std::string>& record) { return record.at(record.size() - 3); }

}  // namespace

TEST_CASE("collection: classify --format csv recurses into folders in sorted order, skips and counts what is not audio") {
  const fs::path root = make_collection("collection-csv");
  const CliResult r = run_cli("classify --format csv -j 2 " + shell_word(root));
  CHECK(r.status == 0);
  CHECK(contains(r.err, "2 files skipped: not audio"));
  CHECK_FALSE(contains(r.err, "per minute"));  // no progress when stderr is not a terminal
  const auto records = python_csv(r.out);
  REQUIRE(records.size() == kSorted.size() + 1);
  std::vector<std::string> header{"path", "genre", "probability", "second_genre"};
  header.insert(header.end(), kLabels.begin(), kLabels.end());
  header.insert(header.end(), {"error", "novelty", "novel"});
  CHECK(records[0] == header);
  for (std::size_t i = 0; i < kSorted.size(); ++i) {
    const auto& row = records[i + 1];
    REQUIRE(row.size() == header.size());
    CHECK(row[0] == (root / kSorted[i]).string());
    CHECK(error_cell(row).empty());
    CHECK(std::stod(row[header.size() - 2]) > 0);  // novelty.h's mean distance
    CHECK((row.back() == "true" || row.back() == "false"));
    std::vector<double> proba;
    for (std::size_t c = 0; c < kLabels.size(); ++c) proba.push_back(std::stod(row[4 + c]));
    double sum = 0;
    for (double p : proba) sum += p;
    CHECK(sum == doctest::Approx(1).epsilon(1e-5));
    std::vector<std::size_t> order(proba.size());
    for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return proba[a] > proba[b]; });
    CHECK(row[1] == kLabels[order[0]]);
    CHECK(row[3] == kLabels[order[1]]);
    CHECK(std::stod(row[2]) == proba[order[0]]);
  }
}

TEST_CASE("collection: classify text, json and --json give the same genres as csv") {
  const fs::path root = make_collection("collection-formats");
  const auto csv = python_csv(run_cli("classify --format csv " + shell_word(root)).out);
  const CliResult json = run_cli("classify --format json " + shell_word(root));
  const CliResult alias = run_cli("classify --json " + shell_word(root));
  const CliResult text = run_cli("classify --format text " + shell_word(root));
  CHECK(json.status == 0);
  const auto doc = nlohmann::json::parse(json.out), alias_doc = nlohmann::json::parse(alias.out);
  REQUIRE(doc.at("files").size() == kSorted.size());
  for (std::size_t i = 0; i < kSorted.size(); ++i) {
    CHECK(doc["files"][i].at("file") == csv[i + 1][0]);
    CHECK(doc["files"][i].at("genre") == csv[i + 1][1]);
    CHECK(alias_doc["files"][i].at("proba") == doc["files"][i].at("proba"));
    CHECK(contains(text.out, csv[i + 1][0] + ": " + csv[i + 1][1] + " ("));
  }
  CHECK(run_cli("classify --format xml " + shell_word(root)).status != 0);
}

TEST_CASE("collection: features quotes names with commas, quotes and non-ASCII as RFC 4180 says (issue 16 item 4)") {
  const fs::path root = make_collection("collection-features");
  const fs::path odd = root / "Folder, with comma" / "Blues, \"live\" é.wav";
  const CliResult r = run_cli("features " + shell_word(root) + " " + shell_word(odd));
  CHECK(r.status == 1);  // odd is also found in the folder: a duplicate, reported
  const auto records = python_csv(r.out);
  REQUIRE(records.size() == kSorted.size() + 1);
  for (const auto& record : records) CHECK(record.size() == 60);
  for (std::size_t i = 0; i < kSorted.size(); ++i) CHECK(records[i + 1][0] == kSorted[i]);
  CHECK(records[2].back() == "Folder, with comma");  // label: the folder's name
  CHECK(contains(r.err, odd.string() + ": the same file as " + odd.string() + ", left out"));

  // Named by itself, the file's row holds its name alone, quoted.
  const CliResult alone = run_cli("features " + shell_word(odd));
  CHECK(alone.status == 0);
  CHECK(contains(alone.out, "\n\"Blues, \"\"live\"\" é.wav\",88200,"));
  const auto rows = python_csv(alone.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][0] == "Blues, \"live\" é.wav");
  CHECK(rows[1].size() == 60);
}

TEST_CASE("playlists: every genre gets one plain file name, as the page names it") {
  // The table of tests/browser/playlists.test.mjs, and bytes only C++ can be given.
  const std::string e_acute = "\xc3\xa9";
  std::string long_name = "a", long_file = "a";
  for (int i = 0; i < 150; ++i) long_name += e_acute;
  for (int i = 0; i < 99; ++i) long_file += e_acute;  // 301 bytes, cut before the character at byte 200
  const std::vector<std::pair<std::string, std::string>> table{
      {"rock", "rock.m3u8"}, {"../escape", "_._escape.m3u8"}, {"..", "_..m3u8"}, {"", "_.m3u8"},
      {"a/b\\c", "a_b_c.m3u8"}, {"x:y*?\"<>|", "x_y______.m3u8"}, {"line\nbreak\ttab", "line_break_tab.m3u8"},
      {".hidden", "_hidden.m3u8"}, {"Rock", "Rock (2).m3u8"}, {"Blues, \"live\" " + e_acute, "Blues, _live_ " + e_acute + ".m3u8"},
      {long_name, long_file + ".m3u8"}, {std::string(250, '\x80'), std::string(197, '\x80') + ".m3u8"}};
  std::vector<std::string> labels, expected;
  for (const auto& [label, name] : table) labels.push_back(label), expected.push_back(name);
  CHECK(sonotype::cli::playlist_file_names(labels) == expected);
}

TEST_CASE("collection: classify --playlists writes one M3U8 per genre with paths relative to its folder") {
  const fs::path root = make_collection("collection-playlists");
  const fs::path lists = root / "playlists";
  const CliResult r = run_cli("classify --format csv --playlists " + shell_word(lists) + " " + shell_word(root));
  CHECK(r.status == 0);
  const auto csv = python_csv(r.out);
  std::map<std::string, std::vector<std::string>> expected;  // genre -> relative paths, in order
  for (std::size_t i = 1; i < csv.size(); ++i) expected[csv[i][1]].push_back(fs::path(csv[i][0]).lexically_relative(lists).generic_string());
  for (const std::string& genre : kLabels) {
    const fs::path file = lists / (genre + ".m3u8");
    REQUIRE_MESSAGE(fs::exists(file), file);
    const auto text = lines(read_text(file));
    REQUIRE(!text.empty());
    CHECK(text[0] == "#EXTM3U");
    std::vector<std::string> listed;
    for (std::size_t k = 1; k + 1 < text.size(); k += 2) {
      CHECK(std::regex_match(text[k], std::regex("#EXTINF:4,.+")));
      listed.push_back(text[k + 1]);
      CHECK_MESSAGE(fs::exists(lists / text[k + 1]), text[k + 1]);  // works when saved in its folder
      CHECK(text[k] == "#EXTINF:4," + fs::path(text[k + 1]).stem().string());
    }
    CHECK(text.size() % 2 == 1);
    CHECK(listed == expected[genre]);
  }
  CHECK(contains(read_text(lists / (csv[2][1] + ".m3u8")), "../Folder, with comma/Blues, \"live\" é.wav\n"));
}

TEST_CASE("collection: similar lists the nearest songs, the same from a folder and from a features --windows table") {
  const fs::path root = make_collection("collection-similar");
  fs::copy_file(root / "a" / "y.wav", root / "b" / "copy of y.wav");  // the same sound: similarity 1
  write_song(root / "long" / "two windows.wav", 7, 50);                // two 30-s windows
  const fs::path query = root / "a" / "y.wav";
  const CliResult from_folder = run_cli("similar " + shell_word(query) + " --in " + shell_word(root) + " -n 4");
  CHECK(from_folder.status == 0);
  const auto near = lines(from_folder.out);
  REQUIRE(near.size() == 4);
  CHECK(near[0] == "1.000000  " + (root / "b" / "copy of y.wav").string());
  CHECK_FALSE(contains(from_folder.out, query.string() + "\n"));  // not like itself
  double last = 2;
  for (const std::string& line : near) {
    const double similarity = std::stod(line.substr(0, 8));
    CHECK(similarity <= last);
    CHECK(similarity > 0);
    last = similarity;
  }

  const fs::path table = root.parent_path() / "collection.csv";
  const CliResult features = run_cli("features --windows " + shell_word(root));
  CHECK(features.status == 0);
  std::ofstream(table, std::ios::binary) << features.out;
  CHECK(python_csv(read_text(table)).size() == 1 + 7 + 2);  // the long song has two rows
  const CliResult from_table = run_cli("similar " + shell_word(query) + " --in " + shell_word(table) + " -n 4");
  CHECK(from_table.status == 0);
  // The table names songs relative to the folder; the lists are the same.
  std::string expected;
  for (const std::string& line : near) expected += line.substr(0, 10) + fs::path(line.substr(10)).lexically_relative(root).generic_string() + "\n";
  CHECK(from_table.out == expected);
  // A song of the table by its name alone: nothing is decoded.
  CHECK(run_cli("similar 'a/y.wav' --in " + shell_word(table) + " -n 4").out == expected);
  CHECK(lines(run_cli("similar " + shell_word(query) + " --in " + shell_word(root) + " -n 100").out).size() == 7);
  CHECK(contains(run_cli("similar " + shell_word(root / "nothing.wav") + " --in " + shell_word(root)).err, "nothing.wav: no such file"));
  const fs::path bad = root.parent_path() / "bad.csv";
  std::ofstream(bad) << "a,b\n1,2\n";
  const CliResult not_table = run_cli("similar " + shell_word(query) + " --in " + shell_word(bad));
  CHECK(not_table.status == 1);
  CHECK(contains(not_table.err, "bad.csv: no column 'filename'"));
}

TEST_CASE("collection: --version names the release") {
  const CliResult r = run_cli("--version");
  CHECK(r.status == 0);
  const std::string cmake = read_text(fs::path(SONOTYPE_SOURCE_DIR) / "CMakeLists.txt");
  std::smatch version;
  REQUIRE(std::regex_search(cmake, version, std::regex("project\\(sonotype VERSION ([0-9.]+)")));
  CHECK(r.out == "sonotype " + version[1].str() + "\n");
}

TEST_CASE("collection: bad inputs each get a row naming them, and the rest is classified") {
  const fs::path base = sonotype::test::temp_dir("collection-bad");
  const fs::path root = base / "music";
  write_song(root / "good" / "one.wav", 1);
  write_song(root / "good" / "odd name 'é', \"x\".wav", 2);
  fs::create_directories(root / "empty of audio");
  std::ofstream(root / "empty of audio" / "readme.txt") << "no songs here\n";
  fs::create_directories(root / "loop");
  fs::create_directory_symlink("..", root / "loop" / "back up");  // music/loop/back up -> music
  fs::create_hard_link(root / "good" / "one.wav", root / "good" / "hard link.wav");
  write_song(root / "locked" / "secret.wav", 3);
  fs::permissions(root / "locked", fs::perms::none);
  std::ofstream(root / "good" / "corrupt.wav", std::ios::binary) << "RIFF\x10\0\0\0WAVEfmt garbage that is not a header";
  const fs::path nothing = base / "nothing here";
  fs::create_directories(nothing / "sub");
  std::ofstream(nothing / "sub" / "a.pdf") << "%PDF";

  // Root reads any folder whatever its permissions: the CLI then runs as nobody.
  const std::string as_user = geteuid() == 0 ? "runuser -u nobody -- " : "";
  const fs::path out = base / "out.csv", err = base / "err.txt";
  const std::string command = as_user + shell_word(SONOTYPE_CLI) + " classify --format csv " + shell_word(root) + " " +
                              shell_word(nothing) + " " + shell_word(root / "good" / "one.wav") + " > " + shell_word(out) + " 2> " + shell_word(err);
  const int status = std::system(command.c_str());
  fs::permissions(root / "locked", fs::perms::owner_all);
  CHECK(WEXITSTATUS(status) == 1);
  const auto records = python_csv(read_text(out));
  std::map<std::string, std::vector<std::string>> errors_of;  // path -> the error of each of its rows
  for (std::size_t i = 1; i < records.size(); ++i) errors_of[records[i][0]].push_back(error_cell(records[i]));
  const auto error_of = [&](const fs::path& path) {
    const auto& found = errors_of[path.string()];
    REQUIRE_MESSAGE(found.size() == 1, path << " has " << found.size() << " rows");
    return found[0];
  };
  const std::string errors = read_text(err);
  INFO("stderr: " << errors);
  // Sorted, "hard link.wav" comes before "one.wav": it is analysed, and one.wav (twice) is not.
  CHECK(error_of(root / "good/hard link.wav").empty());
  CHECK(error_of(root / "good/odd name 'é', \"x\".wav").empty());
  const std::string duplicate = (root / "good/one.wav").string() + ": the same file as " + (root / "good/hard link.wav").string() + ", left out";
  CHECK(errors_of[(root / "good/one.wav").string()] == std::vector<std::string>{duplicate, duplicate});
  CHECK(records.back()[0] == (root / "good/one.wav").string());  // the file named after its folder: the last row
  CHECK(contains(error_of(root / "good/corrupt.wav"), "corrupt.wav: cannot decode"));
  CHECK(error_of(root / "locked") == (root / "locked").string() + ": cannot read this folder (permission denied)");
  CHECK(error_of(root / "loop/back up") == (root / "loop/back up").string() + ": symlink loop: this folder contains itself, left out");
  CHECK(error_of(nothing) == nothing.string() + ": no audio files in this folder or its subfolders");
  CHECK(contains(errors, "2 files skipped: not audio"));
  CHECK(records.size() == 1 + 8);
  for (const auto& record : records) CHECK(record.size() == 4 + kLabels.size() + 3);
}

TEST_CASE("collection: a corrupt file among 200 is one error row, and so is a file deleted before its turn") {
  const fs::path root = sonotype::test::temp_dir("collection-200") / "music";
  fs::create_directories(root);
  const auto y = song(9, 3.2);
  for (int i = 0; i < 200; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "song %03d.wav", i);
    sonotype::test::write_wav(root / name, y, 22050);
  }
  const auto shared = sonotype::test::shared_dir();
  const fs::path corrupt = root / "song 100.wav";  // replaced by a broken file
  if (shared) fs::copy_file(*shared / "data/gtzan/dev_audio/jazz.00054.wav", corrupt, fs::copy_options::overwrite_existing);
  else std::ofstream(corrupt, std::ios::binary | std::ios::trunc) << "RIFF\xff\xff\xff\x7fWAVEdata";
  // song 199 is deleted once the first row is out: after listing, before its turn (two jobs
  // are at most two files ahead of the rows).
  const fs::path out = root.parent_path() / "out.csv";
  const std::string command = "(" + shell_word(SONOTYPE_CLI) + " classify --format csv -j 2 " + shell_word(root) + " > " +
                              shell_word(out) + " 2>/dev/null & pid=$!; while [ $(wc -l < " + shell_word(out) +
                              " 2>/dev/null || echo 0) -lt 2 ]; do sleep 0.05; done; rm " + shell_word(root / "song 199.wav") +
                              "; wait $pid)";
  const int status = std::system(command.c_str());
  CHECK(WEXITSTATUS(status) == 1);
  const auto records = python_csv(read_text(out));
  REQUIRE(records.size() == 201);
  std::size_t failed = 0;
  for (std::size_t i = 1; i < records.size(); ++i) failed += !error_cell(records[i]).empty();
  CHECK(failed == 2);
  CHECK(contains(error_cell(records[101]), "song 100.wav"));
  CHECK(records[101][1].empty());
  CHECK(error_cell(records[200]) == (root / "song 199.wav").string() + ": no such file");
  CHECK(records[200].back().empty());  // no novelty for a file that failed
  CHECK(records[200][0] == (root / "song 199.wav").string());
}

TEST_CASE("collection: progress on a terminal shows done/total, songs per minute and time left") {
  const fs::path root = sonotype::test::temp_dir("collection-progress") / "music";
  write_song(root / "a.wav", 1);
  write_song(root / "b.wav", 2);
  const fs::path log = root.parent_path() / "tty.log";
  // script(1) gives the command a terminal and records what it wrote there.
  const std::string command = "script -qec " + shell_word(shell_word(SONOTYPE_CLI) + " classify --format csv -j 1 " + shell_word(root) +
                                                      " > /dev/null") + " " + shell_word(log) + " > /dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string seen = read_text(log);
  CHECK(std::regex_search(seen, std::regex("1/2 songs, [0-9.]+ per minute, [0-9]+:[0-9]{2} left")));
  CHECK(contains(seen, "2/2 songs"));
}
