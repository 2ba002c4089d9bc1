#include "core/filters.h"

#include <cmath>
#include <numbers>

namespace sonotype {

std::vector<double> get_window_hann(std::size_t n) {
  // scipy's general_cosine form, evaluated in the same order so the values agree bit for bit:
  // w = 0.5 + 0.5 cos(fac), fac = linspace(-pi, pi, n + 1)[:n].
  const double step = 2.0 * std::numbers::pi / double(n);
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = 0.5 + 0.5 * std::cos(double(i) * step - std::numbers::pi);
  return w;
}

}  // namespace sonotype
