#include "core/io/audio_file.h"

#include <samplerate.h>
#include <sndfile.h>

#include <cmath>
#include <memory>
#include <span>
#include <string>

namespace sonotype {

namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

struct SrcDeleter {
  void operator()(SRC_STATE* s) const { src_delete(s); }
};

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& why) {
  throw AudioError(path.string() + ": " + why);
}

SndfileHandle open_audio(const std::filesystem::path& path, SF_INFO& info) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory");
  if (std::filesystem::file_size(path, ec) == 0) fail(path, "empty file");
  info = SF_INFO{};
  SndfileHandle file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) fail(path, std::string("cannot decode audio (") + sf_strerror(nullptr) + ")");
  if (info.channels < 1 || info.samplerate < 1) fail(path, "invalid header (no channels or sample rate)");
  if (info.frames <= 0) fail(path, "contains no audio samples");
  return file;
}

// Streams blocks of mono samples at the file's rate into `sink`; returns after the last block.
// A decoder error in mid-file is an error: a truncated or corrupt file must not pass as shorter.
template <typename Sink>
void read_mono_blocks(const std::filesystem::path& path, SNDFILE* file, int channels, Sink&& sink) {
  constexpr sf_count_t kBlockFrames = 16384;
  std::vector<float> interleaved(static_cast<std::size_t>(kBlockFrames * channels));
  std::vector<float> mono(kBlockFrames);
  while (true) {
    const sf_count_t got = sf_readf_float(file, interleaved.data(), kBlockFrames);
    if (got <= 0) break;
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

AudioInfo probe_audio(const std::filesystem::path& path) {
  SF_INFO info;
  open_audio(path, info);
  return {info.samplerate, info.channels, double(info.frames) / double(info.samplerate)};
}

std::vector<float> load_audio(const std::filesystem::path& path, int rate, double max_seconds) {
  SF_INFO info;
  SndfileHandle file = open_audio(path, info);
  const double seconds = double(info.frames) / double(info.samplerate);
  if (seconds > max_seconds) {
    fail(path, "audio is " + std::to_string(int(seconds / 60)) + " min long; the limit here is " +
                   std::to_string(int(max_seconds / 60)) + " min");
  }
  // Integer formats decode to int/32768 (libsndfile's normalisation), as soundfile gives librosa.
  sf_command(file.get(), SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);

  std::vector<float> out;
  const double ratio = double(rate) / double(info.samplerate);
  out.reserve(static_cast<std::size_t>(double(info.frames) * ratio) + 16);

  if (info.samplerate == rate) {
    read_mono_blocks(path, file.get(), info.channels,
                     [&](std::span<const float> block, bool) { out.insert(out.end(), block.begin(), block.end()); });
  } else {
    int err = 0;
    std::unique_ptr<SRC_STATE, SrcDeleter> src(src_new(SRC_SINC_BEST_QUALITY, 1, &err));
    if (!src) fail(path, std::string("resampler: ") + src_strerror(err));
    std::vector<float> chunk(65536);
    read_mono_blocks(path, file.get(), info.channels, [&](std::span<const float> block, bool last) {
      SRC_DATA data{};
      data.data_in = block.data();
      data.input_frames = static_cast<long>(block.size());
      data.src_ratio = ratio;
      data.end_of_input = last ? 1 : 0;
      do {  // drain: at the end of input the converter may hold more than one chunk
        data.data_out = chunk.data();
        data.output_frames = static_cast<long>(chunk.size());
        if (int e = src_process(src.get(), &data)) fail(path, std::string("resampler: ") + src_strerror(e));
        out.insert(out.end(), chunk.begin(), chunk.begin() + data.output_frames_gen);
        data.data_in += data.input_frames_used;
        data.input_frames -= data.input_frames_used;
      } while (data.input_frames > 0 || (last && data.output_frames_gen > 0));
    });
  }
  if (out.empty()) fail(path, "contains no audio samples");
  return out;
}

}  // namespace sonotype
