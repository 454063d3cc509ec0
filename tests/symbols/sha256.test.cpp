// tests/symbols/sha256.test.cpp: constexpr SHA-256 against the FIPS 180-4 example vectors
// (NIST CSRC "SHA256.pdf": "", "abc", the 448-bit and 896-bit messages) and against
// Python hashlib at the padding boundaries (55/56/64/119/120 bytes: one or two length blocks).
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <string_view>

#include "extload/symbols/sha256.hpp"

namespace {

using extload::sha256;
using extload::sha256_digest;

constexpr std::uint8_t hex_nibble(char c) {
  return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10);
}
constexpr sha256_digest from_hex(std::string_view h) {
  sha256_digest d{};
  for (std::size_t i = 0; i < 32; ++i)
    d[i] = static_cast<std::uint8_t>(hex_nibble(h[2 * i]) << 4 | hex_nibble(h[2 * i + 1]));
  return d;
}

template <std::size_t N>
constexpr std::array<std::byte, N> repeated(char c) {
  std::array<std::byte, N> a{};
  for (auto& b : a) b = static_cast<std::byte>(c);
  return a;
}

constexpr bool fips_180_4_examples() {
  return sha256("") == from_hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
      && sha256("abc") == from_hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
      && sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             from_hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
      && sha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
             from_hex("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}
static_assert(fips_180_4_examples());
TEST_CASE("sha256: FIPS 180-4 examples (empty, abc, 448-bit, 896-bit)") { CHECK(fips_180_4_examples()); }

// 55 bytes: 0x80 and the length fit in one block; 56: the length spills into a second block;
// 64: a full message block then a padding-only block; 119/120: the same edges one block later.
constexpr bool padding_boundaries() {
  constexpr std::string_view a120 =
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static_assert(a120.size() == 120);
  return sha256(a120.substr(0, 55)) == from_hex("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
      && sha256(a120.substr(0, 56)) == from_hex("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
      && sha256(a120.substr(0, 64)) == from_hex("ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
      && sha256(a120.substr(0, 119)) == from_hex("31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb")
      && sha256(a120) == from_hex("2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c");
}
static_assert(padding_boundaries());
TEST_CASE("sha256: padding boundaries at 55, 56, 64, 119 and 120 bytes") { CHECK(padding_boundaries()); }

// Names inside an image arrive as bytes (std::span<std::byte const> / byte_string), not chars.
constexpr bool byte_inputs_match_char_inputs() {
  constexpr auto b56 = repeated<56>('a');
  constexpr auto abc = std::array{std::byte{'a'}, std::byte{'b'}, std::byte{'c'}};
  return sha256(std::span<std::byte const>{b56}) == from_hex("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
      && sha256(extload::byte_string{abc.data(), abc.size()}) == sha256("abc")
      && sha256(extload::byte_string{}) == sha256("")
      && sha256("abd") != sha256("abc");
}
static_assert(byte_inputs_match_char_inputs());
TEST_CASE("sha256: byte spans and byte_strings hash like the same chars") { CHECK(byte_inputs_match_char_inputs()); }

} // namespace
