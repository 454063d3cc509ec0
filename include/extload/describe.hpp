// describe.hpp: one-line, lld-style text for a diagnostic, written into a caller's buffer
// (no heap, no printf: usable in firmware and in constant evaluation). Example:
//   object 0: section 2: relocation 4 (R_X86_64_PC32) against 'fw_counter': relocation out of
//   range: 0x7f12345678 is not in [-2147483648, 2147483647]
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "extload/error.hpp"

namespace extload::inline v0 {

namespace detail {
class text_sink {
public:
  // `out` is non-empty (describe() checks); one byte stays free for the terminating NUL.
  constexpr explicit text_sink(std::span<char> out) noexcept : p_(out.data()), room_(out.size() - 1) {}
  constexpr text_sink& put(std::string_view s) noexcept {
    for (char c : s) {
      if (n_ < room_) p_[n_] = c;
      ++n_;
    }
    return *this;
  }
  constexpr text_sink& dec(std::int64_t v) noexcept {
    if (v < 0) {
      put("-");
      return udec(static_cast<std::uint64_t>(-(v + 1)) + 1);
    }
    return udec(static_cast<std::uint64_t>(v));
  }
  constexpr text_sink& udec(std::uint64_t v) noexcept {
    char buf[20];
    std::size_t i = 0;
    do { buf[i++] = static_cast<char>('0' + v % 10); v /= 10; } while (v != 0);
    while (i > 0) put(std::string_view{&buf[--i], 1});
    return *this;
  }
  constexpr text_sink& hex(std::uint64_t v) noexcept {
    constexpr char digits[] = "0123456789abcdef";
    char buf[16];
    std::size_t i = 0;
    do { buf[i++] = digits[v & 15]; v >>= 4; } while (v != 0);
    put("0x");
    while (i > 0) put(std::string_view{&buf[--i], 1});
    return *this;
  }
  constexpr std::size_t finish() noexcept {
    p_[n_ < room_ ? n_ : room_] = '\0';
    return n_;
  }

private:
  char* p_;
  std::size_t room_;
  std::size_t n_ = 0;
};
} // namespace detail

// Writes a NUL-terminated description (truncated to fit); returns the full length.
constexpr std::size_t describe(diagnostic const& d, std::span<char> out) noexcept {
  if (out.empty()) return 0;
  detail::text_sink t{out};
  bool const reloc = d.relocation != no_index;
  if (d.object != no_index) t.put("object ").udec(d.object).put(": ");
  if (d.section != no_index) t.put("section ").udec(d.section).put(": ");
  if (reloc) {
    t.put("relocation ").udec(d.relocation).put(" (");
    if (d.type_name != nullptr) t.put(d.type_name);
    else t.put("type ").udec(d.type);
    t.put(")");
    if (!d.name_view().empty()) t.put(" against '").put(d.name_view()).put("'");
    t.put(": ");
  } else if (d.symbol != no_index) {
    t.put("symbol ").udec(d.symbol);
    if (!d.name_view().empty()) t.put(" '").put(d.name_view()).put("'");
    t.put(": ");
  } else if (!d.name_view().empty()) {
    t.put("'").put(d.name_view()).put("': ");
  }
  t.put(to_string(d.code));
  if (d.what != field::none) t.put(" (").put(to_string(d.what)).put(")");
  if (d.code == errc::relocation_overflow || d.code == errc::misaligned_relocation) {
    t.put(": ").hex(static_cast<std::uint64_t>(d.value));
    if (d.has_range) t.put(" is not in [").dec(d.min).put(", ").dec(d.max).put("]");
  } else if (d.has_range) {
    t.put(": ").dec(d.value).put(" is not in [").dec(d.min).put(", ").dec(d.max).put("]");
  } else if (d.value != 0) {
    t.put(": value ").dec(d.value);
  }
  return t.finish();
}

} // namespace extload::inline v0
