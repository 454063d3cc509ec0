// tests/objects/firmware_side.hpp: the firmware side of tests/objects/firmware.h — its state, the
// reference formulas the extensions' results are checked against, and every function and object
// it declares — shared by the two programs that load the real objects: the host test
// (tests/loader/real_objects.test.cpp) and the bare-metal Cortex-M firmware
// (tests/cortex_m/firmware.cpp). Definitions, not declarations: include it from exactly one
// translation unit of a program. Each program adds its own export table and test driver.
#pragma once

#include <array>
#include <cstdarg>
#include <cstddef>

#include "firmware.h"

namespace {

// What the firmware has seen: fw_log's events (in order) and the number of fw_add calls.
std::array<int, 256> event_log{};
std::size_t event_count = 0;
int fw_add_calls = 0;

// fw_words[i] and the mixers behind fw_mix/fw_mix_b: the formulas firmware.h documents, also the
// tests' references.
constexpr unsigned word(unsigned i) { return i * 0x01000193u + 7u; }
constexpr std::array<unsigned, 64> make_words() {
  std::array<unsigned, 64> w{};
  for (unsigned i = 0; i < 64; ++i) w[i] = word(i);
  return w;
}
constexpr std::array<unsigned, 64> firmware_words = make_words(); // exported as fw_words
constexpr unsigned mix(unsigned a, unsigned b) { return (a ^ (a >> 7)) * 31u + b; }
constexpr unsigned mix_b(unsigned a, unsigned b) { return ((a << 5) | (a >> 27)) + (b ^ 0x9e3779b9u); }
static_assert(mix(0x12345678u, 99u) == (0x12345678u ^ 0x2468acu) * 31u + 99u && mix_b(1u, 0u) == 32u + 0x9e3779b9u);

} // namespace

extern "C" {
int fw_counter = 7;
int fw_table[16] = {};
const char fw_name[9] = "firmware";

int fw_add(int a, int b) noexcept { ++fw_add_calls; return a + b; }
void fw_log(int event) noexcept {
  if (event_count < event_log.size()) event_log[event_count] = event;
  ++event_count;
}
int fw_apply(int (*callback)(int), int x) noexcept { return 2 * callback(x); }
int fw_sum(int n, ...) noexcept {
  va_list ap;
  va_start(ap, n);
  int s = 0;
  for (int i = 0; i < n; ++i) s += va_arg(ap, int);
  va_end(ap);
  return s;
}
struct fw_big fw_make_big(long seed) noexcept {
  struct fw_big b{};
  for (int i = 0; i < 8; ++i) b.v[i] = seed * (i + 1);
  return b;
}
unsigned fw_mix(unsigned a, unsigned b) noexcept { return mix(a, b); }
unsigned fw_mix_b(unsigned a, unsigned b) noexcept { return mix_b(a, b); }
int fw_present() noexcept { return 77; } // weak.c's weak import that the firmware does export
} // extern "C"
