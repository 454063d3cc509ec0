// tests/archive/ar_builder.hpp: a constexpr writer of small `ar` archives, GNU or BSD layout,
// with or without a symbol index, so archive tests run in static_assert as well as at run time
// (STYLE.md R12). It writes what GNU ar (`rcs` / `rcS`) and `llvm-ar --format=bsd` write
// (see include/extload/archive/ar.hpp for the format):
//   GNU: "/" index (big-endian u32 count, u32 member-header offsets, NUL-terminated names),
//        "//" long-name table for names over 15 bytes ("name/\n" entries, members named "/off"),
//        short names "name/".
//   BSD: "__.SYMDEF" index (#1/12 name; little-endian u32 bytes-of-ranlibs, {u32 strx, u32
//        member-header offset}..., u32 bytes-of-strings, strings), members named "#1/<len>"
//        with the name (NUL-padded to 4) in front of the data.
// The index lists exactly the symbols the caller gives for each member (so tests can also
// write an index that disagrees with the members).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "extload/bytes.hpp"

namespace extload::inline v0::test {

enum class ar_style { gnu, bsd };

struct ar_member_spec {
  std::string_view name;
  std::span<std::byte const> data;
  std::initializer_list<std::string_view> symbols = {};
};

template <std::size_t N>
struct ar_image {
  std::array<std::byte, N> data{};
  std::size_t length = 0;
  constexpr std::span<std::byte const> view() const noexcept { return {data.data(), length}; }
  constexpr ar_image& put(std::size_t off, char c) noexcept { data[off] = static_cast<std::byte>(c); return *this; }
  constexpr ar_image& put(std::size_t off, std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size(); ++i) data[off + i] = static_cast<std::byte>(s[i]);
    return *this;
  }
  constexpr ar_image& truncate(std::size_t n) noexcept { length = n; return *this; }
  // Offset of the first byte equal to the string `s` (for patching a header found by name).
  constexpr std::size_t find(std::string_view s) const noexcept {
    for (std::size_t i = 0; i + s.size() <= length; ++i) {
      bool eq = true;
      for (std::size_t k = 0; k < s.size() && eq; ++k) eq = data[i + k] == static_cast<std::byte>(s[k]);
      if (eq) return i;
    }
    return length;
  }
};

// Never constexpr: reaching it during constant evaluation is a compile error naming it.
[[noreturn]] inline void ar_builder_capacity_too_small() { std::abort(); }

namespace ar_detail {
constexpr void append(std::vector<std::byte>& out, std::string_view s) {
  for (char c : s) out.push_back(static_cast<std::byte>(c));
}
constexpr void append_padded(std::vector<std::byte>& out, std::string_view s, std::size_t width) {
  append(out, s);
  for (std::size_t i = s.size(); i < width; ++i) out.push_back(std::byte{' '});
}
constexpr void append_number(std::vector<std::byte>& out, std::uint64_t v, std::size_t width) {
  char buf[20] = {};
  std::size_t n = 0;
  do { buf[n++] = static_cast<char>('0' + v % 10); v /= 10; } while (v != 0);
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<std::byte>(buf[n - 1 - i]));
  for (std::size_t i = n; i < width; ++i) out.push_back(std::byte{' '});
}
constexpr void header(std::vector<std::byte>& out, std::string_view name, std::uint64_t size) {
  append_padded(out, name, 16);
  append_padded(out, "0", 12);
  append_padded(out, "0", 6);
  append_padded(out, "0", 6);
  append_padded(out, "644", 8);
  append_number(out, size, 10);
  append(out, "`\n");
}
constexpr void u32(std::vector<std::byte>& out, std::uint32_t v, bool big) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(v >> (big ? 24 - 8 * i : 8 * i)));
}
constexpr std::size_t padded4(std::size_t n) { return (n + 3) / 4 * 4; }

// Bytes a member occupies (header + name + data + pad) in the given style.
constexpr std::size_t member_bytes(ar_style s, ar_member_spec const& m) {
  std::size_t body = m.data.size() + (s == ar_style::bsd ? padded4(m.name.size()) : 0);
  return 60 + body + (body & 1);
}
} // namespace ar_detail

template <std::size_t N>
constexpr ar_image<N> build_archive(ar_style style, bool with_index, std::initializer_list<ar_member_spec> members) {
  using namespace ar_detail;
  std::vector<std::byte> out;
  append(out, "!<arch>\n");
  bool const gnu = style == ar_style::gnu;

  // The GNU long-name table.
  std::vector<std::byte> longnames;
  std::vector<std::size_t> long_at;
  for (auto const& m : members) {
    long_at.push_back(longnames.size());
    if (gnu && m.name.size() > 15) {
      append(longnames, m.name);
      append(longnames, "/\n");
    }
  }
  std::size_t const longnames_bytes = longnames.empty() ? 0 : 60 + longnames.size() + (longnames.size() & 1);

  // The index: its size does not depend on the offsets it holds.
  std::size_t nsyms = 0, strbytes = 0;
  for (auto const& m : members)
    for (auto s : m.symbols) { ++nsyms; strbytes += s.size() + 1; }
  std::size_t index_body = 0;
  if (with_index) index_body = gnu ? 4 + 4 * nsyms + strbytes : 12 + 4 + 8 * nsyms + 4 + padded4(strbytes);
  std::size_t const index_bytes = with_index ? 60 + index_body + (index_body & 1) : 0;

  std::vector<std::uint32_t> offsets;
  std::size_t at = 8 + index_bytes + longnames_bytes;
  for (auto const& m : members) {
    offsets.push_back(static_cast<std::uint32_t>(at));
    at += member_bytes(style, m);
  }

  if (with_index) {
    std::vector<std::byte> body;
    if (gnu) {
      u32(body, static_cast<std::uint32_t>(nsyms), true);
      std::size_t k = 0;
      for (auto const& m : members) {
        for (std::size_t i = 0; i < m.symbols.size(); ++i) u32(body, offsets[k], true);
        ++k;
      }
      for (auto const& m : members)
        for (auto s : m.symbols) { append(body, s); body.push_back(std::byte{0}); }
      header(out, "/", body.size());
    } else {
      append(body, "__.SYMDEF");
      body.push_back(std::byte{0}); body.push_back(std::byte{0}); body.push_back(std::byte{0});
      u32(body, static_cast<std::uint32_t>(8 * nsyms), false);
      std::size_t k = 0, strx = 0;
      for (auto const& m : members) {
        for (auto s : m.symbols) {
          u32(body, static_cast<std::uint32_t>(strx), false);
          u32(body, offsets[k], false);
          strx += s.size() + 1;
        }
        ++k;
      }
      u32(body, static_cast<std::uint32_t>(padded4(strbytes)), false);
      for (auto const& m : members)
        for (auto s : m.symbols) { append(body, s); body.push_back(std::byte{0}); }
      while (body.size() % 4 != 0) body.push_back(std::byte{0});
      header(out, "#1/12", body.size());
    }
    for (auto b : body) out.push_back(b);
    if (body.size() & 1) out.push_back(std::byte{'\n'});
  }
  if (!longnames.empty()) {
    header(out, "//", longnames.size());
    for (auto b : longnames) out.push_back(b);
    if (longnames.size() & 1) out.push_back(std::byte{'\n'});
  }
  std::size_t k = 0;
  for (auto const& m : members) {
    std::size_t body = m.data.size();
    if (gnu) {
      if (m.name.size() > 15) {
        std::vector<std::byte> n;
        append(n, "/");
        append_number(n, long_at[k], 0);
        std::string_view ref{};
        char buf[16] = {};
        for (std::size_t i = 0; i < n.size(); ++i) buf[i] = static_cast<char>(n[i]);
        ref = std::string_view{buf, n.size()};
        header(out, ref, body);
      } else {
        char buf[16] = {};
        for (std::size_t i = 0; i < m.name.size(); ++i) buf[i] = m.name[i];
        buf[m.name.size()] = '/';
        header(out, std::string_view{buf, m.name.size() + 1}, body);
      }
    } else {
      std::size_t const nl = padded4(m.name.size());
      std::vector<std::byte> n;
      append(n, "#1/");
      append_number(n, nl, 0);
      char buf[16] = {};
      for (std::size_t i = 0; i < n.size(); ++i) buf[i] = static_cast<char>(n[i]);
      body += nl;
      header(out, std::string_view{buf, n.size()}, body);
      append(out, m.name);
      for (std::size_t i = m.name.size(); i < nl; ++i) out.push_back(std::byte{0});
    }
    for (auto b : m.data) out.push_back(b);
    if (body & 1) out.push_back(std::byte{'\n'});
    ++k;
  }

  ar_image<N> img{};
  if (out.size() > N) ar_builder_capacity_too_small();
  for (std::size_t i = 0; i < out.size(); ++i) img.data[i] = out[i];
  img.length = out.size();
  return img;
}

} // namespace extload::inline v0::test
