#include "core/spectrum.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/fft.h"
#include "core/filters.h"
#include "core/util.h"

namespace sonotype {

std::size_t stft_frames(std::size_t n_samples, const StftParams& p) {
  const auto n_fft = static_cast<std::size_t>(p.n_fft), hop = static_cast<std::size_t>(p.hop_length);
  const std::size_t padded = p.center ? n_samples + n_fft : n_samples;
  return padded < n_fft ? 0 : 1 + (padded - n_fft) / hop;
}

Spectrogram stft(std::span<const float> y, const StftParams& p) {
  if (y.empty()) throw std::invalid_argument("the audio is empty");
  const auto n_fft = static_cast<std::size_t>(p.n_fft), hop = static_cast<std::size_t>(p.hop_length);
  std::vector<float> padded;
  if (p.center) {
    padded = pad(y, n_fft / 2, n_fft / 2, PadMode::reflect);
    y = padded;
  } else if (y.size() < n_fft) {
    throw std::invalid_argument("the audio is shorter than one STFT frame");
  }
  const std::size_t n_frames = 1 + (y.size() - n_fft) / hop;
  const std::vector<double> window = filters::get_window_hann(n_fft);

  Spectrogram D(static_cast<Eigen::Index>(n_fft / 2 + 1), static_cast<Eigen::Index>(n_frames));
  RealFft fft(n_fft);
  std::vector<double> frame(n_fft);
  std::vector<std::complex<double>> bins(n_fft / 2 + 1);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const float* x = y.data() + t * hop;
    for (std::size_t i = 0; i < n_fft; ++i) frame[i] = window[i] * double(x[i]);
    fft.forward(frame.data(), bins.data());
    std::complex<float>* column = D.col(static_cast<Eigen::Index>(t)).data();
    for (std::size_t k = 0; k < bins.size(); ++k) column[k] = std::complex<float>(bins[k]);
  }
  return D;
}

std::vector<float> istft(const Spectrogram& D, std::size_t length, const StftParams& p) {
  const auto n_fft = static_cast<std::size_t>(2 * (D.rows() - 1)), hop = static_cast<std::size_t>(p.hop_length);
  const auto n_frames = static_cast<std::size_t>(D.cols());
  if (n_frames == 0 || n_fft < 2) throw std::invalid_argument("the spectrogram to invert is empty");
  const std::vector<double> window = filters::get_window_hann(n_fft);

  // Overlap-add the windowed frames; librosa's float32 output buffer rounds after every add.
  std::vector<float> y(n_fft + hop * (n_frames - 1), 0.0f);
  std::vector<float> envelope(y.size(), 0.0f);  // librosa.filters.window_sumsquare, float32
  RealFft fft(n_fft);
  std::vector<std::complex<double>> bins(D.rows());
  std::vector<double> frame(n_fft);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const std::complex<float>* column = D.col(static_cast<Eigen::Index>(t)).data();
    for (std::size_t k = 0; k < bins.size(); ++k) bins[k] = std::complex<double>(column[k]);
    fft.inverse(bins.data(), frame.data());
    float* out = y.data() + t * hop;
    float* env = envelope.data() + t * hop;
    for (std::size_t i = 0; i < n_fft; ++i) {
      out[i] = float(double(out[i]) + window[i] * frame[i]);
      env[i] = float(double(env[i]) + window[i] * window[i]);
    }
  }
  const float tiny = std::numeric_limits<float>::min();
  for (std::size_t i = 0; i < y.size(); ++i)
    if (envelope[i] > tiny) y[i] /= envelope[i];

  // Drop the centring pad, then util.fix_length: truncate, or pad with zeros.
  std::vector<float> out(length, 0.0f);
  const std::size_t start = p.center ? n_fft / 2 : 0;
  const std::size_t stop = p.center ? y.size() - n_fft / 2 : y.size();
  const std::size_t available = std::min(length, stop - start);
  std::copy_n(y.begin() + static_cast<std::ptrdiff_t>(start), available, out.begin());
  return out;
}

Eigen::MatrixXf power_to_db(const Eigen::MatrixXf& S, float amin, float top_db) {
  Eigen::MatrixXf log_spec = S.unaryExpr([amin](float s) { return 10.0f * std::log10(std::max(amin, s)); });
  if (log_spec.size() > 0) {
    const float floor = log_spec.maxCoeff() - top_db;
    log_spec = log_spec.cwiseMax(floor);
  }
  return log_spec;
}

}  // namespace sonotype
