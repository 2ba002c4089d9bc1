#include "core/io/flac_memory.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "core/audio.h"
#include "core/io/audio_file.h"

#define DR_FLAC_IMPLEMENTATION
#define DR_FLAC_NO_STDIO  // bytes in memory only
#define DR_FLAC_NO_OGG    // native FLAC, as the command line's libsndfile reads it
#include "dr_libs/dr_flac.h"

namespace sonotype {

namespace {

struct FlacCloser {
  void operator()(drflac* flac) const { drflac_close(flac); }
};

[[noreturn]] void too_long(double seconds, double max_seconds) {
  throw AudioError("the FLAC file lasts " + length_text(seconds) + "; the limit here is " + length_text(max_seconds));
}

// The bytes after an ID3v2 tag that opens the file (10-byte header, size in 4 x 7 bits, a 10-byte
// footer when flag bit 4 is set), or all of them. Some taggers put one before "fLaC", and
// libsndfile skips it. dr_flac 0.13.4 skips it too but then reads the metadata blocks at offsets
// counted from the start of the tag-less stream (drflac__read_and_decode_metadata seeks to 42
// from the start), so it refuses a tagged file: it is given the stream without the tag.
std::span<const std::uint8_t> after_id3(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 10 || bytes[0] != 'I' || bytes[1] != 'D' || bytes[2] != '3') return bytes;
  const std::size_t size = 10 + (std::size_t(bytes[6] & 0x7f) << 21 | std::size_t(bytes[7] & 0x7f) << 14 |
                                 std::size_t(bytes[8] & 0x7f) << 7 | std::size_t(bytes[9] & 0x7f)) +
                           (bytes[5] & 0x10 ? 10 : 0);
  return size < bytes.size() ? bytes.subspan(size) : std::span<const std::uint8_t>{};
}

}  // namespace

MonoAudio decode_flac(std::span<const std::uint8_t> file, double max_seconds) {
  const std::span<const std::uint8_t> bytes = after_id3(file);
  const std::unique_ptr<drflac, FlacCloser> flac(drflac_open_memory(bytes.data(), bytes.size(), nullptr));
  if (!flac) throw AudioError("not a FLAC file, or its header is damaged");
  const int channels = flac->channels, rate = static_cast<int>(flac->sampleRate);
  if (channels < 1 || rate < 1) throw AudioError("invalid FLAC header (no channels or sample rate)");
  const double known = double(flac->totalPCMFrameCount);  // 0 when the header does not say
  const double max_frames = max_seconds * rate;
  if (known > max_frames) too_long(known / rate, max_seconds);

  MonoAudio out{{}, rate};
  if (known > 0) out.samples.reserve(static_cast<std::size_t>(known));
  constexpr drflac_uint64 kBlockFrames = 16384;
  std::vector<drflac_int32> block(kBlockFrames * std::size_t(channels));
  std::vector<float> scaled(block.size());
  while (const drflac_uint64 got = drflac_read_pcm_frames_s32(flac.get(), kBlockFrames, block.data())) {
    // dr_flac left-justifies every sample in 32 bits (x * 2^(32-B)), so one scale by 2^-31 is
    // libsndfile's x / 2^(B-1), exactly.
    const std::size_t n = std::size_t(got) * std::size_t(channels);
    for (std::size_t i = 0; i < n; ++i) scaled[i] = float(block[i]) * (1.0f / 2147483648.0f);
    const std::vector<float> mono = to_mono(std::span<const float>(scaled.data(), n), channels);
    out.samples.insert(out.samples.end(), mono.begin(), mono.end());
    if (double(out.samples.size()) > max_frames) too_long(double(out.samples.size()) / rate, max_seconds);
  }
  if (out.samples.empty()) throw AudioError("the FLAC file holds no audio samples");
  if (known > 0 && double(out.samples.size()) < known)
    throw AudioError("the FLAC file is damaged or cut short: " + std::to_string(out.samples.size()) + " of its " +
                     std::to_string(static_cast<long long>(known)) + " samples decode");
  return out;
}

}  // namespace sonotype
