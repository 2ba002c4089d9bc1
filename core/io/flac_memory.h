#pragma once
// Reading a FLAC file from its bytes in memory, for the WebAssembly module (which has no
// libsndfile): the npm package decodes FLAC with it in Node and in Workers. It gives the samples
// that load_audio() gives the command line before resampling: libsndfile's normalisation
// (an integer sample x of B bits is x / 2^(B-1)), then librosa.to_mono.
#include <cstdint>
#include <span>
#include <vector>

namespace sonotype {

struct MonoAudio {
  std::vector<float> samples;  // mono, at sample_rate
  int sample_rate = 0;
};

// Decodes a whole FLAC file (native FLAC, optionally behind an ID3v2 tag) with dr_flac. Throws
// AudioError (core/io/audio_file.h) when the bytes are not FLAC, the header is damaged, the file
// holds no samples, decodes to fewer samples than its header promises (cut short, or damaged
// frames, which dr_flac skips on a checksum mismatch), or lasts longer than max_seconds (the
// command line's limit by default).
MonoAudio decode_flac(std::span<const std::uint8_t> bytes, double max_seconds = 3600.0);

}  // namespace sonotype
