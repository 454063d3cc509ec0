// bytes.hpp: byte-wise, constexpr reads and writes of unsigned integers in a chosen byte
// order. The only way the library touches image bytes: no reinterpret_cast, no memcpy into
// structs (STYLE.md R9). The fold over an index_sequence compiles to one load (+ bswap).
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "extload/error.hpp"

namespace extload::inline v0 {

namespace detail {
template <std::unsigned_integral T, std::endian Order, std::size_t... I>
EXTLOAD_ALWAYS_INLINE constexpr T assemble(std::byte const* b, std::index_sequence<I...>) noexcept {
  return static_cast<T>(((static_cast<T>(std::to_integer<T>(b[I]))
                          << ((Order == std::endian::little ? I : sizeof(T) - 1 - I) * 8)) | ...));
}
template <std::unsigned_integral T, std::endian Order, std::size_t... I>
EXTLOAD_ALWAYS_INLINE constexpr void scatter(std::byte* b, T v, std::index_sequence<I...>) noexcept {
  ((b[I] = static_cast<std::byte>(v >> ((Order == std::endian::little ? I : sizeof(T) - 1 - I) * 8))), ...);
}
} // namespace detail

// Unchecked: the caller has validated that [p, p + sizeof(T)) is inside the buffer.
template <std::unsigned_integral T, std::endian Order>
EXTLOAD_ALWAYS_INLINE constexpr T load_at(std::byte const* p) noexcept {
  return detail::assemble<T, Order>(p, std::make_index_sequence<sizeof(T)>{});
}
template <std::unsigned_integral T, std::endian Order>
EXTLOAD_ALWAYS_INLINE constexpr void store_at(std::byte* p, T v) noexcept {
  detail::scatter<T, Order>(p, v, std::make_index_sequence<sizeof(T)>{});
}

// Is [off, off + len) inside a buffer of `size` bytes? Subtracts rather than adds (no overflow).
constexpr bool in_bounds(std::uint64_t size, std::uint64_t off, std::uint64_t len) noexcept {
  return off <= size && size - off >= len;
}

// Checked: errc::truncated when the read would leave the span.
template <std::unsigned_integral T, std::endian Order>
constexpr result<T> load(std::span<std::byte const> s, std::uint64_t off) noexcept {
  if (!in_bounds(s.size(), off, sizeof(T))) return errc::truncated;
  return load_at<T, Order>(s.data() + off);
}
template <std::unsigned_integral T, std::endian Order>
constexpr errc store(std::span<std::byte> s, std::uint64_t off, T v) noexcept {
  if (!in_bounds(s.size(), off, sizeof(T))) return errc::truncated;
  store_at<T, Order>(s.data() + off, v);
  return errc::ok;
}

// Build a std::byte array from integer literals (tests, constexpr images).
template <class... Ts>
constexpr std::array<std::byte, sizeof...(Ts)> make_bytes(Ts... v) noexcept {
  return {static_cast<std::byte>(v)...};
}

} // namespace extload::inline v0
