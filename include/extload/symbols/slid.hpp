// symbols/slid.hpp: Zephyr LLEXT symbol link identifiers (SLIDs). With
// CONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID an extension refers to firmware symbols by a number
// instead of a name: "the first [pointer size] bytes of the symbol name's SHA-256 hash, taken in
// big-endian order" (Zephyr scripts/build/llext_slidlib.py). The width is the target's pointer
// size: 4 bytes for ELF32 targets, 8 for ELF64. Firmware and extension tooling must agree on this
// definition, so it is pinned by golden values from that script (tests/symbols/slid.test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extload/byte_string.hpp"
#include "extload/config.hpp"
#include "extload/symbols/fixed_string.hpp"
#include "extload/symbols/sha256.hpp"

namespace extload::inline v0 {

template <std::size_t Bytes>
concept slid_width = Bytes == 4 || Bytes == 8;

// The first Bytes bytes of a digest as a big-endian integer (llext_slidlib.py:
// int.from_bytes(hash[:Bytes], byteorder="big")).
template <std::size_t Bytes>
  requires slid_width<Bytes>
constexpr std::uint64_t slid_from_digest(sha256_digest const& d) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < Bytes; ++i) v = (v << 8) | d[i];
  return v;
}

template <std::size_t Bytes>
  requires slid_width<Bytes>
constexpr std::uint64_t slid_of(std::string_view name) noexcept {
  return slid_from_digest<Bytes>(sha256(name));
}

// For names read from an image (host tools; loaders that resolve by name against a SLID table).
template <std::size_t Bytes>
  requires slid_width<Bytes>
constexpr std::uint64_t slid_of(byte_string name) noexcept {
  return slid_from_digest<Bytes>(sha256(name));
}

// One variable per (width, name): each SLID is its own constant evaluation, so a table of many
// names stays inside the compilers' default constexpr step limits (a single evaluation hashing
// 2000 names does not; docs/TOOLCHAIN.md §3), and a name used by several tables is hashed once.
template <std::size_t Bytes, fixed_string Name>
  requires slid_width<Bytes>
inline constexpr std::uint64_t slid_v = slid_of<Bytes>(Name.view());

} // namespace extload::inline v0
