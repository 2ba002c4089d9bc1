#include "core/classify.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace sonotype {
namespace {

void check_audio(std::span<const float> y, int sample_rate) {
  if (y.empty()) throw std::invalid_argument("classify_song: the audio is empty");
  if (y.size() < kMinSongSamples) {
    char message[112];
    std::snprintf(message, sizeof message, "classify_song: the audio lasts %.2f s; at least %zu samples (3 s) are needed",
                  static_cast<double>(y.size()) / sample_rate, kMinSongSamples);
    throw std::invalid_argument(message);
  }
  const auto bad = std::find_if(y.begin(), y.end(), [](float v) { return !std::isfinite(v); });
  if (bad != y.end())
    throw std::invalid_argument("classify_song: sample " + std::to_string(bad - y.begin()) + " is not finite (" +
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

}  // namespace

std::vector<SampleRange> song_windows(std::size_t n, std::size_t window) {
  if (2 * n <= 3 * window) return {{0, n}};
  const std::size_t count = (n + window - 1) / window;
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
  return song_windows(n, static_cast<std::size_t>(std::llround(pipeline.window_seconds * pipeline.sample_rate)));
}

SongResult classify_song(const GenreModel& model, std::span<const float> y) {
  const int rate = model.pipeline().sample_rate;
  check_audio(y, rate);

  SongResult song;
  song.proba.assign(model.labels().size(), 0.0);
  for (const SampleRange& range : song_windows(model, y.size())) {
    WindowResult w;
    w.start_s = static_cast<double>(range.begin) / rate;
    w.end_s = static_cast<double>(range.end) / rate;
    w.features = gtzan_features(y.subspan(range.begin, range.end - range.begin), &w.timings);
    w.prediction = model.predict(w.features);
    for (std::size_t c = 0; c < song.proba.size(); ++c) song.proba[c] += w.prediction.proba[c];
    add_timings(song.timings, w.timings);
    song.windows.push_back(std::move(w));
  }
  for (double& p : song.proba) p /= static_cast<double>(song.windows.size());
  song.top = static_cast<std::size_t>(std::max_element(song.proba.begin(), song.proba.end()) - song.proba.begin());
  return song;
}

}  // namespace sonotype
