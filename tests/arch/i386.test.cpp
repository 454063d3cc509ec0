// tests/arch/i386.test.cpp: the i386 relocation set (arch::x86_32). Range edges per lld's
// X86::relocate and the wrap32 interval of the 32-bit fields (min, max, max + 1, min - 1; x86 has
// no alignment rules), the value of each expression kind read back byte by byte, REL addends
// (read_addend is the inverse of write for every type, and recovers what GNU as stored in real
// instructions), TLS rejected by name, and narrowing. Each check runs in static_assert and CHECK.
#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/hana/all_of.hpp>
#include <boost/hana/for_each.hpp>

#include "extload/arch/i386.hpp"

namespace {

namespace xa = extload::arch;
namespace h = xa::i386_howto;
using extload::errc;
using X = xa::x86_32;
constexpr auto le = std::endian::little;
constexpr std::byte fill{0xa5};

template <std::size_t N>
constexpr std::array<std::byte, N> filled() {
  std::array<std::byte, N> a{};
  for (auto& b : a) b = fill;
  return a;
}

// The whole relocation, found by type number the way the loader finds it, with the REL addend
// read from the place first (link.hpp does the same for sets with uses_rela == false).
template <class Set>
constexpr errc link_one(std::uint32_t type, std::byte* place, xa::values v) {
  return Set::dispatch(type, errc::unknown_relocation, [&](auto howto) {
    using H = typename decltype(howto)::type;
    v.A = H::template read_addend<le>(place);
    return xa::apply<H, le>(place, v);
  });
}

// Inputs for which H computes `v`; the addend (-4) sits in the place, as in a REL object.
template <class H>
constexpr xa::values inputs_for(std::int64_t v) {
  auto const u = static_cast<std::uint64_t>(v);
  xa::values in;
  in.P = 0x40'1000;
  in.GOT = 0x60'0000;
  in.S = 0x77'0000;
  in.G = 0x60'0010;
  in.Z = 0x55;
  switch (H::kind) {
  case xa::expr::abs: in.S = u + 4; break;
  case xa::expr::pc:
  case xa::expr::branch: in.S = in.P + u + 4; break;
  case xa::expr::got_off: in.G = in.GOT + u + 4; break;
  case xa::expr::gotoff: in.S = in.GOT + u + 4; break;
  case xa::expr::gotpc: in.GOT = in.P + u + 4; break;
  case xa::expr::size: in.Z = u + 4; break;
  default: break;
  }
  return in;
}

// Store the REL addend -4 in the field (what `call foo` carries), as GNU as would.
template <class H>
constexpr std::array<std::byte, 8> place_with_addend() {
  auto p = filled<8>();
  for (std::size_t i = 0; i < H::width; ++i) p[i] = static_cast<std::byte>(i == 0 ? 0xfc : 0xff);
  return p;
}

// One boundary row: `v` lands in the place (low `width` bytes, little-endian, nothing else
// touched), or is rejected with the place left as it was.
template <class H>
constexpr bool row(std::int64_t v, errc expected) {
  auto in = inputs_for<H>(v);
  auto const u = static_cast<std::uint64_t>(v);
  in.A = -4;
  if (xa::evaluate<H>(in) != u) return false;
  auto place = place_with_addend<H>();
  auto const before = place;
  if (link_one<X>(H::type, place.data(), inputs_for<H>(v)) != expected) return false;
  for (std::size_t i = 0; i < place.size(); ++i) {
    auto const want = (expected == errc::ok && i < H::width) ? static_cast<std::byte>(u >> (8 * i)) : before[i];
    if (place[i] != want) return false;
  }
  return true;
}

template <class H>
constexpr bool edges(std::int64_t min, std::int64_t max) {
  return row<H>(min, errc::ok) && row<H>(max, errc::ok) && row<H>(max + 1, errc::relocation_overflow) &&
         row<H>(min - 1, errc::relocation_overflow);
}

constexpr std::int64_t w32_min = -(std::int64_t{1} << 32), w32_max = (std::int64_t{1} << 32) - 1;

// ---- 32-bit fields: every value a 32-bit address computation produces ---------------------
constexpr bool abs32_edges() { return edges<h::R_386_32>(w32_min, w32_max); }
constexpr bool pc32_edges() { return edges<h::R_386_PC32>(w32_min, w32_max); }
constexpr bool plt32_edges() { return edges<h::R_386_PLT32>(w32_min, w32_max); }
constexpr bool got32_edges() { return edges<h::R_386_GOT32>(w32_min, w32_max); }
constexpr bool got32x_edges() { return edges<h::R_386_GOT32X>(w32_min, w32_max); }
constexpr bool gotoff_edges() { return edges<h::R_386_GOTOFF>(w32_min, w32_max); }
constexpr bool gotpc_edges() { return edges<h::R_386_GOTPC>(w32_min, w32_max); }
constexpr bool size32_edges() { return edges<h::R_386_SIZE32>(w32_min, w32_max); }
static_assert(abs32_edges());
static_assert(pc32_edges());
static_assert(plt32_edges());
static_assert(got32_edges());
static_assert(got32x_edges());
static_assert(gotoff_edges());
static_assert(gotpc_edges());
static_assert(size32_edges());

// A backward branch across the 4 GiB wrap: from 0xffff'f000 to 0x1000 is S - P = -0xffff'e000,
// encoded 0x0000'2000 - 4 + ..., which the CPU reaches by wrapping EIP.
constexpr bool pc32_wraps() {
  auto place = filled<4>();
  extload::store_at<std::uint32_t, le>(place.data(), 0xffff'fffcu); // addend -4
  xa::values v;
  v.S = 0x1000;
  v.P = 0xffff'f001;
  if (link_one<X>(X::R_386_PC32, place.data(), v) != errc::ok) return false;
  // 0x1000 - 4 - 0xffff'f001 = 0x1ffb modulo 2^32: P + 4 + 0x1ffb wraps to 0x1000.
  return extload::load_at<std::uint32_t, le>(place.data()) == 0x1ffbu;
}
static_assert(pc32_wraps());

// ---- Narrow fields (lld: checkIntUInt for 8/16, checkInt 8 for PC8, checkInt 17 for PC16) --
constexpr bool abs16_edges() { return edges<h::R_386_16>(-(1 << 15), (1 << 16) - 1); }
constexpr bool pc16_edges() { return edges<h::R_386_PC16>(-(1 << 16), (1 << 16) - 1); }
constexpr bool abs8_edges() { return edges<h::R_386_8>(-(1 << 7), (1 << 8) - 1); }
constexpr bool pc8_edges() { return edges<h::R_386_PC8>(-(1 << 7), (1 << 7) - 1); }
static_assert(abs16_edges());
static_assert(pc16_edges());
static_assert(abs8_edges());
static_assert(pc8_edges());

// x86 displacements and immediates have no alignment rule: every howto has align 1.
constexpr bool no_alignment_rules() {
  return boost::hana::all_of(X::howtos, [](auto t) { return decltype(t)::type::align == 1; });
}
static_assert(no_alignment_rules());

// ---- REL: read_addend inverts write for every type with a field ---------------------------
template <class H>
constexpr bool round_trips(std::uint64_t v) {
  if constexpr (H::width == 0 || H::kind == xa::expr::tls) {
    return true;
  } else {
    auto place = filled<8>();
    H::template write<le>(place.data(), v);
    unsigned const bits = static_cast<unsigned>(H::width) * 8;
    return H::template read_addend<le>(place.data()) == xa::sign_extend(v, bits);
  }
}
constexpr bool every_addend_round_trips() {
  bool ok = true;
  boost::hana::for_each(X::howtos, [&](auto t) {
    using H = typename decltype(t)::type;
    for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0x7f}, std::uint64_t{0x80},
                            std::uint64_t{0x7fff}, std::uint64_t{0x8000}, std::uint64_t{0x1234'5678},
                            std::uint64_t{0x8000'0000}, ~std::uint64_t{0}, ~std::uint64_t{3}})
      ok = ok && round_trips<H>(v);
  });
  return ok;
}
static_assert(every_addend_round_trips());

// The addends GNU as stored in real instructions (i686-linux-gnu-as --32 on
//   call foo / addl $_GLOBAL_OFFSET_TABLE_, %ebx / leal bar@GOTOFF+8(%ebx), %ecx /
//   movl $foo+0x12345678, %eax / .word foo-2 / .byte foo+3 / .long foo-0x10,
// bytes read with objdump -d and objdump -s):
//   e8 fc ff ff ff | 81 c3 02 00 00 00 | 8d 8b 08 00 00 00 | b8 78 56 34 12 | fe ff | 03 | f0 ff ff ff
constexpr std::array<std::uint8_t, 30> as_bytes{0xe8, 0xfc, 0xff, 0xff, 0xff, 0x81, 0xc3, 0x02, 0x00, 0x00,
                                                0x00, 0x8d, 0x8b, 0x08, 0x00, 0x00, 0x00, 0xb8, 0x78, 0x56,
                                                0x34, 0x12, 0xfe, 0xff, 0x03, 0xf0, 0xff, 0xff, 0xff, 0x00};
constexpr std::array<std::byte, 30> as_image() {
  std::array<std::byte, 30> a{};
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = std::byte{as_bytes[i]};
  return a;
}
constexpr bool assembler_addends() {
  auto const a = as_image();
  return h::R_386_PC32::read_addend<le>(a.data() + 1) == -4 && h::R_386_GOTPC::read_addend<le>(a.data() + 7) == 2 &&
         h::R_386_GOTOFF::read_addend<le>(a.data() + 13) == 8 &&
         h::R_386_32::read_addend<le>(a.data() + 18) == 0x1234'5678 && h::R_386_16::read_addend<le>(a.data() + 22) == -2 &&
         h::R_386_8::read_addend<le>(a.data() + 24) == 3 && h::R_386_32::read_addend<le>(a.data() + 25) == -0x10;
}
static_assert(assembler_addends());

// GOTPC on `call __x86.get_pc_thunk.bx; addl $_GLOBAL_OFFSET_TABLE_, %ebx`: the thunk leaves the
// address of the addl in %ebx, so after the add %ebx must hold the GOT base.
constexpr bool gotpc_yields_got_base() {
  auto a = as_image();
  std::uint64_t const text = 0x80'0000, addl = text + 5;
  xa::values v;
  v.P = addl + 2;
  v.GOT = 0x80'4000;
  if (link_one<X>(X::R_386_GOTPC, a.data() + 7, v) != errc::ok) return false;
  auto const imm = extload::load_at<std::uint32_t, le>(a.data() + 7);
  return static_cast<std::uint32_t>(addl + imm) == v.GOT && a[5] == std::byte{0x81} && a[6] == std::byte{0xc3};
}
static_assert(gotpc_yields_got_base());

// `call foo` at 0x80'0000 to foo at 0x80'1000: rel32 = 0x1000 - 5 (the CPU adds it to the
// address of the next instruction). The opcode byte is untouched.
constexpr bool call_lands_on_target() {
  auto a = as_image();
  xa::values v;
  v.S = 0x80'1000;
  v.P = 0x80'0001;
  if (link_one<X>(X::R_386_PC32, a.data() + 1, v) != errc::ok) return false;
  return a[0] == std::byte{0xe8} && 0x80'0005u + extload::load_at<std::uint32_t, le>(a.data() + 1) == 0x80'1000u;
}
static_assert(call_lands_on_target());

// ---- Values per kind -------------------------------------------------------------------------
template <class H>
constexpr std::uint32_t value32(xa::values const& v) {
  auto place = filled<4>();
  extload::store_at<std::uint32_t, le>(place.data(), static_cast<std::uint32_t>(v.A));
  xa::values in = v;
  if (link_one<X>(H::type, place.data(), in) != errc::ok) return 0xdead'beef;
  return extload::load_at<std::uint32_t, le>(place.data());
}
constexpr bool kind_values() {
  xa::values v;
  v.S = 0x40'2000;
  v.A = 8;
  v.P = 0x40'0000;
  v.G = 0x60'0018;
  v.GOT = 0x60'0000;
  v.Z = 0x40;
  return value32<h::R_386_32>(v) == 0x40'2008u &&         // S + A
         value32<h::R_386_PC32>(v) == 0x2008u &&           // S + A - P
         value32<h::R_386_PLT32>(v) == 0x2008u &&          // L + A - P with L = S (no veneers)
         value32<h::R_386_GOT32>(v) == 0x20u &&            // G + A - GOT
         value32<h::R_386_GOT32X>(v) == 0x20u &&           // G + A - GOT (PIC form)
         value32<h::R_386_GOTOFF>(v) == 0xffe0'2008u &&    // S + A - GOT, below the GOT
         value32<h::R_386_GOTPC>(v) == 0x20'0008u &&       // GOT + A - P
         value32<h::R_386_SIZE32>(v) == 0x48u;             // Z + A
}
static_assert(kind_values());

// ---- TLS is rejected by name, the place untouched ---------------------------------------------
constexpr bool tls_rejected() {
  bool ok = true;
  int n = 0;
  boost::hana::for_each(X::howtos, [&](auto t) {
    using H = typename decltype(t)::type;
    if constexpr (H::kind == xa::expr::tls) {
      ++n;
      auto place = filled<8>();
      ok = ok && link_one<X>(H::type, place.data(), xa::values{}) == errc::unsupported_relocation &&
           place == filled<8>() && std::string_view{X::name_of(H::type)}.starts_with("R_386_TLS_");
    }
  });
  return ok && n == 23;
}
static_assert(tls_rejected());

// ---- Set facts, names, narrowing ---------------------------------------------------------------
constexpr bool set_facts() {
  return X::e_machine == 3 && !X::uses_rela && X::got_entry_size == 4 && X::veneer_size == 0 &&
         std::string_view{X::arch_name} == "i386" && X::type_count == 36 &&
         std::string_view{X::name_of(X::R_386_GOT32X)} == "R_386_GOT32X" &&
         std::string_view{X::name_of(X::R_386_GOTPC)} == "R_386_GOTPC" && X::name_of(X::R_386_RELATIVE) == nullptr &&
         !X::handles(X::R_386_COPY) && !X::handles(X::R_386_JMP_SLOT) && !X::handles(X::R_386_IRELATIVE) &&
         X::kind_of(X::R_386_GOTOFF) == xa::expr::gotoff;
}
static_assert(set_facts());

using narrowed = xa::narrow<X, X::R_386_32, X::R_386_PC32>;
constexpr bool narrowing() {
  auto place = filled<4>();
  xa::values v;
  v.S = 0x1000;
  return narrowed::type_count == 2 && narrowed::handles(X::R_386_PC32) && !narrowed::handles(X::R_386_GOTOFF) &&
         link_one<narrowed>(X::R_386_GOTOFF, place.data(), v) == errc::unknown_relocation && place == filled<4>() &&
         link_one<narrowed>(X::R_386_32, place.data(), v) == errc::ok && !narrowed::uses_rela;
}
static_assert(narrowing());

} // namespace

TEST_CASE("i386: 32-bit fields accept every 32-bit address computation, [-2^32, 2^32 - 1]") {
  CHECK(abs32_edges());
  CHECK(pc32_edges());
  CHECK(plt32_edges());
  CHECK(got32_edges());
  CHECK(got32x_edges());
  CHECK(gotoff_edges());
  CHECK(gotpc_edges());
  CHECK(size32_edges());
  CHECK(pc32_wraps());
}
TEST_CASE("i386: narrow fields follow lld (16/8 either reading, PC16 17 bits, PC8 8 bits)") {
  CHECK(abs16_edges());
  CHECK(pc16_edges());
  CHECK(abs8_edges());
  CHECK(pc8_edges());
  CHECK(no_alignment_rules());
}
TEST_CASE("i386: REL addends round-trip and match what GNU as stores") {
  CHECK(every_addend_round_trips());
  CHECK(assembler_addends());
  CHECK(gotpc_yields_got_base());
  CHECK(call_lands_on_target());
}
TEST_CASE("i386: value of each expression kind") { CHECK(kind_values()); }
TEST_CASE("i386: TLS relocations are rejected by name") { CHECK(tls_rejected()); }
TEST_CASE("i386: set facts, names and narrow<>") {
  CHECK(set_facts());
  CHECK(narrowing());
}

// GOT32X without a base register (gcc -fno-pic -fno-plt: `call *foo@GOT` = ff 15 disp32) holds the
// absolute slot address G + A; with a base register (`call *foo@GOT(%ebx)` = ff 93) G + A - GOT.
constexpr bool got32x_form_follows_modrm() {
  namespace h = extload::arch::i386_howto;
  std::array<std::byte, 6> no_base{std::byte{0xff}, std::byte{0x15}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}};
  std::array<std::byte, 6> with_base{std::byte{0xff}, std::byte{0x93}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}};
  return h::R_386_GOT32X::place_kind(no_base.data(), 2) == extload::arch::expr::got_abs &&
         h::R_386_GOT32X::place_kind(with_base.data(), 2) == extload::arch::expr::got_off &&
         h::R_386_GOT32::place_kind(no_base.data(), 0) == extload::arch::expr::got_off && // nothing before offset 0
         extload::arch::evaluate_kind(extload::arch::expr::got_abs, {.S = 0, .A = 0, .P = 0, .G = 0x1234, .GOT = 0x1000}) == 0x1234 &&
         extload::arch::evaluate_kind(extload::arch::expr::got_off, {.S = 0, .A = 0, .P = 0, .G = 0x1234, .GOT = 0x1000}) == 0x234;
}
static_assert(got32x_form_follows_modrm());
TEST_CASE("i386: GOT32X picks G + A or G + A - GOT from the ModRM byte, as lld") { CHECK(got32x_form_follows_modrm()); }
