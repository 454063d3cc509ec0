// tests/elf/header.test.cpp: object_view<Format>::parse() on the ELF header and the section
// header table (gABI "ELF Header", "Sections": e_ident, e_type, e_machine, e_version, e_ehsize,
// e_shoff, e_shentsize, e_shnum, e_shstrndx, extended numbering), the `limits` it enforces, and
// truncation at every length. Every check is a constexpr function run by static_assert for the
// four formats and by doctest (STYLE.md R12); boundaries come in pairs: last valid, first invalid.
#include <doctest/doctest.h>

#include <cstdint>
#include <utility>

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
  TEST_CASE_TEMPLATE("elf header: " name, Format, EXTLOAD_ALL_FORMATS) { CHECK(fn<Format>()); }

// Sections: 1 .text, 2 .data, 3 .bss, 4 .rela.text, 5 .symtab, 6 .strtab, 7 .shstrtab.
template <class F>
constexpr auto sample_builder() {
  return std::move(elf_builder<F>{}
      .machine(EM_X86_64)
      .flags(0x5000400)
      .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0x90, 0xc3, 0x90, 0xc3}, 16)
      .section(".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, bytes{1, 2, 3, 4, 5, 6, 7, 8}, 8)
      .section(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, size(64), 8)
      .symbol("main", STB_GLOBAL, STT_FUNC, ".text", 0, 2)
      .symbol("printk", STB_GLOBAL, STT_NOTYPE, undefined)
      .rela(".text", {1, "printk", 4, -4}));
}
template <class F>
constexpr auto sample() { return sample_builder<F>().build(); }
inline constexpr std::uint32_t sample_shnum = 8, sample_shstrndx = 7;

template <class F, std::size_t N>
constexpr auto parse(elf_image<F, N> const& img, std::uint16_t machine = EM_NONE, limits const& lim = {}) {
  return object_view<F>::parse(img.view(), machine, lim);
}
template <class F, std::size_t N>
constexpr bool rejects(elf_image<F, N> const& img, expected const& e, limits const& lim = {}) {
  return fails_with(parse(img, EM_NONE, lim), e);
}
template <class F>
constexpr std::int64_t other_class() { return F::is_64 ? ELFCLASS32 : ELFCLASS64; }
template <class F>
constexpr std::int64_t other_data() { return F::is_le ? ELFDATA2MSB : ELFDATA2LSB; }

// --- valid image ------------------------------------------------------------------------------

template <class F>
constexpr bool valid_image_parses() {
  auto const img = sample<F>();
  return parse(img).has_value() && parse(img, EM_X86_64).has_value();
}
static_assert(valid_image_parses<elf32le>());
static_assert(valid_image_parses<elf32be>());
static_assert(valid_image_parses<elf64le>());
static_assert(valid_image_parses<elf64be>());
TEST_CASE_TEMPLATE("elf header: a valid image parses", Format, EXTLOAD_ALL_FORMATS) { CHECK(valid_image_parses<Format>()); }

template <class F>
constexpr bool header_round_trips() {
  auto const img = sample<F>();
  auto const r = parse(img);
  if (!r) return false;
  elf_header const& h = r->header();
  return h.type == ET_REL && h.machine == EM_X86_64 && h.version == EV_CURRENT && h.flags == 0x5000400 &&
         h.shoff == img.layout.shoff && h.shoff == img.get(field::e_shoff) && h.ehsize == F::elf_class_type::ehdr_size &&
         h.shentsize == F::elf_class_type::shdr_size && h.shnum == sample_shnum && h.shstrndx == sample_shstrndx &&
         r->section_count() == sample_shnum && r->image().data() == img.view().data() &&
         r->image().size() == img.size();
}
EXTLOAD_CHECK_FORMATS(header_round_trips, "every header field round-trips")

// The builder can size its output exactly; the bytes do not depend on the capacity.
template <class F>
constexpr bool exact_capacity_build() {
  constexpr std::size_t n = sample_builder<F>().image_size();
  auto const exact = sample_builder<F>().template build<n>();
  auto const def = sample<F>();
  bool same = n == def.size() && exact.size() == n && decltype(exact)::capacity == n;
  for (std::size_t i = 0; i < n; ++i) same = same && exact.data[i] == def.data[i];
  return same && parse(exact).has_value();
}
EXTLOAD_CHECK_FORMATS(exact_capacity_build, "build<image_size()>() gives the same image")

// --- e_ident ------------------------------------------------------------------------------------

template <class F>
constexpr bool bad_magic_rejected() {
  bool ok = true;
  for (std::size_t i = 0; i < 4; ++i) {
    auto img = sample<F>();
    img.patch_ident(i, static_cast<std::uint8_t>(img.ident(i) ^ 0x20));
    ok = ok && rejects(img, {errc::bad_magic, field::e_ident});
  }
  return ok;
}
EXTLOAD_CHECK_FORMATS(bad_magic_rejected, "each magic byte is checked")

template <class F>
constexpr bool wrong_class_rejected() {
  auto a = sample<F>(), b = sample<F>(), c = sample<F>();
  a.patch_ident(EI_CLASS, static_cast<std::uint8_t>(other_class<F>()));
  b.patch_ident(EI_CLASS, 0); // ELFCLASSNONE
  c.patch_ident(EI_CLASS, 3);
  return rejects(a, {.code = errc::bad_class, .what = field::e_ident, .value = other_class<F>()}) &&
         rejects(b, {.code = errc::bad_class, .what = field::e_ident, .value = 0}) &&
         rejects(c, {.code = errc::bad_class, .what = field::e_ident, .value = 3});
}
EXTLOAD_CHECK_FORMATS(wrong_class_rejected, "EI_CLASS must match the format")

template <class F>
constexpr bool wrong_byte_order_rejected() {
  auto a = sample<F>(), b = sample<F>();
  a.patch_ident(EI_DATA, static_cast<std::uint8_t>(other_data<F>()));
  b.patch_ident(EI_DATA, 0); // ELFDATANONE
  return rejects(a, {.code = errc::bad_byte_order, .what = field::e_ident, .value = other_data<F>()}) &&
         rejects(b, {.code = errc::bad_byte_order, .what = field::e_ident, .value = 0});
}
EXTLOAD_CHECK_FORMATS(wrong_byte_order_rejected, "EI_DATA must match the format")

template <class F>
constexpr bool bad_version_rejected() {
  auto a = sample<F>(), b = sample<F>(), c = sample<F>(), d = sample<F>();
  a.patch_ident(EI_VERSION, 0);
  b.patch_ident(EI_VERSION, 2);
  c.patch(field::e_version, 0);
  d.patch(field::e_version, 2);
  return rejects(a, {.code = errc::bad_version, .what = field::e_ident, .value = 0}) &&
         rejects(b, {.code = errc::bad_version, .what = field::e_ident, .value = 2}) &&
         rejects(c, {.code = errc::bad_version, .what = field::e_version, .value = 0}) &&
         rejects(d, {.code = errc::bad_version, .what = field::e_version, .value = 2});
}
EXTLOAD_CHECK_FORMATS(bad_version_rejected, "EI_VERSION and e_version must be EV_CURRENT")

template <class F>
constexpr bool other_ident_bytes_ignored() {
  auto img = sample<F>();
  img.patch_ident(EI_OSABI, 3).patch_ident(8, 1).patch_ident(15, 0xff); // OSABI, ABIVERSION, padding
  return parse(img).has_value();
}
EXTLOAD_CHECK_FORMATS(other_ident_bytes_ignored, "EI_OSABI, EI_ABIVERSION and padding are not checked")

// --- e_type, e_machine ----------------------------------------------------------------------------

template <class F>
constexpr bool non_rel_type_rejected() {
  bool ok = true;
  for (std::uint16_t t : {ET_NONE, ET_EXEC, ET_DYN, ET_CORE, std::uint16_t{0xfe00}}) {
    auto img = sample<F>();
    img.patch(field::e_type, t);
    ok = ok && rejects(img, {.code = errc::bad_type, .what = field::e_type, .value = t});
  }
  return ok;
}
EXTLOAD_CHECK_FORMATS(non_rel_type_rejected, "e_type must be ET_REL")

template <class F>
constexpr bool machine_checked() {
  auto const img = sample<F>();
  auto const r = parse(img, EM_ARM);
  return fails_with(r, {.code = errc::bad_machine, .what = field::e_machine, .value = EM_X86_64}) &&
         r.error().has_range && r.error().min == EM_ARM && r.error().max == EM_ARM &&
         parse(img, EM_X86_64).has_value() && parse(img, EM_NONE).has_value();
}
EXTLOAD_CHECK_FORMATS(machine_checked, "e_machine must match unless EM_NONE is asked for")

// --- e_ehsize, e_shoff, e_shentsize ---------------------------------------------------------------

template <class F>
constexpr bool ehsize_checked() {
  constexpr auto E = F::elf_class_type::ehdr_size;
  auto a = sample<F>(), b = sample<F>(), c = sample<F>();
  a.patch(field::e_ehsize, E - 1);
  b.patch(field::e_ehsize, E + 1);
  c.patch(field::e_ehsize, 0);
  return rejects(a, {.code = errc::bad_header, .what = field::e_ehsize, .value = E - 1}) &&
         rejects(b, {.code = errc::bad_header, .what = field::e_ehsize, .value = E + 1}) &&
         rejects(c, {.code = errc::bad_header, .what = field::e_ehsize, .value = 0});
}
EXTLOAD_CHECK_FORMATS(ehsize_checked, "e_ehsize must be the header size")

template <class F>
constexpr bool shoff_checked() {
  constexpr auto S = F::elf_class_type::shdr_size;
  auto const base = sample<F>();
  auto zero = base, past = base, last_in = base, huge = base;
  zero.patch(field::e_shoff, 0);
  // One section header still fits at size - S (then e_shnum is what fails); size - S + 1 does not.
  last_in.patch(field::e_shoff, base.size() - S);
  past.patch(field::e_shoff, base.size() - S + 1);
  huge.patch(field::e_shoff, ~std::uint64_t{0});
  auto const huge_value = static_cast<std::int64_t>(huge.get(field::e_shoff));
  return rejects(zero, {.code = errc::bad_header, .what = field::e_shoff, .value = 0}) &&
         rejects(last_in, {.code = errc::truncated, .what = field::e_shnum, .value = sample_shnum}) &&
         rejects(past, {.code = errc::truncated, .what = field::e_shoff, .value = static_cast<std::int64_t>(base.size() - S + 1)}) &&
         rejects(huge, {.code = errc::truncated, .what = field::e_shoff, .value = huge_value});
}
EXTLOAD_CHECK_FORMATS(shoff_checked, "e_shoff: 0 and out of range rejected")

template <class F>
constexpr bool shentsize_checked() {
  constexpr auto S = F::elf_class_type::shdr_size;
  auto a = sample<F>(), b = sample<F>(), c = sample<F>();
  a.patch(field::e_shentsize, S - 1);
  b.patch(field::e_shentsize, S + 1);
  c.patch(field::e_shentsize, 0);
  auto const r = parse(a);
  return fails_with(r, {.code = errc::bad_header, .what = field::e_shentsize, .value = S - 1}) && r.error().has_range &&
         r.error().min == S && r.error().max == S &&
         rejects(b, {.code = errc::bad_header, .what = field::e_shentsize, .value = S + 1}) &&
         rejects(c, {.code = errc::bad_header, .what = field::e_shentsize, .value = 0});
}
EXTLOAD_CHECK_FORMATS(shentsize_checked, "e_shentsize must be the section header size")

// --- e_shnum, e_shstrndx --------------------------------------------------------------------------

template <class F>
constexpr bool shnum_past_end_rejected() {
  auto past = sample<F>(), fewer = sample<F>();
  past.patch(field::e_shnum, sample_shnum + 1);
  fewer.patch(field::e_shnum, sample_shnum - 1); // drops .shstrtab: e_shstrndx is then out of range
  auto const r = parse(past);
  return fails_with(r, {.code = errc::truncated, .what = field::e_shnum, .value = sample_shnum + 1}) &&
         r.error().has_range && r.error().max == sample_shnum &&
         rejects(fewer, {.code = errc::bad_header, .what = field::e_shstrndx, .value = sample_shstrndx});
}
EXTLOAD_CHECK_FORMATS(shnum_past_end_rejected, "e_shnum: the table must fit in the image")

template <class F>
constexpr bool shstrndx_checked() {
  auto zero = sample<F>(), at_n = sample<F>(), not_strtab = sample<F>(), other_strtab = sample<F>();
  zero.patch(field::e_shstrndx, SHN_UNDEF);
  at_n.patch(field::e_shstrndx, sample_shnum);
  not_strtab.patch(field::e_shstrndx, 1); // .text
  other_strtab.patch(field::e_shstrndx, 6); // .strtab: a string table, so accepted
  auto const r = parse(at_n);
  return rejects(zero, {.code = errc::bad_header, .what = field::e_shstrndx, .value = 0}) &&
         fails_with(r, {.code = errc::bad_header, .what = field::e_shstrndx, .value = sample_shnum}) &&
         r.error().min == 1 && r.error().max == sample_shnum - 1 &&
         rejects(not_strtab, {.code = errc::bad_header, .what = field::e_shstrndx, .value = 1}) &&
         // .strtab is accepted as the name table; then .bss's sh_name (13) is past its 13 bytes.
         rejects(other_strtab, {.code = errc::bad_string, .what = field::sh_name, .section = 3, .value = 13});
}
EXTLOAD_CHECK_FORMATS(shstrndx_checked, "e_shstrndx: a string table in [1, shnum)")

// Extended numbering (gABI): e_shnum = 0 -> section 0's sh_size; e_shstrndx = SHN_XINDEX ->
// section 0's sh_link.
template <class F>
constexpr auto extended_sample() {
  return elf_builder<F>{}
      .machine(EM_X86_64)
      .extended_numbering()
      .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0x90, 0xc3}, 4)
      .symbol("main", STB_GLOBAL, STT_FUNC, ".text", 0, 2)
      .build();
}
template <class F>
constexpr bool extended_numbering_parses() {
  auto const img = extended_sample<F>(); // 1 .text, 2 .symtab, 3 .strtab, 4 .shstrtab
  auto const r = parse(img);
  return img.get(field::e_shnum) == 0 && img.get(field::e_shstrndx) == SHN_XINDEX && r &&
         r->header().shnum == 5 && r->header().shstrndx == 4 && r->section_count() == 5 &&
         r->section_name(1) && r->section_name(1).value() == ".text";
}
EXTLOAD_CHECK_FORMATS(extended_numbering_parses, "extended numbering: counts come from section 0")

template <class F>
constexpr bool extended_numbering_checked() {
  auto zero = extended_sample<F>(), past = extended_sample<F>(), link0 = extended_sample<F>(),
       link_n = extended_sample<F>(), link_text = extended_sample<F>(), shnum_only = extended_sample<F>();
  zero.patch_section(0, field::sh_size, 0);
  past.patch_section(0, field::sh_size, 6);
  link0.patch_section(0, field::sh_link, 0);
  link_n.patch_section(0, field::sh_link, 5);
  link_text.patch_section(0, field::sh_link, 1);
  shnum_only.patch(field::e_shstrndx, 4); // e_shnum 0 with a direct e_shstrndx is fine too,
  shnum_only.patch_section(0, field::sh_link, 0); // and then section 0's sh_link is 0 (gABI)
  bool ok = rejects(zero, {.code = errc::bad_header, .what = field::e_shnum, .value = 0}) &&
            rejects(past, {.code = errc::truncated, .what = field::e_shnum, .value = 6}) &&
            rejects(link0, {.code = errc::bad_header, .what = field::e_shstrndx, .value = 0}) &&
            rejects(link_n, {.code = errc::bad_header, .what = field::e_shstrndx, .value = 5}) &&
            rejects(link_text, {.code = errc::bad_header, .what = field::e_shstrndx, .value = 1}) &&
            parse(shnum_only).has_value();
  if constexpr (F::is_64) { // sh_size is 64-bit: a count above 2^32 - 1 cannot be a section count
    auto big = extended_sample<F>();
    big.patch_section(0, field::sh_size, std::uint64_t{1} << 32);
    ok = ok && rejects(big, {.code = errc::bad_header, .what = field::e_shnum, .value = std::int64_t{1} << 32});
  }
  return ok;
}
EXTLOAD_CHECK_FORMATS(extended_numbering_checked, "extended numbering: section 0 sh_size and sh_link checked")

// --- limits -----------------------------------------------------------------------------------

template <class F>
constexpr bool image_bytes_limit() {
  auto const img = sample<F>();
  limits at{}, below{};
  at.max_image_bytes = img.size();
  below.max_image_bytes = img.size() - 1;
  auto const r = parse(img, EM_NONE, below);
  return parse(img, EM_NONE, at).has_value() &&
         fails_with(r, {.code = errc::limit_exceeded, .what = field::none, .value = static_cast<std::int64_t>(img.size())}) &&
         r.error().has_range && r.error().max == static_cast<std::int64_t>(img.size() - 1);
}
EXTLOAD_CHECK_FORMATS(image_bytes_limit, "limits::max_image_bytes at the limit and one past")

template <class F>
constexpr bool sections_limit() {
  auto const img = sample<F>();
  limits at{}, below{};
  at.max_sections = sample_shnum;
  below.max_sections = sample_shnum - 1;
  auto const r = parse(img, EM_NONE, below);
  return parse(img, EM_NONE, at).has_value() &&
         fails_with(r, {.code = errc::limit_exceeded, .what = field::e_shnum, .value = sample_shnum}) &&
         r.error().max == sample_shnum - 1;
}
EXTLOAD_CHECK_FORMATS(sections_limit, "limits::max_sections at the limit and one past")

// --- truncation ---------------------------------------------------------------------------------

// The error for the first n bytes of the sample, for the lengths where it is fully determined.
template <class F>
constexpr bool truncated_at_known_lengths() {
  constexpr auto E = F::elf_class_type::ehdr_size;
  auto const base = sample<F>();
  auto cut = [&](std::size_t n) { auto c = base; c.truncate(n); return parse(c); };
  auto const shoff = base.layout.shoff;
  return fails_with(cut(0), {.code = errc::truncated, .what = field::e_ident, .value = 0}) &&
         fails_with(cut(EI_NIDENT - 1), {.code = errc::truncated, .what = field::e_ident, .value = EI_NIDENT - 1}) &&
         fails_with(cut(EI_NIDENT), {.code = errc::truncated, .what = field::e_ehsize, .value = EI_NIDENT}) &&
         fails_with(cut(E - 1), {.code = errc::truncated, .what = field::e_ehsize, .value = E - 1}) &&
         fails_with(cut(E), {.code = errc::truncated, .what = field::e_shoff, .value = static_cast<std::int64_t>(shoff)}) &&
         fails_with(cut(shoff), {.code = errc::truncated, .what = field::e_shoff, .value = static_cast<std::int64_t>(shoff)}) &&
         fails_with(cut(base.size() - 1), {.code = errc::truncated, .what = field::e_shnum, .value = sample_shnum}) &&
         cut(base.size()).has_value();
}
EXTLOAD_CHECK_FORMATS(truncated_at_known_lengths, "truncation: the exact error at a few lengths")

// Every proper prefix is rejected, and never read past (constant evaluation would fail).
template <class F, class Image>
constexpr bool every_prefix_rejected(Image const& base, std::size_t from, std::size_t step) {
  for (std::size_t n = from; n < base.size(); n += step) {
    auto const r = object_view<F>::parse(base.view().first(n));
    if (r.has_value() || r.code() == errc::ok) return false;
  }
  return object_view<F>::parse(base.view()).has_value();
}
template <class F>
constexpr bool some_prefixes_rejected() {
  auto const base = sample<F>();
  return every_prefix_rejected<F>(base, 0, 37) && every_prefix_rejected<F>(base, base.size() - 3, 1);
}
EXTLOAD_CHECK_FORMATS(some_prefixes_rejected, "truncation: prefixes rejected (compile time, sampled)")

TEST_CASE_TEMPLATE("elf header: truncation at every length gives an error", Format, EXTLOAD_ALL_FORMATS) {
  auto const base = sample<Format>();
  CHECK(every_prefix_rejected<Format>(base, 0, 1));
  auto const ext = extended_sample<Format>();
  CHECK(every_prefix_rejected<Format>(ext, 0, 1));
}

} // namespace
