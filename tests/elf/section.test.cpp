// tests/elf/section.test.cpp: object_view<Format> on section headers (gABI "Sections", "Section
// Groups", "String Table", "Special Sections"): section(), section_name(), section_bytes(),
// string(), group members, and every per-section validation of parse(): data bounds,
// sh_addralign, string table termination, sh_name, the symbol table header, SHT_SYMTAB_SHNDX,
// SHT_GROUP, SHT_{INIT,FINI,PREINIT}_ARRAY, and the limits on alignment, region size and symbols.
// SHT_REL/SHT_RELA headers are in relocation.test.cpp.
#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>

#include "extload/elf/object.hpp"
#include "support/elf_builder.hpp"
#include "support/formats.hpp"

namespace {

using namespace extload;
using namespace extload::elf;
using namespace extload::test;

#define EXTLOAD_CHECK_FORMATS(fn, name)                                                                    \
  static_assert(fn<extload::elf32le>());                                                                   \
  static_assert(fn<extload::elf32be>());                                                                   \
  static_assert(fn<extload::elf64le>());                                                                   \
  static_assert(fn<extload::elf64be>());                                                                   \
  TEST_CASE_TEMPLATE("elf section: " name, Format, EXTLOAD_ALL_FORMATS) { CHECK(fn<Format>()); }

// Sections: 1 .group, 2 .text, 3 .data, 4 .bss, 5 .text.f, 6 .rodata.str, 7 .init_array,
// 8 .fini_array, 9 .rela.init_array, 10 .rela.text, 11 .symtab, 12 .strtab, 13 .shstrtab.
// Symbols: 0 null, 1 section .text (local), 2 f (weak), 3 main (global). .strtab = "\0f\0main\0".
template <class F>
constexpr auto sample() {
  return elf_builder<F>{}
      .machine(EM_X86_64)
      .group(".group", "f", {".text.f"})
      .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0x90, 0xc3, 0x90, 0xc3}, 16)
      .section(".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, bytes{1, 2, 3, 4, 5, 6, 7, 8}, 8)
      .section(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, size(64), 8)
      .section(".text.f", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0xc3}, 1)
      .section(".rodata.str", SHT_PROGBITS, SHF_ALLOC | SHF_MERGE | SHF_STRINGS, bytes{'h', 'i', 0}, 1, {.entsize = 1})
      .init_array(1)
      .fini_array(2)
      .section_symbol(".text")
      .symbol("f", STB_WEAK, STT_FUNC, ".text.f", 0, 1)
      .symbol("main", STB_GLOBAL, STT_FUNC, ".text", 0, 2)
      .rela(".init_array", {0, "main", 1, 0})
      .rela(".text", {1, "f", 4, -4})
      .build();
}
inline constexpr std::uint32_t grp = 1, text = 2, data = 3, bss = 4, text_f = 5, rodata = 6, init = 7, fini = 8,
                               symtab = 11, strtab = 12, shstrtab = 13, shnum = 14, nsyms = 4;

template <class F, std::size_t N>
constexpr auto parse(elf_image<F, N> const& img, limits const& lim = {}) {
  return object_view<F>::parse(img.view(), EM_NONE, lim);
}
template <class F, std::size_t N>
constexpr bool rejects(elf_image<F, N> const& img, expected const& e, limits const& lim = {}) {
  return fails_with(parse(img, lim), e);
}
template <class F>
constexpr std::uint64_t word() { return F::elf_class_type::word_size; }
template <class F>
constexpr std::uint64_t sym_size() { return F::elf_class_type::sym_size; }

template <class View>
constexpr bool bytes_are(View const& v, std::initializer_list<std::uint8_t> want) {
  if (v.size() != want.size()) return false;
  std::size_t i = 0;
  for (auto w : want)
    if (std::to_integer<std::uint8_t>(v[i++]) != w) return false;
  return true;
}

// --- accessors round-trip ---------------------------------------------------------------------

template <class F>
constexpr bool layout_matches_builder() {
  auto const img = sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  bool ok = r->section_count() == shnum && r->symtab_index() == symtab && r->strtab_index() == strtab &&
            r->symbol_count() == nsyms && r->first_global() == 2;
  std::string_view const names[] = {"", ".group", ".text", ".data", ".bss", ".text.f", ".rodata.str", ".init_array",
                                    ".fini_array", ".rela.init_array", ".rela.text", ".symtab", ".strtab", ".shstrtab"};
  for (std::uint32_t i = 1; i < shnum; ++i) {
    auto const n = r->section_name(i);
    section_header const s = r->section(i);
    ok = ok && n && n.value() == names[i] && s.name == img.get_section(i, field::sh_name) &&
         s.offset == img.get_section(i, field::sh_offset) && s.size == img.get_section(i, field::sh_size) &&
         s.link == img.get_section(i, field::sh_link) && s.info == img.get_section(i, field::sh_info) &&
         s.addralign == img.get_section(i, field::sh_addralign) && s.entsize == img.get_section(i, field::sh_entsize) &&
         s.addr == 0;
  }
  section_header const z = r->section(0);
  return ok && z.name == 0 && z.type == SHT_NULL && z.size == 0 && z.offset == 0 && r->section_bytes(0).empty();
}
EXTLOAD_CHECK_FORMATS(layout_matches_builder, "section(), section_name() round-trip every section")

template <class F>
constexpr bool section_fields_round_trip() {
  auto const img = sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  section_header const t = r->section(text), b = r->section(bss), m = r->section(rodata), f = r->section(text_f),
                       ia = r->section(init), fa = r->section(fini), st = r->section(symtab);
  return t.type == SHT_PROGBITS && t.flags == (SHF_ALLOC | SHF_EXECINSTR) && t.size == 4 && t.addralign == 16 &&
         t.entsize == 0 && t.is_alloc() && t.has_file_bytes() && t.alignment() == 16 &&
         b.type == SHT_NOBITS && b.size == 64 && b.addralign == 8 && !b.has_file_bytes() &&
         m.flags == (SHF_ALLOC | SHF_MERGE | SHF_STRINGS) && m.entsize == 1 && m.alignment() == 1 &&
         f.flags == (SHF_ALLOC | SHF_EXECINSTR | SHF_GROUP) && // the builder marks group members
         ia.type == SHT_INIT_ARRAY && ia.size == word<F>() && ia.entsize == word<F>() && ia.addralign == word<F>() &&
         fa.type == SHT_FINI_ARRAY && fa.size == 2 * word<F>() &&
         st.type == SHT_SYMTAB && st.link == strtab && st.info == 2 && st.entsize == sym_size<F>() &&
         st.size == nsyms * sym_size<F>() && !st.is_alloc();
}
EXTLOAD_CHECK_FORMATS(section_fields_round_trip, "section header fields decode in width and byte order")

template <class F>
constexpr bool section_bytes_are_the_data() {
  auto const img = sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  auto const t = r->section_bytes(text);
  return bytes_are(t, {0x90, 0xc3, 0x90, 0xc3}) && bytes_are(r->section_bytes(data), {1, 2, 3, 4, 5, 6, 7, 8}) &&
         bytes_are(r->section_bytes(rodata), {'h', 'i', 0}) && r->section_bytes(bss).empty() &&
         t.data() == img.view().data() + img.get_section(text, field::sh_offset) &&
         bytes_are(r->section_bytes(strtab), {0, 'f', 0, 'm', 'a', 'i', 'n', 0});
}
EXTLOAD_CHECK_FORMATS(section_bytes_are_the_data, "section_bytes(): the file bytes, empty for NOBITS")

template <class F>
constexpr bool strings_read() {
  auto const img = sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  auto const f = r->string(strtab, 1), main = r->string(strtab, 3), empty = r->string(strtab, 2),
             tail = r->string(strtab, 7), past = r->string(strtab, 8), none = r->string(0, 0),
             out = r->string(shnum, 0), not_str = r->string(text, 0);
  return f && f.value() == "f" && main && main.value() == "main" && empty && empty.value().empty() && tail &&
         tail.value().empty() && // last byte: the terminating NUL
         fails_with(past, {.code = errc::bad_string, .what = field::st_name, .section = strtab, .value = 8}) &&
         fails_with(none, {.code = errc::bad_string, .what = field::sh_link, .value = 0}) &&
         fails_with(out, {.code = errc::bad_string, .what = field::sh_link, .value = shnum}) &&
         fails_with(not_str, {.code = errc::bad_string, .what = field::st_name, .section = text, .value = 0});
}
EXTLOAD_CHECK_FORMATS(strings_read, "string(): inside a string table only")

// --- data bounds, alignment, region size -----------------------------------------------------------

template <class F>
constexpr bool data_bounds_checked() {
  auto const base = sample<F>();
  auto const n = base.size();
  // .data pointed at 16 zero bytes appended after the section table (the end of the image), so
  // that at the boundary it overlaps nothing (overlaps are rejected too: section_overlaps below).
  auto tail = base;
  tail.length += 16;
  tail.patch_section(data, field::sh_offset, n);
  auto last_off = tail, past_off = tail, last_size = tail, past_size = tail, huge_off = base, nobits = base;
  last_off.patch_section(data, field::sh_offset, n + 8);   // last 8 bytes: still inside
  past_off.patch_section(data, field::sh_offset, n + 9);
  last_size.patch_section(data, field::sh_size, 16);       // up to the last byte
  past_size.patch_section(data, field::sh_size, 17);
  huge_off.patch_section(data, field::sh_offset, ~std::uint64_t{0}); // offset + size wraps
  nobits.patch_section(bss, field::sh_offset, ~std::uint64_t{0});    // NOBITS has no file bytes
  return parse(last_off).has_value() &&
         rejects(past_off, {.code = errc::truncated, .what = field::sh_size, .section = data, .value = 8}) &&
         parse(last_size).has_value() &&
         rejects(past_size, {.code = errc::truncated, .what = field::sh_size, .section = data, .value = 17}) &&
         rejects(huge_off, {.code = errc::truncated, .what = field::sh_size, .section = data, .value = 8}) &&
         parse(nobits).has_value();
}
EXTLOAD_CHECK_FORMATS(data_bounds_checked, "section data must lie inside the image (not NOBITS)")

// gABI: sections hold disjoint file bytes, apart from the ELF header and the section header table.
// Sections without file bytes (SHT_NOBITS, size 0: .note.GNU-stack, an empty .data) overlap
// nothing, whatever their offset. The section named is the one starting inside the other (of
// two at one offset, the higher index).
template <class F>
constexpr bool section_overlaps() {
  auto const base = sample<F>();
  auto const text_off = base.get_section(text, field::sh_offset), data_off = base.get_section(data, field::sh_offset);
  auto same = base, inside = base, header = base, table = base, empty = base, nobits = base, adjacent = base;
  same.patch_section(text_f, field::sh_offset, text_off);
  inside.patch_section(data, field::sh_offset, text_off + 3);
  header.patch_section(text, field::sh_offset, F::elf_class_type::ehdr_size - 1);
  table.patch_section(rodata, field::sh_offset, base.layout.shoff - 1);
  empty.patch_section(data, field::sh_size, 0).patch_section(data, field::sh_offset, text_off);
  nobits.patch_section(bss, field::sh_offset, text_off + 1);
  adjacent.patch_section(data, field::sh_offset, text_off + 4); // .text is 4 bytes
  auto const at = [](std::uint32_t i, std::uint64_t off) {
    return expected{.code = errc::bad_section, .what = field::sh_offset, .section = i, .value = static_cast<std::int64_t>(off)};
  };
  return data_off != text_off + 4 && // the builder aligns .data to 8: `adjacent` moves it
         rejects(same, at(text_f, text_off)) && rejects(inside, at(data, text_off + 3)) &&
         rejects(header, at(text, F::elf_class_type::ehdr_size - 1)) && rejects(table, at(rodata, base.layout.shoff - 1)) &&
         parse(empty).has_value() && parse(nobits).has_value() && parse(adjacent).has_value();
}
EXTLOAD_CHECK_FORMATS(section_overlaps, "section data overlapping the ELF header, the section table or another section")

template <class F>
constexpr bool addralign_power_of_two() {
  bool ok = true;
  for (std::uint64_t a : {0u, 1u, 2u, 4u, 8u, 4096u, 65536u}) {
    auto img = sample<F>();
    img.patch_section(text, field::sh_addralign, a);
    ok = ok && parse(img).has_value();
  }
  for (std::uint64_t a : {3u, 6u, 12u, 24u, 65535u, 0x80000001u}) {
    auto img = sample<F>();
    img.patch_section(text, field::sh_addralign, a);
    ok = ok && rejects(img, {.code = errc::bad_section, .what = field::sh_addralign, .section = text,
                             .value = static_cast<std::int64_t>(a)});
  }
  return ok;
}
EXTLOAD_CHECK_FORMATS(addralign_power_of_two, "sh_addralign: 0 or a power of two")

template <class F>
constexpr bool alignment_limit() {
  auto const img = sample<F>(); // largest alloc alignment: .text, 16
  limits at{}, below{};
  at.max_alignment = 16;
  below.max_alignment = 8;
  auto const r = parse(img, below);
  auto big_nonalloc = img;
  big_nonalloc.patch_section(symtab, field::sh_addralign, std::uint64_t{1} << 20); // not loaded: no limit
  return parse(img, at).has_value() &&
         fails_with(r, {.code = errc::limit_exceeded, .what = field::sh_addralign, .section = text, .value = 16}) &&
         r.error().has_range && r.error().min == 1 && r.error().max == 8 && parse(big_nonalloc, at).has_value();
}
EXTLOAD_CHECK_FORMATS(alignment_limit, "limits::max_alignment at the limit and one past (SHF_ALLOC only)")

template <class F>
constexpr bool region_limit() {
  auto const img = sample<F>(); // largest alloc section: .bss, 64
  limits at{}, below{};
  at.max_region_bytes = 64;
  below.max_region_bytes = 63;
  return parse(img, at).has_value() &&
         rejects(img, {.code = errc::limit_exceeded, .what = field::sh_size, .section = bss, .value = 64}, below);
}
EXTLOAD_CHECK_FORMATS(region_limit, "limits::max_region_bytes at the limit and one past")

// --- string tables and names ----------------------------------------------------------------------

template <class F>
constexpr bool string_tables_terminated() {
  auto str = sample<F>(), shstr = sample<F>(), empty = sample<F>();
  auto const ssize = str.get_section(strtab, field::sh_size), shsize = shstr.get_section(shstrtab, field::sh_size);
  str.patch_u8(str.data_offset(strtab, ssize - 1), 'x');
  shstr.patch_u8(shstr.data_offset(shstrtab, shsize - 1), 'x');
  empty.patch_section(rodata, field::sh_type, SHT_STRTAB).patch_section(rodata, field::sh_size, 0);
  return rejects(str, {.code = errc::bad_string, .what = field::sh_size, .section = strtab, .value = static_cast<std::int64_t>(ssize)}) &&
         rejects(shstr, {.code = errc::bad_string, .what = field::sh_size, .section = shstrtab, .value = static_cast<std::int64_t>(shsize)}) &&
         parse(empty).has_value();
}
EXTLOAD_CHECK_FORMATS(string_tables_terminated, "an SHT_STRTAB must end with NUL")

template <class F>
constexpr bool sh_name_in_range() {
  auto last = sample<F>(), past = sample<F>();
  auto const shsize = last.get_section(shstrtab, field::sh_size);
  last.patch_section(data, field::sh_name, shsize - 1); // the final NUL: an empty name
  past.patch_section(data, field::sh_name, shsize);
  auto const r = parse(last);
  return r && r->section_name(data) && r->section_name(data).value().empty() &&
         rejects(past, {.code = errc::bad_string, .what = field::sh_name, .section = data, .value = static_cast<std::int64_t>(shsize)});
}
EXTLOAD_CHECK_FORMATS(sh_name_in_range, "sh_name inside .shstrtab")

// --- the symbol table header ----------------------------------------------------------------------

template <class F>
constexpr bool two_symtabs_rejected() {
  auto const extra = elf_builder<F>{}
                         .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0xc3}, 4)
                         .section(".symtab.old", SHT_SYMTAB, 0, size(0), 8, {.entsize = sym_size<F>()})
                         .symbol("main", STB_GLOBAL, STT_FUNC, ".text", 0, 1)
                         .build(); // 1 .text, 2 .symtab.old, 3 .symtab
  auto retyped = sample<F>();
  retyped.patch_section(data, field::sh_type, SHT_SYMTAB);
  return rejects(extra, {.code = errc::bad_section, .what = field::sh_type, .section = 3, .value = SHT_SYMTAB}) &&
         rejects(retyped, {.code = errc::bad_section, .what = field::sh_type, .section = symtab, .value = SHT_SYMTAB});
}
EXTLOAD_CHECK_FORMATS(two_symtabs_rejected, "at most one SHT_SYMTAB")

template <class F>
constexpr bool symtab_entsize_and_size() {
  constexpr auto S = sym_size<F>();
  bool ok = true;
  for (std::uint64_t e : {S - 1, S + 1, std::uint64_t{0}}) {
    auto img = sample<F>();
    img.patch_section(symtab, field::sh_entsize, e);
    auto const r = parse(img);
    ok = ok && fails_with(r, {.code = errc::bad_section, .what = field::sh_entsize, .section = symtab, .value = static_cast<std::int64_t>(e)}) &&
         r.error().min == static_cast<std::int64_t>(S) && r.error().max == static_cast<std::int64_t>(S);
  }
  auto ragged = sample<F>(), fewer = sample<F>();
  ragged.patch_section(symtab, field::sh_size, nsyms * S - 1);
  fewer.patch_section(symtab, field::sh_size, (nsyms - 1) * S); // drops "main"; sh_info 2 still fits
  auto const r = parse(fewer);
  return ok && rejects(ragged, {.code = errc::bad_section, .what = field::sh_size, .section = symtab,
                                .value = static_cast<std::int64_t>(nsyms * S - 1)}) &&
         r && r->symbol_count() == nsyms - 1;
}
EXTLOAD_CHECK_FORMATS(symtab_entsize_and_size, "symtab sh_entsize = sizeof(Sym), sh_size a multiple")

template <class F>
constexpr bool symtab_link_checked() {
  auto zero = sample<F>(), at_n = sample<F>(), to_text = sample<F>(), to_shstrtab = sample<F>();
  zero.patch_section(symtab, field::sh_link, 0);
  at_n.patch_section(symtab, field::sh_link, shnum);
  to_text.patch_section(symtab, field::sh_link, text);
  to_shstrtab.patch_section(symtab, field::sh_link, shstrtab); // any string table will do
  auto const r = parse(to_shstrtab);
  return rejects(zero, {.code = errc::bad_section, .what = field::sh_link, .section = symtab, .value = 0}) &&
         rejects(at_n, {.code = errc::bad_section, .what = field::sh_link, .section = symtab, .value = shnum}) &&
         rejects(to_text, {.code = errc::bad_section, .what = field::sh_link, .section = symtab, .value = text}) &&
         r && r->strtab_index() == shstrtab;
}
EXTLOAD_CHECK_FORMATS(symtab_link_checked, "symtab sh_link names a string table")

template <class F>
constexpr bool symtab_info_checked() {
  auto all_local = sample<F>(), past = sample<F>();
  all_local.patch_section(symtab, field::sh_info, nsyms);
  past.patch_section(symtab, field::sh_info, nsyms + 1);
  auto const r = parse(all_local);
  auto const e = parse(past);
  return r && r->first_global() == nsyms &&
         fails_with(e, {.code = errc::bad_section, .what = field::sh_info, .section = symtab, .value = nsyms + 1}) &&
         e.error().min == 0 && e.error().max == nsyms;
}
EXTLOAD_CHECK_FORMATS(symtab_info_checked, "symtab sh_info (first non-local) <= symbol count")

template <class F>
constexpr bool symbols_limit() {
  auto const img = sample<F>();
  limits at{}, below{};
  at.max_symbols = nsyms;
  below.max_symbols = nsyms - 1;
  return parse(img, at).has_value() &&
         rejects(img, {.code = errc::limit_exceeded, .what = field::sh_size, .section = symtab, .value = nsyms}, below);
}
EXTLOAD_CHECK_FORMATS(symbols_limit, "limits::max_symbols at the limit and one past")

// --- SHT_SYMTAB_SHNDX -----------------------------------------------------------------------------

// 1 .text, 2 .symtab, 3 .symtab_shndx, 4 .strtab, 5 .shstrtab; symbols: null, main.
template <class F>
constexpr auto xindex_sample() {
  return elf_builder<F>{}
      .with_symtab_shndx()
      .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0x90, 0xc3}, 4)
      .symbol("main", STB_GLOBAL, STT_FUNC, ".text", 0, 2)
      .build();
}
template <class F>
constexpr bool symtab_shndx_checked() {
  constexpr std::uint32_t x = 3;
  auto const base = xindex_sample<F>();
  auto e0 = base, e8 = base, link0 = base, link_text = base, small = base;
  e0.patch_section(x, field::sh_entsize, 0);
  e8.patch_section(x, field::sh_entsize, 8);
  link0.patch_section(x, field::sh_link, 0);
  link_text.patch_section(x, field::sh_link, 1);
  small.patch_section(x, field::sh_size, 4); // one entry for two symbols
  return parse(base).has_value() &&
         rejects(e0, {.code = errc::bad_section, .what = field::sh_entsize, .section = x, .value = 0}) &&
         rejects(e8, {.code = errc::bad_section, .what = field::sh_entsize, .section = x, .value = 8}) &&
         rejects(link0, {.code = errc::bad_section, .what = field::sh_link, .section = x, .value = 0}) &&
         rejects(link_text, {.code = errc::bad_section, .what = field::sh_link, .section = x, .value = 1}) &&
         rejects(small, {.code = errc::bad_section, .what = field::sh_size, .section = x, .value = 4});
}
EXTLOAD_CHECK_FORMATS(symtab_shndx_checked, "SHT_SYMTAB_SHNDX: entsize 4, linked to .symtab, one word per symbol")

// An sh_size that is not a multiple of 4 is reported as sh_size (not as the valid sh_entsize).
template <class F>
constexpr bool symtab_shndx_ragged_size_names_sh_size() {
  auto img = xindex_sample<F>();
  img.patch_section(3, field::sh_size, 7);
  return rejects(img, {.code = errc::bad_section, .what = field::sh_size, .section = 3, .value = 7});
}
EXTLOAD_CHECK_FORMATS(symtab_shndx_ragged_size_names_sh_size, "SHT_SYMTAB_SHNDX ragged sh_size is reported as sh_size")

// --- SHT_GROUP --------------------------------------------------------------------------------------

template <class F>
constexpr bool group_members_read() {
  auto const img = sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  section_header const g = r->section(grp);
  return g.type == SHT_GROUP && g.entsize == 4 && g.size == 8 && g.link == symtab && g.info == 2 && // "f"
         r->group_flags(grp) == GRP_COMDAT && r->group_member(grp, 0) == text_f &&
         bytes_are(r->section_bytes(grp), F::is_le ? std::initializer_list<std::uint8_t>{1, 0, 0, 0, text_f, 0, 0, 0}
                                                   : std::initializer_list<std::uint8_t>{0, 0, 0, 1, 0, 0, 0, text_f});
}
EXTLOAD_CHECK_FORMATS(group_members_read, "SHT_GROUP: flag word and members")

template <class F>
constexpr bool group_header_checked() {
  auto const base = sample<F>();
  auto e0 = base, e8 = base, s0 = base, s6 = base, s4 = base, link0 = base, link_str = base;
  e0.patch_section(grp, field::sh_entsize, 0);
  e8.patch_section(grp, field::sh_entsize, 8);
  s0.patch_section(grp, field::sh_size, 0);
  s6.patch_section(grp, field::sh_size, 6);
  s4.patch_section(grp, field::sh_size, 4); // the flag word alone: an empty group
  link0.patch_section(grp, field::sh_link, 0);
  link_str.patch_section(grp, field::sh_link, strtab);
  auto const r = parse(e8);
  return fails_with(r, {.code = errc::bad_group, .what = field::sh_entsize, .section = grp, .value = 8}) &&
         r.error().min == 4 && r.error().max == 4 &&
         rejects(e0, {.code = errc::bad_group, .what = field::sh_entsize, .section = grp, .value = 0}) &&
         rejects(s0, {.code = errc::bad_group, .what = field::sh_size, .section = grp, .value = 0}) &&
         rejects(s6, {.code = errc::bad_group, .what = field::sh_size, .section = grp, .value = 6}) &&
         parse(s4).has_value() &&
         rejects(link0, {.code = errc::bad_group, .what = field::sh_link, .section = grp, .value = 0}) &&
         rejects(link_str, {.code = errc::bad_group, .what = field::sh_link, .section = grp, .value = strtab});
}
EXTLOAD_CHECK_FORMATS(group_header_checked, "SHT_GROUP: sh_entsize, sh_size, sh_link")

template <class F>
constexpr bool group_signature_checked() {
  auto last = sample<F>(), past = sample<F>();
  last.patch_section(grp, field::sh_info, nsyms - 1);
  past.patch_section(grp, field::sh_info, nsyms);
  auto const r = parse(past);
  return parse(last).has_value() &&
         fails_with(r, {.code = errc::bad_group, .what = field::sh_info, .section = grp, .value = nsyms}) &&
         r.error().min == 0 && r.error().max == nsyms - 1;
}
EXTLOAD_CHECK_FORMATS(group_signature_checked, "SHT_GROUP: sh_info is a symbol index")

template <class F>
constexpr bool group_members_checked() {
  auto zero = sample<F>(), at_n = sample<F>(), last = sample<F>(), self = sample<F>();
  zero.patch_group_word(grp, 1, 0);
  at_n.patch_group_word(grp, 1, shnum);
  last.patch_group_word(grp, 1, shnum - 1);
  self.patch_group_word(grp, 1, grp);
  auto const r = parse(at_n);
  return rejects(zero, {.code = errc::bad_group, .what = field::grp_member, .section = grp, .value = 0}) &&
         fails_with(r, {.code = errc::bad_group, .what = field::grp_member, .section = grp, .value = shnum}) &&
         r.error().min == 1 && r.error().max == shnum - 1 && parse(last).has_value() &&
         rejects(self, {.code = errc::bad_group, .what = field::grp_member, .section = grp, .value = grp});
}
EXTLOAD_CHECK_FORMATS(group_members_checked, "SHT_GROUP: members are other sections in [1, shnum)")

template <class F>
constexpr bool group_needs_symtab() {
  auto const img = elf_builder<F>{}
                       .without_symtab()
                       .group(".group", sym_index{0}, {".text.f"})
                       .section(".text.f", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0xc3}, 1)
                       .build();
  return rejects(img, {.code = errc::bad_group, .what = field::sh_link, .section = 1, .value = 0});
}
EXTLOAD_CHECK_FORMATS(group_needs_symtab, "SHT_GROUP without a symbol table")

// --- SHT_INIT_ARRAY / FINI_ARRAY / PREINIT_ARRAY ----------------------------------------------------

template <class F>
constexpr bool init_arrays_checked() {
  constexpr auto W = word<F>();
  auto ragged = sample<F>(), empty = sample<F>(), e0 = sample<F>(), e2w = sample<F>(), ehalf = sample<F>(),
       fini_ragged = sample<F>(), preinit = sample<F>(), preinit_ragged = sample<F>();
  ragged.patch_section(init, field::sh_size, W + 1);
  empty.patch_section(init, field::sh_size, 0);
  e0.patch_section(init, field::sh_entsize, 0);
  e2w.patch_section(init, field::sh_entsize, 2 * W);
  ehalf.patch_section(fini, field::sh_entsize, W / 2);
  fini_ragged.patch_section(fini, field::sh_size, W - 1);
  preinit.patch_section(fini, field::sh_type, SHT_PREINIT_ARRAY);
  preinit_ragged.patch_section(fini, field::sh_type, SHT_PREINIT_ARRAY).patch_section(fini, field::sh_size, W + 2);
  auto const r = parse(e2w);
  return rejects(ragged, {.code = errc::bad_section, .what = field::sh_size, .section = init, .value = static_cast<std::int64_t>(W + 1)}) &&
         parse(empty).has_value() && parse(e0).has_value() &&
         fails_with(r, {.code = errc::bad_section, .what = field::sh_entsize, .section = init, .value = static_cast<std::int64_t>(2 * W)}) &&
         r.error().min == static_cast<std::int64_t>(W) && r.error().max == static_cast<std::int64_t>(W) &&
         rejects(ehalf, {.code = errc::bad_section, .what = field::sh_entsize, .section = fini, .value = static_cast<std::int64_t>(W / 2)}) &&
         rejects(fini_ragged, {.code = errc::bad_section, .what = field::sh_size, .section = fini, .value = static_cast<std::int64_t>(W - 1)}) &&
         parse(preinit).has_value() &&
         rejects(preinit_ragged, {.code = errc::bad_section, .what = field::sh_size, .section = fini, .value = static_cast<std::int64_t>(W + 2)});
}
EXTLOAD_CHECK_FORMATS(init_arrays_checked, "init/fini/preinit arrays: whole words, sh_entsize 0 or a word")

TEST_CASE_TEMPLATE("elf section: truncation at every length gives an error", Format, EXTLOAD_ALL_FORMATS) {
  auto const base = sample<Format>();
  REQUIRE(parse(base).has_value());
  for (std::size_t n = 0; n < base.size(); ++n) {
    auto const r = object_view<Format>::parse(base.view().first(n));
    CHECK_FALSE(r.has_value());
  }
}

} // namespace
