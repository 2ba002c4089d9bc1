#include "tools/cli/playlists.h"

#include <cmath>
#include <fstream>

namespace sonotype::cli {

namespace fs = std::filesystem;

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
  for (std::size_t g = 0; g < labels.size(); ++g) {
    const fs::path file = dir / (labels[g] + ".m3u8");
    std::ofstream out(file, std::ios::binary);
    out << lists[g];
    out.close();
    if (!out) problems.push_back(file.string() + ": cannot write this playlist");
  }
  return problems;
}

}  // namespace sonotype::cli
