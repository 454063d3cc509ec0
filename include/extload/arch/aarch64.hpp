// arch/aarch64.hpp: the AArch64 relocation set (AAELF64, "ELF for the Arm 64-bit Architecture",
// https://github.com/ARM-software/abi-aa/blob/main/aaelf64/aaelf64.rst, §5.7 "Relocation").
//
// What is particular about AArch64, and why this file looks the way it does:
//   * Objects are always RELA (AAELF64 §5.7.2: "SHT_RELA ... shall be used"), so addends are in
//     the relocation entry and the field being patched is taken as zero. Writers still clear the
//     field before inserting the value (as lld and GNU ld do) so a non-zero field is overwritten,
//     never OR'd into garbage.
//   * Instructions are always little-endian, also on big-endian (aarch64_be) targets (Arm ARM
//     B2.6.2: "instruction fetches are always little-endian" in AArch64). Instruction fields are
//     therefore patched little-endian whatever the ELF data encoding; only data words (ABS*,
//     PREL*, PLT32) and the veneer's literal follow the object's byte order.
//   * Every instruction is 4 bytes, so branch and literal offsets are stored divided by 4. A
//     branch or literal target that is not a multiple of 4 is rejected (misaligned) instead of
//     silently truncated: it can only come from a corrupt symbol or addend.
//   * Code addresses data through ADRP + ADD/LDR pairs: ADR_PREL_PG_HI21 writes Page(S+A) -
//     Page(P) (4 KiB pages, ±4 GiB) into an ADRP, and the *_LO12_NC partner writes the low 12
//     bits of S+A, scaled by the access size for loads/stores (LDSTn: bits [11:log2(n/8)]), so
//     LDST16/32/64/128 require S+A to be aligned to the access (lld checkAlignment). The two
//     halves are independent relocations (no pairing state), unlike RISC-V.
//   * MOVW_UABS_Gn write bits [16n+15:16n] of S+A into MOVZ/MOVK; the checked forms require the
//     value to fit in 16(n+1) bits, _NC forms and G3 do not check. MOVW_SABS_Gn and MOVW_PREL_Gn
//     are signed: on a MOVZ/MOVN the writer selects MOVZ for X >= 0 and MOVN with the bits of ~X
//     for X < 0 (AAELF64 §5.7.8, notes on MOV[NZ]); a MOVK only receives the bits.
//   * CALL26/JUMP26 reach ±128 MiB. AAELF64 §5.7.9 lets a linker route them through a veneer that
//     may clobber IP0/IP1 (x16/x17, AAPCS64 §6.1.1); the loader does so for calls to imports out
//     of reach with the 16-byte absolute veneer below (lld's AArch64ABSLongThunk). CONDBR19 and
//     TSTBR14 are classified as branches too (lld: R_PLT_PC), so an out-of-range conditional
//     tail call to an import also lands on the import's veneer when the veneer is within reach.
//   * GOT-generating types (ADR_GOT_PAGE, LD64_GOT_LO12_NC, GOT_LD_PREL19) get a slot
//     synthesized by the loader (kinds got_page_pc / got_abs / got_pc): no relaxation of
//     ADRP+LDR into ADRP+ADD is performed, so the compiler's sequence stays as written.
//   * Ranges follow lld (lld/ELF/Arch/AArch64.cpp, AArch64::relocate): checkIntUInt for the
//     16/32-bit data words (ABS and PREL), checkInt(32) for PLT32, checkInt(28) for CALL26/JUMP26,
//     checkInt(21) for the 19-bit and ADR forms, checkInt(16) for TSTBR14, checkInt(33) for ADRP,
//     checkUInt(16/32/48) for MOVW_UABS_G0/G1/G2, checkInt(17/33/49) for MOVW_SABS/PREL_G0/G1/G2.
//   * TLS relocations (0x200-0x23d: TLSGD, TLSLD, TLSIE, TLSLE, TLSDESC) are listed with kind
//     expr::tls so they are rejected *by name*: an extension has no TLS block. Dynamic types
//     (COPY, GLOB_DAT, JUMP_SLOT, RELATIVE, TLS_DTPMOD64/DTPREL64/TPREL64, TLSDESC, IRELATIVE)
//     occur only in ET_EXEC/ET_DYN and are left out, so in an ET_REL they are unknown.
//   * R_AARCH64_NONE is 0; 256 is the withdrawn "R_AARCH64_NULL" (binutils' name), which
//     AAELF64 still asks consumers to treat as NONE.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "extload/arch/common.hpp"
#include "extload/arch/reloc_set.hpp"
#include "extload/bytes.hpp"
#include "extload/elf/constants.hpp"

namespace extload::inline v0::arch {

struct aarch64_traits {
  static constexpr std::uint16_t e_machine = elf::EM_AARCH64;
  static constexpr bool uses_rela = true;
  static constexpr std::size_t got_entry_size = 8;
  static constexpr char const* arch_name = "AArch64";

  // A veneer reaches any 64-bit address from a B/BL (lld's AArch64ABSLongThunk):
  //   58000050    ldr x16, #8     ; LDR (literal), imm19 = 2 words ahead
  //   d61f0200    br  x16         ; BR to IP0: allowed to land on a `bti c` landing pad
  //   <8-byte target>             ; absolute address in the object's byte order
  // The literal must be 8-byte aligned: with the MMU off (common in firmware) all memory is
  // Device memory, where an unaligned load faults; hence veneer_align = 8.
  static constexpr std::size_t veneer_size = 16;
  static constexpr std::uint64_t veneer_align = 8;

  template <std::endian O>
  static constexpr void write_veneer(std::byte* p, std::uint64_t /*at*/, std::uint64_t target) noexcept {
    store_at<std::uint32_t, std::endian::little>(p, 0x58000050u);     // ldr x16, #8
    store_at<std::uint32_t, std::endian::little>(p + 4, 0xd61f0200u); // br x16
    store_at<std::uint64_t, O>(p + 8, target);
  }

  // Relocation type numbers (AAELF64 §5.7, tables 5-x). Unscoped, so that
  // `narrow<aarch64, aarch64::R_AARCH64_ABS64, aarch64::R_AARCH64_CALL26>` reads like the spec.
  enum : std::uint32_t {
    R_AARCH64_NONE = 0,
    R_AARCH64_NULL = 256, // withdrawn; treated as NONE
    // Data (§5.7.5)
    R_AARCH64_ABS64 = 0x101,
    R_AARCH64_ABS32 = 0x102,
    R_AARCH64_ABS16 = 0x103,
    R_AARCH64_PREL64 = 0x104,
    R_AARCH64_PREL32 = 0x105,
    R_AARCH64_PREL16 = 0x106,
    R_AARCH64_PLT32 = 0x13a,
    // Group relocations for MOVZ/MOVN/MOVK (§5.7.6)
    R_AARCH64_MOVW_UABS_G0 = 0x107,
    R_AARCH64_MOVW_UABS_G0_NC = 0x108,
    R_AARCH64_MOVW_UABS_G1 = 0x109,
    R_AARCH64_MOVW_UABS_G1_NC = 0x10a,
    R_AARCH64_MOVW_UABS_G2 = 0x10b,
    R_AARCH64_MOVW_UABS_G2_NC = 0x10c,
    R_AARCH64_MOVW_UABS_G3 = 0x10d,
    R_AARCH64_MOVW_SABS_G0 = 0x10e,
    R_AARCH64_MOVW_SABS_G1 = 0x10f,
    R_AARCH64_MOVW_SABS_G2 = 0x110,
    // PC-relative addresses (§5.7.7)
    R_AARCH64_LD_PREL_LO19 = 0x111,
    R_AARCH64_ADR_PREL_LO21 = 0x112,
    R_AARCH64_ADR_PREL_PG_HI21 = 0x113,
    R_AARCH64_ADR_PREL_PG_HI21_NC = 0x114,
    R_AARCH64_ADD_ABS_LO12_NC = 0x115,
    R_AARCH64_LDST8_ABS_LO12_NC = 0x116,
    R_AARCH64_LDST16_ABS_LO12_NC = 0x11c,
    R_AARCH64_LDST32_ABS_LO12_NC = 0x11d,
    R_AARCH64_LDST64_ABS_LO12_NC = 0x11e,
    R_AARCH64_LDST128_ABS_LO12_NC = 0x12b,
    // Control flow (§5.7.9)
    R_AARCH64_TSTBR14 = 0x117,
    R_AARCH64_CONDBR19 = 0x118,
    R_AARCH64_JUMP26 = 0x11a,
    R_AARCH64_CALL26 = 0x11b,
    // PC-relative MOVW groups (§5.7.8)
    R_AARCH64_MOVW_PREL_G0 = 0x11f,
    R_AARCH64_MOVW_PREL_G0_NC = 0x120,
    R_AARCH64_MOVW_PREL_G1 = 0x121,
    R_AARCH64_MOVW_PREL_G1_NC = 0x122,
    R_AARCH64_MOVW_PREL_G2 = 0x123,
    R_AARCH64_MOVW_PREL_G2_NC = 0x124,
    R_AARCH64_MOVW_PREL_G3 = 0x125,
    // GOT (§5.7.10)
    R_AARCH64_GOT_LD_PREL19 = 0x135,
    R_AARCH64_ADR_GOT_PAGE = 0x137,
    R_AARCH64_LD64_GOT_LO12_NC = 0x138,
    // Thread-local storage (§5.7.11 - 5.7.14): rejected by name
    R_AARCH64_TLSGD_ADR_PREL21 = 0x200,
    R_AARCH64_TLSGD_ADR_PAGE21 = 0x201,
    R_AARCH64_TLSGD_ADD_LO12_NC = 0x202,
    R_AARCH64_TLSGD_MOVW_G1 = 0x203,
    R_AARCH64_TLSGD_MOVW_G0_NC = 0x204,
    R_AARCH64_TLSLD_ADR_PREL21 = 0x205,
    R_AARCH64_TLSLD_ADR_PAGE21 = 0x206,
    R_AARCH64_TLSLD_ADD_LO12_NC = 0x207,
    R_AARCH64_TLSLD_MOVW_G1 = 0x208,
    R_AARCH64_TLSLD_MOVW_G0_NC = 0x209,
    R_AARCH64_TLSLD_LD_PREL19 = 0x20a,
    R_AARCH64_TLSLD_MOVW_DTPREL_G2 = 0x20b,
    R_AARCH64_TLSLD_MOVW_DTPREL_G1 = 0x20c,
    R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC = 0x20d,
    R_AARCH64_TLSLD_MOVW_DTPREL_G0 = 0x20e,
    R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC = 0x20f,
    R_AARCH64_TLSLD_ADD_DTPREL_HI12 = 0x210,
    R_AARCH64_TLSLD_ADD_DTPREL_LO12 = 0x211,
    R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC = 0x212,
    R_AARCH64_TLSLD_LDST8_DTPREL_LO12 = 0x213,
    R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC = 0x214,
    R_AARCH64_TLSLD_LDST16_DTPREL_LO12 = 0x215,
    R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC = 0x216,
    R_AARCH64_TLSLD_LDST32_DTPREL_LO12 = 0x217,
    R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC = 0x218,
    R_AARCH64_TLSLD_LDST64_DTPREL_LO12 = 0x219,
    R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC = 0x21a,
    R_AARCH64_TLSIE_MOVW_GOTTPREL_G1 = 0x21b,
    R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC = 0x21c,
    R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 = 0x21d,
    R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC = 0x21e,
    R_AARCH64_TLSIE_LD_GOTTPREL_PREL19 = 0x21f,
    R_AARCH64_TLSLE_MOVW_TPREL_G2 = 0x220,
    R_AARCH64_TLSLE_MOVW_TPREL_G1 = 0x221,
    R_AARCH64_TLSLE_MOVW_TPREL_G1_NC = 0x222,
    R_AARCH64_TLSLE_MOVW_TPREL_G0 = 0x223,
    R_AARCH64_TLSLE_MOVW_TPREL_G0_NC = 0x224,
    R_AARCH64_TLSLE_ADD_TPREL_HI12 = 0x225,
    R_AARCH64_TLSLE_ADD_TPREL_LO12 = 0x226,
    R_AARCH64_TLSLE_ADD_TPREL_LO12_NC = 0x227,
    R_AARCH64_TLSLE_LDST8_TPREL_LO12 = 0x228,
    R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC = 0x229,
    R_AARCH64_TLSLE_LDST16_TPREL_LO12 = 0x22a,
    R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC = 0x22b,
    R_AARCH64_TLSLE_LDST32_TPREL_LO12 = 0x22c,
    R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC = 0x22d,
    R_AARCH64_TLSLE_LDST64_TPREL_LO12 = 0x22e,
    R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC = 0x22f,
    R_AARCH64_TLSDESC_LD_PREL19 = 0x230,
    R_AARCH64_TLSDESC_ADR_PREL21 = 0x231,
    R_AARCH64_TLSDESC_ADR_PAGE21 = 0x232,
    R_AARCH64_TLSDESC_LD64_LO12 = 0x233,
    R_AARCH64_TLSDESC_ADD_LO12 = 0x234,
    R_AARCH64_TLSDESC_OFF_G1 = 0x235,
    R_AARCH64_TLSDESC_OFF_G0_NC = 0x236,
    R_AARCH64_TLSDESC_LDR = 0x237,
    R_AARCH64_TLSDESC_ADD = 0x238,
    R_AARCH64_TLSDESC_CALL = 0x239,
    R_AARCH64_TLSLE_LDST128_TPREL_LO12 = 0x23a,
    R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC = 0x23b,
    R_AARCH64_TLSLD_LDST128_DTPREL_LO12 = 0x23c,
    R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC = 0x23d,
    // Dynamic only (§5.7.15): not in the set
    R_AARCH64_COPY = 0x400,
    R_AARCH64_GLOB_DAT = 0x401,
    R_AARCH64_JUMP_SLOT = 0x402,
    R_AARCH64_RELATIVE = 0x403,
    R_AARCH64_TLS_DTPMOD64 = 0x404,
    R_AARCH64_TLS_DTPREL64 = 0x405,
    R_AARCH64_TLS_TPREL64 = 0x406,
    R_AARCH64_TLSDESC = 0x407,
    R_AARCH64_IRELATIVE = 0x408,
  };
};

namespace aarch64_howto {

// ---- "Which bits": instruction fields (always little-endian) ----------------------------------
// Replace the bits of `mask` in the instruction at p with those of `bits`.
constexpr void patch(std::byte* p, std::uint32_t mask, std::uint64_t bits) noexcept {
  std::uint32_t const insn = load_at<std::uint32_t, std::endian::little>(p);
  store_at<std::uint32_t, std::endian::little>(p, (insn & ~mask) | (static_cast<std::uint32_t>(bits) & mask));
}

struct insn_field {
  static constexpr std::size_t width = 4;
};

// No bits: NONE, and the TLS markers (never written).
struct no_field {
  static constexpr std::size_t width = 0;
  template <std::endian Order>
  static constexpr void write(std::byte*, std::uint64_t) noexcept {}
};

// B / BL: imm26 = X[27:2] in bits [25:0]. The opcode is kept (lld rewrites JUMP26 to B for its
// erratum-843419 patches; an object's JUMP26 is on a B already).
struct imm26 : insn_field {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { patch(p, 0x03ff'ffffu, v >> 2); }
};
// B.cond, CBZ/CBNZ, LDR (literal): imm19 = X[20:2] in bits [23:5].
struct imm19 : insn_field {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { patch(p, 0x7ffffu << 5, bits(v, 20, 2) << 5); }
};
// TBZ/TBNZ: imm14 = X[15:2] in bits [18:5].
struct imm14 : insn_field {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { patch(p, 0x3fffu << 5, bits(v, 15, 2) << 5); }
};
// ADR / ADRP: the 21-bit immediate Y = X >> Shift is split immlo = Y[1:0] in bits [30:29] and
// immhi = Y[20:2] in bits [23:5]. ADRP (Shift = 12) stores the page difference in pages.
template <unsigned Shift>
struct adr_imm : insn_field {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    std::uint64_t const y = v >> Shift;
    patch(p, (3u << 29) | (0x7ffffu << 5), (bits(y, 1, 0) << 29) | (bits(y, 20, 2) << 5));
  }
};
// ADD (immediate) and LDR/STR (unsigned offset): imm12 in bits [21:10] = X[11:Scale], Scale being
// log2 of the access size (0 for ADD and byte accesses).
template <unsigned Scale>
struct imm12 : insn_field {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { patch(p, 0xfffu << 10, bits(v, 11, Scale) << 10); }
};
// MOVZ/MOVK: imm16 in bits [20:5] = X[Shift+15:Shift]; the opcode is left as written.
template <unsigned Shift>
struct movw_imm : insn_field {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { patch(p, 0xffffu << 5, bits(v, Shift + 15, Shift) << 5); }
};
// Signed MOVW (SABS, PREL): opc is bits [30:29], 00 MOVN, 10 MOVZ, 11 MOVK. A MOVK receives the
// bits of X; a MOVZ/MOVN becomes MOVZ with X's bits when X >= 0, MOVN with ~X's bits otherwise
// (AAELF64 §5.7.8: "if X < 0 ... MOVN ... NOT(X)").
template <unsigned Shift>
struct movw_signed_imm : insn_field {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    std::uint32_t insn = load_at<std::uint32_t, std::endian::little>(p);
    std::uint32_t const opc = (insn >> 29) & 3u;
    std::uint64_t field = v;
    if (opc != 3u) {
      insn &= ~(3u << 29);
      if (static_cast<std::int64_t>(v) < 0) field = ~v;   // MOVN (opc 00)
      else insn |= 2u << 29;                              // MOVZ (opc 10)
    }
    insn = (insn & ~(0xffffu << 5)) | static_cast<std::uint32_t>(bits(field, Shift + 15, Shift) << 5);
    store_at<std::uint32_t, std::endian::little>(p, insn);
  }
};

using w16 = data_write<std::uint16_t>;
using w32 = data_write<std::uint32_t>;
using w64 = data_write<std::uint64_t>;
using traits = aarch64_traits;

// The parts every howto shares; each type below adds its AAELF64 name.
template <class Field, std::uint32_t Type, expr Kind, range Check, std::uint64_t Align = 1>
struct field : Field {
  static constexpr std::uint32_t type = Type;
  static constexpr expr kind = Kind;
  static constexpr range check = Check;
  static constexpr std::uint64_t align = Align;
};

// ---- Null ------------------------------------------------------------------------------------
struct R_AARCH64_NONE : field<no_field, traits::R_AARCH64_NONE, expr::none, no_check> {
  static constexpr char const* name = "R_AARCH64_NONE";
};
struct R_AARCH64_NULL : field<no_field, traits::R_AARCH64_NULL, expr::none, no_check> {
  static constexpr char const* name = "R_AARCH64_NULL";
};

// ---- Data (§5.7.5): S + A, S + A - P ---------------------------------------------------------
struct R_AARCH64_ABS64 : field<w64, traits::R_AARCH64_ABS64, expr::abs, no_check> {
  static constexpr char const* name = "R_AARCH64_ABS64";
};
// -2^31 <= X < 2^32 (either reading; lld checkIntUInt 32)
struct R_AARCH64_ABS32 : field<w32, traits::R_AARCH64_ABS32, expr::abs, any_bits(32)> {
  static constexpr char const* name = "R_AARCH64_ABS32";
};
struct R_AARCH64_ABS16 : field<w16, traits::R_AARCH64_ABS16, expr::abs, any_bits(16)> {
  static constexpr char const* name = "R_AARCH64_ABS16";
};
struct R_AARCH64_PREL64 : field<w64, traits::R_AARCH64_PREL64, expr::pc, no_check> {
  static constexpr char const* name = "R_AARCH64_PREL64";
};
// .eh_frame pc_begin and switch tables: -2^31 <= X < 2^32 (lld checkIntUInt 32)
struct R_AARCH64_PREL32 : field<w32, traits::R_AARCH64_PREL32, expr::pc, any_bits(32)> {
  static constexpr char const* name = "R_AARCH64_PREL32";
};
struct R_AARCH64_PREL16 : field<w16, traits::R_AARCH64_PREL16, expr::pc, any_bits(16)> {
  static constexpr char const* name = "R_AARCH64_PREL16";
};
// L + A - P as a 32-bit word (relative vtables): -2^31 <= X < 2^31 (lld checkInt 32). A branch
// kind, so an import out of reach is referenced through its veneer (lld thunks PLT32 too).
struct R_AARCH64_PLT32 : field<w32, traits::R_AARCH64_PLT32, expr::branch, signed_bits(32)> {
  static constexpr char const* name = "R_AARCH64_PLT32";
};

// ---- MOVW, absolute (§5.7.6): S + A -----------------------------------------------------------
struct R_AARCH64_MOVW_UABS_G0 : field<movw_imm<0>, traits::R_AARCH64_MOVW_UABS_G0, expr::abs, unsigned_bits(16)> {
  static constexpr char const* name = "R_AARCH64_MOVW_UABS_G0";
};
struct R_AARCH64_MOVW_UABS_G0_NC : field<movw_imm<0>, traits::R_AARCH64_MOVW_UABS_G0_NC, expr::abs, no_check> {
  static constexpr char const* name = "R_AARCH64_MOVW_UABS_G0_NC";
};
struct R_AARCH64_MOVW_UABS_G1 : field<movw_imm<16>, traits::R_AARCH64_MOVW_UABS_G1, expr::abs, unsigned_bits(32)> {
  static constexpr char const* name = "R_AARCH64_MOVW_UABS_G1";
};
struct R_AARCH64_MOVW_UABS_G1_NC : field<movw_imm<16>, traits::R_AARCH64_MOVW_UABS_G1_NC, expr::abs, no_check> {
  static constexpr char const* name = "R_AARCH64_MOVW_UABS_G1_NC";
};
struct R_AARCH64_MOVW_UABS_G2 : field<movw_imm<32>, traits::R_AARCH64_MOVW_UABS_G2, expr::abs, unsigned_bits(48)> {
  static constexpr char const* name = "R_AARCH64_MOVW_UABS_G2";
};
struct R_AARCH64_MOVW_UABS_G2_NC : field<movw_imm<32>, traits::R_AARCH64_MOVW_UABS_G2_NC, expr::abs, no_check> {
  static constexpr char const* name = "R_AARCH64_MOVW_UABS_G2_NC";
};
// The top group holds every remaining bit: no check (-mcmodel=large: G0_NC, G1_NC, G2_NC, G3).
struct R_AARCH64_MOVW_UABS_G3 : field<movw_imm<48>, traits::R_AARCH64_MOVW_UABS_G3, expr::abs, no_check> {
  static constexpr char const* name = "R_AARCH64_MOVW_UABS_G3";
};
// -2^16 <= X < 2^16, -2^32 <= X < 2^32, -2^48 <= X < 2^48 (MOVZ or MOVN by sign)
struct R_AARCH64_MOVW_SABS_G0 : field<movw_signed_imm<0>, traits::R_AARCH64_MOVW_SABS_G0, expr::abs, signed_bits(17)> {
  static constexpr char const* name = "R_AARCH64_MOVW_SABS_G0";
};
struct R_AARCH64_MOVW_SABS_G1 : field<movw_signed_imm<16>, traits::R_AARCH64_MOVW_SABS_G1, expr::abs, signed_bits(33)> {
  static constexpr char const* name = "R_AARCH64_MOVW_SABS_G1";
};
struct R_AARCH64_MOVW_SABS_G2 : field<movw_signed_imm<32>, traits::R_AARCH64_MOVW_SABS_G2, expr::abs, signed_bits(49)> {
  static constexpr char const* name = "R_AARCH64_MOVW_SABS_G2";
};

// ---- PC-relative addresses and their low-12 partners (§5.7.7) ---------------------------------
// LDR (literal): S + A - P, -2^20 <= X < 2^20, word aligned.
struct R_AARCH64_LD_PREL_LO19 : field<imm19, traits::R_AARCH64_LD_PREL_LO19, expr::pc, signed_bits(21), 4> {
  static constexpr char const* name = "R_AARCH64_LD_PREL_LO19";
};
// ADR: S + A - P, -2^20 <= X < 2^20, byte granular.
struct R_AARCH64_ADR_PREL_LO21 : field<adr_imm<0>, traits::R_AARCH64_ADR_PREL_LO21, expr::pc, signed_bits(21)> {
  static constexpr char const* name = "R_AARCH64_ADR_PREL_LO21";
};
// ADRP: Page(S + A) - Page(P), -2^32 <= X < 2^32 (±4 GiB).
struct R_AARCH64_ADR_PREL_PG_HI21 : field<adr_imm<12>, traits::R_AARCH64_ADR_PREL_PG_HI21, expr::page_pc, signed_bits(33)> {
  static constexpr char const* name = "R_AARCH64_ADR_PREL_PG_HI21";
};
struct R_AARCH64_ADR_PREL_PG_HI21_NC : field<adr_imm<12>, traits::R_AARCH64_ADR_PREL_PG_HI21_NC, expr::page_pc, no_check> {
  static constexpr char const* name = "R_AARCH64_ADR_PREL_PG_HI21_NC";
};
// ADD: (S + A) & 0xfff.
struct R_AARCH64_ADD_ABS_LO12_NC : field<imm12<0>, traits::R_AARCH64_ADD_ABS_LO12_NC, expr::abs, no_check> {
  static constexpr char const* name = "R_AARCH64_ADD_ABS_LO12_NC";
};
// LDR/STR (unsigned offset), scaled by the access size; S + A aligned to it (lld checkAlignment).
struct R_AARCH64_LDST8_ABS_LO12_NC : field<imm12<0>, traits::R_AARCH64_LDST8_ABS_LO12_NC, expr::abs, no_check> {
  static constexpr char const* name = "R_AARCH64_LDST8_ABS_LO12_NC";
};
struct R_AARCH64_LDST16_ABS_LO12_NC : field<imm12<1>, traits::R_AARCH64_LDST16_ABS_LO12_NC, expr::abs, no_check, 2> {
  static constexpr char const* name = "R_AARCH64_LDST16_ABS_LO12_NC";
};
struct R_AARCH64_LDST32_ABS_LO12_NC : field<imm12<2>, traits::R_AARCH64_LDST32_ABS_LO12_NC, expr::abs, no_check, 4> {
  static constexpr char const* name = "R_AARCH64_LDST32_ABS_LO12_NC";
};
struct R_AARCH64_LDST64_ABS_LO12_NC : field<imm12<3>, traits::R_AARCH64_LDST64_ABS_LO12_NC, expr::abs, no_check, 8> {
  static constexpr char const* name = "R_AARCH64_LDST64_ABS_LO12_NC";
};
struct R_AARCH64_LDST128_ABS_LO12_NC : field<imm12<4>, traits::R_AARCH64_LDST128_ABS_LO12_NC, expr::abs, no_check, 16> {
  static constexpr char const* name = "R_AARCH64_LDST128_ABS_LO12_NC";
};

// ---- Control flow (§5.7.9): S + A - P, through a veneer (L) when out of reach -----------------
// TBZ/TBNZ: -2^15 <= X < 2^15 (±32 KiB).
struct R_AARCH64_TSTBR14 : field<imm14, traits::R_AARCH64_TSTBR14, expr::branch, signed_bits(16), 4> {
  static constexpr char const* name = "R_AARCH64_TSTBR14";
};
// B.cond, CBZ/CBNZ: -2^20 <= X < 2^20 (±1 MiB).
struct R_AARCH64_CONDBR19 : field<imm19, traits::R_AARCH64_CONDBR19, expr::branch, signed_bits(21), 4> {
  static constexpr char const* name = "R_AARCH64_CONDBR19";
};
// B and BL: -2^27 <= X < 2^27 (±128 MiB).
struct R_AARCH64_JUMP26 : field<imm26, traits::R_AARCH64_JUMP26, expr::branch, signed_bits(28), 4> {
  static constexpr char const* name = "R_AARCH64_JUMP26";
};
struct R_AARCH64_CALL26 : field<imm26, traits::R_AARCH64_CALL26, expr::branch, signed_bits(28), 4> {
  static constexpr char const* name = "R_AARCH64_CALL26";
};

// ---- MOVW, PC-relative (§5.7.8): S + A - P, MOVZ/MOVN by sign ---------------------------------
struct R_AARCH64_MOVW_PREL_G0 : field<movw_signed_imm<0>, traits::R_AARCH64_MOVW_PREL_G0, expr::pc, signed_bits(17)> {
  static constexpr char const* name = "R_AARCH64_MOVW_PREL_G0";
};
struct R_AARCH64_MOVW_PREL_G0_NC : field<movw_signed_imm<0>, traits::R_AARCH64_MOVW_PREL_G0_NC, expr::pc, no_check> {
  static constexpr char const* name = "R_AARCH64_MOVW_PREL_G0_NC";
};
struct R_AARCH64_MOVW_PREL_G1 : field<movw_signed_imm<16>, traits::R_AARCH64_MOVW_PREL_G1, expr::pc, signed_bits(33)> {
  static constexpr char const* name = "R_AARCH64_MOVW_PREL_G1";
};
struct R_AARCH64_MOVW_PREL_G1_NC : field<movw_signed_imm<16>, traits::R_AARCH64_MOVW_PREL_G1_NC, expr::pc, no_check> {
  static constexpr char const* name = "R_AARCH64_MOVW_PREL_G1_NC";
};
struct R_AARCH64_MOVW_PREL_G2 : field<movw_signed_imm<32>, traits::R_AARCH64_MOVW_PREL_G2, expr::pc, signed_bits(49)> {
  static constexpr char const* name = "R_AARCH64_MOVW_PREL_G2";
};
struct R_AARCH64_MOVW_PREL_G2_NC : field<movw_signed_imm<32>, traits::R_AARCH64_MOVW_PREL_G2_NC, expr::pc, no_check> {
  static constexpr char const* name = "R_AARCH64_MOVW_PREL_G2_NC";
};
struct R_AARCH64_MOVW_PREL_G3 : field<movw_signed_imm<48>, traits::R_AARCH64_MOVW_PREL_G3, expr::pc, no_check> {
  static constexpr char const* name = "R_AARCH64_MOVW_PREL_G3";
};

// ---- GOT (§5.7.10): slots synthesized by the loader -------------------------------------------
// LDR (literal) of the slot: G + A - P, -2^20 <= X < 2^20, word aligned.
struct R_AARCH64_GOT_LD_PREL19 : field<imm19, traits::R_AARCH64_GOT_LD_PREL19, expr::got_pc, signed_bits(21), 4> {
  static constexpr char const* name = "R_AARCH64_GOT_LD_PREL19";
};
// ADRP of the slot's page: Page(G + A) - Page(P) (A is 0 in practice), ±4 GiB.
struct R_AARCH64_ADR_GOT_PAGE : field<adr_imm<12>, traits::R_AARCH64_ADR_GOT_PAGE, expr::got_page_pc, signed_bits(33)> {
  static constexpr char const* name = "R_AARCH64_ADR_GOT_PAGE";
};
// LDR x, [x, #lo12]: G & 0xff8, the slot 8-byte aligned.
struct R_AARCH64_LD64_GOT_LO12_NC : field<imm12<3>, traits::R_AARCH64_LD64_GOT_LO12_NC, expr::got_abs, no_check, 8> {
  static constexpr char const* name = "R_AARCH64_LD64_GOT_LO12_NC";
};

// ---- Thread-local storage: rejected with errc::unsupported_relocation -------------------------
// Every one of them patches one instruction (the TLSDESC_LDR/ADD/CALL markers name one).
template <std::uint32_t Type>
struct tls : field<insn_field, Type, expr::tls, no_check> {
  template <std::endian Order>
  static constexpr void write(std::byte*, std::uint64_t) noexcept {}
};
struct R_AARCH64_TLSGD_ADR_PREL21 : tls<traits::R_AARCH64_TLSGD_ADR_PREL21> { static constexpr char const* name = "R_AARCH64_TLSGD_ADR_PREL21"; };
struct R_AARCH64_TLSGD_ADR_PAGE21 : tls<traits::R_AARCH64_TLSGD_ADR_PAGE21> { static constexpr char const* name = "R_AARCH64_TLSGD_ADR_PAGE21"; };
struct R_AARCH64_TLSGD_ADD_LO12_NC : tls<traits::R_AARCH64_TLSGD_ADD_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSGD_ADD_LO12_NC"; };
struct R_AARCH64_TLSGD_MOVW_G1 : tls<traits::R_AARCH64_TLSGD_MOVW_G1> { static constexpr char const* name = "R_AARCH64_TLSGD_MOVW_G1"; };
struct R_AARCH64_TLSGD_MOVW_G0_NC : tls<traits::R_AARCH64_TLSGD_MOVW_G0_NC> { static constexpr char const* name = "R_AARCH64_TLSGD_MOVW_G0_NC"; };
struct R_AARCH64_TLSLD_ADR_PREL21 : tls<traits::R_AARCH64_TLSLD_ADR_PREL21> { static constexpr char const* name = "R_AARCH64_TLSLD_ADR_PREL21"; };
struct R_AARCH64_TLSLD_ADR_PAGE21 : tls<traits::R_AARCH64_TLSLD_ADR_PAGE21> { static constexpr char const* name = "R_AARCH64_TLSLD_ADR_PAGE21"; };
struct R_AARCH64_TLSLD_ADD_LO12_NC : tls<traits::R_AARCH64_TLSLD_ADD_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_ADD_LO12_NC"; };
struct R_AARCH64_TLSLD_MOVW_G1 : tls<traits::R_AARCH64_TLSLD_MOVW_G1> { static constexpr char const* name = "R_AARCH64_TLSLD_MOVW_G1"; };
struct R_AARCH64_TLSLD_MOVW_G0_NC : tls<traits::R_AARCH64_TLSLD_MOVW_G0_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_MOVW_G0_NC"; };
struct R_AARCH64_TLSLD_LD_PREL19 : tls<traits::R_AARCH64_TLSLD_LD_PREL19> { static constexpr char const* name = "R_AARCH64_TLSLD_LD_PREL19"; };
struct R_AARCH64_TLSLD_MOVW_DTPREL_G2 : tls<traits::R_AARCH64_TLSLD_MOVW_DTPREL_G2> { static constexpr char const* name = "R_AARCH64_TLSLD_MOVW_DTPREL_G2"; };
struct R_AARCH64_TLSLD_MOVW_DTPREL_G1 : tls<traits::R_AARCH64_TLSLD_MOVW_DTPREL_G1> { static constexpr char const* name = "R_AARCH64_TLSLD_MOVW_DTPREL_G1"; };
struct R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC : tls<traits::R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC"; };
struct R_AARCH64_TLSLD_MOVW_DTPREL_G0 : tls<traits::R_AARCH64_TLSLD_MOVW_DTPREL_G0> { static constexpr char const* name = "R_AARCH64_TLSLD_MOVW_DTPREL_G0"; };
struct R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC : tls<traits::R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC"; };
struct R_AARCH64_TLSLD_ADD_DTPREL_HI12 : tls<traits::R_AARCH64_TLSLD_ADD_DTPREL_HI12> { static constexpr char const* name = "R_AARCH64_TLSLD_ADD_DTPREL_HI12"; };
struct R_AARCH64_TLSLD_ADD_DTPREL_LO12 : tls<traits::R_AARCH64_TLSLD_ADD_DTPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLD_ADD_DTPREL_LO12"; };
struct R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC : tls<traits::R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC"; };
struct R_AARCH64_TLSLD_LDST8_DTPREL_LO12 : tls<traits::R_AARCH64_TLSLD_LDST8_DTPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST8_DTPREL_LO12"; };
struct R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC : tls<traits::R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC"; };
struct R_AARCH64_TLSLD_LDST16_DTPREL_LO12 : tls<traits::R_AARCH64_TLSLD_LDST16_DTPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST16_DTPREL_LO12"; };
struct R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC : tls<traits::R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC"; };
struct R_AARCH64_TLSLD_LDST32_DTPREL_LO12 : tls<traits::R_AARCH64_TLSLD_LDST32_DTPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST32_DTPREL_LO12"; };
struct R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC : tls<traits::R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC"; };
struct R_AARCH64_TLSLD_LDST64_DTPREL_LO12 : tls<traits::R_AARCH64_TLSLD_LDST64_DTPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST64_DTPREL_LO12"; };
struct R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC : tls<traits::R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC"; };
struct R_AARCH64_TLSIE_MOVW_GOTTPREL_G1 : tls<traits::R_AARCH64_TLSIE_MOVW_GOTTPREL_G1> { static constexpr char const* name = "R_AARCH64_TLSIE_MOVW_GOTTPREL_G1"; };
struct R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC : tls<traits::R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC> { static constexpr char const* name = "R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC"; };
struct R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 : tls<traits::R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21> { static constexpr char const* name = "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21"; };
struct R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC : tls<traits::R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC"; };
struct R_AARCH64_TLSIE_LD_GOTTPREL_PREL19 : tls<traits::R_AARCH64_TLSIE_LD_GOTTPREL_PREL19> { static constexpr char const* name = "R_AARCH64_TLSIE_LD_GOTTPREL_PREL19"; };
struct R_AARCH64_TLSLE_MOVW_TPREL_G2 : tls<traits::R_AARCH64_TLSLE_MOVW_TPREL_G2> { static constexpr char const* name = "R_AARCH64_TLSLE_MOVW_TPREL_G2"; };
struct R_AARCH64_TLSLE_MOVW_TPREL_G1 : tls<traits::R_AARCH64_TLSLE_MOVW_TPREL_G1> { static constexpr char const* name = "R_AARCH64_TLSLE_MOVW_TPREL_G1"; };
struct R_AARCH64_TLSLE_MOVW_TPREL_G1_NC : tls<traits::R_AARCH64_TLSLE_MOVW_TPREL_G1_NC> { static constexpr char const* name = "R_AARCH64_TLSLE_MOVW_TPREL_G1_NC"; };
struct R_AARCH64_TLSLE_MOVW_TPREL_G0 : tls<traits::R_AARCH64_TLSLE_MOVW_TPREL_G0> { static constexpr char const* name = "R_AARCH64_TLSLE_MOVW_TPREL_G0"; };
struct R_AARCH64_TLSLE_MOVW_TPREL_G0_NC : tls<traits::R_AARCH64_TLSLE_MOVW_TPREL_G0_NC> { static constexpr char const* name = "R_AARCH64_TLSLE_MOVW_TPREL_G0_NC"; };
struct R_AARCH64_TLSLE_ADD_TPREL_HI12 : tls<traits::R_AARCH64_TLSLE_ADD_TPREL_HI12> { static constexpr char const* name = "R_AARCH64_TLSLE_ADD_TPREL_HI12"; };
struct R_AARCH64_TLSLE_ADD_TPREL_LO12 : tls<traits::R_AARCH64_TLSLE_ADD_TPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLE_ADD_TPREL_LO12"; };
struct R_AARCH64_TLSLE_ADD_TPREL_LO12_NC : tls<traits::R_AARCH64_TLSLE_ADD_TPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC"; };
struct R_AARCH64_TLSLE_LDST8_TPREL_LO12 : tls<traits::R_AARCH64_TLSLE_LDST8_TPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST8_TPREL_LO12"; };
struct R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC : tls<traits::R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC"; };
struct R_AARCH64_TLSLE_LDST16_TPREL_LO12 : tls<traits::R_AARCH64_TLSLE_LDST16_TPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST16_TPREL_LO12"; };
struct R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC : tls<traits::R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC"; };
struct R_AARCH64_TLSLE_LDST32_TPREL_LO12 : tls<traits::R_AARCH64_TLSLE_LDST32_TPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST32_TPREL_LO12"; };
struct R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC : tls<traits::R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC"; };
struct R_AARCH64_TLSLE_LDST64_TPREL_LO12 : tls<traits::R_AARCH64_TLSLE_LDST64_TPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST64_TPREL_LO12"; };
struct R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC : tls<traits::R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC"; };
struct R_AARCH64_TLSDESC_LD_PREL19 : tls<traits::R_AARCH64_TLSDESC_LD_PREL19> { static constexpr char const* name = "R_AARCH64_TLSDESC_LD_PREL19"; };
struct R_AARCH64_TLSDESC_ADR_PREL21 : tls<traits::R_AARCH64_TLSDESC_ADR_PREL21> { static constexpr char const* name = "R_AARCH64_TLSDESC_ADR_PREL21"; };
struct R_AARCH64_TLSDESC_ADR_PAGE21 : tls<traits::R_AARCH64_TLSDESC_ADR_PAGE21> { static constexpr char const* name = "R_AARCH64_TLSDESC_ADR_PAGE21"; };
struct R_AARCH64_TLSDESC_LD64_LO12 : tls<traits::R_AARCH64_TLSDESC_LD64_LO12> { static constexpr char const* name = "R_AARCH64_TLSDESC_LD64_LO12"; };
struct R_AARCH64_TLSDESC_ADD_LO12 : tls<traits::R_AARCH64_TLSDESC_ADD_LO12> { static constexpr char const* name = "R_AARCH64_TLSDESC_ADD_LO12"; };
struct R_AARCH64_TLSDESC_OFF_G1 : tls<traits::R_AARCH64_TLSDESC_OFF_G1> { static constexpr char const* name = "R_AARCH64_TLSDESC_OFF_G1"; };
struct R_AARCH64_TLSDESC_OFF_G0_NC : tls<traits::R_AARCH64_TLSDESC_OFF_G0_NC> { static constexpr char const* name = "R_AARCH64_TLSDESC_OFF_G0_NC"; };
struct R_AARCH64_TLSDESC_LDR : tls<traits::R_AARCH64_TLSDESC_LDR> { static constexpr char const* name = "R_AARCH64_TLSDESC_LDR"; };
struct R_AARCH64_TLSDESC_ADD : tls<traits::R_AARCH64_TLSDESC_ADD> { static constexpr char const* name = "R_AARCH64_TLSDESC_ADD"; };
struct R_AARCH64_TLSDESC_CALL : tls<traits::R_AARCH64_TLSDESC_CALL> { static constexpr char const* name = "R_AARCH64_TLSDESC_CALL"; };
struct R_AARCH64_TLSLE_LDST128_TPREL_LO12 : tls<traits::R_AARCH64_TLSLE_LDST128_TPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST128_TPREL_LO12"; };
struct R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC : tls<traits::R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC"; };
struct R_AARCH64_TLSLD_LDST128_DTPREL_LO12 : tls<traits::R_AARCH64_TLSLD_LDST128_DTPREL_LO12> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST128_DTPREL_LO12"; };
struct R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC : tls<traits::R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC> { static constexpr char const* name = "R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC"; };

} // namespace aarch64_howto

namespace aarch64_detail {
namespace h = aarch64_howto;
using set = reloc_set<aarch64_traits,
    h::R_AARCH64_NONE, h::R_AARCH64_NULL,
    h::R_AARCH64_ABS64, h::R_AARCH64_ABS32, h::R_AARCH64_ABS16,
    h::R_AARCH64_PREL64, h::R_AARCH64_PREL32, h::R_AARCH64_PREL16, h::R_AARCH64_PLT32,
    h::R_AARCH64_MOVW_UABS_G0, h::R_AARCH64_MOVW_UABS_G0_NC, h::R_AARCH64_MOVW_UABS_G1,
    h::R_AARCH64_MOVW_UABS_G1_NC, h::R_AARCH64_MOVW_UABS_G2, h::R_AARCH64_MOVW_UABS_G2_NC,
    h::R_AARCH64_MOVW_UABS_G3, h::R_AARCH64_MOVW_SABS_G0, h::R_AARCH64_MOVW_SABS_G1,
    h::R_AARCH64_MOVW_SABS_G2,
    h::R_AARCH64_LD_PREL_LO19, h::R_AARCH64_ADR_PREL_LO21, h::R_AARCH64_ADR_PREL_PG_HI21,
    h::R_AARCH64_ADR_PREL_PG_HI21_NC, h::R_AARCH64_ADD_ABS_LO12_NC,
    h::R_AARCH64_LDST8_ABS_LO12_NC, h::R_AARCH64_LDST16_ABS_LO12_NC,
    h::R_AARCH64_LDST32_ABS_LO12_NC, h::R_AARCH64_LDST64_ABS_LO12_NC,
    h::R_AARCH64_LDST128_ABS_LO12_NC,
    h::R_AARCH64_TSTBR14, h::R_AARCH64_CONDBR19, h::R_AARCH64_JUMP26, h::R_AARCH64_CALL26,
    h::R_AARCH64_MOVW_PREL_G0, h::R_AARCH64_MOVW_PREL_G0_NC, h::R_AARCH64_MOVW_PREL_G1,
    h::R_AARCH64_MOVW_PREL_G1_NC, h::R_AARCH64_MOVW_PREL_G2, h::R_AARCH64_MOVW_PREL_G2_NC,
    h::R_AARCH64_MOVW_PREL_G3,
    h::R_AARCH64_GOT_LD_PREL19, h::R_AARCH64_ADR_GOT_PAGE, h::R_AARCH64_LD64_GOT_LO12_NC,
    h::R_AARCH64_TLSGD_ADR_PREL21, h::R_AARCH64_TLSGD_ADR_PAGE21, h::R_AARCH64_TLSGD_ADD_LO12_NC,
    h::R_AARCH64_TLSGD_MOVW_G1, h::R_AARCH64_TLSGD_MOVW_G0_NC,
    h::R_AARCH64_TLSLD_ADR_PREL21, h::R_AARCH64_TLSLD_ADR_PAGE21, h::R_AARCH64_TLSLD_ADD_LO12_NC,
    h::R_AARCH64_TLSLD_MOVW_G1, h::R_AARCH64_TLSLD_MOVW_G0_NC, h::R_AARCH64_TLSLD_LD_PREL19,
    h::R_AARCH64_TLSLD_MOVW_DTPREL_G2, h::R_AARCH64_TLSLD_MOVW_DTPREL_G1,
    h::R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC, h::R_AARCH64_TLSLD_MOVW_DTPREL_G0,
    h::R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC, h::R_AARCH64_TLSLD_ADD_DTPREL_HI12,
    h::R_AARCH64_TLSLD_ADD_DTPREL_LO12, h::R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC,
    h::R_AARCH64_TLSLD_LDST8_DTPREL_LO12, h::R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC,
    h::R_AARCH64_TLSLD_LDST16_DTPREL_LO12, h::R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC,
    h::R_AARCH64_TLSLD_LDST32_DTPREL_LO12, h::R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC,
    h::R_AARCH64_TLSLD_LDST64_DTPREL_LO12, h::R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC,
    h::R_AARCH64_TLSLD_LDST128_DTPREL_LO12, h::R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC,
    h::R_AARCH64_TLSIE_MOVW_GOTTPREL_G1, h::R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC,
    h::R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21, h::R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC,
    h::R_AARCH64_TLSIE_LD_GOTTPREL_PREL19,
    h::R_AARCH64_TLSLE_MOVW_TPREL_G2, h::R_AARCH64_TLSLE_MOVW_TPREL_G1,
    h::R_AARCH64_TLSLE_MOVW_TPREL_G1_NC, h::R_AARCH64_TLSLE_MOVW_TPREL_G0,
    h::R_AARCH64_TLSLE_MOVW_TPREL_G0_NC, h::R_AARCH64_TLSLE_ADD_TPREL_HI12,
    h::R_AARCH64_TLSLE_ADD_TPREL_LO12, h::R_AARCH64_TLSLE_ADD_TPREL_LO12_NC,
    h::R_AARCH64_TLSLE_LDST8_TPREL_LO12, h::R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC,
    h::R_AARCH64_TLSLE_LDST16_TPREL_LO12, h::R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC,
    h::R_AARCH64_TLSLE_LDST32_TPREL_LO12, h::R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC,
    h::R_AARCH64_TLSLE_LDST64_TPREL_LO12, h::R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC,
    h::R_AARCH64_TLSLE_LDST128_TPREL_LO12, h::R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC,
    h::R_AARCH64_TLSDESC_LD_PREL19, h::R_AARCH64_TLSDESC_ADR_PREL21, h::R_AARCH64_TLSDESC_ADR_PAGE21,
    h::R_AARCH64_TLSDESC_LD64_LO12, h::R_AARCH64_TLSDESC_ADD_LO12, h::R_AARCH64_TLSDESC_OFF_G1,
    h::R_AARCH64_TLSDESC_OFF_G0_NC, h::R_AARCH64_TLSDESC_LDR, h::R_AARCH64_TLSDESC_ADD,
    h::R_AARCH64_TLSDESC_CALL>;
} // namespace aarch64_detail

using aarch64 = aarch64_detail::set;
static_assert(relocation_set<aarch64>);

} // namespace extload::inline v0::arch
