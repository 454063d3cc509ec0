// tests/policy/archetypes.test.cpp: the generic code compiles and runs against the minimal model
// of every policy concept (cib's archetypes): the loader may use nothing a concept does not list.
// The archetype allocator has no memory, so a load must end in errc::out_of_memory after the image
// was validated, and a malformed image must still be rejected first, with its own error.
#include <doctest/doctest.h>

#include "extload/loader/loader.hpp"
#include "extload/policy/archetypes.hpp"
#include "support/elf_builder.hpp"

namespace {
using namespace extload;
namespace a = extload::archetypes;

using generic_loader = loader<a::format_archetype, a::relocation_set_archetype, a::allocator_archetype,
                              a::export_table_archetype<4>>;

constexpr auto image = test::elf_builder<elf32be>{}
    .machine(0)
    .section(".data", elf::SHT_PROGBITS, elf::SHF_ALLOC | elf::SHF_WRITE, test::size(8), 4)
    .symbol("x", elf::STB_GLOBAL, elf::STT_OBJECT, ".data", 0, 4)
    .rel(".data", {0, "x", 1})
    .build();
} // namespace

TEST_CASE("policies: a loader made of archetypes compiles, validates, and fails only for memory") {
  a::allocator_archetype mem;
  a::export_table_archetype<4> none;
  generic_loader ld{mem, none};
  auto r = ld.load(image.view());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::out_of_memory);

  auto bad = image;
  bad.patch(field::e_shentsize, 1);
  auto r2 = ld.load(bad.view());
  REQUIRE_FALSE(r2.has_value());
  CHECK(r2.error().code == errc::bad_header);
  CHECK(r2.error().what == field::e_shentsize);
}

TEST_CASE("policies: the shipped models satisfy their concepts") {
  static_assert(elf_format_policy<elf32le> && elf_format_policy<elf64be>);
  static_assert(arch::relocation_set<a::relocation_set_archetype>);
  static_assert(allocator<a::allocator_archetype>);
  static_assert(export_table<a::export_table_archetype<8>>);
  CHECK(a::relocation_set_archetype::type_count == 1);
}
