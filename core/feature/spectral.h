#pragma once
// Frame-wise spectral features, after librosa.feature.spectral (librosa 0.8.1).
//
// The STFT is computed once (core/spectrum.h) and shared: features take the magnitude
// spectrogram |D| or the power spectrogram |D|^2, both float32 (1 + n_fft/2, n_frames), one
// column per frame. librosa computes each from y with n_fft 2048, hop 512, a Hann window and
// reflect-padded centred frames; the functions here infer n_fft from the number of rows. Features
// with one value per frame are row vectors (1, n_frames), librosa's shape, in librosa's dtype.
#include <Eigen/Core>
#include <optional>
#include <span>

#include "core/spectrum.h"

namespace sonotype::feature {

// np.abs(D): the magnitude spectrogram librosa's features compute with power=1, float32.
Eigen::MatrixXf magnitude_spectrogram(const Spectrogram& D);

// np.abs(D) ** 2 from the magnitude: the power spectrogram of power=2, float32. Squaring the
// rounded magnitude (rather than re^2 + im^2) is what numpy does.
Eigen::MatrixXf power_spectrogram(const Eigen::MatrixXf& magnitude);

// librosa.feature.melspectrogram(S=power, sr, n_mels): filters.mel(sr, n_fft, n_mels) applied to
// the power spectrogram. (1 + n_fft/2, n_frames) -> (n_mels, n_frames), float32.
Eigen::MatrixXf melspectrogram(const Eigen::MatrixXf& power, double sr = 22050, int n_mels = 128);

// librosa.feature.mfcc(S=log_mel, n_mfcc, dct_type=2, norm="ortho", lifter=0): the first n_mfcc
// coefficients of the orthonormal DCT-II of each frame of the log-mel spectrogram, which
// librosa.feature.mfcc(y, sr) takes as power_to_db(melspectrogram(y, sr)).
// (n_mels, n_frames) -> (n_mfcc, n_frames), float32.
Eigen::MatrixXf mfcc(const Eigen::MatrixXf& log_mel, int n_mfcc = 20);

// librosa.feature.chroma_stft(S=power, sr, norm=inf, tuning, n_chroma): the power spectrogram
// mapped onto pitch classes by filters.chroma, each frame divided by its maximum (frames whose
// maximum is below float32's smallest normal are left as they are). The tuning is estimated from
// the power spectrogram (estimate_tuning) when not given. (1 + n_fft/2, n_frames) ->
// (n_chroma, n_frames), float32; row 0 is C.
Eigen::MatrixXf chroma_stft(const Eigen::MatrixXf& power, double sr = 22050,
                            std::optional<double> tuning = std::nullopt, int n_chroma = 12);

// librosa.feature.spectral_centroid(S=magnitude, sr): the frequency (Hz) of each frame's centre of
// mass, sum_k f_k S_k / sum_k S_k (0 for a silent frame). (1, n_frames), float64.
Eigen::RowVectorXd spectral_centroid(const Eigen::MatrixXf& magnitude, double sr = 22050);

// librosa.feature.spectral_bandwidth(S=magnitude, sr, centroid, norm=True, p=2): each frame's
// spread about its centroid, (sum_k S_k (f_k - centroid)^2 / sum_k S_k)^(1/2), in Hz.
// `centroid` is spectral_centroid(magnitude, sr). (1, n_frames), float64.
Eigen::RowVectorXd spectral_bandwidth(const Eigen::MatrixXf& magnitude, const Eigen::RowVectorXd& centroid,
                                      double sr = 22050);

// Both of the above in one pass (they share the normalised spectrogram): the centroid, and the
// bandwidth about it, exactly as the two calls give them.
struct CentroidBandwidth {
  Eigen::RowVectorXd centroid, bandwidth;
};
CentroidBandwidth spectral_centroid_bandwidth(const Eigen::MatrixXf& magnitude, double sr = 22050);

// librosa.feature.spectral_rolloff(S=magnitude, sr, roll_percent): the centre frequency (Hz) of
// the first bin at which the running sum of the frame's magnitudes (float32, like np.cumsum)
// reaches roll_percent of the total. (1, n_frames), float64.
Eigen::RowVectorXd spectral_rolloff(const Eigen::MatrixXf& magnitude, double sr = 22050, double roll_percent = 0.85);

// librosa.feature.rms(y, frame_length, hop_length, center=True, pad_mode="reflect"): the root mean
// square of each frame of y padded by frame_length/2 reflected samples at both ends, summed in
// float32 as numpy does. (n,) -> (1, 1 + n / hop_length), float32.
Eigen::RowVectorXf rms(std::span<const float> y, int frame_length = 2048, int hop_length = 512);

// librosa.feature.zero_crossing_rate(y, frame_length, hop_length, center=True): the fraction of
// the frame_length positions in each frame of y (padded by frame_length/2 repeated edge samples)
// where the sign bit differs from the previous sample's, within the frame, after zeroing samples
// with |y| <= 1e-10. (n,) -> (1, 1 + n / hop_length), float64.
Eigen::RowVectorXd zero_crossing_rate(std::span<const float> y, int frame_length = 2048, int hop_length = 512);

}  // namespace sonotype::feature
