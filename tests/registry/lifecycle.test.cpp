// tests/registry/lifecycle.test.cpp: the per-extension API of loader/lifecycle.hpp (LLEXT's
// llext_find_sym, llext_call_fn, llext_bringup / llext_teardown, llext_bootstrap,
// llext_get_section_header, llext_get_region_info) on tests/registry/objects/base.c, built -fPIE
// and -fPIC, loaded into host_mmap memory and run. Constructors and destructors log to the
// firmware's event log, so the tests see what ran and in which order.
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "extload/alloc/host_mmap.hpp"
#include "support/host_arch.hpp"
#include "extload/describe.hpp"
#include "extload/elf/constants.hpp"
#include "extload/loader/lifecycle.hpp"
#include "extload/loader/loader.hpp"
#include "extload/registry/registry.hpp"
#include "extload/symbols/export_table.hpp"
#include "registry_objects.hpp"

namespace {

using namespace extload;
namespace objs = extload::test::registry_objects;

// This file's firmware: the extensions' imports reg_log and reg_scale are exported under those
// names from functions and data of its own (registry.test.cpp has another firmware).
std::vector<int> events;
void lifecycle_log(int e) { events.push_back(e); }
int lifecycle_scale = 0;

constinit auto const fw_exports = make_export_table<sizeof(void*)>(export_function<"reg_log", &lifecycle_log>,
                                                       export_object<"reg_scale", &lifecycle_scale>);
using host_loader = loader<test::host_format, test::host_arch, host_mmap_allocator, std::remove_const_t<decltype(fw_exports)>>;

struct loaded {
  host_mmap_allocator mem;
  host_loader ld{mem, fw_exports};
  std::vector<std::byte> bytes;
  extension* ext = nullptr;

  explicit loaded(std::string_view flags) : bytes(objs::read("base", flags)) {
    REQUIRE_FALSE(bytes.empty());
    auto r = ld.load(std::span<std::byte const>(bytes));
    std::array<char, 256> why{};
    describe(r.error(), why);
    INFO(why.data());
    REQUIRE(r.has_value());
    ext = *r;
    events.clear();
  }
  ~loaded() {
    ld.unload(ext);
    CHECK(mem.allocations() == 0);
  }
  loaded(loaded const&) = delete;
  loaded& operator=(loaded const&) = delete;
};

} // namespace

TEST_CASE("lifecycle: find_symbol and call_fn (void(void) by name)") {
  for (auto flags : objs::flag_sets) {
    INFO("flags: ", flags);
    loaded l{flags};
    extension& ext = *l.ext;
    found_symbol const get = find_symbol(ext, "base_get");
    REQUIRE(get);
    CHECK(get.kind == symbol_kind::function);
    CHECK(find_symbol(ext, "base_value").kind == symbol_kind::object);
    CHECK_FALSE(find_symbol(ext, "base_init")); // static: not exported
    CHECK_FALSE(find_symbol(ext, "reg_log"));   // an import, not an export

    auto* base_get = ext.function<int()>("base_get");
    CHECK(base_get() == 40);
    CHECK(call_fn(ext, "base_bump") == errc::ok);
    CHECK(call_fn(ext, "base_bump") == errc::ok);
    CHECK(base_get() == 42);
    CHECK(call_fn(ext, "no_such_function") == errc::not_found);
    CHECK(call_fn(ext, "base_value") == errc::bad_symbol); // data is never called
    CHECK(base_get() == 42);
    CHECK(events.empty()); // nothing brought up
  }
}

TEST_CASE("lifecycle: bring-up and tear-down run once each, in order") {
  for (auto flags : objs::flag_sets) {
    INFO("flags: ", flags);
    loaded l{flags};
    CHECK_FALSE(l.ext->brought_up());
    tear_down(*l.ext); // not brought up: nothing to undo
    CHECK(events.empty());
    bring_up(*l.ext);
    bring_up(*l.ext);
    CHECK(l.ext->brought_up());
    CHECK(events == std::vector<int>{1});
    tear_down(*l.ext);
    tear_down(*l.ext);
    CHECK(events == std::vector<int>{1, -1});
  }
}

TEST_CASE("lifecycle: bootstrap = bring-up, entry(user_data), tear-down") {
  for (auto flags : objs::flag_sets) {
    INFO("flags: ", flags);
    {
      loaded l{flags};
      int out = 0;
      CHECK(bootstrap(*l.ext, "base_entry", &out) == errc::ok);
      CHECK(events == std::vector<int>{1, 10, -1});
      CHECK(out == 42);
      CHECK(bootstrap(*l.ext, "missing_entry", &out) == errc::not_found);
      CHECK(bootstrap(*l.ext, "base_value", &out) == errc::bad_symbol);
      CHECK(events == std::vector<int>{1, 10, -1});
    }
    {
      loaded l{flags};
      int out = 0;
      auto* entry = l.ext->function<void(void*)>("base_entry");
      CHECK(bootstrap(*l.ext, entry, &out) == errc::ok);
      CHECK(out == 42);
      CHECK(events == std::vector<int>{1, 10, -1});
      CHECK(bootstrap(*l.ext, entry_fn{nullptr}, &out) == errc::not_found);
      CHECK(events == std::vector<int>{1, 10, -1});
    }
  }
}

TEST_CASE("lifecycle: find_section reports index, header fields, loaded address and size") {
  for (auto flags : objs::flag_sets) {
    INFO("flags: ", flags);
    loaded l{flags};
    extension const& ext = *l.ext;
    auto text = find_section(ext, ".text");
    REQUIRE(text.has_value());
    CHECK(text->type == elf::SHT_PROGBITS);
    CHECK((text->flags & elf::SHF_EXECINSTR) != 0);
    CHECK(text->kind == region::text);
    CHECK(text->index != 0);
    CHECK(text->size > 0);
    CHECK(ext.name_of(*text) == ".text");
    // base_twice is in .text (gcc -O2 without -ffunction-sections): inside the section.
    std::uint64_t const twice = ext.find("base_twice").address;
    CHECK(twice >= text->address);
    CHECK(twice < text->address + text->size);

    auto data = find_section(ext, ".data");
    REQUIRE(data.has_value());
    CHECK((data->flags & elf::SHF_WRITE) != 0);
    CHECK(ext.find("base_value").address >= data->address);
    CHECK(ext.find("base_value").address < data->address + data->size);

    auto init = find_section(ext, ".init_array");
    REQUIRE(init.has_value());
    CHECK(init->type == elf::SHT_INIT_ARRAY);
    CHECK(init->size == sizeof(void*)); // one constructor pointer

    auto none = find_section(ext, ".no_such_section");
    CHECK(none.code() == errc::not_found);
    CHECK(none.error().name_view() == ".no_such_section");
  }
}

TEST_CASE("lifecycle: region info covers the sections placed in it") {
  for (auto flags : objs::flag_sets) {
    INFO("flags: ", flags);
    loaded l{flags};
    extension const& ext = *l.ext;
    region_info const text = region_of(ext, region::text);
    CHECK(text.kind == region::text);
    REQUIRE_FALSE(text.empty());
    CHECK(text.base != nullptr);
    CHECK(text.address == address_of(text.base)); // a running host: address is the base
    region_info const data = region_of(ext, region::data);
    REQUIRE_FALSE(data.empty());
    for (auto const& s : ext.sections()) {
      region_info const r = region_of(ext, s.kind);
      CHECK(s.address >= r.address);
      CHECK(s.address + s.size <= r.address + r.size);
    }
    region_info const bss = region_of(ext, region::bss);
    CHECK((bss.empty() == (bss.base == nullptr)));
  }
}

TEST_CASE("lifecycle: a registry unload tears down only what bootstrap left brought up") {
  auto const bytes = objs::read("base", objs::flag_sets[0]);
  REQUIRE_FALSE(bytes.empty());
  host_mmap_allocator mem;
  host_loader ld{mem, fw_exports};
  registry<host_loader> reg{ld};
  events.clear();
  auto a = reg.load("a", std::span<std::byte const>(bytes));
  auto b = reg.load("b", std::span<std::byte const>(bytes));
  REQUIRE((a.has_value() && b.has_value()));
  int out = 0;
  CHECK(bootstrap(**a, "base_entry", &out) == errc::ok); // brought up and torn down
  bring_up(**b);                                         // left up
  CHECK(events == std::vector<int>{1, 10, -1, 1});
  CHECK(*reg.unload("a") == 0);
  CHECK(events == std::vector<int>{1, 10, -1, 1});       // nothing more for a
  CHECK(*reg.unload("b") == 0);
  CHECK(events == std::vector<int>{1, 10, -1, 1, -1});   // b's destructor on unload
  CHECK(mem.allocations() == 0);
}
