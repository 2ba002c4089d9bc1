#pragma once
// Reading audio files for the command line: decode (libsndfile: WAV, FLAC, OGG/Vorbis, Opus, MP3),
// down-mix to mono and resample (libsoxr), like librosa.load(path, sr=22050, mono=True).
// The browser does the same with Web Audio, so this file is native only.
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace sonotype {

// A decoding failure; what() names the file and the problem.
struct AudioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Decodes the whole file to mono float32 at `rate` Hz: the mean of the channels, resampled when
// the file's rate differs with soxr's very-high-quality converter to ceil(n * rate / file rate)
// samples, librosa.resample's length (no resampling otherwise, so 16-bit WAV samples are exactly
// int16/32768 as in librosa). Streams through the file in blocks,
// so memory is the output plus a constant. Throws AudioError when the file is missing, cannot be
// decoded, is empty, or is longer than `max_seconds`. A file whose header does not give its length
// (a FLAC written to a pipe, a truncated Ogg/Opus) is read to its end, and the limit is applied to
// what was decoded.
std::vector<float> load_audio(const std::filesystem::path& path, int rate = 22050,
                              double max_seconds = 3600.0);

}  // namespace sonotype
