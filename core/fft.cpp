#include "core/fft.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace sonotype {

RealFft::RealFft(std::size_t n)
    : n_(n), half_forward_(n / 2, false), half_inverse_(n / 2, true),
      twiddle_(n / 2), work_in_(n / 2), work_out_(n / 2) {
  if (n < 2 || n % 2 != 0) throw std::invalid_argument("the FFT size must be even and at least 2");
  for (std::size_t k = 0; k < n / 2; ++k)
    twiddle_[k] = std::polar(1.0, -2.0 * std::numbers::pi * double(k) / double(n));
}

void RealFft::forward(const double* in, std::complex<double>* out) {
  const std::size_t half = n_ / 2;
  // kissfft packs DC into out[0].real() and Nyquist into out[0].imag().
  half_forward_.transform_real(in, out);
  const double nyquist = out[0].imag();
  out[0] = {out[0].real(), 0.0};
  out[half] = {nyquist, 0.0};
}

void RealFft::inverse(const std::complex<double>* in, double* out) {
  // Split the spectrum of x into the spectra E, O of its even and odd samples and invert
  // z = e + i o with one complex FFT of n/2 points: X[k] = E[k] + W^k O[k], W = exp(-2 pi i / n).
  const std::size_t half = n_ / 2;
  auto bin = [&](std::size_t k) {
    return (k == 0 || k == half) ? std::complex<double>(in[k].real(), 0.0) : in[k];
  };
  for (std::size_t k = 0; k < half; ++k) {
    const std::complex<double> a = bin(k), b = std::conj(bin(half - k));
    const std::complex<double> even = 0.5 * (a + b);
    const std::complex<double> odd = 0.5 * (a - b) * std::conj(twiddle_[k]);
    work_in_[k] = even + std::complex<double>(0.0, 1.0) * odd;
  }
  half_inverse_.transform(work_in_.data(), work_out_.data());
  const double scale = 1.0 / double(half);
  for (std::size_t m = 0; m < half; ++m) {
    out[2 * m] = work_out_[m].real() * scale;
    out[2 * m + 1] = work_out_[m].imag() * scale;
  }
}

}  // namespace sonotype
