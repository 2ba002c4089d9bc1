#pragma once
// Pitch tracking and tuning estimation, after librosa.core.pitch (librosa 0.8.1).
#include <Eigen/Core>
#include <span>
#include <vector>

namespace sonotype {

struct PiptrackParams {
  double fmin = 150.0;     // lowest frequency searched (Hz)
  double fmax = 4000.0;    // searched frequencies are below this (Hz)
  float threshold = 0.1f;  // a peak must exceed threshold * (the frame's maximum)
};

// One non-zero entry of librosa's (pitches, magnitudes) pair: a local maximum of the spectrum.
struct PitchPeak {
  int bin = 0;           // FFT bin of the maximum
  int frame = 0;
  float frequency = 0;   // parabolically interpolated instantaneous frequency (Hz)
  float magnitude = 0;   // interpolated peak height, in the units of S
};

// librosa.piptrack(S=S, sr, fmin, fmax, threshold, ref=np.max): in each frame of the magnitude or
// power spectrogram S (1 + n_fft/2, n_frames), the bins in [fmin, fmax) that are local maxima of
// the spectrum after zeroing values not above threshold * max(frame), with the frequency and
// height of the parabola through the peak and its neighbours. librosa returns them as two dense
// (1 + n_fft/2, n_frames) matrices that are zero elsewhere; this returns only the peaks, frame by
// frame and by increasing bin within a frame. Computed in float32 like librosa (the frequency
// in double, then rounded).
std::vector<PitchPeak> piptrack(const Eigen::MatrixXf& S, double sr, const PiptrackParams& p = {});

// librosa.pitch_tuning(frequencies, resolution, bins_per_octave): the most common deviation of
// the frequencies from the A440 equal-tempered scale, in fractions of a bin, as the left edge of
// the fullest of the ceil(1 / resolution) histogram bins over [-0.5, 0.5]. Frequencies <= 0 are
// ignored; with none left the tuning is 0.
double pitch_tuning(std::span<const float> frequencies, double resolution = 0.01, int bins_per_octave = 12);

// librosa.estimate_tuning(S=S, sr, resolution, bins_per_octave): pitch_tuning of the piptrack
// peaks whose magnitude is at least the median peak magnitude. S is (1 + n_fft/2, n_frames);
// chroma_stft passes the power spectrogram.
double estimate_tuning(const Eigen::MatrixXf& S, double sr, double resolution = 0.01, int bins_per_octave = 12);

}  // namespace sonotype
