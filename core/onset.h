#pragma once
// Onset strength envelopes, after librosa.onset (0.8.1).
#include <Eigen/Core>
#include <vector>

namespace sonotype::onset {

// How the per-band spectral flux is combined into one value per frame.
enum class Aggregate {
  mean,    // np.mean, onset_strength's default
  median,  // np.median, as librosa.beat.beat_track asks for
};

// librosa.onset.onset_strength(S=S_db, lag=1, max_size=1, detrend=False, center=True,
// aggregate) for S_db = power_to_db(melspectrogram(y)), shape (n_mels, n_frames) -> (n_frames,).
// Frame t + 1 + n_fft // (2 hop_length) holds the aggregate over bands of
// max(0, S_db[:, t+1] - S_db[:, t]); the frames before are 0, and the envelope is cut to n_frames.
// Computed in float32 as librosa does: the mean sums the bands in order and divides by n_mels,
// the median of an even count averages the two middle values.
std::vector<float> onset_strength(const Eigen::MatrixXf& S_db, Aggregate aggregate = Aggregate::mean,
                                  int n_fft = 2048, int hop_length = 512);

}  // namespace sonotype::onset
