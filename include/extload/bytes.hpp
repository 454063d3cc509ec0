// bytes.hpp: byte-wise, constexpr reads and writes of unsigned integers in a chosen byte
// order. The only way the library touches image bytes: no reinterpret_cast, no memcpy into
// structs (STYLE.md R9). The unchecked load_at/store_at are in byte_order.hpp; the checked
// forms over spans, and byte-array literals, are here.
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "extload/byte_order.hpp"
#include "extload/error.hpp"

namespace extload::inline v0 {

// Is [off, off + len) inside a buffer of `size` bytes? Subtracts rather than adds (no overflow).
constexpr bool in_bounds(std::uint64_t size, std::uint64_t off, std::uint64_t len) noexcept {
  return off <= size && size - off >= len;
}

// std::has_single_bit in two ALU operations: without -mpopcnt, gcc calls libgcc's __popcountdi2
// for it, and parse() and the allocators ask once per section and per region.
constexpr bool is_power_of_two(std::uint64_t x) noexcept { return x != 0 && (x & (x - 1)) == 0; }

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
