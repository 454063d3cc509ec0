// tests/elf/symbol.test.cpp: object_view<Format>::symbol_at() and symbol_name() (gABI "Symbol
// Table"): every field decoded in the format's layout (Elf32_Sym and Elf64_Sym order differ),
// and each per-symbol validation: index range, st_name inside .strtab, st_shndx (reserved
// values, out of range, SHN_XINDEX through SHT_SYMTAB_SHNDX), st_value inside its section (not
// for STT_TLS), and SHN_COMMON alignment (st_value is the alignment, a power of two).
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
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
  TEST_CASE_TEMPLATE("elf symbol: " name, Format, EXTLOAD_ALL_FORMATS) { CHECK(fn<Format>()); }

// Sections: 1 .text (4 bytes), 2 .data (8), 3 .bss (64, NOBITS), 4 .tdata (4, TLS), 5 .symtab,
// 6 .strtab, 7 .shstrtab. Symbols: 0 null, locals 1 a.c, 2 section .text, 3 local_fn, then
// 4 main, 5 counter, 6 buf, 7 printk, 8 weak_ref, 9 konst, 10 shared, 11 tls_var.
template <class F>
constexpr auto sample() {
  return elf_builder<F>{}
      .machine(EM_X86_64)
      .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0x90, 0xc3, 0x90, 0xc3}, 16)
      .section(".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, bytes{1, 2, 3, 4, 5, 6, 7, 8}, 8)
      .section(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, size(64), 8)
      .section(".tdata", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE | SHF_TLS, bytes{0, 0, 0, 0}, 4)
      .symbol("main", STB_GLOBAL, STT_FUNC, ".text", 0, 2, STV_HIDDEN)
      .symbol("counter", STB_GLOBAL, STT_OBJECT, ".data", 4, 4, STV_PROTECTED)
      .symbol("buf", STB_GLOBAL, STT_OBJECT, ".bss", 64, 0) // one past the end: allowed (end marker)
      .file_symbol("a.c")
      .section_symbol(".text")
      .symbol("local_fn", STB_LOCAL, STT_FUNC, ".text", 2, 2)
      .symbol("printk", STB_GLOBAL, STT_NOTYPE, undefined)
      .symbol("weak_ref", STB_WEAK, STT_NOTYPE, undefined)
      .symbol("konst", STB_GLOBAL, STT_NOTYPE, absolute, 0x12345678)
      .symbol("shared", STB_GLOBAL, STT_OBJECT, common, 8, 32)
      .symbol("tls_var", STB_GLOBAL, STT_TLS, ".tdata", 0, 4)
      .build();
}
inline constexpr std::uint32_t text = 1, data = 2, bss = 3, tdata = 4, strtab = 6, shnum = 8, nsyms = 12;

template <class F, std::size_t N>
constexpr auto parse(elf_image<F, N> const& img) {
  return object_view<F>::parse(img.view());
}
// Parse (must succeed) and read symbol k.
template <class F, std::size_t N>
constexpr result<symbol> sym(elf_image<F, N> const& img, std::uint32_t k) {
  auto const r = parse(img);
  if (!r) return r.error();
  return r->symbol_at(k);
}
template <class F, std::size_t N>
constexpr bool sym_fails(elf_image<F, N> const& img, std::uint32_t k, expected const& e) {
  return parse(img).has_value() && fails_with(sym(img, k), e);
}

// --- round trip ---------------------------------------------------------------------------------

struct want {
  std::string_view name;
  std::uint8_t bind, type, other;
  std::uint32_t shndx;
  std::uint64_t value, size;
};

template <class F>
constexpr bool symbols_round_trip() {
  auto const img = sample<F>();
  auto const r = parse(img);
  if (!r || r->symbol_count() != nsyms || r->first_global() != 4) return false;
  constexpr want table[] = {
      {"", STB_LOCAL, STT_NOTYPE, 0, SHN_UNDEF, 0, 0},
      {"a.c", STB_LOCAL, STT_FILE, 0, SHN_ABS, 0, 0},
      {"", STB_LOCAL, STT_SECTION, 0, text, 0, 0},
      {"local_fn", STB_LOCAL, STT_FUNC, 0, text, 2, 2},
      {"main", STB_GLOBAL, STT_FUNC, STV_HIDDEN, text, 0, 2},
      {"counter", STB_GLOBAL, STT_OBJECT, STV_PROTECTED, data, 4, 4},
      {"buf", STB_GLOBAL, STT_OBJECT, 0, bss, 64, 0},
      {"printk", STB_GLOBAL, STT_NOTYPE, 0, SHN_UNDEF, 0, 0},
      {"weak_ref", STB_WEAK, STT_NOTYPE, 0, SHN_UNDEF, 0, 0},
      {"konst", STB_GLOBAL, STT_NOTYPE, 0, SHN_ABS, 0x12345678, 0},
      {"shared", STB_GLOBAL, STT_OBJECT, 0, SHN_COMMON, 8, 32},
      {"tls_var", STB_GLOBAL, STT_TLS, 0, tdata, 0, 4},
  };
  bool ok = true;
  for (std::uint32_t k = 0; k < nsyms; ++k) {
    auto const s = r->symbol_at(k);
    if (!s) return false;
    auto const n = r->symbol_name(*s);
    want const& w = table[k];
    ok = ok && n && n.value() == w.name && s->bind() == w.bind && s->type() == w.type && s->visibility() == w.other &&
         s->other == w.other && s->shndx == w.shndx && s->shndx_raw == w.shndx && s->value == w.value &&
         s->size == w.size && s->info == ((w.bind << 4) | w.type) && s->is_local() == (w.bind == STB_LOCAL) &&
         s->is_undefined() == (w.shndx == SHN_UNDEF) && s->is_abs() == (w.shndx == SHN_ABS) &&
         s->is_common() == (w.shndx == SHN_COMMON);
  }
  return ok;
}
EXTLOAD_CHECK_FORMATS(symbols_round_trip, "every field of every symbol round-trips")

template <class F>
constexpr bool st_info_and_other_bits() {
  auto img = sample<F>();
  auto const k = img.symbol_index("main");
  img.patch_symbol(k, field::st_info, (STB_GNU_UNIQUE << 4) | STT_GNU_IFUNC).patch_symbol(k, field::st_other, 0xfc | STV_INTERNAL);
  auto const s = sym(img, k);
  return s && s->bind() == STB_GNU_UNIQUE && s->type() == STT_GNU_IFUNC && s->visibility() == STV_INTERNAL &&
         s->other == (0xfc | STV_INTERNAL);
}
EXTLOAD_CHECK_FORMATS(st_info_and_other_bits, "st_info splits into bind/type, visibility is st_other & 3")

// --- index, st_name ----------------------------------------------------------------------------

template <class F>
constexpr bool index_in_range() {
  auto const img = sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  auto const past = r->symbol_at(nsyms);
  auto const huge = r->symbol_at(0xffffffffu);
  return r->symbol_at(nsyms - 1).has_value() &&
         fails_with(past, {.code = errc::bad_symbol, .what = field::r_sym, .symbol = nsyms, .value = nsyms}) &&
         past.error().min == 0 && past.error().max == nsyms - 1 &&
         fails_with(huge, {.code = errc::bad_symbol, .what = field::r_sym, .symbol = 0xffffffffu, .value = 0xffffffff});
}
EXTLOAD_CHECK_FORMATS(index_in_range, "symbol_at(i): i < symbol count")

// gABI: a relocatable file has a symbol table; without one nothing can be exported or relocated,
// so parse() rejects the object (no section index: the missing table has none). A view that
// holds no symbols (default-constructed) answers every symbol_at() with an index error.
template <class F>
constexpr bool no_symtab_no_symbols() {
  auto const img = elf_builder<F>{}.section(".text", SHT_PROGBITS, SHF_ALLOC, bytes{0xc3}, 1).without_symtab().build();
  object_view<F> const empty{};
  return fails_with(parse(img), {.code = errc::bad_section, .what = field::sh_type, .value = SHT_SYMTAB}) &&
         empty.symbol_count() == 0 && empty.symtab_index() == 0 &&
         fails_with(empty.symbol_at(0), {.code = errc::bad_symbol, .what = field::r_sym, .symbol = 0, .value = 0});
}
EXTLOAD_CHECK_FORMATS(no_symtab_no_symbols, "an object without .symtab is rejected; a view without symbols has none")

template <class F>
constexpr bool st_name_in_range() {
  auto last = sample<F>(), past = sample<F>();
  auto const k = last.symbol_index("counter");
  auto const n = last.get_section(strtab, field::sh_size);
  last.patch_symbol(k, field::st_name, n - 1); // the final NUL: an empty name
  past.patch_symbol(k, field::st_name, n);
  auto const s = sym(last, k);
  auto const r = parse(last);
  return s && r && r->symbol_name(*s) && r->symbol_name(*s).value().empty() &&
         sym_fails(past, k, {.code = errc::bad_string, .what = field::st_name, .symbol = k, .value = static_cast<std::int64_t>(n)});
}
EXTLOAD_CHECK_FORMATS(st_name_in_range, "st_name inside .strtab")

// --- st_shndx -------------------------------------------------------------------------------------

template <class F>
constexpr bool reserved_shndx_rejected() {
  bool ok = true;
  for (std::uint16_t x : {SHN_LORESERVE, std::uint16_t{0xff1f}, std::uint16_t{0xff20}, std::uint16_t{0xfff0},
                          std::uint16_t{0xfff3}, std::uint16_t{0xfffe}}) {
    auto img = sample<F>();
    auto const k = img.symbol_index("counter");
    img.patch_symbol(k, field::st_shndx, x);
    ok = ok && sym_fails(img, k, {.code = errc::bad_symbol, .what = field::st_shndx, .symbol = k, .value = x});
  }
  return ok;
}
EXTLOAD_CHECK_FORMATS(reserved_shndx_rejected, "reserved st_shndx other than ABS/COMMON/XINDEX rejected")

template <class F>
constexpr bool shndx_in_range() {
  auto last = sample<F>(), past = sample<F>();
  auto const k = last.symbol_index("counter");
  last.patch_symbol(k, field::st_shndx, shnum - 1).patch_symbol(k, field::st_value, 0);
  past.patch_symbol(k, field::st_shndx, shnum).patch_symbol(k, field::st_value, 0);
  auto const s = sym(last, k);
  auto const e = sym(past, k);
  return s && s->shndx == shnum - 1 &&
         fails_with(e, {.code = errc::bad_symbol, .what = field::st_shndx, .symbol = k, .value = shnum}) &&
         e.error().min == 0 && e.error().max == shnum - 1;
}
EXTLOAD_CHECK_FORMATS(shndx_in_range, "st_shndx < shnum")

// 1 .text, 2 .data, 3 .symtab, 4 .symtab_shndx, 5 .strtab, 6 .shstrtab; symbols 0 null, 1 main
// (SHN_XINDEX -> 1), 2 counter (SHN_XINDEX -> 2), 3 printk (SHN_UNDEF, table entry 0).
template <class F>
constexpr auto xindex_sample() {
  return elf_builder<F>{}
      .with_symtab_shndx()
      .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0x90, 0xc3}, 4)
      .section(".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, bytes{1, 2, 3, 4, 5, 6, 7, 8}, 4)
      .symbol("main", STB_GLOBAL, STT_FUNC, ".text", 0, 2)
      .symbol("counter", STB_GLOBAL, STT_OBJECT, ".data", 4, 4)
      .symbol("printk", STB_GLOBAL, STT_NOTYPE, undefined)
      .build();
}
template <class F>
constexpr bool xindex_resolved() {
  auto const img = xindex_sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  auto const m = r->symbol_at(1), c = r->symbol_at(2), p = r->symbol_at(3);
  return m && m->shndx_raw == SHN_XINDEX && m->shndx == 1 && c && c->shndx_raw == SHN_XINDEX && c->shndx == 2 &&
         c->value == 4 && p && p->is_undefined() && r->symbol_name(*c) && r->symbol_name(*c).value() == "counter";
}
EXTLOAD_CHECK_FORMATS(xindex_resolved, "SHN_XINDEX resolves through SHT_SYMTAB_SHNDX")

template <class F>
constexpr bool xindex_checked() {
  constexpr std::uint32_t x = 4, n = 7;
  auto zero = xindex_sample<F>(), past = xindex_sample<F>(), last = xindex_sample<F>(), value = xindex_sample<F>();
  zero.patch_u32(zero.data_offset(x, 4 * 2), 0);
  past.patch_u32(past.data_offset(x, 4 * 2), n);
  last.patch_u32(last.data_offset(x, 4 * 2), n - 1).patch_symbol(2, field::st_value, 0);
  value.patch_symbol(2, field::st_value, 9); // .data has 8 bytes
  auto const l = sym(last, 2);
  auto const v = sym(value, 2);
  auto no_table = sample<F>();
  auto const k = no_table.symbol_index("counter");
  no_table.patch_symbol(k, field::st_shndx, SHN_XINDEX);
  return sym_fails(zero, 2, {.code = errc::bad_symbol, .what = field::st_shndx, .symbol = 2, .value = 0}) &&
         sym_fails(past, 2, {.code = errc::bad_symbol, .what = field::st_shndx, .symbol = 2, .value = n}) &&
         l && l->shndx == n - 1 &&
         fails_with(v, {.code = errc::bad_symbol, .what = field::st_value, .section = 2, .symbol = 2, .value = 9}) &&
         sym_fails(no_table, k, {.code = errc::bad_symbol, .what = field::st_shndx, .symbol = k, .value = SHN_XINDEX});
}
EXTLOAD_CHECK_FORMATS(xindex_checked, "SHN_XINDEX: table entry in [1, shnum), table required")

// --- st_value -------------------------------------------------------------------------------------

template <class F>
constexpr bool value_inside_section() {
  auto end = sample<F>(), past = sample<F>(), bss_past = sample<F>(), tls = sample<F>(), abs = sample<F>(),
       undef = sample<F>();
  auto const m = end.symbol_index("main"), b = end.symbol_index("buf"), t = end.symbol_index("tls_var"),
             a = end.symbol_index("konst"), u = end.symbol_index("printk");
  end.patch_symbol(m, field::st_value, 4); // .text is 4 bytes: the end is a valid address
  end.patch_symbol(m, field::st_size, 0);  // (for an empty symbol: st_value + st_size <= size)
  past.patch_symbol(m, field::st_value, 5);
  bss_past.patch_symbol(b, field::st_value, 65);
  tls.patch_symbol(t, field::st_value, 0x1000);   // TLS offsets are not section offsets here
  abs.patch_symbol(a, field::st_value, ~std::uint64_t{0});
  undef.patch_symbol(u, field::st_value, 0x99);
  auto const e = sym(past, m);
  return sym(end, m).has_value() &&
         fails_with(e, {.code = errc::bad_symbol, .what = field::st_value, .section = text, .symbol = m, .value = 5}) &&
         e.error().min == 0 && e.error().max == 4 &&
         sym_fails(bss_past, b, {.code = errc::bad_symbol, .what = field::st_value, .section = bss, .symbol = b, .value = 65}) &&
         sym(tls, t).has_value() && sym(abs, a).has_value() && sym(undef, u).has_value();
}
EXTLOAD_CHECK_FORMATS(value_inside_section, "st_value <= section size (not TLS, ABS, UNDEF)")

template <class F>
constexpr bool common_alignment() {
  bool ok = true;
  for (std::uint64_t v : {1u, 2u, 8u, 4096u, 0x80000000u}) {
    auto img = sample<F>();
    auto const k = img.symbol_index("shared");
    img.patch_symbol(k, field::st_value, v);
    auto const s = sym(img, k);
    ok = ok && s && s->is_common() && s->value == v;
  }
  for (std::uint64_t v : {0u, 3u, 24u, 0x80000001u}) {
    auto img = sample<F>();
    auto const k = img.symbol_index("shared");
    img.patch_symbol(k, field::st_value, v);
    ok = ok && sym_fails(img, k, {.code = errc::bad_symbol, .what = field::st_value, .symbol = k, .value = static_cast<std::int64_t>(v)});
  }
  return ok;
}
EXTLOAD_CHECK_FORMATS(common_alignment, "SHN_COMMON: st_value is a power-of-two alignment")

// --- SHN_XINDEX into sections numbered >= SHN_LORESERVE (run time: ~65 500 sections) --------------
//
// After SHN_XINDEX resolution symbol::shndx holds a real section index, which can be
// >= SHN_LORESERVE once an object has more than 0xff00 sections: a symbol defined in section
// 0xfff1 must not read as absolute, nor one in 0xfff2 as common, and st_value is still checked.

template <class F>
void check_symbols_in_high_sections() {
  constexpr std::size_t capacity = std::size_t{5} << 20;
  elf_builder<F> b;
  for (std::uint32_t i = 1; i < SHN_ABS; ++i) b.section(".x", SHT_PROGBITS, 0, size(0));
  b.section(".looks_abs", SHT_PROGBITS, SHF_ALLOC, bytes{1, 2, 3, 4}, 1)   // index 0xfff1
      .section(".looks_common", SHT_PROGBITS, SHF_ALLOC, bytes{1, 2, 3, 4}, 1) // index 0xfff2
      .symbol("in_fff1", STB_GLOBAL, STT_OBJECT, ".looks_abs", 0, 4)
      .symbol("past_fff1", STB_GLOBAL, STT_OBJECT, ".looks_abs", 8, 4)
      .symbol("in_fff2", STB_GLOBAL, STT_OBJECT, ".looks_common", 0, 4);
  auto img = std::make_unique<elf_image<F, capacity>>();
  b.build_into(*img);
  REQUIRE(img->get(field::e_shnum) == 0); // extended numbering, chosen by the builder
  auto const r = object_view<F>::parse(img->view());
  REQUIRE(r.has_value());
  CHECK(r->section_count() > SHN_COMMON);
  auto const in1 = r->symbol_at(img->symbol_index("in_fff1"));
  auto const past = r->symbol_at(img->symbol_index("past_fff1"));
  auto const in2 = r->symbol_at(img->symbol_index("in_fff2"));
  REQUIRE(in1.has_value());
  CHECK(in1->shndx_raw == SHN_XINDEX);
  CHECK(in1->shndx == SHN_ABS); // the real section index 0xfff1
  CHECK_FALSE(in1->is_abs());
  CHECK(fails_with(past, {.code = errc::bad_symbol, .what = field::st_value, .section = SHN_ABS,
                          .symbol = img->symbol_index("past_fff1"), .value = 8}));
  REQUIRE(in2.has_value());
  CHECK(in2->shndx == SHN_COMMON);
  CHECK_FALSE(in2->is_common());
}
TEST_CASE_TEMPLATE("elf symbol: SHN_XINDEX symbols in sections numbered >= SHN_LORESERVE", Format, EXTLOAD_ALL_FORMATS) {
  check_symbols_in_high_sections<Format>();
}

} // namespace
