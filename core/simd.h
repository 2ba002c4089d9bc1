#pragma once
// Four floats in one SIMD register through the GCC/Clang vector extension: SSE natively and
// simd128 in WebAssembly (em++ -msimd128), without intrinsics. Comparisons give lane masks, and
// `mask ? a : b` selects lane by lane.
#include <cstring>

namespace sonotype::simd {

using Float4 = float __attribute__((vector_size(16)));

inline Float4 broadcast(float x) { return Float4{x, x, x, x}; }

inline Float4 load(const float* p) {
  Float4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store(float* p, Float4 v) { std::memcpy(p, &v, sizeof v); }

// Lane-wise minimum and maximum.
inline Float4 min(Float4 a, Float4 b) { return a < b ? a : b; }
inline Float4 max(Float4 a, Float4 b) { return a < b ? b : a; }

// Transposes the 4x4 matrix whose rows are a, b, c, d (GCC >= 12 and Clang have the shuffle).
inline void transpose(Float4& a, Float4& b, Float4& c, Float4& d) {
  const Float4 ab_low = __builtin_shufflevector(a, b, 0, 4, 1, 5), ab_high = __builtin_shufflevector(a, b, 2, 6, 3, 7);
  const Float4 cd_low = __builtin_shufflevector(c, d, 0, 4, 1, 5), cd_high = __builtin_shufflevector(c, d, 2, 6, 3, 7);
  a = __builtin_shufflevector(ab_low, cd_low, 0, 1, 4, 5);
  b = __builtin_shufflevector(ab_low, cd_low, 2, 3, 6, 7);
  c = __builtin_shufflevector(ab_high, cd_high, 0, 1, 4, 5);
  d = __builtin_shufflevector(ab_high, cd_high, 2, 3, 6, 7);
}

}  // namespace sonotype::simd
