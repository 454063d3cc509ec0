// tests/arch/xtensa.test.cpp: the Xtensa relocation set (lx106, little-endian). SLOT0_OP is
// checked on real instruction bytes against what xtensa-lx106-elf-ld wrote for them, then per
// instruction form at min, max, max + 1, min - 1 and misaligned; R_XTENSA_32's in-place addend,
// 32_PCREL, the DIFF family and ASM_EXPAND (no write), TLS rejected by name, and narrowing.
// Each check runs in static_assert and in CHECK.
#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/hana/for_each.hpp>

#include "extload/arch/xtensa.hpp"

namespace {

namespace xa = extload::arch;
namespace h = xa::xtensa_howto;
using extload::errc;
using X = xa::xtensa;
constexpr auto le = std::endian::little;

// The whole relocation, found by type number as the loader finds it; `room` = bytes from the
// place to the end of its section.
template <class Set, std::endian O = le>
constexpr errc link_one(std::uint32_t type, std::byte* place, xa::values const& v, std::uint64_t room) {
  return Set::dispatch(type, errc::unknown_relocation, [&](auto howto) {
    using H = typename decltype(howto)::type;
    return xa::check_and_write<H, O>(place, xa::evaluate<H>(v), room);
  });
}

constexpr xa::values at(std::uint64_t S, std::uint64_t P, std::int64_t A = 0) {
  xa::values v;
  v.S = S;
  v.A = A;
  v.P = P;
  return v;
}

template <std::size_t N>
constexpr std::array<std::byte, N> bytes(std::array<std::uint8_t, N> const& a) {
  std::array<std::byte, N> b{};
  for (std::size_t i = 0; i < N; ++i) b[i] = std::byte{a[i]};
  return b;
}

// ---- Real instructions, relocated as GNU ld relocates them ---------------------------------
// Assembled with xtensa-lx106-elf-as from
//   l32r a2, .LC0 / _l32r a3, .LC1 / _call0 tgt_fn / _j tgt_near / _beqz a2 / _bnez a3 / _bltz a3 /
//   _bgez a3 / _beq a2, a3 / _bne a2, a3 / _bbci a2, 3 / _beqi a2, 4 / _bgeui a2, 4 /
//   _bltui a2, 4 / _blt a2, a3 / _beqz.n a2 / _bnez.n a2 (all to tgt_near) / nop / ret
// (objcopy -O binary --only-section=.text), then linked by xtensa-lx106-elf-ld --no-relax with
// .literal at 0x100000, .text at 0x100008, tgt_near at 0x100040 and tgt_fn = 0x140100
// (the oracle harness' script; the .o_1 section of its output read the same way).
constexpr std::array<std::uint8_t, 53> unrelocated{
    0x21, 0x00, 0x00, 0x31, 0x00, 0x00, 0x05, 0x00, 0x00, 0x06, 0x00, 0x00, 0x16, 0x02, 0x00, 0x56, 0x03, 0x00,
    0x96, 0x03, 0x00, 0xd6, 0x03, 0x00, 0x37, 0x12, 0x00, 0x37, 0x92, 0x00, 0x37, 0x62, 0x00, 0x26, 0x42, 0x00,
    0xf6, 0x42, 0x00, 0xb6, 0x42, 0x00, 0x37, 0x22, 0x00, 0x8c, 0x02, 0xcc, 0x02, 0x3d, 0xf0, 0x0d, 0xf0};
constexpr std::array<std::uint8_t, 53> linked_by_ld{
    0x21, 0xfe, 0xff, 0x31, 0xfe, 0xff, 0x05, 0x0f, 0x40, 0xc6, 0x0a, 0x00, 0x16, 0x82, 0x02, 0x56, 0x53, 0x02,
    0x96, 0x23, 0x02, 0xd6, 0xf3, 0x01, 0x37, 0x12, 0x1c, 0x37, 0x92, 0x19, 0x37, 0x62, 0x16, 0x26, 0x42, 0x13,
    0xf6, 0x42, 0x10, 0xb6, 0x42, 0x0d, 0x37, 0x22, 0x0a, 0x8c, 0x72, 0xcc, 0x52, 0x3d, 0xf0, 0x0d, 0xf0};
struct slot0_reloc {
  std::uint32_t offset;
  std::uint64_t target;
};
constexpr std::uint64_t text = 0x100008, near = 0x100040;
constexpr std::array<slot0_reloc, 17> text_relocs{{{0, 0x100000}, {3, 0x100004}, {6, 0x140100}, {9, near},
                                                   {12, near}, {15, near}, {18, near}, {21, near}, {24, near},
                                                   {27, near}, {30, near}, {33, near}, {36, near}, {39, near},
                                                   {42, near}, {45, near}, {47, near}}};

constexpr bool matches_gnu_ld() {
  auto sec = bytes(unrelocated);
  for (auto const& r : text_relocs)
    if (link_one<X>(X::R_XTENSA_SLOT0_OP, sec.data() + r.offset, at(r.target, text + r.offset), sec.size() - r.offset) != errc::ok)
      return false;
  return sec == bytes(linked_by_ld);
}
static_assert(matches_gnu_ld());

// The value SLOT0_OP carries: (S + A) << 32 | P.
constexpr bool slot0_value_packs_both_addresses() {
  return xa::evaluate<h::R_XTENSA_SLOT0_OP>(at(0x4010'0000, 0x4020'0003, 8)) == 0x4010'0008'4020'0003u;
}
static_assert(slot0_value_packs_both_addresses());

// ---- Range edges per instruction form -----------------------------------------------------------
// One row: the instruction `insn` at P, target = base + d. Writes nothing on failure.
constexpr errc slot0(std::array<std::uint8_t, 3> insn, std::uint64_t P, std::int64_t d_from_base, std::uint64_t base,
                     std::array<std::byte, 3>* out = nullptr, std::uint64_t room = 3) {
  auto p = bytes(insn);
  auto const before = p;
  errc const c = link_one<X>(X::R_XTENSA_SLOT0_OP, p.data(), at(base + static_cast<std::uint64_t>(d_from_base), P), room);
  if (c != errc::ok && p != before) return errc::truncated; // a failing relocation must not write
  if (out != nullptr) *out = p;
  return c;
}

constexpr std::uint64_t P_odd = 0x40'0001; // unaligned place: L32R/CALL bases round it

// L32R: (S - ((P + 3) & ~3)), in [-262144, -4], 4-aligned; imm16 in bytes 1..2.
constexpr bool l32r_edges() {
  std::array<std::uint8_t, 3> const l32r{0x21, 0, 0};
  std::uint64_t const base = (P_odd + 3) & ~std::uint64_t{3};
  std::array<std::byte, 3> o{};
  return slot0(l32r, P_odd, -262144, base, &o) == errc::ok && o[1] == std::byte{0x00} && o[2] == std::byte{0x00} &&
         slot0(l32r, P_odd, -4, base, &o) == errc::ok && o[1] == std::byte{0xff} && o[2] == std::byte{0xff} &&
         slot0(l32r, P_odd, 0, base) == errc::relocation_overflow &&
         slot0(l32r, P_odd, -262148, base) == errc::relocation_overflow &&
         slot0(l32r, P_odd, -6, base) == errc::misaligned_relocation && o[0] == std::byte{0x21};
}
static_assert(l32r_edges());

// CALL0: (S - ((P & ~3) + 4)) / 4 in 18 signed bits: [-2^19, 2^19 - 4], 4-aligned.
constexpr bool call_edges() {
  std::array<std::uint8_t, 3> const call0{0x05, 0, 0};
  std::uint64_t const base = (P_odd & ~std::uint64_t{3}) + 4;
  std::array<std::byte, 3> o{};
  constexpr std::int64_t lim = std::int64_t{1} << 19;
  return slot0(call0, P_odd, -lim, base, &o) == errc::ok && o == bytes(std::array<std::uint8_t, 3>{0x05, 0x00, 0x80}) &&
         slot0(call0, P_odd, lim - 4, base, &o) == errc::ok && o == bytes(std::array<std::uint8_t, 3>{0xc5, 0xff, 0x7f}) &&
         slot0(call0, P_odd, lim, base) == errc::relocation_overflow &&
         slot0(call0, P_odd, -lim - 4, base) == errc::relocation_overflow &&
         slot0(call0, P_odd, 2, base) == errc::misaligned_relocation;
}
static_assert(call_edges());

// Windowed CALL8 (n = 2, first byte 0x25) must stay in its 1 GiB segment; CALL0 need not.
constexpr bool windowed_call_segment() {
  std::uint64_t const P = 0x3fff'fff0, base = (P & ~std::uint64_t{3}) + 4;
  return slot0({0x25, 0, 0}, P, 0x20, base) == errc::relocation_overflow && slot0({0x05, 0, 0}, P, 0x20, base) == errc::ok &&
         slot0({0x25, 0, 0}, P, 0x8, base) == errc::ok; // 0x4000'0000 - 4: same segment
}
static_assert(windowed_call_segment());

// J: S - P - 4 in 18 signed bits, no alignment.
constexpr bool j_edges() {
  std::array<std::uint8_t, 3> const j{0x06, 0, 0};
  std::array<std::byte, 3> o{};
  constexpr std::int64_t lim = std::int64_t{1} << 17;
  return slot0(j, P_odd, -lim, P_odd + 4, &o) == errc::ok && o == bytes(std::array<std::uint8_t, 3>{0x06, 0x00, 0x80}) &&
         slot0(j, P_odd, lim - 1, P_odd + 4, &o) == errc::ok && o == bytes(std::array<std::uint8_t, 3>{0xc6, 0xff, 0x7f}) &&
         slot0(j, P_odd, lim, P_odd + 4) == errc::relocation_overflow &&
         slot0(j, P_odd, -lim - 1, P_odd + 4) == errc::relocation_overflow;
}
static_assert(j_edges());

// BEQZ/BNEZ/BLTZ/BGEZ (BRI12): 12 signed bits, low nibble in byte 1's high half.
constexpr bool bri12_edges() {
  std::array<std::uint8_t, 3> const beqz{0x16, 0x02, 0};
  std::array<std::byte, 3> o{};
  return slot0(beqz, P_odd, -2048, P_odd + 4, &o) == errc::ok && o == bytes(std::array<std::uint8_t, 3>{0x16, 0x02, 0x80}) &&
         slot0(beqz, P_odd, 2047, P_odd + 4, &o) == errc::ok && o == bytes(std::array<std::uint8_t, 3>{0x16, 0xf2, 0x7f}) &&
         slot0(beqz, P_odd, 2048, P_odd + 4) == errc::relocation_overflow &&
         slot0(beqz, P_odd, -2049, P_odd + 4) == errc::relocation_overflow;
}
static_assert(bri12_edges());

// RRI8 / BRI8 branches (BEQ, BBCI, BEQI, BLTUI, BT): 8 signed bits in byte 2.
constexpr bool branch8_edges() {
  bool ok = true;
  for (std::array<std::uint8_t, 3> insn : {std::array<std::uint8_t, 3>{0x37, 0x12, 0}, std::array<std::uint8_t, 3>{0x37, 0x62, 0},
                                           std::array<std::uint8_t, 3>{0x26, 0x42, 0}, std::array<std::uint8_t, 3>{0xb6, 0x42, 0},
                                           std::array<std::uint8_t, 3>{0x76, 0x10, 0}}) {
    std::array<std::byte, 3> o{};
    ok = ok && slot0(insn, P_odd, -128, P_odd + 4, &o) == errc::ok && o[2] == std::byte{0x80} && o[0] == std::byte{insn[0]} &&
         slot0(insn, P_odd, 127, P_odd + 4, &o) == errc::ok && o[2] == std::byte{0x7f} && o[1] == std::byte{insn[1]} &&
         slot0(insn, P_odd, 128, P_odd + 4) == errc::relocation_overflow &&
         slot0(insn, P_odd, -129, P_odd + 4) == errc::relocation_overflow;
  }
  return ok;
}
static_assert(branch8_edges());

// LOOP (BRI8, r = 8): 8 unsigned bits.
constexpr bool loop_edges() {
  std::array<std::uint8_t, 3> const loop{0x76, 0x82, 0};
  std::array<std::byte, 3> o{};
  return slot0(loop, P_odd, 0, P_odd + 4, &o) == errc::ok && o[2] == std::byte{0} &&
         slot0(loop, P_odd, 255, P_odd + 4, &o) == errc::ok && o[2] == std::byte{0xff} &&
         slot0(loop, P_odd, 256, P_odd + 4) == errc::relocation_overflow &&
         slot0(loop, P_odd, -1, P_odd + 4) == errc::relocation_overflow;
}
static_assert(loop_edges());

// BEQZ.N / BNEZ.N (RI6, 2 bytes): 6 unsigned bits, split over both bytes; fits a 2-byte room.
constexpr bool branch_n_edges() {
  std::array<std::uint8_t, 3> const beqzn{0x8c, 0x02, 0xee}, bnezn{0xcc, 0x02, 0xee};
  std::array<std::byte, 3> o{};
  return slot0(beqzn, P_odd, 0, P_odd + 4, &o, 2) == errc::ok && o == bytes(std::array<std::uint8_t, 3>{0x8c, 0x02, 0xee}) &&
         slot0(bnezn, P_odd, 63, P_odd + 4, &o, 2) == errc::ok && o == bytes(std::array<std::uint8_t, 3>{0xfc, 0xf2, 0xee}) &&
         slot0(beqzn, P_odd, 64, P_odd + 4, nullptr, 2) == errc::relocation_overflow &&
         slot0(beqzn, P_odd, -1, P_odd + 4, nullptr, 2) == errc::relocation_overflow;
}
static_assert(branch_n_edges());

// Opcodes without a PC-relative operand, a 3-byte instruction cut short, a big-endian image.
constexpr bool slot0_rejections() {
  auto be = bytes(std::array<std::uint8_t, 3>{0x05, 0, 0});
  return slot0({0x00, 0x00, 0x00}, P_odd, 0, P_odd) == errc::unsupported_relocation && // QRST group
         slot0({0x36, 0x41, 0x00}, P_odd, 0, P_odd) == errc::unsupported_relocation && // ENTRY
         slot0({0x0c, 0x02, 0x00}, P_odd, 0, P_odd) == errc::unsupported_relocation && // MOVI.N
         slot0({0x05, 0x00, 0x00}, P_odd, 0, (P_odd & ~std::uint64_t{3}) + 4, nullptr, 2) == errc::bad_relocation &&
         link_one<X, std::endian::big>(X::R_XTENSA_SLOT0_OP, be.data(), at(0x40'0100, 0x40'0000), 3) == errc::unsupported_relocation &&
         be == bytes(std::array<std::uint8_t, 3>{0x05, 0, 0});
}
static_assert(slot0_rejections());

// ---- Data words ---------------------------------------------------------------------------------
// R_XTENSA_32 adds S + A to the word (GNU as keeps local-label offsets there: `.word .Lb + 12`).
constexpr bool abs32_in_place() {
  auto w = bytes(std::array<std::uint8_t, 4>{12, 0, 0, 0});
  if (link_one<X>(X::R_XTENSA_32, w.data(), at(0x10'0000, 0, 4), 4) != errc::ok) return false;
  return extload::load_at<std::uint32_t, le>(w.data()) == 0x10'0010u;
}
static_assert(abs32_in_place());

// R_XTENSA_32: S + A in [-2^31, 2^32 - 1] (a word read either way).
constexpr bool abs32_edges() {
  auto ok_at = [](std::int64_t v, errc e) {
    auto w = bytes(std::array<std::uint8_t, 4>{0, 0, 0, 0});
    return link_one<X>(X::R_XTENSA_32, w.data(), at(static_cast<std::uint64_t>(v) - 8, 0, 8), 4) == e &&
           (e != errc::ok || extload::load_at<std::uint32_t, le>(w.data()) == static_cast<std::uint32_t>(v));
  };
  return ok_at(-(std::int64_t{1} << 31), errc::ok) && ok_at((std::int64_t{1} << 32) - 1, errc::ok) &&
         ok_at(std::int64_t{1} << 32, errc::relocation_overflow) &&
         ok_at(-(std::int64_t{1} << 31) - 1, errc::relocation_overflow);
}
static_assert(abs32_edges());

// R_XTENSA_32_PCREL: S + A - P written over the word (ld does not add the contents), wrap32 edges.
constexpr bool pcrel32() {
  auto w = bytes(std::array<std::uint8_t, 4>{5, 0, 0, 0});
  auto e = [](std::int64_t d) {
    auto x = bytes(std::array<std::uint8_t, 4>{0, 0, 0, 0});
    return link_one<X>(X::R_XTENSA_32_PCREL, x.data(), at(0x1'0000'0000 + static_cast<std::uint64_t>(d), 0x1'0000'0000), 4);
  };
  return link_one<X>(X::R_XTENSA_32_PCREL, w.data(), at(0x10'0100, 0x10'0000, 4), 4) == errc::ok &&
         extload::load_at<std::uint32_t, le>(w.data()) == 0x104u && e(-(std::int64_t{1} << 32)) == errc::ok &&
         e((std::int64_t{1} << 32) - 1) == errc::ok && e(std::int64_t{1} << 32) == errc::relocation_overflow &&
         e(-(std::int64_t{1} << 32) - 1) == errc::relocation_overflow;
}
static_assert(pcrel32());

// ---- No-write types: DIFF/PDIFF/NDIFF keep the assembler's difference, ASM_EXPAND is a hint ----
constexpr bool untouched_types() {
  bool ok = true;
  int n = 0;
  boost::hana::for_each(X::howtos, [&](auto t) {
    using H = typename decltype(t)::type;
    if constexpr (H::kind == xa::expr::none) {
      ++n;
      auto w = bytes(std::array<std::uint8_t, 4>{0x10, 0x20, 0x30, 0x40});
      ok = ok && link_one<X>(H::type, w.data(), at(0x1234, 0x40'0000, 8), 4) == errc::ok &&
           w == bytes(std::array<std::uint8_t, 4>{0x10, 0x20, 0x30, 0x40});
    }
  });
  return ok && n == 11 && h::R_XTENSA_DIFF8::width == 1 && h::R_XTENSA_PDIFF16::width == 2 &&
         h::R_XTENSA_NDIFF32::width == 4 && h::R_XTENSA_ASM_EXPAND::width == 0;
}
static_assert(untouched_types());

// ---- TLS rejected by name ----------------------------------------------------------------------
constexpr bool tls_rejected() {
  bool ok = true;
  int n = 0;
  boost::hana::for_each(X::howtos, [&](auto t) {
    using H = typename decltype(t)::type;
    if constexpr (H::kind == xa::expr::tls) {
      ++n;
      auto w = bytes(std::array<std::uint8_t, 4>{1, 2, 3, 4});
      ok = ok && link_one<X>(H::type, w.data(), at(0x1234, 0x40'0000), 4) == errc::unsupported_relocation &&
           w == bytes(std::array<std::uint8_t, 4>{1, 2, 3, 4}) && std::string_view{X::name_of(H::type)}.starts_with("R_XTENSA_TLS");
    }
  });
  return ok && n == 7;
}
static_assert(tls_rejected());

// ---- Set facts, names, narrowing -----------------------------------------------------------------
constexpr bool set_facts() {
  return X::e_machine == 94 && X::uses_rela && X::veneer_size == 0 && std::string_view{X::arch_name} == "xtensa" &&
         X::type_count == 21 && std::string_view{X::name_of(X::R_XTENSA_SLOT0_OP)} == "R_XTENSA_SLOT0_OP" &&
         X::kind_of(X::R_XTENSA_SLOT0_OP) == xa::expr::custom && X::name_of(X::R_XTENSA_RELATIVE) == nullptr &&
         !X::handles(X::R_XTENSA_SLOT0_OP + 1) && !X::handles(X::R_XTENSA_SLOT0_ALT) && !X::handles(X::R_XTENSA_PLT);
}
static_assert(set_facts());

using narrowed = xa::narrow<X, X::R_XTENSA_32, X::R_XTENSA_SLOT0_OP, X::R_XTENSA_ASM_EXPAND>;
constexpr bool narrowing() {
  auto w = bytes(std::array<std::uint8_t, 4>{0, 0, 0, 0});
  return narrowed::type_count == 3 && narrowed::handles(X::R_XTENSA_SLOT0_OP) && !narrowed::handles(X::R_XTENSA_DIFF32) &&
         link_one<narrowed>(X::R_XTENSA_PDIFF32, w.data(), at(1, 0), 4) == errc::unknown_relocation &&
         link_one<narrowed>(X::R_XTENSA_32, w.data(), at(0x10, 0), 4) == errc::ok &&
         extload::load_at<std::uint32_t, le>(w.data()) == 0x10u;
}
static_assert(narrowing());

} // namespace

TEST_CASE("xtensa: SLOT0_OP on real instructions gives GNU ld's bytes") {
  CHECK(matches_gnu_ld());
  CHECK(slot0_value_packs_both_addresses());
}
TEST_CASE("xtensa: SLOT0_OP range and alignment per instruction form") {
  CHECK(l32r_edges());
  CHECK(call_edges());
  CHECK(windowed_call_segment());
  CHECK(j_edges());
  CHECK(bri12_edges());
  CHECK(branch8_edges());
  CHECK(loop_edges());
  CHECK(branch_n_edges());
  CHECK(slot0_rejections());
}
TEST_CASE("xtensa: data words (R_XTENSA_32 in place, 32_PCREL)") {
  CHECK(abs32_in_place());
  CHECK(abs32_edges());
  CHECK(pcrel32());
}
TEST_CASE("xtensa: DIFF family and ASM_EXPAND write nothing; TLS is rejected by name") {
  CHECK(untouched_types());
  CHECK(tls_rejected());
}
TEST_CASE("xtensa: set facts, names and narrow<>") {
  CHECK(set_facts());
  CHECK(narrowing());
}
