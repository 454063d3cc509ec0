// tests/registry/registry.test.cpp: the extension registry on real objects (tests/registry/
// objects/*.c, built by gcc -O2 as -fPIE and -fPIC), loaded with the x86-64 loader into host_mmap
// memory and executed. Every case runs with the firmware configuration (no_lock,
// fixed_capacity) and the host one (std_mutex_lock, dynamic_capacity): load / find / use counts
// / name reuse; a provider chain base <- middle <- top with refused unloads and release order;
// more providers than LLEXT's limit of 8; a failed load that leaves everything as it was; a full
// registry; iterate stopping on non-zero; the caller's fallback consulted after the extensions;
// a static_arena firmware; and two threads loading and unloading concurrently.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "extload/alloc/host_mmap.hpp"
#include "extload/alloc/static_arena.hpp"
#include "support/host_arch.hpp"
#include "extload/describe.hpp"
#include "extload/loader/lifecycle.hpp"
#include "extload/loader/loader.hpp"
#include "extload/registry/host_registry.hpp"
#include "extload/registry/registry.hpp"
#include "extload/symbols/export_table.hpp"
#include "registry_firmware.h"
#include "registry_objects.hpp"

// ---------------------------------------------------------------------------------------------
// The firmware the extensions import from.
namespace {
std::vector<int> event_log;
} // namespace

extern "C" {
int reg_scale = 100;
void reg_log(int event) { event_log.push_back(event); }
}

namespace {

using namespace extload;
namespace objs = extload::test::registry_objects;

constinit auto const fw_exports =
    make_export_table<sizeof(void*)>(export_function<"reg_log", &reg_log>, export_object<"reg_scale", &reg_scale>);
using exports_type = std::remove_const_t<decltype(fw_exports)>;
using host_loader = loader<test::host_format, test::host_arch, host_mmap_allocator, exports_type>;

using fixed_registry = registry<host_loader, no_lock, fixed_capacity<16>>;
using shared_fixed_registry = registry<host_loader, std_mutex_lock, fixed_capacity<16>>;
using dynamic_registry = host_registry<host_loader>;

std::string text_of(diagnostic const& d) {
  std::array<char, 256> buf{};
  describe(d, buf);
  return buf.data();
}

// Every object of one flag set, read once.
struct object_set {
  std::string flags;
  std::vector<std::byte> base, middle, top, other, pair, broken, many, worker;
  std::array<std::vector<std::byte>, 10> prov;

  explicit object_set(std::string_view f) : flags(f) {
    base = objs::read("base", f);
    middle = objs::read("middle", f);
    top = objs::read("top", f);
    other = objs::read("other", f);
    pair = objs::read("pair", f);
    broken = objs::read("broken", f);
    many = objs::read("many", f);
    worker = objs::read("worker", f);
    for (std::size_t i = 0; i < prov.size(); ++i) prov[i] = objs::read("prov" + std::to_string(i), f);
  }
  bool complete() const {
    for (auto const* v : {&base, &middle, &top, &other, &pair, &broken, &many, &worker})
      if (v->empty()) return false;
    for (auto const& p : prov)
      if (p.empty()) return false;
    return true;
  }
};

std::vector<object_set> const& all_sets() {
  static std::vector<object_set> const sets = [] {
    std::vector<object_set> v;
    for (auto f : objs::flag_sets) v.emplace_back(f);
    return v;
  }();
  return sets;
}

std::span<std::byte const> bytes(std::vector<std::byte> const& v) { return {v.data(), v.size()}; }

// Loads and checks success, naming the diagnostic if not.
template <class Registry>
extension* must_load(Registry& r, std::string_view name, std::vector<std::byte> const& object,
                     load_options const& opt = {}) {
  auto res = r.load(name, bytes(object), opt);
  INFO("loading ", name, ": ", text_of(res.error()));
  REQUIRE(res.has_value());
  return *res;
}

// Everything observable about a registry, to compare before and after an operation.
struct slot_state {
  std::string name;
  extension const* ext;
  std::uint32_t use_count, dependents;
  std::vector<std::string> providers;
  std::uint64_t first_export; // the extension's memory is untouched
  bool operator==(slot_state const&) const = default;
};
struct registry_state {
  std::vector<slot_state> slots;
  std::size_t allocations;
  std::uint64_t bytes_in_use;
  bool operator==(registry_state const&) const = default;
};
template <class Registry>
registry_state state_of(Registry const& r, host_mmap_allocator const& mem) {
  registry_state s{{}, mem.allocations(), mem.bytes_in_use()};
  std::vector<std::pair<std::string, extension const*>> names;
  (void)r.iterate([&](std::string_view n, extension& e) {
    names.emplace_back(std::string{n}, &e);
    return 0;
  });
  for (auto const& [n, e] : names) {
    slot_state st{n, e, r.use_count(n), r.dependents(n), {}, e->exports().empty() ? 0 : e->exports()[0].address};
    (void)r.for_each_dependency(n, [&](std::string_view p, extension&) {
      st.providers.emplace_back(p);
      return 0;
    });
    s.slots.push_back(std::move(st));
  }
  return s;
}

template <class Registry>
std::vector<std::string> names_of(Registry const& r) {
  std::vector<std::string> v;
  (void)r.iterate([&](std::string_view n, extension&) {
    v.emplace_back(n);
    return 0;
  });
  return v;
}

#define REGISTRY_TYPES fixed_registry, shared_fixed_registry, dynamic_registry

} // namespace

TEST_CASE_TEMPLATE("registry: load, find, use counts, unload, name reuse", R, REGISTRY_TYPES) {
  for (auto const& o : all_sets()) {
    INFO("flags: ", o.flags);
    REQUIRE(o.complete());
    host_mmap_allocator mem;
    host_loader ld{mem, fw_exports};
    R reg{ld};
    CHECK(reg.empty());
    CHECK(reg.find("base") == nullptr);

    extension* base = must_load(reg, "base", o.base);
    CHECK(reg.find("base") == base);
    CHECK(reg.use_count("base") == 1);
    CHECK(reg.size() == 1);
    std::size_t const one = mem.allocations();

    // The same name again: the loaded extension, one more use, nothing loaded (the object given
    // is not even looked at).
    auto again = reg.load("base", bytes(o.worker));
    REQUIRE(again.has_value());
    CHECK(*again == base);
    CHECK(reg.use_count("base") == 2);
    CHECK(reg.size() == 1);
    CHECK(mem.allocations() == one);
    CHECK(base->function<int(int)>("base_twice")(4) == 8 + reg_scale);

    auto u1 = reg.unload("base");
    REQUIRE(u1.has_value());
    CHECK(*u1 == 1);
    CHECK(reg.find("base") == base);
    auto u0 = reg.unload(base); // by extension pointer
    REQUIRE(u0.has_value());
    CHECK(*u0 == 0);
    CHECK(reg.find("base") == nullptr);
    CHECK(reg.use_count("base") == 0);
    CHECK(mem.allocations() == 0);
    CHECK(reg.unload("base").code() == errc::not_found);
    CHECK(reg.unload(base).code() == errc::not_found);

    // The name is free again: a different object under it.
    extension* w = must_load(reg, "base", o.worker);
    CHECK(w->find("worker_calc"));
    CHECK_FALSE(w->find("base_twice"));
    CHECK(reg.find_symbol("worker_calc").address == w->find("worker_calc").address);
    CHECK(*reg.unload("base") == 0);
    CHECK(mem.allocations() == 0);
  }
}

TEST_CASE_TEMPLATE("registry: names are 1..MaxName characters, checked before anything else", R, REGISTRY_TYPES) {
  auto const& o = all_sets().front();
  host_mmap_allocator mem;
  host_loader ld{mem, fw_exports};
  R reg{ld};
  std::string const longest(R::max_name, 'n');
  std::string const too_long(R::max_name + 1, 'n');
  auto bad = reg.load(too_long, bytes(o.base));
  CHECK(bad.code() == errc::limit_exceeded);
  CHECK(bad.error().value == static_cast<std::int64_t>(R::max_name + 1));
  CHECK(bad.error().has_range);
  CHECK(bad.error().max == static_cast<std::int64_t>(R::max_name));
  CHECK(reg.load("", bytes(o.base)).code() == errc::limit_exceeded);
  CHECK(mem.allocations() == 0);
  CHECK(reg.empty());
  extension* e = must_load(reg, longest, o.base);
  CHECK(reg.find(longest) == e);
  CHECK(reg.find(longest.substr(1)) == nullptr);
}

TEST_CASE_TEMPLATE("registry: a provider chain, refused unloads, release order", R, REGISTRY_TYPES) {
  for (auto const& o : all_sets()) {
    INFO("flags: ", o.flags);
    host_mmap_allocator mem;
    host_loader ld{mem, fw_exports};
    R reg{ld};
    event_log.clear();

    extension* base = must_load(reg, "base", o.base);
    extension* middle = must_load(reg, "middle", o.middle);
    extension* top = must_load(reg, "top", o.top);
    // Who links against whom: direct dependencies only.
    CHECK(reg.depends_on("middle", "base"));
    CHECK(reg.depends_on("top", "middle"));
    CHECK_FALSE(reg.depends_on("top", "base"));
    CHECK_FALSE(reg.depends_on("base", "middle"));
    CHECK(reg.use_count("base") == 2);
    CHECK(reg.use_count("middle") == 2);
    CHECK(reg.use_count("top") == 1);
    CHECK(reg.dependents("base") == 1);

    // The imports resolved to the providers' definitions: a function and a data object each way.
    CHECK(middle->find("middle_calc"));
    auto* top_calc = top->function<int(int)>("top_calc");
    bool const have_top_calc = top_calc != nullptr;
    REQUIRE(have_top_calc);
    // middle_calc(3) = base_twice(3) + base_value = (6 + 100) + 40; top = 146 * 10 + 5
    CHECK(top_calc(3) == 1465);
    *base->object<int>("base_value") = 0; // middle reads base's data, not a copy
    CHECK(top_calc(3) == 1065);
    *base->object<int>("base_value") = 40;
    CHECK(reg.find_symbol("middle_calc").address == middle->find("middle_calc").address);

    base->bring_up();
    middle->bring_up();
    top->bring_up();
    CHECK(event_log == std::vector<int>{1, 2, 3});

    // Providers cannot go while a dependent is loaded: errc::busy and no change at all.
    registry_state const before = state_of(reg, mem);
    auto busy = reg.unload("base");
    CHECK(busy.code() == errc::busy);
    CHECK(busy.error().value == 1);
    CHECK(busy.error().name_view() == "base");
    CHECK(reg.unload("middle").code() == errc::busy);
    CHECK(state_of(reg, mem) == before);
    CHECK(event_log == std::vector<int>{1, 2, 3});

    // Top first: torn down, freed, middle released.
    CHECK(*reg.unload("top") == 0);
    CHECK(event_log.back() == -3);
    CHECK(reg.use_count("middle") == 1);
    CHECK(reg.unload("base").code() == errc::busy); // middle still holds it
    CHECK(*reg.unload("middle") == 0);
    CHECK(reg.use_count("base") == 1);
    CHECK(*reg.unload("base") == 0);
    CHECK(event_log == std::vector<int>{1, 2, 3, -3, -2, -1});
    CHECK(reg.empty());
    CHECK(mem.allocations() == 0);
  }
}

TEST_CASE_TEMPLATE("registry: extra user references on a provider can go, the last one cannot", R, REGISTRY_TYPES) {
  auto const& o = all_sets().front();
  host_mmap_allocator mem;
  host_loader ld{mem, fw_exports};
  R reg{ld};
  must_load(reg, "base", o.base);
  must_load(reg, "base", o.base);
  must_load(reg, "middle", o.middle);
  CHECK(reg.use_count("base") == 3); // two loads + one dependent
  auto r = reg.unload("base");
  REQUIRE(r.has_value());
  CHECK(*r == 2);
  CHECK(reg.unload("base").code() == errc::busy);
  CHECK(reg.use_count("base") == 2);
  // Loading the dependent's name again does not add a dependency.
  must_load(reg, "middle", o.middle);
  CHECK(reg.dependents("base") == 1);
  CHECK(*reg.unload("middle") == 1);
  CHECK(*reg.unload("middle") == 0);
  CHECK(*reg.unload("base") == 0);
  CHECK(mem.allocations() == 0);
}

TEST_CASE_TEMPLATE("registry: an extension depending on two and on ten providers", R, REGISTRY_TYPES) {
  for (auto const& o : all_sets()) {
    INFO("flags: ", o.flags);
    host_mmap_allocator mem;
    host_loader ld{mem, fw_exports};
    R reg{ld};
    must_load(reg, "base", o.base);
    must_load(reg, "other", o.other);
    extension* pair = must_load(reg, "pair", o.pair);
    std::vector<std::string> providers;
    (void)reg.for_each_dependency("pair", [&](std::string_view n, extension&) {
      providers.emplace_back(n);
      return 0;
    });
    std::sort(providers.begin(), providers.end());
    CHECK(providers == std::vector<std::string>{"base", "other"});
    CHECK(pair->function<int()>("pair_sum")() == 40 + 77);

    // Ten providers (LLEXT stops at LLEXT_MAX_DEPENDENCIES = 8).
    for (std::size_t i = 0; i < 10; ++i) must_load(reg, "prov" + std::to_string(i), o.prov[i]);
    extension* many = must_load(reg, "many", o.many);
    int expected = 0;
    for (int i = 0; i < 10; ++i) expected += i * i + 1;
    CHECK(many->function<int()>("many_sum")() == expected);
    int count = 0;
    (void)reg.for_each_dependency("many", [&](std::string_view, extension&) { return ++count, 0; });
    CHECK(count == 10);
    for (std::size_t i = 0; i < 10; ++i) {
      std::string const n = "prov" + std::to_string(i);
      CHECK(reg.depends_on("many", n));
      CHECK(reg.use_count(n) == 2);
      CHECK(reg.unload(n).code() == errc::busy);
    }
    // for_each_dependency stops on non-zero, like iterate.
    int visited = 0;
    CHECK(reg.for_each_dependency("many", [&](std::string_view, extension&) { return ++visited == 3 ? 42 : 0; }) == 42);
    CHECK(visited == 3);
    CHECK(*reg.unload("many") == 0);
    for (std::size_t i = 0; i < 10; ++i) CHECK(reg.use_count("prov" + std::to_string(i)) == 1);
    reg.unload_all();
    CHECK(reg.empty());
    CHECK(mem.allocations() == 0);
  }
}

TEST_CASE_TEMPLATE("registry: a failed load leaves the registry and every extension as they were", R, REGISTRY_TYPES) {
  for (auto const& o : all_sets()) {
    INFO("flags: ", o.flags);
    host_mmap_allocator mem;
    host_loader ld{mem, fw_exports};
    R reg{ld};
    must_load(reg, "base", o.base);
    must_load(reg, "middle", o.middle);
    registry_state const before = state_of(reg, mem);
    REQUIRE(before.slots.size() == 2);

    // broken.o resolves base_twice through the registry, then reg_missing is undefined.
    auto r = reg.load("broken", bytes(o.broken));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::undefined_symbol);
    CHECK(r.error().name_view() == "reg_missing");
    CHECK(state_of(reg, mem) == before);
    CHECK(reg.use_count("base") == 2);
    CHECK(reg.find("broken") == nullptr);

    // Not an ELF file at all, and a truncated one.
    std::vector<std::byte> junk(64, std::byte{0x5a});
    CHECK_FALSE(reg.load("junk", bytes(junk)).has_value());
    std::vector<std::byte> cut(o.top.begin(), o.top.begin() + static_cast<std::ptrdiff_t>(o.top.size() / 2));
    CHECK_FALSE(reg.load("top", bytes(cut)).has_value());
    CHECK(state_of(reg, mem) == before);

    // The registry still works: the same name loads once its import exists.
    must_load(reg, "top", o.top);
    CHECK(reg.use_count("middle") == 2);
    reg.unload_all();
    CHECK(mem.allocations() == 0);
  }
}

TEST_CASE_TEMPLATE("registry: the caller's fallback resolver comes after the loaded extensions", R, REGISTRY_TYPES) {
  auto const& o = all_sets().front();
  host_mmap_allocator mem;
  host_loader ld{mem, fw_exports};
  R reg{ld};
  must_load(reg, "base", o.base);

  // Resolves reg_missing to a host function, and (wrongly) base_twice too: the registry must
  // have found base_twice in "base" before asking.
  struct host_side {
    static int missing(int x) { return 1000 * x; }
    static int fake_twice(int) { return -1; }
    static found_symbol resolve(void* ctx, byte_string name) {
      ++*static_cast<int*>(ctx);
      if (name == "reg_missing")
        return {static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&missing)), true, symbol_kind::function};
      if (name == "base_twice")
        return {static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&fake_twice)), true, symbol_kind::function};
      return {};
    }
  };
  int asked = 0;
  load_options opt;
  opt.fallback = resolver{&host_side::resolve, &asked};
  extension* broken = must_load(reg, "broken", o.broken, opt);
  CHECK(asked == 1); // only for reg_missing
  CHECK(broken->function<int(int)>("broken_calc")(2) == (4 + reg_scale) + 2000);
  CHECK(reg.depends_on("broken", "base"));
  CHECK(reg.unload("base").code() == errc::busy);
  reg.unload_all();
  CHECK(mem.allocations() == 0);
}

TEST_CASE("registry: a full fixed-capacity registry refuses before loading anything") {
  auto const& o = all_sets().front();
  host_mmap_allocator mem;
  host_loader ld{mem, fw_exports};
  registry<host_loader, no_lock, fixed_capacity<2>> reg{ld};
  CHECK(reg.capacity() == 2);
  must_load(reg, "a", o.base);
  must_load(reg, "b", o.other);
  registry_state const before = state_of(reg, mem);
  auto full = reg.load("c", bytes(o.worker));
  CHECK(full.code() == errc::limit_exceeded);
  CHECK(full.error().value == 2);
  CHECK(full.error().name_view() == "c");
  CHECK(state_of(reg, mem) == before);
  // A loaded name still gains uses; a freed slot takes the next load.
  CHECK(reg.load("a", bytes(o.base)).has_value());
  CHECK(*reg.unload("a") == 1);
  CHECK(*reg.unload("b") == 0);
  extension* c = must_load(reg, "c", o.worker);
  CHECK(c->function<int(int)>("worker_calc")(2) == 7);
  CHECK(names_of(reg) == std::vector<std::string>{"a", "c"});
  CHECK(dynamic_registry{ld}.capacity() > 1000000);
}

TEST_CASE_TEMPLATE("registry: iterate in load order, stopping at the first non-zero result", R, REGISTRY_TYPES) {
  auto const& o = all_sets().front();
  host_mmap_allocator mem;
  host_loader ld{mem, fw_exports};
  R reg{ld};
  CHECK(reg.iterate([](extension&) { return 1; }) == 0); // nothing to visit
  must_load(reg, "base", o.base);
  extension* other = must_load(reg, "other", o.other);
  must_load(reg, "worker", o.worker);
  CHECK(names_of(reg) == std::vector<std::string>{"base", "other", "worker"});

  std::vector<std::string> seen;
  int const r = reg.iterate([&](std::string_view n, extension& e) {
    seen.emplace_back(n);
    return &e == other ? 7 : 0;
  });
  CHECK(r == 7);
  CHECK(seen == std::vector<std::string>{"base", "other"});
  int visits = 0;
  CHECK(reg.iterate([&](extension&) { return ++visits, 0; }) == 0);
  CHECK(visits == 3);

  // A vacated slot is reused, but iteration stays in load order.
  CHECK(*reg.unload("other") == 0);
  must_load(reg, "later", o.other);
  CHECK(names_of(reg) == std::vector<std::string>{"base", "worker", "later"});
}

TEST_CASE("registry: firmware configuration (static_arena, no_lock, fixed_capacity)") {
  using arena = static_arena<512 * 1024>;
  // .bss of the firmware: within reach of its code and data, but not executable on this host,
  // so this case links and checks data without calling into the extensions.
  static arena memory;
  using arena_loader = loader<test::host_format, test::host_arch, arena, exports_type>;
  for (auto const& o : all_sets()) {
    INFO("flags: ", o.flags);
    arena_loader ld{memory, fw_exports};
    {
      registry<arena_loader, no_lock, fixed_capacity<4>, 15> reg{ld}; // LLEXT's 15-character names
      must_load(reg, "base", o.base);
      extension* middle = must_load(reg, "middle", o.middle);
      CHECK(*middle->object<int>("middle_value") == 5);
      CHECK(reg.depends_on("middle", "base"));
      CHECK(reg.unload("base").code() == errc::busy);
      CHECK(reg.load("a_name_of_16_chr", bytes(o.worker)).code() == errc::limit_exceeded);
      CHECK(memory.bytes_in_use() > 0);
    } // the destructor frees what is left, dependents first
    CHECK(memory.bytes_in_use() == 0);
  }
}

// (Not on i386: qemu-i386 user-mode emulation does not run this two-thread load reliably.)
#if !defined(__i386__)
TEST_CASE_TEMPLATE("registry: two threads loading and unloading different names (std_mutex_lock)", R,
                   shared_fixed_registry, dynamic_registry) {
  auto const& o = all_sets().front();
  host_mmap_allocator mem;
  host_loader ld{mem, fw_exports};
  R reg{ld};
  must_load(reg, "base", o.base);
  std::size_t const base_allocations = mem.allocations();
  std::atomic<int> failures{0};
  constexpr int rounds = 100;

  auto work = [&](int t) {
    std::string const w = "worker" + std::to_string(t);
    std::string const m = "middle" + std::to_string(t);
    for (int i = 0; i < rounds; ++i) {
      auto a = reg.load(w, bytes(o.worker));
      auto b = reg.load(m, bytes(o.middle)); // links against base: shared use count
      if (!a || !b) { ++failures; continue; }
      if ((*a)->template function<int(int)>("worker_calc")(i) != 3 * i + 1) ++failures;
      if ((*b)->template function<int(int)>("middle_calc")(i) != 2 * i + reg_scale + 40) ++failures;
      if (reg.find(w) != *a || !reg.depends_on(m, "base")) ++failures;
      if (reg.unload("base").code() != errc::busy) ++failures;
      (void)reg.iterate([](extension&) { return 0; });
      if (!reg.unload(m) || !reg.unload(w)) ++failures;
    }
  };
  std::thread t1{work, 1};
  std::thread t2{work, 2};
  t1.join();
  t2.join();
  CHECK(failures.load() == 0);
  CHECK(names_of(reg) == std::vector<std::string>{"base"});
  CHECK(reg.use_count("base") == 1);
  CHECK(mem.allocations() == base_allocations);
  CHECK(*reg.unload("base") == 0);
  CHECK(mem.allocations() == 0);
}
#endif
