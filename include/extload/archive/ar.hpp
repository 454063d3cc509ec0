// archive/ar.hpp: static archives (`ar`, the .a files of -dev packages), read byte-wise and
// validated once, and the archive closure: which members a link needs, found as a linker finds
// them. No heap: the caller provides the arrays (a firmware sizes them statically; a host sizes
// them from count_index_entries()/member_count()).
//
// Format (there is no formal standard; the reference is the System V ABI's "Archive File"
// section, GNU binutils bfd/archive.c and the BSD ar(5) page):
//   "!<arch>\n", then members, each a 60-byte ASCII header
//     ar_name[16] ar_date[12] ar_uid[6] ar_gid[6] ar_mode[8] ar_size[10] ar_fmag[2] = "`\n"
//   followed by ar_size bytes of data and one '\n' pad byte when ar_size is odd.
// GNU (System V) variant: names end with '/'; "/" is the symbol index (big-endian u32 count,
//   count u32 member-header offsets, count NUL-terminated names); "/SYM64/" the same with u64;
//   "//" holds long names, each ended by "/\n", referred to as "/<decimal offset>".
// BSD variant: "#1/<len>" means the name is the first <len> bytes of the data (included in
//   ar_size); "__.SYMDEF" / "__.SYMDEF SORTED" is the symbol index (ranlib structs in the
//   target's byte order: u32 bytes-of-array, {u32 name offset, u32 member-header offset}...,
//   u32 bytes-of-strings, strings); "__.SYMDEF_64" (Darwin) the same with u64 fields.
// Without an index (`ar rcS`), build_index() scans the members' ELF symbol tables instead.
// Thin archives ("!<thin>\n", members stored outside) are refused.
//
// Errors are `diagnostic`s: `code` says what, `name` the member, `value` the archive offset of
// the member header (or the offending number), and `type_name` the archive field (ar_size,
// ar_fmag, ...: see field_name()), since extload::field names ELF fields only.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "extload/byte_string.hpp"
#include "extload/bytes.hpp"
#include "extload/elf/constants.hpp"
#include "extload/elf/format.hpp"
#include "extload/elf/object.hpp"
#include "extload/error.hpp"

namespace extload::inline v0::archive {

inline constexpr std::size_t magic_size = 8;
inline constexpr std::size_t header_size = 60;

// Which dialect the archive's special members and names identify (plain archives of short
// names with no index read the same in both: `unknown`).
enum class flavor : std::uint8_t { unknown, gnu, bsd };
enum class index_format : std::uint8_t { none, gnu32, gnu64, bsd32, bsd64 };

// The archive fields an error can name (carried in diagnostic::type_name).
enum class ar_field : std::uint8_t {
  none, magic, ar_name, ar_date, ar_uid, ar_gid, ar_mode, ar_size, ar_fmag, symbol_index, long_names, member,
};
constexpr char const* field_name(ar_field f) noexcept {
  constexpr char const* names[] = {"", "archive magic", "ar_name", "ar_date", "ar_uid", "ar_gid",
                                   "ar_mode", "ar_size", "ar_fmag", "symbol index", "long name table", "member"};
  return names[static_cast<std::size_t>(f)];
}

// One regular member (the symbol index and the long-name table are not members).
struct member {
  std::uint64_t header_offset = 0; // where its 60-byte header starts in the archive
  std::uint64_t data_offset = 0;   // where its file bytes start (after a BSD #1/N name)
  std::uint64_t size = 0;          // bytes of its file (a BSD #1/N name excluded)
  byte_string name{};              // without the GNU '/' terminator or BSD NUL padding
};

// One symbol index entry: a global definition and the member (by header offset) defining it.
struct symbol_entry {
  byte_string name{};
  std::uint64_t header_offset = 0;
  std::uint32_t hash = 0; // name_hash(name)
};

namespace detail {

constexpr diagnostic ar_error(errc c, ar_field f, std::int64_t value = 0) noexcept {
  diagnostic d{c, field::none, value};
  d.type_name = field_name(f);
  return d;
}

constexpr bool is_digit(std::byte b) noexcept { return b >= std::byte{'0'} && b <= std::byte{'9'}; }
constexpr bool is_space(std::byte b) noexcept { return b == std::byte{' '}; }

// A decimal (or octal) ASCII field: digits, then spaces only. `empty_ok`: all spaces is 0
// (date/uid/gid of some writers); the size must have at least one digit.
constexpr bool read_number(std::span<std::byte const> f, unsigned base, bool empty_ok, std::uint64_t& out) noexcept {
  std::uint64_t v = 0;
  std::size_t i = 0;
  for (; i < f.size() && is_digit(f[i]); ++i) {
    auto const d = std::to_integer<unsigned>(f[i]) - '0';
    if (d >= base) return false;
    v = v * base + d; // at most 12 digits: no overflow
  }
  if (i == 0 && !empty_ok) return false;
  for (; i < f.size(); ++i)
    if (!is_space(f[i])) return false;
  out = v;
  return true;
}

// Is `f` exactly `s` followed by spaces?
constexpr bool is_padded(std::span<std::byte const> f, std::string_view s) noexcept {
  if (s.size() > f.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (f[i] != static_cast<std::byte>(s[i])) return false;
  for (std::size_t i = s.size(); i < f.size(); ++i)
    if (!is_space(f[i])) return false;
  return true;
}

enum class kind : std::uint8_t { regular, gnu_index32, gnu_index64, long_names, bsd_index32, bsd_index64 };

// A decoded header: the member plus what kind of member it is.
struct raw_member {
  member m{};
  kind k = kind::regular;
  std::uint64_t next = 0; // offset of the following header (data + pad)
};

} // namespace detail

class view {
public:
  constexpr view() = default;

  // Validate the magic, every member header and size, the long-name references and the whole
  // symbol index (counts, string offsets, termination, member offsets inside the archive).
  static constexpr result<view> parse(std::span<std::byte const> image) noexcept {
    view v;
    v.image_ = image;
    if (image.size() < magic_size) return detail::ar_error(errc::truncated, ar_field::magic, static_cast<std::int64_t>(image.size()));
    if (is_thin(image)) return detail::ar_error(errc::bad_magic, ar_field::magic).with_name("thin archive (!<thin>) not supported");
    if (!is_archive(image)) return detail::ar_error(errc::bad_magic, ar_field::magic);
    std::uint64_t off = magic_size;
    bool seen_regular = false;
    while (off < image.size()) {
      auto r = v.decode(off);
      if (!r) return r.error();
      decoded const& rm = *r;
      switch (rm.k) {
      case detail::kind::regular:
        if (v.first_ == 0) v.first_ = off;
        ++v.members_;
        seen_regular = true;
        break;
      case detail::kind::long_names:
        if (!v.long_names_.empty() || seen_regular)
          return detail::ar_error(errc::bad_header, ar_field::long_names, static_cast<std::int64_t>(off)).with_name("//");
        v.long_names_ = image.subspan(static_cast<std::size_t>(rm.m.data_offset), static_cast<std::size_t>(rm.m.size));
        v.flavor_ = flavor::gnu;
        break;
      default: // a symbol index: only one, before every member (ar and ranlib put it first)
        if (v.index_ != index_format::none || seen_regular)
          return detail::ar_error(errc::bad_header, ar_field::symbol_index, static_cast<std::int64_t>(off)).with_name(rm.m.name);
        v.index_ = rm.k == detail::kind::gnu_index32 ? index_format::gnu32
                 : rm.k == detail::kind::gnu_index64 ? index_format::gnu64
                 : rm.k == detail::kind::bsd_index32 ? index_format::bsd32
                                                     : index_format::bsd64;
        v.index_data_ = image.subspan(static_cast<std::size_t>(rm.m.data_offset), static_cast<std::size_t>(rm.m.size));
        v.flavor_ = (rm.k == detail::kind::gnu_index32 || rm.k == detail::kind::gnu_index64) ? flavor::gnu : flavor::bsd;
        break;
      }
      if (rm.bsd_name) v.flavor_ = flavor::bsd;
      off = rm.next;
    }
    if (auto d = v.validate_index()) return d;
    return v;
  }

  static constexpr bool is_archive(std::span<std::byte const> image) noexcept { return starts(image, "!<arch>\n"); }
  static constexpr bool is_thin(std::span<std::byte const> image) noexcept { return starts(image, "!<thin>\n"); }

  constexpr std::span<std::byte const> image() const noexcept { return image_; }
  constexpr archive::flavor archive_flavor() const noexcept { return flavor_; }
  constexpr index_format index() const noexcept { return index_; }
  constexpr bool has_index() const noexcept { return index_ != index_format::none; }
  constexpr std::uint64_t index_count() const noexcept { return index_count_; }
  constexpr std::uint32_t member_count() const noexcept { return members_; }

  // The member whose header starts at `header_offset` (a symbol index entry's offset).
  constexpr result<member> member_at(std::uint64_t header_offset) const noexcept {
    if (header_offset < magic_size || header_offset >= image_.size())
      return detail::ar_error(errc::bad_header, ar_field::symbol_index, static_cast<std::int64_t>(header_offset))
          .with_range(magic_size, static_cast<std::int64_t>(image_.size()) - 1);
    auto r = decode(header_offset);
    if (!r) return r.error();
    if (r->k != detail::kind::regular)
      return detail::ar_error(errc::bad_header, ar_field::symbol_index, static_cast<std::int64_t>(header_offset)).with_name(r->m.name);
    return r->m;
  }

  constexpr std::span<std::byte const> data(member const& m) const noexcept {
    return image_.subspan(static_cast<std::size_t>(m.data_offset), static_cast<std::size_t>(m.size));
  }

  // f(member const&) -> bool (false stops). Every header was validated by parse().
  template <class F>
  constexpr void for_each_member(F&& f) const {
    std::uint64_t off = magic_size;
    while (off < image_.size()) {
      auto const r = *decode(off);
      if (r.k == detail::kind::regular && !f(r.m)) return;
      off = r.next;
    }
  }

  // f(byte_string name, std::uint64_t header_offset) -> bool (false stops), in index order.
  template <class F>
  constexpr void for_each_index_symbol(F&& f) const {
    switch (index_) {
    case index_format::none: return;
    case index_format::gnu32:
    case index_format::gnu64: {
      std::uint64_t const w = index_ == index_format::gnu32 ? 4 : 8;
      std::uint64_t str = w + index_count_ * w;
      for (std::uint64_t i = 0; i < index_count_; ++i) {
        std::uint64_t const at = w + i * w;
        std::uint64_t const off = w == 4 ? load_at<std::uint32_t, std::endian::big>(index_data_.data() + at)
                                         : load_at<std::uint64_t, std::endian::big>(index_data_.data() + at);
        byte_string const name = string_at(str);
        str += name.size + 1;
        if (!f(name, off)) return;
      }
      return;
    }
    case index_format::bsd32:
    case index_format::bsd64: {
      std::uint64_t const w = index_ == index_format::bsd32 ? 4 : 8;
      std::uint64_t const strings = w + index_count_ * 2 * w + w;
      for (std::uint64_t i = 0; i < index_count_; ++i) {
        std::uint64_t const at = w + i * 2 * w;
        if (!f(string_at(strings + word(at, w)), word(at + w, w))) return;
      }
      return;
    }
    }
  }

private:
  static constexpr bool starts(std::span<std::byte const> image, std::string_view m) noexcept {
    if (image.size() < m.size()) return false;
    for (std::size_t i = 0; i < m.size(); ++i)
      if (image[i] != static_cast<std::byte>(m[i])) return false;
    return true;
  }

  struct decoded : detail::raw_member {
    bool bsd_name = false;
  };

  // Decode and validate the header at `off` (name, numeric fields, magic, data bounds).
  constexpr result<decoded> decode(std::uint64_t off) const noexcept {
    auto const at = static_cast<std::int64_t>(off);
    if (!in_bounds(image_.size(), off, header_size)) return detail::ar_error(errc::truncated, ar_field::member, at);
    auto const h = image_.subspan(static_cast<std::size_t>(off), header_size);
    auto const name16 = h.subspan(0, 16);
    if (h[58] != std::byte{'`'} || h[59] != std::byte{'\n'}) return detail::ar_error(errc::bad_header, ar_field::ar_fmag, at);
    std::uint64_t size = 0, ignored = 0;
    if (!detail::read_number(h.subspan(48, 10), 10, false, size)) return detail::ar_error(errc::bad_header, ar_field::ar_size, at);
    if (!detail::read_number(h.subspan(16, 12), 10, true, ignored)) return detail::ar_error(errc::bad_header, ar_field::ar_date, at);
    if (!detail::read_number(h.subspan(28, 6), 10, true, ignored)) return detail::ar_error(errc::bad_header, ar_field::ar_uid, at);
    if (!detail::read_number(h.subspan(34, 6), 10, true, ignored)) return detail::ar_error(errc::bad_header, ar_field::ar_gid, at);
    if (!detail::read_number(h.subspan(40, 8), 8, true, ignored)) return detail::ar_error(errc::bad_header, ar_field::ar_mode, at);
    std::uint64_t const data = off + header_size;
    if (!in_bounds(image_.size(), data, size))
      return detail::ar_error(errc::truncated, ar_field::ar_size, static_cast<std::int64_t>(size))
          .with_range(0, static_cast<std::int64_t>(image_.size() - data));

    decoded r{};
    r.m.header_offset = off;
    r.m.data_offset = data;
    r.m.size = size;
    // The pad byte after an odd-sized member may be missing at the very end of the file.
    r.next = data + size + (size & 1);
    if (r.next > image_.size()) r.next = image_.size();

    auto bytes_of = [&](std::uint64_t o, std::size_t n) { return byte_string{image_.data() + o, n}; };
    if (name16[0] == std::byte{'/'}) {
      if (detail::is_padded(name16, "/")) { r.k = detail::kind::gnu_index32; r.m.name = bytes_of(off, 1); return r; }
      if (detail::is_padded(name16, "/SYM64/")) { r.k = detail::kind::gnu_index64; r.m.name = bytes_of(off, 7); return r; }
      if (detail::is_padded(name16, "//")) { r.k = detail::kind::long_names; r.m.name = bytes_of(off, 2); return r; }
      std::uint64_t ref = 0;
      if (!detail::read_number(name16.subspan(1), 10, false, ref)) return detail::ar_error(errc::bad_header, ar_field::ar_name, at);
      auto n = long_name(ref);
      if (!n) return n.error();
      r.m.name = *n;
      return r;
    }
    if (name16[0] == std::byte{'#'} && name16[1] == std::byte{'1'} && name16[2] == std::byte{'/'}) {
      std::uint64_t len = 0;
      if (!detail::read_number(name16.subspan(3), 10, false, len) || len > size)
        return detail::ar_error(errc::bad_header, ar_field::ar_name, at).with_range(0, static_cast<std::int64_t>(size));
      std::size_t n = static_cast<std::size_t>(len);
      while (n > 0 && image_[static_cast<std::size_t>(data) + n - 1] == std::byte{0}) --n; // NUL padding
      if (n == 0) return detail::ar_error(errc::bad_header, ar_field::ar_name, at);
      r.m.name = bytes_of(data, n);
      r.m.data_offset = data + len;
      r.m.size = size - len;
      r.bsd_name = true;
    } else {
      std::size_t n = 16;
      while (n > 0 && detail::is_space(name16[n - 1])) --n;
      if (n > 0 && name16[n - 1] == std::byte{'/'}) --n; // GNU terminator
      if (n == 0) return detail::ar_error(errc::bad_header, ar_field::ar_name, at);
      r.m.name = bytes_of(off, n);
    }
    if (r.m.name == "__.SYMDEF" || r.m.name == "__.SYMDEF SORTED") r.k = detail::kind::bsd_index32;
    else if (r.m.name == "__.SYMDEF_64" || r.m.name == "__.SYMDEF_64 SORTED") r.k = detail::kind::bsd_index64;
    return r;
  }

  // A GNU long name: at `ref` in the "//" member, ended by "/\n" (or "\n", System V).
  constexpr result<byte_string> long_name(std::uint64_t ref) const noexcept {
    if (long_names_.empty()) return detail::ar_error(errc::bad_header, ar_field::long_names).with_name("no // member before /N");
    if (ref >= long_names_.size())
      return detail::ar_error(errc::bad_string, ar_field::long_names, static_cast<std::int64_t>(ref))
          .with_range(0, static_cast<std::int64_t>(long_names_.size()) - 1);
    std::size_t i = static_cast<std::size_t>(ref);
    while (i < long_names_.size() && long_names_[i] != std::byte{'\n'}) ++i;
    if (i == long_names_.size()) return detail::ar_error(errc::bad_string, ar_field::long_names, static_cast<std::int64_t>(ref));
    std::size_t end = i;
    if (end > ref && long_names_[end - 1] == std::byte{'/'}) --end;
    if (end == ref) return detail::ar_error(errc::bad_string, ar_field::long_names, static_cast<std::int64_t>(ref));
    return byte_string{long_names_.data() + ref, end - static_cast<std::size_t>(ref)};
  }

  constexpr std::uint64_t word(std::uint64_t at, std::uint64_t w) const noexcept {
    if (bsd_order_ == std::endian::little)
      return w == 4 ? load_at<std::uint32_t, std::endian::little>(index_data_.data() + at)
                    : load_at<std::uint64_t, std::endian::little>(index_data_.data() + at);
    return w == 4 ? load_at<std::uint32_t, std::endian::big>(index_data_.data() + at)
                  : load_at<std::uint64_t, std::endian::big>(index_data_.data() + at);
  }
  // A NUL-terminated string of the index (validated by validate_index).
  constexpr byte_string string_at(std::uint64_t at) const noexcept {
    auto const* p = index_data_.data() + at;
    std::size_t n = 0;
    while (p[n] != std::byte{0}) ++n;
    return {p, n};
  }
  // Is there a NUL in [at, end)? (the string at `at` is terminated inside the table)
  constexpr bool terminated(std::uint64_t at, std::uint64_t end) const noexcept {
    for (std::uint64_t i = at; i < end; ++i)
      if (index_data_[static_cast<std::size_t>(i)] == std::byte{0}) return true;
    return false;
  }

  constexpr diagnostic index_error(errc c, std::int64_t value) const noexcept {
    return detail::ar_error(c, ar_field::symbol_index, value);
  }

  constexpr diagnostic validate_index() noexcept {
    std::uint64_t const n = index_data_.size();
    switch (index_) {
    case index_format::none: return {};
    case index_format::gnu32:
    case index_format::gnu64: {
      std::uint64_t const w = index_ == index_format::gnu32 ? 4 : 8;
      if (n < w) return index_error(errc::truncated, static_cast<std::int64_t>(n));
      std::uint64_t const count = w == 4 ? load_at<std::uint32_t, std::endian::big>(index_data_.data())
                                         : load_at<std::uint64_t, std::endian::big>(index_data_.data());
      if (count > (n - w) / w) return index_error(errc::truncated, static_cast<std::int64_t>(count)).with_range(0, static_cast<std::int64_t>((n - w) / w));
      index_count_ = count;
      std::uint64_t str = w + count * w;
      for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t const at = w + i * w;
        std::uint64_t const off = w == 4 ? load_at<std::uint32_t, std::endian::big>(index_data_.data() + at)
                                         : load_at<std::uint64_t, std::endian::big>(index_data_.data() + at);
        if (off < magic_size || off >= image_.size())
          return index_error(errc::bad_header, static_cast<std::int64_t>(off)).with_range(magic_size, static_cast<std::int64_t>(image_.size()) - 1);
        if (str >= n || !terminated(str, n)) return index_error(errc::bad_string, static_cast<std::int64_t>(i));
        str += string_at(str).size + 1;
      }
      return {};
    }
    case index_format::bsd32:
    case index_format::bsd64: {
      // The ranlib structs are in the target's byte order, which the archive does not record:
      // take the order under which the sizes are consistent (little-endian first).
      std::uint64_t const w = index_ == index_format::bsd32 ? 4 : 8;
      bsd_order_ = std::endian::little;
      if (!bsd_sizes_fit(w)) {
        bsd_order_ = std::endian::big;
        if (!bsd_sizes_fit(w)) return index_error(errc::bad_header, static_cast<std::int64_t>(n));
      }
      std::uint64_t const bytes = word(0, w);
      std::uint64_t const strsize = word(w + bytes, w);
      std::uint64_t const strings = w + bytes + w;
      index_count_ = bytes / (2 * w);
      for (std::uint64_t i = 0; i < index_count_; ++i) {
        std::uint64_t const at = w + i * 2 * w;
        std::uint64_t const strx = word(at, w), off = word(at + w, w);
        if (strx >= strsize || !terminated(strings + strx, strings + strsize))
          return index_error(errc::bad_string, static_cast<std::int64_t>(strx)).with_range(0, static_cast<std::int64_t>(strsize) - 1);
        if (off < magic_size || off >= image_.size())
          return index_error(errc::bad_header, static_cast<std::int64_t>(off)).with_range(magic_size, static_cast<std::int64_t>(image_.size()) - 1);
      }
      return {};
    }
    }
    return {};
  }
  constexpr bool bsd_sizes_fit(std::uint64_t w) const noexcept {
    std::uint64_t const n = index_data_.size();
    if (n < 2 * w) return false;
    std::uint64_t const bytes = word(0, w);
    if (bytes % (2 * w) != 0 || bytes > n - 2 * w) return false;
    std::uint64_t const strsize = word(w + bytes, w);
    return strsize <= n - 2 * w - bytes;
  }

  std::span<std::byte const> image_{};
  std::span<std::byte const> long_names_{};
  std::span<std::byte const> index_data_{};
  std::uint64_t first_ = 0;
  std::uint64_t index_count_ = 0;
  std::uint32_t members_ = 0;
  index_format index_ = index_format::none;
  archive::flavor flavor_ = flavor::unknown;
  std::endian bsd_order_ = std::endian::little;
};

// ---------------------------------------------------------------------------------------------
// Symbol index: the archive's own, or one built from the members' ELF symbol tables.

namespace detail {
// Global definitions of an object (what ar puts in an index): GLOBAL/WEAK/GNU_UNIQUE symbols
// that are defined (in a section, ABS or COMMON).
constexpr bool is_index_definition(symbol const& s) noexcept {
  auto const b = s.bind();
  return !s.is_undefined() && (b == elf::STB_GLOBAL || b == elf::STB_WEAK || b == elf::STB_GNU_UNIQUE);
}

// Does the member start with the ELF magic? (others, e.g. a text file, are not indexed by ar)
constexpr bool is_elf(std::span<std::byte const> d) noexcept {
  return d.size() >= 4 && d[0] == std::byte{0x7f} && d[1] == std::byte{'E'} && d[2] == std::byte{'L'} && d[3] == std::byte{'F'};
}

// A member's ELF parse error, named after the member.
constexpr diagnostic in_member(diagnostic d, member const& m) noexcept {
  if (d.name_view().empty()) d.with_name(m.name);
  if (d.type_name == nullptr) d.type_name = field_name(ar_field::member);
  return d;
}
} // namespace detail

// How many entries build_index() writes: the archive's index count, or else the number of
// global definitions in its ELF members (members without the ELF magic, e.g. a text file, are
// skipped as ar itself skips them; an ELF member that does not parse is an error).
template <elf_format_policy Format>
constexpr result<std::uint64_t> count_index_entries(view const& ar, std::uint16_t machine = elf::EM_NONE,
                                                    limits const& lim = {}) noexcept {
  if (ar.has_index()) return ar.index_count();
  std::uint64_t n = 0;
  diagnostic err{};
  ar.for_each_member([&](member const& m) {
    if (!detail::is_elf(ar.data(m))) return true;
    auto v = object_view<Format>::parse(ar.data(m), machine, lim);
    if (!v) {
      err = detail::in_member(v.error(), m);
      return false;
    }
    for (std::uint32_t i = v->first_global(); i < v->symbol_count(); ++i) {
      auto s = v->symbol_at(i);
      if (!s) { err = detail::in_member(s.error(), m); return false; }
      if (detail::is_index_definition(*s)) ++n;
    }
    return true;
  });
  if (err) return err;
  return n;
}

// Fill `out` with the index (sorted by name hash; equal names keep archive order, so a lookup
// finds the first member defining a name, as ld does). Returns the number of entries.
template <elf_format_policy Format>
constexpr result<std::size_t> build_index(view const& ar, std::span<symbol_entry> out,
                                          std::uint16_t machine = elf::EM_NONE, limits const& lim = {}) noexcept {
  std::size_t n = 0;
  diagnostic err{};
  auto add = [&](byte_string name, std::uint64_t off) {
    if (n == out.size()) {
      err = detail::ar_error(errc::limit_exceeded, ar_field::symbol_index, static_cast<std::int64_t>(n) + 1)
                .with_range(0, static_cast<std::int64_t>(out.size()));
      return false;
    }
    out[n++] = {name, off, name_hash(name)};
    return true;
  };
  if (ar.has_index()) {
    ar.for_each_index_symbol(add);
  } else {
    ar.for_each_member([&](member const& m) {
      if (!detail::is_elf(ar.data(m))) return true;
      auto v = object_view<Format>::parse(ar.data(m), machine, lim);
      if (!v) {
        err = detail::in_member(v.error(), m);
        return false;
      }
      for (std::uint32_t i = v->first_global(); i < v->symbol_count(); ++i) {
        auto s = v->symbol_at(i);
        if (!s) { err = detail::in_member(s.error(), m); return false; }
        if (!detail::is_index_definition(*s)) continue;
        if (!add(v->symbol_name_unchecked(*s), m.header_offset)) return false;
      }
      return true;
    });
  }
  if (err) return err;
  std::sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), [](symbol_entry const& a, symbol_entry const& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.header_offset < b.header_offset;
  });
  return n;
}

// The entry for `name` in an index sorted by build_index(), or nullptr.
template <class Name>
constexpr symbol_entry const* find_symbol(std::span<symbol_entry const> index, Name const& name) noexcept {
  std::uint32_t const h = name_hash(name);
  auto it = std::lower_bound(index.begin(), index.end(), h, [](symbol_entry const& e, std::uint32_t k) { return e.hash < k; });
  for (; it != index.end() && it->hash == h; ++it)
    if (it->name == name) return &*it;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Archive closure.

struct archive_input {
  view ar{};
  std::span<symbol_entry const> index{}; // from build_index()
};

struct chosen_member {
  std::uint32_t archive = 0; // index into the archive_input span
  member m{};
};

namespace detail {
template <elf_format_policy Format>
constexpr bool defines(object_view<Format> const& v, auto const& name) noexcept {
  for (std::uint32_t i = v.first_global(); i < v.symbol_count(); ++i) {
    auto s = v.symbol_at(i); // checked: this object may not have entered the closure's queue yet
    if (!s || s->is_undefined() || s->bind() == elf::STB_LOCAL) continue;
    if (auto n = v.symbol_name(*s); n && *n == name) return true;
  }
  return false;
}
} // namespace detail

// Which archive members a link of `objects` needs, as a linker decides it: every non-weak
// undefined global of the objects (and every name in `roots`, e.g. "main" when an archive holds
// the program) that no object defines pulls the member the index names; the pulled members'
// own undefined symbols are then treated the same way, until nothing new is needed. Archives
// act as one group (ld's --start-group): a member may satisfy a reference from a member of an
// earlier archive. Weak undefined symbols pull nothing (ld semantics). Members are written to
// `out` in the order they were pulled; returns their count. Symbols resolve between the chosen
// members and the objects when all are handed to loader::load() together.
template <elf_format_policy Format>
constexpr result<std::size_t> select_members(std::span<std::span<std::byte const> const> objects,
                                             std::span<archive_input const> archives,
                                             std::span<std::string_view const> roots,
                                             std::span<chosen_member> out,
                                             std::uint16_t machine = elf::EM_NONE, limits const& lim = {}) noexcept {
  using obj = object_view<Format>;
  std::size_t n = 0;

  auto bytes_of = [&](std::size_t q) -> std::span<std::byte const> {
    return q < objects.size() ? objects[q] : archives[out[q - objects.size()].archive].ar.data(out[q - objects.size()].m);
  };
  // Parses and checks every symbol of object q (the first time it is met) or re-parses it.
  auto parse = [&](std::size_t q) -> result<obj> {
    auto v = obj::parse(bytes_of(q), machine, lim);
    if (!v) {
      diagnostic d = v.error();
      if (q < objects.size()) d.object = static_cast<std::uint32_t>(q);
      else d = detail::in_member(d, out[q - objects.size()].m);
      return d;
    }
    return v;
  };
  auto defined = [&](auto const& name) -> bool {
    for (std::size_t q = 0; q < objects.size() + n; ++q)
      if (auto v = obj::parse(bytes_of(q), machine, lim); v && detail::defines(*v, name)) return true;
    return false;
  };
  auto chosen = [&](std::uint32_t a, std::uint64_t off) {
    for (std::size_t i = 0; i < n; ++i)
      if (out[i].archive == a && out[i].m.header_offset == off) return true;
    return false;
  };
  // Pull the member defining `name`, if an archive has one and nothing defines it yet.
  auto want = [&](auto const& name) -> diagnostic {
    for (std::uint32_t a = 0; a < archives.size(); ++a) {
      symbol_entry const* e = find_symbol(archives[a].index, name);
      if (e == nullptr) continue;
      if (chosen(a, e->header_offset) || defined(name)) return {};
      auto m = archives[a].ar.member_at(e->header_offset);
      if (!m) return m.error();
      if (n == out.size())
        return detail::ar_error(errc::limit_exceeded, ar_field::member, static_cast<std::int64_t>(n) + 1)
            .with_range(0, static_cast<std::int64_t>(out.size())).with_name(m->name);
      out[n++] = {a, *m};
      return {};
    }
    return {};
  };

  for (std::string_view r : roots)
    if (auto d = want(r)) return d;
  for (std::size_t q = 0; q < objects.size() + n; ++q) { // `n` grows while the queue is walked
    auto v = parse(q);
    if (!v) return v.error();
    for (std::uint32_t i = v->first_global(); i < v->symbol_count(); ++i) {
      auto s = v->symbol_at(i);
      if (!s) {
        diagnostic d = s.error();
        return q < objects.size() ? diagnostic{d}.at_symbol(i) : detail::in_member(d, out[q - objects.size()].m);
      }
      if (!s->is_undefined() || s->bind() == elf::STB_WEAK) continue;
      if (auto d = want(v->symbol_name_unchecked(*s))) return d;
    }
  }
  return n;
}

} // namespace extload::inline v0::archive
