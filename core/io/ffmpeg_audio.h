#pragma once
// Decoding with FFmpeg (libavformat + libavcodec) what libsndfile cannot read: M4A/AAC, WMA and
// the rest. librosa 0.8.1 does the same through audioread, which runs `ffmpeg -i FILE -f s16le -`:
// so the samples here are that 16-bit PCM (libswresample converts the decoder's sample format,
// never the rate), divided by 32768 as librosa's buf_to_float does.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <string>

namespace sonotype {

// Called once before the first block: the stream's sample rate and channel count.
using FormatSink = std::function<void(int rate, int channels)>;
// Called with each block of interleaved float samples (a whole number of frames).
using BlockSink = std::function<void(std::span<const float> interleaved)>;

// Decodes the first audio stream of `path`. Returns false, with `why` set, when FFmpeg cannot
// open the file or finds no audio stream in it (nothing was sent to the sinks); throws AudioError
// for a failure after decoding began.
bool decode_with_ffmpeg(const std::filesystem::path& path, const FormatSink& on_format, const BlockSink& on_block,
                        std::string& why);

}  // namespace sonotype
