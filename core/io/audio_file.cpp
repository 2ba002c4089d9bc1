#include "core/io/audio_file.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "core/audio.h"
#include "core/io/ffmpeg_audio.h"

namespace sonotype {

namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& why) {
  throw AudioError(path.string() + ": " + why);
}

void check_is_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory");
  if (std::filesystem::file_size(path, ec) == 0) fail(path, "empty file");
}

// libsndfile's handle on `path`, or nullopt with libsndfile's reason when it cannot read it.
SndfileHandle open_with_sndfile(const std::filesystem::path& path, SF_INFO& info, std::string& why) {
  info = SF_INFO{};
  // libsndfile keeps the reason an sf_open failed in one global: read it before another
  // thread's sf_open can overwrite it.
  static std::mutex open_mutex;
  const std::lock_guard lock(open_mutex);
  SndfileHandle file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) why = sf_strerror(nullptr);
  return file;
}

[[noreturn]] void fail_too_long(const std::filesystem::path& path, const std::string& length, double max_seconds) {
  fail(path, "audio is " + length + " long; the limit here is " + length_text(max_seconds));
}

// librosa.load after the decoder: to_mono, then resample to the target rate, block by block,
// with the length limit applied to what has been decoded (a header's length may be missing).
class Loader {
 public:
  Loader(const std::filesystem::path& path, int rate, double max_seconds)
      : path_(path), rate_(rate), max_seconds_(max_seconds) {}

  void start(int source_rate, int channels, double known_frames) {
    if (channels < 1 || source_rate < 1) fail(path_, "invalid header (no channels or sample rate)");
    channels_ = channels;
    max_frames_ = max_seconds_ * double(source_rate);
    if (known_frames > max_frames_) fail_too_long(path_, length_text(known_frames / source_rate), max_seconds_);
    resampler_.emplace(source_rate, rate_);
  }

  void add(std::span<const float> interleaved) {
    decoded_ += double(interleaved.size() / std::size_t(channels_));
    if (decoded_ > max_frames_) fail_too_long(path_, "over " + length_text(max_seconds_), max_seconds_);
    resampler_->push(to_mono(interleaved, channels_));
  }

  std::vector<float> finish() {
    if (decoded_ == 0) fail(path_, "contains no audio samples");
    try {
      return resampler_->finish();
    } catch (const std::invalid_argument& e) {
      fail(path_, std::string("audio is ") + e.what());
    }
  }

 private:
  const std::filesystem::path& path_;
  int rate_;
  double max_seconds_, max_frames_ = 0, decoded_ = 0;
  int channels_ = 1;
  std::optional<Resampler> resampler_;
};

void read_with_sndfile(const std::filesystem::path& path, SNDFILE* file, const SF_INFO& info, Loader& loader) {
  if (info.frames < 0) fail(path, "invalid header (negative length)");
  // SF_COUNT_MAX: libsndfile does not know the length (a FLAC written to a pipe, a truncated
  // Ogg/Opus); the file is then read to its end and measured by what was decoded.
  loader.start(info.samplerate, info.channels, info.frames == SF_COUNT_MAX ? 0.0 : double(info.frames));
  // Integer formats decode to int/32768 (libsndfile's normalisation), as soundfile gives librosa.
  sf_command(file, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
  constexpr sf_count_t kBlockFrames = 16384;
  std::vector<float> interleaved(static_cast<std::size_t>(kBlockFrames * info.channels));
  while (true) {
    const sf_count_t got = sf_readf_float(file, interleaved.data(), kBlockFrames);
    if (got <= 0) break;
    loader.add(std::span<const float>(interleaved.data(), static_cast<std::size_t>(got * info.channels)));
  }
  // A decoder error in mid-file is an error: a corrupt file must not pass as shorter.
  if (sf_error(file) != SF_ERR_NO_ERROR) fail(path, std::string("decoding failed: ") + sf_strerror(file));
}

}  // namespace

std::vector<float> load_audio(const std::filesystem::path& path, int rate, double max_seconds) {
  check_is_file(path);
  Loader loader(path, rate, max_seconds);
  SF_INFO info;
  std::string sndfile_why;
  if (SndfileHandle file = open_with_sndfile(path, info, sndfile_why)) {
    read_with_sndfile(path, file.get(), info, loader);
    return loader.finish();
  }
  // What libsndfile cannot read, FFmpeg may (librosa falls back to audioread the same way).
  std::string ffmpeg_why;
  const bool decoded = decode_with_ffmpeg(
      path, [&](int source_rate, int channels) { loader.start(source_rate, channels, 0.0); },
      [&](std::span<const float> block) { loader.add(block); }, ffmpeg_why);
  if (!decoded) fail(path, "cannot decode audio (" + sndfile_why + "; FFmpeg: " + ffmpeg_why + ")");
  return loader.finish();
}

}  // namespace sonotype
