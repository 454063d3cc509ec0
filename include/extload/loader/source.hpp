// loader/source.hpp: loading from a source that is not addressable — a file, SPI or NAND flash,
// a buffer that arrives piecewise. A byte_source answers `read(offset, out)`; read_object()
// turns it into a compact in-memory image of what the linker reads itself, and
// loader<>::load_from() links it, reading the loaded contents straight into the extension.
//
// Reads happen in blocks, never per symbol or per relocation (LLEXT's llext_read/llext_seek
// loaders do the same, one section at a time):
//   1. the ELF header (one read), then the section header table (one read; section 0 first when
//      extended numbering puts the count there);
//   2. into the compact image, one read per section the linker reads: the symbol table, its
//      string table and SHT_SYMTAB_SHNDX, the section name table, SHT_GROUP, and the
//      SHT_REL/SHT_RELA sections whose target is loaded;
//   3. while the linker places the sections, one read per loaded (SHF_ALLOC) section, straight
//      into its place in the extension's memory (object_view::content_in_source): code and data
//      are never held twice.
// Everything else (debug info and its relocations, comments, notes, build attributes) is never
// read. The compact image keeps every section header and index, so symbols, links and
// diagnostics are the file's; loaded sections keep their file offsets (parse() is told their
// contents are elsewhere). Unused sections become SHT_NOBITS (their size kept, for the symbol
// checks) or, for relocation sections, empty (their links kept, for the header checks). What
// parse() checks against file offsets (sections inside the file, no two sections or a section
// and the headers sharing bytes: MALFORMED.md) is checked here on the file's own offsets, with
// the same diagnostics; everything else is left to parse() on the compact image.
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

#include "extload/bytes.hpp"
#include "extload/elf/constants.hpp"
#include "extload/elf/format.hpp"
#include "extload/elf/object.hpp"
#include "extload/error.hpp"
#include "extload/loader/link.hpp"
#include "extload/policy/concepts.hpp"

namespace extload::inline v0 {

// Where an object's bytes come from. read() delivers exactly out.size() bytes from `offset`, or
// returns false (I/O error, short read); the caller has checked that the range lies inside size().
template <class S>
concept byte_source = requires(S& s, std::uint64_t offset, std::span<std::byte> out) {
  { s.size() } noexcept -> std::convertible_to<std::uint64_t>;
  { s.read(offset, out) } noexcept -> std::same_as<bool>;
};

// A byte_source over memory (tests, and images behind a copy-only interface). Counts reads.
class memory_source {
public:
  constexpr explicit memory_source(std::span<std::byte const> bytes) noexcept : bytes_(bytes) {}
  constexpr std::uint64_t size() const noexcept { return bytes_.size(); }
  constexpr bool read(std::uint64_t offset, std::span<std::byte> out) noexcept {
    if (offset > bytes_.size() || bytes_.size() - offset < out.size()) return false;
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(offset), out.size(), out.begin());
    ++reads_;
    bytes_read_ += out.size();
    return true;
  }
  constexpr std::uint32_t reads() const noexcept { return reads_; }
  constexpr std::uint64_t bytes_read() const noexcept { return bytes_read_; }

private:
  std::span<std::byte const> bytes_;
  std::uint32_t reads_ = 0;
  std::uint64_t bytes_read_ = 0;
};
static_assert(byte_source<memory_source>);

// Owns the compact image read_object() returned (metadata memory of the allocator).
template <allocator Alloc>
class object_copy {
public:
  object_copy(Alloc& a, std::span<std::byte> block) noexcept : alloc_(&a), block_(block) {}
  object_copy(object_copy const&) = delete;
  object_copy& operator=(object_copy const&) = delete;
  ~object_copy() { free(); }
  std::span<std::byte const> bytes() const noexcept { return block_; }
  void free() noexcept {
    if (!block_.empty()) alloc_->free_metadata(block_.data(), block_.size());
    block_ = {};
  }

private:
  Alloc* alloc_;
  std::span<std::byte> block_;
};

namespace detail {

// Where read_object() reads and rewrites header fields (gABI "ELF Header", "Sections"); section
// headers are read with object_view::decode_section.
template <bool Is64>
struct elf_layout {
  static constexpr std::size_t e_shoff = Is64 ? 40 : 32;
  static constexpr std::size_t e_shentsize = Is64 ? 58 : 46;
  static constexpr std::size_t e_shnum = Is64 ? 60 : 48;
  static constexpr std::size_t e_shstrndx = Is64 ? 62 : 50;
  static constexpr std::size_t sh_type = 4;
  static constexpr std::size_t sh_offset = Is64 ? 24 : 16;
  static constexpr std::size_t sh_size = Is64 ? 32 : 20;
};

} // namespace detail

// Read the object behind `src` into a compact image (see the file comment), allocated with
// alloc.allocate_metadata: give it back with alloc.free_metadata(data, size), or hold it in an
// object_copy. Errors name the field and section as parse() would; a failed read is
// errc::read_failed with the offset. Nothing stays allocated on failure.
template <elf_format_policy Format, allocator Alloc, byte_source Source>
result<std::span<std::byte>> read_object(Source& src, Alloc& alloc, limits const& lim = {}) noexcept {
  using C = typename Format::elf_class_type;
  using L = detail::elf_layout<Format::is_64>;
  constexpr std::endian O = Format::byte_order;
  auto const word = [](std::byte const* p) -> std::uint64_t {
    if constexpr (Format::is_64) return load_at<std::uint64_t, O>(p);
    else return load_at<std::uint32_t, O>(p);
  };
  auto const put_word = [](std::byte* p, std::uint64_t v) {
    if constexpr (Format::is_64) store_at<std::uint64_t, O>(p, v);
    else store_at<std::uint32_t, O>(p, static_cast<std::uint32_t>(v));
  };
  auto const read = [&](std::uint64_t off, std::byte* out, std::uint64_t n) -> diagnostic {
    if (n == 0 || src.read(off, std::span<std::byte>(out, static_cast<std::size_t>(n)))) return {};
    return diagnostic{errc::read_failed, field::none, static_cast<std::int64_t>(off)};
  };

  // 1. The ELF header: identification and the fields that locate the section header table.
  std::uint64_t const size = src.size();
  if (size > lim.max_image_bytes)
    return diagnostic{errc::limit_exceeded, field::none, static_cast<std::int64_t>(size)}.with_range(0, static_cast<std::int64_t>(lim.max_image_bytes));
  if (size < elf::EI_NIDENT) return diagnostic{errc::truncated, field::e_ident, static_cast<std::int64_t>(size)};
  std::array<std::byte, C::ehdr_size> eh{};
  if (auto d = read(0, eh.data(), std::min<std::uint64_t>(size, C::ehdr_size))) return d;
  auto const u8 = [&](std::size_t i) { return std::to_integer<std::uint8_t>(eh[i]); };
  if (u8(0) != 0x7f || u8(1) != 'E' || u8(2) != 'L' || u8(3) != 'F') return diagnostic{errc::bad_magic, field::e_ident};
  if (u8(elf::EI_CLASS) != C::ei_class) return diagnostic{errc::bad_class, field::e_ident, u8(elf::EI_CLASS)};
  if (u8(elf::EI_DATA) != Format::ei_data) return diagnostic{errc::bad_byte_order, field::e_ident, u8(elf::EI_DATA)};
  if (size < C::ehdr_size) return diagnostic{errc::truncated, field::e_ehsize, static_cast<std::int64_t>(size)};
  std::uint64_t const shoff = word(eh.data() + L::e_shoff);
  std::uint16_t const shentsize = load_at<std::uint16_t, O>(eh.data() + L::e_shentsize);
  std::uint32_t shnum = load_at<std::uint16_t, O>(eh.data() + L::e_shnum);
  std::uint32_t shstrndx = load_at<std::uint16_t, O>(eh.data() + L::e_shstrndx);
  if (shoff < C::ehdr_size) return diagnostic{errc::bad_header, field::e_shoff, static_cast<std::int64_t>(shoff)};
  if (shentsize != C::shdr_size) return diagnostic{errc::bad_header, field::e_shentsize, shentsize}.with_range(C::shdr_size, C::shdr_size);
  if (!in_bounds(size, shoff, C::shdr_size)) return diagnostic{errc::truncated, field::e_shoff, static_cast<std::int64_t>(shoff)};
  if (shnum == 0 || shstrndx == elf::SHN_XINDEX) {
    // Extended numbering (gABI): the count in section 0's sh_size, the name table in its sh_link.
    std::array<std::byte, C::shdr_size> s0{};
    if (auto d = read(shoff, s0.data(), C::shdr_size)) return d;
    section_header const zero = object_view<Format>::decode_section(s0.data());
    if (shnum == 0) {
      if (zero.size == 0 || zero.size > 0xffffffffu) return diagnostic{errc::bad_header, field::e_shnum, static_cast<std::int64_t>(zero.size)};
      shnum = static_cast<std::uint32_t>(zero.size);
    }
    if (shstrndx == elf::SHN_XINDEX) shstrndx = zero.link;
  }
  if (shnum > lim.max_sections) return diagnostic{errc::limit_exceeded, field::e_shnum, shnum}.with_range(0, lim.max_sections);
  if ((size - shoff) / C::shdr_size < shnum)
    return diagnostic{errc::truncated, field::e_shnum, shnum}.with_range(0, static_cast<std::int64_t>((size - shoff) / C::shdr_size));
  if (shstrndx == elf::SHN_UNDEF || shstrndx >= shnum)
    return diagnostic{errc::bad_header, field::e_shstrndx, shstrndx}.with_range(1, shnum - 1);

  // 2. The section header table, and which sections the loader will read.
  std::uint64_t const table_bytes = std::uint64_t{shnum} * C::shdr_size;
  detail::block_guard<Alloc> table{alloc};
  std::byte* const t = table.allocate(static_cast<std::size_t>(table_bytes) + std::size_t{shnum} * sizeof(std::uint32_t), 8);
  if (t == nullptr) return diagnostic{errc::out_of_memory}.with_value(static_cast<std::int64_t>(table_bytes));
  if (auto d = read(shoff, t, table_bytes)) return d;
  auto const sh = [&](std::uint32_t i) { return object_view<Format>::decode_section(t + std::size_t{i} * C::shdr_size); };
  auto const offset_of = [&](std::uint32_t i) { return sh(i).offset; };
  auto const size_of = [&](std::uint32_t i) { return sh(i).size; };
  std::uint32_t symtab = 0, strtab = 0;
  for (std::uint32_t i = 1; i < shnum; ++i) {
    section_header const h = sh(i);
    if (h.has_file_bytes() && !in_bounds(size, h.offset, h.size))
      return diagnostic{errc::truncated, field::sh_size, static_cast<std::int64_t>(h.size)}.at_section(i);
    if (h.type == elf::SHT_SYMTAB && symtab == 0) {
      symtab = i;
      strtab = h.link;
    }
  }
  // Loaded contents stay in the source (read by the linker into place): parse()'s rule.
  auto const in_source = [&](std::uint32_t i) { return object_view<Format>::content_in_source(sh(i)); };
  // Read into the compact image: what the linker reads itself.
  auto const needed = [&](std::uint32_t i) -> bool {
    section_header const h = sh(i);
    if (!h.has_file_bytes() || object_view<Format>::content_in_source(h)) return false;
    if (h.is_alloc() || i == shstrndx || i == symtab || i == strtab) return true;
    if (h.type == elf::SHT_SYMTAB_SHNDX || h.type == elf::SHT_GROUP) return true;
    if (h.type == elf::SHT_REL || h.type == elf::SHT_RELA) return h.info != 0 && h.info < shnum && sh(h.info).is_alloc();
    return false;
  };

  // Sections may not share file bytes with each other, the ELF header or the table (as parse():
  // the later one in (sh_offset, index) order is named). Sorted once: n log n.
  std::uint32_t* const order = static_cast<std::uint32_t*>(static_cast<void*>(t + table_bytes));
  std::uint32_t ranged = 0;
  for (std::uint32_t i = 1; i < shnum; ++i) {
    if (!sh(i).has_file_bytes() || size_of(i) == 0) continue;
    std::uint64_t const b = offset_of(i), e = b + size_of(i);
    if (b < C::ehdr_size || (b < shoff + table_bytes && shoff < e))
      return diagnostic{errc::bad_section, field::sh_offset, static_cast<std::int64_t>(b)}.at_section(i);
    order[ranged++] = i;
  }
  std::sort(order, order + ranged, [&](std::uint32_t x, std::uint32_t y) {
    return offset_of(x) != offset_of(y) ? offset_of(x) < offset_of(y) : x < y;
  });
  for (std::uint32_t k = 1; k < ranged; ++k)
    if (offset_of(order[k]) < offset_of(order[k - 1]) + size_of(order[k - 1]))
      return diagnostic{errc::bad_section, field::sh_offset, static_cast<std::int64_t>(offset_of(order[k]))}.at_section(order[k]);

  // 3. The compact image: [ELF header][sections read, 8-aligned, in index order][header table].
  std::uint64_t total = C::ehdr_size;
  for (std::uint32_t i = 1; i < shnum; ++i)
    if (needed(i)) total = (total + 7) / 8 * 8 + size_of(i);
  total = (total + 7) / 8 * 8;
  std::uint64_t const new_shoff = total;
  total += table_bytes;
  if (total > lim.max_image_bytes)
    return diagnostic{errc::limit_exceeded, field::none, static_cast<std::int64_t>(total)}.with_range(0, static_cast<std::int64_t>(lim.max_image_bytes));
  detail::block_guard<Alloc> image{alloc};
  std::byte* const out = image.allocate(static_cast<std::size_t>(total), 8);
  if (out == nullptr) return diagnostic{errc::out_of_memory}.with_value(static_cast<std::int64_t>(total));
  std::fill_n(out, static_cast<std::size_t>(total), std::byte{0});
  std::copy(eh.begin(), eh.end(), out);
  put_word(out + L::e_shoff, new_shoff);
  std::byte* const nt = out + new_shoff;
  std::copy_n(t, static_cast<std::size_t>(table_bytes), nt);
  std::uint64_t cursor = C::ehdr_size;
  for (std::uint32_t i = 1; i < shnum; ++i) {
    std::byte* const h = nt + std::size_t{i} * C::shdr_size;
    if (needed(i)) {
      cursor = (cursor + 7) / 8 * 8;
      if (auto d = read(offset_of(i), out + cursor, size_of(i))) return d.at_section(i);
      put_word(h + L::sh_offset, cursor);
      cursor += size_of(i);
    } else if (in_source(i)) {
      // Loaded contents: header as in the file (offset included), bytes read into place later.
    } else if (sh(i).type == elf::SHT_REL || sh(i).type == elf::SHT_RELA) {
      put_word(h + L::sh_offset, 0); // relocations of something not loaded: none
      put_word(h + L::sh_size, 0);
    } else if (sh(i).type != elf::SHT_NULL) {
      store_at<std::uint32_t, O>(h + L::sh_type, elf::SHT_NOBITS); // not read: no file bytes
      put_word(h + L::sh_offset, 0);
    }
  }
  std::size_t const n = static_cast<std::size_t>(total);
  return std::span<std::byte>(image.release(), n);
}

} // namespace extload::inline v0
