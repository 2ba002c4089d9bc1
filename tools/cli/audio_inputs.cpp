#include "tools/cli/audio_inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace sonotype::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 15> kAudioExtensions{
    "wav", "wave", "flac", "ogg", "oga", "opus", "mp3", "aiff", "aif", "aifc", "au", "caf", "m4a", "aac", "wma"};

using FileId = std::pair<dev_t, ino_t>;

// The device and inode of what `path` names (following symlinks), or nothing if stat fails.
bool file_id(const fs::path& path, FileId& id) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  id = {st.st_dev, st.st_ino};
  return true;
}

std::string reason(const std::error_code& error) {
  std::string text = error.message();
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// Walks one folder named on the command line.
class FolderWalk {
 public:
  FolderWalk(const fs::path& root, std::size_t& skipped) : root_(root), skipped_(skipped) {}

  std::vector<AudioInput> run() {
    FileId id{};
    if (file_id(root_, id)) {
      std::set<FileId> ancestors;
      walk(root_, ancestors, id);
    }
    std::sort(found_.begin(), found_.end(),
              [](const AudioInput& a, const AudioInput& b) { return a.relative < b.relative; });
    if (audio_ == 0)
      found_.push_back({root_.string(), root_.filename().string(),
                        root_.string() + ": no audio files in this folder or its subfolders"});
    return std::move(found_);
  }

 private:
  void add_error(const fs::path& path, const std::string& message) {
    found_.push_back({path.string(), path.lexically_relative(root_).generic_string(), path.string() + ": " + message});
  }

  void walk(const fs::path& dir, std::set<FileId>& ancestors, const FileId& id) {
    ancestors.insert(id);
    std::error_code error;
    fs::directory_iterator it(dir, error), end;
    if (error) {
      add_error(dir, "cannot read this folder (" + reason(error) + ")");
    }
    for (; !error && it != end; it.increment(error)) {
      const fs::path path = it->path();
      std::error_code type_error;
      const bool is_dir = fs::is_directory(path, type_error);  // follows symlinks
      if (is_dir) {
        FileId child{};
        if (!file_id(path, child)) {
          add_error(path, "cannot read this folder");
        } else if (ancestors.count(child)) {
          add_error(path, "symlink loop: this folder contains itself, left out");
        } else {
          walk(path, ancestors, child);
        }
      } else if (has_audio_extension(path.filename().string())) {
        ++audio_;
        found_.push_back({path.string(), path.lexically_relative(root_).generic_string(), {}});
      } else {
        ++skipped_;
      }
    }
    if (error && it != end) add_error(dir, "stopped reading this folder (" + reason(error) + ")");
    ancestors.erase(id);
  }

  fs::path root_;
  std::size_t& skipped_;
  std::size_t audio_ = 0;
  std::vector<AudioInput> found_;
};

}  // namespace

bool has_audio_extension(const std::string& name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string::npos) return false;
  std::string ext = name.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(kAudioExtensions.begin(), kAudioExtensions.end(), ext) != kAudioExtensions.end();
}

AudioInputs collect_audio_inputs(const std::vector<std::string>& args) {
  AudioInputs out;
  for (const std::string& arg : args) {
    std::error_code error;
    if (fs::is_directory(arg, error)) {
      for (AudioInput& input : FolderWalk(arg, out.skipped).run()) out.inputs.push_back(std::move(input));
    } else {
      out.inputs.push_back({arg, fs::path(arg).filename().string(), {}});
    }
  }
  // The same file twice is analysed once: the first time it comes.
  std::map<FileId, std::string> first;
  for (AudioInput& input : out.inputs) {
    FileId id{};
    if (!input.error.empty() || !file_id(input.path, id)) continue;
    const auto [seen, inserted] = first.emplace(id, input.path);
    if (!inserted) input.error = input.path + ": the same file as " + seen->second + ", left out";
  }
  return out;
}

}  // namespace sonotype::cli
