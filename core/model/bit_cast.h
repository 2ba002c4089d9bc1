#pragma once
// std::bit_cast, which the libc++ of em++ 3.1.6 lacks; g++, clang and MSVC all offer the
// builtin that standard libraries implement it with.
#include <type_traits>

namespace sonotype::model {

template <class To, class From>
constexpr To bit_cast(const From& from) noexcept {
  static_assert(sizeof(To) == sizeof(From) && std::is_trivially_copyable_v<To> && std::is_trivially_copyable_v<From>);
  return __builtin_bit_cast(To, from);
}

}  // namespace sonotype::model
