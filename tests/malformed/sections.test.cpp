// tests/malformed/sections.test.cpp: MALFORMED.md classes 12-23, section headers (gABI
// "Sections", "String Table", "Section Groups", "Special Sections"): contents outside the file,
// sh_name, string tables, sh_link, relocation sh_info, sh_entsize, sh_addralign, SHT_NOBITS,
// overlaps, unique sections, flags, group and SHT_SYMTAB_SHNDX semantics. Each class runs in
// static_assert (four formats), at run time, and through the whole x86-64 loader.
#include <cstdint>

#include "malformed/harness.hpp"

namespace {

using namespace extload;
using namespace extload::test;
using namespace extload::test::malformed;

template <class F>
constexpr std::uint64_t W = F::elf_class_type::word_size;
template <class F>
constexpr std::uint64_t max_word = F::is_64 ? ~std::uint64_t{0} : 0xffffffffu;

template <class F>
constexpr image<F> sec(std::uint32_t i, field f, std::uint64_t v) {
  image<F> img = base_img<F>;
  img.patch_section(i, f, v);
  return img;
}
template <class F>
constexpr std::int64_t size_of(std::uint32_t i) { return static_cast<std::int64_t>(base_img<F>.get_section(i, field::sh_size)); }
constexpr want section_error(errc e, field f, std::uint32_t i, std::int64_t v) { return {e, f, i, no_index, no_index, v}; }

// --- 12. contents outside the file --------------------------------------------------------------
template <class F, class Check>
constexpr bool c12_contents_outside(Check const& c) {
  auto const file = base_img<F>.size();
  auto trunc = [](std::uint32_t i, std::int64_t size) { return section_error(errc::truncated, field::sh_size, i, size); };
  // .rodata's bytes moved to the very end of the file: offset + size == file size.
  image<F> at_end = base_img<F>;
  move_section_data(at_end, idx::rodata, at_end.size());
  image<F> one_past = at_end;
  one_past.patch_section(idx::rodata, field::sh_size, 9);
  image<F> wrap = sec<F>(idx::rodata, field::sh_offset, max_word<F>);
  image<F> wrap2 = sec<F>(idx::rodata, field::sh_offset, max_word<F> - 3); // + 8 wraps
  bool ok_ = boundary(c, at_end, one_past, trunc(idx::rodata, 9))
      && c(sec<F>(idx::text, field::sh_offset, file), trunc(idx::text, 16))
      && c(sec<F>(idx::text, field::sh_size, file), trunc(idx::text, static_cast<std::int64_t>(file)))
      && c(sec<F>(idx::text, field::sh_size, max_word<F>), trunc(idx::text, static_cast<std::int64_t>(max_word<F>)))
      && c(wrap, trunc(idx::rodata, 8)) && c(wrap2, trunc(idx::rodata, 8))
      // Sections that are not loaded are checked too: the loader reads them (names, symbols, relocations).
      && c(sec<F>(idx::comment, field::sh_offset, file), trunc(idx::comment, 4))
      && c(sec<F>(idx::symtab, field::sh_size, file), trunc(idx::symtab, static_cast<std::int64_t>(file)))
      && c(sec<F>(idx::strtab, field::sh_offset, file - 1), trunc(idx::strtab, size_of<F>(idx::strtab)))
      && c(sec<F>(idx::rel_text, field::sh_offset, max_word<F>), trunc(idx::rel_text, size_of<F>(idx::rel_text)))
      && c(sec<F>(idx::shstrtab, field::sh_size, file), trunc(idx::shstrtab, static_cast<std::int64_t>(file)));
  return ok_;
}
EXTLOAD_MALFORMED_CASE(c12_contents_outside, "12 section contents outside the file or wrapping (loaded and not loaded sections)")

// --- 13. sh_name ------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c13_sh_name(Check const& c) {
  auto const n = base_img<F>.layout.shstrtab_size;
  return boundary(c, sec<F>(idx::data, field::sh_name, n - 1), sec<F>(idx::data, field::sh_name, n),
                  section_error(errc::bad_string, field::sh_name, idx::data, static_cast<std::int64_t>(n)))
      && c(sec<F>(idx::symtab, field::sh_name, 0xffffffffu), section_error(errc::bad_string, field::sh_name, idx::symtab, 0xffffffff))
      && c(sec<F>(idx::shstrtab, field::sh_name, n + 100), section_error(errc::bad_string, field::sh_name, idx::shstrtab, static_cast<std::int64_t>(n + 100)));
}
EXTLOAD_MALFORMED_CASE(c13_sh_name, "13 sh_name at or past the end of .shstrtab")

// --- 14. broken string tables -------------------------------------------------------------------
template <class F>
constexpr image<F> poke(std::uint64_t off, std::uint8_t v) {
  image<F> img = base_img<F>;
  img.patch_u8(off, v);
  return img;
}
template <class F, class Check>
constexpr bool c14_string_tables(Check const& c) {
  auto const& b = base_img<F>;
  auto const strtab_end = b.layout.strtab_offset + b.layout.strtab_size - 1;
  auto const shstrtab_end = b.layout.shstrtab_offset + b.layout.shstrtab_size - 1;
  std::uint32_t const local_data_name = static_cast<std::uint32_t>(b.get_symbol(idx::local_data, field::st_name));
  std::uint32_t const text_name = static_cast<std::uint32_t>(b.get_section(idx::text, field::sh_name));
  return c(poke<F>(strtab_end, 'x'), section_error(errc::bad_string, field::sh_size, idx::strtab, static_cast<std::int64_t>(b.layout.strtab_size)))
      && c(poke<F>(shstrtab_end, 'x'), section_error(errc::bad_string, field::sh_size, idx::shstrtab, static_cast<std::int64_t>(b.layout.shstrtab_size)))
      // Empty tables: every name offset is out of range; the first name read is named.
      && c(sec<F>(idx::strtab, field::sh_size, 0), {errc::bad_string, field::st_name, no_index, idx::local_data, no_index, local_data_name})
      && c(sec<F>(idx::shstrtab, field::sh_size, 0), section_error(errc::bad_string, field::sh_name, idx::text, text_name))
      // Wrong sh_type: .strtab is no string table, .shstrtab is no string table.
      && c(sec<F>(idx::strtab, field::sh_type, elf::SHT_PROGBITS), section_error(errc::bad_section, field::sh_link, idx::symtab, idx::strtab))
      && c(sec<F>(idx::shstrtab, field::sh_type, elf::SHT_PROGBITS), {errc::bad_header, field::e_shstrndx, no_index, no_index, no_index, idx::shstrtab});
}
EXTLOAD_MALFORMED_CASE(c14_string_tables, "14 string tables not NUL-terminated, empty, or of the wrong sh_type")

// gABI: "index zero ... holds a null character", so that name 0 is the empty name; a string
// table starting with any other byte is bad_string/sh_offset, value = that byte.
template <class F, class Check>
constexpr bool c14_leading_nul(Check const& c) {
  auto const& b = base_img<F>;
  return c(poke<F>(b.layout.strtab_offset, 'x'), section_error(errc::bad_string, field::sh_offset, idx::strtab, 'x'))
      && c(poke<F>(b.layout.shstrtab_offset, 'x'), section_error(errc::bad_string, field::sh_offset, idx::shstrtab, 'x'));
}
EXTLOAD_MALFORMED_CASE(c14_leading_nul, "14 string tables whose first byte is not NUL")

// --- 15. sh_link ----------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c15_sh_link(Check const& c) {
  auto link = [](std::uint32_t i, std::int64_t v) { return section_error(errc::bad_section, field::sh_link, i, v); };
  return c(sec<F>(idx::symtab, field::sh_link, 0), link(idx::symtab, 0))
      && c(sec<F>(idx::symtab, field::sh_link, idx::text), link(idx::symtab, idx::text))
      && c(sec<F>(idx::symtab, field::sh_link, idx::symtab), link(idx::symtab, idx::symtab))
      && c(sec<F>(idx::symtab, field::sh_link, idx::shnum), link(idx::symtab, idx::shnum))
      && c(sec<F>(idx::symtab, field::sh_link, 0xff), link(idx::symtab, 0xff)) // LLVM "Link: 0xFF"
      && c(sec<F>(idx::rel_text, field::sh_link, 0), link(idx::rel_text, 0))
      && c(sec<F>(idx::rel_text, field::sh_link, idx::strtab), link(idx::rel_text, idx::strtab))
      && c(sec<F>(idx::rel_text, field::sh_link, idx::rel_data), link(idx::rel_text, idx::rel_data)) // chained
      && c(sec<F>(idx::rel_data, field::sh_link, 0xffffffffu), link(idx::rel_data, 0xffffffff));
}
EXTLOAD_MALFORMED_CASE(c15_sh_link, "15 sh_link of the symbol table and of relocation sections out of range or of the wrong type")

// --- 16. relocation sh_info ---------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c16_reloc_info(Check const& c) {
  auto info = [](std::int64_t v) { return want{errc::bad_section, field::sh_info, idx::rel_text, no_index, no_index, v, 1, idx::shnum - 1}; };
  image<F> no_flag = base_img<F>; // SHF_INFO_LINK is implied by SHT_REL/SHT_RELA (gABI sh_info table)
  no_flag.patch_section(idx::rel_text, field::sh_flags, 0);
  return c(sec<F>(idx::rel_text, field::sh_info, 0), info(0))
      && c(sec<F>(idx::rel_text, field::sh_info, idx::shnum), info(idx::shnum))
      && c(sec<F>(idx::rel_text, field::sh_info, 0xffffffffu), info(0xffffffff))
      && c(sec<F>(idx::rel_text, field::sh_info, idx::rel_text), info(idx::rel_text))
      && c(no_flag, accepted)
      // A non-loaded target (debug information) is legitimate: its relocations are not applied.
      && c(sec<F>(idx::rel_text, field::sh_info, idx::comment), accepted);
}
EXTLOAD_MALFORMED_CASE(c16_reloc_info, "16 relocation sh_info 0, >= e_shnum, itself")

// A relocation section whose target is loader metadata (the symbol table, a string table,
// another relocation section) is rejected, unlike one for debug information (skipped).
template <class F, class Check>
constexpr bool c16_metadata_target(Check const& c) {
  auto info = [](std::int64_t v) { return want{errc::bad_section, field::sh_info, idx::rel_text, no_index, no_index, v}; };
  return c(sec<F>(idx::rel_text, field::sh_info, idx::symtab), info(idx::symtab))
      && c(sec<F>(idx::rel_text, field::sh_info, idx::strtab), info(idx::strtab))
      && c(sec<F>(idx::rel_text, field::sh_info, idx::shstrtab), info(idx::shstrtab))
      && c(sec<F>(idx::rel_text, field::sh_info, idx::rel_data), info(idx::rel_data));
}
EXTLOAD_MALFORMED_CASE(c16_metadata_target, "16 relocation sh_info naming the symbol table, a string table or a relocation section")

// --- 17. sh_entsize / sh_size of fixed-record sections -----------------------------------------------
// Arrays and an extended-index table next to the base sections (indices 1-5 unchanged):
//   6 .init_array  7 .fini_array  8 .preinit_array  9 .rel[a].text  10 .rel[a].data
//   11 .rel[a].init_array  12 .rel[a].fini_array  13 .symtab  14 .symtab_shndx  15 .strtab  16 .shstrtab
namespace arr {
inline constexpr std::uint32_t init = 6, fini = 7, preinit = 8, rel_init = 11, symtab = 13, shndx = 14;
}
template <class F>
constexpr image<F> arrays() {
  auto b = base_builder<F>();
  b.init_array(1).fini_array(2).section(".preinit_array", elf::SHT_PREINIT_ARRAY, AW, size(W<F>), W<F>, {.entsize = W<F>});
  b.with_symtab_shndx();
  add_reloc(b, ".init_array", {0, "ext_fn", abs_word<F>, 0});
  add_reloc(b, ".fini_array", {0, "ext_fn", abs_word<F>, 0});
  add_reloc(b, ".fini_array", {W<F>, "ext_fn", abs_word<F>, 0});
  return b.template build<capacity>();
}
template <class F>
inline constexpr image<F> arrays_img = arrays<F>();
template <class F>
constexpr image<F> arr_with(std::uint32_t i, field f, std::uint64_t v) {
  image<F> img = arrays_img<F>;
  img.patch_section(i, f, v);
  return img;
}
template <class F, class Check>
constexpr bool c17_entsize(Check const& c) {
  using C = typename F::elf_class_type;
  std::uint64_t const sym = C::sym_size;
  std::uint64_t const rel = F::is_64 ? C::rela_size : C::rel_size;
  auto ent = [](std::uint32_t i, std::int64_t v, std::int64_t e) { return want{errc::bad_section, field::sh_entsize, i, no_index, no_index, v, e, e}; };
  auto sz = [](std::uint32_t i, std::int64_t v) { return section_error(errc::bad_section, field::sh_size, i, v); };
  auto const symtab_size = arrays_img<F>.get_section(arr::symtab, field::sh_size);
  auto const rel_size = arrays_img<F>.get_section(arr::rel_init, field::sh_size);
  auto const S = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
  return c(arrays_img<F>, accepted)
      // Symbol table.
      && c(arr_with<F>(arr::symtab, field::sh_entsize, 0), ent(arr::symtab, 0, S(sym)))
      && c(arr_with<F>(arr::symtab, field::sh_entsize, sym - 1), ent(arr::symtab, S(sym - 1), S(sym)))
      && boundary(c, arrays_img<F>, arr_with<F>(arr::symtab, field::sh_entsize, sym + 1), ent(arr::symtab, S(sym + 1), S(sym)))
      && boundary(c, arrays_img<F>, arr_with<F>(arr::symtab, field::sh_size, symtab_size + 1), sz(arr::symtab, S(symtab_size + 1)))
      && c(arr_with<F>(arr::symtab, field::sh_size, symtab_size - 1), sz(arr::symtab, S(symtab_size - 1)))
      // REL / RELA.
      && c(arr_with<F>(arr::rel_init, field::sh_entsize, 0), ent(arr::rel_init, 0, S(rel)))
      && boundary(c, arrays_img<F>, arr_with<F>(arr::rel_init, field::sh_entsize, rel + 1), ent(arr::rel_init, S(rel + 1), S(rel)))
      && c(arr_with<F>(arr::rel_init, field::sh_entsize, F::is_64 ? C::rel_size : C::rela_size), ent(arr::rel_init, S(F::is_64 ? C::rel_size : C::rela_size), S(rel)))
      && boundary(c, arrays_img<F>, arr_with<F>(arr::rel_init, field::sh_size, rel_size - 1), sz(arr::rel_init, S(rel_size - 1)))
      // SHT_SYMTAB_SHNDX.
      && boundary(c, arrays_img<F>, arr_with<F>(arr::shndx, field::sh_entsize, 5), ent(arr::shndx, 5, 4))
      && c(arr_with<F>(arr::shndx, field::sh_entsize, 0), ent(arr::shndx, 0, 4))
      && c(arr_with<F>(arr::shndx, field::sh_size, 4 * idx::nsyms - 1), sz(arr::shndx, 4 * idx::nsyms - 1))
      // Init / fini / preinit arrays: sh_entsize 0 or the word size; sh_size a multiple of it.
      && c(arr_with<F>(arr::init, field::sh_entsize, 0), accepted)
      && boundary(c, arrays_img<F>, arr_with<F>(arr::init, field::sh_entsize, W<F> + 1), ent(arr::init, S(W<F> + 1), S(W<F>)))
      && c(arr_with<F>(arr::fini, field::sh_entsize, 1), ent(arr::fini, 1, S(W<F>)))
      && c(arr_with<F>(arr::preinit, field::sh_entsize, 2 * W<F>), ent(arr::preinit, S(2 * W<F>), S(W<F>)))
      && c(arr_with<F>(arr::init, field::sh_size, W<F> - 1), sz(arr::init, S(W<F> - 1)))
      && c(arr_with<F>(arr::fini, field::sh_size, W<F> + 1), sz(arr::fini, S(W<F> + 1)))
      && c(arr_with<F>(arr::preinit, field::sh_size, 1), sz(arr::preinit, 1));
}
EXTLOAD_MALFORMED_CASE(c17_entsize, "17 sh_entsize and sh_size of symtab, REL/RELA, SYMTAB_SHNDX, init/fini/preinit arrays")

// --- 18. sh_addralign ------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c18_addralign(Check const& c) {
  auto bad = [](std::uint32_t i, std::int64_t v) { return section_error(errc::bad_section, field::sh_addralign, i, v); };
  auto cap = [](std::uint32_t i, std::int64_t v, std::int64_t max) {
    return want{errc::limit_exceeded, field::sh_addralign, i, no_index, no_index, v, 1, max};
  };
  std::uint64_t const top = F::is_64 ? std::uint64_t{1} << 63 : std::uint64_t{1} << 31;
  limits small{};
  small.max_alignment = 64;
  auto const cs = c.with(small);
  return c(sec<F>(idx::text, field::sh_addralign, 3), bad(idx::text, 3))
      && c(sec<F>(idx::data, field::sh_addralign, 24), bad(idx::data, 24))
      && c(sec<F>(idx::rodata, field::sh_addralign, top + 1), bad(idx::rodata, static_cast<std::int64_t>(top + 1)))
      && c(sec<F>(idx::comment, field::sh_addralign, max_word<F>), bad(idx::comment, static_cast<std::int64_t>(max_word<F>)))
      && c(sec<F>(idx::text, field::sh_addralign, 0), accepted) // 0 and 1: no constraint
      // Larger than the loader's maximum: the limit, at the limit and one power past it.
      && boundary(c, sec<F>(idx::text, field::sh_addralign, limits{}.max_alignment),
                  sec<F>(idx::text, field::sh_addralign, 2 * limits{}.max_alignment),
                  cap(idx::text, static_cast<std::int64_t>(2 * limits{}.max_alignment), static_cast<std::int64_t>(limits{}.max_alignment)))
      && boundary(cs, sec<F>(idx::bss, field::sh_addralign, 64), sec<F>(idx::bss, field::sh_addralign, 128), cap(idx::bss, 128, 64))
      && c(sec<F>(idx::data, field::sh_addralign, top), cap(idx::data, static_cast<std::int64_t>(top), static_cast<std::int64_t>(limits{}.max_alignment)))
      // Not loaded: alignment has no effect, any power of two is fine.
      && c(sec<F>(idx::comment, field::sh_addralign, top), accepted);
}
EXTLOAD_MALFORMED_CASE(c18_addralign, "18 sh_addralign not a power of two, or above limits::max_alignment (at the limit / one past)")

// --- 19. SHT_NOBITS -------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c19_nobits(Check const& c) {
  limits small{};
  small.max_region_bytes = 32; // .bss is 32 bytes; .text 16, .data 16, .rodata 8
  auto const cs = c.with(small);
  return boundary(cs, base_img<F>, sec<F>(idx::bss, field::sh_size, 33),
                  {errc::limit_exceeded, field::sh_size, idx::bss, no_index, no_index, 33, 0, 32})
      && c(sec<F>(idx::bss, field::sh_size, limits{}.max_region_bytes + 1),
           {errc::limit_exceeded, field::sh_size, idx::bss, no_index, no_index, static_cast<std::int64_t>(limits{}.max_region_bytes + 1), 0, static_cast<std::int64_t>(limits{}.max_region_bytes)})
      // sh_offset of a NOBITS section is not a file position: never bounds-checked, never read.
      && c(sec<F>(idx::bss, field::sh_offset, max_word<F>), accepted)
      && c(sec<F>(idx::bss, field::sh_offset, base_img<F>.size() + 4096), accepted);
}
EXTLOAD_MALFORMED_CASE(c19_nobits, "19 SHT_NOBITS over the region budget; its sh_offset is never checked nor read")

TEST_CASE("malformed: 19 SHT_NOBITS over file bytes is zero-filled, never copied") {
  image<elf64le> img = base_img<elf64le>;
  img.patch_section(idx::bss, field::sh_offset, img.get_section(idx::rodata, field::sh_offset)); // non-zero bytes there
  bool zero = false;
  auto const o = try_load(img.view(), {}, resolve_all, 0, [&](extension& e) {
    auto const* s = e.find_section(".bss");
    REQUIRE(s != nullptr);
    auto const& g = e.regions();
    std::byte const* p = g.base[static_cast<int>(region::bss)] + (s->address - g.address[static_cast<int>(region::bss)]);
    zero = true;
    for (std::uint64_t k = 0; k < s->size; ++k) zero = zero && p[k] == std::byte{0};
  });
  CHECK(o.loaded());
  CHECK(o.clean);
  CHECK(zero);
}

// --- 20. overlaps -----------------------------------------------------------------------------------
// gABI: sections with file contents occupy disjoint bytes, apart from the ELF header and the
// section header table. bad_section/sh_offset names the section that starts inside the header,
// the table, or (in sh_offset, index order) an earlier section; sections without file bytes
// (SHT_NOBITS, size 0) overlap nothing.
template <class F>
constexpr std::uint64_t offset_of(image<F> const& img, std::uint32_t i) { return img.get_section(i, field::sh_offset); }
template <class F>
constexpr image<F> sec_in(image<F> img, std::uint32_t i, field f, std::uint64_t v) {
  img.patch_section(i, f, v);
  return img;
}
// Section data moved to the end of the file in reverse index order (.shstrtab first, .text
// last): file offsets decrease with the index, so the sections form nine one-section chains and
// parse() takes its pairwise check instead of the chain merge.
template <class F>
constexpr image<F> reversed() {
  image<F> img = base_img<F>;
  for (std::uint32_t i : {idx::shstrtab, idx::strtab, idx::symtab, idx::rel_data, idx::rel_text, idx::comment, idx::rodata, idx::data, idx::text})
    move_section_data(img, i, img.size());
  return img;
}
template <class F, class Check>
constexpr bool c20_file_overlaps(Check const& c) {
  using C = typename F::elf_class_type;
  auto const& b = base_img<F>;
  auto const at = [](std::uint32_t i, std::uint64_t off) { return section_error(errc::bad_section, field::sh_offset, i, static_cast<std::int64_t>(off)); };
  auto const text_off = offset_of(b, idx::text), data_end = offset_of(b, idx::data) + 16, rodata_off = offset_of(b, idx::rodata);
  // The section table: .comment moved to just after it (the end of the file), then one byte into it.
  image<F> after_table = b;
  move_section_data(after_table, idx::comment, after_table.size());
  auto const table_end = offset_of(after_table, idx::comment);
  image<F> const rev = reversed<F>();
  bool const chained = // base image: one chain (the builder lays sections out in index order)
      c(sec<F>(idx::data, field::sh_offset, text_off), at(idx::data, text_off)) // same offset: the later index
      && boundary(c, sec<F>(idx::text, field::sh_offset, C::ehdr_size), sec<F>(idx::text, field::sh_offset, C::ehdr_size - 1), at(idx::text, C::ehdr_size - 1))
      && c(sec<F>(idx::text, field::sh_offset, 0), at(idx::text, 0))
      && c(sec<F>(idx::comment, field::sh_offset, b.layout.shoff), at(idx::comment, b.layout.shoff))
      && boundary(c, after_table, sec_in(after_table, idx::comment, field::sh_offset, table_end - 1), at(idx::comment, table_end - 1))
      // Adjacent is fine; one byte earlier starts inside .data.
      && boundary(c, sec<F>(idx::rodata, field::sh_offset, data_end), sec<F>(idx::rodata, field::sh_offset, data_end - 1), at(idx::rodata, data_end - 1))
      // The section that starts inside the other is named, whatever the indices.
      && c(sec<F>(idx::text, field::sh_offset, rodata_off + 1), at(idx::text, rodata_off + 1))
      // Across chains: .rel[a].text inside .text opens a second chain; the merge finds it.
      && c(sec<F>(idx::rel_text, field::sh_offset, text_off + 1), at(idx::rel_text, text_off + 1))
      // No file bytes, no overlap: size 0 (gcc's .note.GNU-stack) anywhere, even in the header.
      && c(sec_in(sec<F>(idx::comment, field::sh_size, 0), idx::comment, field::sh_offset, text_off + 1), accepted)
      && c(sec_in(sec<F>(idx::comment, field::sh_size, 0), idx::comment, field::sh_offset, 0), accepted);
  auto const rev_rodata = offset_of(rev, idx::rodata), rev_comment = offset_of(rev, idx::comment), rev_data = offset_of(rev, idx::data);
  bool const pairwise =
      c(rev, accepted)
      && c(sec_in(rev, idx::text, field::sh_offset, rev_data), at(idx::data, rev_data))
      && boundary(c, sec_in(rev, idx::rodata, field::sh_offset, rev_comment + 4), sec_in(rev, idx::rodata, field::sh_offset, rev_comment + 3), at(idx::rodata, rev_comment + 3))
      && c(sec_in(rev, idx::text, field::sh_offset, rev_rodata + 1), at(idx::text, rev_rodata + 1))
      && c(sec_in(rev, idx::comment, field::sh_offset, 1), at(idx::comment, 1));
  return chained && pairwise;
}
EXTLOAD_MALFORMED_CASE(c20_file_overlaps, "20 sections overlapping each other, the ELF header or the section table in the file")

TEST_CASE("malformed: 20 loaded sections never overlap in the output layout and lie inside their region") {
  auto const o = try_load(arrays_img<elf64le>.view(), {}, resolve_all, 0, [&](extension& e) {
    auto const secs = e.sections();
    CHECK(secs.size() == 7); // .text .data .bss .rodata .init_array .fini_array .preinit_array
    for (std::size_t a = 0; a < secs.size(); ++a) {
      CHECK(e.contains(secs[a].address));
      CHECK(e.contains(secs[a].address + secs[a].size - 1));
      for (std::size_t b = a + 1; b < secs.size(); ++b)
        CHECK((secs[a].address + secs[a].size <= secs[b].address || secs[b].address + secs[b].size <= secs[a].address));
    }
  });
  CHECK(o.loaded());
  CHECK(o.clean);
}

// --- 21. unique sections ------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c21_unique(Check const& c) {
  // .comment (5) turned into a second symbol table (valid header) before the real one (8).
  image<F> two = base_img<F>;
  two.patch_section(idx::comment, field::sh_type, elf::SHT_SYMTAB).patch_section(idx::comment, field::sh_size, 0)
      .patch_section(idx::comment, field::sh_entsize, F::elf_class_type::sym_size).patch_section(idx::comment, field::sh_link, idx::strtab);
  return c(two, section_error(errc::bad_section, field::sh_type, idx::symtab, elf::SHT_SYMTAB));
}
EXTLOAD_MALFORMED_CASE(c21_unique, "21 two SHT_SYMTAB sections")

// An object with no SHT_SYMTAB exports nothing and cannot be relocated: bad_section/sh_type,
// value SHT_SYMTAB, no section index. (With relocation sections, their sh_link is named first.)
template <class F, class Check>
constexpr bool c21_no_symtab(Check const& c) {
  auto const img = elf_builder<F>{}.machine(machine_of<F>).section(".text", elf::SHT_PROGBITS, AX, bytes{0xc3}, 1)
                       .without_symtab().template build<capacity>();
  return c(img, {errc::bad_section, field::sh_type, no_index, no_index, no_index, elf::SHT_SYMTAB});
}
EXTLOAD_MALFORMED_CASE(c21_no_symtab, "21 no SHT_SYMTAB")

// Several init arrays (priorities: .init_array.NNNNN) and .ctors next to .init_array are what
// gcc and ld -r produce: accepted by design and run in priority order (loader.test.cpp).
template <class F, class Check>
constexpr bool c21_several_arrays(Check const& c) {
  auto b = base_builder<F>();
  b.init_array(1).init_array(1, ".init_array.00100")
      .section(".ctors", elf::SHT_PROGBITS, AW, size(W<F>), W<F>);
  add_reloc(b, ".init_array", {0, "ext_fn", abs_word<F>, 0});
  add_reloc(b, ".init_array.00100", {0, "ext_fn", abs_word<F>, 0});
  add_reloc(b, ".ctors", {0, "ext_fn", abs_word<F>, 0});
  return c(b.template build<capacity>(), accepted);
}
EXTLOAD_MALFORMED_CASE(c21_several_arrays, "21 several init arrays and .ctors with .init_array are accepted (priorities)")

// --- 22. flags ------------------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c22_flags(Check const& c) {
  auto b = base_builder<F>();
  b.section(".tdata", elf::SHT_PROGBITS, AW | elf::SHF_TLS, size(8), 8).section(".tbss0", elf::SHT_NOBITS, AW | elf::SHF_TLS, size(0), 8);
  image<F> tls = b.template build<capacity>();
  image<F> tls_empty = tls;
  tls_empty.patch_section(6, field::sh_size, 0);
  image<F> merge = sec<F>(idx::rodata, field::sh_flags, A | elf::SHF_MERGE | elf::SHF_STRINGS);
  image<F> compressed_debug = sec<F>(idx::comment, field::sh_flags, elf::SHF_COMPRESSED);
  return c.late()(tls, loader_only<Check>({errc::unsupported_section, field::sh_flags, 6, no_index, no_index, static_cast<std::int64_t>(AW | elf::SHF_TLS)}))
      && c(tls_empty, accepted)
      && c(merge, accepted)             // merging is an optimisation: the bytes load as they are
      && c(compressed_debug, accepted); // not loaded: never decompressed, never read
}
EXTLOAD_MALFORMED_CASE(c22_flags, "22 SHF_TLS rejected; SHF_MERGE/STRINGS and compressed non-loaded sections accepted")

// A loaded section that is SHF_WRITE|SHF_EXECINSTR (text is sealed R+X, so the first write would
// fault at run time) or SHF_COMPRESSED (its compressed bytes would load as the contents) is
// unsupported_section/sh_flags.
template <class F, class Check>
constexpr bool c22_forbidden_flags(Check const& c) {
  return c(sec<F>(idx::text, field::sh_flags, AX | elf::SHF_WRITE),
           section_error(errc::unsupported_section, field::sh_flags, idx::text, static_cast<std::int64_t>(AX | elf::SHF_WRITE)))
      && c(sec<F>(idx::rodata, field::sh_flags, A | elf::SHF_COMPRESSED),
           section_error(errc::unsupported_section, field::sh_flags, idx::rodata, static_cast<std::int64_t>(A | elf::SHF_COMPRESSED)));
}
EXTLOAD_MALFORMED_CASE(c22_forbidden_flags, "22 SHF_WRITE|SHF_EXECINSTR and SHF_COMPRESSED on loaded sections")

// --- 23. groups, SHT_SYMTAB_SHNDX, processor-specific types ------------------------------------------------
// Group image: base sections 1-5, 6 .text.g, 7 .group {6}; symbol 7 = g_fn (signature).
namespace grp {
inline constexpr std::uint32_t group = 7, shnum = 13, nsyms = 8;
}
template <class F>
constexpr image<F> grouped() {
  auto b = base_builder<F>();
  b.section(".text.g", elf::SHT_PROGBITS, AX, bytes{0xc3}, 1).group(".group", "g_fn", {".text.g"})
      .symbol("g_fn", elf::STB_GLOBAL, elf::STT_FUNC, ".text.g", 0, 1);
  return b.template build<capacity>();
}
template <class F>
inline constexpr image<F> group_img = grouped<F>();
template <class F>
constexpr image<F> grp_with(field f, std::uint64_t v) {
  image<F> img = group_img<F>;
  img.patch_section(grp::group, f, v);
  return img;
}
template <class F>
constexpr image<F> grp_member(std::uint32_t v) {
  image<F> img = group_img<F>;
  img.patch_group_word(grp::group, 1, v);
  return img;
}
template <class F, class Check>
constexpr bool c23_groups(Check const& c) {
  auto member = [](std::int64_t v) { return want{errc::bad_group, field::grp_member, grp::group, no_index, no_index, v, 1, grp::shnum - 1}; };
  auto g = [](field f, std::int64_t v) { return section_error(errc::bad_group, f, grp::group, v); };
  auto const S = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
  return c(group_img<F>, accepted)
      && boundary(c, grp_with<F>(field::sh_info, grp::nsyms - 1), grp_with<F>(field::sh_info, grp::nsyms),
                  {errc::bad_group, field::sh_info, grp::group, no_index, no_index, grp::nsyms, 0, grp::nsyms - 1})
      && c(grp_with<F>(field::sh_info, 0xffffffffu), {errc::bad_group, field::sh_info, grp::group, no_index, no_index, 0xffffffff, 0, grp::nsyms - 1})
      && c(grp_member<F>(0), member(0))
      && boundary(c, grp_member<F>(grp::shnum - 1), grp_member<F>(grp::shnum), member(grp::shnum))
      && c(grp_member<F>(grp::group), member(grp::group))
      && c(grp_with<F>(field::sh_entsize, 8), {errc::bad_group, field::sh_entsize, grp::group, no_index, no_index, 8, 4, 4})
      && c(grp_with<F>(field::sh_size, 0), g(field::sh_size, 0))
      && c(grp_with<F>(field::sh_size, 6), g(field::sh_size, 6))
      && c(grp_with<F>(field::sh_link, grp::shnum - 2), g(field::sh_link, S(grp::shnum - 2))); // .strtab
}
EXTLOAD_MALFORMED_CASE(c23_groups, "23 SHT_GROUP: signature symbol, member indices, entry size, size, link")

template <class F, class Check>
constexpr bool c23_symtab_shndx(Check const& c) {
  return c(arr_with<F>(arr::shndx, field::sh_size, 4 * (idx::nsyms - 1)), section_error(errc::bad_section, field::sh_size, arr::shndx, 4 * (idx::nsyms - 1)))
      && c(arr_with<F>(arr::shndx, field::sh_link, arr::symtab + 2), section_error(errc::bad_section, field::sh_link, arr::shndx, arr::symtab + 2))
      && c(arr_with<F>(arr::shndx, field::sh_link, 0), section_error(errc::bad_section, field::sh_link, arr::shndx, 0));
}
EXTLOAD_MALFORMED_CASE(c23_symtab_shndx, "23 SHT_SYMTAB_SHNDX with fewer entries than symbols, or linked elsewhere")

// More SHT_SYMTAB_SHNDX entries than symbols is rejected by the parser (LLVM rejects any
// difference). An SHF_ALLOC section of a processor-specific type (gABI: SHT_LOPROC..SHT_HIPROC)
// the relocation set does not know would be loaded as data: the loader rejects it before its
// first allocation (the parser knows no architecture, so at parse level it is accepted). A type
// the set knows (x86-64: SHT_X86_64_UNWIND) loads, and so does an unknown one that is not loaded.
template <class F, class Check>
constexpr bool c23_semantics(Check const& c) {
  auto proc = [](std::uint32_t type, std::uint64_t flags) {
    auto b = base_builder<F>();
    b.section(".proc", type, flags, bytes{1, 2, 3, 4}, 4); // section 6
    return b.template build<capacity>();
  };
  auto unknown = [](std::int64_t type) { return loader_only<Check>(section_error(errc::unsupported_section, field::sh_type, 6, type)); };
  return c(arr_with<F>(arr::shndx, field::sh_size, 4 * (idx::nsyms + 1)), section_error(errc::bad_section, field::sh_size, arr::shndx, 4 * (idx::nsyms + 1)))
      && c(proc(0x7000abcd, A), unknown(0x7000abcd))
      && c(proc(elf::SHT_LOPROC, AW), unknown(elf::SHT_LOPROC))
      && c(proc(elf::SHT_HIPROC, AX), unknown(elf::SHT_HIPROC))
      && c(proc(elf::SHT_X86_64_UNWIND, A), accepted)
      && c(proc(0x7000abcd, 0), accepted);
}
EXTLOAD_MALFORMED_CASE(c23_semantics, "23 SHT_SYMTAB_SHNDX with more entries than symbols; unknown SHT_LOPROC section with SHF_ALLOC")

} // namespace
