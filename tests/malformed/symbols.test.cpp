// tests/malformed/symbols.test.cpp: MALFORMED.md classes 24-28, symbols (gABI "Symbol Table"):
// st_name, st_shndx (range, reserved values, SHN_XINDEX, SHN_COMMON), the symbol table's sh_info
// and the locals-first rule, symbols outside their section, undefined and duplicate symbols.
// Parse-level classes run in static_assert (four formats), at run time and through the x86-64
// loader; resolution classes (28) through the loader only.
#include <cstdint>

#include "malformed/harness.hpp"

namespace {

using namespace extload;
using namespace extload::test;
using namespace extload::test::malformed;

template <class F>
constexpr image<F> sym(std::uint32_t k, field f, std::uint64_t v) {
  image<F> img = base_img<F>;
  img.patch_symbol(k, f, v);
  return img;
}
constexpr want symbol_error(errc e, field f, std::uint32_t k, std::int64_t v) { return {e, f, no_index, k, no_index, v}; }

// --- 24. st_name -----------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c24_st_name(Check const& c) {
  auto const n = static_cast<std::int64_t>(base_img<F>.layout.strtab_size);
  return boundary(c, sym<F>(idx::local_data, field::st_name, static_cast<std::uint64_t>(n - 1)), sym<F>(idx::local_data, field::st_name, static_cast<std::uint64_t>(n)),
                  symbol_error(errc::bad_string, field::st_name, idx::local_data, n))
      && c(sym<F>(idx::ext_fn, field::st_name, 0xffffffffu), symbol_error(errc::bad_string, field::st_name, idx::ext_fn, 0xffffffff))
      && c(sym<F>(idx::imp_data, field::st_name, static_cast<std::uint64_t>(n + 1)), symbol_error(errc::bad_string, field::st_name, idx::imp_data, n + 1));
}
EXTLOAD_MALFORMED_CASE(c24_st_name, "24 st_name at or past the end of the string table")

// --- 25. st_shndx -------------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c25_st_shndx(Check const& c) {
  auto shndx = [](std::uint32_t k, std::int64_t v) { return symbol_error(errc::bad_symbol, field::st_shndx, k, v); };
  // ext_buf is not referenced: defined in a section that is not loaded, it is simply not exported.
  return boundary(c, sym<F>(idx::ext_buf, field::st_shndx, idx::shnum - 1), sym<F>(idx::ext_buf, field::st_shndx, idx::shnum),
                  {errc::bad_symbol, field::st_shndx, no_index, idx::ext_buf, no_index, idx::shnum, 0, idx::shnum - 1})
      && c(sym<F>(idx::ext_buf, field::st_shndx, elf::SHN_LORESERVE), shndx(idx::ext_buf, elf::SHN_LORESERVE))
      && c(sym<F>(idx::ext_buf, field::st_shndx, 0xff1f), shndx(idx::ext_buf, 0xff1f))   // SHN_HIPROC
      && c(sym<F>(idx::ext_buf, field::st_shndx, 0xff20), shndx(idx::ext_buf, 0xff20))   // SHN_LOOS
      && c(sym<F>(idx::ext_buf, field::st_shndx, 0xfffe), shndx(idx::ext_buf, 0xfffe))   // Zephyr b0cda7f5
      && c(sym<F>(idx::ext_buf, field::st_shndx, elf::SHN_XINDEX), shndx(idx::ext_buf, elf::SHN_XINDEX)) // no SYMTAB_SHNDX
      && c(sym<F>(idx::ext_buf, field::st_shndx, elf::SHN_ABS), accepted);
}
EXTLOAD_MALFORMED_CASE(c25_st_shndx, "25 st_shndx >= e_shnum, processor/OS-reserved, SHN_XINDEX without a table")

template <class F>
constexpr image<F> common_sym(std::uint64_t align) {
  image<F> img = sym<F>(idx::ext_buf, field::st_shndx, elf::SHN_COMMON);
  img.patch_symbol(idx::ext_buf, field::st_value, align); // SHN_COMMON: st_value is the alignment
  return img;
}
template <class F, class Check>
constexpr bool c25_common(Check const& c) {
  auto bad = [](std::int64_t v) { return symbol_error(errc::bad_symbol, field::st_value, idx::ext_buf, v); };
  image<F> local_common = common_sym<F>(8);
  local_common.patch_symbol(idx::local_data, field::st_shndx, elf::SHN_COMMON);
  return c(common_sym<F>(8), accepted)
      && c(common_sym<F>(0), bad(0))
      && c(common_sym<F>(3), bad(3))
      && c(common_sym<F>(24), bad(24))
      // A local common symbol has no meaning (gABI: SHN_COMMON symbols are unallocated globals).
      && c.late()(local_common, loader_only<Check>(symbol_error(errc::bad_symbol, field::st_shndx, idx::local_data, elf::SHN_COMMON)));
}
EXTLOAD_MALFORMED_CASE(c25_common, "25 SHN_COMMON with an alignment that is 0 or not a power of two, or a local common")

// SHN_XINDEX through SHT_SYMTAB_SHNDX: the extended index itself must be a real section.
template <class F>
constexpr image<F> xindexed() {
  auto b = base_builder<F>();
  b.with_symtab_shndx();
  return b.template build<capacity>();
}
template <class F>
inline constexpr image<F> xindex_img = xindexed<F>();
template <class F>
constexpr image<F> xindex_entry(std::uint32_t k, std::uint32_t v) {
  image<F> img = xindex_img<F>;
  img.patch_u32(img.data_offset(img.layout.symtab_shndx, 4 * k), v);
  return img;
}
template <class F, class Check>
constexpr bool c25_xindex(Check const& c) {
  std::uint32_t const shnum = xindex_img<F>.layout.shnum;
  return c(xindex_img<F>, accepted)
      && xindex_img<F>.get_symbol(idx::ext_buf, field::st_shndx) == elf::SHN_XINDEX
      && c(xindex_entry<F>(idx::ext_buf, 0), symbol_error(errc::bad_symbol, field::st_shndx, idx::ext_buf, 0))
      && boundary(c, xindex_entry<F>(idx::ext_buf, shnum - 1), xindex_entry<F>(idx::ext_buf, shnum),
                  symbol_error(errc::bad_symbol, field::st_shndx, idx::ext_buf, shnum))
      && c(xindex_entry<F>(idx::ext_buf, 0xffffffffu), symbol_error(errc::bad_symbol, field::st_shndx, idx::ext_buf, -1 + (std::int64_t{1} << 32)));
}
EXTLOAD_MALFORMED_CASE(c25_xindex, "25 SHN_XINDEX whose SYMTAB_SHNDX entry is 0 or >= e_shnum")

// --- 26. symbol table sh_info and the locals-first rule ---------------------------------------------------
template <class F>
constexpr image<F> locals_only() {
  return elf_builder<F>{}.machine(machine_of<F>).section(".text", elf::SHT_PROGBITS, AX, bytes{0xc3}, 1)
      .symbol("a", elf::STB_LOCAL, elf::STT_FUNC, ".text", 0, 1).symbol("b", elf::STB_LOCAL, elf::STT_NOTYPE, ".text", 1, 0)
      .template build<capacity>();
}
template <class F, class Check>
constexpr bool c26_symtab_info(Check const& c) {
  image<F> const l = locals_only<F>(); // 3 symbols, all local: sh_info 3 is valid
  std::uint32_t const st = l.layout.symtab;
  image<F> l3 = l, l4 = l;
  l3.patch_section(st, field::sh_info, 3);
  l4.patch_section(st, field::sh_info, 4);
  std::uint8_t const global_object = (elf::STB_GLOBAL << 4) | elf::STT_OBJECT;
  std::uint8_t const local_object = (elf::STB_LOCAL << 4) | elf::STT_OBJECT;
  std::uint8_t const local_info = static_cast<std::uint8_t>(base_img<F>.get_symbol(idx::local_data, field::st_info));
  return boundary(c, l3, l4, {errc::bad_section, field::sh_info, st, no_index, no_index, 4, 0, 3})
      && c(sym<F>(idx::local_data, field::st_info, global_object), {errc::bad_symbol, field::st_info, no_index, idx::local_data, no_index, global_object, 0, idx::ext_fn})
      && c(sym<F>(idx::ext_obj, field::st_info, local_object), {errc::bad_symbol, field::st_info, no_index, idx::ext_obj, no_index, local_object, 0, idx::ext_fn})
      // sh_info 0: symbol 0 is local, so 0 is never right; the first local symbol is then misplaced.
      && c([] { image<F> i = base_img<F>; i.patch_section(idx::symtab, field::sh_info, 0); return i; }(),
           {errc::bad_symbol, field::st_info, no_index, idx::local_data, no_index, local_info, 0, 0})
      && c([] { image<F> i = base_img<F>; i.patch_section(idx::symtab, field::sh_info, idx::nsyms + 1); return i; }(),
           {errc::bad_section, field::sh_info, idx::symtab, no_index, no_index, idx::nsyms + 1, 0, idx::nsyms});
}
EXTLOAD_MALFORMED_CASE(c26_symtab_info, "26 symbol table sh_info past the count, 0, or not separating locals from globals")

// --- 27. symbols outside their section ---------------------------------------------------------------------
template <class F, class Check>
constexpr bool c27_outside(Check const& c) {
  auto value = [](std::uint32_t k, std::uint32_t s, std::int64_t v, std::int64_t size) {
    return want{errc::bad_symbol, field::st_value, s, k, no_index, v, 0, size};
  };
  // st_value == section size is an end marker (__stop_*, end of array): valid for an empty symbol.
  image<F> at_end = sym<F>(idx::ext_obj, field::st_value, 16), past = sym<F>(idx::ext_obj, field::st_value, 17);
  at_end.patch_symbol(idx::ext_obj, field::st_size, 0);
  past.patch_symbol(idx::ext_obj, field::st_size, 0);
  return boundary(c, at_end, past, value(idx::ext_obj, idx::data, 17, 16))
      && c(sym<F>(idx::ext_fn, field::st_value, F::is_64 ? ~std::uint64_t{0} : 0xffffffffu),
           value(idx::ext_fn, idx::text, F::is_64 ? std::int64_t{-1} : std::int64_t{0xffffffff}, 16))
      && c(sym<F>(idx::ext_buf, field::st_value, 33), value(idx::ext_buf, idx::bss, 33, 32));
}
EXTLOAD_MALFORMED_CASE(c27_outside, "27 st_value past the end of the defining section")

// An object or function whose st_value + st_size passes the end of its defining section would
// extend into whatever follows it in its region: bad_symbol/st_size + section + symbol, range
// [0, sh_size - st_value] (for an ARM Thumb function, st_value without bit 0).
template <class F, class Check>
constexpr bool c27_size(Check const& c) {
  image<F> fits = sym<F>(idx::ext_obj, field::st_value, 8), over = fits, wraps = fits;
  over.patch_symbol(idx::ext_obj, field::st_size, 9);
  wraps.patch_symbol(idx::ext_obj, field::st_size, F::is_64 ? ~std::uint64_t{0} : 0xffffffffu);
  // Functions too. ext_fn at st_value 1 in the 16-byte .text: on ARM (the ELF32 base image) bit 0
  // is the Thumb bit (AAELF32 §5.5.3), so the code starts at 0 and 16 bytes fit; on x86-64, 15.
  std::uint64_t const room = F::is_64 ? 15 : 16;
  image<F> fn_fits = sym<F>(idx::ext_fn, field::st_value, 1), fn_over = fn_fits;
  fn_fits.patch_symbol(idx::ext_fn, field::st_size, room);
  fn_over.patch_symbol(idx::ext_fn, field::st_size, room + 1);
  auto const r = static_cast<std::int64_t>(room);
  return boundary(c, fits, over, {errc::bad_symbol, field::st_size, idx::data, idx::ext_obj, no_index, 9, 0, 8})
      && c(wraps, {errc::bad_symbol, field::st_size, idx::data, idx::ext_obj, no_index, F::is_64 ? std::int64_t{-1} : std::int64_t{0xffffffff}, 0, 8})
      && boundary(c, fn_fits, fn_over, {errc::bad_symbol, field::st_size, idx::text, idx::ext_fn, no_index, r + 1, 0, r});
}
EXTLOAD_MALFORMED_CASE(c27_size, "27 st_value + st_size past the end of the defining section")

// --- 28. undefined and duplicate symbols (resolution: the loader only) ---------------------------------------
TEST_CASE("malformed: 28 a non-weak undefined symbol nothing resolves is rejected by name") {
  auto const o = try_load(base_img<elf64le>.view(), {}, load_options{});
  CHECK(is(o.error, {errc::undefined_symbol, field::st_name, no_index, idx::imp_fn}));
  CHECK(o.error.name_view() == "imp_fn");
  CHECK(o.clean);
  // The same symbol weak: resolved to 0 (the code tests its address before use).
  image<elf64le> weak = base_img<elf64le>;
  weak.patch_symbol(idx::imp_fn, field::st_info, (elf::STB_WEAK << 4) | elf::STT_NOTYPE)
      .patch_symbol(idx::imp_data, field::st_info, (elf::STB_WEAK << 4) | elf::STT_NOTYPE);
  auto const w = try_load(weak.view(), {}, load_options{});
  CHECK(w.loaded());
  CHECK(w.clean);
}

TEST_CASE("malformed: 28 two strong definitions of one exported name in one object") {
  auto b = base_builder<elf64le>();
  b.symbol("ext_fn", elf::STB_GLOBAL, elf::STT_FUNC, ".text", 12, 1); // global index 7
  auto const img = b.build<capacity>();
  auto const o = try_load(img.view());
  CHECK(is(o.error, {errc::duplicate_symbol, field::st_name, no_index, 7}));
  CHECK(o.error.name_view() == "ext_fn");
  CHECK(o.clean);
  // Weak + strong of one name is the normal override: accepted.
  auto wb = base_builder<elf64le>();
  wb.symbol("ext_fn", elf::STB_WEAK, elf::STT_FUNC, ".text", 12, 1);
  auto const wi = wb.build<capacity>();
  CHECK(try_load(wi.view()).loaded());
}

// An import found at address 0 (here by the fallback resolver) is a null pointer, not a
// definition: the code would call or read through NULL. It counts as not found, as in Zephyr
// (-ENODATA): undefined_symbol for a strong import, 0 for a weak one (as if not found).
found_symbol resolve_to_null(void*, byte_string) { return {0, true, symbol_kind::unknown}; }
TEST_CASE("malformed: 28 an import resolved to NULL is rejected") {
  auto const o = try_load(base_img<elf64le>.view(), {}, load_options{resolver{&resolve_to_null, nullptr}});
  CHECK(is(o.error, {errc::undefined_symbol, field::st_name, no_index, idx::imp_fn, no_index, 0}));
  CHECK(o.error.name_view() == "imp_fn");
  CHECK(o.clean);
  // Weak imports resolved to NULL: the weak-undefined rule (0, no error).
  image<elf64le> weak = base_img<elf64le>;
  std::uint8_t const weak_notype = (elf::STB_WEAK << 4) | elf::STT_NOTYPE;
  weak.patch_symbol(idx::imp_fn, field::st_info, weak_notype).patch_symbol(idx::imp_data, field::st_info, weak_notype);
  CHECK(try_load(weak.view(), {}, load_options{resolver{&resolve_to_null, nullptr}}).loaded());
}

} // namespace
