// symbols/sha256.hpp: constexpr SHA-256 (FIPS 180-4, "Secure Hash Standard", §4.1.2, §4.2.2,
// §5.1.1, §6.2). Only needed for Zephyr-compatible SLIDs (symbols/slid.hpp): LLEXT defines a
// SLID as a prefix of SHA-256(name), so the firmware's table must hash with the same function
// as the extension tooling (Zephyr scripts/build/llext_slidlib.py).
//
// One-shot: the padded message is never materialised, each 512-bit block's schedule reads the
// message, the 0x80 terminator and the 64-bit big-endian bit length straight from the input.
// That keeps the constant-evaluation cost of one name at about one compression per 64 bytes,
// which matters because tables hash every exported name at compile time.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "extload/byte_string.hpp"
#include "extload/config.hpp"

namespace extload::inline v0 {

using sha256_digest = std::array<std::uint8_t, 32>;

namespace detail {

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first
// 64 primes.
inline constexpr std::uint32_t sha256_k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// ByteAt: i -> std::uint8_t for i < len. Works on any byte source, so string_view (constant
// evaluation of literals) and byte_string (names inside an image) share one implementation.
template <class ByteAt>
constexpr sha256_digest sha256_impl(std::size_t len, ByteAt const& byte_at) noexcept {
  // §5.3.3: initial hash value H(0).
  std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  // §5.1.1: message, one '1' bit (0x80), zeros, then the length in bits as a 64-bit big-endian
  // integer, padded to a multiple of 512 bits: ceil((len + 1 + 8) / 64) blocks.
  std::uint64_t const bit_len = static_cast<std::uint64_t>(len) * 8u;
  std::size_t const blocks = (len + 72) / 64;
  std::size_t const length_at = blocks * 64 - 8;
  auto padded = [&](std::size_t i) -> std::uint32_t {
    if (i < len) return byte_at(i);
    if (i == len) return 0x80u;
    if (i >= length_at) return static_cast<std::uint32_t>((bit_len >> ((7 - (i - length_at)) * 8)) & 0xffu);
    return 0u;
  };
  for (std::size_t b = 0; b < blocks; ++b) {
    // §6.2.2 step 1: message schedule; words are big-endian (§3.1).
    std::uint32_t w[64] = {};
    for (std::size_t t = 0; t < 16; ++t) {
      std::size_t const i = b * 64 + t * 4;
      w[t] = (padded(i) << 24) | (padded(i + 1) << 16) | (padded(i + 2) << 8) | padded(i + 3);
    }
    for (std::size_t t = 16; t < 64; ++t) {
      std::uint32_t const s0 = std::rotr(w[t - 15], 7) ^ std::rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);   // σ0, (4.6)
      std::uint32_t const s1 = std::rotr(w[t - 2], 17) ^ std::rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);    // σ1, (4.7)
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    // §6.2.2 steps 2-4: 64 rounds over the working variables a..h.
    std::uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (std::size_t t = 0; t < 64; ++t) {
      std::uint32_t const S1 = std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25);  // Σ1, (4.5)
      std::uint32_t const ch = (e & f) ^ (~e & g);                                    // Ch, (4.2)
      std::uint32_t const t1 = hh + S1 + ch + sha256_k[t] + w[t];
      std::uint32_t const S0 = std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22); // Σ0, (4.4)
      std::uint32_t const maj = (a & bb) ^ (a & c) ^ (bb & c);                        // Maj, (4.3)
      std::uint32_t const t2 = S0 + maj;
      hh = g; g = f; f = e; e = d + t1; d = c; c = bb; bb = a; a = t1 + t2;
    }
    h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  // §6.2.2: H(N) = H0 || ... || H7, each word big-endian.
  sha256_digest out{};
  for (std::size_t i = 0; i < 8; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      out[i * 4 + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
  return out;
}

} // namespace detail

constexpr sha256_digest sha256(std::string_view s) noexcept {
  return detail::sha256_impl(s.size(), [s](std::size_t i) -> std::uint32_t { return static_cast<unsigned char>(s[i]); });
}

constexpr sha256_digest sha256(std::span<std::byte const> s) noexcept {
  return detail::sha256_impl(s.size(), [s](std::size_t i) -> std::uint32_t { return std::to_integer<std::uint32_t>(s[i]); });
}

constexpr sha256_digest sha256(byte_string s) noexcept {
  return sha256(std::span<std::byte const>{s.data, s.size});
}

} // namespace extload::inline v0
