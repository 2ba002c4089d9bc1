#pragma once
// What `classify`, `features` and `similar` work on: the files named on the command line, in the
// order given, and the audio files found in any folder named there, recursively, in a stable
// order. A folder problem (unreadable, a symlink loop, no audio at all) or a file seen twice
// becomes an input of its own that carries only its message, so that it is reported in its place
// as one row while the rest carries on.
#include <cstddef>
#include <string>
#include <vector>

namespace sonotype::cli {

struct AudioInput {
  std::string path;      // the file as given, or FOLDER/relative for a file found in FOLDER
  std::string relative;  // its path relative to the folder named, or its file name when named itself
  std::string error;     // not empty: nothing to analyse, report this (it names `path`)
};

struct AudioInputs {
  std::vector<AudioInput> inputs;
  std::size_t skipped = 0;  // files found in folders whose extension is not audio
};

// Whether the file name's extension (any case) is one of the audio formats: wav, flac, ogg, oga,
// opus, mp3, aiff, aif, ...; m4a/aac/wma count too, so that a collection's files the decoder
// cannot read are reported rather than silently skipped.
bool has_audio_extension(const std::string& name);

// Files named are taken as they are (their errors come when they are read). A folder is walked
// through subfolders and symlinks; its files are sorted by relative path, byte by byte (UTF-8
// code-point order), with folder errors sorted in at their own path. The same file reached twice
// (named twice, a hard link, a symlink) is analysed once; the later ones are errors naming the first.
AudioInputs collect_audio_inputs(const std::vector<std::string>& args);

}  // namespace sonotype::cli
