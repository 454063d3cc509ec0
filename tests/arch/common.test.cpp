// tests/arch/common.test.cpp: the relocation vocabulary of arch/common.hpp. Ranges at their
// edges for several widths (lld's checkInt/checkUInt/checkIntUInt), sign_extend, bits, page,
// evaluate<> for every expression kind against hand-computed values, and check_and_write
// writing nothing when it fails. Each check runs in static_assert and in CHECK.
#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "extload/arch/common.hpp"

namespace {

namespace xa = extload::arch;
using extload::errc;

constexpr std::uint64_t u(std::int64_t v) { return static_cast<std::uint64_t>(v); }
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

// ---- Ranges -----------------------------------------------------------------------------------
constexpr bool signed_bits_edges() {
  auto const s1 = xa::signed_bits(1), s8 = xa::signed_bits(8), s32 = xa::signed_bits(32);
  auto const s63 = xa::signed_bits(63), s64 = xa::signed_bits(64);
  return s1.contains(u(-1)) && s1.contains(0) && !s1.contains(1) && !s1.contains(u(-2)) &&
         s8.contains(u(-128)) && s8.contains(127) && !s8.contains(128) && !s8.contains(u(-129)) &&
         !s8.contains(255) && s32.contains(u(-(std::int64_t{1} << 31))) && s32.contains(0x7fff'ffff) &&
         !s32.contains(0x8000'0000) && !s32.contains(u(-(std::int64_t{1} << 31) - 1)) &&
         !s32.contains(0xffff'ffff) && s63.contains(u(-(std::int64_t{1} << 62))) &&
         s63.contains((std::uint64_t{1} << 62) - 1) && !s63.contains(std::uint64_t{1} << 62) &&
         !s63.contains(u(-(std::int64_t{1} << 62) - 1)) && s64.contains(u(i64_min)) && s64.contains(u(i64_max)) &&
         s64.contains(u64_max);
}
static_assert(signed_bits_edges());

constexpr bool unsigned_bits_edges() {
  auto const u1 = xa::unsigned_bits(1), u8 = xa::unsigned_bits(8), u32 = xa::unsigned_bits(32);
  auto const u63 = xa::unsigned_bits(63), u64 = xa::unsigned_bits(64);
  return u1.contains(0) && u1.contains(1) && !u1.contains(2) && !u1.contains(u(-1)) && u8.contains(0) &&
         u8.contains(255) && !u8.contains(256) && !u8.contains(u(-1)) && !u8.contains(u(-128)) &&
         u32.contains(0xffff'ffff) && !u32.contains(0x1'0000'0000) && !u32.contains(u(-1)) &&
         u63.contains(u(i64_max)) && !u63.contains(u(i64_min)) && u64.contains(0) && u64.contains(u64_max);
}
static_assert(unsigned_bits_edges());

// checkIntUInt: [-2^(n-1), 2^n - 1], i.e. what a signed or an unsigned reading accepts.
constexpr bool any_bits_edges() {
  auto const a8 = xa::any_bits(8), a16 = xa::any_bits(16), a32 = xa::any_bits(32), a64 = xa::any_bits(64);
  return a8.contains(u(-128)) && a8.contains(u(-1)) && a8.contains(0) && a8.contains(127) && a8.contains(128) &&
         a8.contains(255) && !a8.contains(256) && !a8.contains(u(-129)) && a16.contains(u(-32768)) &&
         a16.contains(0xffff) && !a16.contains(0x1'0000) && !a16.contains(u(-32769)) &&
         a32.contains(u(-(std::int64_t{1} << 31))) && a32.contains(0xffff'ffff) && !a32.contains(0x1'0000'0000) &&
         !a32.contains(u(-(std::int64_t{1} << 31) - 1)) && a64.contains(u(i64_min)) && a64.contains(u64_max);
}
static_assert(any_bits_edges());

constexpr bool no_check_takes_everything() {
  return xa::no_check.contains(0) && xa::no_check.contains(u64_max) && xa::no_check.contains(u(i64_min));
}
static_assert(no_check_takes_everything());

// ---- Bit helpers --------------------------------------------------------------------------------
constexpr bool sign_extend_edges() {
  return xa::sign_extend(0x80, 8) == -128 && xa::sign_extend(0x7f, 8) == 127 &&
         xa::sign_extend(0x1'ff80, 8) == -128 && // bits above n are ignored
         xa::sign_extend(0x1'0000'007f, 8) == 127 && xa::sign_extend(0xffff'ffff, 32) == -1 &&
         xa::sign_extend(0x7fff'ffff, 32) == 0x7fff'ffff &&
         xa::sign_extend(0x8000'0000, 32) == -(std::int64_t{1} << 31) &&
         xa::sign_extend(0x200'0000, 26) == -(std::int64_t{1} << 25) && xa::sign_extend(1, 1) == -1 &&
         xa::sign_extend(0, 1) == 0 && xa::sign_extend(u(i64_min), 64) == i64_min &&
         xa::sign_extend(0x123, 64) == 0x123;
}
static_assert(sign_extend_edges());

constexpr bool bits_fields() {
  return xa::bits(0xabcd, 15, 12) == 0xa && xa::bits(0xabcd, 7, 4) == 0xc && xa::bits(0xabcd, 3, 0) == 0xd &&
         xa::bits(0xabcd, 0, 0) == 1 && xa::bits(0xabcd, 1, 1) == 0 && xa::bits(std::uint64_t{1} << 63, 63, 63) == 1 &&
         xa::bits(u64_max, 62, 0) == u(i64_max) && xa::bits(u64_max, 63, 1) == u(i64_max) &&
         xa::bits(0x0123'4567'89ab'cdef, 43, 12) == 0x5678'9abc;
}
static_assert(bits_fields());

constexpr bool page_masks_low_12_bits() {
  return xa::page(0) == 0 && xa::page(0xfff) == 0 && xa::page(0x1000) == 0x1000 && xa::page(0x12345) == 0x12000 &&
         xa::page(u64_max) == 0xffff'ffff'ffff'f000;
}
static_assert(page_masks_low_12_bits());

// ---- What value: evaluate<> per expression kind ------------------------------------------------
template <xa::expr K, xa::range C = xa::no_check, std::uint64_t Align = 1, class W = xa::data_write<std::uint64_t>>
struct probe : W {
  static constexpr std::uint32_t type = 1;
  static constexpr char const* name = "R_PROBE";
  static constexpr xa::expr kind = K;
  static constexpr xa::range check = C;
  static constexpr std::uint64_t align = Align;
};
struct probe_custom : probe<xa::expr::custom> {
  static constexpr std::uint64_t compute(xa::values const& v) { return v.S ^ v.P; }
};

constexpr xa::values sample(std::uint64_t L = 0) {
  xa::values v;
  v.S = 0x1234'5678;
  v.A = 0x20;
  v.P = 0x1000'0100;
  v.G = 0x2000'0008;
  v.GOT = 0x2000'0000;
  v.L = L;
  v.Z = 0x40;
  return v;
}

template <xa::expr K>
constexpr std::uint64_t eval(xa::values const& v) {
  return xa::evaluate<probe<K>>(v);
}

// Expected values computed by hand from the psABI formulas.
constexpr bool evaluate_each_kind() {
  using enum xa::expr;
  auto const v = sample();
  return eval<none>(v) == 0 && eval<abs>(v) == 0x1234'5698 &&                 // S + A
         eval<pc>(v) == 0x234'5598 &&                                           // S + A - P
         eval<branch>(v) == 0x234'5598 &&                                       // no stub: S + A - P
         eval<branch>(sample(0x3000'0000)) == 0x1fff'ff20 &&                    // stub: L + A - P
         eval<got_pc>(v) == 0xfff'ff28 &&                                       // G + A - P
         eval<got_off>(v) == 0x28 &&                                            // G + A - GOT
         eval<got_abs>(v) == 0x2000'0028 &&                                     // G + A
         eval<gotoff>(v) == 0xffff'ffff'f234'5698 &&                            // S + A - GOT (negative)
         eval<gotpc>(v) == 0xfff'ff20 &&                                        // GOT + A - P
         eval<size>(v) == 0x60 &&                                               // Z + A
         eval<page_pc>(v) == 0x234'5000 &&                                      // Page(S + A) - Page(P)
         eval<got_page_pc>(v) == 0x1000'0000 &&                                 // Page(G) - Page(P)
         xa::evaluate<probe_custom>(v) == (0x1234'5678 ^ 0x1000'0100) &&         // the howto's own formula
         eval<tls>(v) == 0;
}
static_assert(evaluate_each_kind());

// Negative addends and backward references wrap like the hardware.
constexpr bool evaluate_wraps() {
  using enum xa::expr;
  xa::values v;
  v.S = 0x1000;
  v.A = -0x10;
  v.P = 0x2000;
  xa::values crossing; // S + A falls into the previous page
  crossing.S = 0x5000;
  crossing.A = -1;
  crossing.P = 0x3008;
  return eval<abs>(v) == 0xff0 && eval<pc>(v) == u(-0x1010) && eval<page_pc>(crossing) == 0x1000;
}
static_assert(evaluate_wraps());

constexpr bool got_classification() {
  using enum xa::expr;
  return xa::needs_got(got_pc) && xa::needs_got(got_off) && xa::needs_got(got_abs) && xa::needs_got(got_page_pc) &&
         !xa::needs_got(abs) && !xa::needs_got(pc) && !xa::needs_got(gotoff) && !xa::needs_got(gotpc) &&
         xa::uses_got_base(got_off) && xa::uses_got_base(gotoff) && xa::uses_got_base(gotpc) &&
         !xa::uses_got_base(got_pc) && !xa::uses_got_base(got_abs) && !xa::uses_got_base(abs);
}
static_assert(got_classification());

// ---- Which bits: check_and_write -----------------------------------------------------------------
constexpr std::byte fill{0x5a};

template <std::size_t N>
constexpr std::array<std::byte, N> filled() {
  std::array<std::byte, N> a{};
  for (auto& b : a) b = fill;
  return a;
}
template <std::size_t N>
constexpr bool untouched(std::array<std::byte, N> const& a) {
  for (auto b : a)
    if (b != fill) return false;
  return true;
}

constexpr bool writes_in_byte_order() {
  using w = probe<xa::expr::abs, xa::any_bits(32), 1, xa::data_write<std::uint32_t>>;
  auto l = filled<6>();
  auto b = filled<6>();
  return xa::check_and_write<w, std::endian::little>(l.data() + 1, 0x1122'3344) == errc::ok &&
         xa::check_and_write<w, std::endian::big>(b.data() + 1, 0x1122'3344) == errc::ok && l[0] == fill &&
         l[1] == std::byte{0x44} && l[2] == std::byte{0x33} && l[3] == std::byte{0x22} && l[4] == std::byte{0x11} &&
         l[5] == fill && b[0] == fill && b[1] == std::byte{0x11} && b[2] == std::byte{0x22} &&
         b[3] == std::byte{0x33} && b[4] == std::byte{0x44} && b[5] == fill;
}
static_assert(writes_in_byte_order());

constexpr bool overflow_writes_nothing() {
  using s8 = probe<xa::expr::abs, xa::signed_bits(8), 1, xa::data_write<std::uint8_t>>;
  auto p = filled<2>();
  auto q = filled<2>();
  return xa::check_and_write<s8, std::endian::little>(p.data(), 128) == errc::relocation_overflow && untouched(p) &&
         xa::check_and_write<s8, std::endian::little>(p.data(), u(-129)) == errc::relocation_overflow &&
         untouched(p) && xa::check_and_write<s8, std::endian::little>(q.data(), u(-128)) == errc::ok &&
         q[0] == std::byte{0x80} && q[1] == fill;
}
static_assert(overflow_writes_nothing());

constexpr bool misaligned_writes_nothing() {
  using a4 = probe<xa::expr::pc, xa::signed_bits(32), 4, xa::data_write<std::uint32_t>>;
  auto p = filled<4>();
  auto q = filled<4>();
  return xa::check_and_write<a4, std::endian::little>(p.data(), 0x1002) == errc::misaligned_relocation &&
         untouched(p) && xa::check_and_write<a4, std::endian::little>(p.data(), u(-2)) == errc::misaligned_relocation &&
         untouched(p) && xa::check_and_write<a4, std::endian::little>(q.data(), 0x1004) == errc::ok &&
         q[0] == std::byte{0x04} && q[1] == std::byte{0x10} && q[2] == std::byte{0} && q[3] == std::byte{0};
}
static_assert(misaligned_writes_nothing());

constexpr bool none_and_tls_write_nothing() {
  using n = probe<xa::expr::none>;
  using t = probe<xa::expr::tls>;
  auto p = filled<8>();
  return xa::check_and_write<n, std::endian::little>(p.data(), 0x1234) == errc::ok && untouched(p) &&
         xa::check_and_write<t, std::endian::little>(p.data(), 0x1234) == errc::unsupported_relocation &&
         untouched(p) && xa::apply<t, std::endian::little>(p.data(), sample()) == errc::unsupported_relocation &&
         untouched(p);
}
static_assert(none_and_tls_write_nothing());

// apply = evaluate then check_and_write.
constexpr bool apply_combines_both_steps() {
  using pc32 = probe<xa::expr::pc, xa::signed_bits(32), 1, xa::data_write<std::uint32_t>>;
  auto p = filled<4>();
  auto q = filled<4>();
  auto far = sample();
  far.S = 0x1'2000'0000; // S + A - P > 2^31 - 1
  return xa::apply<pc32, std::endian::little>(p.data(), sample()) == errc::ok && p[0] == std::byte{0x98} &&
         p[1] == std::byte{0x55} && p[2] == std::byte{0x34} && p[3] == std::byte{0x02} &&
         xa::apply<pc32, std::endian::little>(q.data(), far) == errc::relocation_overflow && untouched(q);
}
static_assert(apply_combines_both_steps());

// data_write reads back what it wrote, sign-extended (REL addends).
constexpr bool data_write_round_trips() {
  using w16 = xa::data_write<std::uint16_t>;
  using w32 = xa::data_write<std::uint32_t>;
  std::array<std::byte, 4> p{};
  w16::write<std::endian::big>(p.data(), 0xfffe);
  bool const a = w16::read_addend<std::endian::big>(p.data()) == -2 && p[0] == std::byte{0xff} &&
                 p[1] == std::byte{0xfe};
  w32::write<std::endian::little>(p.data(), 0x7fff'ffff);
  return a && w32::read_addend<std::endian::little>(p.data()) == 0x7fff'ffff && w16::width == 2 && w32::width == 4;
}
static_assert(data_write_round_trips());

} // namespace

TEST_CASE("arch/common: signed_bits is checkInt") { CHECK(signed_bits_edges()); }
TEST_CASE("arch/common: unsigned_bits is checkUInt") { CHECK(unsigned_bits_edges()); }
TEST_CASE("arch/common: any_bits is checkIntUInt") { CHECK(any_bits_edges()); }
TEST_CASE("arch/common: no_check accepts every value") { CHECK(no_check_takes_everything()); }
TEST_CASE("arch/common: sign_extend") { CHECK(sign_extend_edges()); }
TEST_CASE("arch/common: bits") { CHECK(bits_fields()); }
TEST_CASE("arch/common: page") { CHECK(page_masks_low_12_bits()); }
TEST_CASE("arch/common: evaluate<> computes each expression kind") { CHECK(evaluate_each_kind()); }
TEST_CASE("arch/common: evaluate<> wraps with negative addends") { CHECK(evaluate_wraps()); }
TEST_CASE("arch/common: needs_got and uses_got_base") { CHECK(got_classification()); }
TEST_CASE("arch/common: check_and_write honours the byte order") { CHECK(writes_in_byte_order()); }
TEST_CASE("arch/common: overflow writes nothing") { CHECK(overflow_writes_nothing()); }
TEST_CASE("arch/common: misalignment writes nothing") { CHECK(misaligned_writes_nothing()); }
TEST_CASE("arch/common: NONE and TLS write nothing") { CHECK(none_and_tls_write_nothing()); }
TEST_CASE("arch/common: apply = evaluate + check_and_write") { CHECK(apply_combines_both_steps()); }
TEST_CASE("arch/common: data_write round-trips") { CHECK(data_write_round_trips()); }
