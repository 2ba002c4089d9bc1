#include "core/io/audio_file.h"

#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <type_traits>

namespace sonotype {

namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

struct SoxrDeleter {
  void operator()(soxr_t s) const { soxr_delete(s); }
};
using Resampler = std::unique_ptr<std::remove_pointer_t<soxr_t>, SoxrDeleter>;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& why) {
  throw AudioError(path.string() + ": " + why);
}

SndfileHandle open_audio(const std::filesystem::path& path, SF_INFO& info) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory");
  if (std::filesystem::file_size(path, ec) == 0) fail(path, "empty file");
  info = SF_INFO{};
  SndfileHandle file;
  {
    // libsndfile keeps the reason an sf_open failed in one global: read it before another
    // thread's sf_open can overwrite it.
    static std::mutex open_mutex;
    const std::lock_guard lock(open_mutex);
    file.reset(sf_open(path.c_str(), SFM_READ, &info));
    if (!file) fail(path, std::string("cannot decode audio (") + sf_strerror(nullptr) + ")");
  }
  if (info.channels < 1 || info.samplerate < 1) fail(path, "invalid header (no channels or sample rate)");
  if (info.frames < 0) fail(path, "invalid header (negative length)");
  return file;
}

// The header's frame count, or 0 when the header does not know it: libsndfile reports
// SF_COUNT_MAX for a FLAC written to a pipe (total_samples 0) and for truncated Ogg/Opus files,
// and 0 for some streams. Such files are read to their end and measured by what was decoded.
sf_count_t known_frames(const SF_INFO& info) { return info.frames == SF_COUNT_MAX ? 0 : info.frames; }

// "N s" or "N min" for a length in seconds, safe for any length (no float-to-int overflow).
std::string length_text(double seconds) {
  const bool in_minutes = seconds >= 120;
  const double whole = std::floor(std::min(in_minutes ? seconds / 60 : seconds, 1e15));
  return std::to_string(static_cast<long long>(whole)) + (in_minutes ? " min" : " s");
}

[[noreturn]] void fail_too_long(const std::filesystem::path& path, const std::string& length, double max_seconds) {
  fail(path, "audio is " + length + " long; the limit here is " + length_text(max_seconds));
}

// Streams blocks of mono samples at the file's rate into `sink`; returns after the last block.
// A decoder error in mid-file is an error: a truncated or corrupt file must not pass as shorter.
// Stops with an error as soon as more than `max_frames` frames have been decoded, whatever the
// header said, so a file of unknown length costs at most the limit's worth of memory.
template <typename Sink>
void read_mono_blocks(const std::filesystem::path& path, SNDFILE* file, int channels, double max_frames,
                      double max_seconds, Sink&& sink) {
  constexpr sf_count_t kBlockFrames = 16384;
  std::vector<float> interleaved(static_cast<std::size_t>(kBlockFrames * channels));
  std::vector<float> mono(kBlockFrames);
  double decoded = 0;
  while (true) {
    const sf_count_t got = sf_readf_float(file, interleaved.data(), kBlockFrames);
    if (got <= 0) break;
    decoded += double(got);
    if (decoded > max_frames) fail_too_long(path, "over " + length_text(max_seconds), max_seconds);
    for (sf_count_t i = 0; i < got; ++i) {
      float sum = 0;  // librosa.to_mono: np.mean over channels
      for (int c = 0; c < channels; ++c) sum += interleaved[static_cast<std::size_t>(i * channels + c)];
      mono[static_cast<std::size_t>(i)] = channels == 1 ? sum : sum / float(channels);
    }
    sink(std::span<const float>(mono.data(), static_cast<std::size_t>(got)), false);
  }
  if (sf_error(file) != SF_ERR_NO_ERROR) fail(path, std::string("decoding failed: ") + sf_strerror(file));
  sink(std::span<const float>(), true);
}

}  // namespace

std::vector<float> load_audio(const std::filesystem::path& path, int rate, double max_seconds) {
  SF_INFO info;
  SndfileHandle file = open_audio(path, info);
  const sf_count_t frames = known_frames(info);  // 0: unknown until read
  const double max_frames = max_seconds * double(info.samplerate);
  if (double(frames) > max_frames) fail_too_long(path, length_text(double(frames) / info.samplerate), max_seconds);
  // Integer formats decode to int/32768 (libsndfile's normalisation), as soundfile gives librosa.
  sf_command(file.get(), SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);

  std::vector<float> out;
  const double ratio = double(rate) / double(info.samplerate);
  out.reserve(static_cast<std::size_t>(double(frames) * ratio) + 16);

  if (info.samplerate == rate) {
    read_mono_blocks(path, file.get(), info.channels, max_frames, max_seconds,
                     [&](std::span<const float> block, bool) { out.insert(out.end(), block.begin(), block.end()); });
  } else {
    // soxr's very-high-quality converter, streamed block by block. Measured on dev clips
    // resampled 22050 -> 44100 -> 22050, its features are closer to librosa 0.8.1's resampy
    // (kaiser_best) than libsamplerate's best sinc converter, at about 1/45 of its cost.
    soxr_error_t error = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_VHQ, 0);
    Resampler resampler(soxr_create(info.samplerate, rate, 1, &error, &io, &quality, nullptr));
    if (error) fail(path, std::string("resampler: ") + error);
    std::vector<float> chunk(65536);
    std::size_t decoded = 0;  // the header's frame count is only an estimate for some formats
    read_mono_blocks(path, file.get(), info.channels, max_frames, max_seconds, [&](std::span<const float> block, bool last) {
      // Input null means end of input: soxr then drains what it holds, a chunk per call.
      const float* in = last ? nullptr : block.data();
      decoded += block.size();
      std::size_t left = block.size(), used = 0, made = 0;
      do {
        error = soxr_process(resampler.get(), in, left, &used, chunk.data(), chunk.size(), &made);
        if (error) fail(path, std::string("resampler: ") + error);
        if (in && used == 0 && made == 0) fail(path, "resampler: no progress");  // never spin
        out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(made));
        if (in) in += used;
        left -= used;
      } while (left > 0 || (last && made > 0));
    });
    // librosa.resample's length: ceil(n * ratio), truncated or padded with zeros (fix_length).
    out.resize(static_cast<std::size_t>(std::ceil(double(decoded) * ratio)), 0.0f);
  }
  if (out.empty()) fail(path, "contains no audio samples");
  return out;
}

}  // namespace sonotype
