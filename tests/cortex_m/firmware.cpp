// tests/cortex_m/firmware.cpp: a bare-metal Cortex-M4 firmware that EXECUTES the arm-none-eabi
// objects of tests/cross_objects/arm (variants m4 nopic, m4 purecode and m0, each at -O0/-O2/-Os,
// sources interwork.c and tests/objects/{calls,switch,weak,ctors,align}.c), on qemu's mps2-an386
// (tests/cortex_m/meson.build builds it, run_qemu.py runs it).
//
// The objects are embedded in code memory (cortex_m_objects.s, made by embed_objects.py). Each is
// loaded with extload (elf32le, arch::arm_m: the M-profile set tests/oracle/arm loads them with)
// into a static_arena at 0x2000'0000, 512 MiB above the firmware's code (mps2_an386.ld): every
// call and tail call into the firmware is beyond Thumb BL range and runs through extload's
// veneers. The firmware exports what tests/objects/firmware.h declares, plus the libc and
// libgcc helpers the compilers call (memcpy/memset, division, Thumb-1 switch tables). Per
// object: load, bring up (constructors), call the entry points and check the results and
// firmware-side effects as tests/loader/real_objects.test.cpp does (expected values computed
// here from the sources' semantics), tear down (destructors), unload, and check that the arena
// got every byte back; then the same with the tiny engine (tiny/thumb_loader.hpp, its own
// stack_arena in SRAM), by name and, on copies made by tools/inject_slids.py, by SLID only: an
// object passes when all three pass. One line per object and
// engine, then `cortex-m: N objects, P passed, F failed`; the status (semihosting exit code) is
// non-zero if anything failed.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

#include "extload/alloc/static_arena.hpp"
#include "extload/arch/arm.hpp"
#include "extload/describe.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/export_table.hpp"
#include "extload/tiny/stack_arena.hpp"
#include "extload/tiny/thumb_loader.hpp"

#include "objects/firmware.h"
#include "objects/firmware_side.hpp"
#include "semihosting.hpp"

// ---------------------------------------------------------------------------------------------
// The embedded objects (cortex_m_objects.s).
struct embedded_object {
  char const* file;    // arm.<source>.<variant>.<opt>-<flag set>.o
  char const* source;  // interwork, calls, switch, weak, ctors, align
  char const* variant; // m4, m0
  char const* flags;   // O0-nopic, O2-purecode, ...
  std::byte const* begin;
  std::byte const* end;
};
extern "C" embedded_object const cortex_m_objects[];
extern "C" std::uint32_t const cortex_m_object_count;
// The same objects with their imports' SLIDs in st_value (tools/inject_slids.py), same order.
extern "C" embedded_object const cortex_m_slid_objects[];
extern "C" std::uint32_t const cortex_m_slid_object_count;

// ---------------------------------------------------------------------------------------------
// The firmware the extensions import (tests/objects/firmware.h), in code memory at 0x0000'xxxx.
namespace {

// The semantics firmware.h documents, computed here independently of the code under test (the
// rest — word, mix, mix_b — with the firmware's functions in objects/firmware_side.hpp).
constexpr int table_entry(int i) { return i * i + 1; }

} // namespace

extern "C" {
// libgcc's run-time helpers (ARM RTABI §4.3.1 division; Thumb-1 switch tables, which Cortex-M0
// code calls with BL and which find their table through LR: the veneer must keep LR).
void __aeabi_uidivmod();
void __aeabi_idivmod();
void __aeabi_uidiv();
void __aeabi_idiv();
void __gnu_thumb1_case_uqi();
void __gnu_thumb1_case_sqi();
void __gnu_thumb1_case_uhi();
void __gnu_thumb1_case_shi();
void __gnu_thumb1_case_si();
} // extern "C"

namespace {

// What compilers call for struct copies and clears (calls.c at -O2/-Os): newlib's.
void* fw_memcpy(void* d, void const* s, std::size_t n) noexcept { return std::memcpy(d, s, n); }
void* fw_memmove(void* d, void const* s, std::size_t n) noexcept { return std::memmove(d, s, n); }
void* fw_memset(void* d, int c, std::size_t n) noexcept { return std::memset(d, c, n); }
int fw_memcmp(void const* a, void const* b, std::size_t n) noexcept { return std::memcmp(a, b, n); }

constexpr auto firmware_exports = extload::make_export_table<4>(
    extload::export_function<"fw_add", &fw_add>, extload::export_function<"fw_log", &fw_log>,
    extload::export_function<"fw_apply", &fw_apply>, extload::export_function<"fw_sum", &fw_sum>,
    extload::export_function<"fw_make_big", &fw_make_big>, extload::export_function<"fw_mix", &fw_mix>,
    extload::export_function<"fw_mix_b", &fw_mix_b>, extload::export_function<"fw_present", &fw_present>,
    extload::export_object<"fw_counter", &fw_counter>, extload::export_object<"fw_table", &fw_table>,
    extload::export_object<"fw_name", &fw_name>, extload::export_object<"fw_words", &firmware_words>,
    extload::export_function<"memcpy", &fw_memcpy>, extload::export_function<"memmove", &fw_memmove>,
    extload::export_function<"memset", &fw_memset>, extload::export_function<"memcmp", &fw_memcmp>,
    extload::export_function<"__aeabi_uidivmod", &__aeabi_uidivmod>,
    extload::export_function<"__aeabi_idivmod", &__aeabi_idivmod>,
    extload::export_function<"__aeabi_uidiv", &__aeabi_uidiv>, extload::export_function<"__aeabi_idiv", &__aeabi_idiv>,
    extload::export_function<"__gnu_thumb1_case_uqi", &__gnu_thumb1_case_uqi>,
    extload::export_function<"__gnu_thumb1_case_sqi", &__gnu_thumb1_case_sqi>,
    extload::export_function<"__gnu_thumb1_case_uhi", &__gnu_thumb1_case_uhi>,
    extload::export_function<"__gnu_thumb1_case_shi", &__gnu_thumb1_case_shi>,
    extload::export_function<"__gnu_thumb1_case_si", &__gnu_thumb1_case_si>);

// The arena: first in .bss, which mps2_an386.ld places at the start of SRAM (0x2000'0000).
using board_arena = extload::static_arena<128 * 1024>;
[[gnu::section(".bss.extension_arena")]] constinit board_arena arena;

using board_loader = extload::loader<extload::elf32le, extload::arch::arm_m, board_arena,
                                     std::remove_const_t<decltype(firmware_exports)>>;
using report_type = board_loader::report_type;

// The tiny engine (tiny/thumb_loader.hpp), with name imports and constructors, in its own
// stack_arena (also in SRAM, far from the firmware's code).
using tiny_arena = extload::tiny::stack_arena<64 * 1024>;
[[gnu::section(".bss.extension_tiny_arena")]] constinit tiny_arena small_arena;
using tiny_loader = extload::tiny::thumb_loader<std::remove_const_t<decltype(firmware_exports)>, tiny_arena>;
// By SLID only (LLEXT's SLID linking): no import names are looked at.
using tiny_slid_loader = extload::tiny::thumb_loader<std::remove_const_t<decltype(firmware_exports)>, tiny_arena,
                                                     extload::tiny::thumb_options{.import_by_name = false}>;

constexpr std::uint32_t sram_base = 0x2000'0000;
constexpr std::uint32_t thumb_bl_reach = 1u << 24; // BL: [-2^24, 2^24 - 2] (AAELF32, R_ARM_THM_CALL)

void reset_firmware() {
  event_count = 0;
  event_log = {};
  fw_add_calls = 0;
  fw_counter = 7;
  for (int i = 0; i < 16; ++i) fw_table[i] = table_entry(i);
}

std::uint32_t address(void const* p) { return reinterpret_cast<std::uintptr_t>(p); }
template <class Fn>
  requires std::is_function_v<Fn>
std::uint32_t address(Fn* f) {
  return reinterpret_cast<std::uintptr_t>(f);
}
// A Thumb function's address carries bit 0 (AAELF32 §5.5.3); its code starts one byte lower.
template <class Fn>
std::uint32_t code_address(Fn* f) {
  return address(f) & ~std::uint32_t{1};
}

// ---------------------------------------------------------------------------------------------
// Checks: the first failure of an object is kept as text, the others are counted.
class verdict {
public:
  void expect(bool ok, char const* what) {
    if (ok) return;
    if (failures_++ == 0) first_ << what;
  }
  template <class A, class B>
  void expect_eq(A const& got, B const& want, char const* what) {
    auto const g = static_cast<long long>(got);
    auto const w = static_cast<long long>(want);
    if (g == w) return;
    if (failures_++ == 0) first_ << what << ": got " << g << ", expected " << w;
  }
  void missing(std::string_view name) {
    if (failures_++ == 0) first_ << "the extension does not export " << name;
  }
  void load_error(extload::diagnostic const& d) {
    char text[320];
    extload::describe(d, text);
    if (failures_++ == 0) first_ << "load: " << text;
  }
  bool ok() const { return failures_ == 0; }
  int failures() const { return failures_; }
  std::string_view first_text() const { return first_.text(); }

private:
  int failures_ = 0;
  cortex_m::line first_;
};

#define CM_CHECK(v, cond) (v).expect((cond), #cond)
#define CM_CHECK_EQ(v, got, want) (v).expect_eq((got), (want), #got " == " #want)

template <class Fn, class Ext>
Fn* need(Ext const& ext, std::string_view name, verdict& v) {
  Fn* f = ext.template function<Fn>(name);
  if (f == nullptr) v.missing(name);
  return f;
}
template <class T, class Ext>
T* need_object(Ext const& ext, std::string_view name, verdict& v) {
  T* p = ext.template object<T>(name);
  if (p == nullptr) v.missing(name);
  return p;
}
template <class... P>
bool all_found(P... p) {
  return ((p != nullptr) && ...);
}

struct event_list {
  decltype(event_log) e{};
  std::size_t n = 0;
  bool operator==(event_list const& o) const {
    if (n != o.n) return false;
    for (std::size_t i = 0; i < n && i < e.size(); ++i)
      if (e[i] != o.e[i]) return false;
    return true;
  }
};
event_list events() { return {event_log, event_count}; }
bool is_pair(int a, int b, int x, int y) { return (a == x && b == y) || (a == y && b == x); }

int negate(int x) { return -x; }
int fw_sub(int a, int b) { return a - b; }

// ---------------------------------------------------------------------------------------------
// Per source: what tests/loader/real_objects.test.cpp and tests/oracle/arm check, run on the core.

// interwork.c: local and firmware calls, a function-pointer table (the Thumb bit must survive),
// tail calls into the firmware, data imports, a jump table and a call across sections.
int iw_switch_expected(int k) {
  switch (k) {
  case 0: return k + 10;
  case 1: return 11;
  case 2: return static_cast<int>(mix(3u, 4u));
  case 3: return 13;
  case 4: return k + k;
  case 5: return 15;
  case 6: return 16;
  default: return -1;
  }
}

template <class Ext>
void check_interwork(Ext& ext, verdict& v) {
  using callback = int (*)(int);
  auto local = need<int(int)>(ext, "iw_local", v);
  auto callbacks = need_object<callback const>(ext, "iw_callbacks", v);
  auto apply_local = need<int(int)>(ext, "iw_apply_local", v);
  auto tail = need<int(int, int)>(ext, "iw_tail", v);
  auto cond_tail = need<int(int, int)>(ext, "iw_cond_tail", v);
  auto bump = need<int()>(ext, "iw_bump", v);
  auto addresses = need_object<void const* const>(ext, "iw_addresses", v);
  auto sw = need<int(int)>(ext, "iw_switch", v);
  auto maybe_cold = need<int(int)>(ext, "iw_maybe_cold", v);
  if (!all_found(local, callbacks, apply_local, tail, cond_tail, bump, addresses, sw, maybe_cold)) return;

  CM_CHECK_EQ(v, local(20), 2 * 20 + 1);
  // iw_callbacks = {twice, iw_local, 0}: absolute pointers to Thumb code keep bit 0.
  CM_CHECK_EQ(v, address(callbacks[0]) & 1, 1);
  CM_CHECK(v, ext.contains(code_address(callbacks[0])));
  CM_CHECK_EQ(v, callbacks[0](21), 2 * 21);
  CM_CHECK_EQ(v, address(callbacks[1]), address(local));
  CM_CHECK_EQ(v, address(callbacks[2]), 0);
  CM_CHECK_EQ(v, apply_local(5), 2 * (2 * 5)); // the firmware calls back the static twice()

  int before = fw_add_calls;
  CM_CHECK_EQ(v, tail(40, 2), 40 + 2);
  CM_CHECK_EQ(v, fw_add_calls - before, 1);
  before = fw_add_calls;
  CM_CHECK_EQ(v, cond_tail(9, 4), 9 + 4); // a > b: tail call into the firmware
  CM_CHECK_EQ(v, cond_tail(4, 9), 4 - 9);
  CM_CHECK_EQ(v, fw_add_calls - before, 1);

  CM_CHECK_EQ(v, bump(), (7 + 1) + table_entry(3)); // ++fw_counter + fw_table[3]
  CM_CHECK_EQ(v, bump(), (7 + 2) + table_entry(3));
  CM_CHECK_EQ(v, fw_counter, 7 + 2);
  CM_CHECK_EQ(v, address(addresses[0]), address(&fw_counter));
  CM_CHECK_EQ(v, address(addresses[1]), address(fw_table));
  CM_CHECK_EQ(v, address(addresses[2]), address(fw_name));

  for (int k = -2; k < 10; ++k) {
    before = fw_add_calls;
    CM_CHECK_EQ(v, sw(k), iw_switch_expected(k));
    CM_CHECK_EQ(v, fw_add_calls - before, k == 0 || k == 4 ? 1 : 0);
  }

  event_count = 0;
  CM_CHECK_EQ(v, maybe_cold(6), 6);
  CM_CHECK_EQ(v, event_count, 0);
  CM_CHECK_EQ(v, maybe_cold(-6), 6); // the cold path in .text.unlikely logs, then negates
  CM_CHECK_EQ(v, event_count, 1);
  CM_CHECK_EQ(v, event_log[0], -6);
}

// calls.c: calls both ways, callbacks, tail and variadic calls, recursion, a struct returned
// through a hidden pointer, struct copies and clears (memcpy/memset imports).
long calls_big_expected(long seed) {
  long s = 0;
  for (long i = 1; i <= 8; ++i) s += seed * i * i; // fw_make_big: v[i] = seed * (i + 1)
  return s;
}
unsigned calls_copy_expected(unsigned seed) {
  unsigned s = 0;
  for (unsigned i = 0; i < 1024; ++i) s += static_cast<unsigned char>(seed + i) * (i % 7 + 1);
  return s; // + the cleared copy, all zero
}
int factorial(int n) { return n <= 1 ? 1 : n * factorial(n - 1); }

template <class Ext>
void check_calls(Ext& ext, verdict& v) {
  auto square = need<int(int)>(ext, "calls_square", v);
  auto add3 = need<int(int, int, int)>(ext, "calls_add3", v);
  auto apply_triple = need<int(int)>(ext, "calls_apply_triple", v);
  auto apply_square = need<int(int)>(ext, "calls_apply_square", v);
  auto invoke = need<int(int (*)(int), int)>(ext, "calls_invoke", v);
  auto tail = need<int(int)>(ext, "calls_tail", v);
  auto variadic = need<int(int, int, int)>(ext, "calls_variadic", v);
  auto fact = need<int(int)>(ext, "calls_factorial", v);
  auto big = need<long(long)>(ext, "calls_big", v);
  auto copy = need<unsigned(unsigned)>(ext, "calls_copy", v);
  if (!all_found(square, add3, apply_triple, apply_square, invoke, tail, variadic, fact, big, copy)) return;

  CM_CHECK_EQ(v, square(7), 7 * 7);
  int const before = fw_add_calls;
  CM_CHECK_EQ(v, add3(1, 2, 3), 1 + 2 + 3);
  CM_CHECK_EQ(v, fw_add_calls - before, 2);
  CM_CHECK_EQ(v, apply_triple(5), 2 * (3 * 5)); // fw_apply returns 2 * callback(x)
  CM_CHECK_EQ(v, apply_square(6), 2 * (6 * 6));
  CM_CHECK_EQ(v, invoke(&negate, 9), -9 + 1);   // the extension calls a firmware callback
  CM_CHECK_EQ(v, tail(41), 41 + 1);
  CM_CHECK_EQ(v, variadic(1, 20, 300), 1 + 20 + 300);
  CM_CHECK_EQ(v, fact(10), factorial(10));
  CM_CHECK_EQ(v, big(3), calls_big_expected(3));
  CM_CHECK_EQ(v, copy(17), calls_copy_expected(17));
  CM_CHECK_EQ(v, copy(250), calls_copy_expected(250));
}

// switch.c: a dense switch (jump table, firmware calls in its cases), const and writable tables
// of function pointers mixing extension and firmware functions.
int sw_dense_reference(int x) { // sw_dense, run by the firmware itself
  switch (x) {
  case 0: return fw_add(x, 10);
  case 1: fw_log(1); return 11;
  case 2: return fw_add(x, x) * 3;
  case 3: return 17;
  case 4: fw_log(4); return fw_add(4, 40);
  case 5: return x * x * x;
  case 6: return fw_add(-6, 0);
  case 7: fw_log(7); return 77;
  case 8: return fw_add(8, 1) + 2;
  case 9: return 909;
  case 10: fw_log(10); return -10;
  case 11: return fw_add(11, 11) - 1;
  case 12: fw_log(12); return fw_counter;
  case 13: return fw_table[13];
  default: return -1;
  }
}

template <class Ext>
void check_switch(Ext& ext, verdict& v) {
  using op = int (*)(int, int);
  auto dense = need<int(int)>(ext, "sw_dense", v);
  auto apply = need<int(unsigned, int, int)>(ext, "sw_apply", v);
  auto apply_mut = need<int(unsigned, int, int)>(ext, "sw_apply_mut", v);
  auto op_max = need<int(int, int)>(ext, "sw_op_max", v);
  auto ops = need_object<op const>(ext, "sw_ops", v);
  auto mut = need_object<op>(ext, "sw_ops_mut", v);
  if (!all_found(dense, apply, apply_mut, op_max, ops, mut)) return;

  for (int x = -2; x < 17; ++x) {
    reset_firmware();
    int const got = dense(x);
    event_list const got_events = events();
    int const got_adds = fw_add_calls;
    reset_firmware();
    CM_CHECK_EQ(v, got, sw_dense_reference(x));
    CM_CHECK(v, got_events == events());
    CM_CHECK_EQ(v, got_adds, fw_add_calls);
  }
  // sw_ops = {op_sub, op_mul, fw_add, op_xor, sw_op_max}, applied to (7, 3).
  int const expected[] = {7 - 3, 7 * 3, 7 + 3, 7 ^ 3, 7 > 3 ? 7 : 3, -1};
  for (unsigned i = 0; i < 6; ++i) CM_CHECK_EQ(v, apply(i, 7, 3), expected[i]);
  CM_CHECK_EQ(v, address(ops[2]), address(&fw_add)); // an absolute reference to a firmware function
  CM_CHECK_EQ(v, address(ops[4]), address(op_max));
  // sw_ops_mut = {op_mul, fw_add, 0, sw_op_max}
  CM_CHECK_EQ(v, address(mut[1]), address(&fw_add));
  CM_CHECK_EQ(v, address(mut[2]), 0);
  CM_CHECK_EQ(v, apply_mut(0, 7, 3), 7 * 3);
  CM_CHECK_EQ(v, apply_mut(2, 7, 3), -1);
  mut[2] = &fw_sub; // the firmware patches the extension's writable table
  CM_CHECK_EQ(v, apply_mut(2, 7, 3), 7 - 3);
  CM_CHECK_EQ(v, apply_mut(3, 7, 3), 7);
}

// weak.c: weak undefined symbols the firmware does not export are 0; fw_present is exported.
template <class Ext>
void check_weak(Ext& ext, verdict& v) {
  auto call_maybe = need<int()>(ext, "weak_call_maybe", v);
  auto data_maybe = need<int()>(ext, "weak_data_maybe", v);
  auto maybe_address = need<unsigned long()>(ext, "weak_maybe_address", v);
  auto call_present = need<int()>(ext, "weak_call_present", v);
  auto call_defined = need<int()>(ext, "weak_call_defined", v);
  if (!all_found(call_maybe, data_maybe, maybe_address, call_present, call_defined)) return;
  CM_CHECK_EQ(v, call_maybe(), -1);
  CM_CHECK_EQ(v, data_maybe(), -2);
  CM_CHECK_EQ(v, maybe_address(), 0);
  CM_CHECK_EQ(v, call_present(), fw_present());
  CM_CHECK_EQ(v, call_defined(), 5 + 1);
}

// ctors.c: .preinit_array, then init_array by priority (101, 102, then the default ones in the
// compiler's order), once; destructors in the reverse order, once. bring_up already ran.
template <class Ext>
void check_ctors(Ext& ext, verdict& v) {
  auto get_state = need<int()>(ext, "ctors_get_state", v);
  if (!all_found(get_state)) return;
  event_list const up = events();
  CM_CHECK_EQ(v, up.n, 5);
  if (up.n == 5) {
    CM_CHECK_EQ(v, up.e[0], 50);
    CM_CHECK_EQ(v, up.e[1], 101);
    CM_CHECK_EQ(v, up.e[2], 102);
    CM_CHECK(v, is_pair(up.e[3], up.e[4], 200, 201));
  }
  CM_CHECK_EQ(v, get_state(), (9 * 10 + 1) * 10 + 2); // preinit sets 9, then 101 appends 1, 102 appends 2
  ext.bring_up(); // a second call runs nothing
  CM_CHECK_EQ(v, event_count, 5);
  event_count = 0;
  ext.tear_down();
  event_list const down = events();
  CM_CHECK_EQ(v, down.n, 4);
  if (down.n == 4) {
    CM_CHECK(v, is_pair(down.e[0], down.e[1], -200, -201));
    CM_CHECK_EQ(v, down.e[2], -102);
    CM_CHECK_EQ(v, down.e[3], -101);
  }
  ext.tear_down();
  CM_CHECK_EQ(v, event_count, 4);
}

// align.c: section alignments up to 4 KiB survive placement in the arena.
template <class Ext>
void check_align(Ext& ext, verdict& v) {
  auto data = need_object<int>(ext, "align_data", v);
  auto bss = need_object<int>(ext, "align_bss", v);
  auto line = need_object<char>(ext, "align_line", v);
  auto ro_addr = need<int const*()>(ext, "align_ro_addr", v);
  auto f4k = need<int()>(ext, "align_fn4k", v);
  auto f64 = need<int()>(ext, "align_fn64", v);
  auto f256 = need<int()>(ext, "align_fn256", v);
  auto sum = need<int()>(ext, "align_sum", v);
  if (!all_found(data, bss, line, ro_addr, f4k, f64, f256, sum)) return;
  CM_CHECK_EQ(v, address(data) % 4096, 0);
  CM_CHECK_EQ(v, address(bss) % 4096, 0);
  CM_CHECK_EQ(v, address(ro_addr()) % 4096, 0);
  CM_CHECK_EQ(v, address(line) % 64, 0);
  CM_CHECK_EQ(v, code_address(f4k) % 4096, 0);
  CM_CHECK_EQ(v, code_address(f64) % 64, 0);
  CM_CHECK_EQ(v, code_address(f256) % 256, 0);
  CM_CHECK_EQ(v, f4k(), 4096);
  CM_CHECK_EQ(v, f64(), 60 + 4); // fw_add(60, 4)
  CM_CHECK_EQ(v, f256(), 256);
  // align_data[0] + align_data[2] + align_ro[1] + align_bss[1023] + align_line[0]
  CM_CHECK_EQ(v, sum(), 1 + 3 + 5 + 0 + 'l');
}

template <class Ext>
struct source_checks {
  std::string_view source;
  void (*check)(Ext&, verdict&);
};
template <class Ext>
constexpr source_checks<Ext> checks[] = {
    {"interwork", check_interwork<Ext>}, {"calls", check_calls<Ext>}, {"switch", check_switch<Ext>},
    {"weak", check_weak<Ext>},           {"ctors", check_ctors<Ext>}, {"align", check_align<Ext>},
};
template <class Ext>
void (*checks_for(std::string_view source))(Ext&, verdict&) {
  for (auto const& c : checks<Ext>)
    if (c.source == source) return c.check;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// One object: load, bring up, check, tear down, unload, arena balance. Prints its line.
bool run_object(embedded_object const& o) {
  cortex_m::running = o.file;
  verdict v;
  report_type report{};
  auto const check = checks_for<extload::extension>(o.source);

  reset_firmware();
  std::span<std::byte const> const image(o.begin, static_cast<std::size_t>(o.end - o.begin));
  board_loader ld{arena, firmware_exports};
  if (check == nullptr) {
    v.expect(false, "no checks for this source in tests/cortex_m/firmware.cpp");
  } else if (auto r = ld.load(image, {}, &report); !r) {
    v.load_error(r.error());
  } else {
    extload::extension* ext = *r;
    CM_CHECK_EQ(v, event_count, 0); // loading runs nothing
    // The point of this firmware: the extension is out of BL range of the firmware's code, and
    // every object calls the firmware, so some branch must have been given a veneer.
    std::uint32_t const text = static_cast<std::uint32_t>(ext->regions().address[static_cast<std::size_t>(extload::region::text)]);
    CM_CHECK(v, text >= sram_base);
    CM_CHECK(v, text - code_address(&fw_add) > thumb_bl_reach);
    CM_CHECK(v, report.veneer_uses > 0);
    ext->bring_up();
    check(*ext, v);
    ext->tear_down();
    ld.unload(ext);
  }
  CM_CHECK_EQ(v, arena.allocations(), 0); // every block back to the arena
  CM_CHECK_EQ(v, arena.bytes_in_use(), 0);

  cortex_m::line out;
  out << o.file << ": " << (v.ok() ? "PASS" : "FAIL");
  if (v.ok()) {
    out << " (" << static_cast<unsigned long long>(report.relocations) << " relocations, "
        << static_cast<unsigned long long>(report.veneers) << " veneers, "
        << static_cast<unsigned long long>(report.veneer_uses) << " branches through them)";
  } else {
    out << ": " << v.first_text();
    if (v.failures() > 1) out << " (and " << (v.failures() - 1) << " more failed checks)";
  }
  out.emit();
  return v.ok();
}

// The same object with the tiny engine: load, bring up, the same checks, tear down, unload,
// every byte back to its arena. Loader: tiny_loader (imports by name) or tiny_slid_loader.
template <class Loader>
bool run_object_tiny(embedded_object const& o, char const* tag) {
  cortex_m::running = o.file;
  verdict v;
  auto const check = checks_for<extload::tiny::module>(o.source);
  reset_firmware();
  std::span<std::byte const> const image(o.begin, static_cast<std::size_t>(o.end - o.begin));
  Loader ld{small_arena, firmware_exports};
  extload::tiny::module m;
  std::size_t bytes = 0;
  std::uint32_t veneers = 0;
  if (check == nullptr) {
    v.expect(false, "no checks for this source in tests/cortex_m/firmware.cpp");
  } else if (auto const f = ld.load(image, m); !f.ok()) {
    v.load_error(f.to_diagnostic());
  } else {
    CM_CHECK_EQ(v, event_count, 0); // loading runs nothing
    CM_CHECK(v, m.address() >= sram_base);
    CM_CHECK(v, m.address() - code_address(&fw_add) > thumb_bl_reach);
    CM_CHECK(v, m.veneers() > 0); // every object calls the firmware, out of BL reach
    bytes = m.size();
    veneers = m.veneers();
    m.bring_up();
    check(m, v);
    m.tear_down();
    ld.unload(m);
  }
  CM_CHECK_EQ(v, small_arena.blocks(), 0); // every block back to the arena
  CM_CHECK_EQ(v, small_arena.bytes_in_use(), 0);

  cortex_m::line out;
  out << o.file << " [" << tag << "]: " << (v.ok() ? "PASS" : "FAIL");
  if (v.ok()) {
    out << " (" << static_cast<unsigned long long>(bytes) << " bytes, " << static_cast<unsigned long long>(veneers)
        << " veneers)";
  } else {
    out << ": " << v.first_text();
    if (v.failures() > 1) out << " (and " << (v.failures() - 1) << " more failed checks)";
  }
  out.emit();
  return v.ok();
}

} // namespace

namespace cortex_m {

int run() noexcept {
  line head;
  head << "cortex-m: " << static_cast<unsigned long long>(cortex_m_object_count)
       << " objects; firmware code at ";
  head.hex(code_address(&fw_add)) << ", extension arena at ";
  head.hex(address(arena.data())) << " (" << static_cast<unsigned long long>(board_arena::capacity) << " bytes)";
  head.emit();

  struct tally {
    char const* variant;
    bool purecode;
    unsigned ran = 0, passed = 0;
  };
  tally per[3] = {{"m4 nopic", false}, {"m4 purecode", true}, {"m0", false}};
  unsigned passed = 0, tiny_passed = 0, slid_passed = 0;
  for (std::uint32_t i = 0; i < cortex_m_object_count; ++i) {
    embedded_object const& o = cortex_m_objects[i];
    bool const tiny_ok = run_object_tiny<tiny_loader>(o, "tiny");
    tiny_passed += tiny_ok ? 1u : 0u;
    bool const slid_ok = i < cortex_m_slid_object_count && std::string_view{cortex_m_slid_objects[i].file} == o.file &&
                         run_object_tiny<tiny_slid_loader>(cortex_m_slid_objects[i], "tiny, by SLID");
    slid_passed += slid_ok ? 1u : 0u;
    bool const ok = run_object(o) && tiny_ok && slid_ok;
    passed += ok ? 1u : 0u;
    std::string_view const variant{o.variant}, flags{o.flags};
    bool const purecode = flags.ends_with("purecode");
    for (auto& t : per)
      if (std::string_view{t.variant}.starts_with(variant) && t.purecode == purecode) {
        ++t.ran;
        t.passed += ok ? 1u : 0u;
      }
  }
  running = "summary";
  line by_variant;
  by_variant << "cortex-m: by variant:";
  for (auto const& t : per)
    by_variant << " " << t.variant << " " << static_cast<unsigned long long>(t.passed) << "/"
               << static_cast<unsigned long long>(t.ran);
  by_variant << " passed; arena high water " << static_cast<unsigned long long>(arena.high_water()) << " bytes";
  by_variant.emit();
  line tiny;
  tiny << "cortex-m: tiny engine " << static_cast<unsigned long long>(tiny_passed) << "/"
       << static_cast<unsigned long long>(cortex_m_object_count) << " passed by name, "
       << static_cast<unsigned long long>(slid_passed) << "/" << static_cast<unsigned long long>(cortex_m_object_count)
       << " by SLID (tools/inject_slids.py); its arena's high water "
       << static_cast<unsigned long long>(small_arena.high_water()) << " bytes";
  tiny.emit();

  unsigned const failed = cortex_m_object_count - passed;
  line summary;
  summary << "cortex-m: " << static_cast<unsigned long long>(cortex_m_object_count) << " objects, "
          << static_cast<unsigned long long>(passed) << " passed, " << static_cast<unsigned long long>(failed)
          << " failed";
  summary.emit();
  return failed == 0 && cortex_m_object_count > 0 ? 0 : 1;
}

} // namespace cortex_m
