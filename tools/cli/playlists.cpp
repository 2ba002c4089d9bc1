#include "tools/cli/playlists.h"

#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <string_view>

namespace sonotype::cli {

namespace fs = std::filesystem;

namespace {

// One genre's file name without ".m3u8", before playlist_file_names makes them distinct.
std::string playlist_stem(const std::string& genre) {
  constexpr std::size_t kMaxStem = 200;
  std::string stem = genre;
  if (stem.size() > kMaxStem) {
    // Not inside a character: back up over at most 3 continuation bytes (invalid UTF-8 may have more).
    std::size_t cut = kMaxStem;
    while (cut > kMaxStem - 3 && (static_cast<unsigned char>(stem[cut]) & 0xC0) == 0x80) --cut;
    stem.resize(cut);
  }
  for (char& c : stem) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F || std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos) c = '_';
  }
  if (stem.empty()) stem = "_";
  if (stem.front() == '.') stem.front() = '_';
  return stem;
}

std::string ascii_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::vector<std::string> playlist_file_names(const std::vector<std::string>& labels) {
  std::vector<std::string> names;
  std::set<std::string> used;
  for (const std::string& label : labels) {
    const std::string stem = playlist_stem(label);
    std::string name = stem + ".m3u8";
    for (int n = 2; !used.insert(ascii_lower(name)).second; ++n) name = stem + " (" + std::to_string(n) + ").m3u8";
    names.push_back(name);
  }
  return names;
}

std::vector<std::string> write_playlists(const fs::path& dir, const std::vector<std::string>& labels,
                                         const std::vector<PlaylistSong>& songs) {
  std::vector<std::string> problems;
  std::error_code error;
  fs::create_directories(dir, error);
  // Not canonical: symlinked folders stay as the user sees them.
  const fs::path base = fs::absolute(dir, error).lexically_normal();
  std::vector<std::string> lists(labels.size(), "#EXTM3U\n");
  for (const PlaylistSong& song : songs) {
    if (song.path.find_first_of("\r\n") != std::string::npos) {
      problems.push_back(song.path + ": its name holds a line break, which a playlist cannot list");
      continue;
    }
    const fs::path path = fs::absolute(song.path, error).lexically_normal();
    std::string line = path.lexically_relative(base).generic_string();
    if (line.starts_with('#')) line = "./" + line;  // else players read the line as a comment
    lists[song.genre] += "#EXTINF:" + std::to_string(std::lround(song.seconds)) + "," + path.stem().string() + "\n" +
                         line + "\n";
  }
  const std::vector<std::string> names = playlist_file_names(labels);
  for (std::size_t g = 0; g < labels.size(); ++g) {
    const fs::path file = dir / names[g];
    std::ofstream out(file, std::ios::binary);
    out << lists[g];
    out.close();
    if (!out) problems.push_back(file.string() + ": cannot write this playlist");
  }
  return problems;
}

}  // namespace sonotype::cli
