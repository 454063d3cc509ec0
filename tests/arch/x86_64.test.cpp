// tests/arch/x86_64.test.cpp: the x86-64 relocation set. Range edges per lld's X86_64::relocate
// (min, max, max + 1, min - 1; x86-64 has no alignment rules, so no misaligned rows), the value
// of each expression kind read back byte by byte (little-endian), the veneer decoded as the CPU
// would, TLS rejected by name, and narrowing. Each check runs in static_assert and in CHECK.
#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>

#include <boost/hana/all_of.hpp>

#include "extload/arch/x86_64.hpp"

namespace {

namespace xa = extload::arch;
namespace h = xa::x86_64_howto;
using extload::errc;
using X = xa::x86_64;
constexpr auto le = std::endian::little;
constexpr std::byte fill{0xa5}; // what an untouched byte of the place holds

template <std::size_t N>
constexpr std::array<std::byte, N> filled() {
  std::array<std::byte, N> a{};
  for (auto& b : a) b = fill;
  return a;
}

// The whole relocation, found by type number the way the loader finds it.
template <class Set>
constexpr errc apply_by_type(std::uint32_t type, std::byte* place, xa::values const& v) {
  return Set::dispatch(type, errc::unknown_relocation, [&](auto howto) {
    using H = typename decltype(howto)::type;
    return xa::apply<H, le>(place, v);
  });
}

// Inputs for which H computes `v`, through every term of its expression (A is never 0, and the
// terms that must not matter are set to something else).
template <class H>
constexpr xa::values inputs_for(std::int64_t v) {
  auto const u = static_cast<std::uint64_t>(v);
  xa::values in;
  in.A = -4;
  in.P = 0x40'1000;
  in.GOT = 0x60'0000;
  in.S = 0x77'0000;
  in.G = 0x66'0000;
  in.Z = 0x55;
  switch (H::kind) {
  case xa::expr::abs: in.S = u + 4; break;
  case xa::expr::pc:
  case xa::expr::branch: in.S = in.P + u + 4; break;
  case xa::expr::got_pc: in.G = in.P + u + 4; break;
  case xa::expr::got_off: in.G = in.GOT + u + 4; break;
  case xa::expr::gotoff: in.S = in.GOT + u + 4; break;
  case xa::expr::gotpc: in.GOT = in.P + u + 4; break;
  case xa::expr::size: in.Z = u + 4; break;
  default: break;
  }
  return in;
}

// One boundary row: the value `v` either lands in the place (its low `width` bytes,
// little-endian, nothing else touched) or is rejected with the place left as it was.
template <class H>
constexpr bool row(std::int64_t v, errc expected) {
  auto const in = inputs_for<H>(v);
  auto const u = static_cast<std::uint64_t>(v);
  if (xa::evaluate<H>(in) != u) return false;
  auto place = filled<16>();
  if (apply_by_type<X>(H::type, place.data(), in) != expected) return false;
  for (std::size_t i = 0; i < place.size(); ++i) {
    auto const want = (expected == errc::ok && i < H::width) ? static_cast<std::byte>(u >> (8 * i)) : fill;
    if (place[i] != want) return false;
  }
  return true;
}

template <class H>
constexpr bool edges(std::int64_t min, std::int64_t max) {
  return row<H>(min, errc::ok) && row<H>(max, errc::ok) && row<H>(max + 1, errc::relocation_overflow) &&
         row<H>(min - 1, errc::relocation_overflow);
}

constexpr std::int64_t i32_min = -(std::int64_t{1} << 31), i32_max = (std::int64_t{1} << 31) - 1;

// ---- Range edges: signed 32-bit fields (lld: checkInt(val, 32)) --------------------------
constexpr bool pc32_edges() { return edges<h::R_X86_64_PC32>(i32_min, i32_max); }
constexpr bool plt32_edges() { return edges<h::R_X86_64_PLT32>(i32_min, i32_max); }
constexpr bool gotpcrel_edges() { return edges<h::R_X86_64_GOTPCREL>(i32_min, i32_max); }
constexpr bool gotpcrelx_edges() { return edges<h::R_X86_64_GOTPCRELX>(i32_min, i32_max); }
constexpr bool rex_gotpcrelx_edges() { return edges<h::R_X86_64_REX_GOTPCRELX>(i32_min, i32_max); }
constexpr bool abs32s_edges() { return edges<h::R_X86_64_32S>(i32_min, i32_max); }
constexpr bool got32_edges() { return edges<h::R_X86_64_GOT32>(i32_min, i32_max); }
constexpr bool gotpc32_edges() { return edges<h::R_X86_64_GOTPC32>(i32_min, i32_max); }
constexpr bool size32_edges() { return edges<h::R_X86_64_SIZE32>(i32_min, i32_max); }
static_assert(pc32_edges());
static_assert(plt32_edges());
static_assert(gotpcrel_edges());
static_assert(gotpcrelx_edges());
static_assert(rex_gotpcrelx_edges());
static_assert(abs32s_edges());
static_assert(got32_edges());
static_assert(gotpc32_edges());
static_assert(size32_edges());

// ---- Range edges: the other narrow fields --------------------------------------------------
// R_X86_64_32 is zero-extended by the CPU: checkUInt(val, 32).
constexpr bool abs32_edges() { return edges<h::R_X86_64_32>(0, (std::int64_t{1} << 32) - 1); }
// .word / .byte accept a signed or an unsigned reading: checkIntUInt.
constexpr bool abs16_edges() { return edges<h::R_X86_64_16>(-(1 << 15), (1 << 16) - 1); }
constexpr bool abs8_edges() { return edges<h::R_X86_64_8>(-(1 << 7), (1 << 8) - 1); }
constexpr bool pc16_edges() { return edges<h::R_X86_64_PC16>(-(1 << 15), (1 << 15) - 1); }
constexpr bool pc8_edges() { return edges<h::R_X86_64_PC8>(-(1 << 7), (1 << 7) - 1); }
static_assert(abs32_edges());
static_assert(abs16_edges());
static_assert(abs8_edges());
static_assert(pc16_edges());
static_assert(pc8_edges());

// ---- 64-bit fields take every value -----------------------------------------------------------
template <class H>
constexpr bool takes_any_64() {
  constexpr auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
  return row<H>(lo, errc::ok) && row<H>(hi, errc::ok) && row<H>(-1, errc::ok) && row<H>(0, errc::ok);
}
constexpr bool wide_fields_unchecked() {
  return takes_any_64<h::R_X86_64_64>() && takes_any_64<h::R_X86_64_PC64>() &&
         takes_any_64<h::R_X86_64_GOTOFF64>() && takes_any_64<h::R_X86_64_GOT64>() &&
         takes_any_64<h::R_X86_64_GOTPCREL64>() && takes_any_64<h::R_X86_64_GOTPC64>() &&
         takes_any_64<h::R_X86_64_SIZE64>();
}
static_assert(wide_fields_unchecked());

// x86 displacements and immediates have no alignment rule: every howto has align 1.
constexpr bool no_alignment_rules() {
  return boost::hana::all_of(X::howtos, [](auto t) { return decltype(t)::type::align == 1; });
}
static_assert(no_alignment_rules());

// ---- Values, read back byte by byte -----------------------------------------------------------
template <class H, std::size_t N>
constexpr bool writes(xa::values const& in, std::array<std::uint8_t, N> const& want) {
  auto place = filled<16>();
  if (apply_by_type<X>(H::type, place.data(), in) != errc::ok) return false;
  for (std::size_t i = 0; i < place.size(); ++i)
    if (place[i] != (i < N ? std::byte{want[i]} : fill)) return false;
  return N == H::width;
}

constexpr xa::values vals(std::uint64_t S, std::int64_t A, std::uint64_t P) {
  xa::values v;
  v.S = S;
  v.A = A;
  v.P = P;
  return v;
}

// S + A
constexpr bool abs_values() {
  return writes<h::R_X86_64_64>(vals(0x1122'3344'5566'7788, 0x10, 0x40'0000),
                                std::array<std::uint8_t, 8>{0x98, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11}) &&
         writes<h::R_X86_64_32>(vals(0x8000'0000, 0x10, 0x40'0000), std::array<std::uint8_t, 4>{0x10, 0, 0, 0x80}) &&
         // a kernel-style address in the top 2 GiB: sign-extends from 32 bits
         writes<h::R_X86_64_32S>(vals(0xffff'ffff'8000'0000, 0x10, 0x40'0000),
                                 std::array<std::uint8_t, 4>{0x10, 0, 0, 0x80}) &&
         writes<h::R_X86_64_16>(vals(0xfffe, 1, 0), std::array<std::uint8_t, 2>{0xff, 0xff}) &&
         writes<h::R_X86_64_8>(vals(0x7f, 1, 0), std::array<std::uint8_t, 1>{0x80});
}
static_assert(abs_values());

// S + A - P, forwards and backwards
constexpr bool pc_values() {
  return writes<h::R_X86_64_PC32>(vals(0x40'1000, -4, 0x40'0010), std::array<std::uint8_t, 4>{0xec, 0x0f, 0, 0}) &&
         writes<h::R_X86_64_PC32>(vals(0x40'0000, -4, 0x40'0100),
                                  std::array<std::uint8_t, 4>{0xfc, 0xfe, 0xff, 0xff}) &&
         writes<h::R_X86_64_PC16>(vals(0x40'0000, 0, 0x40'0002), std::array<std::uint8_t, 2>{0xfe, 0xff}) &&
         writes<h::R_X86_64_PC8>(vals(0x40'0080, -1, 0x40'0000), std::array<std::uint8_t, 1>{0x7f}) &&
         writes<h::R_X86_64_PC64>(vals(0, 0, 0x40'0000),
                                  std::array<std::uint8_t, 8>{0, 0, 0xc0, 0xff, 0xff, 0xff, 0xff, 0xff});
}
static_assert(pc_values());

// PLT32: L + A - P, and S + A - P when the loader gave the symbol no stub (L = 0).
constexpr bool plt32_values() {
  auto direct = vals(0x40'1000, -4, 0x40'0000);
  auto via_veneer = direct;
  via_veneer.L = 0x40'0800;
  return writes<h::R_X86_64_PLT32>(direct, std::array<std::uint8_t, 4>{0xfc, 0x0f, 0, 0}) &&
         writes<h::R_X86_64_PLT32>(via_veneer, std::array<std::uint8_t, 4>{0xfc, 0x07, 0, 0});
}
static_assert(plt32_values());

// GOTPCREL, GOTPCRELX, REX_GOTPCRELX, GOTPCREL64: G + A - P (the slot, never S: no relaxation).
constexpr bool got_pc_values() {
  auto v = vals(0x40'2000, -4, 0x40'0000);
  v.G = 0x60'0018;
  v.GOT = 0x60'0000;
  constexpr std::array<std::uint8_t, 4> w{0x14, 0x00, 0x20, 0x00}; // 0x200014
  return writes<h::R_X86_64_GOTPCREL>(v, w) && writes<h::R_X86_64_GOTPCRELX>(v, w) &&
         writes<h::R_X86_64_REX_GOTPCRELX>(v, w) &&
         writes<h::R_X86_64_GOTPCREL64>(v, std::array<std::uint8_t, 8>{0x14, 0x00, 0x20, 0, 0, 0, 0, 0});
}
static_assert(got_pc_values());

// GOT32, GOT64: G + A - GOT (the slot's offset from the GOT base).
constexpr bool got_off_values() {
  auto v = vals(0x40'2000, 8, 0x40'0000);
  v.G = 0x60'0018;
  v.GOT = 0x60'0000;
  return writes<h::R_X86_64_GOT32>(v, std::array<std::uint8_t, 4>{0x20, 0, 0, 0}) &&
         writes<h::R_X86_64_GOT64>(v, std::array<std::uint8_t, 8>{0x20, 0, 0, 0, 0, 0, 0, 0});
}
static_assert(got_off_values());

// GOTOFF64: S + A - GOT (here below the GOT: negative).
constexpr bool gotoff_values() {
  auto v = vals(0x40'0100, 8, 0x40'0000);
  v.GOT = 0x60'0000;
  v.G = 0x60'0018;
  return writes<h::R_X86_64_GOTOFF64>(v, std::array<std::uint8_t, 8>{0x08, 0x01, 0xe0, 0xff, 0xff, 0xff, 0xff, 0xff});
}
static_assert(gotoff_values());

// GOTPC32, GOTPC64: GOT + A - P.
constexpr bool gotpc_values() {
  auto v = vals(0x40'2000, 3, 0x40'0000);
  v.GOT = 0x60'0000;
  v.G = 0x60'0018;
  return writes<h::R_X86_64_GOTPC32>(v, std::array<std::uint8_t, 4>{0x03, 0x00, 0x20, 0x00}) &&
         writes<h::R_X86_64_GOTPC64>(v, std::array<std::uint8_t, 8>{0x03, 0x00, 0x20, 0, 0, 0, 0, 0});
}
static_assert(gotpc_values());

// SIZE32, SIZE64: Z + A.
constexpr bool size_values() {
  auto v = vals(0x40'2000, 8, 0x40'0000);
  v.Z = 0x40;
  auto big = v;
  big.A = 0x1'0000'0000;
  return writes<h::R_X86_64_SIZE32>(v, std::array<std::uint8_t, 4>{0x48, 0, 0, 0}) &&
         writes<h::R_X86_64_SIZE64>(big, std::array<std::uint8_t, 8>{0x40, 0, 0, 0, 1, 0, 0, 0});
}
static_assert(size_values());

// NONE computes nothing and writes nothing.
constexpr bool none_writes_nothing() {
  auto place = filled<16>();
  if (apply_by_type<X>(X::R_X86_64_NONE, place.data(), vals(0x1234, 5, 6)) != errc::ok) return false;
  for (auto b : place)
    if (b != fill) return false;
  return h::R_X86_64_NONE::width == 0;
}
static_assert(none_writes_nothing());

// ---- Veneer ---------------------------------------------------------------------------------
// Decode the stub the way the CPU does: FF /4 with ModRM 00 100 101 is `jmp *disp32(%rip)`,
// RIP being the address after the 6-byte instruction; the 8 bytes found there are the target.
constexpr std::uint64_t decode_veneer(std::array<std::byte, 16> const& v, std::uint64_t at) {
  if (v[0] != std::byte{0xff} || v[1] != std::byte{0x25}) return 0;
  auto const disp = static_cast<std::uint64_t>(xa::sign_extend(extload::load_at<std::uint32_t, le>(v.data() + 2), 32));
  std::uint64_t const literal = at + 6 + disp;
  std::uint64_t const off = literal - at;
  if (off > v.size() - 8) return 0;
  return extload::load_at<std::uint64_t, le>(v.data() + off);
}

constexpr bool veneer_reaches_target() {
  static_assert(X::veneer_size == 16 && X::veneer_align == 16);
  constexpr std::uint64_t at = 0x7fff'0000'1000, target = 0x1234'5678'9abc'def0;
  auto v = filled<16>();
  X::write_veneer<le>(v.data(), at, target);
  constexpr std::array<std::uint8_t, 16> want{0xff, 0x25, 0, 0, 0, 0,                          // jmp *0(%rip)
                                              0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12, // target
                                              0xcc, 0xcc};                                    // int3 padding
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] != std::byte{want[i]}) return false;
  return decode_veneer(v, at) == target;
}
static_assert(veneer_reaches_target());

// A call through the veneer: PLT32 lands on the stub (L), which lands on S.
constexpr bool call_through_veneer() {
  constexpr std::uint64_t stub = 0x40'8000, far_target = 0x7f00'0000'0000;
  auto const v = [&] {
    auto x = vals(far_target, -4, 0x40'0001);
    x.L = stub;
    return x;
  }();
  auto call = filled<4>();
  if (apply_by_type<X>(X::R_X86_64_PLT32, call.data(), v) != errc::ok) return false;
  // rel32 is relative to the end of the 4-byte field, which A = -4 accounts for.
  auto const rel = static_cast<std::uint64_t>(xa::sign_extend(extload::load_at<std::uint32_t, le>(call.data()), 32));
  if (v.P + 4 + rel != stub) return false;
  std::array<std::byte, 16> veneer{};
  X::write_veneer<le>(veneer.data(), stub, far_target);
  // Without the stub the same call does not fit.
  auto direct = v;
  direct.L = 0;
  return decode_veneer(veneer, stub) == far_target &&
         apply_by_type<X>(X::R_X86_64_PLT32, call.data(), direct) == errc::relocation_overflow;
}
static_assert(call_through_veneer());

// ---- TLS and unknown types ------------------------------------------------------------------
constexpr bool tls_rejected_by_name() {
  constexpr std::uint32_t tls[] = {X::R_X86_64_DTPMOD64, X::R_X86_64_DTPOFF64,     X::R_X86_64_TPOFF64,
                                   X::R_X86_64_TLSGD,    X::R_X86_64_TLSLD,        X::R_X86_64_DTPOFF32,
                                   X::R_X86_64_GOTTPOFF, X::R_X86_64_TPOFF32,      X::R_X86_64_GOTPC32_TLSDESC,
                                   X::R_X86_64_TLSDESC_CALL, X::R_X86_64_TLSDESC};
  for (auto t : tls) {
    auto place = filled<16>();
    if (!X::handles(t) || X::name_of(t) == nullptr || X::kind_of(t) != xa::expr::tls) return false;
    if (apply_by_type<X>(t, place.data(), vals(0x1000, 0, 0x2000)) != errc::unsupported_relocation) return false;
    for (auto b : place)
      if (b != fill) return false;
  }
  return std::string_view{X::name_of(X::R_X86_64_GOTTPOFF)} == "R_X86_64_GOTTPOFF";
}
static_assert(tls_rejected_by_name());

// Dynamic-only types (and numbers the psABI leaves free) are unknown in an ET_REL.
constexpr bool dynamic_types_unknown() {
  constexpr std::uint32_t unknown[] = {X::R_X86_64_COPY,     X::R_X86_64_GLOB_DAT,  X::R_X86_64_JUMP_SLOT,
                                       X::R_X86_64_RELATIVE, X::R_X86_64_IRELATIVE, 38, 39, 40, 43, 0xffff'ffff};
  for (auto t : unknown) {
    auto place = filled<16>();
    if (X::handles(t) || X::name_of(t) != nullptr) return false;
    if (apply_by_type<X>(t, place.data(), vals(0x1000, 0, 0x2000)) != errc::unknown_relocation) return false;
    for (auto b : place)
      if (b != fill) return false;
  }
  return true;
}
static_assert(dynamic_types_unknown());

// Large-model PIC: PLTOFF64 = S + A - GOT (no PLT needed for a 64-bit offset), GOTPLT64 = G + A
// with G the slot offset from the GOT base.
constexpr bool large_model_pic_values() {
  xa::values v = vals(0x7000'0000'1000, 8, 0x5000);
  v.GOT = 0x7000'0000'0000;
  v.G = 0x7000'0000'0040;
  auto place = filled<8>();
  if (apply_by_type<X>(X::R_X86_64_PLTOFF64, place.data(), v) != errc::ok) return false;
  if (extload::load_at<std::uint64_t, std::endian::little>(place.data()) != 0x1008) return false;
  if (apply_by_type<X>(X::R_X86_64_GOTPLT64, place.data(), v) != errc::ok) return false;
  return extload::load_at<std::uint64_t, std::endian::little>(place.data()) == 0x48;
}
static_assert(large_model_pic_values());
TEST_CASE("x86_64: PLTOFF64 and GOTPLT64 (large-model PIC) compute S+A-GOT and G+A") { CHECK(large_model_pic_values()); }

// ---- The set: numbers and names as the psABI table spells them -------------------------------
struct spec_row {
  std::uint32_t type;
  std::string_view name;
};
constexpr spec_row psabi[] = {
  {0, "R_X86_64_NONE"},       {1, "R_X86_64_64"},         {2, "R_X86_64_PC32"},
  {3, "R_X86_64_GOT32"},      {4, "R_X86_64_PLT32"},      {9, "R_X86_64_GOTPCREL"},
  {10, "R_X86_64_32"},        {11, "R_X86_64_32S"},       {12, "R_X86_64_16"},
  {13, "R_X86_64_PC16"},      {14, "R_X86_64_8"},         {15, "R_X86_64_PC8"},
  {16, "R_X86_64_DTPMOD64"},  {17, "R_X86_64_DTPOFF64"},  {18, "R_X86_64_TPOFF64"},
  {19, "R_X86_64_TLSGD"},     {20, "R_X86_64_TLSLD"},     {21, "R_X86_64_DTPOFF32"},
  {22, "R_X86_64_GOTTPOFF"},  {23, "R_X86_64_TPOFF32"},   {24, "R_X86_64_PC64"},
  {25, "R_X86_64_GOTOFF64"},  {26, "R_X86_64_GOTPC32"},   {27, "R_X86_64_GOT64"},
  {28, "R_X86_64_GOTPCREL64"}, {29, "R_X86_64_GOTPC64"},  {30, "R_X86_64_GOTPLT64"},
  {31, "R_X86_64_PLTOFF64"},  {32, "R_X86_64_SIZE32"},
  {33, "R_X86_64_SIZE64"},    {34, "R_X86_64_GOTPC32_TLSDESC"}, {35, "R_X86_64_TLSDESC_CALL"},
  {36, "R_X86_64_TLSDESC"},   {41, "R_X86_64_GOTPCRELX"}, {42, "R_X86_64_REX_GOTPCRELX"},
};

constexpr bool names_match_psabi() {
  for (auto const& r : psabi)
    if (!X::handles(r.type) || X::name_of(r.type) == nullptr || std::string_view{X::name_of(r.type)} != r.name)
      return false;
  // ... and the set holds nothing else.
  if (X::type_count != std::size(psabi)) return false;
  for (auto t : X::types()) {
    bool listed = false;
    for (auto const& r : psabi) listed = listed || r.type == t;
    if (!listed) return false;
  }
  return std::string_view{X::name_of(2)} == "R_X86_64_PC32";
}
static_assert(names_match_psabi());

constexpr bool traits_match_psabi() {
  return X::e_machine == 62 && X::uses_rela && X::got_entry_size == 8 &&
         std::string_view{X::arch_name} == "x86-64" && xa::relocation_set<X>;
}
static_assert(traits_match_psabi());

// ---- Narrowing keeps exactly the listed types ------------------------------------------------
using small = xa::narrow<X, X::R_X86_64_64, X::R_X86_64_PC32>;

constexpr bool narrow_keeps_listed() {
  auto place = filled<16>();
  return xa::relocation_set<small> && small::type_count == 2 && small::handles(X::R_X86_64_64) &&
         small::handles(X::R_X86_64_PC32) && !small::handles(X::R_X86_64_PLT32) &&
         !small::handles(X::R_X86_64_NONE) && !small::handles(X::R_X86_64_TPOFF32) &&
         small::name_of(X::R_X86_64_PLT32) == nullptr &&
         std::string_view{small::name_of(2)} == "R_X86_64_PC32" && small::e_machine == extload::elf::EM_X86_64 &&
         std::is_same_v<small::traits, xa::x86_64_traits> &&
         apply_by_type<small>(X::R_X86_64_PLT32, place.data(), vals(0x40'1000, -4, 0x40'0000)) ==
             errc::unknown_relocation &&
         place[0] == fill &&
         apply_by_type<small>(X::R_X86_64_PC32, place.data(), vals(0x40'1000, -4, 0x40'0000)) == errc::ok &&
         place[0] == std::byte{0xfc} && place[1] == std::byte{0x0f} && place[2] == std::byte{0} &&
         place[3] == std::byte{0} && place[4] == fill;
}
static_assert(narrow_keeps_listed());

} // namespace

TEST_CASE("x86_64: signed 32-bit fields accept [-2^31, 2^31 - 1] and reject the neighbours") {
  CHECK(pc32_edges());
  CHECK(plt32_edges());
  CHECK(gotpcrel_edges());
  CHECK(gotpcrelx_edges());
  CHECK(rex_gotpcrelx_edges());
  CHECK(abs32s_edges());
  CHECK(got32_edges());
  CHECK(gotpc32_edges());
  CHECK(size32_edges());
}
TEST_CASE("x86_64: R_X86_64_32 accepts [0, 2^32 - 1]") { CHECK(abs32_edges()); }
TEST_CASE("x86_64: R_X86_64_16 and R_X86_64_8 accept a signed or unsigned reading") {
  CHECK(abs16_edges());
  CHECK(abs8_edges());
}
TEST_CASE("x86_64: R_X86_64_PC16 and R_X86_64_PC8 are signed") {
  CHECK(pc16_edges());
  CHECK(pc8_edges());
}
TEST_CASE("x86_64: 64-bit fields take every value") { CHECK(wide_fields_unchecked()); }
TEST_CASE("x86_64: no howto has an alignment rule") { CHECK(no_alignment_rules()); }
TEST_CASE("x86_64: S + A") { CHECK(abs_values()); }
TEST_CASE("x86_64: S + A - P") { CHECK(pc_values()); }
TEST_CASE("x86_64: R_X86_64_PLT32 uses L when the symbol has a stub") { CHECK(plt32_values()); }
TEST_CASE("x86_64: GOTPCREL family computes G + A - P") { CHECK(got_pc_values()); }
TEST_CASE("x86_64: GOT32/GOT64 compute G + A - GOT") { CHECK(got_off_values()); }
TEST_CASE("x86_64: GOTOFF64 computes S + A - GOT") { CHECK(gotoff_values()); }
TEST_CASE("x86_64: GOTPC32/GOTPC64 compute GOT + A - P") { CHECK(gotpc_values()); }
TEST_CASE("x86_64: SIZE32/SIZE64 compute Z + A") { CHECK(size_values()); }
TEST_CASE("x86_64: R_X86_64_NONE writes nothing") { CHECK(none_writes_nothing()); }
TEST_CASE("x86_64: the veneer jumps to its target") { CHECK(veneer_reaches_target()); }
TEST_CASE("x86_64: an out-of-range call goes through the veneer") { CHECK(call_through_veneer()); }
TEST_CASE("x86_64: TLS types are named and unsupported") { CHECK(tls_rejected_by_name()); }
TEST_CASE("x86_64: dynamic-only types are unknown in a relocatable object") { CHECK(dynamic_types_unknown()); }
TEST_CASE("x86_64: numbers and names follow the psABI table") { CHECK(names_match_psabi()); }
TEST_CASE("x86_64: traits") { CHECK(traits_match_psabi()); }
TEST_CASE("x86_64: narrow<> keeps exactly the listed types") { CHECK(narrow_keeps_listed()); }
