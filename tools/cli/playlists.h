#pragma once
// `classify --playlists DIR`: one extended-M3U playlist per genre, DIR/GENRE.m3u8 (UTF-8; the file
// name as playlist_file_names makes it):
//   #EXTM3U
//   #EXTINF:<seconds, rounded>,<title: the file name without its extension>
//   <the song's path relative to DIR, with / between folders; ./ before a leading #>
// so that a playlist saved in DIR plays wherever DIR is moved along with the songs. Every genre
// gets its file, an empty playlist when no song has that genre, so that a rerun replaces all.
#include <filesystem>
#include <string>
#include <vector>

namespace sonotype::cli {

struct PlaylistSong {
  std::string path;     // as the user's command line reached it
  double seconds = 0;   // its length
  std::size_t genre = 0;  // index into the labels
};

// The file names of the genres' playlists: GENRE.m3u8, except that a genre is only text (taught
// by a user, read from a blob) and must still name one file inside DIR: path separators, control
// characters and the characters Windows refuses in names become '_', as does a leading '.' (no
// hidden files, no ".."), an empty name is "_", and a long one is cut (at a UTF-8 character) to
// 200 bytes, below every file system's 255. Genres whose names would then be the same (ignoring
// ASCII case, for the file systems that do) get "GENRE (2).m3u8" and so on, in the order given:
// the model's labels. (Non-ASCII case, as NTFS and APFS fold it, is not compared.) The page
// names its playlists by the same rule and order (web/playlists.js).
std::vector<std::string> playlist_file_names(const std::vector<std::string>& labels);

// Writes the playlists; returns the problems (a song whose name holds a line break cannot be
// listed; a playlist that cannot be written), each a message naming the file. Songs are listed in
// the order given.
std::vector<std::string> write_playlists(const std::filesystem::path& dir, const std::vector<std::string>& labels,
                                         const std::vector<PlaylistSong>& songs);

}  // namespace sonotype::cli
