#include "core/io/ffmpeg_audio.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libswresample/swresample.h>
}

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/io/audio_file.h"

namespace sonotype {

namespace {

struct FormatCloser {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct CodecCloser {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct SwrCloser {
  void operator()(SwrContext* s) const { swr_free(&s); }
};
struct PacketCloser {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameCloser {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};

std::string error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& why) {
  throw AudioError(path.string() + ": " + why);
}

// Decoded frames -> 16-bit interleaved PCM at the same rate and layout (what `ffmpeg -f s16le`
// writes), -> float / 32768.
class ToPcm16 {
 public:
  ToPcm16(const std::filesystem::path& path, AVFrame& frame) : path_(path) {
    SwrContext* swr = nullptr;
    const int status = swr_alloc_set_opts2(&swr, &frame.ch_layout, AV_SAMPLE_FMT_S16, frame.sample_rate,
                                           &frame.ch_layout, AVSampleFormat(frame.format), frame.sample_rate, 0, nullptr);
    swr_.reset(swr);
    if (status < 0 || swr_init(swr) < 0) fail(path, "cannot convert the decoded samples (" + error_text(status) + ")");
    rate_ = frame.sample_rate;
    channels_ = frame.ch_layout.nb_channels;
  }

  int rate() const { return rate_; }
  int channels() const { return channels_; }

  // Converts `frame` (nullptr: what the converter still holds) and passes the samples on.
  void convert(const AVFrame* frame, const BlockSink& on_block) {
    if (frame && (frame->sample_rate != rate_ || frame->ch_layout.nb_channels != channels_))
      fail(path_, "the sample rate or channel count changes within the stream");
    const int in_frames = frame ? frame->nb_samples : 0;
    const int room = swr_get_out_samples(swr_.get(), in_frames);
    if (room <= 0) return;
    pcm_.resize(std::size_t(room) * std::size_t(channels_));
    auto* out = reinterpret_cast<std::uint8_t*>(pcm_.data());
    const int made = swr_convert(swr_.get(), &out, room, frame ? const_cast<const std::uint8_t**>(frame->extended_data) : nullptr,
                                 in_frames);
    if (made < 0) fail(path_, "cannot convert the decoded samples (" + error_text(made) + ")");
    samples_.resize(std::size_t(made) * std::size_t(channels_));
    for (std::size_t i = 0; i < samples_.size(); ++i) samples_[i] = float(pcm_[i]) * (1.0f / 32768.0f);
    if (!samples_.empty()) on_block(samples_);
  }

 private:
  const std::filesystem::path& path_;
  std::unique_ptr<SwrContext, SwrCloser> swr_;
  int rate_ = 0, channels_ = 0;
  std::vector<std::int16_t> pcm_;
  std::vector<float> samples_;
};

}  // namespace

bool decode_with_ffmpeg(const std::filesystem::path& path, const FormatSink& on_format, const BlockSink& on_block,
                        std::string& why) {
  static std::once_flag quiet;
  std::call_once(quiet, [] { av_log_set_level(AV_LOG_QUIET); });  // errors are reported here instead

  AVFormatContext* raw_format = nullptr;
  int status = avformat_open_input(&raw_format, path.c_str(), nullptr, nullptr);
  if (status < 0) {
    why = error_text(status);
    return false;
  }
  const std::unique_ptr<AVFormatContext, FormatCloser> format(raw_format);
  if ((status = avformat_find_stream_info(format.get(), nullptr)) < 0) {
    why = error_text(status);
    return false;
  }
  const AVCodec* codec = nullptr;
  const int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (stream < 0 || !codec) {
    why = stream == AVERROR_DECODER_NOT_FOUND ? "no decoder for its audio" : "no audio stream";
    return false;
  }
  const std::unique_ptr<AVCodecContext, CodecCloser> decoder(avcodec_alloc_context3(codec));
  if (!decoder || avcodec_parameters_to_context(decoder.get(), format->streams[stream]->codecpar) < 0 ||
      avcodec_open2(decoder.get(), codec, nullptr) < 0) {
    why = "cannot open its audio decoder";
    return false;
  }

  const std::unique_ptr<AVPacket, PacketCloser> packet(av_packet_alloc());
  const std::unique_ptr<AVFrame, FrameCloser> frame(av_frame_alloc());
  if (!packet || !frame) fail(path, "out of memory");
  std::unique_ptr<ToPcm16> pcm;
  // Takes every frame the decoder has ready. A packet the decoder rejects is skipped, as the
  // ffmpeg command (audioread's) skips it; reading stops at the end or at a read error.
  auto drain = [&] {
    while (avcodec_receive_frame(decoder.get(), frame.get()) == 0) {
      if (!pcm) {
        pcm = std::make_unique<ToPcm16>(path, *frame);
        on_format(pcm->rate(), pcm->channels());
      }
      pcm->convert(frame.get(), on_block);
      av_frame_unref(frame.get());
    }
  };
  while (av_read_frame(format.get(), packet.get()) >= 0) {
    if (packet->stream_index == stream && avcodec_send_packet(decoder.get(), packet.get()) >= 0) drain();
    av_packet_unref(packet.get());
  }
  avcodec_send_packet(decoder.get(), nullptr);  // end of stream: the decoder's last frames
  drain();
  if (!pcm) {
    why = "no audio could be decoded";
    return false;
  }
  pcm->convert(nullptr, on_block);
  return true;
}

}  // namespace sonotype
