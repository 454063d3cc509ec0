// tests/arch/arm.test.cpp: the ARM/Thumb relocation set (arch/arm.hpp). Range edges per lld's
// ARM::relocate (min, max, max + 1, min - 1, misaligned where an alignment exists), REL addend
// round trips for every type, interworking (BL <-> BLX by the target's state, B to Thumb
// rejected), instruction encodings compared with what GNU as + ld produce (little- and
// big-endian objects), the Thumb veneer decoded, TLS rejected by name, narrowing and names.
// Each check is a constexpr bool function run in static_assert and in CHECK.
#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extload/arch/arm.hpp"

namespace {

namespace xa = extload::arch;
namespace h = xa::arm_howto;
using extload::errc;
using A = xa::arm;
using T = xa::arm_traits;
constexpr auto le = std::endian::little;
constexpr auto be = std::endian::big;
constexpr std::byte fill{0xa5};

template <class... V>
constexpr auto bytes(V... v) { return extload::make_bytes(v...); }

template <std::size_t N>
constexpr std::array<std::byte, N> filled() {
  std::array<std::byte, N> a{};
  for (auto& b : a) b = fill;
  return a;
}

constexpr xa::values vals(std::uint64_t S, std::int64_t Add, std::uint64_t P, std::uint8_t sym_type = 0) {
  xa::values v;
  v.S = S;
  v.A = Add;
  v.P = P;
  v.sym_type = sym_type;
  return v;
}

// The whole relocation, found by type number the way the loader finds it, REL addend included.
template <class Set, std::endian O>
constexpr errc link_one(std::uint32_t type, std::byte* place, xa::values v) {
  return Set::dispatch(type, errc::unknown_relocation, [&](auto howto) {
    using H = typename decltype(howto)::type;
    v.A = H::template read_addend<O>(place);
    return xa::check_and_write<H, O>(place, xa::evaluate<H>(v));
  });
}

// ---- Encodings against GNU as + ld -----------------------------------------------------------
// Obtained with (tests/arch/arm.test.cpp data, regenerate the same way if the source changes):
//   arm-none-eabi-as -march=armv7-a [-mbig-endian] enc.s -o enc.o
//   arm-none-eabi-ld [-EB] -T enc.ld enc.o -o enc.elf
//   arm-none-eabi-objcopy -O binary --only-section=<sec> enc.o|enc.elf <sec>.bin
// where enc.s holds, in Thumb (.text.t at 0x8000): bl tf; bl af; b.w tf; beq.w tn; b.n tn;
// beq.n tn; movw/movt #:lower16:/#:upper16: data1 (ABS and `data1 - .` PREL); and through
// `.reloc`: subw r4, pc, #4 (THM_ALU_PREL_11_0, to `lit` at 0x8100 and to `back` at 0x7800),
// ldr.w r3, [pc, #-4] (THM_PC12), ldr r2, [pc, #1020] (THM_PC8, imm8 = 0xff: addend -4);
// in ARM (.text.a at 0x9000): bl af; bl tf; b af; beq af; blx tf; movw/movt ABS and PREL;
// and data (.data.w at 0x20001000): .word tf, af, data1 + 6, data1 - .; .hword tn + 2;
// .byte 0x7f, b8 + 1, b8m; .word tf(TARGET1), tf(TARGET2). tf is a Thumb function at 0x900000,
// af an ARM function at 0xa00000, tn a Thumb function at 0x80a0, data1 at 0x20000000,
// b8 = 0x7e, b8m = -0x80 (linker-script symbols). Rows: {offset, type, S (with T), STT_*}.
struct enc_reloc {
  std::uint64_t offset;
  std::uint32_t type;
  std::uint64_t S;
  std::uint8_t sym_type;
};

// clang-format off
// .text.t at 0x8000: object bytes, then the same bytes after `ld -T enc.ld`.
constexpr std::uint64_t le_text_t_addr = 0x8000;
constexpr auto le_text_t_obj = bytes(
    0xff, 0xf7, 0xfe, 0xff, 0xff, 0xf7, 0xfe, 0xff, 0xff, 0xf7, 0xfe, 0xbf, 0x3f, 0xf4, 0xfe, 0xaf, 0xfe, 0xe7,
    0xfe, 0xd0, 0x40, 0xf2, 0x0, 0x0, 0xc0, 0xf2, 0x0, 0x0, 0x40, 0xf2, 0x0, 0x1, 0xc0, 0xf2, 0x0, 0x1, 0xaf, 0xf2,
    0x4, 0x4, 0xaf, 0xf2, 0x4, 0x4, 0x5f, 0xf8, 0x4, 0x30, 0xff, 0x4a, 0x0, 0xbf, 0xff, 0x4a, 0x0, 0x0);
constexpr auto le_text_t_ld = bytes(
    0xf7, 0xf0, 0xfe, 0xdf, 0xf7, 0xf1, 0xfc, 0xcf, 0xf7, 0xf0, 0xfa, 0x9f, 0x0, 0xf0, 0x48, 0x80, 0x46, 0xe0, 0x45,
    0xd0, 0x40, 0xf2, 0x0, 0x0, 0xc2, 0xf2, 0x0, 0x0, 0x47, 0xf6, 0xe4, 0x71, 0xc1, 0xf6, 0xff, 0x71, 0xf, 0xf2,
    0xd8, 0x4, 0xaf, 0xf6, 0x2c, 0x4, 0xdf, 0xf8, 0xd0, 0x30, 0x33, 0x4a, 0x0, 0xbf, 0x32, 0x4a, 0x0, 0x0);
constexpr std::array<enc_reloc, 15> le_text_t_rels{{
    {0x0, 10, 0x900001, 2}, {0x4, 10, 0xa00000, 2}, {0x8, 30, 0x900001, 2}, {0xc, 51, 0x80a1, 2}, {0x10, 102,
    0x80a1, 2}, {0x12, 103, 0x80a1, 2}, {0x14, 47, 0x20000000, 0}, {0x18, 48, 0x20000000, 0}, {0x1c, 49, 0x20000000,
    0}, {0x20, 50, 0x20000000, 0}, {0x24, 53, 0x8100, 0}, {0x28, 53, 0x7800, 0}, {0x2c, 54, 0x8100, 0}, {0x30, 11,
    0x8100, 0}, {0x34, 11, 0x8100, 0}}};
// .text.a at 0x9000: object bytes, then the same bytes after `ld -T enc.ld`.
constexpr std::uint64_t le_text_a_addr = 0x9000;
constexpr auto le_text_a_obj = bytes(
    0xfe, 0xff, 0xff, 0xeb, 0xfe, 0xff, 0xff, 0xeb, 0xfe, 0xff, 0xff, 0xea, 0xfe, 0xff, 0xff, 0xa, 0xfe, 0xff, 0xff,
    0xfa, 0x0, 0x0, 0x0, 0xe3, 0x0, 0x0, 0x40, 0xe3, 0x0, 0x10, 0x0, 0xe3, 0x0, 0x10, 0x40, 0xe3);
constexpr auto le_text_a_ld = bytes(
    0xfe, 0xdb, 0x27, 0xeb, 0xfd, 0xdb, 0x23, 0xfa, 0xfc, 0xdb, 0x27, 0xea, 0xfb, 0xdb, 0x27, 0xa, 0xfa, 0xdb, 0x23,
    0xfa, 0x0, 0x0, 0x0, 0xe3, 0x0, 0x0, 0x42, 0xe3, 0xe4, 0x1f, 0x6, 0xe3, 0xff, 0x1f, 0x41, 0xe3);
constexpr std::array<enc_reloc, 9> le_text_a_rels{{
    {0x0, 28, 0xa00000, 2}, {0x4, 28, 0x900001, 2}, {0x8, 29, 0xa00000, 2}, {0xc, 29, 0xa00000, 2}, {0x10, 28,
    0x900001, 2}, {0x14, 43, 0x20000000, 0}, {0x18, 44, 0x20000000, 0}, {0x1c, 45, 0x20000000, 0}, {0x20, 46,
    0x20000000, 0}}};
// .data.w at 0x20001000: object bytes, then the same bytes after `ld -T enc.ld`.
constexpr std::uint64_t le_data_w_addr = 0x20001000;
constexpr auto le_data_w_obj = bytes(
    0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x6, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x2, 0x0, 0x7f, 0x1, 0x0, 0x0,
    0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0);
constexpr auto le_data_w_ld = bytes(
    0x1, 0x0, 0x90, 0x0, 0x0, 0x0, 0xa0, 0x0, 0x6, 0x0, 0x0, 0x20, 0xf4, 0xef, 0xff, 0xff, 0xa2, 0x80, 0x7f, 0x7f,
    0x80, 0x1, 0x0, 0x90, 0x0, 0xe8, 0xef, 0x8f, 0xe0);
constexpr std::array<enc_reloc, 9> le_data_w_rels{{
    {0x0, 2, 0x900001, 2}, {0x4, 2, 0xa00000, 2}, {0x8, 2, 0x20000000, 3}, {0xc, 3, 0x20000000, 3}, {0x10, 5,
    0x80a1, 2}, {0x13, 8, 0x7e, 0}, {0x14, 8, 0xffffff80, 0}, {0x15, 38, 0x900001, 2}, {0x19, 41, 0x900001, 2}}};
// .text.t at 0x8000: object bytes, then the same bytes after `ld -T enc.ld`.
constexpr std::uint64_t be_text_t_addr = 0x8000;
constexpr auto be_text_t_obj = bytes(
    0xf7, 0xff, 0xff, 0xfe, 0xf7, 0xff, 0xff, 0xfe, 0xf7, 0xff, 0xbf, 0xfe, 0xf4, 0x3f, 0xaf, 0xfe, 0xe7, 0xfe,
    0xd0, 0xfe, 0xf2, 0x40, 0x0, 0x0, 0xf2, 0xc0, 0x0, 0x0, 0xf2, 0x40, 0x1, 0x0, 0xf2, 0xc0, 0x1, 0x0, 0xf2, 0xaf,
    0x4, 0x4, 0xf2, 0xaf, 0x4, 0x4, 0xf8, 0x5f, 0x30, 0x4, 0x4a, 0xff, 0xbf, 0x0, 0x4a, 0xff, 0x0, 0x0);
constexpr auto be_text_t_ld = bytes(
    0xf0, 0xf7, 0xdf, 0xfe, 0xf1, 0xf7, 0xcf, 0xfc, 0xf0, 0xf7, 0x9f, 0xfa, 0xf0, 0x0, 0x80, 0x48, 0xe0, 0x46, 0xd0,
    0x45, 0xf2, 0x40, 0x0, 0x0, 0xf2, 0xc2, 0x0, 0x0, 0xf6, 0x47, 0x71, 0xe4, 0xf6, 0xc1, 0x71, 0xff, 0xf2, 0xf,
    0x4, 0xd8, 0xf6, 0xaf, 0x4, 0x2c, 0xf8, 0xdf, 0x30, 0xd0, 0x4a, 0x33, 0xbf, 0x0, 0x4a, 0x32, 0x0, 0x0);
constexpr std::array<enc_reloc, 15> be_text_t_rels{{
    {0x0, 10, 0x900001, 2}, {0x4, 10, 0xa00000, 2}, {0x8, 30, 0x900001, 2}, {0xc, 51, 0x80a1, 2}, {0x10, 102,
    0x80a1, 2}, {0x12, 103, 0x80a1, 2}, {0x14, 47, 0x20000000, 0}, {0x18, 48, 0x20000000, 0}, {0x1c, 49, 0x20000000,
    0}, {0x20, 50, 0x20000000, 0}, {0x24, 53, 0x8100, 0}, {0x28, 53, 0x7800, 0}, {0x2c, 54, 0x8100, 0}, {0x30, 11,
    0x8100, 0}, {0x34, 11, 0x8100, 0}}};
// .text.a at 0x9000: object bytes, then the same bytes after `ld -T enc.ld`.
constexpr std::uint64_t be_text_a_addr = 0x9000;
constexpr auto be_text_a_obj = bytes(
    0xeb, 0xff, 0xff, 0xfe, 0xeb, 0xff, 0xff, 0xfe, 0xea, 0xff, 0xff, 0xfe, 0xa, 0xff, 0xff, 0xfe, 0xfa, 0xff, 0xff,
    0xfe, 0xe3, 0x0, 0x0, 0x0, 0xe3, 0x40, 0x0, 0x0, 0xe3, 0x0, 0x10, 0x0, 0xe3, 0x40, 0x10, 0x0);
constexpr auto be_text_a_ld = bytes(
    0xeb, 0x27, 0xdb, 0xfe, 0xfa, 0x23, 0xdb, 0xfd, 0xea, 0x27, 0xdb, 0xfc, 0xa, 0x27, 0xdb, 0xfb, 0xfa, 0x23, 0xdb,
    0xfa, 0xe3, 0x0, 0x0, 0x0, 0xe3, 0x42, 0x0, 0x0, 0xe3, 0x6, 0x1f, 0xe4, 0xe3, 0x41, 0x1f, 0xff);
constexpr std::array<enc_reloc, 9> be_text_a_rels{{
    {0x0, 28, 0xa00000, 2}, {0x4, 28, 0x900001, 2}, {0x8, 29, 0xa00000, 2}, {0xc, 29, 0xa00000, 2}, {0x10, 28,
    0x900001, 2}, {0x14, 43, 0x20000000, 0}, {0x18, 44, 0x20000000, 0}, {0x1c, 45, 0x20000000, 0}, {0x20, 46,
    0x20000000, 0}}};
// .data.w at 0x20001000: object bytes, then the same bytes after `ld -T enc.ld`.
constexpr std::uint64_t be_data_w_addr = 0x20001000;
constexpr auto be_data_w_obj = bytes(
    0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x6, 0x0, 0x0, 0x0, 0x0, 0x0, 0x2, 0x7f, 0x1, 0x0, 0x0,
    0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0);
constexpr auto be_data_w_ld = bytes(
    0x0, 0x90, 0x0, 0x1, 0x0, 0xa0, 0x0, 0x0, 0x20, 0x0, 0x0, 0x6, 0xff, 0xff, 0xef, 0xf4, 0x80, 0xa2, 0x7f, 0x7f,
    0x80, 0x0, 0x90, 0x0, 0x1, 0xe0, 0x8f, 0xef, 0xe8);
constexpr std::array<enc_reloc, 9> be_data_w_rels{{
    {0x0, 2, 0x900001, 2}, {0x4, 2, 0xa00000, 2}, {0x8, 2, 0x20000000, 3}, {0xc, 3, 0x20000000, 3}, {0x10, 5,
    0x80a1, 2}, {0x13, 8, 0x7e, 0}, {0x14, 8, 0xffffff80, 0}, {0x15, 38, 0x900001, 2}, {0x19, 41, 0x900001, 2}}};
// clang-format on

template <std::endian O, std::size_t N, std::size_t R>
constexpr bool same_as_ld(std::uint64_t addr, std::array<std::byte, N> obj, std::array<std::byte, N> const& ld,
                          std::array<enc_reloc, R> const& rels) {
  for (auto const& r : rels)
    if (link_one<A, O>(r.type, obj.data() + r.offset, vals(r.S, 0, addr + r.offset, r.sym_type)) != errc::ok) return false;
  return obj == ld;
}
constexpr bool thumb_encodings_le() { return same_as_ld<le>(le_text_t_addr, le_text_t_obj, le_text_t_ld, le_text_t_rels); }
constexpr bool arm_encodings_le() { return same_as_ld<le>(le_text_a_addr, le_text_a_obj, le_text_a_ld, le_text_a_rels); }
constexpr bool data_le() { return same_as_ld<le>(le_data_w_addr, le_data_w_obj, le_data_w_ld, le_data_w_rels); }
constexpr bool thumb_encodings_be() { return same_as_ld<be>(be_text_t_addr, be_text_t_obj, be_text_t_ld, be_text_t_rels); }
constexpr bool arm_encodings_be() { return same_as_ld<be>(be_text_a_addr, be_text_a_obj, be_text_a_ld, be_text_a_rels); }
constexpr bool data_be() { return same_as_ld<be>(be_data_w_addr, be_data_w_obj, be_data_w_ld, be_data_w_rels); }
static_assert(thumb_encodings_le());
static_assert(arm_encodings_le());
static_assert(data_le());
static_assert(thumb_encodings_be());
static_assert(arm_encodings_be());
static_assert(data_be());

// Encodings the assembler produces directly (arm-none-eabi-as -march=armv7-a, objdump -d):
//   ldr.w r3, [pc, #-2092]  f85f 382c   (THM_PC12, U = 0)
//   adr r1, . + 1020 at 4   a1fe        (THM_PC8 form of ADR: imm8 = 1016 / 4)
//   push {r0, r1}; ldr r0, [pc, #4]; str r0, [sp, #4]; pop {r0, pc}  = b403 4801 9001 bd01
constexpr bool assembler_encodings() {
  auto ldr = bytes(0x5f, 0xf8, 0x04, 0x30); // ldr.w r3, [pc, #-4]
  auto adr = bytes(0xff, 0xa1);             // adr r1, imm8 = 0xff (addend -4)
  // S - Align(P, 4) = -2092, written as U = 0, imm12 = 0x82c.
  bool const pc12 = xa::check_and_write<h::R_ARM_THM_PC12, le>(ldr.data(), static_cast<std::uint64_t>(-2092)) == errc::ok &&
                    ldr == bytes(0x5f, 0xf8, 0x2c, 0x38) && h::R_ARM_THM_PC12::read_addend<le>(ldr.data()) == -2092;
  bool const pc8 = xa::check_and_write<h::R_ARM_THM_PC8, le>(adr.data(), 1016) == errc::ok && adr == bytes(0xfe, 0xa1);
  return pc12 && pc8;
}
static_assert(assembler_encodings());

// ---- Range edges -----------------------------------------------------------------------------
// The generic check path (what the loader calls) on a value: ok, or the error, place untouched.
template <class H>
constexpr errc check(std::int64_t v) {
  auto place = filled<4>();
  auto const before = place;
  errc const c = xa::check_and_write<H, le>(place.data(), static_cast<std::uint64_t>(v));
  if (c != errc::ok && place != before) return errc::truncated; // wrote on failure: never
  return c;
}

constexpr bool edges(auto f, std::int64_t min, std::int64_t max, std::int64_t step) {
  return f(min) == errc::ok && f(max) == errc::ok && f(max + step) == errc::relocation_overflow &&
         f(min - step) == errc::relocation_overflow;
}

// ARM B/BL/BLX: [-2^25, 2^25 - 4], 4-aligned; an odd value (Thumb target) cannot be reached by B.
template <class H>
constexpr bool arm_jump_edges() {
  auto f = [](std::int64_t v) { return check<H>(v); };
  return edges(f, -(1 << 25), (1 << 25) - 4, 4) && f(2) == errc::misaligned_relocation &&
         f(-6) == errc::misaligned_relocation && f(0x1001) == errc::unsupported_relocation;
}
constexpr bool pc24_edges() { return arm_jump_edges<h::R_ARM_PC24>(); }
constexpr bool jump24_edges() { return arm_jump_edges<h::R_ARM_JUMP24>(); }
constexpr bool plt32_edges() { return arm_jump_edges<h::R_ARM_PLT32>(); }
static_assert(pc24_edges());
static_assert(jump24_edges());
static_assert(plt32_edges());

// R_ARM_CALL: BL as above; BLX (odd value) reaches imm24:H:1, i.e. [-2^25 + 1, 2^25 - 1].
constexpr bool call_edges() {
  auto f = [](std::int64_t v) { return check<h::R_ARM_CALL>(v); };
  return edges(f, -(1 << 25), (1 << 25) - 4, 4) && f(6) == errc::misaligned_relocation &&
         edges(f, -(1 << 25) + 1, (1 << 25) - 1, 2) && f(3) == errc::ok;
}
static_assert(call_edges());

// R_ARM_THM_CALL: BL (odd) [-2^24, 2^24 - 2] + T; BLX (even) offset rounded up to 4.
// Bit 0 is the target's state, so no value is misaligned.
constexpr bool thm_call_edges() {
  auto f = [](std::int64_t v) { return check<h::R_ARM_THM_CALL>(v); };
  return edges(f, -(1 << 24) + 1, (1 << 24) - 1, 2) &&         // BL
         edges(f, -(1 << 24), (1 << 24) - 4, 4) &&             // BLX
         f((1 << 24) - 2) == errc::relocation_overflow;          // BLX: rounds up to 2^24
}
static_assert(thm_call_edges());

// Thumb B.W, B<cond>.W, B, B<cond>: the Thumb bit is not part of the offset.
template <class H>
constexpr bool thumb_jump_edges(unsigned bits) {
  auto f = [](std::int64_t v) { return check<H>(v); };
  std::int64_t const lim = std::int64_t{1} << (bits - 1);
  return edges(f, -lim, lim - 2, 2) && edges(f, -lim + 1, lim - 1, 2);
}
constexpr bool thm_jump24_edges() { return thumb_jump_edges<h::R_ARM_THM_JUMP24>(25); }
constexpr bool thm_jump19_edges() { return thumb_jump_edges<h::R_ARM_THM_JUMP19>(21); }
constexpr bool thm_jump11_edges() { return thumb_jump_edges<h::R_ARM_THM_JUMP11>(12); }
constexpr bool thm_jump8_edges() { return thumb_jump_edges<h::R_ARM_THM_JUMP8>(9); }
static_assert(thm_jump24_edges());
static_assert(thm_jump19_edges());
static_assert(thm_jump11_edges());
static_assert(thm_jump8_edges());

// Data and PC-relative loads.
constexpr bool data_edges() {
  auto abs16 = [](std::int64_t v) { return check<h::R_ARM_ABS16>(v); };
  auto abs8 = [](std::int64_t v) { return check<h::R_ARM_ABS8>(v); };
  auto prel31 = [](std::int64_t v) { return check<h::R_ARM_PREL31>(v); };
  return edges(abs16, -(1 << 15), (1 << 16) - 1, 1) && edges(abs8, -(1 << 7), (1 << 8) - 1, 1) &&
         edges(prel31, -(1 << 30), (1 << 30) - 1, 1);
}
static_assert(data_edges());

constexpr bool pc_load_edges() {
  auto pc8 = [](std::int64_t v) { return check<h::R_ARM_THM_PC8>(v); };
  auto pc12 = [](std::int64_t v) { return check<h::R_ARM_THM_PC12>(v); };
  auto alu = [](std::int64_t v) { return check<h::R_ARM_THM_ALU_PREL_11_0>(v); };
  return edges(pc8, 0, 1020, 4) && pc8(2) == errc::misaligned_relocation && pc8(1019) == errc::misaligned_relocation &&
         edges(pc12, -4095, 4095, 1) && edges(alu, -4095, 4095, 1);
}
static_assert(pc_load_edges());

// Full-width fields take any value.
constexpr bool wide_fields_unchecked() {
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{0x7fffffff}, std::int64_t{0xffffffff}})
    if (check<h::R_ARM_ABS32>(v) != errc::ok || check<h::R_ARM_REL32>(v) != errc::ok ||
        check<h::R_ARM_MOVT_ABS>(v) != errc::ok || check<h::R_ARM_THM_MOVW_PREL_NC>(v) != errc::ok ||
        check<h::R_ARM_GOT_PREL>(v) != errc::ok)
      return false;
  return true;
}
static_assert(wide_fields_unchecked());

// ---- REL addends: read_addend is the inverse of write ---------------------------------------
// Write v into a template instruction, read the addend back: the field's value.
template <class H, std::endian O>
constexpr std::int64_t round_trip(std::array<std::byte, 4> insn, std::uint64_t v) {
  H::template write<O>(insn.data(), v);
  return H::template read_addend<O>(insn.data());
}
template <std::endian O>
constexpr bool round_trips() {
  constexpr std::array<std::byte, 4> bl_arm = O == le ? std::array{std::byte{0xfe}, std::byte{0xff}, std::byte{0xff}, std::byte{0xeb}}
                                                      : std::array{std::byte{0xeb}, std::byte{0xff}, std::byte{0xff}, std::byte{0xfe}};
  // Thumb BL f7ff fffe as two halfwords in order O.
  constexpr std::array<std::byte, 4> bl_thumb = O == le ? std::array{std::byte{0xff}, std::byte{0xf7}, std::byte{0xfe}, std::byte{0xff}}
                                                        : std::array{std::byte{0xf7}, std::byte{0xff}, std::byte{0xff}, std::byte{0xfe}};
  constexpr std::array<std::byte, 4> zero{};
  bool ok = true;
  for (std::int64_t v : {std::int64_t{-(1 << 25)}, std::int64_t{-8}, std::int64_t{0}, std::int64_t{0x1234}, std::int64_t{(1 << 25) - 4}}) {
    auto const u = static_cast<std::uint64_t>(v);
    ok = ok && round_trip<h::R_ARM_PC24, O>(bl_arm, u) == v && round_trip<h::R_ARM_JUMP24, O>(bl_arm, u) == v &&
         round_trip<h::R_ARM_PLT32, O>(bl_arm, u) == v && round_trip<h::R_ARM_CALL, O>(bl_arm, u) == v &&
         round_trip<h::R_ARM_CALL, O>(bl_arm, u + 3) == v + 2; // BLX: imm24:H, T dropped
  }
  for (std::int64_t v : {std::int64_t{-(1 << 24)}, std::int64_t{-4}, std::int64_t{0x2468}, std::int64_t{(1 << 24) - 8}}) {
    auto const u = static_cast<std::uint64_t>(v);
    ok = ok && round_trip<h::R_ARM_THM_CALL, O>(bl_thumb, u + 1) == v &&        // BL
         round_trip<h::R_ARM_THM_CALL, O>(bl_thumb, u) == v &&                   // BLX, 4-aligned
         round_trip<h::R_ARM_THM_CALL, O>(bl_thumb, u + 2) == v + 4 &&          // BLX, rounded up
         round_trip<h::R_ARM_THM_JUMP24, O>(bl_thumb, u + 1) == v &&
         round_trip<h::R_ARM_THM_JUMP24, O>(bl_thumb, u + 2) == v + 2;
  }
  for (std::int64_t v : {std::int64_t{-(1 << 20)}, std::int64_t{-4}, std::int64_t{0x4a}, std::int64_t{(1 << 20) - 2}})
    ok = ok && round_trip<h::R_ARM_THM_JUMP19, O>(bl_thumb, static_cast<std::uint64_t>(v)) == v;
  for (std::int64_t v : {std::int64_t{-2048}, std::int64_t{-4}, std::int64_t{2046}})
    ok = ok && round_trip<h::R_ARM_THM_JUMP11, O>(zero, static_cast<std::uint64_t>(v)) == v;
  for (std::int64_t v : {std::int64_t{-256}, std::int64_t{-4}, std::int64_t{254}})
    ok = ok && round_trip<h::R_ARM_THM_JUMP8, O>(zero, static_cast<std::uint64_t>(v)) == v;
  for (std::int64_t v : {std::int64_t{-32768}, std::int64_t{-1}, std::int64_t{0x7fff}}) {
    auto const lo = static_cast<std::uint64_t>(v) & 0xffff, hi = lo << 16;
    ok = ok && round_trip<h::R_ARM_MOVW_ABS_NC, O>(zero, lo | 0xabcd0000) == v &&
         round_trip<h::R_ARM_MOVT_ABS, O>(zero, hi | 0x1234) == v && round_trip<h::R_ARM_MOVW_PREL_NC, O>(zero, lo) == v &&
         round_trip<h::R_ARM_MOVT_PREL, O>(zero, hi) == v && round_trip<h::R_ARM_THM_MOVW_ABS_NC, O>(zero, lo | 0x50000) == v &&
         round_trip<h::R_ARM_THM_MOVT_ABS, O>(zero, hi | 0xffff) == v &&
         round_trip<h::R_ARM_THM_MOVW_PREL_NC, O>(zero, lo) == v && round_trip<h::R_ARM_THM_MOVT_PREL, O>(zero, hi) == v;
  }
  for (std::int64_t v = -4; v <= 1016; v += 4) // THM_PC8: the addend interval of ((imm8:00 + 4) & 0x3ff) - 4
    ok = ok && round_trip<h::R_ARM_THM_PC8, O>(zero, static_cast<std::uint64_t>(v)) == v;
  for (std::int64_t v : {std::int64_t{-4095}, std::int64_t{-4}, std::int64_t{0}, std::int64_t{0x801}, std::int64_t{4095}})
    ok = ok && round_trip<h::R_ARM_THM_PC12, O>(zero, static_cast<std::uint64_t>(v)) == v &&
         round_trip<h::R_ARM_THM_ALU_PREL_11_0, O>(zero, static_cast<std::uint64_t>(v)) == v;
  for (std::int64_t v : {std::int64_t{-(1 << 30)}, std::int64_t{-1}, std::int64_t{(1 << 30) - 1}})
    ok = ok && round_trip<h::R_ARM_PREL31, O>(zero, static_cast<std::uint64_t>(v)) == v;
  for (std::int64_t v : {std::int64_t{INT32_MIN}, std::int64_t{-1}, std::int64_t{INT32_MAX}})
    ok = ok && round_trip<h::R_ARM_ABS32, O>(zero, static_cast<std::uint64_t>(v)) == v &&
         round_trip<h::R_ARM_REL32, O>(zero, static_cast<std::uint64_t>(v)) == v &&
         round_trip<h::R_ARM_TARGET1, O>(zero, static_cast<std::uint64_t>(v)) == v &&
         round_trip<h::R_ARM_TARGET2, O>(zero, static_cast<std::uint64_t>(v)) == v &&
         round_trip<h::R_ARM_GOTOFF32, O>(zero, static_cast<std::uint64_t>(v)) == v &&
         round_trip<h::R_ARM_BASE_PREL, O>(zero, static_cast<std::uint64_t>(v)) == v &&
         round_trip<h::R_ARM_GOT_BREL, O>(zero, static_cast<std::uint64_t>(v)) == v &&
         round_trip<h::R_ARM_GOT_PREL, O>(zero, static_cast<std::uint64_t>(v)) == v;
  ok = ok && round_trip<h::R_ARM_ABS16, O>(zero, 0xffff) == -1 && round_trip<h::R_ARM_ABS16, O>(zero, 0x7fff) == 0x7fff &&
       round_trip<h::R_ARM_ABS8, O>(zero, 0x80) == -128 && round_trip<h::R_ARM_ABS8, O>(zero, 0x7f) == 127;
  return ok;
}
static_assert(round_trips<le>());
static_assert(round_trips<be>());

// Writes keep the bits that are not the field: the condition of B<cond>, bit 31 of PREL31,
// the destination register of MOVW/ADR/LDR.
constexpr bool writes_keep_other_bits() {
  auto beq = bytes(0xfe, 0xff, 0xff, 0x0a); // beq . (cond 0000)
  h::R_ARM_JUMP24::write<le>(beq.data(), 0x100);
  auto prel = bytes(0x00, 0x00, 0x00, 0x80);
  h::R_ARM_PREL31::write<le>(prel.data(), 0xffffffff);
  auto movw = bytes(0x40, 0xf2, 0x00, 0x0b); // movw r11, #0
  h::R_ARM_THM_MOVW_ABS_NC::write<le>(movw.data(), 0xffff);
  auto ldr = bytes(0xdf, 0xf8, 0x00, 0x90); // ldr.w r9, [pc, #0]
  h::R_ARM_THM_PC12::write<le>(ldr.data(), static_cast<std::uint64_t>(-8));
  return beq == bytes(0x40, 0x00, 0x00, 0x0a) && prel == bytes(0xff, 0xff, 0xff, 0xff) &&
         movw == bytes(0x4f, 0xf6, 0xff, 0x7b) && ldr == bytes(0x5f, 0xf8, 0x08, 0x90);
}
static_assert(writes_keep_other_bits());

// ---- Values per kind --------------------------------------------------------------------------
constexpr bool value_kinds() {
  auto got = vals(0x2000'0000, 4, 0x1000);
  got.G = 0x3000'0010;
  got.GOT = 0x3000'0000;
  auto fn = vals(0x8001, 0, 0x1002, extload::elf::STT_FUNC);
  return xa::evaluate<h::R_ARM_ABS32>(vals(0x8001, 4, 0x1000)) == 0x8005 &&           // T kept
         xa::evaluate<h::R_ARM_ABS16>(fn) == 0x8000 &&                                // T dropped
         xa::evaluate<h::R_ARM_ABS16>(vals(0x8001, 0, 0)) == 0x8001 &&                // not STT_FUNC: as is
         xa::evaluate<h::R_ARM_REL32>(vals(0x8001, 0, 0x1000)) == 0x7001 &&
         xa::evaluate<h::R_ARM_GOT_BREL>(got) == 0x14 && xa::evaluate<h::R_ARM_GOT_PREL>(got) == 0x3000'0010 + 4 - 0x1000 &&
         xa::evaluate<h::R_ARM_GOTOFF32>(got) == static_cast<std::uint64_t>(-0x0fff'fffc) &&
         xa::evaluate<h::R_ARM_BASE_PREL>(got) == 0x3000'0004 - 0x1000 &&
         xa::evaluate<xa::arm_howto::R_ARM_TARGET2_GOT_PREL>(got) == 0x3000'0010 + 4 - 0x1000 &&
         xa::evaluate<h::R_ARM_TARGET2>(got) == 0x2000'0004 - 0x1000 &&
         // Thumb loads use Align(P, 4) and drop T of a function; ADR keeps it.
         xa::evaluate<h::R_ARM_THM_PC12>(fn) == 0x7000 && xa::evaluate<h::R_ARM_THM_PC8>(fn) == 0x7000 &&
         xa::evaluate<h::R_ARM_THM_ALU_PREL_11_0>(fn) == 0x7001;
}
static_assert(value_kinds());

// ---- Interworking ------------------------------------------------------------------------------
// ARM BL to a Thumb target becomes BLX with H; Thumb BL to an ARM target becomes BLX with an
// offset from Align(PC, 4); a BLX in the object to an ARM target becomes BL.
constexpr bool interworking() {
  auto arm_bl = bytes(0xfe, 0xff, 0xff, 0xeb);
  auto arm_blx = bytes(0xfe, 0xff, 0xff, 0xfa);
  auto thumb_bl = bytes(0xff, 0xf7, 0xfe, 0xff);
  auto thumb_bl2 = thumb_bl;
  // ARM at 0x1000 calls Thumb 0x2003 (|1): offset 0x2002 - 0x1008 = 0xffa = imm24 0x3fe, H = 1.
  bool const a = link_one<A, le>(T::R_ARM_CALL, arm_bl.data(), vals(0x2003, 0, 0x1000)) == errc::ok &&
                 arm_bl == bytes(0xfe, 0x03, 0x00, 0xfb);
  // ARM BLX (in the object) to ARM 0x2000: BL, offset 0x2000 - 0x1008 = 0xff8.
  bool const b = link_one<A, le>(T::R_ARM_CALL, arm_blx.data(), vals(0x2000, 0, 0x1000)) == errc::ok &&
                 arm_blx == bytes(0xfe, 0x03, 0x00, 0xeb);
  // Thumb at 0x1002 calls ARM 0x2000: BLX, offset 0x2000 - Align(0x1006, 4) = 0xffc.
  bool const c = link_one<A, le>(T::R_ARM_THM_CALL, thumb_bl.data(), vals(0x2000, 0, 0x1002)) == errc::ok &&
                 thumb_bl == bytes(0x00, 0xf0, 0xfe, 0xef);
  // Thumb at 0x1002 calls Thumb 0x2001: BL, offset 0x2000 - 0x1006 = 0xffa.
  bool const d = link_one<A, le>(T::R_ARM_THM_CALL, thumb_bl2.data(), vals(0x2001, 0, 0x1002)) == errc::ok &&
                 thumb_bl2 == bytes(0x00, 0xf0, 0xfd, 0xff);
  // ARM B to a Thumb function: no instruction does that.
  auto arm_b = bytes(0xfe, 0xff, 0xff, 0xea);
  bool const e = link_one<A, le>(T::R_ARM_JUMP24, arm_b.data(), vals(0x2001, 0, 0x1000)) == errc::unsupported_relocation &&
                 arm_b == bytes(0xfe, 0xff, 0xff, 0xea);
  return a && b && c && d && e;
}
static_assert(interworking());

// M-profile (arch::arm_m): no ARM state, no BLX: Thumb BL stays BL even to an even address
// (what arm-none-eabi-ld writes for Cortex-M objects), with the A-profile ranges.
constexpr bool m_profile_always_bl() {
  auto bl = bytes(0xff, 0xf7, 0xfe, 0xff);
  bool const even = link_one<xa::arm_m, le>(T::R_ARM_THM_CALL, bl.data(), vals(0x2000, 0, 0x1002)) == errc::ok &&
                    bl == bytes(0x00, 0xf0, 0xfd, 0xff); // BL, offset 0x2000 - 0x1006 = 0xffa
  auto bl2 = bytes(0xff, 0xf7, 0xfe, 0xff);
  bool const odd = link_one<xa::arm_m, le>(T::R_ARM_THM_CALL, bl2.data(), vals(0x2001, 0, 0x1002)) == errc::ok && bl2 == bl;
  auto f = [](std::int64_t v) { return check<h::R_ARM_THM_CALL_M>(v); };
  return even && odd && edges(f, -(1 << 24), (1 << 24) - 2, 2) && xa::arm_m::type_count == A::type_count;
}
static_assert(m_profile_always_bl());

// ---- Veneer -----------------------------------------------------------------------------------
// Execute the veneer's Thumb entry the way a Cortex-M0 does: push {r0, r1}; ldr r0,
// [Align(PC, 4) + 4]; str r0, [sp, #4]; pop {r0, pc}: the new PC is the literal, whose bit 0
// selects the state.
template <std::endian O, std::size_t N>
constexpr std::uint64_t run_veneer(std::array<std::byte, N> const& v, std::uint64_t at) {
  if (extload::load_at<std::uint16_t, O>(v.data()) != 0xb403) return 0;          // push {r0, r1}
  std::uint16_t const ldr = extload::load_at<std::uint16_t, O>(v.data() + 2);
  if ((ldr & 0xff00) != 0x4800) return 0;                                         // ldr r0, [pc, #imm8:00]
  std::uint64_t const literal = ((at + 2 + 4) & ~std::uint64_t{3}) + (ldr & 0xffu) * 4u;
  if (extload::load_at<std::uint16_t, O>(v.data() + 4) != 0x9001) return 0;      // str r0, [sp, #4]
  if (extload::load_at<std::uint16_t, O>(v.data() + 6) != 0xbd01) return 0;      // pop {r0, pc}
  if (literal - at != 8) return 0;
  return extload::load_at<std::uint32_t, O>(v.data() + 8);
}
// Execute the ARM-state entry at `at + entry`: ldr pc, [pc, #+-imm12] with PC = entry + 8.
template <std::endian O>
constexpr std::uint64_t run_arm_entry(std::array<std::byte, 16> const& v, std::uint64_t at, std::uint64_t entry) {
  std::uint32_t const insn = extload::load_at<std::uint32_t, O>(v.data() + entry);
  if ((insn & 0xff7ff000u) != 0xe51ff000u) return 0; // ldr pc, [pc, #+-imm12], always
  std::uint64_t const pc = at + entry + 8;
  std::uint64_t const literal = (insn & 0x00800000u) != 0 ? pc + (insn & 0xfffu) : pc - (insn & 0xfffu);
  if (literal < at || literal + 4 > at + v.size()) return 0;
  return extload::load_at<std::uint32_t, O>(v.data() + (literal - at));
}
template <class Set>
concept has_second_entry = requires { Set::veneer_second_entry; };
template <std::endian O>
constexpr bool veneer_reaches_target() {
  // M-profile: the Thumb sequence alone.
  using M = xa::arm_m;
  static_assert(M::veneer_size == 12 && M::veneer_align == 4 && M::veneer_address_tag == 1);
  static_assert(!has_second_entry<M>);
  std::array<std::byte, 12> m{};
  M::write_veneer<O>(m.data(), 0x2000'0000, 0x0800'1235);
  // Bytes as arm-none-eabi-as assembles the sequence (objdump -s: 03b40148 019001bd little-endian).
  bool const m_bytes = O == le ? m == bytes(0x03, 0xb4, 0x01, 0x48, 0x01, 0x90, 0x01, 0xbd, 0x35, 0x12, 0x00, 0x08)
                               : m == bytes(0xb4, 0x03, 0x48, 0x01, 0x90, 0x01, 0xbd, 0x01, 0x08, 0x00, 0x12, 0x35);
  // A-profile: the same, then the ARM-state entry (`ldr pc, [pc, #-12]`: e51ff00c).
  static_assert(A::veneer_size == 16 && A::veneer_align == 4 && A::veneer_address_tag == 1 && A::veneer_second_entry == 12);
  std::array<std::byte, 16> a{};
  A::write_veneer<O>(a.data(), 0x2000'0000, 0x0800'1235);
  bool const a_bytes = O == le ? a == bytes(0x03, 0xb4, 0x01, 0x48, 0x01, 0x90, 0x01, 0xbd, 0x35, 0x12, 0x00, 0x08, 0x0c, 0xf0, 0x1f, 0xe5)
                               : a == bytes(0xb4, 0x03, 0x48, 0x01, 0x90, 0x01, 0xbd, 0x01, 0x08, 0x00, 0x12, 0x35, 0xe5, 0x1f, 0xf0, 0x0c);
  return m_bytes && a_bytes && run_veneer<O>(m, 0x2000'0000) == 0x0800'1235 && run_veneer<O>(a, 0x2000'0000) == 0x0800'1235 &&
         run_arm_entry<O>(a, 0x2000'0000, A::veneer_second_entry) == 0x0800'1235;
}
static_assert(veneer_reaches_target<le>());
static_assert(veneer_reaches_target<be>());

// ARM-state B (JUMP24, PC24, PLT32) cannot change state: a Thumb target is refused by the
// howto, and the loader sends the branch to the veneer's ARM-state entry (even address), which
// the howto accepts.
constexpr bool arm_jump_to_second_entry() {
  constexpr std::uint64_t P = 0x2000'0000, entry = 0x2000'4000 + A::veneer_second_entry;
  static_assert(h::R_ARM_JUMP24::second_veneer_entry && h::R_ARM_PC24::second_veneer_entry && h::R_ARM_PLT32::second_veneer_entry);
  auto b = bytes(0xfe, 0xff, 0xff, 0xea); // b .
  auto c = b;
  bool const thumb_refused = link_one<A, le>(T::R_ARM_JUMP24, c.data(), vals(0x2000'1001, 0, P)) == errc::unsupported_relocation && c == b;
  bool const far_refused = link_one<A, le>(T::R_ARM_JUMP24, c.data(), vals(P + 0x0400'0000, 0, P)) == errc::relocation_overflow;
  bool const to_entry = link_one<A, le>(T::R_ARM_JUMP24, c.data(), vals(entry, 0, P)) == errc::ok &&
                        extload::load_at<std::uint32_t, le>(c.data()) == (0xea000000u | ((0x400cu - 8u) >> 2)); // A = -8 (b .)
  return thumb_refused && far_refused && to_entry;
}
static_assert(arm_jump_to_second_entry());

// A call or jump to an undefined weak function becomes a no-op, as GNU ld writes it: ARM
// `mov r0, r0` under the branch's condition (BLX, unconditional, gives "always"), Thumb
// `b.n .+4; nop` (0xe000 0xbf00).
template <std::endian O>
constexpr bool weak_calls_become_nops() {
  auto bleq = O == le ? bytes(0xfe, 0xff, 0xff, 0x0b) : bytes(0x0b, 0xff, 0xff, 0xfe); // bleq .
  auto blx = O == le ? bytes(0xfe, 0xff, 0xff, 0xfa) : bytes(0xfa, 0xff, 0xff, 0xfe);  // blx .
  auto b = O == le ? bytes(0xfe, 0xff, 0xff, 0xea) : bytes(0xea, 0xff, 0xff, 0xfe);    // b .
  h::R_ARM_CALL::write_weak_nop<O>(bleq.data());
  h::R_ARM_CALL::write_weak_nop<O>(blx.data());
  h::R_ARM_JUMP24::write_weak_nop<O>(b.data());
  bool const arm = extload::load_at<std::uint32_t, O>(bleq.data()) == 0x01a00000u &&
                   extload::load_at<std::uint32_t, O>(blx.data()) == 0xe1a00000u &&
                   extload::load_at<std::uint32_t, O>(b.data()) == 0xe1a00000u;
  auto bl = bytes(0, 0, 0, 0);
  auto bw = bytes(0, 0, 0, 0);
  auto blm = bytes(0, 0, 0, 0);
  h::R_ARM_THM_CALL::write_weak_nop<O>(bl.data());
  h::R_ARM_THM_JUMP24::write_weak_nop<O>(bw.data());
  h::R_ARM_THM_CALL_M::write_weak_nop<O>(blm.data());
  auto const thumb_nop = [](auto const& v) {
    return extload::load_at<std::uint16_t, O>(v.data()) == 0xe000 && extload::load_at<std::uint16_t, O>(v.data() + 2) == 0xbf00;
  };
  return arm && thumb_nop(bl) && thumb_nop(bw) && thumb_nop(blm);
}
static_assert(weak_calls_become_nops<le>());
static_assert(weak_calls_become_nops<be>());

// A call beyond the direct range goes through the veneer: the direct value overflows, the value
// with S = veneer | 1 fits, and the BL lands on the veneer (as BL from Thumb, BLX from ARM).
constexpr bool call_through_veneer() {
  constexpr std::uint64_t P = 0x2000'0000, far = 0x0800'0001, veneer = 0x2000'4000 | A::veneer_address_tag;
  auto thumb_bl = bytes(0xff, 0xf7, 0xfe, 0xff);
  auto arm_bl = bytes(0xfe, 0xff, 0xff, 0xeb);
  auto t = thumb_bl;
  bool const far_thumb = link_one<A, le>(T::R_ARM_THM_CALL, t.data(), vals(far, 0, P)) == errc::relocation_overflow && t == thumb_bl;
  bool const via_thumb = link_one<A, le>(T::R_ARM_THM_CALL, t.data(), vals(veneer, 0, P)) == errc::ok &&
                         h::R_ARM_THM_CALL::read_addend<le>(t.data()) == 0x4000 - 4 &&
                         (extload::load_at<std::uint16_t, le>(t.data() + 2) & 0x1000) != 0; // BL
  auto a = arm_bl;
  bool const far_arm = link_one<A, le>(T::R_ARM_CALL, a.data(), vals(0x0000'1000, 0, P + 0x4000000)) == errc::relocation_overflow;
  bool const via_arm = link_one<A, le>(T::R_ARM_CALL, a.data(), vals(veneer, 0, P)) == errc::ok &&
                       (extload::load_at<std::uint32_t, le>(a.data()) & 0xfe000000u) == 0xfa000000u; // BLX
  // Targets just beyond the Thumb-2 (+-16 MiB) and ARM (+-32 MiB) reach.
  auto t2 = thumb_bl;
  bool const edge = link_one<A, le>(T::R_ARM_THM_CALL, t2.data(), vals(P + 4 + (1 << 24) + 1, 0, P)) == errc::relocation_overflow &&
                    link_one<A, le>(T::R_ARM_THM_CALL, t2.data(), vals(P + 4 + (1 << 24) - 2 + 1, 0, P)) == errc::ok;
  return far_thumb && via_thumb && far_arm && via_arm && edge;
}
static_assert(call_through_veneer());

// ---- TLS, unknown types, names, narrowing ----------------------------------------------------
constexpr bool tls_rejected_by_name() {
  constexpr std::uint32_t tls[] = {T::R_ARM_TLS_DTPMOD32, T::R_ARM_TLS_DTPOFF32, T::R_ARM_TLS_TPOFF32,
                                   T::R_ARM_TLS_GOTDESC,  T::R_ARM_TLS_CALL,     T::R_ARM_TLS_DESCSEQ,
                                   T::R_ARM_THM_TLS_CALL, T::R_ARM_TLS_GD32,     T::R_ARM_TLS_LDM32,
                                   T::R_ARM_TLS_LDO32,    T::R_ARM_TLS_IE32,     T::R_ARM_TLS_LE32,
                                   T::R_ARM_TLS_LDO12,    T::R_ARM_TLS_LE12,     T::R_ARM_TLS_IE12GP,
                                   T::R_ARM_THM_TLS_DESCSEQ16, T::R_ARM_THM_TLS_DESCSEQ32};
  for (auto t : tls) {
    auto place = filled<4>();
    if (!A::handles(t) || A::name_of(t) == nullptr || A::kind_of(t) != xa::expr::tls) return false;
    if (link_one<A, le>(t, place.data(), vals(0x1000, 0, 0x2000)) != errc::unsupported_relocation) return false;
    if (place != filled<4>()) return false;
  }
  return std::string_view{A::name_of(T::R_ARM_TLS_IE32)} == "R_ARM_TLS_IE32";
}
static_assert(tls_rejected_by_name());

constexpr bool none_and_v4bx_write_nothing() {
  auto place = filled<4>();
  return link_one<A, le>(T::R_ARM_NONE, place.data(), vals(0x1234, 0, 6)) == errc::ok &&
         link_one<A, le>(T::R_ARM_V4BX, place.data(), vals(0x1234, 0, 6)) == errc::ok && place == filled<4>();
}
static_assert(none_and_v4bx_write_nothing());

constexpr bool dynamic_types_unknown() {
  for (std::uint32_t t : {std::uint32_t{T::R_ARM_COPY}, std::uint32_t{T::R_ARM_GLOB_DAT}, std::uint32_t{T::R_ARM_JUMP_SLOT},
                          std::uint32_t{T::R_ARM_RELATIVE}, std::uint32_t{T::R_ARM_IRELATIVE}, std::uint32_t{T::R_ARM_TLS_DESC},
                          std::uint32_t{4}, std::uint32_t{255}})
    if (A::handles(t) || A::name_of(t) != nullptr) return false;
  return true;
}
static_assert(dynamic_types_unknown());

// Every type issue 4 lists, by its psABI name; the two platform sets differ only in TARGET2.
constexpr bool names_and_sets() {
  constexpr std::uint32_t listed[] = {
      T::R_ARM_NONE, T::R_ARM_ABS32, T::R_ARM_REL32, T::R_ARM_ABS16, T::R_ARM_ABS8, T::R_ARM_PC24, T::R_ARM_CALL,
      T::R_ARM_JUMP24, T::R_ARM_PREL31, T::R_ARM_TARGET1, T::R_ARM_TARGET2, T::R_ARM_V4BX, T::R_ARM_MOVW_ABS_NC,
      T::R_ARM_MOVT_ABS, T::R_ARM_MOVW_PREL_NC, T::R_ARM_MOVT_PREL, T::R_ARM_THM_CALL, T::R_ARM_THM_JUMP24,
      T::R_ARM_THM_JUMP19, T::R_ARM_THM_JUMP11, T::R_ARM_THM_JUMP8, T::R_ARM_THM_PC8, T::R_ARM_THM_PC12,
      T::R_ARM_THM_ALU_PREL_11_0, T::R_ARM_THM_MOVW_ABS_NC, T::R_ARM_THM_MOVT_ABS, T::R_ARM_THM_MOVW_PREL_NC,
      T::R_ARM_THM_MOVT_PREL, T::R_ARM_GOT_BREL, T::R_ARM_GOT_PREL, T::R_ARM_GOTOFF32, T::R_ARM_BASE_PREL};
  for (auto t : listed)
    if (!A::handles(t) || !xa::arm_linux::handles(t) || A::kind_of(t) == xa::expr::tls) return false;
  return std::string_view{A::name_of(T::R_ARM_THM_ALU_PREL_11_0)} == "R_ARM_THM_ALU_PREL_11_0" &&
         std::string_view{xa::arm_linux::name_of(T::R_ARM_TARGET2)} == "R_ARM_TARGET2" &&
         A::kind_of(T::R_ARM_TARGET2) == xa::expr::pc && xa::arm_linux::kind_of(T::R_ARM_TARGET2) == xa::expr::got_pc &&
         A::type_count == 50 && A::e_machine == extload::elf::EM_ARM && !A::uses_rela && A::got_entry_size == 4 &&
         std::string_view{A::arch_name} == "ARM";
}
static_assert(names_and_sets());

using thumb_only = xa::narrow<A, T::R_ARM_ABS32, T::R_ARM_THM_CALL, T::R_ARM_THM_JUMP24>;
constexpr bool narrowing() {
  auto place = bytes(0xfe, 0xff, 0xff, 0xeb);
  return thumb_only::type_count == 3 && thumb_only::handles(T::R_ARM_THM_CALL) && !thumb_only::handles(T::R_ARM_CALL) &&
         thumb_only::veneer_address_tag == 1 &&
         link_one<thumb_only, le>(T::R_ARM_CALL, place.data(), vals(0x2000, 0, 0x1000)) == errc::unknown_relocation;
}
static_assert(xa::relocation_set<thumb_only>);
static_assert(narrowing());

} // namespace

TEST_CASE("arm: Thumb-2 encodings equal GNU as + ld, little- and big-endian (BE32) objects") {
  CHECK(thumb_encodings_le());
  CHECK(thumb_encodings_be());
  CHECK(assembler_encodings());
}
TEST_CASE("arm: ARM-state encodings equal GNU as + ld, little- and big-endian objects") {
  CHECK(arm_encodings_le());
  CHECK(arm_encodings_be());
}
TEST_CASE("arm: data words (ABS32/REL32/ABS16/ABS8/TARGET1/TARGET2) equal GNU ld") {
  CHECK(data_le());
  CHECK(data_be());
}
TEST_CASE("arm: ARM B/BL/BLX accept [-2^25, 2^25-4], reject the rest, misaligned and B to Thumb") {
  CHECK(pc24_edges());
  CHECK(jump24_edges());
  CHECK(plt32_edges());
  CHECK(call_edges());
}
TEST_CASE("arm: Thumb BL/BLX/B.W/B<c>.W/B/B<c> range edges") {
  CHECK(thm_call_edges());
  CHECK(thm_jump24_edges());
  CHECK(thm_jump19_edges());
  CHECK(thm_jump11_edges());
  CHECK(thm_jump8_edges());
}
TEST_CASE("arm: data and PC-relative load range edges; full-width fields unchecked") {
  CHECK(data_edges());
  CHECK(pc_load_edges());
  CHECK(wide_fields_unchecked());
}
TEST_CASE("arm: REL addends round-trip through every encoding, both byte orders") {
  CHECK(round_trips<le>());
  CHECK(round_trips<be>());
  CHECK(writes_keep_other_bits());
}
TEST_CASE("arm: values per kind (T bit, GOT forms, Align(P, 4))") { CHECK(value_kinds()); }
TEST_CASE("arm: interworking BL <-> BLX by the target's state; B cannot interwork") {
  CHECK(interworking());
  CHECK(m_profile_always_bl());
}
TEST_CASE("arm: the Thumb veneer (ARMv6-M safe) reaches its target; far calls go through it") {
  CHECK(veneer_reaches_target<le>());
  CHECK(veneer_reaches_target<be>());
  CHECK(call_through_veneer());
  CHECK(arm_jump_to_second_entry());
  CHECK(weak_calls_become_nops<le>());
  CHECK(weak_calls_become_nops<be>());
}
TEST_CASE("arm: TLS rejected by name, NONE/V4BX write nothing, dynamic types unknown") {
  CHECK(tls_rejected_by_name());
  CHECK(none_and_v4bx_write_nothing());
  CHECK(dynamic_types_unknown());
}
TEST_CASE("arm: names, the two TARGET2 platform sets, narrowing") {
  CHECK(names_and_sets());
  CHECK(narrowing());
}
