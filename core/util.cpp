#include "core/util.h"

#include <cmath>
#include <stdexcept>

namespace sonotype {

namespace {

// Index into y for position i of the infinitely padded signal (i may be negative or >= n).
std::size_t padded_index(std::ptrdiff_t i, std::size_t n, PadMode mode) {
  const auto last = static_cast<std::ptrdiff_t>(n) - 1;
  if (mode == PadMode::edge || n == 1) return static_cast<std::size_t>(i < 0 ? 0 : (i > last ? last : i));
  // Reflection has period 2 (n - 1): ... 2 1 | 0 1 2 ... n-1 | n-2 ...
  const std::ptrdiff_t period = 2 * last;
  std::ptrdiff_t m = i % period;
  if (m < 0) m += period;
  return static_cast<std::size_t>(m <= last ? m : period - m);
}

}  // namespace

std::vector<float> pad(std::span<const float> y, std::size_t left, std::size_t right, PadMode mode) {
  if (y.empty()) throw std::invalid_argument("the audio is empty");
  std::vector<float> out(left + y.size() + right);
  const auto offset = static_cast<std::ptrdiff_t>(left);
  for (std::size_t i = 0; i < left; ++i)
    out[i] = y[padded_index(static_cast<std::ptrdiff_t>(i) - offset, y.size(), mode)];
  std::copy(y.begin(), y.end(), out.begin() + static_cast<std::ptrdiff_t>(left));
  for (std::size_t i = left + y.size(); i < out.size(); ++i)
    out[i] = y[padded_index(static_cast<std::ptrdiff_t>(i) - offset, y.size(), mode)];
  return out;
}

void check_audio(std::span<const float> y) {
  if (y.empty()) throw std::invalid_argument("audio is empty");
  for (float v : y)
    if (!std::isfinite(v)) throw std::invalid_argument("audio contains non-finite samples (NaN or Inf)");
}

}  // namespace sonotype
