// byte_order.hpp: unchecked, constexpr reads and writes of unsigned integers in a chosen byte
// order, from bytes (std::byte, or char for names in constant evaluation). The fold over an
// index_sequence compiles to one load or store (+ bswap). No dependencies beyond config.hpp, so
// byte_string.hpp (which error.hpp and so bytes.hpp need) can read names with it too; the
// checked forms over spans are in bytes.hpp.
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "extload/config.hpp"

namespace extload::inline v0 {

namespace detail {
template <class Byte>
concept byte_like = std::same_as<Byte, std::byte> || std::same_as<Byte, char> || std::same_as<Byte, unsigned char>;

template <std::unsigned_integral T, class Byte>
EXTLOAD_ALWAYS_INLINE constexpr T byte_value(Byte b) noexcept {
  if constexpr (std::same_as<Byte, std::byte>) return std::to_integer<T>(b);
  else return static_cast<T>(static_cast<unsigned char>(b));
}
template <std::unsigned_integral T, std::endian Order, class Byte, std::size_t... I>
EXTLOAD_ALWAYS_INLINE constexpr T assemble(Byte const* b, std::index_sequence<I...>) noexcept {
  return static_cast<T>(((byte_value<T>(b[I]) << ((Order == std::endian::little ? I : sizeof(T) - 1 - I) * 8)) | ...));
}
template <std::unsigned_integral T, std::endian Order, std::size_t... I>
EXTLOAD_ALWAYS_INLINE constexpr void scatter(std::byte* b, T v, std::index_sequence<I...>) noexcept {
  ((b[I] = static_cast<std::byte>(v >> ((Order == std::endian::little ? I : sizeof(T) - 1 - I) * 8))), ...);
}
} // namespace detail

// Unchecked: the caller has validated that [p, p + sizeof(T)) is inside the buffer.
template <std::unsigned_integral T, std::endian Order, detail::byte_like Byte>
EXTLOAD_ALWAYS_INLINE constexpr T load_at(Byte const* p) noexcept {
  return detail::assemble<T, Order>(p, std::make_index_sequence<sizeof(T)>{});
}
template <std::unsigned_integral T, std::endian Order>
EXTLOAD_ALWAYS_INLINE constexpr void store_at(std::byte* p, T v) noexcept {
  detail::scatter<T, Order>(p, v, std::make_index_sequence<sizeof(T)>{});
}

} // namespace extload::inline v0
