// byte_string.hpp: a name inside the image, as a (std::byte*, length) pair. Constant
// evaluation cannot view std::byte as char, so names compare and hash byte-wise here; at run
// time view() gives a std::string_view (std::byte and char may alias, [basic.lval]/11).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extload/config.hpp"

namespace extload::inline v0 {

struct byte_string {
  std::byte const* data = nullptr;
  std::size_t size = 0;

  constexpr char operator[](std::size_t i) const noexcept { return static_cast<char>(data[i]); }
  constexpr bool empty() const noexcept { return size == 0; }

  constexpr bool operator==(std::string_view s) const noexcept {
    if (s.size() != size) return false;
    for (std::size_t i = 0; i < size; ++i)
      if (static_cast<char>(data[i]) != s[i]) return false;
    return true;
  }
  constexpr bool operator==(byte_string const& o) const noexcept {
    if (o.size != size) return false;
    for (std::size_t i = 0; i < size; ++i)
      if (data[i] != o.data[i]) return false;
    return true;
  }
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

// FNV-1a over bytes: cheap, constexpr, used for in-memory name indexes (not for SLIDs).
constexpr std::uint32_t fnv1a(byte_string s) noexcept {
  std::uint32_t h = 2166136261u;
  for (std::size_t i = 0; i < s.size; ++i) { h ^= std::to_integer<std::uint32_t>(s.data[i]); h *= 16777619u; }
  return h;
}
constexpr std::uint32_t fnv1a(std::string_view s) noexcept {
  std::uint32_t h = 2166136261u;
  for (char c : s) { h ^= static_cast<unsigned char>(c); h *= 16777619u; }
  return h;
}

} // namespace extload::inline v0
