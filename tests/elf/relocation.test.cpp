// tests/elf/relocation.test.cpp: SHT_REL / SHT_RELA sections in object_view<Format> (gABI
// "Relocation"): parse() checks sh_entsize (sizeof Rel / Rela of the class), sh_size a multiple of
// it, sh_link = the symbol table, sh_info = another section in range, and limits::max_relocations
// over all relocation sections; relocation_at<Rela>() splits r_info per class (ELF32: sym << 8 |
// type8; ELF64: sym << 32 | type32) and sign-extends r_addend.
#include <doctest/doctest.h>

#include <cstdint>

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
  TEST_CASE_TEMPLATE("elf relocation: " name, Format, EXTLOAD_ALL_FORMATS) { CHECK(fn<Format>()); }

// RELA: 1 .text, 2 .data, 3 .rela.text, 4 .rela.data, 5 .symtab, 6 .strtab, 7 .shstrtab.
// Symbols: 0 null, 1 section .data, 2 main, 3 printk.
template <class F>
constexpr auto rela_sample() {
  return elf_builder<F>{}
      .machine(EM_X86_64)
      .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, size(32), 16)
      .section(".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, size(16), 8)
      .section_symbol(".data")
      .symbol("main", STB_GLOBAL, STT_FUNC, ".text", 0, 32)
      .symbol("printk", STB_GLOBAL, STT_NOTYPE, undefined)
      .rela(".text", {1, "printk", 4, -4})
      .rela(".text", {8, section_sym{".data"}, 2, 0x7ffffff0})
      .rela(".data", {0, "main", 1, 0})
      .rela(".data", {8, sym_index{0}, 0, 0})
      .build();
}
// REL: 1 .text, 2 .rel.text, 3 .symtab, 4 .strtab, 5 .shstrtab. Symbols: 0 null, 1 f, 2 g.
template <class F>
constexpr auto rel_sample() {
  return elf_builder<F>{}
      .machine(EM_ARM)
      .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, size(16), 4)
      .symbol("f", STB_GLOBAL, STT_FUNC, ".text", 0, 16)
      .symbol("g", STB_GLOBAL, STT_NOTYPE, undefined)
      .rel(".text", {4, "g", 10})
      .rel(".text", {8, "f", 2})
      .build();
}
inline constexpr std::uint32_t rela_text = 3, rela_data = 4, rela_shnum = 8, rel_text = 2;

template <class F, std::size_t N>
constexpr auto parse(elf_image<F, N> const& img, limits const& lim = {}) {
  return object_view<F>::parse(img.view(), EM_NONE, lim);
}
template <class F, std::size_t N>
constexpr bool rejects(elf_image<F, N> const& img, expected const& e, limits const& lim = {}) {
  return fails_with(parse(img, lim), e);
}
constexpr bool same(relocation const& r, std::uint64_t offset, std::uint32_t sym, std::uint32_t type, std::int64_t addend) {
  return r.offset == offset && r.sym == sym && r.type == type && r.addend == addend;
}
template <class F>
constexpr std::size_t rel_size() { return F::elf_class_type::rel_size; }
template <class F>
constexpr std::size_t rela_size() { return F::elf_class_type::rela_size; }

// --- decoding ---------------------------------------------------------------------------------------

template <class F>
constexpr bool rela_entries_round_trip() {
  auto const img = rela_sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  section_header const t = r->section(rela_text), d = r->section(rela_data);
  return t.type == SHT_RELA && t.link == 5 && t.info == 1 && t.entsize == rela_size<F>() &&
         t.size == 2 * rela_size<F>() && t.flags == SHF_INFO_LINK && d.info == 2 &&
         r->section_name(rela_text) && r->section_name(rela_text).value() == ".rela.text" &&
         same(r->template relocation_at<true>(t, 0), 1, 3, 4, -4) &&
         same(r->template relocation_at<true>(t, 1), 8, 1, 2, 0x7ffffff0) &&
         same(r->template relocation_at<true>(d, 0), 0, 2, 1, 0) &&
         same(r->template relocation_at<true>(d, 1), 8, 0, 0, 0);
}
EXTLOAD_CHECK_FORMATS(rela_entries_round_trip, "SHT_RELA entries round-trip")

template <class F>
constexpr bool rel_entries_round_trip() {
  auto const img = rel_sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  section_header const t = r->section(rel_text);
  return t.type == SHT_REL && t.link == 3 && t.info == 1 && t.entsize == rel_size<F>() && t.size == 2 * rel_size<F>() &&
         r->section_name(rel_text) && r->section_name(rel_text).value() == ".rel.text" &&
         same(r->template relocation_at<false>(t, 0), 4, 2, 10, 0) &&
         same(r->template relocation_at<false>(t, 1), 8, 1, 2, 0);
}
EXTLOAD_CHECK_FORMATS(rel_entries_round_trip, "SHT_REL entries round-trip (no addend)")

// The extremes of each field: r_info split per class, r_addend sign-extended from its width.
template <class F>
constexpr bool field_extremes_decode() {
  auto img = rela_sample<F>();
  if constexpr (F::is_64) {
    img.patch_relocation(rela_text, 0, field::r_offset, ~std::uint64_t{0})
        .patch_relocation(rela_text, 0, field::r_info, 0xfffffffe00000003u)
        .patch_relocation(rela_text, 0, field::r_addend, std::uint64_t{1} << 63)
        .patch_relocation(rela_text, 1, field::r_sym, 0xffffffffu)
        .patch_relocation(rela_text, 1, field::r_type, 0xffffffffu)
        .patch_relocation(rela_text, 1, field::r_addend, ~std::uint64_t{0});
  } else {
    img.patch_relocation(rela_text, 0, field::r_offset, 0xffffffffu)
        .patch_relocation(rela_text, 0, field::r_info, 0xfffffe03u)
        .patch_relocation(rela_text, 0, field::r_addend, 0x80000000u)
        .patch_relocation(rela_text, 1, field::r_sym, 0xffffffu)
        .patch_relocation(rela_text, 1, field::r_type, 0xffu)
        .patch_relocation(rela_text, 1, field::r_addend, 0xffffffffu);
  }
  auto const r = parse(img);
  if (!r) return false;
  auto const a = r->template relocation_at<true>(r->section(rela_text), 0);
  auto const b = r->template relocation_at<true>(r->section(rela_text), 1);
  if constexpr (F::is_64)
    return same(a, ~std::uint64_t{0}, 0xfffffffeu, 3, INT64_MIN) && same(b, 8, 0xffffffffu, 0xffffffffu, -1);
  else
    return same(a, 0xffffffffu, 0xfffffeu, 3, INT32_MIN) && same(b, 8, 0xffffffu, 0xffu, -1);
}
EXTLOAD_CHECK_FORMATS(field_extremes_decode, "r_info split and r_addend sign extension at the extremes")

// --- section header validation ------------------------------------------------------------------------

template <class F>
constexpr bool entsize_checked() {
  constexpr auto A = rela_size<F>(), R = rel_size<F>();
  bool ok = true;
  for (std::uint64_t e : {std::uint64_t{A} - 1, std::uint64_t{A} + 1, std::uint64_t{R}, std::uint64_t{0}}) {
    auto img = rela_sample<F>();
    img.patch_section(rela_text, field::sh_entsize, e);
    auto const r = parse(img);
    ok = ok && fails_with(r, {.code = errc::bad_section, .what = field::sh_entsize, .section = rela_text, .value = static_cast<std::int64_t>(e)}) &&
         r.error().min == static_cast<std::int64_t>(A) && r.error().max == static_cast<std::int64_t>(A);
  }
  for (std::uint64_t e : {R - 1, R + 1, A}) {
    auto img = rel_sample<F>();
    img.patch_section(rel_text, field::sh_entsize, e);
    ok = ok && rejects(img, {.code = errc::bad_section, .what = field::sh_entsize, .section = rel_text, .value = static_cast<std::int64_t>(e)});
  }
  auto retyped = rel_sample<F>(); // SHT_REL relabelled SHT_RELA: the entry size gives it away
  retyped.patch_section(rel_text, field::sh_type, SHT_RELA);
  return ok && rejects(retyped, {.code = errc::bad_section, .what = field::sh_entsize, .section = rel_text, .value = static_cast<std::int64_t>(R)});
}
EXTLOAD_CHECK_FORMATS(entsize_checked, "sh_entsize = sizeof(Rel) / sizeof(Rela) of the class")

template <class F>
constexpr bool size_checked() {
  constexpr auto A = rela_size<F>(), R = rel_size<F>();
  auto ragged = rela_sample<F>(), ragged_rel = rel_sample<F>(), empty = rela_sample<F>(), one = rela_sample<F>();
  ragged.patch_section(rela_text, field::sh_size, 2 * A - 1);
  ragged_rel.patch_section(rel_text, field::sh_size, R + 1);
  empty.patch_section(rela_text, field::sh_size, 0);
  one.patch_section(rela_text, field::sh_size, A);
  return rejects(ragged, {.code = errc::bad_section, .what = field::sh_size, .section = rela_text, .value = static_cast<std::int64_t>(2 * A - 1)}) &&
         rejects(ragged_rel, {.code = errc::bad_section, .what = field::sh_size, .section = rel_text, .value = static_cast<std::int64_t>(R + 1)}) &&
         parse(empty).has_value() && parse(one).has_value();
}
EXTLOAD_CHECK_FORMATS(size_checked, "sh_size a multiple of sh_entsize (0 allowed)")

template <class F>
constexpr bool link_checked() {
  auto zero = rela_sample<F>(), to_strtab = rela_sample<F>(), at_n = rela_sample<F>(), rel_zero = rel_sample<F>();
  zero.patch_section(rela_text, field::sh_link, 0);
  to_strtab.patch_section(rela_text, field::sh_link, 6);
  at_n.patch_section(rela_data, field::sh_link, rela_shnum);
  rel_zero.patch_section(rel_text, field::sh_link, 0);
  auto const none = elf_builder<F>{}
                        .without_symtab()
                        .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, size(8), 4)
                        .rela(".text", {0, sym_index{0}, 0})
                        .build(); // 1 .text, 2 .rela.text (sh_link 0), 3 .shstrtab
  return rejects(zero, {.code = errc::bad_section, .what = field::sh_link, .section = rela_text, .value = 0}) &&
         rejects(to_strtab, {.code = errc::bad_section, .what = field::sh_link, .section = rela_text, .value = 6}) &&
         rejects(at_n, {.code = errc::bad_section, .what = field::sh_link, .section = rela_data, .value = rela_shnum}) &&
         rejects(rel_zero, {.code = errc::bad_section, .what = field::sh_link, .section = rel_text, .value = 0}) &&
         rejects(none, {.code = errc::bad_section, .what = field::sh_link, .section = 2, .value = 0});
}
EXTLOAD_CHECK_FORMATS(link_checked, "sh_link = the symbol table")

template <class F>
constexpr bool info_checked() {
  auto zero = rela_sample<F>(), at_n = rela_sample<F>(), self = rela_sample<F>(), last = rela_sample<F>(),
       rel_self = rel_sample<F>();
  zero.patch_section(rela_text, field::sh_info, 0);
  at_n.patch_section(rela_text, field::sh_info, rela_shnum);
  self.patch_section(rela_text, field::sh_info, rela_text);
  last.patch_section(rela_text, field::sh_info, rela_shnum - 1);
  rel_self.patch_section(rel_text, field::sh_info, rel_text);
  auto const r = parse(zero);
  return fails_with(r, {.code = errc::bad_section, .what = field::sh_info, .section = rela_text, .value = 0}) &&
         r.error().min == 1 && r.error().max == rela_shnum - 1 &&
         rejects(at_n, {.code = errc::bad_section, .what = field::sh_info, .section = rela_text, .value = rela_shnum}) &&
         rejects(self, {.code = errc::bad_section, .what = field::sh_info, .section = rela_text, .value = rela_text}) &&
         // the last section is .shstrtab: loader metadata is never a relocation target
         rejects(last, {.code = errc::bad_section, .what = field::sh_info, .section = rela_text, .value = rela_shnum - 1}) &&
         rejects(rel_self, {.code = errc::bad_section, .what = field::sh_info, .section = rel_text, .value = rel_text});
}
EXTLOAD_CHECK_FORMATS(info_checked, "sh_info = another section in [1, shnum)")

template <class F>
constexpr bool relocations_limit() {
  auto const img = rela_sample<F>(); // 2 + 2 entries
  limits at{}, below{}, one{};
  at.max_relocations = 4;
  below.max_relocations = 3;
  one.max_relocations = 1;
  auto const r = parse(img, below);
  return parse(img, at).has_value() &&
         fails_with(r, {.code = errc::limit_exceeded, .what = field::sh_size, .section = rela_data, .value = 4}) &&
         r.error().max == 3 &&
         rejects(img, {.code = errc::limit_exceeded, .what = field::sh_size, .section = rela_text, .value = 2}, one);
}
EXTLOAD_CHECK_FORMATS(relocations_limit, "limits::max_relocations over all sections, at the limit and one past")

TEST_CASE_TEMPLATE("elf relocation: truncation at every length gives an error", Format, EXTLOAD_ALL_FORMATS) {
  auto const a = rela_sample<Format>();
  auto const b = rel_sample<Format>();
  REQUIRE(parse(a).has_value());
  REQUIRE(parse(b).has_value());
  for (std::size_t n = 0; n < a.size(); ++n) CHECK_FALSE(object_view<Format>::parse(a.view().first(n)).has_value());
  for (std::size_t n = 0; n < b.size(); ++n) CHECK_FALSE(object_view<Format>::parse(b.view().first(n)).has_value());
}

} // namespace
