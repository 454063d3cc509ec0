// tests/arch/aarch64.test.cpp: the AArch64 relocation set. Range edges per lld's
// AArch64::relocate (min, max, max + 1, min - 1 and misaligned rows), every instruction field
// decoded the way the CPU reads it, GNU ld's own output for every non-TLS type (vectors below),
// the veneer decoded and used for calls beyond ±128 MiB, byte order (instructions stay
// little-endian), TLS rejected by name, and narrowing. Each check runs in static_assert and CHECK.
#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>

#include <boost/hana/all_of.hpp>
#include <boost/hana/for_each.hpp>

#include "extload/arch/aarch64.hpp"

namespace {

namespace xa = extload::arch;
namespace h = xa::aarch64_howto;
using extload::errc;
using A64 = xa::aarch64;
using t = xa::aarch64_traits;
constexpr auto le = std::endian::little;
constexpr auto be = std::endian::big;
constexpr std::byte fill{0xa5}; // what an untouched byte of the place holds

template <std::size_t N>
constexpr std::array<std::byte, N> filled() {
  std::array<std::byte, N> a{};
  for (auto& b : a) b = fill;
  return a;
}

constexpr std::uint32_t insn_at(std::byte const* p) { return extload::load_at<std::uint32_t, le>(p); }
constexpr void put_insn(std::byte* p, std::uint32_t i) { extload::store_at<std::uint32_t, le>(p, i); }

// The whole relocation, found by type number the way the loader finds it.
template <class Set, std::endian O = le>
constexpr errc apply_by_type(std::uint32_t type, std::byte* place, xa::values const& v) {
  return Set::dispatch(type, errc::unknown_relocation, [&](auto howto) {
    using H = typename decltype(howto)::type;
    return xa::apply<H, O>(place, v);
  });
}

// ---- How the CPU reads each field -------------------------------------------------------------
template <class H, class F>
constexpr bool has_field = std::is_base_of_v<F, H>;

// The unrelocated instruction each type is tested on (assembled by aarch64-linux-gnu-as 2.40,
// e.g. `bl sym` = 94000000, `ldr x10, [x10, :lo12:sym]` = f940014a; see the GNU ld vectors).
template <class H>
constexpr std::uint32_t base_insn() {
  switch (H::type) {
  case t::R_AARCH64_JUMP26: return 0x14000000;  // b
  case t::R_AARCH64_CALL26: return 0x94000000;  // bl
  case t::R_AARCH64_CONDBR19: return 0x54000001; // b.ne
  case t::R_AARCH64_TSTBR14: return 0x36180002;  // tbz w2, #3
  case t::R_AARCH64_LD_PREL_LO19: return 0x58000003; // ldr x3, <literal>
  case t::R_AARCH64_GOT_LD_PREL19: return 0x58000011; // ldr x17, :got:sym
  case t::R_AARCH64_ADR_PREL_LO21: return 0x10000004; // adr x4
  case t::R_AARCH64_ADR_PREL_PG_HI21:
  case t::R_AARCH64_ADR_PREL_PG_HI21_NC: return 0x90000005; // adrp x5
  case t::R_AARCH64_ADR_GOT_PAGE: return 0x90000010;        // adrp x16, :got:sym
  case t::R_AARCH64_ADD_ABS_LO12_NC: return 0x910000c6;     // add x6, x6, #0
  case t::R_AARCH64_LDST8_ABS_LO12_NC: return 0x394000e7;   // ldrb w7, [x7]
  case t::R_AARCH64_LDST16_ABS_LO12_NC: return 0x79400108;  // ldrh w8, [x8]
  case t::R_AARCH64_LDST32_ABS_LO12_NC: return 0xb9400129;  // ldr w9, [x9]
  case t::R_AARCH64_LDST64_ABS_LO12_NC: return 0xf940014a;  // ldr x10, [x10]
  case t::R_AARCH64_LDST128_ABS_LO12_NC: return 0x3dc0016b; // ldr q11, [x11]
  case t::R_AARCH64_LD64_GOT_LO12_NC: return 0xf9400210;    // ldr x16, [x16]
  case t::R_AARCH64_MOVW_UABS_G0_NC:
  case t::R_AARCH64_MOVW_PREL_G0_NC: return 0xf280000c; // movk x12, #0
  case t::R_AARCH64_MOVW_UABS_G1_NC:
  case t::R_AARCH64_MOVW_PREL_G1_NC: return 0xf2a0000c; // movk x12, #0, lsl 16
  case t::R_AARCH64_MOVW_UABS_G2_NC:
  case t::R_AARCH64_MOVW_PREL_G2_NC: return 0xf2c0000c; // movk x12, #0, lsl 32
  case t::R_AARCH64_MOVW_UABS_G3: return 0xf2e0000c;    // movk x12, #0, lsl 48
  case t::R_AARCH64_MOVW_UABS_G0:
  case t::R_AARCH64_MOVW_SABS_G0:
  case t::R_AARCH64_MOVW_PREL_G0: return 0xd280000c; // movz x12, #0
  case t::R_AARCH64_MOVW_UABS_G1:
  case t::R_AARCH64_MOVW_SABS_G1:
  case t::R_AARCH64_MOVW_PREL_G1: return 0xd2a0000c; // movz x12, #0, lsl 16
  case t::R_AARCH64_MOVW_UABS_G2:
  case t::R_AARCH64_MOVW_SABS_G2:
  case t::R_AARCH64_MOVW_PREL_G2: return 0xd2c0000c; // movz x12, #0, lsl 32
  case t::R_AARCH64_MOVW_PREL_G3: return 0xd2e0000c; // movz x12, #0, lsl 48
  default: return 0;
  }
}

template <class H>
constexpr std::uint32_t field_mask() {
  if constexpr (has_field<H, h::imm26>) return 0x03ff'ffff;
  else if constexpr (has_field<H, h::imm19> || has_field<H, h::adr_imm<0>> || has_field<H, h::adr_imm<12>>)
    return (has_field<H, h::imm19> ? 0u : 3u << 29) | (0x7ffffu << 5);
  else if constexpr (has_field<H, h::imm14>) return 0x3fffu << 5;
  else if constexpr (has_field<H, h::imm12<0>> || has_field<H, h::imm12<1>> || has_field<H, h::imm12<2>> ||
                     has_field<H, h::imm12<3>> || has_field<H, h::imm12<4>>)
    return 0xfffu << 10;
  else return (3u << 29) | (0xffffu << 5); // MOVW: the opcode may switch between MOVZ and MOVN
}

template <unsigned S>
constexpr unsigned scale_of(h::imm12<S> const*) { return S; }
template <unsigned S>
constexpr unsigned shift_of(h::movw_imm<S> const*) { return S; }
template <unsigned S>
constexpr unsigned shift_of(h::movw_signed_imm<S> const*) { return S; }

// The value the CPU uses, as a function of the instruction ("what the field says"):
// branch/literal offsets, ADR offsets, ADRP page offsets, the imm12 byte offset, and for MOVW
// the register value a MOVZ/MOVN would produce (MOVK: the 16 inserted bits in place).
template <class H>
constexpr std::uint64_t cpu_reads(std::byte const* p) {
  std::uint32_t const i = insn_at(p);
  auto const sx = [](std::uint64_t v, unsigned n) { return static_cast<std::uint64_t>(xa::sign_extend(v, n)); };
  if constexpr (has_field<H, h::imm26>) return sx(i & 0x03ff'ffff, 26) << 2;
  else if constexpr (has_field<H, h::imm19>) return sx(xa::bits(i, 23, 5), 19) << 2;
  else if constexpr (has_field<H, h::imm14>) return sx(xa::bits(i, 18, 5), 14) << 2;
  else if constexpr (has_field<H, h::adr_imm<0>>) return sx((xa::bits(i, 23, 5) << 2) | xa::bits(i, 30, 29), 21);
  else if constexpr (has_field<H, h::adr_imm<12>>) return sx((xa::bits(i, 23, 5) << 2) | xa::bits(i, 30, 29), 21) << 12;
  else if constexpr (requires { scale_of(static_cast<H const*>(nullptr)); })
    return xa::bits(i, 21, 10) << scale_of(static_cast<H const*>(nullptr));
  else {
    unsigned const s = shift_of(static_cast<H const*>(nullptr));
    std::uint64_t const imm = xa::bits(i, 20, 5) << s;
    return xa::bits(i, 30, 29) == 0 ? ~imm : imm; // MOVN writes NOT(imm << shift)
  }
}

// What cpu_reads must give for a value v that was accepted.
template <class H>
constexpr std::uint64_t cpu_should_read(std::uint64_t v) {
  if constexpr (requires { scale_of(static_cast<H const*>(nullptr)); }) return v & 0xfff;
  else if constexpr (requires { shift_of(static_cast<H const*>(nullptr)); }) {
    unsigned const s = shift_of(static_cast<H const*>(nullptr));
    std::uint64_t const group = std::uint64_t{0xffff} << s, below = (std::uint64_t{1} << s) - 1;
    if ((base_insn<H>() >> 29 & 3u) == 3u) return v & group;             // MOVK: its 16 bits
    if constexpr (std::is_base_of_v<h::movw_imm<0>, H> || std::is_base_of_v<h::movw_imm<16>, H> ||
                  std::is_base_of_v<h::movw_imm<32>, H> || std::is_base_of_v<h::movw_imm<48>, H>)
      return v & group;                                                   // unsigned MOVZ
    return static_cast<std::int64_t>(v) < 0 ? (v | below) : (v & ~below); // MOVN / MOVZ
  } else return v;
}

// Inputs for which H computes `v`, through every term of its expression (A is never 0 where the
// expression has an A, and the terms that must not matter are set to something else).
template <class H>
constexpr xa::values inputs_for(std::int64_t v) {
  auto const u = static_cast<std::uint64_t>(v);
  xa::values in;
  in.A = -4;
  in.P = 0x4000'1000;
  in.GOT = 0x6000'0000;
  in.S = 0x7700'0000;
  in.G = 0x6600'0000;
  switch (H::kind) {
  case xa::expr::abs: in.S = u + 4; break;
  case xa::expr::pc:
  case xa::expr::branch:
  case xa::expr::page_pc: in.S = in.P + u + 4; break;
  case xa::expr::got_pc: in.G = in.P + u + 4; break;
  case xa::expr::got_abs: in.G = u + 4; break;
  case xa::expr::got_page_pc: in.G = in.P + u + 4; break; // Page(G + A) - Page(P), as lld
  default: break;
  }
  return in;
}

// One row: `v` either lands in the place (the CPU reads it back, the instruction's other bits and
// the bytes after the field untouched) or is rejected with the place left as it was.
template <class H>
constexpr bool row(std::int64_t v, errc expected) {
  auto const in = inputs_for<H>(v);
  auto const u = static_cast<std::uint64_t>(v);
  if (xa::evaluate<H>(in) != u) return false;
  auto place = filled<16>();
  constexpr bool insn = H::width == 4 && !std::is_base_of_v<h::w32, H>;
  if constexpr (insn) put_insn(place.data(), base_insn<H>());
  auto const before = place;
  if (apply_by_type<A64>(H::type, place.data(), in) != expected) return false;
  if (expected != errc::ok) return place == before;
  for (std::size_t i = H::width; i < place.size(); ++i)
    if (place[i] != fill) return false;
  if constexpr (insn) {
    constexpr std::uint32_t m = field_mask<H>();
    if ((insn_at(place.data()) & ~m) != (base_insn<H>() & ~m)) return false;
    return cpu_reads<H>(place.data()) == cpu_should_read<H>(u);
  } else {
    for (std::size_t i = 0; i < H::width; ++i)
      if (place[i] != static_cast<std::byte>(u >> (8 * i))) return false;
    return true;
  }
}

// min and max are the extreme accepted values (max aligned); min - 1 and max + align overflow;
// for aligned types max + 1 and min + 1 are in range but misaligned.
template <class H>
constexpr bool edges(std::int64_t min, std::int64_t max) {
  constexpr auto a = static_cast<std::int64_t>(H::align);
  bool ok = row<H>(min, errc::ok) && row<H>(max, errc::ok) && row<H>(min - 1, errc::relocation_overflow) &&
            row<H>(max + a, errc::relocation_overflow);
  if constexpr (a > 1)
    ok = ok && row<H>(max + 1, errc::misaligned_relocation) && row<H>(min + 1, errc::misaligned_relocation) &&
         row<H>(a / 2, errc::misaligned_relocation);
  else ok = ok && row<H>(max + 1, errc::relocation_overflow);
  return ok;
}

constexpr std::int64_t p2(unsigned n) { return std::int64_t{1} << n; }

// ---- Range edges -------------------------------------------------------------------------------
// Data words: checkIntUInt for 16/32 bits (ABS and PREL alike), checkInt(32) for PLT32.
constexpr bool data_edges() {
  return edges<h::R_AARCH64_ABS16>(-p2(15), p2(16) - 1) && edges<h::R_AARCH64_PREL16>(-p2(15), p2(16) - 1) &&
         edges<h::R_AARCH64_ABS32>(-p2(31), p2(32) - 1) && edges<h::R_AARCH64_PREL32>(-p2(31), p2(32) - 1) &&
         edges<h::R_AARCH64_PLT32>(-p2(31), p2(31) - 1);
}
static_assert(data_edges());

// Branches: B/BL ±128 MiB, B.cond/CBZ ±1 MiB, TBZ ±32 KiB, all word aligned.
constexpr bool branch_edges() {
  return edges<h::R_AARCH64_CALL26>(-p2(27), p2(27) - 4) && edges<h::R_AARCH64_JUMP26>(-p2(27), p2(27) - 4) &&
         edges<h::R_AARCH64_CONDBR19>(-p2(20), p2(20) - 4) && edges<h::R_AARCH64_TSTBR14>(-p2(15), p2(15) - 4);
}
static_assert(branch_edges());

// PC-relative literals and addresses: LDR (literal) word aligned ±1 MiB, ADR byte granular ±1 MiB.
constexpr bool pc_edges() {
  return edges<h::R_AARCH64_LD_PREL_LO19>(-p2(20), p2(20) - 4) &&
         edges<h::R_AARCH64_GOT_LD_PREL19>(-p2(20), p2(20) - 4) &&
         edges<h::R_AARCH64_ADR_PREL_LO21>(-p2(20), p2(20) - 1);
}
static_assert(pc_edges());

// ADRP: Page(S+A) - Page(P) is always a multiple of 4096, so its neighbours are ±4096 away:
// [-2^32, 2^32 - 4096] accepted, 2^32 and -2^32 - 4096 rejected; _NC accepts them (wraps).
template <class H>
constexpr bool page_edges() {
  constexpr std::int64_t pg = 4096;
  return row<H>(-p2(32), errc::ok) && row<H>(p2(32) - pg, errc::ok) &&
         row<H>(p2(32), errc::relocation_overflow) && row<H>(-p2(32) - pg, errc::relocation_overflow) &&
         row<H>(0, errc::ok) && row<H>(-pg, errc::ok);
}
constexpr bool adrp_edges() {
  auto nc_wraps = [] {
    auto place = filled<4>();
    put_insn(place.data(), 0x90000005);
    auto const in = inputs_for<h::R_AARCH64_ADR_PREL_PG_HI21_NC>(p2(32));
    // 2^32 >> 12 = 2^20 does not fit 21 signed bits: the field wraps to -2^20 pages.
    return apply_by_type<A64>(t::R_AARCH64_ADR_PREL_PG_HI21_NC, place.data(), in) == errc::ok &&
           cpu_reads<h::R_AARCH64_ADR_PREL_PG_HI21_NC>(place.data()) == static_cast<std::uint64_t>(-p2(32));
  };
  return page_edges<h::R_AARCH64_ADR_PREL_PG_HI21>() && page_edges<h::R_AARCH64_ADR_GOT_PAGE>() && nc_wraps();
}
static_assert(adrp_edges());

// Page(x) - Page(P) is page aligned whatever S, A and P are (so ADRP has no misaligned row).
constexpr bool page_values_are_pages() {
  constexpr std::uint64_t ps[] = {0, 0xfff, 0x1000, 0x4000'0ffc, 0xffff'ffff'ffff'f004};
  constexpr std::uint64_t ss[] = {0, 1, 0x7ff, 0x1234'5678, 0xffff'ffff'0000'0abc};
  for (auto P : ps)
    for (auto S : ss) {
      xa::values v;
      v.S = S;
      v.A = 0x801;
      v.P = P;
      v.G = S;
      if ((xa::evaluate<h::R_AARCH64_ADR_PREL_PG_HI21>(v) & 0xfff) != 0) return false;
      if ((xa::evaluate<h::R_AARCH64_ADR_GOT_PAGE>(v) & 0xfff) != 0) return false;
      if (xa::evaluate<h::R_AARCH64_ADR_PREL_PG_HI21>(v) != xa::page(S + 0x801) - xa::page(P)) return false;
    }
  return true;
}
static_assert(page_values_are_pages());

// ADD/LDST low 12 bits: any value, the loads and stores aligned to their access size.
template <class H>
constexpr bool lo12_rows() {
  constexpr auto a = static_cast<std::int64_t>(H::align);
  bool ok = row<H>(0, errc::ok) && row<H>(0xfff & ~(a - 1), errc::ok) && row<H>(0x1234'5000 + a, errc::ok) &&
            row<H>(std::numeric_limits<std::int64_t>::max() & ~(a - 1), errc::ok) &&
            row<H>(std::numeric_limits<std::int64_t>::min(), errc::ok);
  if constexpr (a > 1) ok = ok && row<H>(a / 2, errc::misaligned_relocation) && row<H>(0xfff, errc::misaligned_relocation);
  return ok;
}
constexpr bool lo12_edges() {
  return lo12_rows<h::R_AARCH64_ADD_ABS_LO12_NC>() && lo12_rows<h::R_AARCH64_LDST8_ABS_LO12_NC>() &&
         lo12_rows<h::R_AARCH64_LDST16_ABS_LO12_NC>() && lo12_rows<h::R_AARCH64_LDST32_ABS_LO12_NC>() &&
         lo12_rows<h::R_AARCH64_LDST64_ABS_LO12_NC>() && lo12_rows<h::R_AARCH64_LDST128_ABS_LO12_NC>() &&
         lo12_rows<h::R_AARCH64_LD64_GOT_LO12_NC>();
}
static_assert(lo12_edges());

// MOVW: UABS_Gn checkUInt(16(n+1)); SABS_Gn and PREL_Gn checkInt(16(n+1)+1); _NC and G3 unchecked.
constexpr bool movw_edges() {
  return edges<h::R_AARCH64_MOVW_UABS_G0>(0, p2(16) - 1) && edges<h::R_AARCH64_MOVW_UABS_G1>(0, p2(32) - 1) &&
         edges<h::R_AARCH64_MOVW_UABS_G2>(0, p2(48) - 1) &&
         edges<h::R_AARCH64_MOVW_SABS_G0>(-p2(16), p2(16) - 1) &&
         edges<h::R_AARCH64_MOVW_SABS_G1>(-p2(32), p2(32) - 1) &&
         edges<h::R_AARCH64_MOVW_SABS_G2>(-p2(48), p2(48) - 1) &&
         edges<h::R_AARCH64_MOVW_PREL_G0>(-p2(16), p2(16) - 1) &&
         edges<h::R_AARCH64_MOVW_PREL_G1>(-p2(32), p2(32) - 1) &&
         edges<h::R_AARCH64_MOVW_PREL_G2>(-p2(48), p2(48) - 1);
}
static_assert(movw_edges());

template <class H>
constexpr bool takes_any() {
  constexpr auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
  return row<H>(lo, errc::ok) && row<H>(hi, errc::ok) && row<H>(-1, errc::ok) && row<H>(0, errc::ok) &&
         row<H>(0x1234'5678'9abc'def0, errc::ok);
}
constexpr bool unchecked_take_any() {
  return takes_any<h::R_AARCH64_ABS64>() && takes_any<h::R_AARCH64_PREL64>() &&
         takes_any<h::R_AARCH64_MOVW_UABS_G0_NC>() && takes_any<h::R_AARCH64_MOVW_UABS_G1_NC>() &&
         takes_any<h::R_AARCH64_MOVW_UABS_G2_NC>() && takes_any<h::R_AARCH64_MOVW_UABS_G3>() &&
         takes_any<h::R_AARCH64_MOVW_PREL_G0_NC>() && takes_any<h::R_AARCH64_MOVW_PREL_G1_NC>() &&
         takes_any<h::R_AARCH64_MOVW_PREL_G2_NC>() && row<h::R_AARCH64_MOVW_PREL_G3>(p2(62), errc::ok) &&
         row<h::R_AARCH64_MOVW_PREL_G3>(-p2(62), errc::ok);
}
static_assert(unchecked_take_any());

// ---- GNU ld's output for every non-TLS type ----------------------------------------------------
// Obtained with binutils 2.40: an assembly file with one instruction or data word per type
// (e.g. `movz x13, :abs_g1_s:neg_abs`, `ldr x17, :got:data_sym`, `.hword lit - .`) was assembled
// by aarch64-linux-gnu-as, linked by aarch64-linux-gnu-ld -T (.text at 0x40000000, .data at
// 0x40000200, .got at 0x40000400, symbols defined in the script at range edges), and each place
// was read before (from the .o) and after (from the linked ELF) with objcopy -O binary; S, A
// and P come from readelf -rW and nm. G is ld's GOT slot for data_sym (0x40000408).
// (PLT32 is missing: binutils 2.40 has no syntax for it; its rows above cover it.)
struct ld_vector {
  std::uint32_t type;
  std::uint64_t before, after, S;
  std::int64_t A;
  std::uint64_t P;
};
constexpr ld_vector gnu_ld[] = {
    {t::R_AARCH64_JUMP26, 0x14000000, 0x15ffffff, 0x47fffffc, 0x0, 0x40000000},
    {t::R_AARCH64_CALL26, 0x94000000, 0x96000000, 0x38000004, 0x0, 0x40000004},
    {t::R_AARCH64_CONDBR19, 0x54000001, 0x547fffe1, 0x40100004, 0x0, 0x40000008},
    {t::R_AARCH64_CONDBR19, 0xb4000001, 0xb47fffc1, 0x40100004, 0x0, 0x4000000c},
    {t::R_AARCH64_TSTBR14, 0x36180002, 0x361c0002, 0x3fff8010, 0x0, 0x40000010},
    {t::R_AARCH64_LD_PREL_LO19, 0x58000003, 0x58800003, 0x3ff00014, 0x0, 0x40000014},
    {t::R_AARCH64_ADR_PREL_LO21, 0x10000004, 0x307c54e4, 0x400f8ab0, 0x5, 0x40000018},
    {t::R_AARCH64_ADR_PREL_PG_HI21, 0x90000005, 0x900007c5, 0x400f8ab0, 0x0, 0x4000001c},
    {t::R_AARCH64_ADR_PREL_PG_HI21_NC, 0x90000005, 0x900007c5, 0x400f8ab0, 0x0, 0x40000020},
    {t::R_AARCH64_ADD_ABS_LO12_NC, 0x910000c6, 0x9115b0c6, 0x400f8ab0, 0xabc, 0x40000024},
    {t::R_AARCH64_LDST8_ABS_LO12_NC, 0x394000e7, 0x396ac4e7, 0x400f8ab0, 0x1, 0x40000028},
    {t::R_AARCH64_LDST16_ABS_LO12_NC, 0x79400108, 0x79556508, 0x400f8ab0, 0x2, 0x4000002c},
    {t::R_AARCH64_LDST32_ABS_LO12_NC, 0xb9400129, 0xb94ab529, 0x400f8ab0, 0x4, 0x40000030},
    {t::R_AARCH64_LDST64_ABS_LO12_NC, 0xf940014a, 0xf9455d4a, 0x400f8ab0, 0x8, 0x40000034},
    {t::R_AARCH64_LDST128_ABS_LO12_NC, 0x3dc0016b, 0x3dc2b16b, 0x400f8ab0, 0x10, 0x40000038},
    {t::R_AARCH64_MOVW_UABS_G0, 0xd280000c, 0xd29fffec, 0xffff, 0x0, 0x4000003c},
    {t::R_AARCH64_MOVW_UABS_G0_NC, 0xf280000c, 0xf29bde0c, 0x123456789abcdef0, 0x0, 0x40000040},
    {t::R_AARCH64_MOVW_UABS_G1, 0xd2a0000c, 0xd2bfffec, 0xffffffff, 0x0, 0x40000044},
    {t::R_AARCH64_MOVW_UABS_G1_NC, 0xf2a0000c, 0xf2b3578c, 0x123456789abcdef0, 0x0, 0x40000048},
    {t::R_AARCH64_MOVW_UABS_G2, 0xd2c0000c, 0xd2dfffec, 0xffffffffffff, 0x0, 0x4000004c},
    {t::R_AARCH64_MOVW_UABS_G2_NC, 0xf2c0000c, 0xf2cacf0c, 0x123456789abcdef0, 0x0, 0x40000050},
    {t::R_AARCH64_MOVW_UABS_G3, 0xf2e0000c, 0xf2e2468c, 0x123456789abcdef0, 0x0, 0x40000054},
    {t::R_AARCH64_MOVW_SABS_G0, 0xd280000d, 0x929fffed, 0xffffffffffff0000, 0x0, 0x40000058},
    {t::R_AARCH64_MOVW_SABS_G1, 0xd2a0000d, 0x92a0000d, 0xffffffffffff0000, 0x0, 0x4000005c},
    {t::R_AARCH64_MOVW_SABS_G2, 0xd2c0000d, 0x92c0000d, 0xffffffffffff0000, 0x0, 0x40000060},
    {t::R_AARCH64_MOVW_SABS_G0, 0x9280000d, 0xd29fffed, 0xffff, 0x0, 0x40000064},
    {t::R_AARCH64_MOVW_PREL_G0, 0xd280000e, 0xd290000e, 0x40008068, 0x0, 0x40000068},
    {t::R_AARCH64_MOVW_PREL_G0_NC, 0xf280000e, 0xf28fff8e, 0x40008068, 0x0, 0x4000006c},
    {t::R_AARCH64_MOVW_PREL_G1, 0xd2a0000e, 0xd2a0000e, 0x40008068, 0x0, 0x40000070},
    {t::R_AARCH64_MOVW_PREL_G1_NC, 0xf2a0000e, 0xf2a0000e, 0x40008068, 0x0, 0x40000074},
    {t::R_AARCH64_MOVW_PREL_G2, 0xd2c0000e, 0xd2c0000e, 0x40008068, 0x0, 0x40000078},
    {t::R_AARCH64_MOVW_PREL_G2_NC, 0xf2c0000e, 0xf2c0000e, 0x40008068, 0x0, 0x4000007c},
    {t::R_AARCH64_MOVW_PREL_G3, 0xd2e0000e, 0xd2e0000e, 0x40008068, 0x0, 0x40000080},
    {t::R_AARCH64_MOVW_PREL_G1, 0xd2a0000f, 0x92b0ecaf, 0xffffffffb89abd63, 0x0, 0x40000084},
    {t::R_AARCH64_ADR_GOT_PAGE, 0x90000010, 0x90000010, 0x400f8ab0, 0x0, 0x40000088},
    {t::R_AARCH64_LD64_GOT_LO12_NC, 0xf9400210, 0xf9420610, 0x400f8ab0, 0x0, 0x4000008c},
    {t::R_AARCH64_GOT_LD_PREL19, 0x58000011, 0x58001bd1, 0x400f8ab0, 0x0, 0x40000090},
    {t::R_AARCH64_ABS64, 0x0000000000000000, 0x00000000400f8ab3, 0x400f8ab0, 0x3, 0x40000200},
    {t::R_AARCH64_ABS32, 0x00000000, 0x400f8ab3, 0x400f8ab0, 0x3, 0x40000208},
    {t::R_AARCH64_ABS16, 0x0000, 0xffff, 0xffff, 0x0, 0x4000020c},
    {t::R_AARCH64_PREL64, 0x0000000000000000, 0x00000000000f88a2, 0x400f8ab0, 0x0, 0x4000020e},
    {t::R_AARCH64_PREL32, 0x00000000, 0x000f889a, 0x400f8ab0, 0x0, 0x40000216},
    {t::R_AARCH64_PREL16, 0x0000, 0xfe7a, 0x40000000, 0x94, 0x4000021a},
};
constexpr std::uint64_t gnu_ld_G = 0x40000408;

constexpr std::size_t width_of(std::uint32_t type) {
  return A64::dispatch(type, std::size_t{0}, [](auto ht) { return decltype(ht)::type::width; });
}

// Apply each vector to the unrelocated bytes, and again with the field pre-filled with ones (a
// writer must replace the field, not OR into it): both must give ld's bytes.
constexpr bool matches_gnu_ld() {
  for (auto const& r : gnu_ld) {
    std::size_t const w = width_of(r.type);
    for (int garbage = 0; garbage < 2; ++garbage) {
      auto place = filled<16>();
      std::uint64_t in_bytes = r.before;
      if (garbage == 1 && w == 4) {
        // fill the whole immediate of the instruction (not the opcode bits MOVW may rewrite)
        std::uint64_t m = 0;
        A64::dispatch(r.type, 0, [&](auto ht) { m = field_mask<typename decltype(ht)::type>() & ~(3u << 29); return 0; });
        if (r.type != t::R_AARCH64_ADR_PREL_LO21 && r.type != t::R_AARCH64_ADR_PREL_PG_HI21 &&
            r.type != t::R_AARCH64_ADR_PREL_PG_HI21_NC && r.type != t::R_AARCH64_ADR_GOT_PAGE)
          in_bytes |= m;
        else in_bytes |= m | (3u << 29); // ADR/ADRP: immlo is in bits 30:29
      }
      for (std::size_t i = 0; i < w; ++i) place[i] = static_cast<std::byte>(in_bytes >> (8 * i));
      xa::values v;
      v.S = r.S;
      v.A = r.A;
      v.P = r.P;
      v.G = gnu_ld_G;
      if (apply_by_type<A64>(r.type, place.data(), v) != errc::ok) return false;
      for (std::size_t i = 0; i < 16; ++i)
        if (place[i] != (i < w ? static_cast<std::byte>(r.after >> (8 * i)) : fill)) return false;
    }
  }
  return true;
}
static_assert(matches_gnu_ld());

// Every non-TLS type except NONE/NULL/PLT32 has a GNU ld vector.
constexpr bool gnu_ld_covers_the_set() {
  std::size_t covered = 0;
  for (auto type : A64::types()) {
    bool has = false;
    for (auto const& r : gnu_ld) has = has || r.type == type;
    auto const k = A64::kind_of(type);
    if (has) ++covered;
    else if (k != xa::expr::tls && k != xa::expr::none && type != t::R_AARCH64_PLT32) return false;
  }
  return covered == 40;
}
static_assert(gnu_ld_covers_the_set());

// ---- Signed MOVW: the opcode follows the sign, MOVK keeps its opcode -------------------------
constexpr bool signed_movw_opcodes() {
  auto run = [](std::uint32_t type, std::uint32_t insn, std::int64_t X) {
    auto place = filled<4>();
    put_insn(place.data(), insn);
    xa::values v;
    v.S = static_cast<std::uint64_t>(X) + 0x1000;
    v.A = 0;
    v.P = 0x1000;
    if (A64::kind_of(type) == xa::expr::abs) v.S = static_cast<std::uint64_t>(X);
    return apply_by_type<A64>(type, place.data(), v) == errc::ok ? insn_at(place.data()) : 0u;
  };
  return run(t::R_AARCH64_MOVW_SABS_G0, 0xd2800000, -1) == 0x92800000 &&     // movn x0, #0 == -1
         run(t::R_AARCH64_MOVW_SABS_G0, 0x92800000, 5) == 0xd28000a0 &&      // movz x0, #5
         run(t::R_AARCH64_MOVW_PREL_G0_NC, 0xf2800000, -2) == 0xf29fffc0 &&  // movk x0, #0xfffe
         run(t::R_AARCH64_MOVW_PREL_G1_NC, 0xf2a00000, -2) == 0xf2bfffe0 &&  // movk x0, #0xffff, lsl 16
         run(t::R_AARCH64_MOVW_PREL_G3, 0xd2e00000, -p2(50)) == 0x92e00060 && // movn x0, #3, lsl 48
         run(t::R_AARCH64_MOVW_PREL_G3, 0x92e00000, p2(50)) == 0xd2e00080 && // movz x0, #4, lsl 48
         run(t::R_AARCH64_MOVW_SABS_G1, 0x52a00000, 0x12345) == 0x52a00020;   // 32-bit movz w0, #1, lsl 16
}
static_assert(signed_movw_opcodes());

// ---- Byte order: instructions are little-endian on aarch64_be too; data follows the object ----
constexpr bool big_endian_objects() {
  xa::values v;
  v.S = 0x4000'1000;
  v.A = 0;
  v.P = 0x4000'0000;
  auto insn = filled<4>();
  put_insn(insn.data(), 0x94000000);
  if (apply_by_type<A64, be>(t::R_AARCH64_CALL26, insn.data(), v) != errc::ok) return false;
  if (insn_at(insn.data()) != 0x94000400) return false; // bl +0x1000, bytes 00 04 00 94
  auto word = filled<4>();
  if (apply_by_type<A64, be>(t::R_AARCH64_ABS32, word.data(), v) != errc::ok) return false;
  if (word[0] != std::byte{0x40} || word[1] != std::byte{0x00} || word[2] != std::byte{0x10} || word[3] != std::byte{0x00})
    return false;
  std::array<std::byte, 16> ven{};
  A64::write_veneer<be>(ven.data(), 0, 0x0102'0304'0506'0708);
  return insn_at(ven.data()) == 0x58000050 && ven[8] == std::byte{0x01} && ven[15] == std::byte{0x08};
}
static_assert(big_endian_objects());

// ---- Veneer -----------------------------------------------------------------------------------
// Bytes from aarch64-linux-gnu-as 2.40: `ldr x16, 8` = 58000050, `br x16` = d61f0200.
// Decoded as the CPU does: LDR (literal) loads 8 bytes at PC + imm19*4 into Rt; BR jumps to Rn.
constexpr std::uint64_t run_veneer(std::array<std::byte, 16> const& v, std::uint64_t at) {
  std::uint32_t const ldr = insn_at(v.data()), br = insn_at(v.data() + 4);
  if ((ldr & 0xff00'0000) != 0x5800'0000 || (br & 0xffff'fc1f) != 0xd61f'0000) return 0;
  if ((ldr & 0x1f) != ((br >> 5) & 0x1f) || (ldr & 0x1f) != 16) return 0; // through x16 (IP0)
  std::uint64_t const lit = at + (static_cast<std::uint64_t>(xa::sign_extend(xa::bits(ldr, 23, 5), 19)) << 2);
  if (lit - at != 8 || (lit & 7) != 0) return 0; // the literal: right after, 8-byte aligned
  return extload::load_at<std::uint64_t, le>(v.data() + 8);
}

constexpr bool veneer_reaches_target() {
  static_assert(A64::veneer_size == 16 && A64::veneer_align == 8);
  constexpr std::uint64_t at = 0x7fff'0000'1008, target = 0x1234'5678'9abc'def0;
  std::array<std::byte, 16> v{};
  A64::write_veneer<le>(v.data(), at, target);
  constexpr std::array<std::uint8_t, 16> want{0x50, 0x00, 0x00, 0x58, 0x00, 0x02, 0x1f, 0xd6,
                                              0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12};
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] != std::byte{want[i]}) return false;
  return run_veneer(v, at) == target;
}
static_assert(veneer_reaches_target());

// Calls and tail calls to targets beyond ±128 MiB: direct overflows, through the veneer (L)
// the BL/B lands on the stub, and the stub on the target. Targets on both sides.
constexpr bool far_calls_through_veneer() {
  constexpr std::uint64_t P = 0x4000'0000, stub = 0x4000'8000;
  constexpr std::uint64_t targets[] = {P + 0x800'0000, P - 0x800'0004, 0xffff'0000'0000, 0x1000};
  for (auto T : targets)
    for (auto type : {t::R_AARCH64_CALL26, t::R_AARCH64_JUMP26}) {
      xa::values v;
      v.S = T;
      v.A = 0;
      v.P = P;
      auto insn = filled<4>();
      put_insn(insn.data(), type == t::R_AARCH64_CALL26 ? 0x94000000 : 0x14000000);
      auto const before = insn;
      if (apply_by_type<A64>(type, insn.data(), v) != errc::relocation_overflow || insn != before) return false;
      v.L = stub;
      if (apply_by_type<A64>(type, insn.data(), v) != errc::ok) return false;
      if (P + cpu_reads<h::R_AARCH64_CALL26>(insn.data()) != stub) return false;
      std::array<std::byte, 16> ven{};
      A64::write_veneer<le>(ven.data(), stub, T);
      if (run_veneer(ven, stub) != T) return false;
    }
  return true;
}
static_assert(far_calls_through_veneer());

// ---- Values per kind ----------------------------------------------------------------------------
constexpr bool kinds_compute_their_expression() {
  xa::values v;
  v.S = 0x4010'0123;
  v.A = 0x10;
  v.P = 0x4000'0ff0;
  v.G = 0x4020'0008;
  v.GOT = 0x4020'0000;
  v.L = 0;
  return xa::evaluate<h::R_AARCH64_ABS64>(v) == 0x4010'0133 &&
         xa::evaluate<h::R_AARCH64_PREL32>(v) == 0x10'0133 - 0xff0 + 0 &&
         xa::evaluate<h::R_AARCH64_CALL26>(v) == 0xf'f143 &&
         xa::evaluate<h::R_AARCH64_ADR_PREL_PG_HI21>(v) == 0x10'0000 &&
         xa::evaluate<h::R_AARCH64_ADR_GOT_PAGE>(v) == 0x20'0000 &&
         xa::evaluate<h::R_AARCH64_LD64_GOT_LO12_NC>(v) == 0x4020'0018 &&
         xa::evaluate<h::R_AARCH64_GOT_LD_PREL19>(v) == 0x4020'0018 - 0x4000'0ff0 &&
         xa::needs_got(A64::kind_of(t::R_AARCH64_ADR_GOT_PAGE)) &&
         xa::needs_got(A64::kind_of(t::R_AARCH64_LD64_GOT_LO12_NC)) &&
         xa::needs_got(A64::kind_of(t::R_AARCH64_GOT_LD_PREL19)) &&
         !xa::needs_got(A64::kind_of(t::R_AARCH64_ADR_PREL_PG_HI21));
}
static_assert(kinds_compute_their_expression());

// NONE and the withdrawn NULL (256) compute nothing and write nothing.
constexpr bool none_writes_nothing() {
  for (auto type : {t::R_AARCH64_NONE, t::R_AARCH64_NULL}) {
    auto place = filled<16>();
    xa::values v;
    v.S = 0x1234;
    if (apply_by_type<A64>(type, place.data(), v) != errc::ok || place != filled<16>()) return false;
  }
  return true;
}
static_assert(none_writes_nothing());

// ---- TLS and unknown types ------------------------------------------------------------------------
constexpr bool tls_rejected_by_name() {
  std::size_t n = 0;
  for (std::uint32_t type = 0x200; type <= 0x23d; ++type) {
    auto place = filled<16>();
    if (!A64::handles(type) || A64::kind_of(type) != xa::expr::tls) return false;
    std::string_view const name{A64::name_of(type)};
    if (!name.starts_with("R_AARCH64_TLS")) return false;
    xa::values v;
    v.S = 0x1000;
    if (apply_by_type<A64>(type, place.data(), v) != errc::unsupported_relocation || place != filled<16>()) return false;
    ++n;
  }
  return n == 62 && std::string_view{A64::name_of(t::R_AARCH64_TLSDESC_CALL)} == "R_AARCH64_TLSDESC_CALL" &&
         std::string_view{A64::name_of(t::R_AARCH64_TLSLE_ADD_TPREL_HI12)} == "R_AARCH64_TLSLE_ADD_TPREL_HI12";
}
static_assert(tls_rejected_by_name());

constexpr bool dynamic_types_unknown() {
  constexpr std::uint32_t unknown[] = {t::R_AARCH64_COPY,         t::R_AARCH64_GLOB_DAT,     t::R_AARCH64_JUMP_SLOT,
                                       t::R_AARCH64_RELATIVE,     t::R_AARCH64_TLS_DTPMOD64, t::R_AARCH64_TLS_DTPREL64,
                                       t::R_AARCH64_TLS_TPREL64,  t::R_AARCH64_TLSDESC,      t::R_AARCH64_IRELATIVE,
                                       0x119, 0x126, 0x139, 0x13b, 0x23e, 1, 0xffff'ffff};
  for (auto type : unknown) {
    auto place = filled<16>();
    if (A64::handles(type) || A64::name_of(type) != nullptr) return false;
    if (apply_by_type<A64>(type, place.data(), xa::values{}) != errc::unknown_relocation || place != filled<16>()) return false;
  }
  return true;
}
static_assert(dynamic_types_unknown());

// ---- The set: numbers and names as AAELF64 spells them ------------------------------------------
struct spec_row {
  std::uint32_t type;
  std::string_view name;
};
constexpr spec_row aaelf64[] = {
    {0, "R_AARCH64_NONE"},
    {256, "R_AARCH64_NULL"},
    {257, "R_AARCH64_ABS64"},
    {258, "R_AARCH64_ABS32"},
    {259, "R_AARCH64_ABS16"},
    {260, "R_AARCH64_PREL64"},
    {261, "R_AARCH64_PREL32"},
    {262, "R_AARCH64_PREL16"},
    {263, "R_AARCH64_MOVW_UABS_G0"},
    {264, "R_AARCH64_MOVW_UABS_G0_NC"},
    {265, "R_AARCH64_MOVW_UABS_G1"},
    {266, "R_AARCH64_MOVW_UABS_G1_NC"},
    {267, "R_AARCH64_MOVW_UABS_G2"},
    {268, "R_AARCH64_MOVW_UABS_G2_NC"},
    {269, "R_AARCH64_MOVW_UABS_G3"},
    {270, "R_AARCH64_MOVW_SABS_G0"},
    {271, "R_AARCH64_MOVW_SABS_G1"},
    {272, "R_AARCH64_MOVW_SABS_G2"},
    {273, "R_AARCH64_LD_PREL_LO19"},
    {274, "R_AARCH64_ADR_PREL_LO21"},
    {275, "R_AARCH64_ADR_PREL_PG_HI21"},
    {276, "R_AARCH64_ADR_PREL_PG_HI21_NC"},
    {277, "R_AARCH64_ADD_ABS_LO12_NC"},
    {278, "R_AARCH64_LDST8_ABS_LO12_NC"},
    {279, "R_AARCH64_TSTBR14"},
    {280, "R_AARCH64_CONDBR19"},
    {282, "R_AARCH64_JUMP26"},
    {283, "R_AARCH64_CALL26"},
    {284, "R_AARCH64_LDST16_ABS_LO12_NC"},
    {285, "R_AARCH64_LDST32_ABS_LO12_NC"},
    {286, "R_AARCH64_LDST64_ABS_LO12_NC"},
    {287, "R_AARCH64_MOVW_PREL_G0"},
    {288, "R_AARCH64_MOVW_PREL_G0_NC"},
    {289, "R_AARCH64_MOVW_PREL_G1"},
    {290, "R_AARCH64_MOVW_PREL_G1_NC"},
    {291, "R_AARCH64_MOVW_PREL_G2"},
    {292, "R_AARCH64_MOVW_PREL_G2_NC"},
    {293, "R_AARCH64_MOVW_PREL_G3"},
    {299, "R_AARCH64_LDST128_ABS_LO12_NC"},
    {309, "R_AARCH64_GOT_LD_PREL19"},
    {311, "R_AARCH64_ADR_GOT_PAGE"},
    {312, "R_AARCH64_LD64_GOT_LO12_NC"},
    {314, "R_AARCH64_PLT32"},
    {512, "R_AARCH64_TLSGD_ADR_PREL21"},
    {541, "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21"},
    {549, "R_AARCH64_TLSLE_ADD_TPREL_HI12"},
    {562, "R_AARCH64_TLSDESC_ADR_PAGE21"},
    {569, "R_AARCH64_TLSDESC_CALL"},
    {571, "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC"},
    {573, "R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC"},
};

constexpr bool names_match_aaelf64() {
  for (auto const& r : aaelf64)
    if (!A64::handles(r.type) || A64::name_of(r.type) == nullptr || std::string_view{A64::name_of(r.type)} != r.name)
      return false;
  // 43 non-TLS types (the 41 the issue lists + NONE + NULL) and the 62 TLS types, nothing else.
  return A64::type_count == 43 + 62 && A64::types().size() == A64::names().size();
}
static_assert(names_match_aaelf64());

constexpr bool traits_match_aaelf64() {
  return A64::e_machine == 183 && A64::uses_rela && A64::got_entry_size == 8 &&
         std::string_view{A64::arch_name} == "AArch64" && xa::relocation_set<A64> && A64::dense &&
         !A64::has_pairs;
}
static_assert(traits_match_aaelf64());

// ---- Narrowing keeps exactly the listed types ------------------------------------------------
using small = xa::narrow<A64, t::R_AARCH64_ABS64, t::R_AARCH64_CALL26, t::R_AARCH64_ADR_PREL_PG_HI21>;

constexpr bool narrow_keeps_listed() {
  auto place = filled<4>();
  put_insn(place.data(), 0x94000000);
  xa::values v;
  v.S = 0x4000'1000;
  v.P = 0x4000'0000;
  return xa::relocation_set<small> && small::type_count == 3 && small::handles(t::R_AARCH64_CALL26) &&
         !small::handles(t::R_AARCH64_JUMP26) && !small::handles(t::R_AARCH64_TLSDESC_CALL) &&
         small::name_of(t::R_AARCH64_JUMP26) == nullptr &&
         std::is_same_v<small::traits, xa::aarch64_traits> && small::veneer_size == 16 &&
         apply_by_type<small>(t::R_AARCH64_JUMP26, place.data(), v) == errc::unknown_relocation &&
         insn_at(place.data()) == 0x94000000 &&
         apply_by_type<small>(t::R_AARCH64_CALL26, place.data(), v) == errc::ok && insn_at(place.data()) == 0x94000400;
}
static_assert(narrow_keeps_listed());

// Every howto's declared alignment is one the instruction or access actually requires.
constexpr bool alignments_are_lld_s() {
  return h::R_AARCH64_CALL26::align == 4 && h::R_AARCH64_CONDBR19::align == 4 && h::R_AARCH64_TSTBR14::align == 4 &&
         h::R_AARCH64_LD_PREL_LO19::align == 4 && h::R_AARCH64_ADR_PREL_LO21::align == 1 &&
         h::R_AARCH64_LDST16_ABS_LO12_NC::align == 2 && h::R_AARCH64_LDST128_ABS_LO12_NC::align == 16 &&
         h::R_AARCH64_LD64_GOT_LO12_NC::align == 8 && h::R_AARCH64_ABS32::align == 1 &&
         boost::hana::all_of(A64::howtos, [](auto ht) { return std::has_single_bit(decltype(ht)::type::align); });
}
static_assert(alignments_are_lld_s());

} // namespace

TEST_CASE("aarch64: data words (ABS16/32, PREL16/32: either reading; PLT32 signed)") { CHECK(data_edges()); }
TEST_CASE("aarch64: CALL26/JUMP26 ±128 MiB, CONDBR19 ±1 MiB, TSTBR14 ±32 KiB, word aligned") { CHECK(branch_edges()); }
TEST_CASE("aarch64: LD_PREL_LO19, GOT_LD_PREL19, ADR_PREL_LO21 edges") { CHECK(pc_edges()); }
TEST_CASE("aarch64: ADRP (PG_HI21, GOT_PAGE) accepts ±4 GiB in pages; _NC wraps") { CHECK(adrp_edges()); }
TEST_CASE("aarch64: page differences are always page aligned") { CHECK(page_values_are_pages()); }
TEST_CASE("aarch64: ADD/LDST/LD64_GOT low 12 bits, scaled and aligned") { CHECK(lo12_edges()); }
TEST_CASE("aarch64: MOVW UABS/SABS/PREL group edges") { CHECK(movw_edges()); }
TEST_CASE("aarch64: unchecked fields take every value") { CHECK(unchecked_take_any()); }
TEST_CASE("aarch64: every non-TLS type patches what GNU ld patches") {
  CHECK(matches_gnu_ld());
  CHECK(gnu_ld_covers_the_set());
}
TEST_CASE("aarch64: signed MOVW switches MOVZ/MOVN by sign, leaves MOVK") { CHECK(signed_movw_opcodes()); }
TEST_CASE("aarch64: big-endian objects keep little-endian instructions") { CHECK(big_endian_objects()); }
TEST_CASE("aarch64: the veneer loads and jumps to its target") { CHECK(veneer_reaches_target()); }
TEST_CASE("aarch64: calls beyond ±128 MiB go through the veneer") { CHECK(far_calls_through_veneer()); }
TEST_CASE("aarch64: each kind computes its AAELF64 expression") { CHECK(kinds_compute_their_expression()); }
TEST_CASE("aarch64: NONE and NULL write nothing") { CHECK(none_writes_nothing()); }
TEST_CASE("aarch64: TLS types are named and unsupported") { CHECK(tls_rejected_by_name()); }
TEST_CASE("aarch64: dynamic-only and unassigned types are unknown") { CHECK(dynamic_types_unknown()); }
TEST_CASE("aarch64: numbers and names follow AAELF64") { CHECK(names_match_aaelf64()); }
TEST_CASE("aarch64: traits") { CHECK(traits_match_aaelf64()); }
TEST_CASE("aarch64: narrow<> keeps exactly the listed types") { CHECK(narrow_keeps_listed()); }
TEST_CASE("aarch64: alignments") { CHECK(alignments_are_lld_s()); }
