#pragma once
// The 57 GTZAN features of the Kaggle "GTZAN Dataset - Music Genre Classification" tables,
// computed exactly as librosa 0.8.1 does with default arguments.
#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace sonotype {

inline constexpr int kGtzanSampleRate = 22050;
inline constexpr std::size_t kNumGtzanFeatures = 57;

// Column names in the order of features_30_sec.csv (between `length` and `label`).
extern const std::array<std::string_view, kNumGtzanFeatures> kGtzanFeatureNames;

// Where rms_mean, the mean of the frames' RMS, sits in that order.
inline constexpr std::size_t kRmsMeanIndex = 2;

using FeatureVector = std::array<double, kNumGtzanFeatures>;

// Wall-clock milliseconds spent in each stage of gtzan_features().
struct FeatureTimings {
  double stft = 0, spectral = 0, chroma = 0, mfcc = 0, hpss = 0, tempo = 0, total = 0;
};

// The 57 features of mono audio `y` sampled at 22050 Hz, in kGtzanFeatureNames order: the mean
// and population variance over frames of chroma_stft, rms, spectral centroid/bandwidth/rolloff,
// zero-crossing rate, the two HPSS waveforms (over samples), the beat-tracker tempo, and 20 MFCCs.
// Matches the pipeline of the Kaggle table (see ../shared/README.md). Silence and clips shorter
// than one frame give librosa's finite results. Throws std::invalid_argument for empty input or
// non-finite samples (librosa's valid_audio refuses both), and for samples so far outside [-1, 1]
// that a feature overflows: no feature it returns is NaN or infinite.
FeatureVector gtzan_features(std::span<const float> y, FeatureTimings* timings = nullptr);

// Where the rows of the Kaggle 3-s table (features_3_sec.csv), or of any segment length, lie in
// n samples: segment d is samples [d * stride, d * stride + length) with stride
// segment_seconds * 22050 and length stride - 1 (the table's segments are one sample short of
// their stride), for d < count, as many whole segments as fit. Throws std::invalid_argument when
// n is shorter than one segment.
struct Segments {
  std::size_t stride = 0, length = 0, count = 0;
};
Segments gtzan_segments(std::size_t n, int segment_seconds);

}  // namespace sonotype
