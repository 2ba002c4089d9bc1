// The frame-wise spectral features against known signals and against librosa 0.8.1, frame by frame
// and as the GTZAN table's mean/variance columns, on every reference clip.
#include <doctest/doctest.h>

#include <cmath>
#include <iostream>
#include <numbers>
#include <string>

#include "core/feature/spectral.h"
#include "core/filters.h"
#include "core/pitch.h"
#include "core/spectrum.h"
#include "core/stats.h"
#include "tests/unit/feature_table.h"
#include "tests/unit/reference.h"

using namespace sonotype;

namespace {

constexpr double kSr = 22050;

// Every feature of this module for one clip, from one STFT, as the GTZAN pipeline computes them.
struct Features {
  Eigen::MatrixXf magnitude, power, chroma, mel, mfcc;
  double tuning = 0;
  Eigen::RowVectorXd centroid, bandwidth, rolloff, zcr;
  Eigen::RowVectorXf rms;
};

Features compute(const std::vector<float>& y) {
  Features f;
  f.magnitude = feature::magnitude_spectrogram(stft(y));
  f.power = feature::power_spectrogram(f.magnitude);
  f.tuning = estimate_tuning(f.power, kSr);
  f.chroma = feature::chroma_stft(f.power, kSr, f.tuning);
  f.mel = feature::melspectrogram(f.power, kSr);
  f.mfcc = feature::mfcc(power_to_db(f.mel));
  f.centroid = feature::spectral_centroid(f.magnitude, kSr);
  f.bandwidth = feature::spectral_bandwidth(f.magnitude, f.centroid, kSr);
  const feature::CentroidBandwidth both = feature::spectral_centroid_bandwidth(f.magnitude, kSr);
  CHECK(both.centroid == f.centroid);
  CHECK(both.bandwidth == f.bandwidth);
  f.rolloff = feature::spectral_rolloff(f.magnitude, kSr);
  f.rms = feature::rms(y);
  f.zcr = feature::zero_crossing_rate(y);
  return f;
}

// Largest |ours - ref| over all elements, divided by `scale` (default: the largest |ref|). A 1-D
// reference (n, 1) is compared with a row vector (1, n). References are stored as float32 values.
double max_error(const Eigen::MatrixXd& ours_in, const Eigen::MatrixXd& ref, double scale = 0) {
  const Eigen::MatrixXd ours = ours_in.rows() == 1 && ref.cols() == 1 ? Eigen::MatrixXd(ours_in.transpose()) : ours_in;
  REQUIRE(ours.rows() == ref.rows());
  REQUIRE(ours.cols() == ref.cols());
  if (ref.size() == 0) return 0;
  if (scale == 0) scale = std::max(ref.cwiseAbs().maxCoeff(), 1e-30);
  return (ours - ref).cwiseAbs().maxCoeff() / scale;
}

// Largest |ours - ref| / |ref| over the elements (a zero reference needs a zero). The references
// hold 8 significant digits, so identical values differ by up to 5e-8 of themselves.
double max_relative_error(const Eigen::MatrixXd& ours_in, const Eigen::MatrixXd& ref) {
  const Eigen::MatrixXd ours = ours_in.rows() == 1 && ref.cols() == 1 ? Eigen::MatrixXd(ours_in.transpose()) : ours_in;
  REQUIRE(ours.rows() == ref.rows());
  REQUIRE(ours.cols() == ref.cols());
  double worst = 0;
  for (Eigen::Index i = 0; i < ref.size(); ++i) {
    const double error = std::abs(ours(i) - ref(i));
    worst = std::max(worst, ref(i) == 0 ? (error == 0 ? 0.0 : HUGE_VAL) : error / std::abs(ref(i)));
  }
  return worst;
}

template <class Derived>
Eigen::MatrixXd to_double(const Eigen::MatrixBase<Derived>& m) {
  return m.template cast<double>();
}

template <class Vector>
std::span<const typename Vector::Scalar> as_span(const Vector& v) {
  return {v.data(), static_cast<std::size_t>(v.size())};
}

// The worst error of one quantity over all clips, for the report.
struct Worst {
  double error = 0;
  std::string clip;
  void update(double e, const std::string& name) {
    if (e >= error) error = e, clip = name;
  }
};

}  // namespace

TEST_CASE("rms and zero_crossing_rate of known signals") {
  const std::vector<float> constant(5000, 0.5f);
  const Eigen::RowVectorXf r = feature::rms(constant);
  CHECK(r.size() == 1 + 5000 / 512);
  CHECK((r.array() == 0.5f).all());  // the reflected padding is constant too
  CHECK((feature::zero_crossing_rate(constant).array() == 0.0).all());

  std::vector<float> alternating(8192);
  for (std::size_t i = 0; i < alternating.size(); ++i) alternating[i] = i % 2 ? -0.25f : 0.25f;
  const Eigen::RowVectorXd z = feature::zero_crossing_rate(alternating);
  // A full frame sees 2047 changes in 2048 positions; frame 0 starts with 1024 copies of y[0],
  // then y[0..1023] with 1023 changes.
  CHECK(z(5) == 2047.0 / 2048);
  CHECK(z(0) == 1023.0 / 2048);
  CHECK(feature::rms(alternating)(5) == 0.25f);

  // |y| <= 1e-10 counts as zero, which has a positive sign: tiny negative values are not crossings.
  std::vector<float> tiny(4096, 1e-11f);
  for (std::size_t i = 0; i < tiny.size(); i += 2) tiny[i] = -1e-11f;
  CHECK((feature::zero_crossing_rate(tiny).array() == 0.0).all());
}

TEST_CASE("centroid and bandwidth and rolloff of known spectra") {
  const double bin_hz = kSr / 2048;
  Eigen::MatrixXf S = Eigen::MatrixXf::Zero(1025, 3);
  S(100, 0) = 2.0f;                 // one bin
  S(100, 1) = S(300, 1) = 1.0f;     // two equal bins
  S.col(2).setOnes();               // flat
  const Eigen::RowVectorXd centroid = feature::spectral_centroid(S, kSr);
  const Eigen::RowVectorXd bandwidth = feature::spectral_bandwidth(S, centroid, kSr);
  const Eigen::RowVectorXd rolloff = feature::spectral_rolloff(S, kSr);
  CHECK(centroid(0) == 100 * bin_hz);
  CHECK(bandwidth(0) == 0.0);
  CHECK(rolloff(0) == 100 * bin_hz);
  CHECK(centroid(1) == doctest::Approx(200 * bin_hz).epsilon(1e-15));
  CHECK(bandwidth(1) == doctest::Approx(100 * bin_hz).epsilon(1e-15));
  CHECK(rolloff(1) == 300 * bin_hz);
  CHECK(centroid(2) == doctest::Approx(kSr / 4).epsilon(1e-7));  // weights 1/1025 rounded to float32
  CHECK(rolloff(2) == 871 * bin_hz);  // the first k with k + 1 >= 0.85 x 1025

  // Silence: librosa leaves all-zero frames unnormalised, giving zeros rather than NaN.
  const Eigen::MatrixXf silent = Eigen::MatrixXf::Zero(1025, 2);
  const Eigen::RowVectorXd silent_centroid = feature::spectral_centroid(silent, kSr);
  CHECK((silent_centroid.array() == 0.0).all());
  CHECK((feature::spectral_bandwidth(silent, silent_centroid, kSr).array() == 0.0).all());
  CHECK((feature::spectral_rolloff(silent, kSr).array() == 0.0).all());
  CHECK((feature::chroma_stft(silent, kSr).array() == 0.0f).all());
}

TEST_CASE("melspectrogram and mfcc of known inputs") {
  // A flat power spectrum gives each band its filter's sum (the banded product equals the dense one).
  const Eigen::MatrixXf flat = Eigen::MatrixXf::Ones(1025, 2);
  const Eigen::MatrixXf dense = filters::mel(kSr, 2048) * flat;
  CHECK((feature::melspectrogram(flat, kSr) - dense).cwiseAbs().maxCoeff() <= 1e-6f * dense.maxCoeff());

  // The orthonormal DCT-II of a constant column c: c sqrt(n) in coefficient 0, zeros elsewhere.
  const Eigen::MatrixXf constant = Eigen::MatrixXf::Constant(128, 3, -100.0f);
  const Eigen::MatrixXf c = feature::mfcc(constant);
  REQUIRE(c.rows() == 20);
  CHECK(c(0, 1) == doctest::Approx(-100.0 * std::sqrt(128.0)).epsilon(1e-7));
  CHECK(c.bottomRows(19).cwiseAbs().maxCoeff() < 1e-4f);
  // ... and of a cosine at DCT frequency 3: only coefficient 3, with value sqrt(n / 2).
  Eigen::MatrixXf cosine(128, 1);
  for (int m = 0; m < 128; ++m) cosine(m, 0) = float(std::cos(std::numbers::pi * 3 * (2 * m + 1) / 256.0));
  const Eigen::MatrixXf c3 = feature::mfcc(cosine);
  CHECK(c3(3, 0) == doctest::Approx(std::sqrt(64.0)).epsilon(1e-6));
  CHECK(c3.cwiseAbs().sum() - std::abs(c3(3, 0)) < 1e-5f);
}

TEST_CASE("spectral features match librosa 0.8.1 frame by frame on every reference clip") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  Worst chroma_err, mfcc_err, mel_err, mel_means_err, centroid_err, bandwidth_err, rolloff_err, rms_err, zcr_err;
  for (const std::string& name : test::reference_names()) {
    CAPTURE(name);
    const auto ref = test::load_reference(*shared, name);
    const Features f = compute(test::reference_audio(*shared, name));
    const auto R = [&](const char* key) { return test::reference_matrix(ref.at(key)); };

    // A different tuning bin would shift every chroma frame: it must be the same decision.
    REQUIRE(f.tuning == ref.at("tuning").get<double>());

    // rms and zcr come from the samples alone and are reproduced to the bit (checked with the
    // oracle); here every value agrees to the 8 significant digits the references keep.
    const double e_rms = max_relative_error(to_double(f.rms), R("rms"));
    const double e_zcr = max_relative_error(f.zcr, R("zero_crossing_rate"));
    CHECK(e_rms <= 5e-8);
    CHECK(e_zcr <= 5e-8);
    rms_err.update(e_rms, name);
    zcr_err.update(e_zcr, name);

    // Features of the STFT inherit its last-bit differences from numpy's FFT (about 1/3 of the
    // magnitudes differ by an ulp); given numpy's own magnitudes, centroid, bandwidth, rolloff and
    // the tuning are bit-exact too (checked with the oracle). Errors relative to the clip's
    // largest value (measured worst in brackets):
    //   centroid, bandwidth, rolloff: the references' 8 digits plus the STFT's ulps -> 2e-7 [7e-8].
    //   For rolloff this also rules out a frame crossing 85 % one bin earlier or later (a bin is
    //   >= 1e-3 of the maximum);
    //   chroma: np.dot runs in float32 in OpenBLAS's summation order -> 1e-5 of the frame
    //   maximum 1 [2e-6];
    //   melspectrogram (power), its band means, mfcc: float32 products, and for mfcc scipy's
    //   float32 DCT (ours is exact; they differ by up to ~3e-5 in absolute terms) -> 1e-6 [2e-7].
    const double e_centroid = max_error(f.centroid, R("spectral_centroid"));
    const double e_bandwidth = max_error(f.bandwidth, R("spectral_bandwidth"));
    const double e_rolloff = max_error(f.rolloff, R("spectral_rolloff"));
    const double e_chroma = max_error(to_double(f.chroma), R("chroma_stft"), 1.0);
    const double e_mfcc = max_error(to_double(f.mfcc), R("mfcc"));
    CHECK(e_centroid <= 2e-7);
    CHECK(e_bandwidth <= 2e-7);
    CHECK(e_rolloff <= 2e-7);
    CHECK(e_chroma <= 1e-5);
    CHECK(e_mfcc <= 1e-6);
    centroid_err.update(e_centroid, name);
    bandwidth_err.update(e_bandwidth, name);
    rolloff_err.update(e_rolloff, name);
    chroma_err.update(e_chroma, name);
    mfcc_err.update(e_mfcc, name);

    // mel_band_means: np.mean(melspectrogram, axis=1), a float32 mean of each C-ordered row.
    Eigen::VectorXd band_means(f.mel.rows());
    for (Eigen::Index i = 0; i < f.mel.rows(); ++i) {
      const Eigen::RowVectorXf row = f.mel.row(i);
      band_means(i) = mean(as_span(row));
    }
    const double e_mel_means = max_error(band_means, R("mel_band_means"));
    CHECK(e_mel_means <= 1e-6);
    mel_means_err.update(e_mel_means, name);
    if (ref.contains("melspectrogram")) {
      const double e_mel = max_error(to_double(f.mel), R("melspectrogram"));
      CHECK(e_mel <= 1e-6);
      mel_err.update(e_mel, name);
    }
  }
  std::cout << "spectral features vs librosa 0.8.1, worst error relative to the clip's largest value:\n"
            << "  chroma_stft " << chroma_err.error << " (" << chroma_err.clip << ")\n"
            << "  mfcc " << mfcc_err.error << " (" << mfcc_err.clip << ")\n"
            << "  melspectrogram " << mel_err.error << " (" << mel_err.clip << ")\n"
            << "  mel_band_means " << mel_means_err.error << " (" << mel_means_err.clip << ")\n"
            << "  spectral_centroid " << centroid_err.error << " (" << centroid_err.clip << ")\n"
            << "  spectral_bandwidth " << bandwidth_err.error << " (" << bandwidth_err.clip << ")\n"
            << "  spectral_rolloff " << rolloff_err.error << " (" << rolloff_err.clip << ")\n"
            << "  rms " << rms_err.error << ", zero_crossing_rate " << zcr_err.error << "\n";
}

TEST_CASE("the GTZAN columns of the spectral features are within the acceptance tolerance") {
  const auto shared = test::shared_dir();
  if (!shared) return;
  const test::FeatureTable table = test::read_feature_table(*shared / "data" / "gtzan" / "features_30_sec.csv");
  double worst_ratio = 0;
  std::string worst;
  for (const std::string& name : test::reference_names()) {
    CAPTURE(name);
    const auto ref = test::load_reference(*shared, name);
    const Features f = compute(test::reference_audio(*shared, name));

    // The columns this module computes, as np.mean / np.var of librosa's arrays.
    std::vector<std::pair<std::string, double>> ours = {
        {"chroma_stft_mean", mean(f.chroma, NumpyOrder::C)},  {"chroma_stft_var", var(f.chroma, NumpyOrder::C)},
        {"rms_mean", mean(as_span(f.rms))},                   {"rms_var", var(as_span(f.rms))},
        {"spectral_centroid_mean", mean(as_span(f.centroid))}, {"spectral_centroid_var", var(as_span(f.centroid))},
        {"spectral_bandwidth_mean", mean(as_span(f.bandwidth))}, {"spectral_bandwidth_var", var(as_span(f.bandwidth))},
        {"rolloff_mean", mean(as_span(f.rolloff))},           {"rolloff_var", var(as_span(f.rolloff))},
        {"zero_crossing_rate_mean", mean(as_span(f.zcr))},    {"zero_crossing_rate_var", var(as_span(f.zcr))}};
    for (Eigen::Index i = 0; i < f.mfcc.rows(); ++i) {
      const Eigen::RowVectorXf row = f.mfcc.row(i);
      const std::string column = "mfcc" + std::to_string(i + 1);
      ours.emplace_back(column + "_mean", mean(as_span(row)));
      ours.emplace_back(column + "_var", var(as_span(row)));
    }

    for (const auto& [column, value] : ours) {
      CAPTURE(column);
      const auto index = std::find(kGtzanFeatureNames.begin(), kGtzanFeatureNames.end(), column) - kGtzanFeatureNames.begin();
      const double expected = ref.at("gtzan57").at(column).get<double>();
      const double tolerance = 1e-4 * std::max(std::abs(expected), table.column_std[size_t(index)]);
      const double error = std::abs(value - expected);
      CHECK(error <= tolerance);
      if (error / tolerance >= worst_ratio) {
        worst_ratio = error / tolerance;
        worst = name + " " + column + " (ours " + std::to_string(value) + ", librosa " + std::to_string(expected) + ")";
      }
    }
  }
  std::cout << "spectral GTZAN columns: worst " << worst << " at " << worst_ratio << " x tolerance\n";
}
