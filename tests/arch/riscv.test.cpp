// tests/arch/riscv.test.cpp: the RISC-V relocation sets (riscv32, riscv64). Range edges per lld's
// RISCV::relocate (min, max, max + 1, min - 1, misaligned) for both word sizes, the instruction
// fields decoded back with decoders written from the ISA manual's immediate layouts, encodings
// compared with bytes produced by the GNU assembler, the read-modify-write and ULEB128 families,
// HI20/LO12 pairing through the loader (in any order, shared high halves, GOT_HI20, unpaired
// low halves), the veneer decoded as the hart would run it and used for a call beyond ±2 GiB,
// TLS rejected by name, numbers and names, narrowing. Constexpr checks run in static_assert and
// in CHECK (STYLE.md R12).
#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "extload/alloc/prelink.hpp"
#include "extload/arch/riscv.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/export_table.hpp"
#include "support/elf_builder.hpp"

namespace {

namespace xa = extload::arch;
namespace rh = xa::riscv_howto;
namespace el = extload::elf;
using extload::errc;
using R64 = xa::riscv64;
using R32 = xa::riscv32;
using T = xa::riscv_types;
constexpr auto le = std::endian::little;
constexpr auto be = std::endian::big;
constexpr std::byte fill{0xa5}; // what an untouched byte of the place holds

template <unsigned X>
using set_of = std::conditional_t<X == 64, R64, R32>;

template <std::size_t N>
constexpr std::array<std::byte, N> filled() {
  std::array<std::byte, N> a{};
  for (auto& b : a) b = fill;
  return a;
}

constexpr std::uint32_t rd32(std::byte const* p) { return extload::load_at<std::uint32_t, le>(p); }
constexpr std::uint16_t rd16(std::byte const* p) { return extload::load_at<std::uint16_t, le>(p); }
constexpr void wr32(std::byte* p, std::uint32_t v) { extload::store_at<std::uint32_t, le>(p, v); }
constexpr void wr16(std::byte* p, std::uint16_t v) { extload::store_at<std::uint16_t, le>(p, v); }

// The whole relocation, found by type number the way the loader finds it.
template <class Set, std::endian O = le>
constexpr errc apply_by_type(std::uint32_t type, std::byte* place, xa::values const& v, std::uint64_t room = 16) {
  return Set::dispatch(type, errc::unknown_relocation, [&](auto howto) {
    using H = typename decltype(howto)::type;
    return xa::check_and_write<H, O>(place, xa::evaluate<H>(v), room);
  });
}

// ---- Decoders, from the ISA manual's immediate layouts (independent of the encoders) ---------
constexpr std::int64_t sext(std::uint64_t v, unsigned n) { return xa::sign_extend(v, n); }
constexpr std::int64_t dec_i(std::uint32_t i) { return sext(i >> 20, 12); }
constexpr std::int64_t dec_s(std::uint32_t i) { return sext(((i >> 25) << 5) | ((i >> 7) & 0x1f), 12); }
constexpr std::int64_t dec_u(std::uint32_t i) { return sext(i & 0xfffff000u, 32); }
constexpr std::int64_t dec_b(std::uint32_t i) {
  return sext(((i >> 31) & 1) << 12 | ((i >> 7) & 1) << 11 | ((i >> 25) & 0x3f) << 5 | ((i >> 8) & 0xf) << 1, 13);
}
constexpr std::int64_t dec_j(std::uint32_t i) {
  return sext(((i >> 31) & 1) << 20 | ((i >> 12) & 0xff) << 12 | ((i >> 20) & 1) << 11 | ((i >> 21) & 0x3ff) << 1, 21);
}
constexpr std::int64_t dec_cb(std::uint16_t h) {
  return sext(std::uint64_t{((h >> 12) & 1u) << 8 | ((h >> 10) & 3u) << 3 | ((h >> 5) & 3u) << 6 | ((h >> 3) & 3u) << 1 |
                            ((h >> 2) & 1u) << 5}, 9);
}
constexpr std::int64_t dec_cj(std::uint16_t h) {
  return sext(std::uint64_t{((h >> 12) & 1u) << 11 | ((h >> 11) & 1u) << 4 | ((h >> 9) & 3u) << 8 | ((h >> 8) & 1u) << 10 |
                            ((h >> 7) & 1u) << 6 | ((h >> 6) & 1u) << 7 | ((h >> 3) & 7u) << 1 | ((h >> 2) & 1u) << 5}, 12);
}

// Base instructions with a zero immediate (riscv64-linux-gnu-as 2.40, `-march=rv64gc`, see the
// encoding table below for how the bytes were obtained), and what each field leaves untouched.
constexpr std::uint32_t beq_a0_a1 = 0x00b50063;  // beq  a0, a1, .
constexpr std::uint32_t jal_ra = 0x000000ef;     // jal  ra, .
constexpr std::uint16_t c_beqz_a0 = 0xc101;      // c.beqz a0, .
constexpr std::uint16_t c_j = 0xa001;            // c.j  .
constexpr std::uint32_t lui_a0 = 0x00000537;     // lui  a0, 0
constexpr std::uint32_t auipc_a0 = 0x00000517;   // auipc a0, 0
constexpr std::uint32_t addi_a0 = 0x00050513;    // addi a0, a0, 0
constexpr std::uint32_t ld_a1 = 0x00053583;      // ld   a1, 0(a0)
constexpr std::uint32_t sw_a1 = 0x00b52023;      // sw   a1, 0(a0)
constexpr std::uint32_t auipc_ra = 0x00000097;   // auipc ra, 0   (call)
constexpr std::uint32_t jalr_ra = 0x000080e7;    // jalr ra, 0(ra)

// What a howto's field holds and how to read it back: (base, decode, kept bits).
template <class H>
constexpr void put_base(std::byte* p) {
  if constexpr (std::is_base_of_v<rh::b_type, H>) wr32(p, beq_a0_a1);
  else if constexpr (std::is_base_of_v<rh::j_type, H>) wr32(p, jal_ra);
  else if constexpr (std::is_base_of_v<rh::cb_type, H>) wr16(p, c_beqz_a0);
  else if constexpr (std::is_base_of_v<rh::cj_type, H>) wr16(p, c_j);
  else if constexpr (std::is_base_of_v<rh::call_pair, H>) { wr32(p, auipc_ra); wr32(p + 4, jalr_ra); }
  else if constexpr (std::is_base_of_v<rh::u_type, H>) wr32(p, H::kind == xa::expr::abs ? lui_a0 : auipc_a0);
  else if constexpr (std::is_base_of_v<rh::i_type, H>) wr32(p, addi_a0);
  else if constexpr (std::is_base_of_v<rh::s_type, H>) wr32(p, sw_a1);
  else for (std::size_t i = 0; i < H::width; ++i) p[i] = std::byte{0};
}
// The value the field now holds; for U-type the high part the hart will add (the rounding
// means a U-type alone does not hold the value: `u + sext(v[11:0])` does).
template <class H>
constexpr std::int64_t decode(std::byte const* p, std::uint64_t v) {
  if constexpr (std::is_base_of_v<rh::b_type, H>) return dec_b(rd32(p));
  else if constexpr (std::is_base_of_v<rh::j_type, H>) return dec_j(rd32(p));
  else if constexpr (std::is_base_of_v<rh::cb_type, H>) return dec_cb(rd16(p));
  else if constexpr (std::is_base_of_v<rh::cj_type, H>) return dec_cj(rd16(p));
  else if constexpr (std::is_base_of_v<rh::call_pair, H>) return dec_u(rd32(p)) + dec_i(rd32(p + 4));
  else if constexpr (std::is_base_of_v<rh::u_type, H>) return dec_u(rd32(p)) + sext(v & 0xfff, 12);
  else return sext(rd32(p), 32); // 32-bit data word
}
// Opcode/register bits must survive the patch.
template <class H>
constexpr bool kept(std::byte const* p) {
  if constexpr (std::is_base_of_v<rh::b_type, H>) return (rd32(p) & 0x01fff07fu) == beq_a0_a1;
  else if constexpr (std::is_base_of_v<rh::j_type, H>) return (rd32(p) & 0xfffu) == jal_ra;
  else if constexpr (std::is_base_of_v<rh::cb_type, H>) return (rd16(p) & 0xe383u) == c_beqz_a0;
  else if constexpr (std::is_base_of_v<rh::cj_type, H>) return (rd16(p) & 0xe003u) == c_j;
  else if constexpr (std::is_base_of_v<rh::call_pair, H>) return (rd32(p) & 0xfffu) == auipc_ra && (rd32(p + 4) & 0xfffffu) == jalr_ra;
  else if constexpr (std::is_base_of_v<rh::u_type, H>) return (rd32(p) & 0xfffu) == (H::kind == xa::expr::abs ? lui_a0 : auipc_a0);
  else return true;
}

// Inputs for which H computes `v` (A is never 0, unused terms hold something else).
template <class H>
constexpr xa::values inputs_for(std::int64_t v) {
  auto const u = static_cast<std::uint64_t>(v);
  xa::values in;
  in.A = 6;
  in.P = 0x2000'1000;
  in.S = 0x3300'0000;
  in.G = 0x3400'0000;
  in.GOT = 0x3500'0000;
  switch (H::kind) {
  case xa::expr::abs: in.S = u - 6; break;
  case xa::expr::pc:
  case xa::expr::branch: in.S = in.P + u - 6; break;
  case xa::expr::got_pc: in.G = in.P + u - 6; break;
  default: break;
  }
  return in;
}

// One boundary row: `v` lands in the field (decoded back exactly, opcode bits kept, nothing
// past the field touched) or is rejected with the place left exactly as it was.
template <unsigned X, template <unsigned> class HT>
constexpr bool row(std::int64_t v, errc expected) {
  using H = HT<X>;
  auto const in = inputs_for<H>(v);
  auto const u = static_cast<std::uint64_t>(v);
  if (xa::evaluate<H>(in) != u) return false;
  auto place = filled<16>();
  put_base<H>(place.data());
  auto const before = place;
  if (apply_by_type<set_of<X>>(H::type, place.data(), in) != expected) return false;
  if (expected != errc::ok) return place == before;
  for (std::size_t i = H::width; i < place.size(); ++i)
    if (place[i] != fill) return false;
  if (!kept<H>(place.data())) return false;
  auto const got = static_cast<std::uint64_t>(decode<H>(place.data(), u));
  // Data words hold 32 bits; RV32 fields hold the value modulo 2^32 (the hart adds modulo 2^32).
  if (H::width == 4 && std::is_base_of_v<rh::w32, H>) return static_cast<std::uint32_t>(got) == static_cast<std::uint32_t>(u);
  if (X == 32) return static_cast<std::uint32_t>(got) == static_cast<std::uint32_t>(u);
  return got == u;
}

// min and max are the extreme values the field accepts; the next representable values beyond
// them (max + align, min - align) overflow. With align 1 those are max + 1 and min - 1.
template <unsigned X, template <unsigned> class HT>
constexpr bool edges(std::int64_t min, std::int64_t max) {
  constexpr auto a = static_cast<std::int64_t>(HT<X>::align);
  return row<X, HT>(min, errc::ok) && row<X, HT>(max, errc::ok) && row<X, HT>(max + a, errc::relocation_overflow) &&
         row<X, HT>(min - a, errc::relocation_overflow) && row<X, HT>(min - 1, errc::relocation_overflow) &&
         row<X, HT>(0, errc::ok);
}
// Alignment 2 (lld checks the range, then the alignment): max + 1 is still inside the N-bit
// range, so it is rejected as misaligned; so are odd values at both ends and next to 0.
template <unsigned X, template <unsigned> class HT>
constexpr bool even_only(std::int64_t min, std::int64_t max) {
  return row<X, HT>(max + 1, errc::misaligned_relocation) && row<X, HT>(max - 1, errc::misaligned_relocation) &&
         row<X, HT>(min + 1, errc::misaligned_relocation) && row<X, HT>(1, errc::misaligned_relocation) &&
         row<X, HT>(-1, errc::misaligned_relocation);
}

constexpr std::int64_t k(int n) { return std::int64_t{1} << n; }

// ---- Control transfers (lld: checkInt 13/21/9/12 + checkAlignment 2), both word sizes --------
template <unsigned X>
constexpr bool branch_edges() {
  return edges<X, rh::R_RISCV_BRANCH>(-k(12), k(12) - 2) && even_only<X, rh::R_RISCV_BRANCH>(-k(12), k(12) - 2);
}
template <unsigned X>
constexpr bool jal_edges() {
  return edges<X, rh::R_RISCV_JAL>(-k(20), k(20) - 2) && even_only<X, rh::R_RISCV_JAL>(-k(20), k(20) - 2);
}
template <unsigned X>
constexpr bool rvc_branch_edges() {
  return edges<X, rh::R_RISCV_RVC_BRANCH>(-k(8), k(8) - 2) && even_only<X, rh::R_RISCV_RVC_BRANCH>(-k(8), k(8) - 2);
}
template <unsigned X>
constexpr bool rvc_jump_edges() {
  return edges<X, rh::R_RISCV_RVC_JUMP>(-k(11), k(11) - 2) && even_only<X, rh::R_RISCV_RVC_JUMP>(-k(11), k(11) - 2);
}
static_assert(branch_edges<64>() && branch_edges<32>());
static_assert(jal_edges<64>() && jal_edges<32>());
static_assert(rvc_branch_edges<64>() && rvc_branch_edges<32>());
static_assert(rvc_jump_edges<64>() && rvc_jump_edges<32>());

// ---- 32-bit splits on RV64: checkInt(SignExtend(v + 0x800) >> 12, 20) -------------------------
constexpr std::int64_t hi_min = -k(31) - 0x800, hi_max = k(31) - 0x800 - 1;
constexpr bool rv64_hi20_edges() {
  return edges<64, rh::R_RISCV_CALL>(hi_min, hi_max) && edges<64, rh::R_RISCV_CALL_PLT>(hi_min, hi_max) &&
         edges<64, rh::R_RISCV_PCREL_HI20>(hi_min, hi_max) && edges<64, rh::R_RISCV_GOT_HI20>(hi_min, hi_max) &&
         edges<64, rh::R_RISCV_HI20>(hi_min, hi_max) &&
         // no alignment rule for the pair (lld checks none): an odd call target is written
         row<64, rh::R_RISCV_CALL_PLT>(0x12345, errc::ok) && row<64, rh::R_RISCV_PCREL_HI20>(-0x7ff, errc::ok);
}
static_assert(rv64_hi20_edges());

// On RV32 the hart adds modulo 2^32: every distance reaches, including across the wrap.
constexpr bool rv32_hi20_reaches_everything() {
  return row<32, rh::R_RISCV_CALL_PLT>(0xffff'f800, errc::ok) && row<32, rh::R_RISCV_CALL_PLT>(0x7fff'f800, errc::ok) &&
         row<32, rh::R_RISCV_CALL_PLT>(hi_max + 1, errc::ok) && row<32, rh::R_RISCV_CALL_PLT>(hi_min - 1, errc::ok) &&
         row<32, rh::R_RISCV_PCREL_HI20>(0x8000'0000, errc::ok) && row<32, rh::R_RISCV_HI20>(0xffff'ffff, errc::ok) &&
         row<32, rh::R_RISCV_GOT_HI20>(-k(31) - 1, errc::ok) && row<32, rh::R_RISCV_HI20>(0x8000'0000, errc::ok);
}
static_assert(rv32_hi20_reaches_everything());

// A jump across the top of the RV32 address space: P = 0xffff'fff0, S = 0x10 is +0x20 for the
// hart although S - P wraps to a huge 64-bit number.
constexpr bool rv32_branch_wraps() {
  xa::values v;
  v.P = 0xffff'fff0;
  v.S = 0x10;
  auto place = filled<4>();
  wr32(place.data(), jal_ra);
  if (apply_by_type<R32>(T::R_RISCV_JAL, place.data(), v) != errc::ok || dec_j(rd32(place.data())) != 0x20) return false;
  // The same distance on RV64 is 4 GiB away: out of range.
  auto p64 = filled<4>();
  wr32(p64.data(), jal_ra);
  return apply_by_type<R64>(T::R_RISCV_JAL, p64.data(), v) == errc::relocation_overflow;
}
static_assert(rv32_branch_wraps());

// ---- 32-bit words ----------------------------------------------------------------------------
constexpr std::int64_t i32_min = -k(31), i32_max = k(31) - 1;
constexpr bool word32_edges() {
  return edges<64, rh::R_RISCV_32_PCREL>(i32_min, i32_max) && edges<64, rh::R_RISCV_PLT32>(i32_min, i32_max) &&
         edges<64, rh::R_RISCV_GOT32_PCREL>(i32_min, i32_max) &&
         // R_RISCV_32 on RV64: a signed or unsigned reading of 32 bits
         row<64, rh::R_RISCV_32>(0xffff'ffff, errc::ok) && row<64, rh::R_RISCV_32>(i32_min, errc::ok) &&
         row<64, rh::R_RISCV_32>(0x1'0000'0000, errc::relocation_overflow) &&
         row<64, rh::R_RISCV_32>(i32_min - 1, errc::relocation_overflow) &&
         // RV32: every value is an address
         row<32, rh::R_RISCV_32>(0xffff'ffff, errc::ok) && row<32, rh::R_RISCV_32_PCREL>(0xffff'ffff, errc::ok) &&
         row<32, rh::R_RISCV_PLT32>(i32_max + 1, errc::ok);
}
static_assert(word32_edges());

constexpr bool unchecked_fields() {
  return R64::checks[R64::index_of(T::R_RISCV_64)].unchecked && R64::checks[R64::index_of(T::R_RISCV_LO12_I)].unchecked &&
         R64::checks[R64::index_of(T::R_RISCV_LO12_S)].unchecked && R64::checks[R64::index_of(T::R_RISCV_ADD32)].unchecked &&
         R32::checks[R32::index_of(T::R_RISCV_HI20)].unchecked && R32::checks[R32::index_of(T::R_RISCV_CALL_PLT)].unchecked &&
         !R64::checks[R64::index_of(T::R_RISCV_HI20)].unchecked;
}
static_assert(unchecked_fields());

// ---- Encodings against the GNU assembler ----------------------------------------------------
// Obtained with riscv64-linux-gnu-as 2.40 (`.option norelax`, -march=rv64gc; `.option rvc` for
// the compressed rows), e.g. `p: beq a0, a1, p + 4094`, then `riscv64-linux-gnu-objdump -d`.
// Each row patches the zero-immediate base with the value and must give the assembler's word.
struct enc_row {
  std::uint32_t type;
  std::int64_t value;
  std::uint32_t base;
  std::uint32_t want;     // the assembled instruction (low halfword for RVC)
  std::uint32_t base2 = 0, want2 = 0; // second instruction of a pair
};
constexpr enc_row assembled[] = {
  {T::R_RISCV_BRANCH, 4094, beq_a0_a1, 0x7eb50fe3},        // beq a0,a1,.+4094
  {T::R_RISCV_BRANCH, -4096, beq_a0_a1, 0x80b50063},       // beq a0,a1,.-4096
  {T::R_RISCV_JAL, 0xffffe, jal_ra, 0x7ffff0ef},           // jal ra,.+0xffffe
  {T::R_RISCV_JAL, -0x100000, jal_ra, 0x800000ef},         // jal ra,.-0x100000
  {T::R_RISCV_RVC_BRANCH, 254, c_beqz_a0, 0xcd7d},         // c.beqz a0,.+254
  {T::R_RISCV_RVC_BRANCH, -256, 0xe381, 0xf381},           // c.bnez a5,.-256 (base: c.bnez a5,.)
  {T::R_RISCV_RVC_JUMP, 2046, c_j, 0xaffd},                // c.j .+2046
  {T::R_RISCV_RVC_JUMP, -2048, c_j, 0xb001},               // c.j .-2048
  {T::R_RISCV_HI20, 0x12345800, lui_a0, 0x12346537},       // lui a0,0x12346 (rounded up: low half -2048)
  {T::R_RISCV_HI20, -0x800, lui_a0, 0x00000537},           // lui a0,0 (v+0x800 = 0)
  {T::R_RISCV_LO12_I, 0x12345800, addi_a0, 0x80050513},    // addi a0,a0,-2048
  {T::R_RISCV_LO12_I, 0x7ff, addi_a0, 0x7ff50513},         // addi a0,a0,2047
  {T::R_RISCV_LO12_I, 0x7ff, ld_a1, 0x7ff53583},           // ld a1,2047(a0)
  {T::R_RISCV_LO12_S, 0x800, sw_a1, 0x80b52023},           // sw a1,-2048(a0)
  {T::R_RISCV_LO12_S, 0x7ff, sw_a1, 0x7eb52fa3},           // sw a1,2047(a0)
  {T::R_RISCV_LO12_S, -1, sw_a1, 0xfeb52fa3},              // sw a1,-1(a0)
  {T::R_RISCV_PCREL_HI20, -0x1000, auipc_a0, 0xfffff517},  // auipc a0,0xfffff
  {T::R_RISCV_CALL_PLT, 0x12345800, auipc_ra, 0x12346097, jalr_ra, 0x800080e7}, // auipc ra,0x12346; jalr -2048(ra)
  {T::R_RISCV_CALL, 0x7ffff7ff, auipc_ra, 0x7ffff097, jalr_ra, 0x7ff080e7},     // auipc ra,0x7ffff; jalr 2047(ra): max
  {T::R_RISCV_CALL, -0x7ffff801, auipc_ra, 0x80000097, jalr_ra, 0x7ff080e7},    // auipc ra,0x80000; jalr 2047(ra)
};

template <class Set, std::endian O>
constexpr bool matches_assembler() {
  for (auto const& r : assembled) {
    auto place = filled<8>();
    bool const rvc = r.type == T::R_RISCV_RVC_BRANCH || r.type == T::R_RISCV_RVC_JUMP;
    if (rvc) wr16(place.data(), static_cast<std::uint16_t>(r.base));
    else wr32(place.data(), r.base);
    if (r.base2 != 0) wr32(place.data() + 4, r.base2);
    xa::values v;
    v.P = 0x1000;
    v.S = 0x1000 + static_cast<std::uint64_t>(r.value); // pc/branch: S - P = value
    if (Set::kind_of(r.type) == xa::expr::abs) v.S = static_cast<std::uint64_t>(r.value);
    // Instructions are little-endian whatever the data byte order (psABI): O must not matter.
    if (apply_by_type<Set, O>(r.type, place.data(), v) != errc::ok) return false;
    if (rvc ? rd16(place.data()) != r.want : rd32(place.data()) != r.want) return false;
    if (r.base2 != 0 && rd32(place.data() + 4) != r.want2) return false;
  }
  return true;
}
static_assert(matches_assembler<R64, le>() && matches_assembler<R32, le>() && matches_assembler<R64, be>());

// ---- PCREL_LO12: the low half of the partner's value, whatever the symbol says ---------------
constexpr bool pcrel_lo12_uses_pair() {
  // The AUIPC at 0x1000 computed S + A - P = 0x12345800 - 0x1000; the LO12 at 0x1008 names the
  // label 0x1000 (its S), but must write the low 12 bits of the partner's value.
  xa::values hi;
  hi.S = 0x12345800;
  hi.P = 0x1000;
  std::uint64_t const pair = xa::evaluate<rh::R_RISCV_PCREL_HI20<64>>(hi);
  xa::values lo;
  lo.S = 0x1000; // the label
  lo.P = 0x1008;
  lo.pair = pair;
  auto i = filled<4>();
  auto s = filled<4>();
  wr32(i.data(), addi_a0);
  wr32(s.data(), sw_a1);
  auto u = filled<4>();
  wr32(u.data(), auipc_a0);
  return apply_by_type<R64>(T::R_RISCV_PCREL_HI20, u.data(), hi) == errc::ok &&
         apply_by_type<R64>(T::R_RISCV_PCREL_LO12_I, i.data(), lo) == errc::ok &&
         apply_by_type<R64>(T::R_RISCV_PCREL_LO12_S, s.data(), lo) == errc::ok &&
         // what the hart computes: P(auipc) + U + I = S
         0x1000 + dec_u(rd32(u.data())) + dec_i(rd32(i.data())) == 0x12345800 &&
         0x1000 + dec_u(rd32(u.data())) + dec_s(rd32(s.data())) == 0x12345800 &&
         R64::pair_of(T::R_RISCV_PCREL_LO12_I) == xa::pair_role::lo && R64::pair_of(T::R_RISCV_PCREL_LO12_S) == xa::pair_role::lo &&
         R64::pair_of(T::R_RISCV_PCREL_HI20) == xa::pair_role::hi && R64::pair_of(T::R_RISCV_GOT_HI20) == xa::pair_role::hi &&
         R64::pair_of(T::R_RISCV_HI20) == xa::pair_role::none && R64::pair_of(T::R_RISCV_LO12_I) == xa::pair_role::none &&
         R64::has_pairs && R32::has_pairs;
}
static_assert(pcrel_lo12_uses_pair());

// ---- Read-modify-write: ADD/SUB/SET, word6 -------------------------------------------------------
template <class Set, std::endian O, class W>
constexpr bool rmw(std::uint32_t type, W initial, std::uint64_t value, W want) {
  auto place = filled<16>();
  extload::store_at<W, O>(place.data(), initial);
  xa::values v;
  v.S = value - 3;
  v.A = 3;
  v.P = 0x5555; // unused by S + A
  if (apply_by_type<Set, O>(type, place.data(), v) != errc::ok) return false;
  for (std::size_t i = sizeof(W); i < place.size(); ++i)
    if (place[i] != fill) return false;
  return extload::load_at<W, O>(place.data()) == want;
}
template <class Set, std::endian O>
constexpr bool add_sub_set() {
  using u8 = std::uint8_t;
  using u16 = std::uint16_t;
  using u32 = std::uint32_t;
  using u64 = std::uint64_t;
  return rmw<Set, O, u8>(T::R_RISCV_ADD8, 0x10, 0x20, 0x30) && rmw<Set, O, u8>(T::R_RISCV_ADD8, 0xff, 2, 0x01) &&
         rmw<Set, O, u16>(T::R_RISCV_ADD16, 0x1234, 0x1111, 0x2345) &&
         rmw<Set, O, u32>(T::R_RISCV_ADD32, 0x8000'0000, 0x8000'0001, 1) &&
         rmw<Set, O, u64>(T::R_RISCV_ADD64, 0x1'0000'0000, 0xffff'ffff, 0x1'ffff'ffff) &&
         rmw<Set, O, u8>(T::R_RISCV_SUB8, 0x10, 0x20, 0xf0) && rmw<Set, O, u16>(T::R_RISCV_SUB16, 0x1234, 0x34, 0x1200) &&
         rmw<Set, O, u32>(T::R_RISCV_SUB32, 0x100, 0x40, 0xc0) &&
         rmw<Set, O, u64>(T::R_RISCV_SUB64, 0, 1, 0xffff'ffff'ffff'ffff) &&
         rmw<Set, O, u8>(T::R_RISCV_SET8, 0x77, 0x1ab, 0xab) && rmw<Set, O, u16>(T::R_RISCV_SET16, 0x7777, 0x1abcd, 0xabcd) &&
         rmw<Set, O, u32>(T::R_RISCV_SET32, 0x7777'7777, 0x1'2345'6789, 0x2345'6789) &&
         // word6: the low 6 bits of DW_CFA_advance_loc (0x40 | delta); the top two bits stay
         rmw<Set, O, u8>(T::R_RISCV_SET6, 0x40, 0x2a, 0x6a) && rmw<Set, O, u8>(T::R_RISCV_SET6, 0xff, 0x41, 0xc1) &&
         rmw<Set, O, u8>(T::R_RISCV_SUB6, 0x6a, 0x0a, 0x60) && rmw<Set, O, u8>(T::R_RISCV_SUB6, 0x41, 0x02, 0x7f);
}
static_assert(add_sub_set<R64, le>() && add_sub_set<R32, le>() && add_sub_set<R64, be>());

// ADD32 + SUB32 at one place compute a label difference (switch tables, .eh_frame).
constexpr bool add_sub_pair() {
  auto place = filled<4>();
  wr32(place.data(), 0);
  xa::values end, start;
  end.S = 0x2000'0140;
  start.S = 0x2000'0100;
  return apply_by_type<R64>(T::R_RISCV_ADD32, place.data(), end) == errc::ok &&
         apply_by_type<R64>(T::R_RISCV_SUB32, place.data(), start) == errc::ok && rd32(place.data()) == 0x40;
}
static_assert(add_sub_pair());

// ---- ULEB128 ------------------------------------------------------------------------------
// SET then SUB at one place (psABI): the difference lands in the assembler's field, whose length
// is kept (continuation bits on all but the last byte).
template <std::size_t N>
constexpr bool uleb_pair(std::array<std::uint8_t, N> field, std::uint64_t end, std::uint64_t start,
                         std::array<std::uint8_t, N> want) {
  auto place = filled<16>();
  for (std::size_t i = 0; i < N; ++i) place[i] = std::byte{field[i]};
  xa::values e, s;
  e.S = end - 1;
  e.A = 1;
  s.S = start;
  if (apply_by_type<R64>(T::R_RISCV_SET_ULEB128, place.data(), e, N) != errc::ok) return false;
  if (apply_by_type<R64>(T::R_RISCV_SUB_ULEB128, place.data(), s, N) != errc::ok) return false;
  for (std::size_t i = 0; i < N; ++i)
    if (place[i] != std::byte{want[i]}) return false;
  for (std::size_t i = N; i < place.size(); ++i)
    if (place[i] != fill) return false;
  return true;
}
constexpr bool uleb_values() {
  return uleb_pair<1>({0x00}, 0x2000'0010, 0x2000'0004, {0x0c}) &&
         uleb_pair<2>({0x80, 0x00}, 0x2000'0010, 0x2000'0004, {0x8c, 0x00}) &&              // padded field stays 2 bytes
         uleb_pair<2>({0xff, 0x7f}, 0x2000'0300, 0x2000'0100, {0x80, 0x04}) &&              // 0x200 = 0x80 0x04
         uleb_pair<3>({0x80, 0x80, 0x00}, 0x8000'0000'4000, 0x8000'0000'0000, {0x80, 0x80, 0x01}) &&
         uleb_pair<10>({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, ~std::uint64_t{0}, 0,
                       {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
}
static_assert(uleb_values());

// A field not terminated within the section (room) is rejected and nothing is written.
constexpr bool uleb_stays_in_room() {
  auto place = filled<16>();
  place[0] = std::byte{0x80};
  place[1] = std::byte{0x80};
  place[2] = std::byte{0x00}; // terminator, but beyond room = 2
  auto const before = place;
  xa::values v;
  v.S = 5;
  return apply_by_type<R64>(T::R_RISCV_SET_ULEB128, place.data(), v, 2) == errc::bad_relocation && place == before &&
         apply_by_type<R64>(T::R_RISCV_SUB_ULEB128, place.data(), v, 2) == errc::bad_relocation && place == before &&
         apply_by_type<R64>(T::R_RISCV_SET_ULEB128, place.data(), v, 3) == errc::ok && place[0] == std::byte{0x85} &&
         place[1] == std::byte{0x80} && place[2] == std::byte{0x00} && place[3] == fill && xa::variable_width<rh::R_RISCV_SET_ULEB128<64>> &&
         !xa::variable_width<rh::R_RISCV_ADD32<64>>;
}
static_assert(uleb_stays_in_room());

// ---- RELAX, ALIGN, NONE: nothing written --------------------------------------------------------
constexpr bool hints_write_nothing() {
  for (std::uint32_t t : {std::uint32_t{T::R_RISCV_RELAX}, std::uint32_t{T::R_RISCV_ALIGN}, std::uint32_t{T::R_RISCV_NONE}}) {
    auto place = filled<16>();
    xa::values v;
    v.S = 0x1234;
    v.A = 6; // ALIGN's addend: the padding size
    v.P = 0x9999'0000'0000;
    if (apply_by_type<R64>(t, place.data(), v) != errc::ok || apply_by_type<R32>(t, place.data(), v) != errc::ok) return false;
    for (auto b : place)
      if (b != fill) return false;
    if (R64::kind_of(t) != xa::expr::none) return false;
  }
  return R64::scan_free[R64::index_of(T::R_RISCV_RELAX)] && R64::scan_free[R64::index_of(T::R_RISCV_ALIGN)];
}
static_assert(hints_write_nothing());

// ---- Veneer ---------------------------------------------------------------------------------
// Run the stub the way the hart does: auipc t1, imm -> t1 = at + imm; l[dw] t1, off(t1) -> the
// word at t1 + off (which must lie inside the stub); jr t1 -> target.
template <unsigned X>
constexpr std::uint64_t run_veneer(std::array<std::byte, 24> const& v, std::uint64_t at) {
  std::uint32_t const i0 = rd32(v.data()), i1 = rd32(v.data() + 4), i2 = rd32(v.data() + 8);
  if ((i0 & 0x7f) != 0x17 || ((i0 >> 7) & 31) != 6) return 0;                                // auipc t1
  std::uint32_t const funct3 = X == 64 ? 3 : 2;                                                // ld / lw
  if ((i1 & 0x7f) != 0x03 || ((i1 >> 7) & 31) != 6 || ((i1 >> 15) & 31) != 6 || ((i1 >> 12) & 7) != funct3) return 0;
  if (i2 != 0x00030067) return 0;                                                              // jalr x0, 0(t1)
  std::uint64_t const t1 = at + static_cast<std::uint64_t>(dec_u(i0));
  std::uint64_t const off = t1 + static_cast<std::uint64_t>(dec_i(i1)) - at;
  if (off + X / 8 > xa::riscv_traits<X>::veneer_size || off % (X / 8) != 0) return 0; // inside, naturally aligned
  return X == 64 ? extload::load_at<std::uint64_t, le>(v.data() + off) : extload::load_at<std::uint32_t, le>(v.data() + off);
}

constexpr bool veneer_bytes() {
  // Assembled by riscv64-linux-gnu-as: auipc t1,0 / ld t1,16(t1) / jr t1 (uncompressed: 00030067)
  // / unimp / lw t1,12(t1).
  std::array<std::byte, 24> v64{}, v32{};
  R64::write_veneer<le>(v64.data(), 0x4000'1000, 0x12'3456'789a'bcde);
  R32::write_veneer<le>(v32.data(), 0x4000'1000, 0x9abc'def0);
  return R64::veneer_size == 24 && R64::veneer_align == 8 && R32::veneer_size == 16 && R32::veneer_align == 4 &&
         rd32(v64.data()) == 0x00000317 && rd32(v64.data() + 4) == 0x01033303 && rd32(v64.data() + 8) == 0x00030067 &&
         rd32(v64.data() + 12) == 0xc0001073 && rd32(v32.data()) == 0x00000317 && rd32(v32.data() + 4) == 0x00c32303 &&
         rd32(v32.data() + 8) == 0x00030067 && run_veneer<64>(v64, 0x4000'1000) == 0x12'3456'789a'bcde &&
         run_veneer<32>(v32, 0x4000'1000) == 0x9abc'def0 && v32[16] == std::byte{0};
}
static_assert(veneer_bytes());

// Big-endian data: the literal follows the data order, the instructions stay little-endian.
constexpr bool veneer_big_endian_literal() {
  std::array<std::byte, 24> v{};
  R64::write_veneer<be>(v.data(), 0, 0x0102'0304'0506'0708);
  return rd32(v.data()) == 0x00000317 && v[16] == std::byte{1} && v[23] == std::byte{8};
}
static_assert(veneer_big_endian_literal());

// A call beyond ±2 GiB overflows; the loader then re-evaluates with S = the veneer, which is
// in reach, and the veneer carries the far target.
constexpr bool call_through_veneer() {
  constexpr std::uint64_t site = 0x4000'0000, stub = 0x4000'2000, far = 0x20'0000'0000;
  xa::values v;
  v.S = far;
  v.P = site;
  auto call = filled<8>();
  wr32(call.data(), auipc_ra);
  wr32(call.data() + 4, jalr_ra);
  auto const before = call;
  if (apply_by_type<R64>(T::R_RISCV_CALL_PLT, call.data(), v) != errc::relocation_overflow || call != before) return false;
  v.S = stub;
  if (apply_by_type<R64>(T::R_RISCV_CALL_PLT, call.data(), v) != errc::ok) return false;
  if (site + static_cast<std::uint64_t>(dec_u(rd32(call.data())) + dec_i(rd32(call.data() + 4))) != stub) return false;
  std::array<std::byte, 24> veneer{};
  R64::write_veneer<le>(veneer.data(), stub, far);
  // JAL too: out of its ±1 MiB, in reach of a nearby veneer.
  auto j = filled<4>();
  wr32(j.data(), jal_ra);
  xa::values jv;
  jv.S = far;
  jv.P = site;
  bool const jal_far = apply_by_type<R64>(T::R_RISCV_JAL, j.data(), jv) == errc::relocation_overflow;
  jv.S = stub;
  return run_veneer<64>(veneer, stub) == far && jal_far && apply_by_type<R64>(T::R_RISCV_JAL, j.data(), jv) == errc::ok &&
         dec_j(rd32(j.data())) == 0x2000;
}
static_assert(call_through_veneer());

// ---- TLS and unknown types ------------------------------------------------------------------
constexpr std::uint32_t tls_types[] = {
  T::R_RISCV_TLS_DTPMOD32, T::R_RISCV_TLS_DTPMOD64, T::R_RISCV_TLS_DTPREL32, T::R_RISCV_TLS_DTPREL64,
  T::R_RISCV_TLS_TPREL32, T::R_RISCV_TLS_TPREL64, T::R_RISCV_TLSDESC, T::R_RISCV_TLS_GOT_HI20,
  T::R_RISCV_TLS_GD_HI20, T::R_RISCV_TPREL_HI20, T::R_RISCV_TPREL_LO12_I, T::R_RISCV_TPREL_LO12_S,
  T::R_RISCV_TPREL_ADD, T::R_RISCV_TLSDESC_HI20, T::R_RISCV_TLSDESC_LOAD_LO12, T::R_RISCV_TLSDESC_ADD_LO12,
  T::R_RISCV_TLSDESC_CALL};

template <class Set>
constexpr bool tls_rejected_by_name() {
  for (auto t : tls_types) {
    auto place = filled<16>();
    if (!Set::handles(t) || Set::name_of(t) == nullptr || Set::kind_of(t) != xa::expr::tls) return false;
    if (apply_by_type<Set>(t, place.data(), {}) != errc::unsupported_relocation) return false;
    for (auto b : place)
      if (b != fill) return false;
  }
  return std::string_view{Set::name_of(T::R_RISCV_TPREL_HI20)} == "R_RISCV_TPREL_HI20";
}
static_assert(tls_rejected_by_name<R64>() && tls_rejected_by_name<R32>());

constexpr bool dynamic_types_unknown() {
  constexpr std::uint32_t unknown[] = {T::R_RISCV_RELATIVE, T::R_RISCV_COPY, T::R_RISCV_JUMP_SLOT, T::R_RISCV_IRELATIVE,
                                       13, 14, 15, 42, 46, 47, 48, 49, 50, 66, 191, 0xffff'ffff};
  for (auto t : unknown) {
    auto place = filled<16>();
    if (R64::handles(t) || R64::name_of(t) != nullptr || R32::handles(t)) return false;
    if (apply_by_type<R64>(t, place.data(), {}) != errc::unknown_relocation) return false;
    for (auto b : place)
      if (b != fill) return false;
  }
  return true;
}
static_assert(dynamic_types_unknown());

// ---- Numbers and names as the psABI table spells them ---------------------------------------
struct spec_row {
  std::uint32_t type;
  std::string_view name;
};
constexpr spec_row psabi[] = {
  {0, "R_RISCV_NONE"}, {1, "R_RISCV_32"}, {2, "R_RISCV_64"}, {6, "R_RISCV_TLS_DTPMOD32"},
  {7, "R_RISCV_TLS_DTPMOD64"}, {8, "R_RISCV_TLS_DTPREL32"}, {9, "R_RISCV_TLS_DTPREL64"},
  {10, "R_RISCV_TLS_TPREL32"}, {11, "R_RISCV_TLS_TPREL64"}, {12, "R_RISCV_TLSDESC"}, {16, "R_RISCV_BRANCH"},
  {17, "R_RISCV_JAL"}, {18, "R_RISCV_CALL"}, {19, "R_RISCV_CALL_PLT"}, {20, "R_RISCV_GOT_HI20"},
  {21, "R_RISCV_TLS_GOT_HI20"}, {22, "R_RISCV_TLS_GD_HI20"}, {23, "R_RISCV_PCREL_HI20"},
  {24, "R_RISCV_PCREL_LO12_I"}, {25, "R_RISCV_PCREL_LO12_S"}, {26, "R_RISCV_HI20"}, {27, "R_RISCV_LO12_I"},
  {28, "R_RISCV_LO12_S"}, {29, "R_RISCV_TPREL_HI20"}, {30, "R_RISCV_TPREL_LO12_I"}, {31, "R_RISCV_TPREL_LO12_S"},
  {32, "R_RISCV_TPREL_ADD"}, {33, "R_RISCV_ADD8"}, {34, "R_RISCV_ADD16"}, {35, "R_RISCV_ADD32"},
  {36, "R_RISCV_ADD64"}, {37, "R_RISCV_SUB8"}, {38, "R_RISCV_SUB16"}, {39, "R_RISCV_SUB32"},
  {40, "R_RISCV_SUB64"}, {41, "R_RISCV_GOT32_PCREL"}, {43, "R_RISCV_ALIGN"}, {44, "R_RISCV_RVC_BRANCH"},
  {45, "R_RISCV_RVC_JUMP"}, {51, "R_RISCV_RELAX"}, {52, "R_RISCV_SUB6"}, {53, "R_RISCV_SET6"},
  {54, "R_RISCV_SET8"}, {55, "R_RISCV_SET16"}, {56, "R_RISCV_SET32"}, {57, "R_RISCV_32_PCREL"},
  {59, "R_RISCV_PLT32"}, {60, "R_RISCV_SET_ULEB128"}, {61, "R_RISCV_SUB_ULEB128"}, {62, "R_RISCV_TLSDESC_HI20"},
  {63, "R_RISCV_TLSDESC_LOAD_LO12"}, {64, "R_RISCV_TLSDESC_ADD_LO12"}, {65, "R_RISCV_TLSDESC_CALL"},
};

template <class Set>
constexpr bool names_match_psabi() {
  for (auto const& r : psabi)
    if (!Set::handles(r.type) || Set::name_of(r.type) == nullptr || std::string_view{Set::name_of(r.type)} != r.name)
      return false;
  if (Set::type_count != std::size(psabi)) return false;
  for (auto t : Set::types()) {
    bool listed = false;
    for (auto const& r : psabi) listed = listed || r.type == t;
    if (!listed) return false;
  }
  return true;
}
static_assert(names_match_psabi<R64>() && names_match_psabi<R32>());

constexpr bool traits_match_psabi() {
  return R64::e_machine == 243 && R32::e_machine == 243 && R64::uses_rela && R32::uses_rela && R64::got_entry_size == 8 &&
         R32::got_entry_size == 4 && std::string_view{R64::arch_name} == "riscv64" &&
         std::string_view{R32::arch_name} == "riscv32" && xa::relocation_set<R64> && xa::relocation_set<R32> &&
         rh::R_RISCV_TLSDESC<64>::width == 16 && rh::R_RISCV_TLSDESC<32>::width == 8 &&
         rh::R_RISCV_TLS_DTPMOD64<32>::width == 8 && rh::R_RISCV_CALL_PLT<32>::width == 8;
}
static_assert(traits_match_psabi());

// ---- Narrowing keeps exactly the listed types ------------------------------------------------
using small = xa::narrow<R64, T::R_RISCV_CALL_PLT, T::R_RISCV_PCREL_HI20, T::R_RISCV_PCREL_LO12_I>;
constexpr bool narrow_keeps_listed() {
  auto place = filled<16>();
  wr32(place.data(), auipc_ra);
  wr32(place.data() + 4, jalr_ra);
  xa::values v;
  v.S = 0x2000;
  v.P = 0x1000;
  return xa::relocation_set<small> && small::type_count == 3 && small::has_pairs && small::handles(T::R_RISCV_CALL_PLT) &&
         !small::handles(T::R_RISCV_RELAX) && !small::handles(T::R_RISCV_HI20) && small::name_of(T::R_RISCV_JAL) == nullptr &&
         std::is_same_v<small::traits, xa::riscv_traits<64>> && small::veneer_size == 24 &&
         apply_by_type<small>(T::R_RISCV_JAL, place.data(), v) == errc::unknown_relocation && rd32(place.data()) == auipc_ra &&
         apply_by_type<small>(T::R_RISCV_CALL_PLT, place.data(), v) == errc::ok && rd32(place.data()) == 0x00001097 &&
         rd32(place.data() + 4) == jalr_ra;
}
static_assert(narrow_keeps_listed());


// ---- Through the loader: pairing, GOT, veneers, ULEB128 (prelinked at fixed addresses) --------
using extload::test::bytes;
using extload::test::elf_builder;
using extload::test::sym_index;
using extload::test::undefined;
constexpr std::uint64_t AX = el::SHF_ALLOC | el::SHF_EXECINSTR;
constexpr std::uint64_t A = el::SHF_ALLOC;

// An import table for the fallback resolver: name -> address.
struct import_map {
  struct entry {
    std::string_view name;
    std::uint64_t address;
    extload::symbol_kind kind = extload::symbol_kind::object;
  };
  std::vector<entry> entries;
  static extload::found_symbol lookup(void* ctx, extload::byte_string name) {
    for (auto const& e : static_cast<import_map*>(ctx)->entries)
      if (name.view() == e.name) return {e.address, true, e.kind};
    return {};
  }
};

// Link `image` for `load` with the prelink allocator, then hand the linked bytes to `check`.
template <class Format, class Arch, class Check>
void prelink(std::span<std::byte const> image, std::uint64_t load, import_map& imports, Check&& check) {
  std::vector<std::byte> buffer(1u << 16);
  extload::prelink_allocator mem{buffer, load};
  using exports_t = extload::no_exports<Format::elf_class_type::word_size>;
  exports_t none;
  extload::loader<Format, Arch, extload::prelink_allocator, exports_t> ld{mem, none};
  extload::load_options opt;
  opt.fallback = {&import_map::lookup, &imports};
  typename decltype(ld)::report_type rep;
  auto r = ld.load(image, opt, &rep);
  check(r, mem, rep);
  if (r) ld.unload(*r);
}

// The low halves come first in the section and in the table (they name the AUIPC's label, which
// lies after them), two of them share one PCREL_HI20, a GOT_HI20 has its own, and a far
// CALL_PLT and JAL share one veneer.
constexpr auto pairs_image = elf_builder<extload::elf64le>{}
    .machine(el::EM_RISCV)
    .flags(T::EF_RISCV_RVC | T::EF_RISCV_FLOAT_ABI_DOUBLE) // lp64d, what riscv64 links
    .section(".text", el::SHT_PROGBITS, AX,
             bytes{0x13, 0x05, 0x05, 0x00,  //  0: addi  a0, a0, %pcrel_lo(.Lhi)
                   0x23, 0x20, 0xb5, 0x00,  //  4: sw    a1, %pcrel_lo(.Lhi)(a0)
                   0x17, 0x05, 0x00, 0x00,  //  8: .Lhi: auipc a0, %pcrel_hi(fw_data)
                   0x97, 0x05, 0x00, 0x00,  // 12: .Lgot: auipc a1, %got_pcrel_hi(fw_far_data)
                   0x83, 0xb5, 0x05, 0x00,  // 16: ld    a1, %pcrel_lo(.Lgot)(a1)
                   0x97, 0x00, 0x00, 0x00,  // 20: auipc ra, 0   \ call far_fn
                   0xe7, 0x80, 0x00, 0x00,  // 24: jalr  ra, 0(ra) /
                   0xef, 0x00, 0x00, 0x00}, // 28: jal   ra, far_fn
             4)
    .symbol(".Lhi", el::STB_LOCAL, el::STT_NOTYPE, ".text", 8)
    .symbol(".Lgot", el::STB_LOCAL, el::STT_NOTYPE, ".text", 12)
    .symbol("entry", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 32)
    .symbol("fw_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .symbol("fw_far_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .symbol("far_fn", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {0, ".Lhi", T::R_RISCV_PCREL_LO12_I, 0})
    .rela(".text", {0, sym_index{0}, T::R_RISCV_RELAX, 0})
    .rela(".text", {4, ".Lhi", T::R_RISCV_PCREL_LO12_S, 0})
    .rela(".text", {8, "fw_data", T::R_RISCV_PCREL_HI20, 0})
    .rela(".text", {8, sym_index{0}, T::R_RISCV_RELAX, 0})
    .rela(".text", {12, "fw_far_data", T::R_RISCV_GOT_HI20, 0})
    .rela(".text", {16, ".Lgot", T::R_RISCV_PCREL_LO12_I, 0})
    .rela(".text", {20, "far_fn", T::R_RISCV_CALL_PLT, 0})
    .rela(".text", {20, sym_index{0}, T::R_RISCV_RELAX, 0})
    .rela(".text", {28, "far_fn", T::R_RISCV_JAL, 0})
    .build();

// The same low half with no high half at its label: rejected, naming the label's symbol.
constexpr auto unpaired_image = elf_builder<extload::elf64le>{}
    .machine(el::EM_RISCV)
    .flags(T::EF_RISCV_RVC | T::EF_RISCV_FLOAT_ABI_DOUBLE) // lp64d, what riscv64 links
    .section(".text", el::SHT_PROGBITS, AX, bytes{0x13, 0x05, 0x05, 0x00, 0x17, 0x05, 0x00, 0x00, 0x17, 0x05, 0x00, 0x00}, 4)
    .symbol(".Lhi", el::STB_LOCAL, el::STT_NOTYPE, ".text", 8)
    .symbol("fw_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {0, ".Lhi", T::R_RISCV_PCREL_LO12_I, 0})
    .rela(".text", {4, "fw_data", T::R_RISCV_PCREL_HI20, 0}) // at 4, not at the label (8)
    .build();

// SET_ULEB128 + SUB_ULEB128 on a 3-byte field (.uleb128 .Lend - .Lstart, padded by the assembler).
template <std::uint8_t Last>
constexpr auto uleb_image = elf_builder<extload::elf64le>{}
    .machine(el::EM_RISCV)
    .flags(T::EF_RISCV_RVC | T::EF_RISCV_FLOAT_ABI_DOUBLE)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x82, 0x80}, 2)
    .section(".rodata", el::SHT_PROGBITS, A, bytes{0x80, 0x80, 0x00, 0x80, Last}, 1)
    .symbol(".Lstart", el::STB_LOCAL, el::STT_NOTYPE, ".text", 4)
    .symbol(".Lend", el::STB_LOCAL, el::STT_NOTYPE, ".text", 12)
    .rela(".rodata", {0, ".Lend", T::R_RISCV_SET_ULEB128, 0})
    .rela(".rodata", {0, ".Lstart", T::R_RISCV_SUB_ULEB128, 0})
    .rela(".rodata", {3, ".Lend", T::R_RISCV_SET_ULEB128, 1})
    .rela(".rodata", {3, ".Lstart", T::R_RISCV_SUB_ULEB128, 0})
    .build();

// RV32: the hart adds modulo 2^32, so a CALL and a LUI pair reach any address directly.
constexpr auto rv32_image = elf_builder<extload::elf32le>{}
    .machine(el::EM_RISCV)
    .section(".text", el::SHT_PROGBITS, AX,
             bytes{0x97, 0x00, 0x00, 0x00, 0xe7, 0x80, 0x00, 0x00,  // call top_fn
                   0x37, 0x05, 0x00, 0x00, 0x13, 0x05, 0x05, 0x00}, // lui a0, %hi(top_data); addi a0, a0, %lo(top_data)
             4)
    .section(".data", el::SHT_PROGBITS, el::SHF_ALLOC | el::SHF_WRITE, bytes{0, 0, 0, 0}, 4)
    .symbol("top_fn", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .symbol("top_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {0, "top_fn", T::R_RISCV_CALL_PLT, 0})
    .rela(".text", {8, "top_data", T::R_RISCV_HI20, 0})
    .rela(".text", {12, "top_data", T::R_RISCV_LO12_I, 0})
    .rela(".data", {0, "top_fn", T::R_RISCV_32, 0})
    .build();

constexpr auto tls_image = elf_builder<extload::elf64le>{}
    .machine(el::EM_RISCV)
    .flags(T::EF_RISCV_RVC | T::EF_RISCV_FLOAT_ABI_DOUBLE) // lp64d, what riscv64 links
    .section(".text", el::SHT_PROGBITS, AX, bytes{0x37, 0x05, 0x00, 0x00}, 4)
    .symbol("counter", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {0, "counter", T::R_RISCV_TPREL_HI20, 0})
    .build();

template <class Mem>
std::byte const* at_address(Mem const& mem, std::uint64_t load, std::uint64_t address) {
  return mem.image().data() + (address - load);
}
} // namespace

// R_RISCV_ALIGN padding as a relaxing assembler leaves it (worst case, `.balign 16` = 14 bytes,
// `.balign 8` = 6): the loader deletes what the layout does not need, as GNU ld does even with
// --no-relax, and moves what follows: symbols, the JAL's target, the PCREL pair (label and
// site) and a section symbol + addend in .rodata.
//   0: jal zero, second          12 kept (3 NOPs), 2 deleted: .Lhi/aligned 18 -> 16
//   4: padding (14)              26: c.jr ra, 28: c.nop
//  18: .Lhi: auipc a0, %pcrel_hi(fw_data)   22: addi a0, a0, %pcrel_lo(.Lhi)
//  30: padding (6)               at 28 after the first deletion: 4 kept (1 NOP), 2 deleted
//  36: second: addi a0, a0, 1    -> 32; .text 40 -> 36 bytes
// `lui a0, %hi(far_fn); addi a0, a0, %lo(far_fn)`: the address of a function beyond HI20's
// reach (RV64: 2 GiB) stands in as its veneer's, in both halves.
constexpr auto hi_lo_image = elf_builder<extload::elf64le>{}
    .machine(el::EM_RISCV)
    .flags(T::EF_RISCV_RVC | T::EF_RISCV_FLOAT_ABI_DOUBLE)
    .section(".text", el::SHT_PROGBITS, AX,
             bytes{0x37, 0x05, 0x00, 0x00,  // 0: lui  a0, %hi(far_fn)
                   0x13, 0x05, 0x05, 0x00,  // 4: addi a0, a0, %lo(far_fn)
                   0x23, 0x30, 0xa5, 0x00}, // 8: sd   a0, %lo(far_fn)(a0)  (S-type low half)
             4)
    .symbol("entry", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 12)
    .symbol("far_fn", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {0, "far_fn", T::R_RISCV_HI20, 0})
    .rela(".text", {4, "far_fn", T::R_RISCV_LO12_I, 0})
    .rela(".text", {8, "far_fn", T::R_RISCV_LO12_S, 0})
    .build();

template <std::uint64_t TextAlign, std::uint64_t JalAt>
constexpr auto align_image = elf_builder<extload::elf64le>{}
    .machine(el::EM_RISCV)
    .flags(T::EF_RISCV_RVC | T::EF_RISCV_FLOAT_ABI_DOUBLE)
    .section(".text", el::SHT_PROGBITS, AX,
             bytes{0x6f, 0x00, 0x00, 0x00,                                     //  0: jal zero, second
                   0x01, 0x00, 0x13, 0x00, 0x00, 0x00, 0x13, 0x00, 0x00, 0x00, //  4: c.nop, nop, nop,
                   0x13, 0x00, 0x00, 0x00,                                     //     nop (14 bytes)
                   0x17, 0x05, 0x00, 0x00,                                     // 18: auipc a0
                   0x13, 0x05, 0x05, 0x00,                                     // 22: addi a0, a0
                   0x82, 0x80, 0x01, 0x00,                                     // 26: c.jr ra; 28: c.nop
                   0x01, 0x00, 0x13, 0x00, 0x00, 0x00,                         // 30: c.nop, nop (6)
                   0x13, 0x05, 0x15, 0x00},                                    // 36: addi a0, a0, 1
             TextAlign)
    .section(".rodata", el::SHT_PROGBITS, A, bytes{0, 0, 0, 0, 0, 0, 0, 0}, 8)
    .section_symbol(".text")
    .symbol(".Lhi", el::STB_LOCAL, el::STT_NOTYPE, ".text", 18)
    .symbol("entry", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 40)
    .symbol("aligned", el::STB_GLOBAL, el::STT_FUNC, ".text", 18, 10)
    .symbol("second", el::STB_GLOBAL, el::STT_FUNC, ".text", 36, 4)
    .symbol("fw_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {JalAt, "second", T::R_RISCV_JAL, 0})
    .rela(".text", {4, sym_index{0}, T::R_RISCV_ALIGN, 14})
    .rela(".text", {18, "fw_data", T::R_RISCV_PCREL_HI20, 0})
    .rela(".text", {18, sym_index{0}, T::R_RISCV_RELAX, 0})
    .rela(".text", {22, ".Lhi", T::R_RISCV_PCREL_LO12_I, 0})
    .rela(".text", {22, sym_index{0}, T::R_RISCV_RELAX, 0})
    .rela(".text", {30, sym_index{0}, T::R_RISCV_ALIGN, 6})
    .rela(".rodata", {0, extload::test::section_sym{".text"}, T::R_RISCV_64, 36})
    .build();

TEST_CASE("riscv: BRANCH accepts even values in [-2^12, 2^12 - 2]") {
  CHECK(branch_edges<64>());
  CHECK(branch_edges<32>());
}
TEST_CASE("riscv: JAL accepts even values in [-2^20, 2^20 - 2]") {
  CHECK(jal_edges<64>());
  CHECK(jal_edges<32>());
}
TEST_CASE("riscv: RVC_BRANCH accepts even values in [-2^8, 2^8 - 2]") {
  CHECK(rvc_branch_edges<64>());
  CHECK(rvc_branch_edges<32>());
}
TEST_CASE("riscv: RVC_JUMP accepts even values in [-2^11, 2^11 - 2]") {
  CHECK(rvc_jump_edges<64>());
  CHECK(rvc_jump_edges<32>());
}
TEST_CASE("riscv: RV64 CALL/CALL_PLT/PCREL_HI20/GOT_HI20/HI20 accept [-2^31 - 2^11, 2^31 - 2^11 - 1]") { CHECK(rv64_hi20_edges()); }
TEST_CASE("riscv: RV32 32-bit splits reach the whole address space") { CHECK(rv32_hi20_reaches_everything()); }
TEST_CASE("riscv: RV32 values wrap modulo 2^32") { CHECK(rv32_branch_wraps()); }
TEST_CASE("riscv: 32-bit words (32_PCREL, PLT32, GOT32_PCREL, 32)") { CHECK(word32_edges()); }
TEST_CASE("riscv: fields without a range") { CHECK(unchecked_fields()); }
TEST_CASE("riscv: encodings equal the GNU assembler's") {
  CHECK(matches_assembler<R64, le>());
  CHECK(matches_assembler<R32, le>());
  CHECK(matches_assembler<R64, be>());
}
TEST_CASE("riscv: PCREL_LO12_I/S write the low half of their partner's value") { CHECK(pcrel_lo12_uses_pair()); }
TEST_CASE("riscv: ADD/SUB/SET and word6 read-modify-write") {
  CHECK(add_sub_set<R64, le>());
  CHECK(add_sub_set<R32, le>());
  CHECK(add_sub_set<R64, be>());
  CHECK(add_sub_pair());
}
TEST_CASE("riscv: SET_ULEB128 + SUB_ULEB128 keep the field length") { CHECK(uleb_values()); }
TEST_CASE("riscv: ULEB128 never runs past the section") { CHECK(uleb_stays_in_room()); }
TEST_CASE("riscv: RELAX, ALIGN and NONE write nothing") { CHECK(hints_write_nothing()); }
TEST_CASE("riscv: the veneers load their target and jump") {
  CHECK(veneer_bytes());
  CHECK(veneer_big_endian_literal());
}
TEST_CASE("riscv: an out-of-range call goes through the veneer") { CHECK(call_through_veneer()); }
TEST_CASE("riscv: TLS types are named and unsupported") {
  CHECK(tls_rejected_by_name<R64>());
  CHECK(tls_rejected_by_name<R32>());
}
TEST_CASE("riscv: dynamic-only and reserved types are unknown") { CHECK(dynamic_types_unknown()); }
TEST_CASE("riscv: numbers and names follow the psABI table") {
  CHECK(names_match_psabi<R64>());
  CHECK(names_match_psabi<R32>());
}
TEST_CASE("riscv: traits and field widths") { CHECK(traits_match_psabi()); }
TEST_CASE("riscv: narrow<> keeps exactly the listed types") { CHECK(narrow_keeps_listed()); }

TEST_CASE("riscv: the loader pairs PCREL_LO12 with its AUIPC in any order, fills the GOT, calls far through one veneer") {
  constexpr std::uint64_t load = 0x4000'0000, data = load + 0x1234'5678, far_data = 0x70'0000'0000, far_fn = 0x80'0000'0000;
  import_map imports{{{"fw_data", data}, {"fw_far_data", far_data}, {"far_fn", far_fn, extload::symbol_kind::function}}};
  prelink<extload::elf64le, R64>(pairs_image.view(), load, imports, [&](auto& r, auto& mem, auto& rep) {
    REQUIRE(r.has_value());
    auto const* text = (*r)->find_section(".text");
    REQUIRE(text != nullptr);
    std::uint64_t const t = text->address;
    std::byte const* p = at_address(mem, load, t);
    // PCREL: the hart computes P(auipc) + U + I/S.
    auto const hi = static_cast<std::uint64_t>(dec_u(rd32(p + 8)));
    CHECK(t + 8 + hi + static_cast<std::uint64_t>(dec_i(rd32(p))) == data);
    CHECK(t + 8 + hi + static_cast<std::uint64_t>(dec_s(rd32(p + 4))) == data);
    CHECK((rd32(p) & 0xfffff) == (addi_a0 & 0xfffff));
    // GOT_HI20 + PCREL_LO12_I: the slot holds the far address.
    std::uint64_t const slot = t + 12 + static_cast<std::uint64_t>(dec_u(rd32(p + 12)) + dec_i(rd32(p + 16)));
    CHECK(slot % 8 == 0);
    CHECK(extload::load_at<std::uint64_t, le>(at_address(mem, load, slot)) == far_data);
    // CALL_PLT and JAL: out of reach (> 2 GiB and > 1 MiB), both land on the same veneer.
    std::uint64_t const v = t + 20 + static_cast<std::uint64_t>(dec_u(rd32(p + 20)) + dec_i(rd32(p + 24)));
    CHECK(t + 28 + static_cast<std::uint64_t>(dec_j(rd32(p + 28))) == v);
    CHECK(v % R64::veneer_align == 0);
    std::array<std::byte, 24> veneer{};
    std::copy_n(at_address(mem, load, v), veneer.size(), veneer.begin());
    CHECK(run_veneer<64>(veneer, v) == far_fn);
    CHECK(rep.veneers == 1);
    CHECK(rep.veneer_uses == 2);
    CHECK(rep.got_slots == 1);
    CHECK(rep.by_type[R64::index_of(T::R_RISCV_RELAX)] == 3);
    CHECK(rep.by_type[R64::index_of(T::R_RISCV_PCREL_LO12_I)] == 2);
  });
}

TEST_CASE("riscv: R_RISCV_ALIGN padding is deleted as GNU ld deletes it; what follows moves down") {
  constexpr std::uint64_t load = 0x4000'0000, data = load + 0x10'0000;
  import_map imports{{{"fw_data", data}}};
  prelink<extload::elf64le, R64>(align_image<16, 0>.view(), load, imports, [&](auto& r, auto& mem, auto& rep) {
    REQUIRE(r.has_value());
    auto const* text = (*r)->find_section(".text");
    auto const* ro = (*r)->find_section(".rodata");
    REQUIRE(text != nullptr);
    REQUIRE(ro != nullptr);
    std::uint64_t const t = text->address;
    CHECK(t % 16 == 0);
    CHECK(text->size == 36);
    CHECK(rep.padding_deleted == 4);
    std::byte const* p = at_address(mem, load, t);
    // Kept padding: NOPs (addi x0, x0, 0), as ld writes them; the deleted bytes are gone.
    for (std::uint64_t o : {4u, 8u, 12u, 28u}) CHECK(rd32(p + o) == 0x00000013u);
    CHECK(extload::load_at<std::uint16_t, le>(p + 24) == 0x8082); // c.jr ra, moved from 26
    CHECK(rd32(p + 32) == 0x00150513u);                            // second: addi a0, a0, 1
    // Symbols moved: aligned to 16 and 8 as the source asked.
    CHECK((*r)->find("aligned").address == t + 16);
    CHECK((*r)->find("second").address == t + 32);
    CHECK((*r)->find("entry").address == t);
    // The JAL reaches `second` where it now is; the PCREL pair (moved with its label) reaches fw_data.
    CHECK(static_cast<std::uint64_t>(dec_j(rd32(p))) == 32);
    CHECK(t + 16 + static_cast<std::uint64_t>(dec_u(rd32(p + 16)) + dec_i(rd32(p + 20))) == data);
    // .text + 36 (a section symbol and addend) names `second` after the move.
    CHECK(extload::load_at<std::uint64_t, le>(at_address(mem, load, ro->address)) == t + 32);
  });
}

TEST_CASE("riscv: R_RISCV_ALIGN that the section cannot honour, or a site inside deleted padding, is rejected") {
  import_map imports{{{"fw_data", 0x4010'0000}}};
  // .text aligned to 4 only: a 16-byte alignment from the padding cannot be met by offsets alone.
  prelink<extload::elf64le, R64>(align_image<4, 0>.view(), 0x4000'0000, imports, [&](auto& r, auto&, auto& rep) {
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_relocation);
    CHECK(r.error().what == extload::field::r_addend);
    CHECK(r.error().type == T::R_RISCV_ALIGN);
    CHECK(r.error().value == 14);
    CHECK(r.error().max == 3);
    CHECK(rep.padding_deleted == 0);
  });
  // The JAL placed at offset 14: its last two bytes are the two the first padding loses.
  prelink<extload::elf64le, R64>(align_image<16, 14>.view(), 0x4000'0000, imports, [&](auto& r, auto&, auto&) {
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_relocation);
    CHECK(r.error().what == extload::field::r_offset);
    CHECK(r.error().type == T::R_RISCV_JAL);
  });
}

TEST_CASE("riscv: HI20 and LO12 of a far function both name its veneer") {
  constexpr std::uint64_t load = 0x4000'0000, far_fn = 0x40'0000'abf1b8;
  import_map imports{{{"far_fn", far_fn, extload::symbol_kind::function}}};
  prelink<extload::elf64le, R64>(hi_lo_image.view(), load, imports, [&](auto& r, auto& mem, auto& rep) {
    REQUIRE(r.has_value());
    std::uint64_t const t = (*r)->find_section(".text")->address;
    std::byte const* p = at_address(mem, load, t);
    std::uint64_t const hi = static_cast<std::uint64_t>(dec_u(rd32(p)));
    std::uint64_t const v = hi + static_cast<std::uint64_t>(dec_i(rd32(p + 4)));
    CHECK(hi + static_cast<std::uint64_t>(dec_s(rd32(p + 8))) == v); // both low halves agree
    CHECK(rep.veneers == 1);
    CHECK(rep.veneer_uses == 3);
    CHECK(v % R64::veneer_align == 0);
    std::array<std::byte, 24> veneer{};
    std::copy_n(at_address(mem, load, v), veneer.size(), veneer.begin());
    CHECK(run_veneer<64>(veneer, v) == far_fn);
  });
}

TEST_CASE("riscv: a PCREL_LO12 whose label carries no high half is rejected") {
  import_map imports{{{"fw_data", 0x4010'0000}}};
  prelink<extload::elf64le, R64>(unpaired_image.view(), 0x4000'0000, imports, [&](auto& r, auto&, auto&) {
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_relocation);
    CHECK(r.error().what == extload::field::r_sym);
    CHECK(r.error().type == T::R_RISCV_PCREL_LO12_I);
  });
}

TEST_CASE("riscv: SET_ULEB128 + SUB_ULEB128 through the loader, and a field running past its section") {
  import_map imports;
  prelink<extload::elf64le, R64>(uleb_image<0x00>.view(), 0x4000'0000, imports, [&](auto& r, auto& mem, auto&) {
    REQUIRE(r.has_value());
    auto const* ro = (*r)->find_section(".rodata");
    REQUIRE(ro != nullptr);
    std::byte const* p = at_address(mem, 0x4000'0000, ro->address);
    CHECK(p[0] == std::byte{0x88}); // 12 - 4 = 8, field kept at 3 bytes
    CHECK(p[1] == std::byte{0x80});
    CHECK(p[2] == std::byte{0x00});
    CHECK(p[3] == std::byte{0x89}); // 13 - 4 = 9 in a 2-byte field
    CHECK(p[4] == std::byte{0x00});
  });
  // The second field's last byte has its continuation bit set: it would run past the section.
  prelink<extload::elf64le, R64>(uleb_image<0x80>.view(), 0x4000'0000, imports, [&](auto& r, auto&, auto&) {
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_relocation);
    CHECK(r.error().type == T::R_RISCV_SET_ULEB128);
  });
}

// A label difference: ADD32 and SUB32 at one offset compose (the psABI's way to write `.word
// .Lend - .Lstart` under relaxation). Any other relocation writing that word after the ADD32 is
// an overlap, rejected by the loader's pre-scan (MALFORMED.md class 36), naming entry 1.
template <std::uint32_t Second>
constexpr auto diff_image = elf_builder<extload::elf64le>{}
    .machine(el::EM_RISCV)
    .flags(T::EF_RISCV_RVC | T::EF_RISCV_FLOAT_ABI_DOUBLE)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0x01, 0x00, 0x01, 0x00, 0x82, 0x80}, 2)
    .section(".rodata", el::SHT_PROGBITS, A, bytes{0, 0, 0, 0, 0, 0, 0, 0}, 4)
    .symbol(".Lstart", el::STB_LOCAL, el::STT_NOTYPE, ".text", 0)
    .symbol(".Lend", el::STB_LOCAL, el::STT_NOTYPE, ".text", 4)
    .rela(".rodata", {0, ".Lend", T::R_RISCV_ADD32, 0})
    .rela(".rodata", {Second == T::R_RISCV_SUB16 ? 2u : 0u, ".Lstart", Second, 0})
    .rela(".rodata", {4, ".Lend", T::R_RISCV_SET32, 0}) // the next word, then its SUB32
    .rela(".rodata", {4, ".Lstart", T::R_RISCV_SUB32, 0})
    .build();

TEST_CASE("riscv: ADD32 + SUB32 and SET32 + SUB32 at one offset compose; other writes to the word overlap") {
  import_map imports;
  prelink<extload::elf64le, R64>(diff_image<T::R_RISCV_SUB32>.view(), 0x4000'0000, imports, [&](auto& r, auto& mem, auto&) {
    REQUIRE(r.has_value());
    auto const* ro = (*r)->find_section(".rodata");
    REQUIRE(ro != nullptr);
    CHECK(extload::load_at<std::uint32_t, le>(at_address(mem, 0x4000'0000, ro->address)) == 4);
    CHECK(extload::load_at<std::uint32_t, le>(at_address(mem, 0x4000'0000, ro->address + 4)) == 4);
  });
  for (std::uint32_t second : {std::uint32_t{T::R_RISCV_32}, std::uint32_t{T::R_RISCV_SET32}, std::uint32_t{T::R_RISCV_SUB16}}) {
    CAPTURE(second);
    auto const img = second == T::R_RISCV_32 ? diff_image<T::R_RISCV_32> : second == T::R_RISCV_SET32 ? diff_image<T::R_RISCV_SET32> : diff_image<T::R_RISCV_SUB16>;
    prelink<extload::elf64le, R64>(img.view(), 0x4000'0000, imports, [&](auto& r, auto&, auto&) {
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == errc::bad_relocation);
      CHECK(r.error().what == extload::field::r_offset);
      CHECK(r.error().relocation == 1);
      CHECK(r.error().type == second);
    });
  }
}

TEST_CASE("riscv: RV32 reaches the top of the address space without veneers") {
  constexpr std::uint64_t load = 0x2000'0000, top_fn = 0xf000'0000, top_data = 0xffff'f800;
  import_map imports{{{"top_fn", top_fn, extload::symbol_kind::function}, {"top_data", top_data}}};
  prelink<extload::elf32le, R32>(rv32_image.view(), load, imports, [&](auto& r, auto& mem, auto& rep) {
    REQUIRE(r.has_value());
    std::uint64_t const t = (*r)->find_section(".text")->address;
    std::byte const* p = at_address(mem, load, t);
    auto const call = static_cast<std::uint32_t>(t + static_cast<std::uint64_t>(dec_u(rd32(p)) + dec_i(rd32(p + 4))));
    CHECK(call == top_fn);
    auto const abs = static_cast<std::uint32_t>(static_cast<std::uint64_t>(dec_u(rd32(p + 8)) + dec_i(rd32(p + 12))));
    CHECK(abs == top_data);
    std::uint64_t const d = (*r)->find_section(".data")->address;
    CHECK(extload::load_at<std::uint32_t, le>(at_address(mem, load, d)) == top_fn);
    CHECK(rep.veneer_uses == 0);
  });
}

TEST_CASE("riscv: TLS relocations are rejected by name") {
  import_map imports{{{"counter", 0x10}}};
  prelink<extload::elf64le, R64>(tls_image.view(), 0x4000'0000, imports, [&](auto& r, auto&, auto&) {
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::unsupported_relocation);
    CHECK(r.error().type == T::R_RISCV_TPREL_HI20);
    CHECK(std::string_view{r.error().type_name} == "R_RISCV_TPREL_HI20");
  });
}
