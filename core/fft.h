#pragma once
// Real FFTs of even length in double precision on top of KissFFT's header-only kissfft.hh, the
// numpy.fft.rfft / irfft pair that librosa uses. One object per size; reuse it across frames.
#include <complex>
#include <cstddef>
#include <vector>

#include <kissfft.hh>

namespace sonotype {

class RealFft {
 public:
  explicit RealFft(std::size_t n);
  std::size_t size() const { return n_; }

  // numpy.fft.rfft: n real samples -> n/2 + 1 complex bins (unnormalised).
  void forward(const double* in, std::complex<double>* out);

  // numpy.fft.irfft: n/2 + 1 bins -> n real samples, scaled by 1/n. The imaginary parts of the
  // DC and Nyquist bins are ignored, as numpy does.
  void inverse(const std::complex<double>* in, double* out);

 private:
  std::size_t n_;
  kissfft<double> half_forward_, half_inverse_;  // complex FFTs of n/2 points
  std::vector<std::complex<double>> twiddle_;    // exp(-2 pi i k / n), k < n/2
  std::vector<std::complex<double>> work_in_, work_out_;
};

}  // namespace sonotype
