// arch/xtensa.hpp: the Xtensa relocation set, as the GNU toolchain uses it (there is no
// published Xtensa psABI; the de-facto definition is binutils bfd/elf32-xtensa.c and
// include/elf/xtensa.h, and the instruction formats are those of the Xtensa ISA Reference
// Manual). Written for the Debian xtensa-lx106-elf toolchain (ESP8266: little-endian, CALL0
// ABI, density option, no windowed registers, no FLIX) and checked byte for byte against
// xtensa-lx106-elf-ld (tests/oracle/xtensa).
//
// What is particular about Xtensa, and why this file looks the way it does:
//   * Objects are RELA, but R_XTENSA_32 is *partial in place* (bfd howto: src_mask = dst_mask =
//     0xffffffff): GNU as keeps the offset of a local label inside the word and relocates
//     against the section symbol (`.word .L5 + 12` -> R_XTENSA_32 .text + 0 over a word holding
//     12), so ld computes S + A + contents. The writer therefore adds to the word.
//   * One relocation, R_XTENSA_SLOT0_OP, serves every instruction with a relocatable operand in
//     slot 0, and what it computes depends on the instruction: ld decodes the opcode at the
//     place (libisa) and encodes the operand with that instruction's PC-relative rule:
//       L32R       RI16   (S + A - ((P + 3) & ~3)) / 4, 16 bits, ones-extended: [-262144, -4], 4-aligned
//       CALLn      CALL   (S + A - ((P & ~3) + 4)) / 4, signed 18 bits: [-2^19, 2^19 - 4], 4-aligned;
//                         windowed CALL4/8/12 must stay in the caller's 1 GiB segment (the
//                         return address keeps only 30 bits: ld "windowed call crosses 1GB")
//       J          CALL   S + A - P - 4, signed 18 bits
//       BEQZ..BGEZ BRI12  S + A - P - 4, signed 12 bits
//       Bcc, BccI  RRI8 / BRI8  S + A - P - 4, signed 8 bits (BF/BT too)
//       LOOP*      BRI8   S + A - P - 4, unsigned 8 bits
//       BEQZ.N/BNEZ.N RI6 S + A - P - 4, unsigned 6 bits (2-byte density instruction)
//     A howto here gets only (place, value) when it writes, so SLOT0_OP is an expr::custom whose
//     value carries both addresses, (S + A) << 32 | P (Xtensa addresses are 32 bits), and its
//     writer decodes the opcode, checks range and alignment for that form and encodes it
//     (lld's Xtensa::relocate recovers P the same way). A range failure is reported with that
//     packed value. An opcode with no PC-relative operand is errc::unsupported_relocation.
//   * Instruction bytes are little-endian on lx106. Big-endian Xtensa cores number the fields
//     from the other end of the instruction word; this set encodes little-endian cores only
//     and rejects SLOT0_OP in a big-endian image (errc::unsupported_relocation).
//   * R_XTENSA_ASM_EXPAND marks an assembler-expanded call (L32R + CALLXn with -mlongcalls) that
//     ld may relax back into a direct CALLn; without relaxation it changes nothing (ld:
//     bfd_reloc_ok), so it is expr::none here. Oracle links use --no-relax.
//   * R_XTENSA_DIFF8/16/32 and the signed-aware PDIFF/NDIFF variants carry differences of two
//     labels of one section, already computed by the assembler into the field; ld only touches
//     them when relaxation moves code. A loader keeps every section's internal layout, so they
//     are expr::none with the width of their field (the place is still bounds-checked).
//   * Types for FLIX slots 1-14 and the ALT (CONST16) forms are not emitted for lx106 (no FLIX,
//     no CONST16): left out, so they are an "unknown relocation". Dynamic types (RTLD,
//     GLOB_DAT, JMP_SLOT, RELATIVE, PLT) belong to shared objects and are left out too.
//   * TLS relocations are listed (expr::tls) and rejected by name. No veneers (veneer_size = 0):
//     calls to far firmware code are built with -mlongcalls (L32R + CALLX0 through a literal).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "extload/arch/common.hpp"
#include "extload/arch/reloc_set.hpp"
#include "extload/bytes.hpp"
#include "extload/elf/constants.hpp"

namespace extload::inline v0::arch {

struct xtensa_traits {
  static constexpr std::uint16_t e_machine = elf::EM_XTENSA;
  static constexpr bool uses_rela = true;
  static constexpr std::size_t got_entry_size = 4;
  static constexpr char const* arch_name = "xtensa";
  static constexpr std::size_t veneer_size = 0;
  static constexpr std::uint64_t veneer_align = 4;

  // Relocation type numbers (include/elf/xtensa.h in binutils).
  enum : std::uint32_t {
    R_XTENSA_NONE = 0,
    R_XTENSA_32 = 1,
    R_XTENSA_RTLD = 2,     // dynamic only: not in the set
    R_XTENSA_GLOB_DAT = 3, // dynamic only: not in the set
    R_XTENSA_JMP_SLOT = 4, // dynamic only: not in the set
    R_XTENSA_RELATIVE = 5, // dynamic only: not in the set
    R_XTENSA_PLT = 6,      // shared objects only: not in the set
    R_XTENSA_OP0 = 8,      // obsolete: not in the set
    R_XTENSA_OP1 = 9,
    R_XTENSA_OP2 = 10,
    R_XTENSA_ASM_EXPAND = 11,
    R_XTENSA_ASM_SIMPLIFY = 12, // relaxation only: not in the set
    R_XTENSA_32_PCREL = 14,
    R_XTENSA_GNU_VTINHERIT = 15,
    R_XTENSA_GNU_VTENTRY = 16,
    R_XTENSA_DIFF8 = 17,
    R_XTENSA_DIFF16 = 18,
    R_XTENSA_DIFF32 = 19,
    R_XTENSA_SLOT0_OP = 20, // SLOT1_OP ... SLOT14_OP = 21 ... 34 (FLIX): not in the set
    R_XTENSA_SLOT0_ALT = 35, // ... SLOT14_ALT = 49 (CONST16): not in the set
    R_XTENSA_TLSDESC_FN = 50,
    R_XTENSA_TLSDESC_ARG = 51,
    R_XTENSA_TLS_DTPOFF = 52,
    R_XTENSA_TLS_TPOFF = 53,
    R_XTENSA_TLS_FUNC = 54,
    R_XTENSA_TLS_ARG = 55,
    R_XTENSA_TLS_CALL = 56,
    R_XTENSA_PDIFF8 = 57,
    R_XTENSA_PDIFF16 = 58,
    R_XTENSA_PDIFF32 = 59,
    R_XTENSA_NDIFF8 = 60,
    R_XTENSA_NDIFF16 = 61,
    R_XTENSA_NDIFF32 = 62,
  };
};

namespace xtensa_howto {

using traits = xtensa_traits;

// Every value a 32-bit address computation can produce: S + A - P with S, P < 2^32 lies in
// (-2^32, 2^32) and wraps like the core's address arithmetic (see arch/i386.hpp).
inline constexpr range wrap32 = [] {
  range r;
  r.unchecked = false;
  r.min = -(std::int64_t{1} << 32);
  r.max = (std::int64_t{1} << 32) - 1;
  return r;
}();

template <std::uint32_t Type, expr Kind, range Check>
struct field {
  static constexpr std::uint32_t type = Type;
  static constexpr expr kind = Kind;
  static constexpr range check = Check;
  static constexpr std::uint64_t align = 1;
};

// A field nothing is written to, `Width` bytes long (bounds-checked by the loader all the same).
template <std::size_t Width>
struct untouched {
  static constexpr std::size_t width = Width;
  template <std::endian Order>
  static constexpr void write(std::byte*, std::uint64_t) noexcept {}
};

// The value a SLOT0_OP relocation carries: both addresses (see the file comment).
constexpr std::uint64_t pack_target_place(std::uint64_t target, std::uint64_t place) noexcept {
  return (target & 0xffff'ffffu) << 32 | (place & 0xffff'ffffu);
}

// Which PC-relative operand the instruction at a place has (Xtensa ISA, op0 = bits 3..0 of the
// first byte on little-endian cores; the CALL/BRI8/BRI12 groups split further on n, m and r).
enum class slot0_form : std::uint8_t { unsupported, l32r, call, j, bri12, branch8, loop8, branch_n };

constexpr slot0_form decode_slot0(std::uint8_t b0, std::uint8_t b1) noexcept {
  unsigned const op0 = b0 & 0xfu, n = (b0 >> 4) & 3u, m = (b0 >> 6) & 3u, r = (b1 >> 4) & 0xfu;
  switch (op0) {
  case 0x1: return slot0_form::l32r;   // L32R (RI16)
  case 0x5: return slot0_form::call;   // CALL0/4/8/12 (CALL, n = window increment / 4)
  case 0x6:                            // CALLX group of op0 = SI
    if (n == 0) return slot0_form::j;      // J
    if (n == 1) return slot0_form::bri12;  // BEQZ, BNEZ, BLTZ, BGEZ (m selects)
    if (n == 2) return slot0_form::branch8; // BEQI, BNEI, BLTI, BGEI
    if (m == 2 || m == 3) return slot0_form::branch8; // BLTUI, BGEUI
    if (m == 1) {                                     // B1 group
      if (r == 0 || r == 1) return slot0_form::branch8; // BF, BT
      if (r >= 8 && r <= 10) return slot0_form::loop8; // LOOP, LOOPNEZ, LOOPGTZ
    }
    return slot0_form::unsupported;    // ENTRY and others: no PC-relative operand
  case 0x7: return slot0_form::branch8; // BNONE, BEQ, BLT, BLTU, BALL, BBC, BBCI, ... (RRI8)
  case 0xc: return (b0 & 0x80) != 0 ? slot0_form::branch_n : slot0_form::unsupported; // BEQZ.N/BNEZ.N (RI6); MOVI.N
  default: return slot0_form::unsupported;
  }
}

// Write an 18-bit field split as CALL/J encode it: bits 7..6 of byte 0, then bytes 1 and 2.
constexpr void put_offset18(std::byte* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::byte>((std::to_integer<std::uint32_t>(p[0]) & 0x3fu) | ((v & 3u) << 6));
  p[1] = static_cast<std::byte>((v >> 2) & 0xffu);
  p[2] = static_cast<std::byte>((v >> 10) & 0xffu);
}

// -- Data ------------------------------------------------------------------------------------
struct R_XTENSA_NONE : field<traits::R_XTENSA_NONE, expr::none, no_check>, untouched<0> {
  static constexpr char const* name = "R_XTENSA_NONE";
};
// word32: S + A + contents (partial in place, see the file comment). Literal pool entries,
// pointers in .data, jump tables.
struct R_XTENSA_32 : field<traits::R_XTENSA_32, expr::abs, any_bits(32)> {
  static constexpr char const* name = "R_XTENSA_32";
  static constexpr std::size_t width = 4;
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    store_at<std::uint32_t, Order>(p, static_cast<std::uint32_t>(load_at<std::uint32_t, Order>(p) + v));
  }
};
// word32: S + A - P (ld writes the difference; it is not partial in place).
struct R_XTENSA_32_PCREL : field<traits::R_XTENSA_32_PCREL, expr::pc, wrap32>, data_write<std::uint32_t> {
  static constexpr char const* name = "R_XTENSA_32_PCREL";
};

// -- Instructions ----------------------------------------------------------------------------
struct R_XTENSA_SLOT0_OP : field<traits::R_XTENSA_SLOT0_OP, expr::custom, no_check> {
  static constexpr char const* name = "R_XTENSA_SLOT0_OP";
  static constexpr std::size_t width = 2; // the shortest form (density); 3-byte forms check room
  static constexpr std::uint64_t compute(values const& v) noexcept {
    return pack_target_place(v.S + static_cast<std::uint64_t>(v.A), v.P);
  }

  template <std::endian Order>
  static constexpr errc write(std::byte* p, std::uint64_t value, std::uint64_t room) noexcept {
    if constexpr (Order != std::endian::little) {
      (void)p, (void)value, (void)room;
      return errc::unsupported_relocation;
    } else {
      auto const S = static_cast<std::uint32_t>(value >> 32);
      auto const P = static_cast<std::uint32_t>(value);
      auto const b0 = std::to_integer<std::uint8_t>(p[0]), b1 = std::to_integer<std::uint8_t>(p[1]);
      slot0_form const form = decode_slot0(b0, b1);
      if (form == slot0_form::unsupported) return errc::unsupported_relocation;
      if (form != slot0_form::branch_n && room < 3) return errc::bad_relocation; // a 3-byte instruction cut short
      // Displacements in the core's 32-bit arithmetic, read as signed.
      auto const from = [&](std::uint32_t base) { return static_cast<std::int64_t>(static_cast<std::int32_t>(S - base)); };
      switch (form) {
      case slot0_form::l32r: {
        std::int64_t const d = from((P + 3u) & ~3u);
        if (d < -262144 || d > -4) return errc::relocation_overflow;
        if ((d & 3) != 0) return errc::misaligned_relocation;
        auto const imm16 = static_cast<std::uint32_t>(d >> 2) & 0xffffu;
        p[1] = static_cast<std::byte>(imm16 & 0xffu);
        p[2] = static_cast<std::byte>(imm16 >> 8);
        return errc::ok;
      }
      case slot0_form::call: {
        std::int64_t const d = from((P & ~3u) + 4u);
        if (d < -(std::int64_t{1} << 19) || d > (std::int64_t{1} << 19) - 4) return errc::relocation_overflow;
        if ((d & 3) != 0) return errc::misaligned_relocation;
        if (((b0 >> 4) & 3u) != 0 && (S >> 30) != (P >> 30)) return errc::relocation_overflow; // windowed, other 1 GiB
        put_offset18(p, static_cast<std::uint32_t>(d >> 2));
        return errc::ok;
      }
      case slot0_form::j: {
        std::int64_t const d = from(P + 4u);
        if (d < -(std::int64_t{1} << 17) || d >= (std::int64_t{1} << 17)) return errc::relocation_overflow;
        put_offset18(p, static_cast<std::uint32_t>(d));
        return errc::ok;
      }
      case slot0_form::bri12: {
        std::int64_t const d = from(P + 4u);
        if (d < -2048 || d > 2047) return errc::relocation_overflow;
        auto const u = static_cast<std::uint32_t>(d);
        p[1] = static_cast<std::byte>((b1 & 0x0fu) | ((u & 0xfu) << 4));
        p[2] = static_cast<std::byte>((u >> 4) & 0xffu);
        return errc::ok;
      }
      case slot0_form::branch8: {
        std::int64_t const d = from(P + 4u);
        if (d < -128 || d > 127) return errc::relocation_overflow;
        p[2] = static_cast<std::byte>(static_cast<std::uint32_t>(d) & 0xffu);
        return errc::ok;
      }
      case slot0_form::loop8: {
        std::int64_t const d = from(P + 4u);
        if (d < 0 || d > 255) return errc::relocation_overflow;
        p[2] = static_cast<std::byte>(static_cast<std::uint32_t>(d));
        return errc::ok;
      }
      case slot0_form::branch_n: {
        std::int64_t const d = from(P + 4u);
        if (d < 0 || d > 63) return errc::relocation_overflow;
        auto const u = static_cast<std::uint32_t>(d);
        p[0] = static_cast<std::byte>((b0 & 0xcfu) | (u & 0x30u));
        p[1] = static_cast<std::byte>((b1 & 0x0fu) | ((u & 0xfu) << 4));
        return errc::ok;
      }
      case slot0_form::unsupported: break;
      }
      return errc::unsupported_relocation;
    }
  }
};
// A hint on an assembler-expanded longcall (L32R + CALLXn): nothing to do without relaxation.
struct R_XTENSA_ASM_EXPAND : field<traits::R_XTENSA_ASM_EXPAND, expr::none, no_check>, untouched<0> {
  static constexpr char const* name = "R_XTENSA_ASM_EXPAND";
};

// -- Label differences, computed by the assembler ---------------------------------------------
struct R_XTENSA_DIFF8 : field<traits::R_XTENSA_DIFF8, expr::none, no_check>, untouched<1> {
  static constexpr char const* name = "R_XTENSA_DIFF8";
};
struct R_XTENSA_DIFF16 : field<traits::R_XTENSA_DIFF16, expr::none, no_check>, untouched<2> {
  static constexpr char const* name = "R_XTENSA_DIFF16";
};
struct R_XTENSA_DIFF32 : field<traits::R_XTENSA_DIFF32, expr::none, no_check>, untouched<4> {
  static constexpr char const* name = "R_XTENSA_DIFF32";
};
struct R_XTENSA_PDIFF8 : field<traits::R_XTENSA_PDIFF8, expr::none, no_check>, untouched<1> {
  static constexpr char const* name = "R_XTENSA_PDIFF8";
};
struct R_XTENSA_PDIFF16 : field<traits::R_XTENSA_PDIFF16, expr::none, no_check>, untouched<2> {
  static constexpr char const* name = "R_XTENSA_PDIFF16";
};
struct R_XTENSA_PDIFF32 : field<traits::R_XTENSA_PDIFF32, expr::none, no_check>, untouched<4> {
  static constexpr char const* name = "R_XTENSA_PDIFF32";
};
struct R_XTENSA_NDIFF8 : field<traits::R_XTENSA_NDIFF8, expr::none, no_check>, untouched<1> {
  static constexpr char const* name = "R_XTENSA_NDIFF8";
};
struct R_XTENSA_NDIFF16 : field<traits::R_XTENSA_NDIFF16, expr::none, no_check>, untouched<2> {
  static constexpr char const* name = "R_XTENSA_NDIFF16";
};
struct R_XTENSA_NDIFF32 : field<traits::R_XTENSA_NDIFF32, expr::none, no_check>, untouched<4> {
  static constexpr char const* name = "R_XTENSA_NDIFF32";
};

// -- Thread-local storage: rejected with errc::unsupported_relocation ----------------------
struct R_XTENSA_TLSDESC_FN : field<traits::R_XTENSA_TLSDESC_FN, expr::tls, no_check>, untouched<4> {
  static constexpr char const* name = "R_XTENSA_TLSDESC_FN";
};
struct R_XTENSA_TLSDESC_ARG : field<traits::R_XTENSA_TLSDESC_ARG, expr::tls, no_check>, untouched<4> {
  static constexpr char const* name = "R_XTENSA_TLSDESC_ARG";
};
struct R_XTENSA_TLS_DTPOFF : field<traits::R_XTENSA_TLS_DTPOFF, expr::tls, no_check>, untouched<4> {
  static constexpr char const* name = "R_XTENSA_TLS_DTPOFF";
};
struct R_XTENSA_TLS_TPOFF : field<traits::R_XTENSA_TLS_TPOFF, expr::tls, no_check>, untouched<4> {
  static constexpr char const* name = "R_XTENSA_TLS_TPOFF";
};
// Markers on the instructions of a TLS descriptor call sequence.
struct R_XTENSA_TLS_FUNC : field<traits::R_XTENSA_TLS_FUNC, expr::tls, no_check>, untouched<0> {
  static constexpr char const* name = "R_XTENSA_TLS_FUNC";
};
struct R_XTENSA_TLS_ARG : field<traits::R_XTENSA_TLS_ARG, expr::tls, no_check>, untouched<0> {
  static constexpr char const* name = "R_XTENSA_TLS_ARG";
};
struct R_XTENSA_TLS_CALL : field<traits::R_XTENSA_TLS_CALL, expr::tls, no_check>, untouched<0> {
  static constexpr char const* name = "R_XTENSA_TLS_CALL";
};

} // namespace xtensa_howto

using xtensa = reloc_set<xtensa_traits,
                         xtensa_howto::R_XTENSA_NONE, xtensa_howto::R_XTENSA_32,
                         xtensa_howto::R_XTENSA_ASM_EXPAND, xtensa_howto::R_XTENSA_32_PCREL,
                         xtensa_howto::R_XTENSA_DIFF8, xtensa_howto::R_XTENSA_DIFF16,
                         xtensa_howto::R_XTENSA_DIFF32, xtensa_howto::R_XTENSA_SLOT0_OP,
                         xtensa_howto::R_XTENSA_TLSDESC_FN, xtensa_howto::R_XTENSA_TLSDESC_ARG,
                         xtensa_howto::R_XTENSA_TLS_DTPOFF, xtensa_howto::R_XTENSA_TLS_TPOFF,
                         xtensa_howto::R_XTENSA_TLS_FUNC, xtensa_howto::R_XTENSA_TLS_ARG,
                         xtensa_howto::R_XTENSA_TLS_CALL, xtensa_howto::R_XTENSA_PDIFF8,
                         xtensa_howto::R_XTENSA_PDIFF16, xtensa_howto::R_XTENSA_PDIFF32,
                         xtensa_howto::R_XTENSA_NDIFF8, xtensa_howto::R_XTENSA_NDIFF16,
                         xtensa_howto::R_XTENSA_NDIFF32>;
static_assert(relocation_set<xtensa>);

} // namespace extload::inline v0::arch
