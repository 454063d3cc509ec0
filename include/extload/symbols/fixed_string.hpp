// symbols/fixed_string.hpp: a string literal usable as a template argument (C++20 class-type
// NTTP, the ctll::fixed_string idea from ctre), so a symbol name can key a variable template
// such as slid_v<8, "printk"> or an export descriptor export_function<"printk", &printk>.
#pragma once

#include <cstddef>
#include <string_view>

#include "extload/config.hpp"

namespace extload::inline v0 {

// N is the length without the terminating NUL. The type is structural (public members only,
// [temp.param]/7), so two fixed_strings with the same characters are the same template
// argument. A NUL is kept after the characters so data() is a C string.
template <std::size_t N>
struct fixed_string {
  char chars[N + 1] = {};

  constexpr fixed_string() noexcept = default;
  // From a string literal: `"printk"` is char const[7], deduced as fixed_string<6> below.
  constexpr fixed_string(char const (&s)[N + 1]) noexcept { // NOLINT: implicit by design
    for (std::size_t i = 0; i < N; ++i) chars[i] = s[i];
    chars[N] = '\0';
  }

  static constexpr std::size_t size() noexcept { return N; }
  static constexpr bool empty() noexcept { return N == 0; }
  constexpr char const* data() const noexcept { return chars; }
  constexpr char operator[](std::size_t i) const noexcept { return chars[i]; }
  constexpr std::string_view view() const noexcept { return {chars, N}; }
  constexpr operator std::string_view() const noexcept { return view(); } // NOLINT: implicit by design

  template <std::size_t M>
  constexpr bool operator==(fixed_string<M> const& o) const noexcept { return view() == o.view(); }
  constexpr bool operator==(std::string_view s) const noexcept { return view() == s; }
};

template <std::size_t M>
fixed_string(char const (&)[M]) -> fixed_string<M - 1>;

// Concatenation, for names generated at compile time (e.g. "fw_fn_" + decimal digits).
template <std::size_t A, std::size_t B>
constexpr fixed_string<A + B> operator+(fixed_string<A> const& a, fixed_string<B> const& b) noexcept {
  fixed_string<A + B> r;
  for (std::size_t i = 0; i < A; ++i) r.chars[i] = a.chars[i];
  for (std::size_t i = 0; i < B; ++i) r.chars[A + i] = b.chars[i];
  r.chars[A + B] = '\0';
  return r;
}

// The decimal spelling of V as a fixed_string (no sign, no leading zeros).
template <std::size_t V>
constexpr auto decimal_fixed_string() noexcept {
  constexpr std::size_t digits = [] {
    std::size_t d = 1;
    for (std::size_t v = V; v >= 10; v /= 10) ++d;
    return d;
  }();
  fixed_string<digits> r;
  std::size_t v = V;
  for (std::size_t i = digits; i-- > 0; v /= 10) r.chars[i] = static_cast<char>('0' + v % 10);
  return r;
}

} // namespace extload::inline v0
