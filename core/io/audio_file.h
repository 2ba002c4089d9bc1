#pragma once
// Reading audio files for the command line as librosa.load(path, sr=22050, mono=True) reads them:
// decode with libsndfile (WAV, FLAC, OGG/Vorbis, Opus, MP3: librosa's soundfile is the same
// libsndfile), or with FFmpeg what libsndfile cannot read (M4A/AAC and the rest: librosa's
// audioread fallback), then down-mix and resample with core/audio (the browser's code too).
// Decoding is native only (the browser decodes with Web Audio), except FLAC from memory
// (flac_memory.h), which the WebAssembly module has too.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace sonotype {

// A decoding failure; what() names the file and the problem.
struct AudioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "N s" or "N min" for a length in seconds, for messages; safe for any length (no float-to-int
// overflow).
inline std::string length_text(double seconds) {
  const bool in_minutes = seconds >= 120;
  const double whole = std::floor(std::min(in_minutes ? seconds / 60 : seconds, 1e15));
  return std::to_string(static_cast<long long>(whole)) + (in_minutes ? " min" : " s");
}

// Decodes the whole file to mono float32 at `rate` Hz: librosa.to_mono (the float32 mean of the
// channels), then librosa.resample with resampy's kaiser_best filter when the file's rate differs
// (ceil(n * rate / file rate) samples; none otherwise, so 16-bit WAV samples are exactly
// int16/32768 as in librosa). Streams through the file in blocks, so memory is the output plus a
// constant. Throws AudioError when the file is missing, cannot be decoded, is empty, or is longer
// than `max_seconds`. A file whose header does not give its length (a FLAC written to a pipe, a
// truncated Ogg/Opus) is read to its end, and the limit is applied to what was decoded.
std::vector<float> load_audio(const std::filesystem::path& path, int rate = 22050,
                              double max_seconds = 3600.0);

}  // namespace sonotype
