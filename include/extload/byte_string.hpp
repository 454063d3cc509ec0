// byte_string.hpp: a name inside the image, as a (std::byte*, length) pair. Constant
// evaluation cannot view std::byte as char, so names compare and hash through byte reads here,
// written so that the compiler merges them into word loads at run time; view() gives a
// std::string_view at run time (std::byte and char may alias, [basic.lval]/11).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "extload/byte_order.hpp"
#include "extload/config.hpp"

namespace extload::inline v0 {

namespace detail {
// The 8 and 4 bytes at p, little-endian on every host (name_hash's steps; one load at run time).
template <class Byte>
EXTLOAD_ALWAYS_INLINE constexpr std::uint64_t load8(Byte const* p) noexcept { return load_at<std::uint64_t, std::endian::little>(p); }
template <class Byte>
EXTLOAD_ALWAYS_INLINE constexpr std::uint64_t load4(Byte const* p) noexcept { return load_at<std::uint32_t, std::endian::little>(p); }

// Do a[0..n) and b[0..n) hold the same bytes? Eight at a time (the last step overlapping), as
// name_hash reads them: names in a hash bucket are compared whole, not byte by byte.
template <class A, class B>
constexpr bool same_bytes(A const* a, B const* b, std::size_t n) noexcept {
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
      if (load8(a + i) != load8(b + i)) return false;
    return i == n || load8(a + n - 8) == load8(b + n - 8);
  }
  if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (static_cast<std::uint8_t>(a[i]) != static_cast<std::uint8_t>(b[i])) return false;
  return true;
}

// Copy n bytes, as same_bytes reads them: eight at a time (the last step overlapping), two
// overlapping fours, or single bytes. For names, which are short: a call to memmove costs more.
EXTLOAD_ALWAYS_INLINE constexpr void copy_bytes(std::byte* d, std::byte const* s, std::size_t n) noexcept {
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) store_at<std::uint64_t, std::endian::little>(d + i, load8(s + i));
    if (i < n) store_at<std::uint64_t, std::endian::little>(d + n - 8, load8(s + n - 8));
  } else if (n >= 4) {
    auto const head = static_cast<std::uint32_t>(load4(s));
    auto const tail = static_cast<std::uint32_t>(load4(s + n - 4));
    store_at<std::uint32_t, std::endian::little>(d, head);
    store_at<std::uint32_t, std::endian::little>(d + n - 4, tail);
  } else {
    for (std::size_t i = 0; i < n; ++i) d[i] = s[i];
  }
}
} // namespace detail

struct byte_string {
  std::byte const* data = nullptr;
  std::size_t size = 0;

  constexpr char operator[](std::size_t i) const noexcept { return static_cast<char>(data[i]); }
  constexpr bool empty() const noexcept { return size == 0; }

  constexpr bool operator==(std::string_view s) const noexcept { return s.size() == size && detail::same_bytes(data, s.data(), size); }
  constexpr bool operator==(byte_string const& o) const noexcept { return o.size == size && detail::same_bytes(data, o.data, size); }
  constexpr bool starts_with(std::string_view s) const noexcept {
    if (s.size() > size) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (static_cast<char>(data[i]) != s[i]) return false;
    return true;
  }
  // Three-way compare as unsigned bytes (the order of strcmp).
  constexpr int compare(std::string_view s) const noexcept {
    std::size_t const n = size < s.size() ? size : s.size();
    for (std::size_t i = 0; i < n; ++i) {
      auto const a = std::to_integer<unsigned char>(data[i]);
      auto const b = static_cast<unsigned char>(s[i]);
      if (a != b) return a < b ? -1 : 1;
    }
    return size < s.size() ? -1 : size > s.size() ? 1 : 0;
  }

  std::string_view view() const noexcept {
    return {static_cast<char const*>(static_cast<void const*>(data)), size};
  }
};

// The hash of the in-memory name indexes (firmware export tables, extension records, the
// linker's global index, archive symbol indexes; never a SLID). Eight bytes per step, taken
// little-endian whatever the host, so a table hashed at compile time and a lookup at run time
// agree on every target; a multiply and a shift mix each step, and a final avalanche spreads
// the low bits the tables mask with. The length is part of the seed, so the overlapping last
// step (the last 8 bytes of a longer name; two 4-byte halves of a shorter one) stays
// unambiguous. At run time the byte loads of a step merge into one load.
namespace detail {
inline constexpr std::uint64_t name_hash_k = 0x9e3779b97f4a7c15ull; // 2^64 / golden ratio
template <class Byte>
constexpr std::uint32_t name_hash_of(Byte const* p, std::size_t n) noexcept {
  std::uint64_t h = name_hash_k ^ n;
  auto const step = [&](std::uint64_t w) {
    h = (h ^ w) * name_hash_k;
    h ^= h >> 29;
  };
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) step(load8(p + i));
    if (i < n) step(load8(p + n - 8)); // the last 8 bytes, overlapping: no byte loop
  } else if (n >= 4) {
    step(load4(p) | load4(p + n - 4) << 32);
  } else if (n > 0) {
    step(std::uint64_t{static_cast<std::uint8_t>(p[0])} | std::uint64_t{static_cast<std::uint8_t>(p[n / 2])} << 8 |
         std::uint64_t{static_cast<std::uint8_t>(p[n - 1])} << 16);
  }
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return static_cast<std::uint32_t>(h);
}
} // namespace detail

constexpr std::uint32_t name_hash(byte_string s) noexcept { return detail::name_hash_of(s.data, s.size); }
constexpr std::uint32_t name_hash(std::string_view s) noexcept {
  // The same bytes, as std::byte at run time (std::byte and char may alias, [basic.lval]/11).
  if (!std::is_constant_evaluated()) return detail::name_hash_of(static_cast<std::byte const*>(static_cast<void const*>(s.data())), s.size());
  return detail::name_hash_of(s.data(), s.size());
}

} // namespace extload::inline v0
