// tests/oracle/arm/load_objects.test.cpp: every ARM object tests/cross_objects/arm/meson.build
// compiles (Thumb-2, ARM state, PIC and not, Cortex-M4/M0, big-endian) is linked on the host
// with the prelink allocator, twice: with the firmware's functions near the image (direct
// branches), and 64 MiB away, beyond every direct branch (calls and tail calls must then go
// through veneers, ARM-state tail calls through the veneer's ARM-state entry). Reports the
// relocation types each object uses.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "support/arm_objects.hpp"

#include "extload/alloc/prelink.hpp"
#include "extload/arch/arm.hpp"
#include "extload/describe.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/export_table.hpp"

namespace {

using extload::test::all_arm_objects;
using extload::test::arm_object;

// Imports get addresses from `base`, 0x100 apart; Thumb firmware functions carry bit 0.
struct imports {
  std::uint64_t base;
  std::uint64_t tag;
  std::vector<std::string> names;
};
extload::found_symbol resolve(void* ctx, extload::byte_string name) {
  auto* t = static_cast<imports*>(ctx);
  std::string const n(name.view());
  std::size_t i = 0;
  while (i < t->names.size() && t->names[i] != n) ++i;
  if (i == t->names.size()) t->names.push_back(n);
  return {t->base + 0x100 * i + t->tag, true, extload::symbol_kind::unknown};
}

struct outcome {
  extload::diagnostic error{};
  bool ok = false;
  std::uint32_t veneers = 0, veneer_uses = 0;
  std::string types;
};

template <class Format, class Arch>
outcome link(std::vector<std::byte> const& image, std::uint64_t import_base, std::uint64_t tag) {
  std::vector<std::byte> buffer(4u << 20);
  extload::prelink_allocator mem{buffer, 0x2000'0000};
  extload::no_exports<4> none;
  extload::loader<Format, Arch, extload::prelink_allocator, extload::no_exports<4>> ld{mem, none};
  imports t{import_base, tag, {}};
  extload::load_options opt;
  opt.fallback = {&resolve, &t};
  typename decltype(ld)::report_type report;
  auto r = ld.load(image, opt, &report);
  outcome o;
  if (!r) {
    o.error = r.error();
    return o;
  }
  o.ok = true;
  o.veneers = report.veneers;
  o.veneer_uses = report.veneer_uses;
  report.for_each_type([&](std::uint32_t, char const* name, std::uint64_t count) {
    if (count != 0) o.types += std::string{name} + "=" + std::to_string(count) + " ";
  });
  ld.unload(*r);
  return o;
}

template <class Arch>
outcome link_any(arm_object const& o, std::uint64_t import_base, std::uint64_t tag) {
  auto const image = extload::test::read_arm_object(o);
  if (o.big_endian) return link<extload::elf32be, Arch>(image, import_base, tag);
  return link<extload::elf32le, Arch>(image, import_base, tag);
}

std::string text(extload::diagnostic const& d) {
  char buf[300];
  extload::describe(d, buf);
  return buf;
}

bool thumb(arm_object const& o) { return o.variant != "arm" && o.variant != "be"; }
bool m_profile(arm_object const& o) { return o.variant == "m4" || o.variant == "m0"; }

outcome link_object(arm_object const& o, std::uint64_t import_base) {
  // Thumb objects call Thumb firmware (bit 0 set); ARM-state objects call ARM firmware.
  std::uint64_t const tag = thumb(o) ? 1 : 0;
  if (m_profile(o)) return link_any<extload::arch::arm_m>(o, import_base, tag);
  if (o.variant == "thumb2" || o.variant == "arm") return link_any<extload::arch::arm_linux>(o, import_base, tag);
  return link_any<extload::arch::arm>(o, import_base, tag);
}

} // namespace

TEST_CASE("arm objects: every cross-compiled object links with its imports near the image") {
  REQUIRE(std::size(all_arm_objects) > 0);
  for (auto const& o : all_arm_objects) {
    INFO(o.file);
    outcome const r = link_object(o, 0x2040'0000);
    if (!r.ok) INFO(text(r.error));
    CHECK(r.ok);
    CHECK(r.veneer_uses == 0); // everything is in direct reach
    MESSAGE(o.file << ": " << r.types);
  }
}

TEST_CASE("arm objects: imports 64 MiB away are reached through veneers") {
  for (auto const& o : all_arm_objects) {
    INFO(o.file);
    outcome const r = link_object(o, 0x2000'0000 + (64u << 20));
    // Every call and tail call to a firmware function reaches it through a veneer: from Thumb
    // as BL to the Thumb entry, from ARM state as BLX to it (R_ARM_CALL) or as B to the
    // veneer's ARM-state entry (R_ARM_JUMP24 tail calls).
    if (!r.ok) INFO(text(r.error));
    CHECK(r.ok);
    for (char const* t : {"R_ARM_THM_CALL", "R_ARM_THM_JUMP24", "R_ARM_CALL", "R_ARM_JUMP24"})
      if (r.types.find(t) != std::string::npos) CHECK(r.veneer_uses > 0);
  }
}
