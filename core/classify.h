#pragma once
// Classifying a whole song: the GTZAN features of windows as long as the model's training clips,
// one ensemble prediction per window, and their probabilities averaged.
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/gtzan.h"
#include "core/model/model.h"

namespace sonotype {

// Shorter input is refused: the features (tempo, MFCC statistics) of a few frames say nothing
// about a genre. The shortest excerpt the GTZAN feature tables describe is a segment of the
// 3-second table: 66149 samples at 22050 Hz (one sample short of 3 s).
inline constexpr std::size_t kMinSongSamples = 66149;

// A window is silent when its RMS feature stays below one step of 16-bit audio (2^-15, -90 dBFS):
// digital silence, or dither with nothing above it. Its features are still defined
// (gtzan_features), but any genre the model gave them would be noise, so a song's answer leaves
// its silent windows out, and a song of nothing else is refused.
inline constexpr double kSilentRms = 1.0 / 32768.0;
inline bool is_silent(const FeatureVector& features) { return features[kRmsMeanIndex] < kSilentRms; }

struct WindowResult {
  double start_s = 0, end_s = 0;  // where the window lies in the song
  FeatureVector features{};       // its raw 57 features
  FeatureTimings timings;         // how long computing them took
  Prediction prediction;          // the ensemble's (and each base estimator's) probabilities
  bool silent = false;            // below kSilentRms: kept for the timeline, left out of the song's answer
};

struct SongResult {
  std::vector<double> proba;            // mean of the non-silent windows' ensemble probabilities, one per label
  std::vector<BaseProbabilities> base;  // each base estimator's probabilities, averaged the same way
  std::size_t top = 0;                  // index of the largest: model.labels()[top] is the genre
  // The median of the non-silent windows' novelty scores (absent when the model has no novelty
  // entries): novel() means "this does not sound like the music the model was trained on", and
  // then the probabilities above are a guess about something else.
  std::optional<model::NoveltyScore> novelty;
  std::vector<WindowResult> windows;    // in song order
  FeatureTimings timings;               // summed over the windows (ms of computation)
};

struct SampleRange {
  std::size_t begin = 0, end = 0;  // [begin, end)
  bool operator==(const SampleRange&) const = default;
};

// Where classify_song puts its windows, for `n` samples and windows of `window` samples:
//  - n <= 1.5 windows: one window, the whole input. A 30-s GTZAN clip (661794 samples, a little
//    more than 30 s) is thus used whole, exactly as its training row was computed.
//  - longer: ceil(n / window) windows of `window` samples, evenly spaced from the first sample to
//    the last, so that together they cover the song (neighbours overlap when n is not a multiple).
std::vector<SampleRange> song_windows(std::size_t n, std::size_t window);

// The windows classify_song uses for `n` samples under `model`: song_windows(n, window) with the
// window of the model's training clips, round(window_seconds * sample_rate) samples. Throws
// std::invalid_argument, as classify_song does, when n is 0 or less than kMinSongSamples.
std::vector<SampleRange> song_windows(const GenreModel& model, std::size_t n);

// One window's result: the model's prediction for its features, placed at `range` of the song,
// and whether it is silent (kSilentRms).
WindowResult window_result(const GenreModel& model, SampleRange range, const FeatureVector& features,
                           const FeatureTimings& timings);

// The song's result from its windows' results, in song order: the ensemble's probabilities and
// each base estimator's averaged over the windows that are not silent, their novelty's median,
// and the timings of all summed. Throws std::invalid_argument for no windows, or when every window is silent.
SongResult combine_windows(std::vector<WindowResult> windows);

// The genre probabilities of mono audio `y` at the model's sample rate (22050 Hz): the features
// of each song_windows() window (window length: model.pipeline().window_seconds), predicted and
// combined by combine_windows. Callers with several threads or workers can do the same in
// parallel: gtzan_features of each window range, then window_result and combine_windows.
// Throws std::invalid_argument for empty input, input shorter than kMinSongSamples, a
// non-finite sample (naming its index), or silence (kSilentRms).
SongResult classify_song(const GenreModel& model, std::span<const float> y);

}  // namespace sonotype
