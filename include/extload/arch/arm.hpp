// arch/arm.hpp: the ARM/Thumb relocation set (ELF for the Arm Architecture, AAELF32,
// https://github.com/ARM-software/abi-aa/blob/main/aaelf32/aaelf32.rst, §5.6 "Relocation").
//
// What is particular about AArch32, and why this file looks the way it does:
//   * Objects are SHT_REL (AAELF32 §5.6.1): the addend lives in the place, so every howto has
//     a `read_addend<Order>` that decodes it from the instruction or data word, written as the
//     exact inverse of its `write` (lld's ARM::getImplicitAddend / ARM::relocate are the
//     reference for every encoding below; mold's arch-arm32.cc agrees).
//   * Two instruction sets. A Thumb function's address carries bit 0 set (AAELF32 §5.5.3:
//     st_value of an STT_FUNC Thumb symbol has bit 0 set; a firmware export of a Thumb
//     function is a pointer, which carries it too). The psABI writes this bit as T in
//     `((S + A) | T)`. Here S already includes it, so data relocations (ABS32, REL32, MOVW/MOVT)
//     need no extra term, and for branches, where A and P are even, bit 0 of S + A - P *is* T.
//     Interworking (§5.6.1.1, "Static interworking"):
//       - BL from ARM (R_ARM_CALL) to a Thumb target becomes BLX (imm24:H), and BL/BLX from
//         Thumb (R_ARM_THM_CALL) to an ARM target becomes BLX with a 4-byte aligned offset;
//       - B/BL<cond> (R_ARM_JUMP24, PC24, PLT32) and Thumb B.W/B<cond>.W (THM_JUMP24/19)
//         cannot change state: a branch to a function in the other state (a tail call from
//         ARM-state code into Thumb firmware, or between ARM and Thumb objects linked together)
//         goes through a veneer, as GNU ld's and lld's interworking stubs do (A-profile sets:
//         `needs_state_veneer`; ARM B enters the veneer at its ARM-state entry);
//       - for Thumb branches bit 0 says "ARM target" only for an STT_FUNC: a label or section
//         symbol in Thumb code has it clear (AAELF32: T is set only for STT_FUNC), as lld
//         treats non-STT_FUNC targets. Narrow Thumb B/B<cond> (THM_JUMP11/8) ignore it.
//   * Thumb-2 32-bit instructions are two halfwords, first halfword first; each halfword, like
//     each ARM instruction word, is stored in the object's byte order. That is also true of
//     big-endian objects: `arm-none-eabi-gcc -mbig-endian` writes BE32 relocatable objects whose
//     instructions are big-endian (checked with objdump: `bl` is f7ff fffe, halfword by
//     halfword, big-endian), so instruction reads and writes use the Order parameter like data.
//     The linked image is then BE32 (GNU ld without --be8). BE8 images (ARMv6+ big-endian
//     hardware: little-endian code, big-endian data) need code byte-swapped by mapping symbols
//     ($a/$t/$d), which this set does not do.
//   * Thumb BL/B.W use the J1/J2 encoding of ARMv6T2 and later, which ARMv6-M and ARMv7-M
//     share: range [-2^24, 2^24 - 2]. (Pre-v6T2 Thumb-1 BL with J1 = J2 = 1, ±4 MiB, is not
//     supported: no Cortex core uses it.) ARM B/BL reach [-2^25, 2^25 - 4].
//   * PC-relative loads and ADR in Thumb (THM_PC8, THM_PC12, THM_ALU_PREL_11_0) use
//     Align(P, 4) as the base (AAELF32 "Pa"): their value is computed by the howto (expr::custom).
//     THM_PC8's REL addend has the bias trick ((imm8:00 + 4) & 0x3ff) - 4 (AAELF32 §5.6.1.2).
//   * R_ARM_TARGET1 is R_ARM_ABS32 (as both GNU ld and lld default). R_ARM_TARGET2 (typeinfo
//     references in .ARM.extab) is platform-defined (AAELF32 §5.6.1.5): bare-metal EABI
//     (arm-none-eabi ld, libgcc's bare-metal unwinder) reads it as REL32, GNU/Linux
//     (arm-linux-gnueabihf ld, lld) as GOT_PREL. `arm` is the bare-metal set and `arm_linux`
//     the Linux one; both were checked against the respective `ld`.
//   * R_ARM_V4BX marks `bx rN` for ARMv4 (no Thumb) rewriting; nothing to do for v4T and later.
//   * TLS relocations are listed with expr::tls so they are rejected by name: an extension has
//     no TLS block.
//   * Veneers (one per imported function, used only when a direct branch does not reach, and one
//     per function a branch must change state to reach) are Thumb code that runs on every M- and
//     A-profile core, including ARMv6-M, which has no `ldr.w pc`:
//         push {r0, r1}        b403
//         ldr  r0, [pc, #4]    4801   ; the literal below
//         str  r0, [sp, #4]    9001   ; replaces the saved r1
//         pop  {r0, pc}        bd01   ; restores r0, jumps: interworking (bit 0 selects state)
//         .word target                ; with bit 0 set for a Thumb target
//     12 bytes, 4-aligned, no register clobbered (8 bytes of stack, alignment kept). The veneer's
//     address is tagged with bit 0 (veneer_address_tag), so a Thumb BL reaches it as BL and an
//     ARM BL (R_ARM_CALL) as BLX. A-profile sets (ARM state exists) append an ARM-state entry
//     for B/BL<cond>, which cannot switch to the Thumb entry:
//         ldr  pc, [pc, #-12]  e51ff00c ; PC reads as entry + 8: loads the same literal;
//                                       ; LDR to PC interworks (ARMv5T and later)
//     16 bytes then. Byte sequences checked against arm-none-eabi-as.
//   * Three sets: `arm` (bare-metal A/R-profile), `arm_m` (M-profile: Thumb only, so
//     R_ARM_THM_CALL is always BL, never BLX, which those cores do not have, and the veneer has
//     no ARM-state entry), and `arm_linux` (TARGET2 = GOT_PREL). They differ in nothing else.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "extload/arch/common.hpp"
#include "extload/arch/reloc_set.hpp"
#include "extload/bytes.hpp"
#include "extload/elf/constants.hpp"

namespace extload::inline v0::arch {

struct arm_common_traits {
  static constexpr std::uint16_t e_machine = elf::EM_ARM;
  static constexpr bool uses_rela = false;
  static constexpr std::size_t got_entry_size = 4;
  static constexpr char const* arch_name = "ARM";

  // e_flags (AAELF32 §5.2 "ELF Header", e_flags). The top byte is the EABI version: 5 is the
  // current one, written by every arm-none-eabi / arm-linux-gnueabi[hf] assembler (0x05000000;
  // earlier versions and GNU's pre-EABI "version 0" follow other conventions). EF_ARM_BE8 marks
  // an image with little-endian code and big-endian data (ld --be8); these sets write
  // instructions in the data byte order (file comment), so it is refused. The float-ABI bits
  // EF_ARM_ABI_FLOAT_HARD/SOFT are defined for executables; gas leaves both clear in relocatable
  // objects (the float ABI of an ET_REL is its .ARM.attributes Tag_ABI_VFP_args) and these sets
  // are not built for one float ABI, so only a contradiction, both bits set, is refused.
  enum : std::uint32_t {
    EF_ARM_ABIMASK = 0xff000000,
    EF_ARM_EABI_VER5 = 0x05000000,
    EF_ARM_BE8 = 0x00800000,
    EF_ARM_ABI_FLOAT_SOFT = 0x00000200,
    EF_ARM_ABI_FLOAT_HARD = 0x00000400,
  };
  static constexpr bool accepts_flags(std::uint32_t f) noexcept {
    constexpr std::uint32_t both_floats = EF_ARM_ABI_FLOAT_SOFT | EF_ARM_ABI_FLOAT_HARD;
    return (f & EF_ARM_ABIMASK) == EF_ARM_EABI_VER5 && (f & EF_ARM_BE8) == 0 && (f & both_floats) != both_floats;
  }
  // Processor-specific section types (AAELF32 §5.3 "Section Types"): the exception index table
  // (SHF_ALLOC, loaded and relocated like data) and the build attributes (never loaded).
  static constexpr bool known_section_type(std::uint32_t t) noexcept {
    return t == elf::SHT_ARM_EXIDX || t == elf::SHT_ARM_ATTRIBUTES;
  }

  // The Thumb veneer described in the file comment (its size is the profile's: below).
  static constexpr std::uint64_t veneer_align = 4;
  static constexpr std::uint64_t veneer_address_tag = 1; // the Thumb entry: veneers are entered as Thumb code

  template <std::endian O>
  static constexpr void write_thumb_veneer(std::byte* p, std::uint64_t target) noexcept {
    store_at<std::uint16_t, O>(p + 0, 0xb403);  // push {r0, r1}
    store_at<std::uint16_t, O>(p + 2, 0x4801);  // ldr r0, [pc, #4]: Align(p + 2 + 4, 4) + 4 = p + 8
    store_at<std::uint16_t, O>(p + 4, 0x9001);  // str r0, [sp, #4]
    store_at<std::uint16_t, O>(p + 6, 0xbd01);  // pop {r0, pc}
    store_at<std::uint32_t, O>(p + 8, static_cast<std::uint32_t>(target));
  }

  // Relocation type numbers (AAELF32 table "Relocation codes"). Unscoped so that
  // `narrow<arm, arm::R_ARM_ABS32, arm::R_ARM_THM_CALL>` reads like the spec.
  enum : std::uint32_t {
    R_ARM_NONE = 0,
    R_ARM_PC24 = 1,
    R_ARM_ABS32 = 2,
    R_ARM_REL32 = 3,
    R_ARM_ABS16 = 5,
    R_ARM_ABS8 = 8,
    R_ARM_THM_CALL = 10,
    R_ARM_THM_PC8 = 11,
    R_ARM_TLS_DESC = 13,        // dynamic only: not in the set
    R_ARM_TLS_DTPMOD32 = 17,
    R_ARM_TLS_DTPOFF32 = 18,
    R_ARM_TLS_TPOFF32 = 19,
    R_ARM_COPY = 20,            // dynamic only: not in the set
    R_ARM_GLOB_DAT = 21,        // dynamic only: not in the set
    R_ARM_JUMP_SLOT = 22,       // dynamic only: not in the set
    R_ARM_RELATIVE = 23,        // dynamic only: not in the set
    R_ARM_GOTOFF32 = 24,
    R_ARM_BASE_PREL = 25,
    R_ARM_GOT_BREL = 26,
    R_ARM_PLT32 = 27,
    R_ARM_CALL = 28,
    R_ARM_JUMP24 = 29,
    R_ARM_THM_JUMP24 = 30,
    R_ARM_TARGET1 = 38,
    R_ARM_V4BX = 40,
    R_ARM_TARGET2 = 41,
    R_ARM_PREL31 = 42,
    R_ARM_MOVW_ABS_NC = 43,
    R_ARM_MOVT_ABS = 44,
    R_ARM_MOVW_PREL_NC = 45,
    R_ARM_MOVT_PREL = 46,
    R_ARM_THM_MOVW_ABS_NC = 47,
    R_ARM_THM_MOVT_ABS = 48,
    R_ARM_THM_MOVW_PREL_NC = 49,
    R_ARM_THM_MOVT_PREL = 50,
    R_ARM_THM_JUMP19 = 51,
    R_ARM_THM_ALU_PREL_11_0 = 53,
    R_ARM_THM_PC12 = 54,
    R_ARM_TLS_GOTDESC = 90,
    R_ARM_TLS_CALL = 91,
    R_ARM_TLS_DESCSEQ = 92,
    R_ARM_THM_TLS_CALL = 93,
    R_ARM_GOT_PREL = 96,
    R_ARM_THM_JUMP11 = 102,
    R_ARM_THM_JUMP8 = 103,
    R_ARM_TLS_GD32 = 104,
    R_ARM_TLS_LDM32 = 105,
    R_ARM_TLS_LDO32 = 106,
    R_ARM_TLS_IE32 = 107,
    R_ARM_TLS_LE32 = 108,
    R_ARM_TLS_LDO12 = 109,
    R_ARM_TLS_LE12 = 110,
    R_ARM_TLS_IE12GP = 111,
    R_ARM_THM_TLS_DESCSEQ16 = 129,
    R_ARM_THM_TLS_DESCSEQ32 = 130,
    R_ARM_IRELATIVE = 160,      // dynamic only: not in the set
  };
};

// A/R-profile cores: the Thumb veneer plus the ARM-state entry for B/BL<cond> (file comment).
struct arm_traits : arm_common_traits {
  static constexpr std::size_t veneer_size = 16;
  static constexpr std::uint64_t veneer_second_entry = 12; // used by howtos with second_veneer_entry

  // Static interworking (AAELF32 §5.6.1.1): branches that cannot change instruction set, to a
  // function in the other one, go through the target's veneer (whose entries switch state):
  // ARM B/BL<cond> to a Thumb function (bit 0 set) and Thumb B.W/B<cond>.W to an ARM function
  // (an STT_FUNC with bit 0 clear; a label in Thumb code has bit 0 clear too, but is no STT_FUNC).
  static constexpr bool needs_state_veneer(std::uint32_t type, std::uint64_t S, std::uint8_t sym_type) noexcept {
    switch (type) {
    case R_ARM_PC24:
    case R_ARM_JUMP24:
    case R_ARM_PLT32: return (S & 1) != 0;
    case R_ARM_THM_JUMP24:
    case R_ARM_THM_JUMP19: return sym_type == elf::STT_FUNC && (S & 1) == 0;
    default: return false;
    }
  }

  template <std::endian O>
  static constexpr void write_veneer(std::byte* p, std::uint64_t /*at*/, std::uint64_t target) noexcept {
    write_thumb_veneer<O>(p, target);
    store_at<std::uint32_t, O>(p + 12, 0xe51ff00cu); // ldr pc, [pc, #-12]: the literal at p + 8
  }
};

// M-profile cores (Thumb only): the Thumb veneer alone.
struct arm_m_traits : arm_common_traits {
  static constexpr std::size_t veneer_size = 12;

  template <std::endian O>
  static constexpr void write_veneer(std::byte* p, std::uint64_t /*at*/, std::uint64_t target) noexcept {
    write_thumb_veneer<O>(p, target);
  }
};

namespace arm_howto {

using traits = arm_traits;

// -- Instruction access (each ARM word and each Thumb halfword in the object's byte order) ---
template <std::endian O>
constexpr std::uint32_t read32(std::byte const* p) noexcept { return load_at<std::uint32_t, O>(p); }
template <std::endian O>
constexpr void write32(std::byte* p, std::uint64_t v) noexcept { store_at<std::uint32_t, O>(p, static_cast<std::uint32_t>(v)); }
template <std::endian O>
constexpr std::uint32_t read16(std::byte const* p) noexcept { return load_at<std::uint16_t, O>(p); }
template <std::endian O>
constexpr void write16(std::byte* p, std::uint64_t v) noexcept { store_at<std::uint16_t, O>(p, static_cast<std::uint16_t>(v)); }

// Addresses are 32-bit and the hardware computes modulo 2^32 (a branch from 0x10 to 0xfffffff0
// goes 0x20 backwards; `.byte sym` with sym = 0xffffff80 is -128): values are checked as the
// 32-bit results they are, sign-extended.
constexpr std::uint64_t wrap32(std::uint64_t v) noexcept { return static_cast<std::uint64_t>(sign_extend(v, 32)); }

constexpr bool fits_signed(std::uint64_t v, unsigned n) noexcept {
  auto const s = static_cast<std::int64_t>(wrap32(v));
  return s >= -(std::int64_t{1} << (n - 1)) && s < (std::int64_t{1} << (n - 1));
}

// The parts every howto shares; each type below adds its psABI name.
template <std::uint32_t Type, expr Kind, range Check, std::uint64_t Align, std::size_t Width>
struct field {
  static constexpr std::uint32_t type = Type;
  static constexpr expr kind = Kind;
  static constexpr range check = Check;
  static constexpr std::uint64_t align = Align;
  static constexpr std::size_t width = Width;
  // The generic range and alignment check, on the 32-bit result (branches define their own).
  static constexpr errc validate(std::uint64_t v) noexcept
    requires(!Check.unchecked)
  {
    if (!Check.contains(wrap32(v))) return errc::relocation_overflow;
    if constexpr (Align > 1)
      if ((v & (Align - 1)) != 0) return errc::misaligned_relocation;
    return errc::ok;
  }
};

// A field with no bits (NONE, V4BX, TLS markers on instructions).
struct no_write {
  template <std::endian Order>
  static constexpr void write(std::byte*, std::uint64_t) noexcept {}
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const*) noexcept { return 0; }
};

// Data words of 8, 16 and 32 bits, whole; the REL addend is the word, sign-extended.
template <class T>
struct data_bits {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { store_at<T, Order>(p, static_cast<T>(v)); }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept { return sign_extend(load_at<T, Order>(p), sizeof(T) * 8); }
};
using word32 = data_bits<std::uint32_t>;

// Pa = Align(P, 4): the base of Thumb PC-relative loads and ADR (AAELF32 §5.6.1, "Pa").
// A load of a function's bytes (THM_PC8/PC12) wants S + A - Pa without T: the Thumb bit of an
// STT_FUNC S is cleared, as lld does.
template <bool ClearThumbBit>
struct pc_aligned {
  static constexpr std::uint64_t compute(values const& v) noexcept {
    std::uint64_t x = v.S + static_cast<std::uint64_t>(v.A) - (v.P & ~std::uint64_t{3});
    if constexpr (ClearThumbBit)
      if (v.sym_type == elf::STT_FUNC) x &= ~std::uint64_t{1};
    return x;
  }
};

// -- ARM B/BL/BLX: cond:101:L:imm24, offset = imm24:00 (BLX: 1111:101:H:imm24, imm24:H:0) ----
struct arm_branch_bits {
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    std::uint32_t const insn = read32<Order>(p);
    std::uint64_t v = std::uint64_t{insn & 0x00ffffffu} << 2;
    if ((insn & 0xfe000000u) == 0xfa000000u) v |= (insn >> 23) & 2; // BLX: H is bit 1
    return sign_extend(v, 26);
  }
  // A call or jump to an undefined weak function (address 0, which the code tests before the
  // call) becomes a no-op, as GNU ld makes it (elf32-arm.c): `mov r0, r0` under the branch's
  // condition (the pre-UAL NOP every ARM core has; an unconditional BLX gives "always").
  template <std::endian Order>
  static constexpr void write_weak_nop(std::byte* p) noexcept {
    std::uint32_t const cond = read32<Order>(p) >> 28;
    write32<Order>(p, ((cond == 0xfu ? 0xeu : cond) << 28) | 0x01a00000u);
  }
};

// B, BL<cond> (PC24, JUMP24, PLT32): ARM target only, [-2^25, 2^25 - 4], 4-aligned. A Thumb or
// far import is reached through the veneer's ARM-state entry (second_veneer_entry).
template <std::uint32_t Type, expr Kind>
struct arm_jump : field<Type, Kind, signed_bits(26), 4, 4>, arm_branch_bits {
  static constexpr bool second_veneer_entry = true;
  static constexpr errc validate(std::uint64_t v) noexcept {
    if ((v & 1) != 0) return errc::unsupported_relocation; // Thumb target: B cannot change state
    if (!fits_signed(v, 26)) return errc::relocation_overflow;
    if ((v & 2) != 0) return errc::misaligned_relocation;
    return errc::ok;
  }
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    write32<Order>(p, (read32<Order>(p) & 0xff000000u) | ((v >> 2) & 0x00ffffffu));
  }
};

// BL/BLX from ARM (R_ARM_CALL): BL to an ARM target, BLX to a Thumb one (bit 0 of the value).
struct arm_call : field<traits::R_ARM_CALL, expr::branch, signed_bits(26), 1, 4>, arm_branch_bits {
  static constexpr errc validate(std::uint64_t v) noexcept {
    if (!fits_signed(v, 26)) return errc::relocation_overflow;
    if ((v & 1) == 0 && (v & 2) != 0) return errc::misaligned_relocation; // BL: imm24:00
    return errc::ok;
  }
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    std::uint32_t const insn = read32<Order>(p);
    if ((v & 1) != 0) { // BLX <label>: 1111 101 H imm24, target = imm24:H:0 (Thumb)
      write32<Order>(p, 0xfa000000u | ((v & 2) << 23) | ((v >> 2) & 0x00ffffffu));
      return;
    }
    // BL: a BLX in the object becomes BL (always condition); a BL keeps its opcode.
    std::uint32_t const op = (insn & 0xfe000000u) == 0xfa000000u ? 0xeb000000u : (insn & 0xff000000u);
    write32<Order>(p, op | ((v >> 2) & 0x00ffffffu));
  }
};

// -- Thumb BL/BLX T1/T2 and B.W T4: S:I1:I2:imm10:imm11:0, J1 = ~I1 ^ S, J2 = ~I2 ^ S --------
struct thumb_b24_bits {
  // To an undefined weak function: `b.n .+4; nop` (0xe000 0xbf00), GNU ld's sequence for cores
  // without Thumb-2 and valid on every Thumb core (ld writes `nop.w` where Thumb-2 exists).
  template <std::endian Order>
  static constexpr void write_weak_nop(std::byte* p) noexcept {
    write16<Order>(p, 0xe000u);
    write16<Order>(p + 2, 0xbf00u);
  }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    std::uint64_t const hi = read16<Order>(p), lo = read16<Order>(p + 2);
    std::uint64_t const s = (hi >> 10) & 1, j1 = (lo >> 13) & 1, j2 = (lo >> 11) & 1;
    std::uint64_t const i1 = ~(j1 ^ s) & 1, i2 = ~(j2 ^ s) & 1;
    return sign_extend((s << 24) | (i1 << 23) | (i2 << 22) | ((hi & 0x3ff) << 12) | ((lo & 0x7ff) << 1), 25);
  }
  // Writes the offset, keeping bits 15, 14 and 12 of the second halfword (the opcode).
  template <std::endian Order>
  static constexpr void put(std::byte* p, std::uint64_t v, std::uint32_t lo_op) noexcept {
    std::uint64_t const s = (v >> 24) & 1, i1 = (v >> 23) & 1, i2 = (v >> 22) & 1;
    std::uint64_t const j1 = (~i1 ^ s) & 1, j2 = (~i2 ^ s) & 1;
    write16<Order>(p, 0xf000u | (s << 10) | ((v >> 12) & 0x3ff));
    write16<Order>(p + 2, lo_op | (j1 << 13) | (j2 << 11) | ((v >> 1) & 0x7ff));
  }
};

// BL/BLX from Thumb (R_ARM_THM_CALL): BL to a Thumb target (odd value), BLX to an ARM one,
// whose offset is from Align(PC, 4) (lld: alignTo(val, 4)). Range [-2^24, 2^24 - 2]; bit 0 is
// the state, never a misalignment.
struct thm_call : field<traits::R_ARM_THM_CALL, expr::branch, signed_bits(25), 1, 4>, thumb_b24_bits {
  static constexpr std::uint64_t offset(std::uint64_t v) noexcept {
    v = wrap32(v);
    return (v & 1) != 0 ? v & ~std::uint64_t{1} : (v + 2) & ~std::uint64_t{3};
  }
  static constexpr errc validate(std::uint64_t v) noexcept {
    return fits_signed(offset(v), 25) ? errc::ok : errc::relocation_overflow;
  }
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    std::uint32_t const lo_op = (read16<Order>(p + 2) & 0xc000u) | ((v & 1) != 0 ? 0x1000u : 0u); // bit 12: BL
    put<Order>(p, offset(v), lo_op);
  }
};

// BL on an M-profile core (ARMv6-M, ARMv7-M, ARMv8-M): there is no ARM state and no BLX <imm>
// (UNDEFINED there), so BL is always written and bit 0 of the value is not a state, whatever
// the export table says about the target, as GNU ld does for Tag_CPU_arch_profile 'M'.
struct thm_call_m : field<traits::R_ARM_THM_CALL, expr::branch, signed_bits(25), 1, 4>, thumb_b24_bits {
  static constexpr errc validate(std::uint64_t v) noexcept {
    return fits_signed(v & ~std::uint64_t{1}, 25) ? errc::ok : errc::relocation_overflow;
  }
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    put<Order>(p, v & ~std::uint64_t{1}, (read16<Order>(p + 2) & 0xc000u) | 0x1000u);
  }
};

// B.W (R_ARM_THM_JUMP24, encoding T4): Thumb target, [-2^24, 2^24 - 2].
struct thm_jump24 : field<traits::R_ARM_THM_JUMP24, expr::branch, signed_bits(25), 1, 4>, thumb_b24_bits {
  static constexpr errc validate(std::uint64_t v) noexcept {
    return fits_signed(v & ~std::uint64_t{1}, 25) ? errc::ok : errc::relocation_overflow;
  }
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    put<Order>(p, v & ~std::uint64_t{1}, read16<Order>(p + 2) & 0xd000u);
  }
};

// B<cond>.W (R_ARM_THM_JUMP19, encoding T3): S:J2:J1:imm6:imm11:0, [-2^20, 2^20 - 2].
struct thm_jump19 : field<traits::R_ARM_THM_JUMP19, expr::branch, signed_bits(21), 1, 4> {
  static constexpr errc validate(std::uint64_t v) noexcept {
    return fits_signed(v & ~std::uint64_t{1}, 21) ? errc::ok : errc::relocation_overflow;
  }
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    write16<Order>(p, (read16<Order>(p) & 0xfbc0u) | ((v >> 10) & 0x0400) | ((v >> 12) & 0x003f));
    write16<Order>(p + 2, (read16<Order>(p + 2) & 0xd000u) | ((v >> 8) & 0x0800) | ((v >> 5) & 0x2000) | ((v >> 1) & 0x07ff));
  }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    std::uint64_t const hi = read16<Order>(p), lo = read16<Order>(p + 2);
    return sign_extend(((hi & 0x0400) << 10) | ((lo & 0x0800) << 8) | ((lo & 0x2000) << 5) | ((hi & 0x003f) << 12) |
                           ((lo & 0x07ff) << 1),
                       21);
  }
};

// 16-bit B (T2, R_ARM_THM_JUMP11: imm11:0) and B<cond> (T1, R_ARM_THM_JUMP8: imm8:0).
template <std::uint32_t Type, unsigned Bits>
struct thm_short_branch : field<Type, expr::pc, signed_bits(Bits), 1, 2> {
  static constexpr std::uint32_t mask = (1u << (Bits - 1)) - 1; // imm field, in place
  static constexpr errc validate(std::uint64_t v) noexcept {
    return fits_signed(v & ~std::uint64_t{1}, Bits) ? errc::ok : errc::relocation_overflow;
  }
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    write16<Order>(p, (read16<Order>(p) & ~mask) | ((v >> 1) & mask));
  }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    return sign_extend(std::uint64_t{read16<Order>(p) & mask} << 1, Bits);
  }
};

// -- MOVW/MOVT: ARM imm4:imm12 (bits 19:16, 11:0); Thumb imm4:i:imm3:imm8 -------------------
// The REL addend is the 16-bit field read as signed, for MOVW and MOVT alike (AAELF32
// §5.6.1.1, "-32768 <= A < 32768"); MOVT writes bits 31:16 of the value.
template <unsigned Shift>
struct arm_mov16 {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    std::uint64_t const x = (v >> Shift) & 0xffff;
    write32<Order>(p, (read32<Order>(p) & ~0x000f0fffu) | ((x & 0xf000) << 4) | (x & 0x0fff));
  }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    std::uint32_t const insn = read32<Order>(p);
    return sign_extend(((insn & 0x000f0000u) >> 4) | (insn & 0x0fffu), 16);
  }
};
template <unsigned Shift>
struct thm_mov16 {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    std::uint64_t const x = (v >> Shift) & 0xffff;
    write16<Order>(p, (read16<Order>(p) & 0xfbf0u) | ((x >> 1) & 0x0400) | ((x >> 12) & 0x000f));
    write16<Order>(p + 2, (read16<Order>(p + 2) & 0x8f00u) | ((x << 4) & 0x7000) | (x & 0x00ff));
  }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    std::uint64_t const hi = read16<Order>(p), lo = read16<Order>(p + 2);
    return sign_extend(((hi & 0x000f) << 12) | ((hi & 0x0400) << 1) | ((lo & 0x7000) >> 4) | (lo & 0x00ff), 16);
  }
};

// -- Thumb PC-relative loads and ADR ---------------------------------------------------------
// The interval of a magnitude with a separate sign (U bit / ADD vs SUB): [-4095, 4095].
inline constexpr range magnitude12{-4095, 4095, false};

// -- The types ---------------------------------------------------------------------------------
struct R_ARM_NONE : field<traits::R_ARM_NONE, expr::none, no_check, 1, 0>, no_write {
  static constexpr char const* name = "R_ARM_NONE";
};
// Marker on `bx rN` for ARMv4 interworking rewrites: nothing to do on v4T and later.
struct R_ARM_V4BX : field<traits::R_ARM_V4BX, expr::none, no_check, 1, 0>, no_write {
  static constexpr char const* name = "R_ARM_V4BX";
};

// Data: S + A (T included in S).
struct R_ARM_ABS32 : field<traits::R_ARM_ABS32, expr::abs, no_check, 1, 4>, word32 {
  static constexpr char const* name = "R_ARM_ABS32";
};
// ((S + A) | T) - P.
struct R_ARM_REL32 : field<traits::R_ARM_REL32, expr::pc, no_check, 1, 4>, word32 {
  static constexpr char const* name = "R_ARM_REL32";
};
// .hword / .byte: S + A *without* T (AAELF32 lists no "| T" for ABS16/ABS8, and GNU ld writes
// a Thumb function's even address), signed or unsigned (GNU ld: complain_overflow_bitfield).
struct abs_without_t {
  static constexpr std::uint64_t compute(values const& v) noexcept {
    std::uint64_t const S = v.sym_type == elf::STT_FUNC ? v.S & ~std::uint64_t{1} : v.S;
    return S + static_cast<std::uint64_t>(v.A);
  }
};
struct R_ARM_ABS16 : field<traits::R_ARM_ABS16, expr::custom, any_bits(16), 1, 2>, data_bits<std::uint16_t>, abs_without_t {
  static constexpr char const* name = "R_ARM_ABS16";
};
struct R_ARM_ABS8 : field<traits::R_ARM_ABS8, expr::custom, any_bits(8), 1, 1>, data_bits<std::uint8_t>, abs_without_t {
  static constexpr char const* name = "R_ARM_ABS8";
};
// TARGET1 = ABS32 (AAELF32 §5.6.1.5; .init_array/.fini_array entries of older toolchains).
struct R_ARM_TARGET1 : field<traits::R_ARM_TARGET1, expr::abs, no_check, 1, 4>, word32 {
  static constexpr char const* name = "R_ARM_TARGET1";
};
// TARGET2 on bare-metal EABI: REL32 (arm-none-eabi ld; libgcc's unwinder decodes it PC-relative).
struct R_ARM_TARGET2 : field<traits::R_ARM_TARGET2, expr::pc, no_check, 1, 4>, word32 {
  static constexpr char const* name = "R_ARM_TARGET2";
};
// TARGET2 on GNU/Linux: GOT_PREL (arm-linux-gnueabihf ld, lld's default).
struct R_ARM_TARGET2_GOT_PREL : field<traits::R_ARM_TARGET2, expr::got_pc, no_check, 1, 4>, word32 {
  static constexpr char const* name = "R_ARM_TARGET2";
};
// .ARM.exidx: ((S + A) | T) - P in bits 30:0, bit 31 kept (AAELF32, EHABI §6).
struct R_ARM_PREL31 : field<traits::R_ARM_PREL31, expr::pc, signed_bits(31), 1, 4> {
  static constexpr char const* name = "R_ARM_PREL31";
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    write32<Order>(p, (read32<Order>(p) & 0x80000000u) | (v & 0x7fffffffu));
  }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept { return sign_extend(read32<Order>(p), 31); }
};

// GOT and GOT-relative words (-fPIC): GOT_ORG is the GOT base the loader synthesises.
struct R_ARM_GOTOFF32 : field<traits::R_ARM_GOTOFF32, expr::gotoff, no_check, 1, 4>, word32 { // S + A - GOT_ORG
  static constexpr char const* name = "R_ARM_GOTOFF32";
};
struct R_ARM_BASE_PREL : field<traits::R_ARM_BASE_PREL, expr::gotpc, no_check, 1, 4>, word32 { // B(S) + A - P
  static constexpr char const* name = "R_ARM_BASE_PREL";
};
struct R_ARM_GOT_BREL : field<traits::R_ARM_GOT_BREL, expr::got_off, no_check, 1, 4>, word32 { // GOT(S) + A - GOT_ORG
  static constexpr char const* name = "R_ARM_GOT_BREL";
};
struct R_ARM_GOT_PREL : field<traits::R_ARM_GOT_PREL, expr::got_pc, no_check, 1, 4>, word32 { // GOT(S) + A - P
  static constexpr char const* name = "R_ARM_GOT_PREL";
};

// ARM-state branches.
struct R_ARM_PC24 : arm_jump<traits::R_ARM_PC24, expr::branch> { // deprecated B/BL
  static constexpr char const* name = "R_ARM_PC24";
};
struct R_ARM_PLT32 : arm_jump<traits::R_ARM_PLT32, expr::branch> { // deprecated BL to a PLT entry
  static constexpr char const* name = "R_ARM_PLT32";
};
struct R_ARM_JUMP24 : arm_jump<traits::R_ARM_JUMP24, expr::branch> { // B, BL<cond>
  static constexpr char const* name = "R_ARM_JUMP24";
};
struct R_ARM_CALL : arm_call { // BL, BLX
  static constexpr char const* name = "R_ARM_CALL";
};

// Thumb branches.
struct R_ARM_THM_CALL : thm_call {
  static constexpr char const* name = "R_ARM_THM_CALL";
};
struct R_ARM_THM_CALL_M : thm_call_m {
  static constexpr char const* name = "R_ARM_THM_CALL";
};
struct R_ARM_THM_JUMP24 : thm_jump24 {
  static constexpr char const* name = "R_ARM_THM_JUMP24";
};
struct R_ARM_THM_JUMP19 : thm_jump19 {
  static constexpr char const* name = "R_ARM_THM_JUMP19";
};
struct R_ARM_THM_JUMP11 : thm_short_branch<traits::R_ARM_THM_JUMP11, 12> { // [-2048, 2046]
  static constexpr char const* name = "R_ARM_THM_JUMP11";
};
struct R_ARM_THM_JUMP8 : thm_short_branch<traits::R_ARM_THM_JUMP8, 9> { // [-256, 254]
  static constexpr char const* name = "R_ARM_THM_JUMP8";
};

// MOVW/MOVT pairs: absolute (S + A) | T and PC-relative ((S + A) | T) - P; no overflow check
// (MOVT takes bits 31:16 of a 32-bit value, AAELF32 "X & 0xFFFF0000 >> 16").
struct R_ARM_MOVW_ABS_NC : field<traits::R_ARM_MOVW_ABS_NC, expr::abs, no_check, 1, 4>, arm_mov16<0> {
  static constexpr char const* name = "R_ARM_MOVW_ABS_NC";
};
struct R_ARM_MOVT_ABS : field<traits::R_ARM_MOVT_ABS, expr::abs, no_check, 1, 4>, arm_mov16<16> {
  static constexpr char const* name = "R_ARM_MOVT_ABS";
};
struct R_ARM_MOVW_PREL_NC : field<traits::R_ARM_MOVW_PREL_NC, expr::pc, no_check, 1, 4>, arm_mov16<0> {
  static constexpr char const* name = "R_ARM_MOVW_PREL_NC";
};
struct R_ARM_MOVT_PREL : field<traits::R_ARM_MOVT_PREL, expr::pc, no_check, 1, 4>, arm_mov16<16> {
  static constexpr char const* name = "R_ARM_MOVT_PREL";
};
struct R_ARM_THM_MOVW_ABS_NC : field<traits::R_ARM_THM_MOVW_ABS_NC, expr::abs, no_check, 1, 4>, thm_mov16<0> {
  static constexpr char const* name = "R_ARM_THM_MOVW_ABS_NC";
};
struct R_ARM_THM_MOVT_ABS : field<traits::R_ARM_THM_MOVT_ABS, expr::abs, no_check, 1, 4>, thm_mov16<16> {
  static constexpr char const* name = "R_ARM_THM_MOVT_ABS";
};
struct R_ARM_THM_MOVW_PREL_NC : field<traits::R_ARM_THM_MOVW_PREL_NC, expr::pc, no_check, 1, 4>, thm_mov16<0> {
  static constexpr char const* name = "R_ARM_THM_MOVW_PREL_NC";
};
struct R_ARM_THM_MOVT_PREL : field<traits::R_ARM_THM_MOVT_PREL, expr::pc, no_check, 1, 4>, thm_mov16<16> {
  static constexpr char const* name = "R_ARM_THM_MOVT_PREL";
};

// LDR (literal) T1 / ADR T1: S + A - Pa in imm8:00, [0, 1020], 4-aligned. REL addend:
// ((imm8:00 + 4) & 0x3ff) - 4, so imm8 = 0xff encodes the usual -4 bias.
struct R_ARM_THM_PC8 : field<traits::R_ARM_THM_PC8, expr::custom, unsigned_bits(10), 4, 2>, pc_aligned<true> {
  static constexpr char const* name = "R_ARM_THM_PC8";
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    write16<Order>(p, (read16<Order>(p) & 0xff00u) | ((v & 0x3fc) >> 2));
  }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    return static_cast<std::int64_t>((((read16<Order>(p) & 0xffu) << 2) + 4) & 0x3ffu) - 4;
  }
};
// LDR.W (literal) T2: S + A - Pa as U:imm12 (U = bit 7 of the first halfword), [-4095, 4095].
struct R_ARM_THM_PC12 : field<traits::R_ARM_THM_PC12, expr::custom, magnitude12, 1, 4>, pc_aligned<true> {
  static constexpr char const* name = "R_ARM_THM_PC12";
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    bool const neg = static_cast<std::int64_t>(v) < 0;
    std::uint64_t const m = neg ? 0 - v : v;
    write16<Order>(p, (read16<Order>(p) & ~0x0080u) | (neg ? 0u : 0x0080u));
    write16<Order>(p + 2, (read16<Order>(p + 2) & 0xf000u) | (m & 0x0fff));
  }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    std::int64_t const m = read16<Order>(p + 2) & 0x0fff;
    return (read16<Order>(p) & 0x0080u) != 0 ? m : -m;
  }
};
// ADR.W: ADDW Rd, PC, #imm12 (T3) / SUBW Rd, PC, #imm12 (T2), i:imm3:imm8, S + A - Pa in
// [-4095, 4095]. T is kept: ADR of a Thumb function yields a BX-able address.
struct R_ARM_THM_ALU_PREL_11_0 : field<traits::R_ARM_THM_ALU_PREL_11_0, expr::custom, magnitude12, 1, 4>, pc_aligned<false> {
  static constexpr char const* name = "R_ARM_THM_ALU_PREL_11_0";
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    bool const neg = static_cast<std::int64_t>(v) < 0;
    std::uint64_t const m = neg ? 0 - v : v;
    write16<Order>(p, (read16<Order>(p) & 0xfb0fu) | (neg ? 0x00a0u : 0u) | ((m & 0x800) >> 1));
    write16<Order>(p + 2, (read16<Order>(p + 2) & 0x8f00u) | ((m & 0x700) << 4) | (m & 0xff));
  }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    std::uint64_t const hi = read16<Order>(p), lo = read16<Order>(p + 2);
    auto const m = static_cast<std::int64_t>(((hi & 0x0400) << 1) | ((lo & 0x7000) >> 4) | (lo & 0x00ff));
    return (hi & 0x00f0) != 0 ? -m : m;
  }
};

// -- Thread-local storage: rejected with errc::unsupported_relocation ------------------------
template <std::uint32_t Type, std::size_t Width>
struct tls : field<Type, expr::tls, no_check, 1, Width>, no_write {};
struct R_ARM_TLS_DTPMOD32 : tls<traits::R_ARM_TLS_DTPMOD32, 4> { static constexpr char const* name = "R_ARM_TLS_DTPMOD32"; };
struct R_ARM_TLS_DTPOFF32 : tls<traits::R_ARM_TLS_DTPOFF32, 4> { static constexpr char const* name = "R_ARM_TLS_DTPOFF32"; };
struct R_ARM_TLS_TPOFF32 : tls<traits::R_ARM_TLS_TPOFF32, 4> { static constexpr char const* name = "R_ARM_TLS_TPOFF32"; };
struct R_ARM_TLS_GOTDESC : tls<traits::R_ARM_TLS_GOTDESC, 4> { static constexpr char const* name = "R_ARM_TLS_GOTDESC"; };
struct R_ARM_TLS_CALL : tls<traits::R_ARM_TLS_CALL, 4> { static constexpr char const* name = "R_ARM_TLS_CALL"; };
struct R_ARM_TLS_DESCSEQ : tls<traits::R_ARM_TLS_DESCSEQ, 4> { static constexpr char const* name = "R_ARM_TLS_DESCSEQ"; };
struct R_ARM_THM_TLS_CALL : tls<traits::R_ARM_THM_TLS_CALL, 4> { static constexpr char const* name = "R_ARM_THM_TLS_CALL"; };
struct R_ARM_TLS_GD32 : tls<traits::R_ARM_TLS_GD32, 4> { static constexpr char const* name = "R_ARM_TLS_GD32"; };
struct R_ARM_TLS_LDM32 : tls<traits::R_ARM_TLS_LDM32, 4> { static constexpr char const* name = "R_ARM_TLS_LDM32"; };
struct R_ARM_TLS_LDO32 : tls<traits::R_ARM_TLS_LDO32, 4> { static constexpr char const* name = "R_ARM_TLS_LDO32"; };
struct R_ARM_TLS_IE32 : tls<traits::R_ARM_TLS_IE32, 4> { static constexpr char const* name = "R_ARM_TLS_IE32"; };
struct R_ARM_TLS_LE32 : tls<traits::R_ARM_TLS_LE32, 4> { static constexpr char const* name = "R_ARM_TLS_LE32"; };
struct R_ARM_TLS_LDO12 : tls<traits::R_ARM_TLS_LDO12, 4> { static constexpr char const* name = "R_ARM_TLS_LDO12"; };
struct R_ARM_TLS_LE12 : tls<traits::R_ARM_TLS_LE12, 4> { static constexpr char const* name = "R_ARM_TLS_LE12"; };
struct R_ARM_TLS_IE12GP : tls<traits::R_ARM_TLS_IE12GP, 4> { static constexpr char const* name = "R_ARM_TLS_IE12GP"; };
struct R_ARM_THM_TLS_DESCSEQ16 : tls<traits::R_ARM_THM_TLS_DESCSEQ16, 2> { static constexpr char const* name = "R_ARM_THM_TLS_DESCSEQ16"; };
struct R_ARM_THM_TLS_DESCSEQ32 : tls<traits::R_ARM_THM_TLS_DESCSEQ32, 4> { static constexpr char const* name = "R_ARM_THM_TLS_DESCSEQ32"; };

// Everything but TARGET2 and THM_CALL, which differ between the platform sets below.
template <class Traits, class Target2, class ThumbCall>
using set = reloc_set<Traits,
                      R_ARM_NONE, R_ARM_PC24, R_ARM_ABS32, R_ARM_REL32, R_ARM_ABS16, R_ARM_ABS8,
                      ThumbCall, R_ARM_THM_PC8, R_ARM_GOTOFF32, R_ARM_BASE_PREL, R_ARM_GOT_BREL,
                      R_ARM_PLT32, R_ARM_CALL, R_ARM_JUMP24, R_ARM_THM_JUMP24, R_ARM_TARGET1, R_ARM_V4BX,
                      Target2, R_ARM_PREL31, R_ARM_MOVW_ABS_NC, R_ARM_MOVT_ABS, R_ARM_MOVW_PREL_NC,
                      R_ARM_MOVT_PREL, R_ARM_THM_MOVW_ABS_NC, R_ARM_THM_MOVT_ABS, R_ARM_THM_MOVW_PREL_NC,
                      R_ARM_THM_MOVT_PREL, R_ARM_THM_JUMP19, R_ARM_THM_ALU_PREL_11_0, R_ARM_THM_PC12,
                      R_ARM_GOT_PREL, R_ARM_THM_JUMP11, R_ARM_THM_JUMP8,
                      R_ARM_TLS_DTPMOD32, R_ARM_TLS_DTPOFF32, R_ARM_TLS_TPOFF32, R_ARM_TLS_GOTDESC,
                      R_ARM_TLS_CALL, R_ARM_TLS_DESCSEQ, R_ARM_THM_TLS_CALL, R_ARM_TLS_GD32,
                      R_ARM_TLS_LDM32, R_ARM_TLS_LDO32, R_ARM_TLS_IE32, R_ARM_TLS_LE32, R_ARM_TLS_LDO12,
                      R_ARM_TLS_LE12, R_ARM_TLS_IE12GP, R_ARM_THM_TLS_DESCSEQ16, R_ARM_THM_TLS_DESCSEQ32>;

} // namespace arm_howto

// Bare-metal EABI on A/R-profile cores (ARM and Thumb code): TARGET2 = REL32, BL <-> BLX.
using arm = arm_howto::set<arm_traits, arm_howto::R_ARM_TARGET2, arm_howto::R_ARM_THM_CALL>;
static_assert(relocation_set<arm>);

// Bare-metal EABI on M-profile cores (Cortex-M0..M85, Thumb only): THM_CALL always BL.
using arm_m = arm_howto::set<arm_m_traits, arm_howto::R_ARM_TARGET2, arm_howto::R_ARM_THM_CALL_M>;
static_assert(relocation_set<arm_m>);

// GNU/Linux EABI: TARGET2 = GOT_PREL, BL <-> BLX.
using arm_linux = arm_howto::set<arm_traits, arm_howto::R_ARM_TARGET2_GOT_PREL, arm_howto::R_ARM_THM_CALL>;
static_assert(relocation_set<arm_linux>);

} // namespace extload::inline v0::arch
