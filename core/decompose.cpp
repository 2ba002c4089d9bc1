#include "core/decompose.h"

#include <complex>
#include <limits>

#include "core/feature/spectral.h"
#include "core/median_filter.h"
#include "core/simd.h"

namespace sonotype::decompose {

namespace {

// util.softmask(X, X_ref, power=2) both ways for medians h and p (float or simd::Float4):
// the ratios to max(h, p), squared, and 0.5 each where that maximum is below float's tiny.
template <class T>
void soft_masks(T h, T p, T& mask_h, T& mask_p) {
  const T tiny = T{} + std::numeric_limits<float>::min();
  const T z = h < p ? p : h;
  const auto both_zero = z < tiny;
  const T scale = both_zero ? T{} + 1.0f : z;
  const T rh = h / scale, rp = p / scale;
  const T h2 = rh * rh, p2 = rp * rp;
  mask_h = both_zero ? T{} + 0.5f : h2 / (h2 + p2);
  mask_p = both_zero ? T{} + 0.5f : p2 / (p2 + h2);
}

}  // namespace

SoftMasks hpss_masks(const Eigen::MatrixXf& magnitude, int kernel_size) {
  SoftMasks masks{median_filter(magnitude, 1, kernel_size), median_filter(magnitude, kernel_size, 1)};
  // Overwrite the medians with the masks, four at a time and then one at a time.
  float* h = masks.harmonic.data();
  float* p = masks.percussive.data();
  const Eigen::Index n = masks.harmonic.size();
  Eigen::Index i = 0;
  for (; i + 4 <= n; i += 4) {
    simd::Float4 mask_h, mask_p;
    soft_masks(simd::load(h + i), simd::load(p + i), mask_h, mask_p);
    simd::store(h + i, mask_h);
    simd::store(p + i, mask_p);
  }
  for (; i < n; ++i) soft_masks(h[i], p[i], h[i], p[i]);
  return masks;
}

void apply_mask(const Spectrogram& D, const Eigen::MatrixXf& mask, Spectrogram& out) {
  out.resize(D.rows(), D.cols());
  const std::complex<float>* d = D.data();
  const float* m = mask.data();
  std::complex<float>* y = out.data();
  for (Eigen::Index i = 0; i < D.size(); ++i) y[i] = {d[i].real() * m[i], d[i].imag() * m[i]};
}

HarmonicPercussive hpss(const Spectrogram& D, int kernel_size) {
  const SoftMasks masks = hpss_masks(feature::magnitude_spectrogram(D), kernel_size);
  HarmonicPercussive parts;
  apply_mask(D, masks.harmonic, parts.harmonic);
  apply_mask(D, masks.percussive, parts.percussive);
  return parts;
}

}  // namespace sonotype::decompose
