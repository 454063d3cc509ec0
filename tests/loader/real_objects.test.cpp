// tests/loader/real_objects.test.cpp: end-to-end tests on real relocatable objects. The sources
// in tests/objects/ are compiled at build time by gcc and clang-16 at -O0/-O2/-Os × -fno-pic/
// -fPIC/-fPIE (small code model) plus -mcmodel=large (tests/objects/meson.build); this file is the
// firmware: it exports the symbols of tests/objects/firmware.h (plus the few C and C++ runtime
// entry points compilers emit calls to), loads every object with the host allocator, brings it
// up, calls into it, checks the results and the firmware-side effects, tears it down and unloads.
// A failure names the object (source.compiler.flags) and the loader's diagnostic.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <extload/alloc/host_mmap.hpp>
#include <extload/extload.hpp>
#include <extload/loader/host_file_source.hpp>

#include "objects/firmware.h"
#include "objects/firmware_side.hpp"
#include "support/host_arch.hpp"
#include "support/object_files.hpp"

// ---------------------------------------------------------------------------------------------
// The firmware: what the extensions import. Plain functions and objects of this program
// (firmware.h's in objects/firmware_side.hpp); the extensions reach them only through the
// export table below.
namespace {

int live_allocations = 0;

struct atexit_entry {
  void (*fn)(void*);
  void* arg;
  void* dso;
};
std::array<atexit_entry, 16> atexit_entries{};
std::size_t atexit_count = 0;
int firmware_dso_handle = 0; // exported as __dso_handle: the extensions' DSO identity

constexpr std::array<int, 16> initial_table() {
  std::array<int, 16> t{};
  for (int i = 0; i < 16; ++i) t[static_cast<std::size_t>(i)] = i * i + 1;
  return t;
}

void reset_firmware();

} // namespace

namespace {

// What compilers call implicitly (struct copies and clears, stack protector) and what C++ needs
// (allocation, guards, __cxa_atexit, the pure-virtual trap). Exported under the C library and
// Itanium C++ ABI names; defined here so every import resolves into this program.
void* fw_memcpy(void* d, void const* s, std::size_t n) noexcept { return std::memcpy(d, s, n); }
void* fw_memmove(void* d, void const* s, std::size_t n) noexcept { return std::memmove(d, s, n); }
void* fw_memset(void* d, int c, std::size_t n) noexcept { return std::memset(d, c, n); }
int fw_memcmp(void const* a, void const* b, std::size_t n) noexcept { return std::memcmp(a, b, n); }
std::size_t fw_strlen(char const* s) noexcept { return std::strlen(s); }
[[noreturn]] void fw_trap() noexcept { std::abort(); } // __stack_chk_fail, __cxa_pure_virtual

void* fw_new(std::size_t n) noexcept {
  ++live_allocations;
  return std::malloc(n == 0 ? 1 : n);
}
void fw_delete(void* p) noexcept {
  if (p != nullptr) --live_allocations;
  std::free(p);
}
void fw_delete_sized(void* p, std::size_t) noexcept { fw_delete(p); }

// Itanium C++ ABI §3.3.2: the guard's first byte is non-zero once the object is initialised.
unsigned char& guard_byte(void* g) noexcept { return *static_cast<unsigned char*>(g); }
int fw_guard_acquire(void* g) noexcept { return guard_byte(g) == 0 ? 1 : 0; }
void fw_guard_release(void* g) noexcept { guard_byte(g) = 1; }
void fw_guard_abort(void*) noexcept {}

int fw_cxa_atexit(void (*fn)(void*), void* arg, void* dso) noexcept {
  if (atexit_count == atexit_entries.size()) return -1;
  atexit_entries[atexit_count++] = {fn, arg, dso};
  return 0;
}
// What __cxa_finalize(dso) does for a shared object: run its registrations, last first.
void finalize(void* dso) {
  while (atexit_count > 0) {
    atexit_entry const e = atexit_entries[--atexit_count];
    CHECK(e.dso == dso);
    e.fn(e.arg);
  }
}

} // namespace

// libsupc++'s typeinfo vtables: the typeinfo objects of classes with virtual functions point at
// them (Itanium C++ ABI §2.9.5). Declared by symbol name, the only way to name a vtable.
extern "C" char _ZTVN10__cxxabiv117__class_type_infoE[];
extern "C" char _ZTVN10__cxxabiv120__si_class_type_infoE[];

namespace {

using namespace extload;

#if defined(__arm__)
// The ARM EABI run-time helpers gcc calls for division (RTABI §4.3.1); the firmware's libgcc has them.
extern "C" void __aeabi_uidivmod();
extern "C" void __aeabi_idivmod();
extern "C" void __aeabi_uidiv();
extern "C" void __aeabi_idiv();
// .ARM.exidx entries of C++ code name the EHABI personality routines (EHABI §7.3).
extern "C" void __aeabi_unwind_cpp_pr0();
extern "C" void __aeabi_unwind_cpp_pr1();
// The ARM C++ ABI registers static destructors with __aeabi_atexit(object, destructor, dso)
// (CPPABI §3.3.5): the same list as __cxa_atexit, arguments swapped.
int fw_aeabi_atexit(void* object, void (*fn)(void*), void* dso) noexcept;
#define EXTLOAD_TEST_ARM_RTABI , export_function<"__aeabi_atexit", &fw_aeabi_atexit>, \
    export_function<"__aeabi_uidivmod", &__aeabi_uidivmod>, \
    export_function<"__aeabi_unwind_cpp_pr0", &__aeabi_unwind_cpp_pr0>, \
    export_function<"__aeabi_unwind_cpp_pr1", &__aeabi_unwind_cpp_pr1>, \
    export_function<"__aeabi_idivmod", &__aeabi_idivmod>, export_function<"__aeabi_uidiv", &__aeabi_uidiv>, \
    export_function<"__aeabi_idiv", &__aeabi_idiv>
#else
#define EXTLOAD_TEST_ARM_RTABI
#endif

#if defined(__arm__)
int fw_aeabi_atexit(void* object, void (*fn)(void*), void* dso) noexcept { return fw_cxa_atexit(fn, object, dso); }
#endif

// operator new/delete take size_t: mangled `m` (unsigned long) on LP64, `j` (unsigned int) on ILP32.
#if __SIZEOF_SIZE_T__ == 8
#define EXTLOAD_TEST_NEW "_Znwm"
#define EXTLOAD_TEST_DELETE_SIZED "_ZdlPvm"
#else
#define EXTLOAD_TEST_NEW "_Znwj"
#define EXTLOAD_TEST_DELETE_SIZED "_ZdlPvj"
#endif

constexpr auto firmware_exports = make_export_table<sizeof(void*)>(
    export_function<"fw_add", &fw_add>, export_function<"fw_log", &fw_log>,
    export_function<"fw_apply", &fw_apply>, export_function<"fw_sum", &fw_sum>,
    export_function<"fw_make_big", &fw_make_big>, export_function<"fw_mix", &fw_mix>,
    export_function<"fw_mix_b", &fw_mix_b>, export_function<"fw_present", &fw_present>,
    export_object<"fw_counter", &fw_counter>, export_object<"fw_table", &fw_table>,
    export_object<"fw_name", &fw_name>, export_object<"fw_words", &firmware_words>,
    export_function<"memcpy", &fw_memcpy>, export_function<"memmove", &fw_memmove>,
    export_function<"memset", &fw_memset>, export_function<"memcmp", &fw_memcmp>,
    export_function<"strlen", &fw_strlen>, export_function<"__stack_chk_fail", &fw_trap>,
    export_function<EXTLOAD_TEST_NEW, &fw_new>, export_function<"_ZdlPv", &fw_delete>,
    export_function<EXTLOAD_TEST_DELETE_SIZED, &fw_delete_sized>, export_function<"__cxa_guard_acquire", &fw_guard_acquire>,
    export_function<"__cxa_guard_release", &fw_guard_release>, export_function<"__cxa_guard_abort", &fw_guard_abort>,
    export_function<"__cxa_atexit", &fw_cxa_atexit>, export_object<"__dso_handle", &firmware_dso_handle>,
    export_function<"__cxa_pure_virtual", &fw_trap>,
    export_object<"_ZTVN10__cxxabiv117__class_type_infoE", &_ZTVN10__cxxabiv117__class_type_infoE>,
    export_object<"_ZTVN10__cxxabiv120__si_class_type_infoE", &_ZTVN10__cxxabiv120__si_class_type_infoE>
    EXTLOAD_TEST_ARM_RTABI);

using exports_type = std::remove_const_t<decltype(firmware_exports)>;
using host_loader = loader<test::host_format, test::host_arch, host_mmap_allocator, exports_type>;
using report_type = host_loader::report_type;

void reset_firmware() {
  event_count = 0;
  fw_add_calls = 0;
  fw_counter = 7;
  constexpr auto t = initial_table();
  std::copy(t.begin(), t.end(), std::begin(fw_table));
  atexit_count = 0;
}

std::vector<int> events() {
  return {event_log.begin(), event_log.begin() + static_cast<std::ptrdiff_t>(std::min(event_count, event_log.size()))};
}

std::uint64_t address(void const* p) { return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p)); }
template <class Fn>
std::uint64_t address(Fn* f) requires std::is_function_v<Fn> {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(f));
}

std::string describe(diagnostic const& d) {
  std::string s{to_string(d.code)};
  auto num = [&](char const* what, std::uint64_t v) {
    s += ' ';
    s += what;
    s += '=';
    s += std::to_string(v);
  };
  if (d.what != field::none) { s += " field="; s += to_string(d.what); }
  if (d.object != no_index) num("object", d.object);
  if (d.section != no_index) num("section", d.section);
  if (d.symbol != no_index) num("symbol", d.symbol);
  if (d.relocation != no_index) num("relocation", d.relocation);
  if (d.type != no_index) num("type", d.type);
  if (d.type_name != nullptr) { s += " ("; s += d.type_name; s += ')'; }
  if (!d.name_view().empty()) { s += " name='"; s += d.name_view(); s += '\''; }
  s += " value=" + std::to_string(d.value);
  if (d.has_range) s += " range=[" + std::to_string(d.min) + ", " + std::to_string(d.max) + "]";
  return s;
}

// A non-PIC small-model object may reference a firmware symbol with R_X86_64_32/32S, which only
// reaches the low 2/4 GiB (psABI §4.4.1). When this program is a PIE loaded high, no placement of
// the extension can satisfy that, and the right answer is an error naming that symbol.
bool unreachable_absolute_import([[maybe_unused]] test::object_file const& o, [[maybe_unused]] diagnostic const& d) {
#if defined(__riscv)
  // RISC-V medlow (-fno-pic) reaches symbols with absolute HI20/LO12: [-2 GiB, 2 GiB) only
  // (psABI "Code models"); a PIE firmware above that cannot be reached, and must say so.
  if (!o.small_non_pic()) return false;
  if (d.code != errc::relocation_overflow && d.code != errc::out_of_reach) return false;
  auto const* e = firmware_exports.find_entry_by_name(d.name_view());
  return e != nullptr && e->address() > 0x7fffffffu;
#elif !defined(__x86_64__)
  return false; // only x86-64's and RISC-V's small code models use 32-bit absolute references
#else
  if (!o.small_non_pic()) return false;
  if (d.code != errc::relocation_overflow && d.code != errc::out_of_reach) return false;
  auto const* e = firmware_exports.find_entry_by_name(d.name_view());
  if (e == nullptr) return false;
  std::uint64_t const limit = d.type == arch::x86_64::traits::R_X86_64_32 ? 0xffffffffu : 0x7fffffffu;
  return e->address() > limit;
#endif
}

// Checks a failed load of `o`: only an unreachable absolute import is acceptable.
void check_load_failure(test::object_file const& o, std::string const& label, diagnostic const& d) {
  std::string const why = describe(d);
  INFO("diagnostic: ", why);
  bool const expected = unreachable_absolute_import(o, d);
  CHECK_MESSAGE(expected, "load failed");
  if (expected) MESSAGE("expected failure: ", label, ": ", why);
}

// Load each object of `source`, bring it up, run `body(ext)`, tear down, unload; check that the
// allocator got everything back.
template <class Body>
void for_each_object(std::string_view source, Body&& body) {
  auto const objects = test::objects_of(source);
  REQUIRE_FALSE(objects.empty());
  int ran = 0;
  for (auto const& o : objects) {
    std::string const label = o.label();
    INFO("object: ", label);
    auto const bytes = test::read_object_file(o);
    REQUIRE_MESSAGE(!bytes.empty(), "cannot read ", o.path());
    host_mmap_allocator alloc;
    host_loader ld{alloc, firmware_exports};
    reset_firmware();
    auto r = ld.load(std::span<std::byte const>(bytes));
    if (!r) {
      check_load_failure(o, label, r.error());
      CHECK(alloc.allocations() == 0);
      continue;
    }
    extension* ext = *r;
    CHECK(events().empty()); // loading runs nothing
    ext->bring_up();
    body(*ext, o);
    ext->tear_down();
    finalize(&firmware_dso_handle);
    ld.unload(ext);
    CHECK(alloc.allocations() == 0);
    CHECK(live_allocations == 0);
    ++ran;
  }
  MESSAGE(source, ": ran ", ran, " of ", objects.size(), " objects");
  // At least the position-independent builds always load.
  CHECK(ran * 2 > static_cast<int>(objects.size()));
}

template <class Fn>
Fn* need(extension const& ext, std::string_view name) {
  Fn* f = ext.function<Fn>(name);
  REQUIRE_MESSAGE(address(f) != 0, "extension does not export ", name);
  return f;
}
template <class T>
T* need_object(extension const& ext, std::string_view name) {
  T* p = ext.object<T>(name);
  REQUIRE_MESSAGE(p != nullptr, "extension does not export ", name);
  return p;
}

int negate(int x) { return -x; }

} // namespace

TEST_CASE("real objects: the manifest lists every source, compiler and code model") {
  for (std::string_view s : {"calls", "data", "switch", "weak", "ctors", "align", "cxx", "comdat_a", "comdat_b", "comdat_ab", "throw", "large"}) {
    INFO(s);
    auto const objs = test::objects_of(s);
    CHECK(std::any_of(objs.begin(), objs.end(), [](auto const& o) { return o.compiler == "gcc"; }));
#if defined(EXTLOAD_REAL_OBJECTS_CLANG)
    CHECK(std::any_of(objs.begin(), objs.end(), [](auto const& o) { return o.compiler == "clang"; }));
#endif
    for (auto const& o : objs) CHECK_MESSAGE(!test::read_object_file(o).empty(), o.path());
  }
#if defined(__x86_64__)
  CHECK(test::find_object("calls", "clang", "O2-pic-large") != nullptr);
#endif
  CHECK(test::find_object("calls", "gcc", "Os-pie") != nullptr);
}

TEST_CASE("real objects: calls both ways between extension and firmware") {
  for_each_object("calls", [](extension& ext, test::object_file const&) {
    CHECK(need<int(int)>(ext, "calls_square")(7) == 49);
    int const before = fw_add_calls;
    CHECK(need<int(int, int, int)>(ext, "calls_add3")(1, 2, 3) == 6);
    CHECK(fw_add_calls - before == 2);
    CHECK(need<int(int)>(ext, "calls_apply_triple")(5) == 30);  // firmware calls a static function
    CHECK(need<int(int)>(ext, "calls_apply_square")(6) == 72);  // ... and a global one
    CHECK(need<int(int (*)(int), int)>(ext, "calls_invoke")(&negate, 9) == -8);
    CHECK(need<int(int)>(ext, "calls_tail")(41) == 42);
    CHECK(need<int(int, int, int)>(ext, "calls_variadic")(1, 20, 300) == 321);
    CHECK(need<int(int)>(ext, "calls_factorial")(10) == 3628800);
    CHECK(need<long(long)>(ext, "calls_big")(3) == 3 * (1 + 4 + 9 + 16 + 25 + 36 + 49 + 64));
    unsigned expected = 0;
    for (unsigned i = 0; i < 1024; ++i) expected += static_cast<unsigned char>(17 + i) * (i % 7 + 1);
    CHECK(need<unsigned(unsigned)>(ext, "calls_copy")(17) == expected);
  });
}

TEST_CASE("real objects: global data, pointers, strings, bss and common symbols") {
  for_each_object("data", [](extension& ext, test::object_file const&) {
    int* value = need_object<int>(ext, "data_value");
    CHECK(*value == 5);
    CHECK(*need_object<int*>(ext, "data_ptr") == value);
    CHECK(*need_object<int*>(ext, "data_fw_counter_ptr") == &fw_counter);
    CHECK(*need_object<int*>(ext, "data_fw_table_ptr") == &fw_table[3]);
    CHECK(*need_object<char const*>(ext, "data_fw_name_ptr") == fw_name);
    CHECK(need<unsigned()>(ext, "data_lengths")() == (5 + 5 + 7) * 100 + 8);
    auto word_of = need<char const*(unsigned)>(ext, "data_word");
    CHECK(std::string_view{word_of(2)} == "extload");
    CHECK(std::string_view{word_of(9)} == "out of range");
    auto bump = need<int()>(ext, "data_bump");
    CHECK(bump() == 11);
    CHECK(bump() == 12);
    auto bss_sum = need<int(int)>(ext, "data_bss_sum");
    CHECK(bss_sum(1) == 256 + 255 * 256 / 2); // bss starts zeroed
    CHECK(bss_sum(1) == 2 * (256 + 255 * 256 / 2));
    CHECK(need<int(int)>(ext, "data_read_fw")(2) == 7 * 1000 + 5 + 10);
    need<void(int)>(ext, "data_write_fw")(99);
    CHECK(fw_counter == 99);
    CHECK(fw_table[15] == 100);
    int* common = need_object<int>(ext, "data_common");
    CHECK(*common == 0);
    CHECK(need<int*()>(ext, "data_common_addr")() == common);
    CHECK(address(common) % alignof(int) == 0);
    CHECK(ext.contains(address(common)));
    CHECK(need<int(int)>(ext, "data_through_ptr")(3) == 8);
    CHECK(*value == 8);
  });
}

namespace {
// sw_dense of tests/objects/switch.c, run by the firmware itself.
int sw_dense_reference(int x) {
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
int fw_sub(int a, int b) { return a - b; }
} // namespace

TEST_CASE("real objects: switch jump tables and function-pointer tables") {
  for_each_object("switch", [](extension& ext, test::object_file const&) {
    auto dense = need<int(int)>(ext, "sw_dense");
    for (int x = -2; x < 17; ++x) {
      CAPTURE(x);
      event_count = 0;
      int const got = dense(x);
      auto const got_events = events();
      event_count = 0;
      CHECK(got == sw_dense_reference(x));
      CHECK(got_events == events());
    }
    auto apply = need<int(unsigned, int, int)>(ext, "sw_apply");
    constexpr int expected[] = {4, 21, 10, 4, 7, -1};
    for (unsigned i = 0; i < 6; ++i) CHECK(apply(i, 7, 3) == expected[i]);
    using op = int (*)(int, int);
    op const* ops = need_object<op const>(ext, "sw_ops");
    CHECK(address(ops[2]) == address(&fw_add)); // an absolute reference to a firmware function is its real address
    CHECK(address(ops[4]) == address(need<int(int, int)>(ext, "sw_op_max")));
    op* mut = need_object<op>(ext, "sw_ops_mut");
    CHECK(address(mut[1]) == address(&fw_add));
    CHECK(address(mut[2]) == 0);
    auto apply_mut = need<int(unsigned, int, int)>(ext, "sw_apply_mut");
    CHECK(apply_mut(0, 7, 3) == 21);
    CHECK(apply_mut(2, 7, 3) == -1);
    mut[2] = &fw_sub; // the firmware patches the extension's writable table
    CHECK(apply_mut(2, 7, 3) == 4);
    CHECK(apply_mut(3, 7, 3) == 7);
  });
}

TEST_CASE("real objects: weak undefined symbols resolve to 0 unless the firmware exports them") {
  for_each_object("weak", [](extension& ext, test::object_file const&) {
    CHECK(need<int()>(ext, "weak_call_maybe")() == -1);
    CHECK(need<int()>(ext, "weak_data_maybe")() == -2);
    CHECK(need<unsigned long()>(ext, "weak_maybe_address")() == 0);
    CHECK(need<int()>(ext, "weak_call_present")() == 77);
    CHECK(need<int()>(ext, "weak_call_defined")() == 6);
  });
}

TEST_CASE("real objects: constructors and destructors run once, by priority") {
  for_each_object("ctors", [](extension& ext, test::object_file const&) {
    auto const up = events();
    REQUIRE(up.size() == 5);
    CHECK(up[0] == 50);  // .preinit_array first
    CHECK(up[1] == 101); // then .init_array.00101 / .init_array.101
    CHECK(up[2] == 102);
    // Default priority last, in an order the compilers choose (section order within the file).
    CHECK(std::is_permutation(up.begin() + 3, up.end(), std::begin({200, 201})));
    CHECK(need<int()>(ext, "ctors_get_state")() == 912);
    ext.bring_up(); // a second call runs nothing
    CHECK(events().size() == 5);
    event_count = 0;
    ext.tear_down();
    auto const down = events();
    REQUIRE(down.size() == 4);
    CHECK(std::is_permutation(down.begin(), down.begin() + 2, std::begin({-200, -201})));
    CHECK(down[2] == -102);
    CHECK(down[3] == -101);
    ext.tear_down();
    CHECK(events().size() == 4);
  });
}

TEST_CASE("real objects: alignment up to 4 KiB is kept") {
  for_each_object("align", [](extension& ext, test::object_file const&) {
    CHECK(address(need_object<int>(ext, "align_data")) % 4096 == 0);
    CHECK(address(need_object<int>(ext, "align_bss")) % 4096 == 0);
    CHECK(address(need<int const*()>(ext, "align_ro_addr")()) % 4096 == 0);
    CHECK(address(need_object<char>(ext, "align_line")) % 64 == 0);
    auto f4k = need<int()>(ext, "align_fn4k");
    auto f64 = need<int()>(ext, "align_fn64");
    auto f256 = need<int()>(ext, "align_fn256");
    // (On ARM a Thumb function's address carries bit 0: the code itself starts one byte lower.)
    auto const code = [](auto f) { return address(f) & ~std::uint64_t{1}; };
    CHECK(code(f4k) % 4096 == 0);
    CHECK(code(f64) % 64 == 0);
    CHECK(code(f256) % 256 == 0);
    CHECK(f4k() == 4096);
    CHECK(f64() == 64);
    CHECK(f256() == 256);
    CHECK(need<int()>(ext, "align_sum")() == 1 + 3 + 5 + 0 + 'l');
  });
}

TEST_CASE("real objects: C++ virtual calls, static objects, guards, new/delete, templates") {
  for_each_object("cxx", [](extension& ext, test::object_file const&) {
    CHECK(events() == std::vector<int>{1040}); // the static tracker was constructed by bring_up
    CHECK(need<int()>(ext, "cxx_tracker_value")() == 42);
    CHECK(atexit_count == 1);
    event_count = 0;
    CHECK(need<int(int)>(ext, "cxx_shapes")(5) == 0 * 2 + 1 * 3 + 6 * 2 + 9 * 3 + 20 * 2);
    CHECK(events() == std::vector<int>{300, 300}); // ~square ran through the virtual destructor
    CHECK(live_allocations == 0);
    event_count = 0;
    auto local = need<int(int)>(ext, "cxx_local_static");
    CHECK(local(5) == 7);
    CHECK(local(9) == 7); // constructed once
    CHECK(events() == std::vector<int>{1005});
    CHECK(atexit_count == 2);
    auto templates = need<long(long)>(ext, "cxx_templates");
    CHECK(templates(10) == 41);
    CHECK(templates(10) == 42);
    event_count = 0;
    ext.tear_down();
    finalize(&firmware_dso_handle); // what __cxa_finalize would do: last registered first
    CHECK(events() == std::vector<int>{-1007, -1042});
  });
}

TEST_CASE("real objects: C++ COMDAT groups shared by two objects loaded together keep one copy") {
  auto const as = test::objects_of("comdat_a");
  REQUIRE_FALSE(as.empty());
  int ran = 0, pairs = 0;
  for (auto const& a : as) {
    // The same flags from the same compiler, and from the other compiler (groups must match by
    // signature whatever produced them).
    for (std::string_view other : {a.compiler, a.compiler == "gcc" ? std::string_view{"clang"} : std::string_view{"gcc"}}) {
      auto const* b = test::find_object("comdat_b", other, a.flags);
#if !defined(EXTLOAD_REAL_OBJECTS_CLANG)
      if (b == nullptr) continue; // one compiler only (cross builds)
#endif
      REQUIRE(b != nullptr);
      std::string const label = a.label() + " + " + b->label();
      INFO("objects: ", label);
      ++pairs;
      auto const bytes_a = test::read_object_file(a);
      auto const bytes_b = test::read_object_file(*b);
      REQUIRE_FALSE(bytes_a.empty());
      REQUIRE_FALSE(bytes_b.empty());
      host_mmap_allocator alloc;
      host_loader ld{alloc, firmware_exports};
      reset_firmware();

      // Alone, comdat_a cannot load: it imports comdat_b_only_value.
      auto alone = ld.load(std::span<std::byte const>(bytes_a));
      REQUIRE_FALSE(alone);
      if (!unreachable_absolute_import(a, alone.error())) {
        CHECK(alone.error().code == errc::undefined_symbol);
        CHECK(alone.error().name_view() == "comdat_b_only_value");
      }
      CHECK(alloc.allocations() == 0);

      std::array<std::span<std::byte const>, 2> const both{std::span<std::byte const>(bytes_a),
                                                           std::span<std::byte const>(bytes_b)};
      report_type report{};
      auto r = ld.load(std::span<std::span<std::byte const> const>(both), {}, &report);
      if (!r) {
        std::string const why = describe(r.error());
        INFO("diagnostic: ", why);
        CHECK_MESSAGE((unreachable_absolute_import(a, r.error()) || unreachable_absolute_import(*b, r.error())),
                      "load failed");
        continue;
      }
      extension* ext = *r;
      ext->bring_up();
      CHECK(report.objects == 2);
      CHECK(report.comdat_groups_discarded > 0);
      using shared_fn = int (*)(int);
      CHECK(address(need<shared_fn()>(*ext, "comdat_a_shared")()) == address(need<shared_fn()>(*ext, "comdat_b_shared")()));
      CHECK(need<int*()>(*ext, "comdat_a_counter")() == need<int*()>(*ext, "comdat_b_counter")());
      CHECK(need<int*()>(*ext, "comdat_a_box_addr")() == need<int*()>(*ext, "comdat_b_box_addr")());
      CHECK(need<int(int)>(*ext, "comdat_a_call")(1) == 1001);
      CHECK(need<int(int)>(*ext, "comdat_b_call")(2) == 2002); // one static local for both
      CHECK(*need<int*()>(*ext, "comdat_a_counter")() == 2);
      CHECK(need<int(int)>(*ext, "comdat_a_box")(5) == 105);
      CHECK(need<int(int)>(*ext, "comdat_b_box")(5) == 110);
      CHECK(need<int()>(*ext, "comdat_a_virtual")() == 2);
      CHECK(need<int()>(*ext, "comdat_a_calls_b")() == 42);
      ext->tear_down();
      finalize(&firmware_dso_handle);
      ld.unload(ext);
      CHECK(alloc.allocations() == 0);
      ++ran;
    }
  }
  MESSAGE("comdat: ran ", ran, " of ", pairs, " pairs");
  CHECK(ran * 2 > pairs);
}

TEST_CASE("real objects: a partially linked object (ld -r of comdat_a + comdat_b) loads alone") {
  // `ld -r` output is still ET_REL: the two halves' COMDAT groups are already merged by ld, and
  // the cross-object references are now within one object.
  auto const objs = test::objects_of("comdat_ab");
  REQUIRE_FALSE(objs.empty());
  int ran = 0;
  for (auto const& o : objs) {
    INFO("object: ", o.label());
    auto const bytes = test::read_object_file(o);
    REQUIRE_FALSE(bytes.empty());
    host_mmap_allocator alloc;
    host_loader ld{alloc, firmware_exports};
    reset_firmware();
    auto r = ld.load(std::span<std::byte const>(bytes));
    if (!r) {
      check_load_failure(o, o.label(), r.error());
      continue;
    }
    extension* ext = *r;
    ext->bring_up();
    using shared_fn = int (*)(int);
    CHECK(address(need<shared_fn()>(*ext, "comdat_a_shared")()) == address(need<shared_fn()>(*ext, "comdat_b_shared")()));
    CHECK(need<int(int)>(*ext, "comdat_a_call")(1) == 1001);
    CHECK(need<int(int)>(*ext, "comdat_b_call")(2) == 2002);
    CHECK(need<int()>(*ext, "comdat_a_calls_b")() == 42);
    ext->tear_down();
    finalize(&firmware_dso_handle);
    ld.unload(ext);
    CHECK(alloc.allocations() == 0);
    ++ran;
  }
  CHECK(ran > 0);
}

TEST_CASE("real objects: C++ exceptions without the C++ runtime are rejected by name") {
  constexpr std::string_view runtime[] = {"__cxa_allocate_exception", "__cxa_throw", "_ZTIi",
                                          "__cxa_begin_catch", "__cxa_end_catch", "__gxx_personality_v0",
                                          "_Unwind_Resume", "__cxa_free_exception"};
  for (auto const& o : test::objects_of("throw")) {
    std::string const label = o.label();
    INFO("object: ", label);
    auto const bytes = test::read_object_file(o);
    REQUIRE_FALSE(bytes.empty());
    host_mmap_allocator alloc;
    host_loader ld{alloc, firmware_exports};
    auto r = ld.load(std::span<std::byte const>(bytes));
    REQUIRE_FALSE(r);
    std::string const why = describe(r.error());
    INFO("diagnostic: ", why);
    CHECK(r.error().code == errc::undefined_symbol);
    CHECK(std::find(std::begin(runtime), std::end(runtime), r.error().name_view()) != std::end(runtime));
    CHECK(alloc.allocations() == 0);
  }
}

namespace {
// large_checksum of the generated tests/objects/large.c, from the formulas of gen_large.py.
constexpr unsigned large_funcs = 2000, large_calls = 20;
constexpr unsigned large_k(unsigned m) { return m * 747796405u + 2891336453u; }
constexpr unsigned large_constant(unsigned i, unsigned j) {
  return static_cast<unsigned>((std::uint64_t{i} * 2654435761u + std::uint64_t{j} * 40503u + 12345u) & 0xffffu);
}
constexpr unsigned large_reference(unsigned seed) {
  unsigned x = seed;
  for (unsigned i = 0; i < large_funcs; ++i) {
    x ^= i;
    for (unsigned j = 0; j < large_calls; ++j) {
      unsigned arg = 0;
      switch (j % 4) {
      case 0: arg = large_constant(i, j); break;
      case 1: arg = word((i * 7 + j) % 64); break;
      case 2: arg = large_k((i * 13 + j) % large_funcs); break;
      default: arg = large_k((i * 5 + j) % large_funcs); break;
      }
      x = j % 2 == 0 ? mix(x, arg) : mix_b(x, arg);
    }
  }
  return x;
}
// The firmware's fw_mix/fw_mix_b are the same functions as the reference's.
constexpr bool mixers_agree() { return mix(0x12345678u, 99u) == (0x12345678u ^ 0x2468acu) * 31u + 99u && mix_b(1u, 0u) == 32u + 0x9e3779b9u; }
static_assert(mixers_agree());
} // namespace

TEST_CASE("real objects: loaded from their files in blocks (host_file_source), they run as from memory") {
  // Every large object (the most relocations), every calls and align object: the file is read
  // with one pread per section the loader uses, whatever the number of symbols and relocations.
  for (std::string_view source : {"large", "calls", "align"}) {
    for (auto const& o : test::objects_of(source)) {
      std::string const label = o.label();
      INFO("object: ", label);
      host_file_source file{o.path()};
      REQUIRE(file.is_open());
      host_mmap_allocator alloc;
      host_loader ld{alloc, firmware_exports};
      reset_firmware();
      report_type report{};
      auto r = ld.load_from(file, {}, &report);
      if (!r) {
        check_load_failure(o, label, r.error());
        CHECK(alloc.allocations() == 0);
        continue;
      }
      auto const v = object_view<test::host_format>::parse(test::read_object_file(o));
      REQUIRE(v.has_value());
      CHECK(file.reads() >= 3);
      CHECK(file.reads() <= 2 + v->section_count());
      if (source == "large") {
        CHECK(report.relocations > 30000);
        MESSAGE(label, ": ", report.relocations, " relocations, ", file.reads(), " reads of ", file.size(), " bytes");
        extension* ext = *r;
        ext->bring_up();
        CHECK(need<unsigned(unsigned)>(*ext, "large_checksum")(12345u) == large_reference(12345u));
        ext->tear_down();
      } else if (source == "align") {
        // RISC-V: the R_RISCV_ALIGN padding is deleted from contents read straight into place.
        auto f4k = need<int()>(**r, "align_fn4k");
        CHECK((address(f4k) & ~std::uint64_t{1}) % 4096 == 0);
        CHECK(f4k() == 4096);
        CHECK(need<int()>(**r, "align_fn64")() == 64);
      } else {
        CHECK(need<int(int)>(**r, "calls_square")(7) == 49);
      }
      ld.unload(*r);
      CHECK(alloc.allocations() == 0);
    }
  }
}

TEST_CASE("real objects: a large object with tens of thousands of relocations") {
  CHECK(mixers_agree());
  CHECK(fw_mix(0x12345678u, 99u) == mix(0x12345678u, 99u));
  CHECK(fw_mix_b(0xdeadbeefu, 5u) == mix_b(0xdeadbeefu, 5u));
  unsigned const expected = large_reference(12345u);
  for (auto const& o : test::objects_of("large")) {
    std::string const label = o.label();
    INFO("object: ", label);
    auto const bytes = test::read_object_file(o);
    REQUIRE_FALSE(bytes.empty());
    host_mmap_allocator alloc;
    host_loader ld{alloc, firmware_exports};
    report_type report{};
    auto r = ld.load(std::span<std::byte const>(bytes), {}, &report);
    if (!r) {
      check_load_failure(o, label, r.error());
      CHECK(alloc.allocations() == 0);
      continue;
    }
    MESSAGE(label, ": ", report.relocations, " relocations");
    CHECK(report.relocations > 30000); // fewer under -mcmodel=large -fPIC: one GOT64 per import and function
    extension* ext = *r;
    ext->bring_up();
    CHECK(need<unsigned(unsigned)>(*ext, "large_checksum")(12345u) == expected);
    ext->tear_down();
    ld.unload(ext);
    CHECK(alloc.allocations() == 0);
  }
}
