// arch/i386.hpp: the i386 relocation set (System V ABI, Intel386 Architecture Processor
// Supplement, "Relocation Types", https://gitlab.com/x86-psABIs/i386-ABI). Used for 32-bit x86
// firmware and to run the REL path (implicit addends) on real objects under qemu-i386.
//
// What is particular about i386, and why this file looks the way it does:
//   * Objects are always REL (gABI: SHT_REL for EM_386): the addend is the field's own
//     contents, so every howto has a read_addend that is the exact inverse of its write
//     (a sign-extended little-endian word of the field's width).
//   * Every field is a plain 8/16/32-bit little-endian word; no alignment rules (align = 1).
//   * i386 is an ILP32 machine whose address arithmetic wraps modulo 2^32, so a 32-bit field
//     holds every value a 32-bit address computation can produce: S + A - P with S, P below
//     2^32 lies in (-2^32, 2^32) and the CPU reaches the target through the wrap. lld gets the
//     same result by sign-extending the value from bit 31 before its checkInt(v, 32), which
//     therefore never fails. We check the wider interval `wrap32` = [-2^32, 2^32 - 1] instead
//     of nothing: a value outside it means an input address did not fit in 32 bits (e.g. a
//     resolver handing out 64-bit host addresses), which must be an error, not a truncation.
//   * The 8/16-bit fields follow lld (lld/ELF/Arch/X86.cpp, X86::relocate): checkIntUInt for
//     R_386_8/16, checkInt(v, 8) for PC8 and checkInt(v, 17) for PC16 (16-bit code wraps its
//     16-bit PC, so lld only rejects what no wrap can explain). These types are GNU extensions
//     used by 16-bit code (boot loaders), not part of the original psABI table.
//   * x86 has no PC-relative data addressing: PIC code materialises the GOT address with
//     `call __x86.get_pc_thunk.bx; addl $_GLOBAL_OFFSET_TABLE_, %ebx` (R_386_GOTPC = GOT + A - P,
//     the loader maps the symbol _GLOBAL_OFFSET_TABLE_ to its GOT base) and then addresses
//     data as `foo@GOTOFF(%ebx)` (S + A - GOT) and imports as `foo@GOT(%ebx)` (a GOT slot,
//     G + A - GOT: GOT32, or GOT32X when the linker may relax the load).
//   * GOT32 / GOT32X without a base register. `call *foo@GOT` / `jmp *foo@GOT` / `mov foo@GOT, %eax`
//     (ModRM mod=00, r/m=101: ff 15 / ff 25 / 8b 05 + disp32) is what gcc -fno-pic -fno-plt emits;
//     there the field is the *absolute* slot address G + A, while with a base register (PIC) it is
//     G + A - GOT. As lld does (X86.cpp, R_386_GOT32), the ModRM byte before the place decides:
//     place_kind() reads it from the section (offset 0 has no byte before it: PIC form).
//   * TLS relocations are listed (kind expr::tls) so they are rejected by name with
//     errc::unsupported_relocation: an extension has no TLS block.
//   * COPY (5), GLOB_DAT (6), JMP_SLOT (7), RELATIVE (8) and IRELATIVE (42) are dynamic
//     relocations (ET_EXEC/ET_DYN only) and R_386_32PLT (11) is unused: they are left out, so
//     an ET_REL carrying one is an "unknown relocation".
//   * No veneers: a rel32 call reaches the whole 4 GiB address space (veneer_size = 0).
//   * The set is called `x86_32`, not `i386`: gcc predefines the macro `i386` (= 1) when
//     targeting i386 in GNU modes (-std=gnu++20), which would break any use of that name.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "extload/arch/common.hpp"
#include "extload/arch/reloc_set.hpp"
#include "extload/bytes.hpp"
#include "extload/elf/constants.hpp"

namespace extload::inline v0::arch {

struct i386_traits {
  static constexpr std::uint16_t e_machine = elf::EM_386;
  static constexpr bool uses_rela = false;
  static constexpr std::size_t got_entry_size = 4;
  static constexpr char const* arch_name = "i386";
  static constexpr std::size_t veneer_size = 0; // rel32 reaches every 32-bit address
  static constexpr std::uint64_t veneer_align = 1;

  // Relocation type numbers (psABI "Relocation Types" plus the GNU additions). Unscoped so that
  // `narrow<x86_32, x86_32::R_386_32, x86_32::R_386_PC32>` reads like the spec.
  enum : std::uint32_t {
    R_386_NONE = 0,
    R_386_32 = 1,
    R_386_PC32 = 2,
    R_386_GOT32 = 3,
    R_386_PLT32 = 4,
    R_386_COPY = 5,     // dynamic only: not in the set
    R_386_GLOB_DAT = 6, // dynamic only: not in the set
    R_386_JMP_SLOT = 7, // dynamic only: not in the set
    R_386_RELATIVE = 8, // dynamic only: not in the set
    R_386_GOTOFF = 9,
    R_386_GOTPC = 10,
    R_386_32PLT = 11,   // unused: not in the set
    R_386_TLS_TPOFF = 14,
    R_386_TLS_IE = 15,
    R_386_TLS_GOTIE = 16,
    R_386_TLS_LE = 17,
    R_386_TLS_GD = 18,
    R_386_TLS_LDM = 19,
    R_386_16 = 20,
    R_386_PC16 = 21,
    R_386_8 = 22,
    R_386_PC8 = 23,
    R_386_TLS_GD_32 = 24,
    R_386_TLS_GD_PUSH = 25,
    R_386_TLS_GD_CALL = 26,
    R_386_TLS_GD_POP = 27,
    R_386_TLS_LDM_32 = 28,
    R_386_TLS_LDM_PUSH = 29,
    R_386_TLS_LDM_CALL = 30,
    R_386_TLS_LDM_POP = 31,
    R_386_TLS_LDO_32 = 32,
    R_386_TLS_IE_32 = 33,
    R_386_TLS_LE_32 = 34,
    R_386_TLS_DTPMOD32 = 35,
    R_386_TLS_DTPOFF32 = 36,
    R_386_TLS_TPOFF32 = 37,
    R_386_SIZE32 = 38,
    R_386_TLS_GOTDESC = 39,
    R_386_TLS_DESC_CALL = 40,
    R_386_TLS_DESC = 41,
    R_386_IRELATIVE = 42, // dynamic only: not in the set
    R_386_GOT32X = 43,
  };
};

namespace i386_howto {

// Every value a 32-bit address computation can produce (see the file comment).
inline constexpr range wrap32 = [] {
  range r;
  r.unchecked = false;
  r.min = -(std::int64_t{1} << 32);
  r.max = (std::int64_t{1} << 32) - 1;
  return r;
}();

// A field with no bits: R_386_NONE, and the TLS_DESC_CALL marker on `call *x@tlscall(%eax)`.
struct no_field {
  static constexpr std::size_t width = 0;
  template <std::endian Order>
  static constexpr void write(std::byte*, std::uint64_t) noexcept {}
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const*) noexcept { return 0; }
};

// The parts every i386 howto shares; each type below adds its psABI name. The field supplies
// write and read_addend (data_write: little-endian word, addend sign-extended from its width).
template <class Field, std::uint32_t Type, expr Kind, range Check>
struct field : Field {
  static constexpr std::uint32_t type = Type;
  static constexpr expr kind = Kind;
  static constexpr range check = Check;
  static constexpr std::uint64_t align = 1; // x86 has no alignment rule for imm/disp fields
};

using w8 = data_write<std::uint8_t>;
using w16 = data_write<std::uint16_t>;
using w32 = data_write<std::uint32_t>;
using traits = i386_traits;

// -- Data and code references -------------------------------------------------------------
struct R_386_NONE : field<no_field, traits::R_386_NONE, expr::none, no_check> {
  static constexpr char const* name = "R_386_NONE";
};
// word32: S + A (pointers in .data, `movl $foo, %eax`, jump tables in non-PIC code).
struct R_386_32 : field<w32, traits::R_386_32, expr::abs, wrap32> {
  static constexpr char const* name = "R_386_32";
};
// word32: S + A - P (rel32 of call/jmp/jcc; gcc -fno-pic calls imports with PC32, not PLT32).
struct R_386_PC32 : field<w32, traits::R_386_PC32, expr::pc, wrap32> {
  static constexpr char const* name = "R_386_PC32";
};
// word32: G + A - GOT (`movl foo@GOT(%ebx), %eax`; see the file comment on the absolute form).
// ModRM mod=00 r/m=101 (disp32, no base register) before the field: the absolute slot address.
constexpr expr got32_place_kind(std::byte const* section, std::uint64_t offset) noexcept {
  if (offset >= 1 && (std::to_integer<unsigned>(section[offset - 1]) & 0xc7u) == 0x05u) return expr::got_abs;
  return expr::got_off;
}

struct R_386_GOT32 : field<w32, traits::R_386_GOT32, expr::got_off, wrap32> {
  static constexpr char const* name = "R_386_GOT32";
  static constexpr expr place_kind(std::byte const* section, std::uint64_t offset) noexcept { return got32_place_kind(section, offset); }
};
// word32: L + A - P (`call foo@PLT`). Without a stub, L is S itself (lld: R_PLT_PC).
struct R_386_PLT32 : field<w32, traits::R_386_PLT32, expr::branch, wrap32> {
  static constexpr char const* name = "R_386_PLT32";
};
// word32: S + A - GOT (`leal foo@GOTOFF(%ebx), %eax`: local data in PIC code).
struct R_386_GOTOFF : field<w32, traits::R_386_GOTOFF, expr::gotoff, wrap32> {
  static constexpr char const* name = "R_386_GOTOFF";
};
// word32: GOT + A - P (`addl $_GLOBAL_OFFSET_TABLE_, %ebx`; the addend says where the thunk's
// return address is relative to the field).
struct R_386_GOTPC : field<w32, traits::R_386_GOTPC, expr::gotpc, wrap32> {
  static constexpr char const* name = "R_386_GOTPC";
};
// word16: S + A; .word accepts either reading (lld: checkIntUInt 16).
struct R_386_16 : field<w16, traits::R_386_16, expr::abs, any_bits(16)> {
  static constexpr char const* name = "R_386_16";
};
// word16: S + A - P; lld checks 17 bits (the 16-bit PC wraps, see the file comment).
struct R_386_PC16 : field<w16, traits::R_386_PC16, expr::pc, signed_bits(17)> {
  static constexpr char const* name = "R_386_PC16";
};
// word8: S + A; .byte accepts either reading (lld: checkIntUInt 8).
struct R_386_8 : field<w8, traits::R_386_8, expr::abs, any_bits(8)> {
  static constexpr char const* name = "R_386_8";
};
// word8: S + A - P (rel8 of a short jmp/jcc to another section).
struct R_386_PC8 : field<w8, traits::R_386_PC8, expr::pc, signed_bits(8)> {
  static constexpr char const* name = "R_386_PC8";
};
// word32: Z + A (symbol size; GNU extension).
struct R_386_SIZE32 : field<w32, traits::R_386_SIZE32, expr::size, wrap32> {
  static constexpr char const* name = "R_386_SIZE32";
};
// word32: G + A - GOT, as GOT32, on a load the linker may relax (`movl foo@GOT(%ebx)`,
// `call *foo@GOT(%ebx)` under -fno-plt). Never relaxed here: the slot is always used.
struct R_386_GOT32X : field<w32, traits::R_386_GOT32X, expr::got_off, wrap32> {
  static constexpr char const* name = "R_386_GOT32X";
  static constexpr expr place_kind(std::byte const* section, std::uint64_t offset) noexcept { return got32_place_kind(section, offset); }
};

// -- Thread-local storage: rejected with errc::unsupported_relocation ----------------------
template <std::uint32_t Type>
struct tls32 : field<w32, Type, expr::tls, no_check> {};

struct R_386_TLS_TPOFF : tls32<traits::R_386_TLS_TPOFF> { static constexpr char const* name = "R_386_TLS_TPOFF"; };
struct R_386_TLS_IE : tls32<traits::R_386_TLS_IE> { static constexpr char const* name = "R_386_TLS_IE"; };
struct R_386_TLS_GOTIE : tls32<traits::R_386_TLS_GOTIE> { static constexpr char const* name = "R_386_TLS_GOTIE"; };
struct R_386_TLS_LE : tls32<traits::R_386_TLS_LE> { static constexpr char const* name = "R_386_TLS_LE"; };
struct R_386_TLS_GD : tls32<traits::R_386_TLS_GD> { static constexpr char const* name = "R_386_TLS_GD"; };
struct R_386_TLS_LDM : tls32<traits::R_386_TLS_LDM> { static constexpr char const* name = "R_386_TLS_LDM"; };
struct R_386_TLS_GD_32 : tls32<traits::R_386_TLS_GD_32> { static constexpr char const* name = "R_386_TLS_GD_32"; };
struct R_386_TLS_GD_PUSH : tls32<traits::R_386_TLS_GD_PUSH> { static constexpr char const* name = "R_386_TLS_GD_PUSH"; };
struct R_386_TLS_GD_CALL : tls32<traits::R_386_TLS_GD_CALL> { static constexpr char const* name = "R_386_TLS_GD_CALL"; };
struct R_386_TLS_GD_POP : tls32<traits::R_386_TLS_GD_POP> { static constexpr char const* name = "R_386_TLS_GD_POP"; };
struct R_386_TLS_LDM_32 : tls32<traits::R_386_TLS_LDM_32> { static constexpr char const* name = "R_386_TLS_LDM_32"; };
struct R_386_TLS_LDM_PUSH : tls32<traits::R_386_TLS_LDM_PUSH> { static constexpr char const* name = "R_386_TLS_LDM_PUSH"; };
struct R_386_TLS_LDM_CALL : tls32<traits::R_386_TLS_LDM_CALL> { static constexpr char const* name = "R_386_TLS_LDM_CALL"; };
struct R_386_TLS_LDM_POP : tls32<traits::R_386_TLS_LDM_POP> { static constexpr char const* name = "R_386_TLS_LDM_POP"; };
struct R_386_TLS_LDO_32 : tls32<traits::R_386_TLS_LDO_32> { static constexpr char const* name = "R_386_TLS_LDO_32"; };
struct R_386_TLS_IE_32 : tls32<traits::R_386_TLS_IE_32> { static constexpr char const* name = "R_386_TLS_IE_32"; };
struct R_386_TLS_LE_32 : tls32<traits::R_386_TLS_LE_32> { static constexpr char const* name = "R_386_TLS_LE_32"; };
struct R_386_TLS_DTPMOD32 : tls32<traits::R_386_TLS_DTPMOD32> { static constexpr char const* name = "R_386_TLS_DTPMOD32"; };
struct R_386_TLS_DTPOFF32 : tls32<traits::R_386_TLS_DTPOFF32> { static constexpr char const* name = "R_386_TLS_DTPOFF32"; };
struct R_386_TLS_TPOFF32 : tls32<traits::R_386_TLS_TPOFF32> { static constexpr char const* name = "R_386_TLS_TPOFF32"; };
struct R_386_TLS_GOTDESC : tls32<traits::R_386_TLS_GOTDESC> { static constexpr char const* name = "R_386_TLS_GOTDESC"; };
// A marker on `call *x@tlscall(%eax)`: it names an instruction, not a field.
struct R_386_TLS_DESC_CALL : field<no_field, traits::R_386_TLS_DESC_CALL, expr::tls, no_check> {
  static constexpr char const* name = "R_386_TLS_DESC_CALL";
};
// Two words (resolver, argument).
struct R_386_TLS_DESC : field<w32, traits::R_386_TLS_DESC, expr::tls, no_check> {
  static constexpr char const* name = "R_386_TLS_DESC";
  static constexpr std::size_t width = 8;
};

} // namespace i386_howto

using x86_32 = reloc_set<i386_traits,
                       i386_howto::R_386_NONE, i386_howto::R_386_32, i386_howto::R_386_PC32,
                       i386_howto::R_386_GOT32, i386_howto::R_386_PLT32, i386_howto::R_386_GOTOFF,
                       i386_howto::R_386_GOTPC, i386_howto::R_386_16, i386_howto::R_386_PC16,
                       i386_howto::R_386_8, i386_howto::R_386_PC8, i386_howto::R_386_SIZE32,
                       i386_howto::R_386_GOT32X,
                       i386_howto::R_386_TLS_TPOFF, i386_howto::R_386_TLS_IE, i386_howto::R_386_TLS_GOTIE,
                       i386_howto::R_386_TLS_LE, i386_howto::R_386_TLS_GD, i386_howto::R_386_TLS_LDM,
                       i386_howto::R_386_TLS_GD_32, i386_howto::R_386_TLS_GD_PUSH,
                       i386_howto::R_386_TLS_GD_CALL, i386_howto::R_386_TLS_GD_POP,
                       i386_howto::R_386_TLS_LDM_32, i386_howto::R_386_TLS_LDM_PUSH,
                       i386_howto::R_386_TLS_LDM_CALL, i386_howto::R_386_TLS_LDM_POP,
                       i386_howto::R_386_TLS_LDO_32, i386_howto::R_386_TLS_IE_32,
                       i386_howto::R_386_TLS_LE_32, i386_howto::R_386_TLS_DTPMOD32,
                       i386_howto::R_386_TLS_DTPOFF32, i386_howto::R_386_TLS_TPOFF32,
                       i386_howto::R_386_TLS_GOTDESC, i386_howto::R_386_TLS_DESC_CALL,
                       i386_howto::R_386_TLS_DESC>;
static_assert(relocation_set<x86_32>);

} // namespace extload::inline v0::arch
