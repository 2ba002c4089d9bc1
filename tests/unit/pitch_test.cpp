// piptrack / pitch_tuning / estimate_tuning against constructed spectra, synthetic tones and the
// tuning librosa 0.8.1 estimated for every reference clip.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "core/feature/spectral.h"
#include "core/pitch.h"
#include "core/spectrum.h"
#include "tests/unit/reference.h"

using namespace sonotype;

namespace {

// librosa.cqt_frequencies(n_bins, fmin, tuning=tuning) rounded to float32.
std::vector<float> cqt_frequencies(int n_bins, double fmin, double tuning) {
  std::vector<float> f(static_cast<std::size_t>(n_bins));
  for (int i = 0; i < n_bins; ++i) f[size_t(i)] = float(std::pow(2.0, tuning / 12) * fmin * std::pow(2.0, i / 12.0));
  return f;
}

// Three harmonics of f0, as the oracle generated them: sum(0.3/h sin(2 pi h f0 t)), float32.
std::vector<float> harmonic_tone(double f0, double seconds) {
  const double sr = 22050;
  std::vector<float> y(static_cast<std::size_t>(seconds * sr));
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double t = double(i) / sr;
    double v = 0;
    for (const double h : {1.0, 2.0, 3.0}) v += 0.3 / h * std::sin(2 * std::numbers::pi * h * f0 * t);
    y[i] = float(v);
  }
  return y;
}

}  // namespace

TEST_CASE("piptrack interpolates the parabola through a peak and its neighbours") {
  const double sr = 22050;
  Eigen::MatrixXf S = Eigen::MatrixXf::Constant(1025, 2, 0.01f);
  // Frame 0: samples of 10 - (k - 50.25)^2 around bin 50 (exact in float32), so the vertex is
  // 0.25 bin above it and its height is 10.
  for (const int k : {49, 50, 51}) S(k, 0) = float(10 - (k - 50.25) * (k - 50.25));
  // Frame 1: a peak, one below the 0.1 x max threshold, and peaks outside [150, 4000) Hz.
  S(100, 1) = 5.0f;
  S(200, 1) = 0.4f;
  S(10, 1) = 3.0f;   // 108 Hz
  S(380, 1) = 3.0f;  // 4091 Hz

  const std::vector<PitchPeak> peaks = piptrack(S, sr);
  REQUIRE(peaks.size() == 2);
  CHECK(peaks[0].bin == 50);
  CHECK(peaks[0].frame == 0);
  CHECK(peaks[0].frequency == float(50.25 * sr / 2048));
  CHECK(peaks[0].magnitude == 10.0f);
  CHECK(peaks[1].bin == 100);
  CHECK(peaks[1].frame == 1);
  CHECK(peaks[1].frequency == float(100 * sr / 2048));
  CHECK(peaks[1].magnitude == 5.0f);

  CHECK(piptrack(Eigen::MatrixXf::Zero(1025, 3), sr).empty());
}

TEST_CASE("pitch_tuning finds the histogram peak of the deviations") {
  // librosa 0.8.1 on the same float32 frequencies: 0.25 and -0.07.
  CHECK(pitch_tuning(cqt_frequencies(24, 55, 0.255)) == 0.25);
  CHECK(pitch_tuning(cqt_frequencies(24, 55, -0.065)) == -0.07);
  // Non-positive frequencies are ignored; with none left the tuning is 0.
  std::vector<float> with_zeros = cqt_frequencies(24, 55, -0.065);
  with_zeros.insert(with_zeros.end(), 30, 0.0f);
  CHECK(pitch_tuning(with_zeros) == -0.07);
  CHECK(pitch_tuning(std::vector<float>{}) == 0.0);
  CHECK(pitch_tuning(std::vector<float>{0.0f, -3.0f}) == 0.0);
}

TEST_CASE("estimate_tuning of detuned harmonic tones equals librosa's") {
  // librosa.estimate_tuning(S=np.abs(librosa.stft(y))**2) of the same tones gives 0.38 and -0.27
  // (parabolic interpolation on the power spectrum overshoots the true 0.335 and -0.215).
  const auto tuning_of = [](double detune) {
    const std::vector<float> y = harmonic_tone(440 * std::pow(2.0, detune / 12), 2.0);
    return estimate_tuning(feature::power_spectrogram(feature::magnitude_spectrogram(stft(y))), 22050);
  };
  CHECK(tuning_of(0.335) == 0.38);
  CHECK(tuning_of(-0.215) == -0.27);
  CHECK(estimate_tuning(Eigen::MatrixXf::Zero(1025, 4), 22050) == 0.0);
}

TEST_CASE("estimate_tuning equals librosa 0.8.1's on every reference clip") {
  test::for_each_reference([](const std::string&, const nlohmann::json& ref, const std::vector<float>& y) {
    const double tuning = estimate_tuning(feature::power_spectrogram(feature::magnitude_spectrogram(stft(y))), 22050);
    CHECK(tuning == ref.at("tuning").get<double>());
  });
}
