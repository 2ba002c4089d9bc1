// `sonotype bench [FILE] [--repeat N] [--librosa-ms MS]`: how long the 57 features of a clip take,
// stage by stage, as the median of repeated single-thread runs, the speed-up over librosa, and how
// much of it is KissFFT's transforms alone (bench_timing.h).
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "core/gtzan.h"
#include "core/io/audio_file.h"
#include "tools/cli/commands.h"
#include "tools/cli/bench_timing.h"

namespace sonotype::cli {

namespace {

// 30 s of deterministic test music when no file is given: a chord, a chirp, noise and clicks,
// so that every stage (tuning, HPSS, onsets, tempo) has real work to do.
std::vector<float> synthetic_clip() {
  const std::size_t n = kGtzanClipSamples;
  std::vector<float> y(n);
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 0.02f);
  const double sr = kGtzanSampleRate, tau = 2 * std::numbers::pi;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / sr;
    const double chord = std::sin(tau * 220 * t) + 0.5 * std::sin(tau * 277.18 * t) + 0.5 * std::sin(tau * 329.63 * t);
    const double chirp = std::sin(tau * (100 + 50 * t) * t);
    const double click = std::fmod(t, 0.5) < 0.005 ? 0.8 : 0.0;  // 120 BPM
    y[i] = float(0.2 * chord + 0.1 * chirp + click) + noise(rng);
  }
  return y;
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Time the 57-feature extraction of a 30-s clip (median of runs)");
  struct Options {
    std::string file;
    int repeat = 21;
    double librosa_ms = 1800;
  };
  auto options = std::make_shared<Options>();
  cmd->add_option("file", options->file, "Audio file (default: 30 s of synthetic music)");
  cmd->add_option("--repeat", options->repeat, "Timed runs (after one warm-up)")->check(CLI::Range(1, 1000));
  cmd->add_option("--librosa-ms", options->librosa_ms,
                  "librosa 0.8.1's time for the same clip on this machine, for the ratio (1.8 s measured here)");
  cmd->callback([options] {
    const std::vector<float> y = options->file.empty() ? synthetic_clip() : load_audio(options->file);
    std::printf("input: %s, %.1f s\n", options->file.empty() ? "synthetic clip" : options->file.c_str(),
                double(y.size()) / kGtzanSampleRate);
    gtzan_features(y);  // warm-up: page in the code and the allocator
    std::vector<FeatureTimings> runs(std::size_t(options->repeat));
    for (FeatureTimings& t : runs) gtzan_features(y, &t);

    const struct {
      const char* name;
      double FeatureTimings::*field;
    } stages[] = {{"stft", &FeatureTimings::stft},   {"spectral", &FeatureTimings::spectral},
                  {"chroma", &FeatureTimings::chroma}, {"mfcc", &FeatureTimings::mfcc},
                  {"hpss", &FeatureTimings::hpss},   {"tempo", &FeatureTimings::tempo},
                  {"total", &FeatureTimings::total}};
    std::printf("%-10s %10s   (median of %d runs, single thread)\n", "stage", "ms", options->repeat);
    for (const auto& stage : stages) {
      std::vector<double> ms;
      for (const FeatureTimings& t : runs) ms.push_back(t.*stage.field);
      std::printf("%-10s %10.2f\n", stage.name, median(ms));
    }
    std::vector<double> totals;
    for (const FeatureTimings& t : runs) totals.push_back(t.total);
    const double total = median(totals);
    std::printf("librosa 0.8.1: %.0f ms -> speed-up x%.1f (target: <= 20 ms, x90)\n", options->librosa_ms,
                options->librosa_ms / total);
    const FftFloor fft = time_fft_floor(y.size(), options->repeat);
    std::printf("KissFFT alone: %.2f ms (%zu forward + %zu inverse 2048-point real FFTs), %.0f%% of the total\n",
                fft.forward_ms + fft.inverse_ms, fft.frames, fft.frames,
                100 * (fft.forward_ms + fft.inverse_ms) / total);
    std::printf("resampling a 3-min 44.1-kHz stereo song to 22050 Hz (to_mono + kaiser_best): %.1f ms"
                " (median of 5; target: <= 150 ms)\n", time_resample_song(5));
  });
}

}  // namespace sonotype::cli
