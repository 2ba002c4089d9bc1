#pragma once
// Global tempo estimation, after librosa.beat (0.8.1).
#include <span>

namespace sonotype::beat {

struct TempoParams {
  double sr = 22050;
  int hop_length = 512;
  double start_bpm = 120;  // centre of the log-normal tempo prior
  double std_bpm = 1.0;    // its width, in octaves
  double ac_size = 8.0;    // autocorrelation window, seconds
  double max_tempo = 320;  // tempos at or above this are excluded
};

// librosa.beat.tempo(onset_envelope=..., aggregate=np.mean)[0], in BPM. onset_envelope: (n,),
// n > 0, e.g. onset::onset_strength(S_db, Aggregate::median). The autocorrelation tempogram
// (Hann window of ac_size seconds centred on each frame, the envelope padded by linear ramps to
// 0, each frame's autocorrelation scaled to a peak of 1) is averaged over frames in double;
// the tempo is 60 sr / (hop lag) for the lag maximising log1p(1e6 tempogram) plus the log-normal
// prior -0.5 ((log2 bpm - log2 start_bpm) / std_bpm)^2.
double tempo(std::span<const float> onset_envelope, const TempoParams& p = {});

// The tempo that librosa.beat.beat_track(onset_envelope=...)[0] reports: 0 when the envelope is
// all zero (or empty), tempo() otherwise.
double beat_track_tempo(std::span<const float> onset_envelope, const TempoParams& p = {});

}  // namespace sonotype::beat
