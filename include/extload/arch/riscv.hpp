// arch/riscv.hpp: the RISC-V relocation sets, RV32 and RV64 (RISC-V ELF psABI, chapter "ELF
// Object Files", section "Relocations", https://github.com/riscv-non-isa/riscv-elf-psabi-doc).
//
// What is particular about RISC-V, and why this file looks the way it does:
//   * Objects are always RELA. The two word sizes share every howto; what differs is R_RISCV_32
//     vs R_RISCV_64 as the pointer word, the GOT slot (4 or 8 bytes), the ELF class, and the
//     ranges: an RV32 hart computes addresses modulo 2^32, so a value is first sign-extended from
//     XLEN (lld: `SignExtend64(val, config->wordsize * 8)`) and on RV32 every 32-bit PC-relative
//     or absolute pair reaches the whole address space. The sets are riscv32 and riscv64 below,
//     one template instantiated twice.
//   * Instructions are always little-endian, even on the big-endian data variants the psABI
//     allows; data words (32, 64, ADD*, SUB*, SET*, the veneer literal) follow the ELF data order.
//   * Immediates are scattered over the instruction (B-, J-, CB-, CJ- and S-type fields), and
//     32-bit values are split in two: a U-type instruction (LUI/AUIPC) takes the high 20 bits,
//     rounded (`(v + 0x800) >> 12`) because the I/S-type low 12 bits are sign-extended.
//     HI20/LO12_I/LO12_S are absolute (medlow: the target must lie in [-2 GiB - 2 KiB, 2 GiB -
//     2 KiB) on RV64, TOOLCHAIN.md pitfall 11); PCREL_HI20/GOT_HI20 are PC-relative (medany, PIC).
//   * PCREL_LO12_I/S name, as their symbol, the *label of the AUIPC* that carries the matching
//     PCREL_HI20 or GOT_HI20 ("%pcrel_lo(label)"), not the target: the low half must reuse the
//     high half's value S + A - P computed at the AUIPC. These howtos declare pair_role::lo and
//     compute from values::pair; the loader collects the high halves (pair_role::hi) of each
//     section first, sorted by offset, and finds each partner by binary search on the label
//     (loader/link.hpp collect_high_halves), so the order of the entries does not matter and no
//     quadratic rescan happens.
//   * Linker relaxation is never performed. R_RISCV_RELAX only marks a sequence a linker *may*
//     shorten; left alone the sequence is valid as assembled (psABI "Linker Relaxation"), so RELAX
//     is expr::none. R_RISCV_ALIGN marks NOP padding the assembler inserted (addend = its size,
//     the worst case) so that a relaxing linker can delete the excess after shrinking the code
//     before it. GNU ld and lld delete that excess even under --no-relax, and so does the loader
//     (loader/link.hpp plan_padding; `align_padding_type`, `write_padding` below): the padding
//     of N bytes aligns to the smallest power of two above N, the bytes that alignment does not
//     need are removed from the section, and symbols, relocation sites and section-symbol
//     addends after them move down. Nothing else changes size, and that is enough because with
//     relaxation enabled the assembler resolves no difference or branch that spans relaxable
//     code: every such reference carries its own relocation (BRANCH, JAL, ADD/SUB,
//     SET/SUB_ULEB128, ...) against a symbol, computed here on the final layout.
//   * ADD/SUB/SET (and SET6/SUB6 in DW_CFA_advance_loc) describe label differences that the
//     assembler left to the linker because relaxation could change them: read-modify-write of the
//     place (V + S + A, V - S - A), modulo the field width as lld and GNU ld compute them.
//     SET_ULEB128 + SUB_ULEB128 (psABI: always adjacent, same offset, SET first) do the same on a
//     ULEB128 field whose length the assembler fixed: each rewrites the field in place, keeping
//     its length (padded with continuation bytes), and never reads or writes past the section.
//   * Calls: CALL/CALL_PLT patch an AUIPC+JALR pair (±2 GiB on RV64), JAL reaches ±1 MiB, the
//     compressed C.J/C.JAL ±2 KiB, branches ±4 KiB / ±256 B. An import beyond reach is called
//     through a veneer placed in the extension's text: `auipc t1, 0; l[dw] t1, off(t1); jr t1`
//     and the target as a data word. t1 (x6) is the psABI's scratch register for PLT stubs and
//     the `tail` pseudo-instruction, dead across a call, so clobbering it is allowed.
//   * Ranges follow lld (lld/ELF/Arch/RISCV.cpp, RISCV::relocate): checkInt 13/21/9/12 with
//     checkAlignment 2 for BRANCH/JAL/RVC_BRANCH/RVC_JUMP, checkInt(SignExtend(v + 0x800) >> 12,
//     20) for the U-type halves and CALL, checkInt 32 for 32_PCREL/PLT32/GOT32_PCREL. R_RISCV_32
//     on RV64 is also checked (checkIntUInt 32) where lld and GNU ld silently truncate: a loader
//     should not write a pointer it cannot represent.
//   * TLS types are listed with kind expr::tls, so they are rejected by name: an extension has no
//     TLS block. RELATIVE (3), COPY (4), JUMP_SLOT (5) and IRELATIVE (58) are dynamic-only and left
//     out: in an ET_REL they are unknown relocations, like reserved numbers.
//   * e_flags carry the calling convention (float ABI, RVE): an object is linked only if it
//     matches the firmware's (riscv_abi, the -mabi value). riscv32 and riscv64 are built for
//     ilp32 and lp64d; riscv<riscv_abi::...> names a set for any other ABI.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "extload/arch/common.hpp"
#include "extload/arch/reloc_set.hpp"
#include "extload/bytes.hpp"
#include "extload/elf/constants.hpp"

namespace extload::inline v0::arch {

// Relocation type numbers (psABI table "Relocation types"). Unscoped so that
// `narrow<riscv64, riscv64::R_RISCV_CALL_PLT>` reads like the spec.
struct riscv_types {
  enum : std::uint32_t {
    R_RISCV_NONE = 0,
    R_RISCV_32 = 1,
    R_RISCV_64 = 2,
    R_RISCV_RELATIVE = 3,  // dynamic only: not in the set
    R_RISCV_COPY = 4,      // dynamic only: not in the set
    R_RISCV_JUMP_SLOT = 5, // dynamic only: not in the set
    R_RISCV_TLS_DTPMOD32 = 6,
    R_RISCV_TLS_DTPMOD64 = 7,
    R_RISCV_TLS_DTPREL32 = 8,
    R_RISCV_TLS_DTPREL64 = 9,
    R_RISCV_TLS_TPREL32 = 10,
    R_RISCV_TLS_TPREL64 = 11,
    R_RISCV_TLSDESC = 12,
    R_RISCV_BRANCH = 16,
    R_RISCV_JAL = 17,
    R_RISCV_CALL = 18,
    R_RISCV_CALL_PLT = 19,
    R_RISCV_GOT_HI20 = 20,
    R_RISCV_TLS_GOT_HI20 = 21,
    R_RISCV_TLS_GD_HI20 = 22,
    R_RISCV_PCREL_HI20 = 23,
    R_RISCV_PCREL_LO12_I = 24,
    R_RISCV_PCREL_LO12_S = 25,
    R_RISCV_HI20 = 26,
    R_RISCV_LO12_I = 27,
    R_RISCV_LO12_S = 28,
    R_RISCV_TPREL_HI20 = 29,
    R_RISCV_TPREL_LO12_I = 30,
    R_RISCV_TPREL_LO12_S = 31,
    R_RISCV_TPREL_ADD = 32,
    R_RISCV_ADD8 = 33,
    R_RISCV_ADD16 = 34,
    R_RISCV_ADD32 = 35,
    R_RISCV_ADD64 = 36,
    R_RISCV_SUB8 = 37,
    R_RISCV_SUB16 = 38,
    R_RISCV_SUB32 = 39,
    R_RISCV_SUB64 = 40,
    R_RISCV_GOT32_PCREL = 41,
    R_RISCV_ALIGN = 43,
    R_RISCV_RVC_BRANCH = 44,
    R_RISCV_RVC_JUMP = 45,
    R_RISCV_RELAX = 51,
    R_RISCV_SUB6 = 52,
    R_RISCV_SET6 = 53,
    R_RISCV_SET8 = 54,
    R_RISCV_SET16 = 55,
    R_RISCV_SET32 = 56,
    R_RISCV_32_PCREL = 57,
    R_RISCV_IRELATIVE = 58, // dynamic only: not in the set
    R_RISCV_PLT32 = 59,
    R_RISCV_SET_ULEB128 = 60,
    R_RISCV_SUB_ULEB128 = 61,
    R_RISCV_TLSDESC_HI20 = 62,
    R_RISCV_TLSDESC_LOAD_LO12 = 63,
    R_RISCV_TLSDESC_ADD_LO12 = 64,
    R_RISCV_TLSDESC_CALL = 65,
  };
  // e_flags (psABI "File Header").
  enum : std::uint32_t {
    EF_RISCV_RVC = 0x0001,               // uses compressed instructions
    EF_RISCV_FLOAT_ABI = 0x0006,         // mask: how floating-point arguments are passed
    EF_RISCV_FLOAT_ABI_SOFT = 0x0000,    //   in integer registers (ilp32, lp64, and the E ABIs)
    EF_RISCV_FLOAT_ABI_SINGLE = 0x0002,  //   float in FP registers (ilp32f, lp64f)
    EF_RISCV_FLOAT_ABI_DOUBLE = 0x0004,  //   float and double in FP registers (ilp32d, lp64d)
    EF_RISCV_FLOAT_ABI_QUAD = 0x0006,    //   up to long double in FP registers
    EF_RISCV_RVE = 0x0008,               // the E ABI: 16 integer registers (ilp32e, lp64e)
    EF_RISCV_TSO = 0x0010,               // needs the RVTSO memory model (Ztso)
  };
};

// The calling convention (gcc/clang -mabi) a RISC-V firmware is built for. An extension must use
// the same one: with another float ABI, floating-point arguments and results travel in other
// registers, and an E-ABI object uses 16 integer registers with another stack alignment, so
// calls between them go wrong (GNU ld refuses to link such objects together: "can't link
// soft-float modules with double-float modules"). The relocation sets check it on e_flags.
enum class riscv_abi : std::uint8_t { ilp32, ilp32f, ilp32d, ilp32e, lp64, lp64f, lp64d, lp64e };

constexpr unsigned riscv_abi_xlen(riscv_abi a) noexcept { return a >= riscv_abi::lp64 ? 64 : 32; }
// The EF_RISCV_FLOAT_ABI and EF_RISCV_RVE bits an object built for `a` carries.
constexpr std::uint32_t riscv_abi_flags(riscv_abi a) noexcept {
  switch (a) {
  case riscv_abi::ilp32f: case riscv_abi::lp64f: return riscv_types::EF_RISCV_FLOAT_ABI_SINGLE;
  case riscv_abi::ilp32d: case riscv_abi::lp64d: return riscv_types::EF_RISCV_FLOAT_ABI_DOUBLE;
  case riscv_abi::ilp32e: case riscv_abi::lp64e: return riscv_types::EF_RISCV_RVE;
  default: return riscv_types::EF_RISCV_FLOAT_ABI_SOFT;
  }
}
// The sets' defaults: RV32 ilp32 (rv32imac-class microcontrollers, riscv64-unknown-elf-gcc
// -march=rv32imac), RV64 lp64d (RV64GC, riscv64-linux-gnu-gcc's default).
constexpr riscv_abi riscv_default_abi(unsigned xlen) noexcept { return xlen == 64 ? riscv_abi::lp64d : riscv_abi::ilp32; }

namespace riscv_insn {

// Instruction words and halfwords: always little-endian (psABI "Byte order").
constexpr std::uint32_t read32(std::byte const* p) noexcept { return load_at<std::uint32_t, std::endian::little>(p); }
constexpr void write32(std::byte* p, std::uint32_t v) noexcept { store_at<std::uint32_t, std::endian::little>(p, v); }
constexpr std::uint16_t read16(std::byte const* p) noexcept { return load_at<std::uint16_t, std::endian::little>(p); }
constexpr void write16(std::byte* p, std::uint16_t v) noexcept { store_at<std::uint16_t, std::endian::little>(p, v); }

constexpr std::uint32_t put(std::uint64_t v, unsigned hi, unsigned lo, unsigned at) noexcept {
  return static_cast<std::uint32_t>(bits(v, hi, lo) << at);
}

// U-type (LUI, AUIPC): imm[31:12] = (v + 0x800)[31:12], the rounding compensating the
// sign-extended low 12 bits of the partner instruction.
constexpr std::uint32_t set_u(std::uint32_t insn, std::uint64_t v) noexcept {
  return (insn & 0xfffu) | static_cast<std::uint32_t>((v + 0x800) & 0xfffff000u);
}
// I-type (ADDI, loads, JALR): imm[11:0] at [31:20].
constexpr std::uint32_t set_i(std::uint32_t insn, std::uint64_t v) noexcept {
  return (insn & 0x000fffffu) | put(v, 11, 0, 20);
}
// S-type (stores): imm[11:5] at [31:25], imm[4:0] at [11:7].
constexpr std::uint32_t set_s(std::uint32_t insn, std::uint64_t v) noexcept {
  return (insn & 0x01fff07fu) | put(v, 11, 5, 25) | put(v, 4, 0, 7);
}
// B-type (BEQ...): imm[12] at 31, imm[10:5] at [30:25], imm[4:1] at [11:8], imm[11] at 7.
constexpr std::uint32_t set_b(std::uint32_t insn, std::uint64_t v) noexcept {
  return (insn & 0x01fff07fu) | put(v, 12, 12, 31) | put(v, 10, 5, 25) | put(v, 4, 1, 8) | put(v, 11, 11, 7);
}
// J-type (JAL): imm[20] at 31, imm[10:1] at [30:21], imm[11] at 20, imm[19:12] at [19:12].
constexpr std::uint32_t set_j(std::uint32_t insn, std::uint64_t v) noexcept {
  return (insn & 0xfffu) | put(v, 20, 20, 31) | put(v, 10, 1, 21) | put(v, 11, 11, 20) | put(v, 19, 12, 12);
}
// CB-type (C.BEQZ, C.BNEZ): offset[8|4:3] at [12:10], offset[7:6|2:1|5] at [6:2].
constexpr std::uint16_t set_cb(std::uint16_t insn, std::uint64_t v) noexcept {
  return static_cast<std::uint16_t>((insn & 0xe383u) | put(v, 8, 8, 12) | put(v, 4, 3, 10) | put(v, 7, 6, 5) |
                                    put(v, 2, 1, 3) | put(v, 5, 5, 2));
}
// CJ-type (C.J, C.JAL): offset[11|4|9:8|10|6|7|3:1|5] at [12:2].
constexpr std::uint16_t set_cj(std::uint16_t insn, std::uint64_t v) noexcept {
  return static_cast<std::uint16_t>((insn & 0xe003u) | put(v, 11, 11, 12) | put(v, 4, 4, 11) | put(v, 9, 8, 9) |
                                    put(v, 10, 10, 8) | put(v, 6, 6, 7) | put(v, 7, 7, 6) | put(v, 3, 1, 3) |
                                    put(v, 5, 5, 2));
}

// Register numbers and opcodes used by the veneer.
inline constexpr std::uint32_t t1 = 6;
constexpr std::uint32_t auipc(std::uint32_t rd, std::uint32_t imm20) noexcept { return (imm20 << 12) | (rd << 7) | 0x17u; }
constexpr std::uint32_t load(std::uint32_t funct3, std::uint32_t rd, std::uint32_t rs1, std::uint32_t imm12) noexcept {
  return (imm12 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x03u;
}
constexpr std::uint32_t jalr(std::uint32_t rd, std::uint32_t rs1, std::uint32_t imm12) noexcept {
  return (imm12 << 20) | (rs1 << 15) | (rd << 7) | 0x67u;
}
inline constexpr std::uint32_t unimp = 0xc0001073u; // csrrw x0, cycle, x0: the canonical illegal instruction
inline constexpr std::uint32_t nop = 0x00000013u;   // addi x0, x0, 0
inline constexpr std::uint16_t c_nop = 0x0001u;     // c.nop (C extension)

} // namespace riscv_insn

template <unsigned Xlen, riscv_abi Abi = riscv_default_abi(Xlen)>
struct riscv_traits : riscv_types {
  static_assert(Xlen == 32 || Xlen == 64, "RISC-V ELF is RV32 (ELFCLASS32) or RV64 (ELFCLASS64)");
  static_assert(riscv_abi_xlen(Abi) == Xlen, "an ilp32* ABI is RV32, an lp64* ABI RV64");
  static constexpr unsigned xlen = Xlen;
  static constexpr riscv_abi abi = Abi;
  static constexpr std::uint16_t e_machine = elf::EM_RISCV;

  // e_flags: the float ABI and RVE must be the firmware's (riscv_abi above). EF_RISCV_RVC and
  // EF_RISCV_TSO describe what the hart must implement (the C extension, Ztso), which a
  // relocation set does not model: not checked. Other bits are reserved and ignored, as by ld.
  static constexpr bool accepts_flags(std::uint32_t f) noexcept {
    return (f & (EF_RISCV_FLOAT_ABI | EF_RISCV_RVE)) == riscv_abi_flags(Abi);
  }
  // Processor-specific section types (psABI "Section Types"): only the build attributes,
  // which are never loaded.
  static constexpr bool known_section_type(std::uint32_t t) noexcept { return t == elf::SHT_RISCV_ATTRIBUTES; }
  static constexpr bool uses_rela = true;
  static constexpr std::size_t got_entry_size = Xlen / 8;
  static constexpr char const* arch_name = Xlen == 64 ? "riscv64" : "riscv32";

  // Veneer (an import out of reach of CALL/JAL/C.J): the target is loaded from a literal in the
  // stub itself, so the stub is position-independent and reaches the whole address space.
  //   RV64 (24 bytes, 8-aligned)         RV32 (16 bytes, 4-aligned)
  //   0:  auipc t1, 0                    0:  auipc t1, 0
  //   4:  ld    t1, 16(t1)               4:  lw    t1, 12(t1)
  //   8:  jr    t1                       8:  jr    t1
  //   12: unimp   (pads the literal to 8) 12: .word target
  //   16: .quad target
  // The RV64 literal sits at offset 16, not 12, so the `ld` is naturally aligned (a misaligned
  // load may trap or be emulated slowly on RISC-V).
  static constexpr std::size_t literal_offset = Xlen == 64 ? 16 : 12;
  static constexpr std::size_t veneer_size = literal_offset + Xlen / 8;
  static constexpr std::uint64_t veneer_align = Xlen / 8;

  template <std::endian O>
  static constexpr void write_veneer(std::byte* p, std::uint64_t /*at*/, std::uint64_t target) noexcept {
    using namespace riscv_insn;
    write32(p, auipc(t1, 0));
    write32(p + 4, load(Xlen == 64 ? 3u : 2u, t1, t1, static_cast<std::uint32_t>(literal_offset))); // ld / lw
    write32(p + 8, jalr(0, t1, 0));                                                                 // jr t1
    if constexpr (Xlen == 64) {
      write32(p + 12, unimp);
      store_at<std::uint64_t, O>(p + 16, target);
    } else {
      store_at<std::uint32_t, O>(p + 12, static_cast<std::uint32_t>(target));
    }
  }

  // Alignment padding (R_RISCV_ALIGN, file comment): the loader deletes what the layout does not
  // need and rewrites the `n` bytes it keeps as GNU ld does (bfd _bfd_riscv_relax_align): NOPs
  // (addi x0, x0, 0), then one C.NOP when n is not a multiple of 4 (only then is C in use: the
  // padding of a non-RVC object is a multiple of 4).
  static constexpr std::uint32_t align_padding_type = R_RISCV_ALIGN;
  template <std::endian O>
  static constexpr void write_padding(std::byte* p, std::uint64_t n) noexcept {
    std::uint64_t i = 0;
    for (; i + 4 <= n; i += 4) riscv_insn::write32(p + i, riscv_insn::nop);
    if (i < n) riscv_insn::write16(p + i, riscv_insn::c_nop);
  }
};

namespace riscv_howto {

// The value as the hart sees it: addresses are XLEN bits wide, so on RV32 a value is taken
// modulo 2^32 and read as signed (lld sign-extends every computed value from XLEN).
template <unsigned Xlen>
constexpr std::uint64_t as_xlen(std::uint64_t v) noexcept {
  if constexpr (Xlen == 64) return v;
  else return static_cast<std::uint64_t>(sign_extend(v, 32));
}

// The U-type halves and CALL: checkInt(SignExtend(v + 0x800, XLEN) >> 12, 20), i.e. v in
// [-2^31 - 2^11, 2^31 - 2^11 - 1] on RV64. On RV32 every value fits (after as_xlen).
template <unsigned Xlen>
constexpr range hi20_range() noexcept {
  if constexpr (Xlen == 32) {
    return no_check;
  } else {
    range r;
    r.unchecked = false;
    r.min = -(std::int64_t{1} << 31) - 0x800;
    r.max = (std::int64_t{1} << 31) - 0x800 - 1;
    return r;
  }
}
// A signed 32-bit word (32_PCREL, PLT32, GOT32_PCREL): checkInt 32 on RV64, anything on RV32.
template <unsigned Xlen>
constexpr range word32_signed() noexcept {
  if constexpr (Xlen == 32) return no_check;
  else return signed_bits(32);
}
// R_RISCV_32 as a pointer word: either reading on RV64 (checkIntUInt 32), anything on RV32.
template <unsigned Xlen>
constexpr range word32_any() noexcept {
  if constexpr (Xlen == 32) return no_check;
  else return any_bits(32);
}

// The parts every RISC-V howto shares. validate() replaces the generic check only to apply
// as_xlen first: the interval itself is `check` and the alignment `align`, as everywhere.
template <unsigned Xlen, class Field, std::uint32_t Type, expr Kind, range Check, std::uint64_t Align = 1>
struct base : Field {
  static constexpr std::uint32_t type = Type;
  static constexpr expr kind = Kind;
  static constexpr range check = Check;
  static constexpr std::uint64_t align = Align;
  static constexpr errc validate(std::uint64_t value) noexcept {
    std::uint64_t const v = as_xlen<Xlen>(value);
    if (!check.contains(v)) return errc::relocation_overflow;
    if constexpr (Align > 1)
      if ((v & (Align - 1)) != 0) return errc::misaligned_relocation;
    return errc::ok;
  }
};

// ---- Fields ("which bits") --------------------------------------------------------------------
struct no_field {
  static constexpr std::size_t width = 0;
  template <std::endian Order>
  static constexpr void write(std::byte*, std::uint64_t) noexcept {}
};
struct u_type {
  static constexpr std::size_t width = 4;
  template <std::endian>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { riscv_insn::write32(p, riscv_insn::set_u(riscv_insn::read32(p), v)); }
};
struct i_type {
  static constexpr std::size_t width = 4;
  template <std::endian>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { riscv_insn::write32(p, riscv_insn::set_i(riscv_insn::read32(p), v)); }
};
struct s_type {
  static constexpr std::size_t width = 4;
  template <std::endian>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { riscv_insn::write32(p, riscv_insn::set_s(riscv_insn::read32(p), v)); }
};
struct b_type {
  static constexpr std::size_t width = 4;
  template <std::endian>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { riscv_insn::write32(p, riscv_insn::set_b(riscv_insn::read32(p), v)); }
};
struct j_type {
  static constexpr std::size_t width = 4;
  template <std::endian>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { riscv_insn::write32(p, riscv_insn::set_j(riscv_insn::read32(p), v)); }
};
struct cb_type {
  static constexpr std::size_t width = 2;
  template <std::endian>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { riscv_insn::write16(p, riscv_insn::set_cb(riscv_insn::read16(p), v)); }
};
struct cj_type {
  static constexpr std::size_t width = 2;
  template <std::endian>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { riscv_insn::write16(p, riscv_insn::set_cj(riscv_insn::read16(p), v)); }
};
// U+I-type: the AUIPC + JALR pair of `call`/`tail`, both fed the same S + A - P.
struct call_pair {
  static constexpr std::size_t width = 8;
  template <std::endian>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    riscv_insn::write32(p, riscv_insn::set_u(riscv_insn::read32(p), v));
    riscv_insn::write32(p + 4, riscv_insn::set_i(riscv_insn::read32(p + 4), v));
  }
};

// word8..word64 = V + S + A / V - S - A: label differences, modulo the field width.
template <class T, bool Subtract>
struct rmw_word {
  static constexpr std::size_t width = sizeof(T);
  static constexpr bool composes = true; // reads the place: ADD/SUB pairs share one offset
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    std::uint64_t const old = load_at<T, Order>(p);
    store_at<T, Order>(p, static_cast<T>(Subtract ? old - v : old + v));
  }
};
// word6: the low 6 bits of a byte (DW_CFA_advance_loc's delta); the top 2 bits are kept.
template <bool Subtract>
struct rmw_word6 {
  static constexpr std::size_t width = 1;
  static constexpr bool composes = Subtract; // SUB6 follows SET6 at the same offset
  template <std::endian>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept {
    auto const old = std::to_integer<std::uint64_t>(*p);
    std::uint64_t const low = Subtract ? (old & 0x3f) - v : v;
    *p = static_cast<std::byte>((old & 0xc0) | (low & 0x3f));
  }
};
// word8..word32 = S + A (SET*): a plain store, modulo the field width.
template <class T>
struct set_word {
  static constexpr std::size_t width = sizeof(T);
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { store_at<T, Order>(p, static_cast<T>(v)); }
};

// ULEB128 fields of a length the assembler fixed. The writer is told the bytes left in the
// section (`room`) and never goes past them.
namespace uleb {
// Length of the field at p: up to and including the first byte without the continuation bit;
// 0 when no such byte lies within `room` (or within the 10 bytes a 64-bit value needs).
constexpr std::uint64_t length(std::byte const* p, std::uint64_t room) noexcept {
  std::uint64_t const limit = room < 10 ? room : 10;
  for (std::uint64_t i = 0; i < limit; ++i)
    if ((std::to_integer<unsigned>(p[i]) & 0x80u) == 0) return i + 1;
  return 0;
}
constexpr std::uint64_t decode(std::byte const* p, std::uint64_t n) noexcept {
  std::uint64_t v = 0;
  for (std::uint64_t i = 0; i < n; ++i) v |= std::uint64_t{std::to_integer<std::uint8_t>(p[i]) & 0x7fu} << (7 * i);
  return v;
}
// Rewrite the n bytes with v (modulo 2^(7n)), continuation bits on all but the last byte.
constexpr void overwrite(std::byte* p, std::uint64_t n, std::uint64_t v) noexcept {
  for (std::uint64_t i = 0; i < n; ++i) {
    auto const b = static_cast<std::uint8_t>((v & 0x7f) | (i + 1 < n ? 0x80 : 0));
    p[i] = std::byte{b};
    v >>= 7;
  }
}
} // namespace uleb

// SET_ULEB128 = S + A, SUB_ULEB128 = V - S - A on the ULEB128 field. SET only stages the end
// label: the psABI requires a SUB at the same offset right after it, and the pair computes the
// difference modulo 2^(7n), exactly as a one-shot `end - start` would once it fits the field.
// Without relaxation a difference keeps its assembled value, and the assembler sized the field
// for that value, so it fits.
template <bool Subtract>
struct uleb_field {
  static constexpr std::size_t width = 1; // the shortest ULEB128; the real length is read from the place
  static constexpr bool composes = Subtract; // SUB_ULEB128 follows SET_ULEB128 at the same offset
  template <std::endian>
  static constexpr errc write(std::byte* p, std::uint64_t v, std::uint64_t room) noexcept {
    std::uint64_t const n = uleb::length(p, room);
    if (n == 0) return errc::bad_relocation; // unterminated within the section: would run past it
    uleb::overwrite(p, n, Subtract ? uleb::decode(p, n) - v : v);
    return errc::ok;
  }
};

using w32 = data_write<std::uint32_t>;
using w64 = data_write<std::uint64_t>;

// ---- Howtos, one per psABI type ---------------------------------------------------------------
template <unsigned X> struct R_RISCV_NONE : base<X, no_field, riscv_types::R_RISCV_NONE, expr::none, no_check> {
  static constexpr char const* name = "R_RISCV_NONE";
};
// word32 = S + A (pointers on RV32, jump tables of medlow code on RV64).
template <unsigned X> struct R_RISCV_32 : base<X, w32, riscv_types::R_RISCV_32, expr::abs, word32_any<X>()> {
  static constexpr char const* name = "R_RISCV_32";
};
// word64 = S + A.
template <unsigned X> struct R_RISCV_64 : base<X, w64, riscv_types::R_RISCV_64, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_64";
};
// B-type, S + A - P: 13-bit signed, even.
template <unsigned X> struct R_RISCV_BRANCH : base<X, b_type, riscv_types::R_RISCV_BRANCH, expr::branch, signed_bits(13), 2> {
  static constexpr char const* name = "R_RISCV_BRANCH";
};
// J-type, S + A - P: 21-bit signed, even (JAL, `j`, `tail` after gcc's short-call choice).
template <unsigned X> struct R_RISCV_JAL : base<X, j_type, riscv_types::R_RISCV_JAL, expr::branch, signed_bits(21), 2> {
  static constexpr char const* name = "R_RISCV_JAL";
};
// U+I-type AUIPC+JALR, S + A - P (deprecated spelling of CALL_PLT). lld checks no alignment.
template <unsigned X> struct R_RISCV_CALL : base<X, call_pair, riscv_types::R_RISCV_CALL, expr::branch, hi20_range<X>()> {
  static constexpr char const* name = "R_RISCV_CALL";
};
template <unsigned X> struct R_RISCV_CALL_PLT : base<X, call_pair, riscv_types::R_RISCV_CALL_PLT, expr::branch, hi20_range<X>()> {
  static constexpr char const* name = "R_RISCV_CALL_PLT";
};
// U-type AUIPC, G + GOT + A - P: the high half of a PC-relative GOT load (`la` under -fPIC).
template <unsigned X> struct R_RISCV_GOT_HI20 : base<X, u_type, riscv_types::R_RISCV_GOT_HI20, expr::got_pc, hi20_range<X>()> {
  static constexpr char const* name = "R_RISCV_GOT_HI20";
  static constexpr pair_role pair = pair_role::hi;
};
// U-type AUIPC, S + A - P (`%pcrel_hi`, medany `lla`).
template <unsigned X> struct R_RISCV_PCREL_HI20 : base<X, u_type, riscv_types::R_RISCV_PCREL_HI20, expr::pc, hi20_range<X>()> {
  static constexpr char const* name = "R_RISCV_PCREL_HI20";
  static constexpr pair_role pair = pair_role::hi;
};
// I/S-type, `%pcrel_lo(label)`: the low 12 bits of the value of the high half at `label`.
template <unsigned X> struct R_RISCV_PCREL_LO12_I : base<X, i_type, riscv_types::R_RISCV_PCREL_LO12_I, expr::custom, no_check> {
  static constexpr char const* name = "R_RISCV_PCREL_LO12_I";
  static constexpr pair_role pair = pair_role::lo;
  static constexpr std::uint64_t compute(values const& v) noexcept { return v.pair; }
};
template <unsigned X> struct R_RISCV_PCREL_LO12_S : base<X, s_type, riscv_types::R_RISCV_PCREL_LO12_S, expr::custom, no_check> {
  static constexpr char const* name = "R_RISCV_PCREL_LO12_S";
  static constexpr pair_role pair = pair_role::lo;
  static constexpr std::uint64_t compute(values const& v) noexcept { return v.pair; }
};
// U-type LUI, S + A (`%hi`, medlow). Not paired: the low halves name the symbol itself.
template <unsigned X> struct R_RISCV_HI20 : base<X, u_type, riscv_types::R_RISCV_HI20, expr::abs, hi20_range<X>()> {
  static constexpr char const* name = "R_RISCV_HI20";
};
// I/S-type, S + A (`%lo`): any value, the high half absorbs the borrow. When the loader sends
// the HI20 of `lui %hi(f); addi %lo(f)` to f's veneer (f beyond HI20's reach), the low half
// must name the veneer too: `veneer_like` makes the loader decide for it as for HI20.
template <unsigned X> struct R_RISCV_LO12_I : base<X, i_type, riscv_types::R_RISCV_LO12_I, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_LO12_I";
  using veneer_like = R_RISCV_HI20<X>;
};
template <unsigned X> struct R_RISCV_LO12_S : base<X, s_type, riscv_types::R_RISCV_LO12_S, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_LO12_S";
  using veneer_like = R_RISCV_HI20<X>;
};
// word8..64 = V + S + A.
template <unsigned X> struct R_RISCV_ADD8 : base<X, rmw_word<std::uint8_t, false>, riscv_types::R_RISCV_ADD8, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_ADD8";
};
template <unsigned X> struct R_RISCV_ADD16 : base<X, rmw_word<std::uint16_t, false>, riscv_types::R_RISCV_ADD16, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_ADD16";
};
template <unsigned X> struct R_RISCV_ADD32 : base<X, rmw_word<std::uint32_t, false>, riscv_types::R_RISCV_ADD32, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_ADD32";
};
template <unsigned X> struct R_RISCV_ADD64 : base<X, rmw_word<std::uint64_t, false>, riscv_types::R_RISCV_ADD64, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_ADD64";
};
// word6/8..64 = V - S - A.
template <unsigned X> struct R_RISCV_SUB6 : base<X, rmw_word6<true>, riscv_types::R_RISCV_SUB6, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SUB6";
};
template <unsigned X> struct R_RISCV_SUB8 : base<X, rmw_word<std::uint8_t, true>, riscv_types::R_RISCV_SUB8, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SUB8";
};
template <unsigned X> struct R_RISCV_SUB16 : base<X, rmw_word<std::uint16_t, true>, riscv_types::R_RISCV_SUB16, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SUB16";
};
template <unsigned X> struct R_RISCV_SUB32 : base<X, rmw_word<std::uint32_t, true>, riscv_types::R_RISCV_SUB32, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SUB32";
};
template <unsigned X> struct R_RISCV_SUB64 : base<X, rmw_word<std::uint64_t, true>, riscv_types::R_RISCV_SUB64, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SUB64";
};
// word6/8..32 = S + A.
template <unsigned X> struct R_RISCV_SET6 : base<X, rmw_word6<false>, riscv_types::R_RISCV_SET6, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SET6";
};
template <unsigned X> struct R_RISCV_SET8 : base<X, set_word<std::uint8_t>, riscv_types::R_RISCV_SET8, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SET8";
};
template <unsigned X> struct R_RISCV_SET16 : base<X, set_word<std::uint16_t>, riscv_types::R_RISCV_SET16, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SET16";
};
template <unsigned X> struct R_RISCV_SET32 : base<X, set_word<std::uint32_t>, riscv_types::R_RISCV_SET32, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SET32";
};
// ULEB128 = S + A / V - S - A (variable width, see uleb_field).
template <unsigned X> struct R_RISCV_SET_ULEB128 : base<X, uleb_field<false>, riscv_types::R_RISCV_SET_ULEB128, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SET_ULEB128";
};
template <unsigned X> struct R_RISCV_SUB_ULEB128 : base<X, uleb_field<true>, riscv_types::R_RISCV_SUB_ULEB128, expr::abs, no_check> {
  static constexpr char const* name = "R_RISCV_SUB_ULEB128";
};
// CB-type C.BEQZ/C.BNEZ, S + A - P: 9-bit signed, even.
template <unsigned X> struct R_RISCV_RVC_BRANCH : base<X, cb_type, riscv_types::R_RISCV_RVC_BRANCH, expr::branch, signed_bits(9), 2> {
  static constexpr char const* name = "R_RISCV_RVC_BRANCH";
};
// CJ-type C.J/C.JAL, S + A - P: 12-bit signed, even.
template <unsigned X> struct R_RISCV_RVC_JUMP : base<X, cj_type, riscv_types::R_RISCV_RVC_JUMP, expr::branch, signed_bits(12), 2> {
  static constexpr char const* name = "R_RISCV_RVC_JUMP";
};
// word32 = S + A - P (.eh_frame pointers, relative tables).
template <unsigned X> struct R_RISCV_32_PCREL : base<X, w32, riscv_types::R_RISCV_32_PCREL, expr::pc, word32_signed<X>()> {
  static constexpr char const* name = "R_RISCV_32_PCREL";
};
// word32 = S + A - P to a function or its PLT entry (relative vtables); a veneer may stand in.
template <unsigned X> struct R_RISCV_PLT32 : base<X, w32, riscv_types::R_RISCV_PLT32, expr::branch, word32_signed<X>()> {
  static constexpr char const* name = "R_RISCV_PLT32";
};
// word32 = G + GOT + A - P.
template <unsigned X> struct R_RISCV_GOT32_PCREL : base<X, w32, riscv_types::R_RISCV_GOT32_PCREL, expr::got_pc, word32_signed<X>()> {
  static constexpr char const* name = "R_RISCV_GOT32_PCREL";
};
// Relaxation hints: nothing to compute, nothing written (see the file comment).
template <unsigned X> struct R_RISCV_RELAX : base<X, no_field, riscv_types::R_RISCV_RELAX, expr::none, no_check> {
  static constexpr char const* name = "R_RISCV_RELAX";
};
template <unsigned X> struct R_RISCV_ALIGN : base<X, no_field, riscv_types::R_RISCV_ALIGN, expr::none, no_check> {
  static constexpr char const* name = "R_RISCV_ALIGN";
};

// ---- Thread-local storage: rejected with errc::unsupported_relocation ------------------------
// Widths are the psABI field sizes; nothing is ever written.
template <unsigned X, std::uint32_t Type, std::size_t Width>
struct tls : base<X, no_field, Type, expr::tls, no_check> {
  static constexpr std::size_t width = Width;
};
template <unsigned X> struct R_RISCV_TLS_DTPMOD32 : tls<X, riscv_types::R_RISCV_TLS_DTPMOD32, 4> { static constexpr char const* name = "R_RISCV_TLS_DTPMOD32"; };
template <unsigned X> struct R_RISCV_TLS_DTPMOD64 : tls<X, riscv_types::R_RISCV_TLS_DTPMOD64, 8> { static constexpr char const* name = "R_RISCV_TLS_DTPMOD64"; };
template <unsigned X> struct R_RISCV_TLS_DTPREL32 : tls<X, riscv_types::R_RISCV_TLS_DTPREL32, 4> { static constexpr char const* name = "R_RISCV_TLS_DTPREL32"; };
template <unsigned X> struct R_RISCV_TLS_DTPREL64 : tls<X, riscv_types::R_RISCV_TLS_DTPREL64, 8> { static constexpr char const* name = "R_RISCV_TLS_DTPREL64"; };
template <unsigned X> struct R_RISCV_TLS_TPREL32 : tls<X, riscv_types::R_RISCV_TLS_TPREL32, 4> { static constexpr char const* name = "R_RISCV_TLS_TPREL32"; };
template <unsigned X> struct R_RISCV_TLS_TPREL64 : tls<X, riscv_types::R_RISCV_TLS_TPREL64, 8> { static constexpr char const* name = "R_RISCV_TLS_TPREL64"; };
// Two words (resolver, argument).
template <unsigned X> struct R_RISCV_TLSDESC : tls<X, riscv_types::R_RISCV_TLSDESC, 2 * X / 8> { static constexpr char const* name = "R_RISCV_TLSDESC"; };
template <unsigned X> struct R_RISCV_TLS_GOT_HI20 : tls<X, riscv_types::R_RISCV_TLS_GOT_HI20, 4> { static constexpr char const* name = "R_RISCV_TLS_GOT_HI20"; };
template <unsigned X> struct R_RISCV_TLS_GD_HI20 : tls<X, riscv_types::R_RISCV_TLS_GD_HI20, 4> { static constexpr char const* name = "R_RISCV_TLS_GD_HI20"; };
template <unsigned X> struct R_RISCV_TPREL_HI20 : tls<X, riscv_types::R_RISCV_TPREL_HI20, 4> { static constexpr char const* name = "R_RISCV_TPREL_HI20"; };
template <unsigned X> struct R_RISCV_TPREL_LO12_I : tls<X, riscv_types::R_RISCV_TPREL_LO12_I, 4> { static constexpr char const* name = "R_RISCV_TPREL_LO12_I"; };
template <unsigned X> struct R_RISCV_TPREL_LO12_S : tls<X, riscv_types::R_RISCV_TPREL_LO12_S, 4> { static constexpr char const* name = "R_RISCV_TPREL_LO12_S"; };
// A marker on `add rd, rs, tp, %tprel_add(sym)`: it names an instruction, not a field.
template <unsigned X> struct R_RISCV_TPREL_ADD : tls<X, riscv_types::R_RISCV_TPREL_ADD, 0> { static constexpr char const* name = "R_RISCV_TPREL_ADD"; };
template <unsigned X> struct R_RISCV_TLSDESC_HI20 : tls<X, riscv_types::R_RISCV_TLSDESC_HI20, 4> { static constexpr char const* name = "R_RISCV_TLSDESC_HI20"; };
template <unsigned X> struct R_RISCV_TLSDESC_LOAD_LO12 : tls<X, riscv_types::R_RISCV_TLSDESC_LOAD_LO12, 4> { static constexpr char const* name = "R_RISCV_TLSDESC_LOAD_LO12"; };
template <unsigned X> struct R_RISCV_TLSDESC_ADD_LO12 : tls<X, riscv_types::R_RISCV_TLSDESC_ADD_LO12, 4> { static constexpr char const* name = "R_RISCV_TLSDESC_ADD_LO12"; };
template <unsigned X> struct R_RISCV_TLSDESC_CALL : tls<X, riscv_types::R_RISCV_TLSDESC_CALL, 0> { static constexpr char const* name = "R_RISCV_TLSDESC_CALL"; };

template <unsigned X, riscv_abi Abi = riscv_default_abi(X)>
using riscv_set = reloc_set<riscv_traits<X, Abi>,
                      R_RISCV_NONE<X>, R_RISCV_32<X>, R_RISCV_64<X>,
                      R_RISCV_TLS_DTPMOD32<X>, R_RISCV_TLS_DTPMOD64<X>, R_RISCV_TLS_DTPREL32<X>,
                      R_RISCV_TLS_DTPREL64<X>, R_RISCV_TLS_TPREL32<X>, R_RISCV_TLS_TPREL64<X>,
                      R_RISCV_TLSDESC<X>,
                      R_RISCV_BRANCH<X>, R_RISCV_JAL<X>, R_RISCV_CALL<X>, R_RISCV_CALL_PLT<X>,
                      R_RISCV_GOT_HI20<X>, R_RISCV_TLS_GOT_HI20<X>, R_RISCV_TLS_GD_HI20<X>,
                      R_RISCV_PCREL_HI20<X>, R_RISCV_PCREL_LO12_I<X>, R_RISCV_PCREL_LO12_S<X>,
                      R_RISCV_HI20<X>, R_RISCV_LO12_I<X>, R_RISCV_LO12_S<X>,
                      R_RISCV_TPREL_HI20<X>, R_RISCV_TPREL_LO12_I<X>, R_RISCV_TPREL_LO12_S<X>,
                      R_RISCV_TPREL_ADD<X>,
                      R_RISCV_ADD8<X>, R_RISCV_ADD16<X>, R_RISCV_ADD32<X>, R_RISCV_ADD64<X>,
                      R_RISCV_SUB8<X>, R_RISCV_SUB16<X>, R_RISCV_SUB32<X>, R_RISCV_SUB64<X>,
                      R_RISCV_GOT32_PCREL<X>, R_RISCV_ALIGN<X>, R_RISCV_RVC_BRANCH<X>,
                      R_RISCV_RVC_JUMP<X>, R_RISCV_RELAX<X>, R_RISCV_SUB6<X>, R_RISCV_SET6<X>,
                      R_RISCV_SET8<X>, R_RISCV_SET16<X>, R_RISCV_SET32<X>, R_RISCV_32_PCREL<X>,
                      R_RISCV_PLT32<X>, R_RISCV_SET_ULEB128<X>, R_RISCV_SUB_ULEB128<X>,
                      R_RISCV_TLSDESC_HI20<X>, R_RISCV_TLSDESC_LOAD_LO12<X>,
                      R_RISCV_TLSDESC_ADD_LO12<X>, R_RISCV_TLSDESC_CALL<X>>;

} // namespace riscv_howto

// RV32 (ELFCLASS32: loader<elf32le, riscv32, ...>) for the ilp32 ABI and RV64 (ELFCLASS64:
// loader<elf64le, riscv64, ...>) for lp64d; riscv<riscv_abi::...> for any other -mabi, e.g.
// riscv<riscv_abi::ilp32e> (RV32E) or riscv<riscv_abi::lp64> (RV64 without an FPU).
using riscv32 = riscv_howto::riscv_set<32>;
using riscv64 = riscv_howto::riscv_set<64>;
template <riscv_abi Abi>
using riscv = riscv_howto::riscv_set<riscv_abi_xlen(Abi), Abi>;

static_assert(relocation_set<riscv32>);
static_assert(relocation_set<riscv64>);
static_assert(relocation_set<riscv<riscv_abi::ilp32e>>);

} // namespace extload::inline v0::arch
