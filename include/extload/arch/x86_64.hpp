// arch/x86_64.hpp: the x86-64 relocation set (System V AMD64 psABI, chapter "Relocation Types",
// https://gitlab.com/x86-psABIs/x86-64-ABI). Used for host simulation and to run the generic
// loader path in CI.
//
// What is particular about x86-64, and why this file looks the way it does:
//   * Objects are always RELA (gABI: ELFCLASS64, EM_X86_64), so addends never live in the
//     place and there is no read_addend to get right. The machine is little-endian only.
//   * Every field is a plain 8/16/32/64-bit little-endian word: there are no instruction
//     encodings to split bits into, and no alignment constraints on displacements or
//     immediates (align = 1 throughout). The difficulty is range, not bits.
//   * The small code model (-mcmodel=small, the default) assumes that code and data are
//     reachable with signed 32-bit displacements: PC32/PLT32/GOTPCREL[X] overflow as soon as
//     the extension is placed more than 2 GiB away from what it references. The loader's
//     placement window and the PLT-style veneer below exist for that reason. R_X86_64_32 is
//     zero-extended by the CPU (movl $imm32, %r32) and R_X86_64_32S sign-extended
//     (movq $imm32, %r64 / disp32 addressing), hence their different ranges.
//   * GOTPCRELX / REX_GOTPCRELX mark GOT loads a linker *may* relax (mov -> lea, call *
//     -> addr32 call). Relaxation is optional (psABI "Optimize GOTPCRELX Relocations"), so
//     this set never rewrites instructions: the loader always gives the symbol a GOT slot and
//     computes G + A - P, which is what GOTPCREL means. That keeps the set purely "which bits".
//   * Ranges follow lld (lld/ELF/Arch/X86_64.cpp, X86_64::relocate): checkIntUInt for the
//     8/16-bit data words, checkUInt for R_X86_64_32, checkInt(32) for every other 32-bit
//     field including GOT32 and SIZE32, and no check for 64-bit fields.
//   * TLS relocations are listed (kind expr::tls) so they are rejected *by name* with
//     errc::unsupported_relocation: an extension has no TLS block.
//   * COPY (5), GLOB_DAT (6), JUMP_SLOT (7), RELATIVE (8) and IRELATIVE (37) are dynamic
//     relocations: the psABI lets them appear only in ET_EXEC/ET_DYN outputs. They are left
//     out on purpose, so in an ET_REL they are an "unknown relocation", like any malformed
//     type. GOTPLT64 (30) and PLTOFF64 (31) belong to the large PIC model and are handled
//     with 64-bit fields (no PLT needed: a 64-bit offset reaches everything).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "extload/arch/common.hpp"
#include "extload/arch/reloc_set.hpp"
#include "extload/bytes.hpp"
#include "extload/elf/constants.hpp"

namespace extload::inline v0::arch {

struct x86_64_traits {
  static constexpr std::uint16_t e_machine = elf::EM_X86_64;
  static constexpr bool uses_rela = true;
  static constexpr std::size_t got_entry_size = 8;
  static constexpr char const* arch_name = "x86-64";
  // The psABI defines no e_flags (all accepted) and one processor-specific section type:
  // SHT_X86_64_UNWIND, which LLVM gives .eh_frame (gas: SHT_PROGBITS); loaded and relocated like data.
  static constexpr bool known_section_type(std::uint32_t t) noexcept { return t == elf::SHT_X86_64_UNWIND; }

  // A veneer is a PLT-style stub that reaches any 64-bit address from a rel32 call/jmp:
  //   ff 25 00 00 00 00    jmp *0(%rip)     ; RIP-relative load of the next 8 bytes
  //   <8-byte target>                        ; absolute address, little-endian
  //   cc cc                int3; int3        ; pad to 16 (a stray fall-through traps)
  static constexpr std::size_t veneer_size = 16;
  static constexpr std::uint64_t veneer_align = 16;

  // `at` (the stub's own address) is not needed: the stub is position-independent.
  template <std::endian O>
  static constexpr void write_veneer(std::byte* p, std::uint64_t /*at*/, std::uint64_t target) noexcept {
    p[0] = std::byte{0xff}; // JMP r/m64 (FF /4)
    p[1] = std::byte{0x25}; // ModRM: mod=00 reg=4 rm=101 -> [RIP + disp32]
    store_at<std::uint32_t, O>(p + 2, 0); // disp32 = 0: the literal follows the instruction
    store_at<std::uint64_t, O>(p + 6, target);
    p[14] = std::byte{0xcc};
    p[15] = std::byte{0xcc};
  }

  // Relocation type numbers (psABI table "Relocation Types"). Unscoped so that
  // `narrow<x86_64, x86_64::R_X86_64_64, x86_64::R_X86_64_PC32>` reads like the spec.
  enum : std::uint32_t {
    R_X86_64_NONE = 0,
    R_X86_64_64 = 1,
    R_X86_64_PC32 = 2,
    R_X86_64_GOT32 = 3,
    R_X86_64_PLT32 = 4,
    R_X86_64_COPY = 5,      // dynamic only: not in the set
    R_X86_64_GLOB_DAT = 6,  // dynamic only: not in the set
    R_X86_64_JUMP_SLOT = 7, // dynamic only: not in the set
    R_X86_64_RELATIVE = 8,  // dynamic only: not in the set
    R_X86_64_GOTPCREL = 9,
    R_X86_64_32 = 10,
    R_X86_64_32S = 11,
    R_X86_64_16 = 12,
    R_X86_64_PC16 = 13,
    R_X86_64_8 = 14,
    R_X86_64_PC8 = 15,
    R_X86_64_DTPMOD64 = 16,
    R_X86_64_DTPOFF64 = 17,
    R_X86_64_TPOFF64 = 18,
    R_X86_64_TLSGD = 19,
    R_X86_64_TLSLD = 20,
    R_X86_64_DTPOFF32 = 21,
    R_X86_64_GOTTPOFF = 22,
    R_X86_64_TPOFF32 = 23,
    R_X86_64_PC64 = 24,
    R_X86_64_GOTOFF64 = 25,
    R_X86_64_GOTPC32 = 26,
    R_X86_64_GOT64 = 27,
    R_X86_64_GOTPCREL64 = 28,
    R_X86_64_GOTPC64 = 29,
    R_X86_64_GOTPLT64 = 30,
    R_X86_64_PLTOFF64 = 31,
    R_X86_64_SIZE32 = 32,
    R_X86_64_SIZE64 = 33,
    R_X86_64_GOTPC32_TLSDESC = 34,
    R_X86_64_TLSDESC_CALL = 35,
    R_X86_64_TLSDESC = 36,
    R_X86_64_IRELATIVE = 37, // dynamic only: not in the set
    R_X86_64_GOTPCRELX = 41,
    R_X86_64_REX_GOTPCRELX = 42,
  };
};

namespace x86_64_howto {

// A field with no bits: R_X86_64_NONE, and the TLSDESC_CALL marker on `call *x@tlsdesc(%rax)`.
struct no_field {
  static constexpr std::size_t width = 0;
  template <std::endian Order>
  static constexpr void write(std::byte*, std::uint64_t) noexcept {}
};

// The parts every x86-64 howto shares; each type below adds its psABI name.
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
using w64 = data_write<std::uint64_t>;
using traits = x86_64_traits;

// -- Data and code references -------------------------------------------------------------
struct R_X86_64_NONE : field<no_field, traits::R_X86_64_NONE, expr::none, no_check> {
  static constexpr char const* name = "R_X86_64_NONE";
};
// word64: S + A (pointers in .data, .eh_frame personality, jump tables in -mcmodel=large).
struct R_X86_64_64 : field<w64, traits::R_X86_64_64, expr::abs, no_check> {
  static constexpr char const* name = "R_X86_64_64";
};
// word32: S + A - P (rel32 of call/jmp/jcc to local labels, disp32 of RIP-relative operands).
struct R_X86_64_PC32 : field<w32, traits::R_X86_64_PC32, expr::pc, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_PC32";
};
// word32: G + A, G being the slot's offset from the GOT base (lld: R_GOTPLT, checkInt 32).
struct R_X86_64_GOT32 : field<w32, traits::R_X86_64_GOT32, expr::got_off, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_GOT32";
};
// word32: L + A - P (`call foo@PLT`). Without a stub, L is S itself (lld: R_PLT_PC).
struct R_X86_64_PLT32 : field<w32, traits::R_X86_64_PLT32, expr::branch, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_PLT32";
};
// word32: G + GOT + A - P, i.e. the slot's address relative to the place (`mov foo@GOTPCREL(%rip)`).
struct R_X86_64_GOTPCREL : field<w32, traits::R_X86_64_GOTPCREL, expr::got_pc, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_GOTPCREL";
};
// word32: S + A, zero-extended by the CPU (`movl $foo, %eax`): [0, 2^32 - 1].
struct R_X86_64_32 : field<w32, traits::R_X86_64_32, expr::abs, unsigned_bits(32)> {
  static constexpr char const* name = "R_X86_64_32";
};
// word32: S + A, sign-extended by the CPU (`movq $foo, %rax`, `foo(,%rax,8)`): [-2^31, 2^31 - 1].
struct R_X86_64_32S : field<w32, traits::R_X86_64_32S, expr::abs, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_32S";
};
// word16: S + A; .word accepts either reading (lld: checkIntUInt 16).
struct R_X86_64_16 : field<w16, traits::R_X86_64_16, expr::abs, any_bits(16)> {
  static constexpr char const* name = "R_X86_64_16";
};
struct R_X86_64_PC16 : field<w16, traits::R_X86_64_PC16, expr::pc, signed_bits(16)> {
  static constexpr char const* name = "R_X86_64_PC16";
};
// word8: S + A; .byte accepts either reading (lld: checkIntUInt 8).
struct R_X86_64_8 : field<w8, traits::R_X86_64_8, expr::abs, any_bits(8)> {
  static constexpr char const* name = "R_X86_64_8";
};
// word8: S + A - P (rel8 of a short jmp/jcc to another section).
struct R_X86_64_PC8 : field<w8, traits::R_X86_64_PC8, expr::pc, signed_bits(8)> {
  static constexpr char const* name = "R_X86_64_PC8";
};
struct R_X86_64_PC64 : field<w64, traits::R_X86_64_PC64, expr::pc, no_check> {
  static constexpr char const* name = "R_X86_64_PC64";
};

// -- GOT-relative (medium and large code models) ----------------------------------------
// word64: S + A - GOT.
struct R_X86_64_GOTOFF64 : field<w64, traits::R_X86_64_GOTOFF64, expr::gotoff, no_check> {
  static constexpr char const* name = "R_X86_64_GOTOFF64";
};
// word32: GOT + A - P (`leaq _GLOBAL_OFFSET_TABLE_(%rip), %r15`).
struct R_X86_64_GOTPC32 : field<w32, traits::R_X86_64_GOTPC32, expr::gotpc, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_GOTPC32";
};
// word64: G + A (slot offset from the GOT base).
struct R_X86_64_GOT64 : field<w64, traits::R_X86_64_GOT64, expr::got_off, no_check> {
  static constexpr char const* name = "R_X86_64_GOT64";
};
// word64: G + GOT - P + A (slot address relative to the place).
struct R_X86_64_GOTPCREL64 : field<w64, traits::R_X86_64_GOTPCREL64, expr::got_pc, no_check> {
  static constexpr char const* name = "R_X86_64_GOTPCREL64";
};
// word64: GOT - P + A.
struct R_X86_64_GOTPC64 : field<w64, traits::R_X86_64_GOTPC64, expr::gotpc, no_check> {
  static constexpr char const* name = "R_X86_64_GOTPC64";
};

// word64: G + A, as GOT64 (the psABI gives GOTPLT64 the same formula; deprecated but emitted
// by older compilers for large-model PIC).
struct R_X86_64_GOTPLT64 : field<w64, traits::R_X86_64_GOTPLT64, expr::got_off, no_check> {
  static constexpr char const* name = "R_X86_64_GOTPLT64";
};
// word64: L + A - GOT. gcc -mcmodel=large -fPIC calls external functions as
// `movabs $f@PLTOFF, %rax; add %r15, %rax; call *%rax`. A 64-bit offset reaches any address,
// so the loader needs no PLT entry: L = S (lld does the same for non-preemptible symbols).
struct R_X86_64_PLTOFF64 : field<w64, traits::R_X86_64_PLTOFF64, expr::gotoff, no_check> {
  static constexpr char const* name = "R_X86_64_PLTOFF64";
};

// -- Symbol size ---------------------------------------------------------------------------
// word32: Z + A (lld: R_SIZE, checkInt 32).
struct R_X86_64_SIZE32 : field<w32, traits::R_X86_64_SIZE32, expr::size, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_SIZE32";
};
struct R_X86_64_SIZE64 : field<w64, traits::R_X86_64_SIZE64, expr::size, no_check> {
  static constexpr char const* name = "R_X86_64_SIZE64";
};

// -- Relaxable GOT loads: computed as GOTPCREL, never relaxed (see the file comment) --------
struct R_X86_64_GOTPCRELX : field<w32, traits::R_X86_64_GOTPCRELX, expr::got_pc, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_GOTPCRELX";
};
struct R_X86_64_REX_GOTPCRELX : field<w32, traits::R_X86_64_REX_GOTPCRELX, expr::got_pc, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_REX_GOTPCRELX";
};

// -- Thread-local storage: rejected with errc::unsupported_relocation ----------------------
// Widths are the psABI field sizes, so a caller that bounds-checks the place before
// dispatching still sees the right number; nothing is ever written.
struct R_X86_64_DTPMOD64 : field<w64, traits::R_X86_64_DTPMOD64, expr::tls, no_check> {
  static constexpr char const* name = "R_X86_64_DTPMOD64";
};
struct R_X86_64_DTPOFF64 : field<w64, traits::R_X86_64_DTPOFF64, expr::tls, no_check> {
  static constexpr char const* name = "R_X86_64_DTPOFF64";
};
struct R_X86_64_TPOFF64 : field<w64, traits::R_X86_64_TPOFF64, expr::tls, no_check> {
  static constexpr char const* name = "R_X86_64_TPOFF64";
};
struct R_X86_64_TLSGD : field<w32, traits::R_X86_64_TLSGD, expr::tls, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_TLSGD";
};
struct R_X86_64_TLSLD : field<w32, traits::R_X86_64_TLSLD, expr::tls, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_TLSLD";
};
struct R_X86_64_DTPOFF32 : field<w32, traits::R_X86_64_DTPOFF32, expr::tls, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_DTPOFF32";
};
struct R_X86_64_GOTTPOFF : field<w32, traits::R_X86_64_GOTTPOFF, expr::tls, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_GOTTPOFF";
};
struct R_X86_64_TPOFF32 : field<w32, traits::R_X86_64_TPOFF32, expr::tls, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_TPOFF32";
};
struct R_X86_64_GOTPC32_TLSDESC : field<w32, traits::R_X86_64_GOTPC32_TLSDESC, expr::tls, signed_bits(32)> {
  static constexpr char const* name = "R_X86_64_GOTPC32_TLSDESC";
};
// A marker on `call *x@tlsdesc(%rax)`: it names an instruction, not a field.
struct R_X86_64_TLSDESC_CALL : field<no_field, traits::R_X86_64_TLSDESC_CALL, expr::tls, no_check> {
  static constexpr char const* name = "R_X86_64_TLSDESC_CALL";
};
// Two words (resolver, argument); the psABI puts the addend in the second.
struct R_X86_64_TLSDESC : field<w64, traits::R_X86_64_TLSDESC, expr::tls, no_check> {
  static constexpr char const* name = "R_X86_64_TLSDESC";
  static constexpr std::size_t width = 16;
};

} // namespace x86_64_howto

using x86_64 = reloc_set<x86_64_traits,
                         x86_64_howto::R_X86_64_NONE, x86_64_howto::R_X86_64_64,
                         x86_64_howto::R_X86_64_PC32, x86_64_howto::R_X86_64_GOT32,
                         x86_64_howto::R_X86_64_PLT32, x86_64_howto::R_X86_64_GOTPCREL,
                         x86_64_howto::R_X86_64_32, x86_64_howto::R_X86_64_32S,
                         x86_64_howto::R_X86_64_16, x86_64_howto::R_X86_64_PC16,
                         x86_64_howto::R_X86_64_8, x86_64_howto::R_X86_64_PC8,
                         x86_64_howto::R_X86_64_DTPMOD64, x86_64_howto::R_X86_64_DTPOFF64,
                         x86_64_howto::R_X86_64_TPOFF64, x86_64_howto::R_X86_64_TLSGD,
                         x86_64_howto::R_X86_64_TLSLD, x86_64_howto::R_X86_64_DTPOFF32,
                         x86_64_howto::R_X86_64_GOTTPOFF, x86_64_howto::R_X86_64_TPOFF32,
                         x86_64_howto::R_X86_64_PC64, x86_64_howto::R_X86_64_GOTOFF64,
                         x86_64_howto::R_X86_64_GOTPC32, x86_64_howto::R_X86_64_GOT64,
                         x86_64_howto::R_X86_64_GOTPCREL64, x86_64_howto::R_X86_64_GOTPC64,
                         x86_64_howto::R_X86_64_GOTPLT64, x86_64_howto::R_X86_64_PLTOFF64,
                         x86_64_howto::R_X86_64_SIZE32, x86_64_howto::R_X86_64_SIZE64,
                         x86_64_howto::R_X86_64_GOTPC32_TLSDESC,
                         x86_64_howto::R_X86_64_TLSDESC_CALL, x86_64_howto::R_X86_64_TLSDESC,
                         x86_64_howto::R_X86_64_GOTPCRELX, x86_64_howto::R_X86_64_REX_GOTPCRELX>;
static_assert(relocation_set<x86_64>);

} // namespace extload::inline v0::arch
