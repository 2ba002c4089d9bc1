#pragma once
// IEEE 754 binary16 ("half") <-> binary32 conversion for the f16 tensors of a .sono blob.
// Written out in integer arithmetic because neither C++20 nor em++ offers a portable half type.
#include <cstdint>

#include "core/model/bit_cast.h"

namespace sonotype::model {

// The half nearest to `value`, ties to even (IEEE's default rounding, as numpy's float16).
// Finite values of magnitude >= 65520 become infinity; NaN stays NaN (quiet, payload truncated).
constexpr std::uint16_t float_to_half(float value) {
  const std::uint32_t bits = bit_cast<std::uint32_t>(value);
  const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t magnitude = bits & 0x7fffffffu;
  if (magnitude >= 0x7f800000u) {  // infinity or NaN
    const bool is_nan = magnitude > 0x7f800000u;
    return static_cast<std::uint16_t>(sign | 0x7c00u | (is_nan ? 0x200u | ((magnitude >> 13) & 0x3ffu) : 0u));
  }
  if (magnitude >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // >= 65520: overflow
  // Keep `kept` high bits of the (implicit-bit) mantissa and round the `dropped` low bits.
  const auto round_shifted = [](std::uint32_t mantissa, int dropped) {
    const std::uint32_t kept = mantissa >> dropped;
    const std::uint32_t rest = mantissa & ((1u << dropped) - 1u);
    const std::uint32_t halfway = 1u << (dropped - 1);
    return kept + ((rest > halfway || (rest == halfway && (kept & 1u))) ? 1u : 0u);
  };
  const int exponent = static_cast<int>(magnitude >> 23);  // biased by 127
  if (exponent < 113) {  // below 2^-14, the smallest normal half: a subnormal half (units of 2^-24)
    if (exponent < 102) return sign;  // below 2^-25: rounds to zero
    const std::uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    return static_cast<std::uint16_t>(sign | round_shifted(mantissa, 126 - exponent));
  }
  // Normal: rebias the exponent; a carry out of the mantissa correctly bumps the exponent.
  const std::uint32_t rebased = (static_cast<std::uint32_t>(exponent - 112) << 23) | (magnitude & 0x7fffffu);
  return static_cast<std::uint16_t>(sign | round_shifted(rebased, 13));
}

// The float equal to the half `bits` (every half is exactly representable as a float).
constexpr float half_to_float(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1fu;
  const std::uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24
    const float magnitude = static_cast<float>(mantissa) * (1.0f / 16777216.0f);
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 31) return bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  return bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

}  // namespace sonotype::model
