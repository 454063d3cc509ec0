// tests/malformed/malformed.hpp: what the malformed-input suite (tests/malformed/*.test.cpp,
// one file per group of MALFORMED.md classes) shares: the valid base image each class corrupts,
// for ELF32 and ELF64; image surgery the builder's field patches cannot express (moving a
// section's bytes or the section table to another, possibly misaligned, offset); the check the
// loader runs before it allocates anything (parse + every symbol), usable in static_assert; an
// exact-diagnostic matcher; and, at run time, the full x86-64 loader over a counting allocator,
// which also proves that every load (failed or not) leaves nothing allocated.
//
// ELF32 classes run at parse level (object_view<elf32le/elf32be>) because no ELF32 relocation set
// exists yet: the base image is an EM_ARM object with SHT_REL relocations, and `target_of<F>`
// below is where an ARM loader plugs in when arch/arm.hpp lands.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "extload/elf/object.hpp"
#include "support/elf_builder.hpp"

namespace extload::inline v0::test::malformed {

namespace el = extload::elf;

inline constexpr std::uint64_t AX = el::SHF_ALLOC | el::SHF_EXECINSTR;
inline constexpr std::uint64_t AW = el::SHF_ALLOC | el::SHF_WRITE;
inline constexpr std::uint64_t A = el::SHF_ALLOC;

// Relocation numbers used by the base images (psABI x86-64; AAELF32 for ARM).
inline constexpr std::uint32_t R_X86_64_64 = 1, R_X86_64_PC32 = 2, R_X86_64_PLT32 = 4;
inline constexpr std::uint32_t R_ARM_ABS32 = 2, R_ARM_REL32 = 3;

// The machine and relocation flavour of the base image of each ELF class: x86-64/RELA for ELF64
// (the relocation set that exists), ARM/REL for ELF32 (parsed only, until arch/arm.hpp exists).
template <elf_format_policy F>
inline constexpr std::uint16_t machine_of = F::is_64 ? el::EM_X86_64 : el::EM_ARM;
template <elf_format_policy F>
inline constexpr std::uint32_t abs_word = F::is_64 ? R_X86_64_64 : R_ARM_ABS32;
template <elf_format_policy F>
inline constexpr std::uint32_t pc_rel32 = F::is_64 ? R_X86_64_PC32 : R_ARM_REL32;
template <elf_format_policy F>
inline constexpr std::uint32_t call_rel = F::is_64 ? R_X86_64_PLT32 : R_ARM_REL32;

inline constexpr std::size_t capacity = 4096;
template <elf_format_policy F>
using image = elf_image<F, capacity>;

template <elf_format_policy F>
constexpr elf_builder<F>& add_reloc(elf_builder<F>& b, std::string_view target, test::reloc r) {
  if constexpr (F::is_64) return b.rela(target, r);
  else return b.rel(target, r);
}

// The base image. Every class test starts from it and corrupts one thing.
//   sections: 1 .text (16 bytes, AX, align 16)  2 .data (16, AW, 8)  3 .bss (NOBITS 32, AW, 8)
//             4 .rodata (8, A, 4)  5 .comment (non-alloc, 4)  6 .rel[a].text  7 .rel[a].data
//             8 .symtab  9 .strtab  10 .shstrtab
//   symbols:  0 null  1 local_data (local, .data+8, 8)  2 ext_fn (FUNC .text+0, 13)
//             3 ext_obj (OBJECT .data+0, 8)  4 ext_buf (OBJECT .bss+0, 32)  5 imp_fn (UNDEF)
//             6 imp_data (UNDEF)
//   relocations: .text  0: {1, imp_fn, call}  1: {7, imp_data, pc32}
//                .data  0: {0, local_data, abs word}
// .text = call imp_fn; mov imp_data(%rip), %eax; ret; nop padding (never executed by the suite).
namespace idx {
inline constexpr std::uint32_t text = 1, data = 2, bss = 3, rodata = 4, comment = 5, rel_text = 6,
                               rel_data = 7, symtab = 8, strtab = 9, shstrtab = 10, shnum = 11;
inline constexpr std::uint32_t local_data = 1, ext_fn = 2, ext_obj = 3, ext_buf = 4, imp_fn = 5,
                               imp_data = 6, nsyms = 7;
} // namespace idx

template <elf_format_policy F>
constexpr elf_builder<F> base_builder() {
  elf_builder<F> b;
  b.machine(machine_of<F>)
      .section(".text", el::SHT_PROGBITS, AX,
               bytes{0xe8, 0, 0, 0, 0, 0x8b, 0x05, 0, 0, 0, 0, 0xc3, 0x90, 0x90, 0x90, 0x90}, 16)
      .section(".data", el::SHT_PROGBITS, AW, size(16), 8)
      .section(".bss", el::SHT_NOBITS, AW, size(32), 8)
      .section(".rodata", el::SHT_PROGBITS, A, bytes{1, 2, 3, 4, 5, 6, 7, 8}, 4)
      .section(".comment", el::SHT_PROGBITS, 0, bytes{'x', 'y', 'z', 0}, 1)
      .symbol("local_data", el::STB_LOCAL, el::STT_OBJECT, ".data", 8, 8)
      .symbol("ext_fn", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 13)
      .symbol("ext_obj", el::STB_GLOBAL, el::STT_OBJECT, ".data", 0, 8)
      .symbol("ext_buf", el::STB_GLOBAL, el::STT_OBJECT, ".bss", 0, 32)
      .symbol("imp_fn", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
      .symbol("imp_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined);
  add_reloc(b, ".text", {1, "imp_fn", call_rel<F>, -4});
  add_reloc(b, ".text", {7, "imp_data", pc_rel32<F>, -4});
  add_reloc(b, ".data", {0, "local_data", abs_word<F>, 0});
  return b;
}

template <elf_format_policy F>
constexpr image<F> base() { return base_builder<F>().template build<capacity>(); }

// ---------------------------------------------------------------------------------------------
// Image surgery.

// Copy section i's file bytes to `at` (at or past the current end; the gap is zero-filled),
// grow the image to cover them, and point sh_offset there. Used to place data at a misaligned
// offset or exactly at the end of the file (boundary pairs for sh_offset + sh_size).
template <elf_format_policy F, std::size_t N>
constexpr elf_image<F, N>& move_section_data(elf_image<F, N>& img, std::uint32_t i, std::uint64_t at) {
  std::uint64_t const off = img.get_section(i, field::sh_offset);
  std::uint64_t const n = img.get_section(i, field::sh_size);
  if (at < img.length || at + n > N) elf_builder_error("move_section_data: bad destination");
  for (std::size_t k = img.length; k < at; ++k) img.data[k] = std::byte{0};
  for (std::uint64_t k = 0; k < n; ++k) img.data[static_cast<std::size_t>(at + k)] = img.data[static_cast<std::size_t>(off + k)];
  img.length = static_cast<std::size_t>(at + n);
  return img.patch_section(i, field::sh_offset, at);
}

// Append n copies of `fill` at the end of the image.
template <elf_format_policy F, std::size_t N>
constexpr elf_image<F, N>& append(elf_image<F, N>& img, std::size_t n, std::uint8_t fill = 0) {
  if (img.length + n > N) elf_builder_error("append: capacity");
  for (std::size_t k = 0; k < n; ++k) img.data[img.length + k] = std::byte{fill};
  img.length += n;
  return img;
}

// Move the section header table `delta` bytes towards the end of the file (delta odd: a
// misaligned e_shoff). The layout record follows, so later patches still find the headers.
template <elf_format_policy F, std::size_t N>
constexpr elf_image<F, N>& shift_section_table(elf_image<F, N>& img, std::size_t delta) {
  using C = typename F::elf_class_type;
  std::uint64_t const from = img.layout.shoff;
  std::uint64_t const bytes = std::uint64_t{img.layout.shnum} * C::shdr_size;
  if (from + bytes != img.length || img.length + delta > N) elf_builder_error("shift_section_table: layout");
  for (std::uint64_t k = bytes; k-- > 0;)
    img.data[static_cast<std::size_t>(from + delta + k)] = img.data[static_cast<std::size_t>(from + k)];
  for (std::size_t k = 0; k < delta; ++k) img.data[static_cast<std::size_t>(from + k)] = std::byte{0};
  img.length += delta;
  img.layout.shoff = from + delta;
  return img.patch(field::e_shoff, from + delta);
}

// ---------------------------------------------------------------------------------------------
// What the loader checks before it allocates: the header and section table (parse) and every
// symbol (symbol_at), as linker::parse_all does. Constexpr: runs in static_assert.
template <elf_format_policy F>
constexpr diagnostic validate(std::span<std::byte const> bytes, limits const& lim = {}) {
  auto v = object_view<F>::parse(bytes, machine_of<F>, lim);
  if (!v) return v.error();
  for (std::uint32_t i = 1; i < v->symbol_count(); ++i)
    if (auto s = v->symbol_at(i); !s) return s.error();
  return {};
}
template <elf_format_policy F, std::size_t N>
constexpr diagnostic validate(elf_image<F, N> const& img, limits const& lim = {}) {
  return validate<F>(img.view(), lim);
}

// An exact expectation: every member that is set must match (unset = not checked, except that
// section/symbol/relocation default to "none" and are then required to be none).
struct want {
  errc code;
  field what = field::none;
  std::uint32_t section = no_index;
  std::uint32_t symbol = no_index;
  std::uint32_t relocation = no_index;
  std::optional<std::int64_t> value{};
  std::optional<std::int64_t> min{}, max{};
};

constexpr bool is(diagnostic const& d, want const& w) noexcept {
  return d.code == w.code && d.what == w.what && d.section == w.section && d.symbol == w.symbol &&
         d.relocation == w.relocation && (!w.value || d.value == *w.value) &&
         (!w.min || (d.has_range && d.min == *w.min)) && (!w.max || (d.has_range && d.max == *w.max));
}
constexpr bool ok(diagnostic const& d) noexcept { return d.code == errc::ok; }
inline constexpr want accepted{errc::ok};

// The base image of each format, built once per translation unit.
template <elf_format_policy F>
inline constexpr image<F> base_img = base<F>();

// A check runs one image against one expectation. parse_check is the pre-allocation validation
// (constexpr); harness.hpp's load_check is the whole x86-64 loader. Class tests are written once,
// as `template <class F, class Check> constexpr bool c07_...(Check const& c)`, and run with both.
struct parse_check {
  limits lim{};
  static constexpr bool full_loader = false;
  template <elf_format_policy F, std::size_t N>
  constexpr bool operator()(elf_image<F, N> const& img, want const& w) const { return is(validate(img, lim), w); }
  constexpr parse_check with(limits const& l) const { return {l}; }
  constexpr parse_check late() const { return *this; } // see load_check::late
};

// What only the full loader rejects (a later phase than parse): at parse level the image is valid.
template <class Check>
constexpr want loader_only(want const& w) { return Check::full_loader ? w : accepted; }

// A boundary pair: the last valid value is accepted, the first invalid one rejected with `w`.
// (Counted in docs/MALFORMED-COVERAGE.md by grepping for `boundary(`.)
template <class Check, class Img>
constexpr bool boundary(Check const& c, Img const& last_valid, Img const& first_invalid, want const& w) {
  return c(last_valid, accepted) && c(first_invalid, w);
}

} // namespace extload::inline v0::test::malformed
