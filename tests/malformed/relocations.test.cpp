// tests/malformed/relocations.test.cpp: MALFORMED.md classes 29-36, relocation entries (gABI
// "Relocation"; x86-64 psABI "Relocation Types"): symbol index, r_offset + width, unknown types
// and the wrong flavour, value overflow, misaligned sites, paired relocations, targets that are
// not loaded, duplicate sites.
//
// These are link-time checks: the images are valid at parse level (checked in static_assert for
// all four formats, so the classes stay ready for the ELF32 sets) and rejected by the loader's
// relocation phases, which run after the scratch arrays are allocated (load_check::late: still
// nothing may be left allocated). The x86-64 set is the only one today; an ARM (REL, ELF32) run
// plugs in by instantiating the same class functions with an ELF32 load check when
// arch/arm.hpp lands (machine_of/abs_word/pc_rel32/call_rel in malformed.hpp already name ARM).
#include <array>
#include <cstdint>

#include "malformed/harness.hpp"

namespace {

using namespace extload;
using namespace extload::test;
using namespace extload::test::malformed;
using X = arch::x86_64;

template <class F>
constexpr image<F> rel(std::uint32_t rs, std::uint64_t j, field f, std::uint64_t v) {
  image<F> img = base_img<F>;
  img.patch_relocation(rs, j, f, v);
  return img;
}

// --- 29. r_sym --------------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c29_r_sym(Check const& c) {
  auto const l = c.late();
  want const w{errc::bad_relocation, field::r_sym, idx::text, idx::nsyms, 0, idx::nsyms, 0, idx::nsyms - 1};
  want const w_big{errc::bad_relocation, field::r_sym, idx::text, 0xffffff, 0, 0xffffff, 0, idx::nsyms - 1};
  return boundary(l, rel<F>(idx::rel_text, 0, field::r_sym, idx::nsyms - 1), rel<F>(idx::rel_text, 0, field::r_sym, idx::nsyms),
                  loader_only<Check>(w))
      && l(rel<F>(idx::rel_text, 0, field::r_sym, 0xffffff), loader_only<Check>(w_big));
}
EXTLOAD_MALFORMED_CASE(c29_r_sym, "29 ELF_R_SYM >= the number of symbols")

// --- 30. r_offset + width -------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c30_r_offset(Check const& c) {
  auto const l = c.late();
  auto text = [](std::int64_t v) { return want{errc::bad_relocation, field::r_offset, idx::text, idx::imp_data, 1, v, 0, 16}; };
  auto data = [](std::int64_t v) { return want{errc::bad_relocation, field::r_offset, idx::data, idx::local_data, 0, v, 0, 16}; };
  std::uint64_t const W = F::elf_class_type::word_size;
  std::uint64_t const top = F::is_64 ? ~std::uint64_t{0} : 0xffffffffu;
  // PC32 (4 bytes) in the 16-byte .text: 12 is the last offset that fits, 13 the first that does not.
  return boundary(l, rel<F>(idx::rel_text, 1, field::r_offset, 12), rel<F>(idx::rel_text, 1, field::r_offset, 13), loader_only<Check>(text(13)))
      && l(rel<F>(idx::rel_text, 1, field::r_offset, 16), loader_only<Check>(text(16)))
      && l(rel<F>(idx::rel_text, 1, field::r_offset, top - 1), loader_only<Check>(text(F::is_64 ? -2 : std::int64_t{0xfffffffe}))) // + 4 wraps
      // A word in the 16-byte .data: 16 - W fits, 16 - W + 1 does not.
      && boundary(l, rel<F>(idx::rel_data, 0, field::r_offset, 16 - W), rel<F>(idx::rel_data, 0, field::r_offset, 16 - W + 1),
                  loader_only<Check>(data(static_cast<std::int64_t>(16 - W + 1))));
}
EXTLOAD_MALFORMED_CASE(c30_r_offset, "30 r_offset + field width past the end of the target section, or wrapping")

// --- 31. unknown type, wrong flavour ----------------------------------------------------------------------
template <class F, class Check>
constexpr bool c31_type(Check const& c) {
  auto const l = c.late();
  auto unknown = [](std::int64_t t) { return want{errc::unknown_relocation, field::r_type, idx::text, idx::imp_fn, 0, t}; };
  bool ok_ = l(rel<F>(idx::rel_text, 0, field::r_type, 8), loader_only<Check>(unknown(8)))  // R_X86_64_RELATIVE: dynamic only
          && l(rel<F>(idx::rel_text, 0, field::r_type, 5), loader_only<Check>(unknown(5)))  // R_X86_64_COPY
          && l(rel<F>(idx::rel_text, 0, field::r_type, 37), loader_only<Check>(unknown(37))) // R_X86_64_IRELATIVE
          && l(rel<F>(idx::rel_text, 0, field::r_type, 0xff), loader_only<Check>(unknown(0xff)));
  if constexpr (F::is_64) {
    // The highest type of the set (REX_GOTPCRELX, a GOT load) and the first number past it.
    ok_ = ok_ && boundary(l, rel<F>(idx::rel_text, 0, field::r_type, X::R_X86_64_REX_GOTPCRELX),
                          rel<F>(idx::rel_text, 0, field::r_type, X::R_X86_64_REX_GOTPCRELX + 1), loader_only<Check>(unknown(43)))
        && l(rel<F>(idx::rel_text, 0, field::r_type, 0xffffffffu), loader_only<Check>(unknown(0xffffffff)));
    // SHT_REL where the set is RELA (entries re-read as 16-byte REL: a consistent REL section).
    image<F> flavour = base_img<F>;
    flavour.patch_section(idx::rel_text, field::sh_type, elf::SHT_REL).patch_section(idx::rel_text, field::sh_entsize, F::elf_class_type::rel_size);
    ok_ = ok_ && l(flavour, loader_only<Check>({errc::bad_section, field::sh_type, idx::rel_text, no_index, no_index, elf::SHT_REL}));
  }
  return ok_;
}
EXTLOAD_MALFORMED_CASE(c31_type, "31 unknown or dynamic-only relocation types; SHT_REL for a RELA set")

// --- 32. value overflow ------------------------------------------------------------------------------------
// The arithmetic, in constant evaluation: last value in range, first out, for every checked x86-64 field.
template <class H>
constexpr errc apply_value(std::uint64_t S, std::int64_t A, std::uint64_t P) {
  std::array<std::byte, 8> place{};
  arch::values v;
  v.S = S; v.A = A; v.P = P;
  return arch::apply<H, std::endian::little>(place.data(), v);
}
constexpr bool c32_ranges() {
  namespace h = arch::x86_64_howto;
  constexpr std::uint64_t P = 0x100000000; // the place: 4 GiB
  constexpr std::int64_t i31 = std::int64_t{1} << 31;
  return apply_value<h::R_X86_64_32>(0xffffffff, 0, 0) == errc::ok && apply_value<h::R_X86_64_32>(0xffffffff, 1, 0) == errc::relocation_overflow
      && apply_value<h::R_X86_64_32>(0, -1, 0) == errc::relocation_overflow
      && apply_value<h::R_X86_64_32S>(0x7fffffff, 0, 0) == errc::ok && apply_value<h::R_X86_64_32S>(0x80000000, 0, 0) == errc::relocation_overflow
      && apply_value<h::R_X86_64_32S>(0, -i31, 0) == errc::ok && apply_value<h::R_X86_64_32S>(0, -i31 - 1, 0) == errc::relocation_overflow
      && apply_value<h::R_X86_64_PC32>(P + 0x7fffffff, 0, P) == errc::ok && apply_value<h::R_X86_64_PC32>(P + 0x80000000, 0, P) == errc::relocation_overflow
      && apply_value<h::R_X86_64_PC32>(P - 0x80000000, 0, P) == errc::ok && apply_value<h::R_X86_64_PC32>(P - 0x80000001, 0, P) == errc::relocation_overflow
      && apply_value<h::R_X86_64_PLT32>(P + 0x7fffffff, 0, P) == errc::ok && apply_value<h::R_X86_64_PLT32>(P + 0x80000000, 0, P) == errc::relocation_overflow
      && apply_value<h::R_X86_64_PC16>(P + 0x7fff, 0, P) == errc::ok && apply_value<h::R_X86_64_PC16>(P + 0x8000, 0, P) == errc::relocation_overflow
      && apply_value<h::R_X86_64_PC8>(P + 127, 0, P) == errc::ok && apply_value<h::R_X86_64_PC8>(P + 128, 0, P) == errc::relocation_overflow
      && apply_value<h::R_X86_64_PC8>(P - 128, 0, P) == errc::ok && apply_value<h::R_X86_64_PC8>(P - 129, 0, P) == errc::relocation_overflow
      // checkIntUInt: [-2^(N-1), 2^N - 1].
      && apply_value<h::R_X86_64_16>(0xffff, 0, 0) == errc::ok && apply_value<h::R_X86_64_16>(0x10000, 0, 0) == errc::relocation_overflow
      && apply_value<h::R_X86_64_16>(0, -0x8000, 0) == errc::ok && apply_value<h::R_X86_64_16>(0, -0x8001, 0) == errc::relocation_overflow
      && apply_value<h::R_X86_64_8>(0xff, 0, 0) == errc::ok && apply_value<h::R_X86_64_8>(0x100, 0, 0) == errc::relocation_overflow
      && apply_value<h::R_X86_64_8>(0, -128, 0) == errc::ok && apply_value<h::R_X86_64_8>(0, -129, 0) == errc::relocation_overflow;
}
static_assert(c32_ranges());
TEST_CASE("malformed: 32 x86-64 field ranges: last value in range accepted, first out rejected (constexpr)") { CHECK(c32_ranges()); }

// Through the loader: a PC8 reference inside one section, 127 bytes away (fits) and 128 (does not).
// .text.pc8 (6) is 200 bytes; symbol `far` (7) sits at 128.
constexpr image<elf64le> pc8(std::int64_t addend) {
  auto b = base_builder<elf64le>();
  b.section(".text.pc8", elf::SHT_PROGBITS, AX, size(200), 1).symbol("far", elf::STB_GLOBAL, elf::STT_FUNC, ".text.pc8", 128, 1);
  add_reloc(b, ".text.pc8", {0, "far", X::R_X86_64_PC8, addend});
  return b.build<capacity>();
}
TEST_CASE("malformed: 32 relocation value overflow through the loader names the relocation and the range") {
  auto const fits = try_load(pc8(-1).view());
  CHECK(fits.loaded());
  CHECK(fits.clean);
  auto const o = try_load(pc8(0).view());
  CHECK(is(o.error, {errc::relocation_overflow, field::none, 6, 7, 0, 128, -128, 127}));
  CHECK(o.error.type == X::R_X86_64_PC8);
  CHECK(o.clean);
}

// --- 33. misaligned sites: x86-64 has no alignment rule; fields are written byte-wise --------------------
// (.text entry 1 moves to 5, right after entry 0's field [1, 5): at 3 it would overlap it, class 36.)
template <class F, class Check>
constexpr bool c33_misaligned_site(Check const& c) {
  return c.late()(rel<F>(idx::rel_data, 0, field::r_offset, 1), accepted) && c.late()(rel<F>(idx::rel_text, 1, field::r_offset, 5), accepted);
}
EXTLOAD_MALFORMED_CASE(c33_misaligned_site, "33 misaligned relocation sites (x86-64: no alignment rule, written byte-wise)")

TEST_CASE("malformed: 33 a word relocated at an odd offset holds the right value") {
  auto const img = rel<elf64le>(idx::rel_data, 0, field::r_offset, 1);
  std::uint64_t got = 0, want_value = 0;
  auto const o = try_load(img.view(), {}, resolve_all, 0, [&](extension& e) {
    auto const* s = e.find_section(".data");
    REQUIRE(s != nullptr);
    auto const& g = e.regions();
    std::byte const* p = g.base[static_cast<int>(region::data)] + (s->address - g.address[static_cast<int>(region::data)]);
    got = load_at<std::uint64_t, std::endian::little>(p + 1);
    want_value = s->address + 8; // local_data
  });
  CHECK(o.loaded());
  CHECK(got == want_value);
}

// --- 34. paired relocations: none on x86-64 (RISC-V PCREL_HI20/LO12, ARM MOVW/MOVT: with those sets) ---

// --- 35. references to sections that are not loaded -------------------------------------------------------
template <class F, class Check>
constexpr bool c35_not_loaded(Check const& c) {
  image<F> img = base_img<F>; // local_data moved into .comment (not SHF_ALLOC), referenced from .data
  img.patch_symbol(idx::local_data, field::st_shndx, idx::comment).patch_symbol(idx::local_data, field::st_value, 0)
     .patch_symbol(idx::local_data, field::st_size, 0);
  return c.late()(img, loader_only<Check>({errc::discarded_section, field::r_sym, idx::data, idx::local_data, 0}));
}
EXTLOAD_MALFORMED_CASE(c35_not_loaded, "35 a relocation against a symbol of a section that is not loaded")

// --- 36. duplicate or overlapping sites --------------------------------------------------------------------
// Two relocations writing the same bytes (the last would win, or corrupt the field when they
// overlap partly; the Linux kernel rejects "existing value is nonzero") are bad_relocation/
// r_offset at the later entry, found in the pre-scan, in order or not. Fields that only touch
// are fine, and so are markers (width 0) and the psABI's composing pairs at one offset (RISC-V
// ADD/SUB: tests/arch/riscv.test.cpp). A second relocation section for the same target is
// bad_section/sh_info at it (as in lld), so that one section holds every site.
template <class F, class Check>
constexpr bool c36_duplicate_sites(Check const& c) {
  std::int64_t const W = F::elf_class_type::word_size;
  auto dup = base_builder<F>();
  add_reloc(dup, ".data", {0, "ext_obj", abs_word<F>, 0});   // .data entry 1: same place as entry 0
  auto part = base_builder<F>();
  add_reloc(part, ".data", {4, "ext_obj", pc_rel32<F>, 0});  // .data entry 1: inside entry 0's word
  // Out of r_offset order: .data entries 1 at 8 and 2 at W - 1, back inside entry 0's word.
  auto unsorted = base_builder<F>();
  add_reloc(unsorted, ".data", {8, "ext_obj", abs_word<F>, 0});
  add_reloc(unsorted, ".data", {static_cast<std::uint64_t>(W - 1), "ext_buf", pc_rel32<F>, 0});
  // Out of order without overlap: entry 1 at 12 (4 bytes), entry 2 at 8 (4 bytes), entry 0 at 0.
  auto unsorted_ok = base_builder<F>();
  add_reloc(unsorted_ok, ".data", {12, "ext_obj", pc_rel32<F>, 0});
  add_reloc(unsorted_ok, ".data", {8, "ext_obj", pc_rel32<F>, 0});
  // A marker (R_*_NONE, width 0) at an occupied place; a field right after another.
  auto marker = base_builder<F>();
  add_reloc(marker, ".data", {0, "ext_obj", 0, 0});
  add_reloc(marker, ".data", {static_cast<std::uint64_t>(W), "ext_obj", pc_rel32<F>, 0});
  // .rel[a].data retargeted at .text, which .rel[a].text relocates already.
  image<F> twice = base_img<F>;
  twice.patch_section(idx::rel_data, field::sh_info, idx::text);
  return c.late()(dup.template build<capacity>(), loader_only<Check>({errc::bad_relocation, field::r_offset, idx::data, idx::ext_obj, 1, 0}))
      && c.late()(part.template build<capacity>(), loader_only<Check>({errc::bad_relocation, field::r_offset, idx::data, idx::ext_obj, 1, 4}))
      && c.late()(unsorted.template build<capacity>(), loader_only<Check>({errc::bad_relocation, field::r_offset, idx::data, idx::ext_buf, 2, W - 1}))
      && c.late()(unsorted_ok.template build<capacity>(), accepted)
      && c.late()(marker.template build<capacity>(), accepted)
      && c.late()(twice, loader_only<Check>({errc::bad_section, field::sh_info, idx::rel_data, no_index, no_index, idx::text}));
}
EXTLOAD_MALFORMED_CASE(c36_duplicate_sites, "36 duplicate or overlapping relocation sites")

// The pre-scan's slower paths (loader/link.hpp site_overlap): a section in many runs of r_offset
// order (each PC32 field of .text.big, 6, listed from the last to the first), and a crowd of
// markers (R_X86_64_NONE) next to an earlier run's field, are checked from a sorted copy.
constexpr image<elf64le> shuffled(std::uint64_t extra_offset, std::size_t markers) {
  auto b = base_builder<elf64le>();
  b.section(".text.big", elf::SHT_PROGBITS, AX, size(64), 4).symbol("big", elf::STB_GLOBAL, elf::STT_FUNC, ".text.big", 0, 64);
  if (markers == 0) {
    for (std::uint64_t f = 10; f-- > 0;) add_reloc(b, ".text.big", {4 * f, "big", X::R_X86_64_PC32, 0}); // entries 0-9
  } else {
    add_reloc(b, ".text.big", {0, "big", X::R_X86_64_PC32, 0});
    for (std::size_t m = 0; m < markers; ++m) add_reloc(b, ".text.big", {4, "big", X::R_X86_64_NONE, 0});
    add_reloc(b, ".text.big", {12, "big", X::R_X86_64_PC32, 0});
    add_reloc(b, ".text.big", {8, "big", X::R_X86_64_PC32, 0}); // a second run, beside the markers
  }
  if (extra_offset != 0) add_reloc(b, ".text.big", {extra_offset, "big", X::R_X86_64_PC32, 0});
  return b.build<capacity>();
}
TEST_CASE("malformed: 36 sites in many runs of r_offset order, or beside many markers") {
  CHECK(try_load(shuffled(0, 0).view()).loaded());
  auto const o = try_load(shuffled(6, 0).view()); // entry 10 at 6: inside the fields at 4 and 8
  CHECK(is(o.error, {errc::bad_relocation, field::r_offset, 6, 7, 10, 6}));
  CHECK(o.clean);
  CHECK(try_load(shuffled(0, 60).view()).loaded());
  auto const c = try_load(shuffled(2, 60).view()); // entry 63 at 2: inside the field at 0
  CHECK(is(c.error, {errc::bad_relocation, field::r_offset, 6, 7, 63, 2}));
  CHECK(c.clean);
}

} // namespace
