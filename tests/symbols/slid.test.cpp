// tests/symbols/slid.test.cpp: Zephyr SLIDs. Golden values are the output of Zephyr's
// scripts/build/llext_slidlib.py definition (first 4 or 8 bytes of SHA-256(name), big-endian),
// reproduced with Python hashlib: int.from_bytes(hashlib.sha256(name).digest()[:n], "big").
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "extload/symbols/slid.hpp"

namespace {

using extload::slid_of;
using extload::slid_v;

struct golden { std::string_view name; std::uint64_t slid4, slid8; };
constexpr golden goldens[] = {
  {"printk", 0x87B31052u, 0x87B3105268827052u},
  {"memcpy", 0xAA517FA4u, 0xAA517FA41DB4B3DDu},
  {"z_impl_k_sleep", 0x401C8720u, 0x401C8720377FDB40u},
  {"z_impl_ext_syscall_fail", 0xD58BC0E7u, 0xD58BC0E7C64CD965u},
  {"test_entry", 0x0DCF13B0u, 0x0DCF13B0F264CA87u},
};

constexpr bool slid_of_matches_zephyr() {
  for (auto const& g : goldens)
    if (slid_of<4>(g.name) != g.slid4 || slid_of<8>(g.name) != g.slid8) return false;
  return true;
}
static_assert(slid_of_matches_zephyr());
TEST_CASE("slid: slid_of<4> and slid_of<8> match llext_slidlib.py") { CHECK(slid_of_matches_zephyr()); }

// The variable template is the per-name evaluation used by export tables.
constexpr bool slid_v_matches_zephyr() {
  return slid_v<4, "printk"> == 0x87B31052u && slid_v<8, "printk"> == 0x87B3105268827052u
      && slid_v<4, "memcpy"> == 0xAA517FA4u && slid_v<8, "memcpy"> == 0xAA517FA41DB4B3DDu
      && slid_v<4, "z_impl_k_sleep"> == 0x401C8720u && slid_v<8, "z_impl_k_sleep"> == 0x401C8720377FDB40u
      && slid_v<4, "z_impl_ext_syscall_fail"> == 0xD58BC0E7u
      && slid_v<8, "z_impl_ext_syscall_fail"> == 0xD58BC0E7C64CD965u
      && slid_v<4, "test_entry"> == 0x0DCF13B0u && slid_v<8, "test_entry"> == 0x0DCF13B0F264CA87u;
}
static_assert(slid_v_matches_zephyr());
TEST_CASE("slid: slid_v<Bytes, \"name\"> matches llext_slidlib.py") { CHECK(slid_v_matches_zephyr()); }

// A 4-byte SLID is the top half of the 8-byte one (both are prefixes of the same digest), and a
// 4-byte SLID never has bits above 32.
constexpr bool narrow_is_prefix_of_wide() {
  for (auto const& g : goldens) {
    if (slid_of<8>(g.name) >> 32 != slid_of<4>(g.name)) return false;
    if (slid_of<4>(g.name) > 0xffffffffu) return false;
  }
  return true;
}
static_assert(narrow_is_prefix_of_wide());
TEST_CASE("slid: the 4-byte SLID is the high half of the 8-byte SLID") { CHECK(narrow_is_prefix_of_wide()); }

// Names read from an image (byte_string) give the same SLIDs as string literals.
constexpr bool byte_string_names() {
  constexpr std::array b{std::byte{'p'}, std::byte{'r'}, std::byte{'i'}, std::byte{'n'}, std::byte{'t'}, std::byte{'k'}};
  extload::byte_string const name{b.data(), b.size()};
  return slid_of<4>(name) == 0x87B31052u && slid_of<8>(name) == 0x87B3105268827052u
      && slid_of<8>(extload::byte_string{b.data(), 5}) == slid_of<8>("print");
}
static_assert(byte_string_names());
TEST_CASE("slid: byte_string names hash like the same string literal") { CHECK(byte_string_names()); }

// fixed_string: the NTTP carrier of names (deduced length excludes the NUL; concatenation and
// decimal spelling build generated names such as "fw_fn_1999").
constexpr bool fixed_string_basics() {
  constexpr extload::fixed_string s{"printk"};
  static_assert(std::is_same_v<decltype(s), extload::fixed_string<6> const>);
  constexpr auto generated = extload::fixed_string{"fw_fn_"} + extload::decimal_fixed_string<1999>();
  return s.size() == 6 && s.view() == "printk" && s.data()[6] == '\0' && s[0] == 'p'
      && generated.view() == "fw_fn_1999" && generated.size() == 10
      && extload::decimal_fixed_string<0>().view() == "0" && extload::decimal_fixed_string<10>().view() == "10"
      && extload::fixed_string{""}.empty() && s == extload::fixed_string{"printk"} && !(s == extload::fixed_string{"printf"})
      && slid_v<8, extload::fixed_string{"fw_fn_"} + extload::decimal_fixed_string<7>()> == slid_of<8>("fw_fn_7");
}
static_assert(fixed_string_basics());
TEST_CASE("slid: fixed_string literals, concatenation and decimal names") { CHECK(fixed_string_basics()); }

// The widths are 4 and 8 (ELF32 / ELF64 pointer size) only.
static_assert(extload::slid_width<4> && extload::slid_width<8>);
static_assert(!extload::slid_width<2> && !extload::slid_width<16>);

} // namespace
