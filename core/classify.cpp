#include "core/classify.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace sonotype {
namespace {

void check_length(std::size_t n, int sample_rate) {
  if (n == 0) throw std::invalid_argument("the audio is empty");
  if (n < kMinSongSamples) {
    char message[96];
    std::snprintf(message, sizeof message, "the audio lasts %.2f s; at least %zu samples (3 s) are needed",
                  static_cast<double>(n) / sample_rate, kMinSongSamples);
    throw std::invalid_argument(message);
  }
}

void check_finite(std::span<const float> y) {
  const auto bad = std::find_if(y.begin(), y.end(), [](float v) { return !std::isfinite(v); });
  if (bad != y.end())
    throw std::invalid_argument("sample " + std::to_string(bad - y.begin()) + " is not finite (" +
                                std::to_string(*bad) + ")");
}

void add_timings(FeatureTimings& sum, const FeatureTimings& t) {
  sum.stft += t.stft;
  sum.spectral += t.spectral;
  sum.chroma += t.chroma;
  sum.mfcc += t.mfcc;
  sum.hpss += t.hpss;
  sum.tempo += t.tempo;
  sum.total += t.total;
}

// Element-wise sum of b into a (same length).
void accumulate(std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t c = 0; c < a.size(); ++c) a[c] += b[c];
}

// The median of the heard windows' novelty scores: a song is judged by what most of it sounds
// like, so one odd window (a spoken intro, a noisy fade) neither flags nor clears it.
std::optional<model::NoveltyScore> song_novelty(const std::vector<WindowResult>& windows) {
  std::vector<double> scores;
  double threshold = 0;
  for (const WindowResult& w : windows) {
    if (w.silent) continue;
    if (!w.prediction.novelty) return std::nullopt;
    scores.push_back(w.prediction.novelty->score);
    threshold = w.prediction.novelty->threshold;
  }
  return model::NoveltyScore{model::percentile(std::move(scores), 50), threshold};
}

}  // namespace

std::vector<SampleRange> song_windows(std::size_t n, std::size_t window) {
  // n <= 1.5 windows, and ceil(n / window), written so that no intermediate overflows.
  if (n <= window + window / 2) return {{0, n}};
  const std::size_t count = n / window + (n % window != 0);
  const double spacing = static_cast<double>(n - window) / static_cast<double>(count - 1);
  std::vector<SampleRange> ranges;
  for (std::size_t i = 0; i < count; ++i) {
    const auto begin = static_cast<std::size_t>(std::llround(spacing * static_cast<double>(i)));
    ranges.push_back({begin, begin + window});
  }
  return ranges;
}

std::vector<SampleRange> song_windows(const GenreModel& model, std::size_t n) {
  const auto& pipeline = model.pipeline();
  check_length(n, pipeline.sample_rate);
  return song_windows(n, static_cast<std::size_t>(std::llround(pipeline.window_seconds * pipeline.sample_rate)));
}

WindowResult window_result(const GenreModel& model, SampleRange range, const FeatureVector& features,
                           const FeatureTimings& timings) {
  const double rate = model.pipeline().sample_rate;
  return {static_cast<double>(range.begin) / rate, static_cast<double>(range.end) / rate, features, timings,
          model.predict(features), is_silent(features)};
}

SongResult combine_windows(std::vector<WindowResult> windows) {
  if (windows.empty()) throw std::invalid_argument("a song needs at least one window");
  const auto heard = static_cast<std::size_t>(
      std::count_if(windows.begin(), windows.end(), [](const WindowResult& w) { return !w.silent; }));
  if (heard == 0)
    throw std::invalid_argument("the audio is silent (quieter than -90 dBFS throughout): there is no genre to find");
  SongResult song;
  song.proba.assign(windows.front().prediction.proba.size(), 0.0);
  song.base = windows.front().prediction.base;
  for (auto& b : song.base) b.proba.assign(b.proba.size(), 0.0);
  for (const WindowResult& w : windows) {
    add_timings(song.timings, w.timings);
    if (w.silent) continue;
    accumulate(song.proba, w.prediction.proba);
    for (std::size_t i = 0; i < song.base.size(); ++i) accumulate(song.base[i].proba, w.prediction.base[i].proba);
  }
  const auto count = static_cast<double>(heard);
  for (double& p : song.proba) p /= count;
  for (auto& b : song.base)
    for (double& p : b.proba) p /= count;
  song.top = static_cast<std::size_t>(std::max_element(song.proba.begin(), song.proba.end()) - song.proba.begin());
  song.novelty = song_novelty(windows);
  song.windows = std::move(windows);
  return song;
}

SongResult classify_song(const GenreModel& model, std::span<const float> y) {
  const std::vector<SampleRange> ranges = song_windows(model, y.size());
  check_finite(y);
  std::vector<WindowResult> windows;
  for (const SampleRange& range : ranges) {
    FeatureTimings timings;
    const FeatureVector features = gtzan_features(y.subspan(range.begin, range.end - range.begin), &timings);
    windows.push_back(window_result(model, range, features, timings));
  }
  return combine_windows(std::move(windows));
}

}  // namespace sonotype
