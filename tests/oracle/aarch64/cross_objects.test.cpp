// tests/oracle/aarch64/cross_objects.test.cpp: every AArch64 object of
// tests/cross_objects/aarch64/ (gcc and clang, -O0/-O2/-Os × -fno-pic/-fPIC/-fPIE, large model)
// linked on the host with the prelink allocator at a fixed address: each links without error,
// together they exercise the relocation types real AArch64 code uses (counted by the load
// report), and calls to imports beyond ±128 MiB go through veneers that reach the import.
// Byte equality with GNU ld for the comparable objects is checked by the oracle tests
// (tests/oracle/aarch64/meson.build, compare_with_ld.py).
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <aarch64_objects_manifest.h> // generated: EXTLOAD_AARCH64_OBJECTS{,_DIR,_COUNT}

#include "extload/alloc/prelink.hpp"
#include "extload/arch/aarch64.hpp"
#include "extload/describe.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/export_table.hpp"

namespace {

using namespace extload;
using A64 = arch::aarch64;
using t = arch::aarch64_traits;

struct a64_object {
  std::string_view source, compiler, flags, file;
  bool comparable_with_ld;
  std::string label() const { return std::string(source) + "." + std::string(compiler) + "." + std::string(flags); }
};
constexpr std::size_t object_count = EXTLOAD_AARCH64_OBJECT_COUNT;
constexpr std::array<a64_object, object_count> objects{EXTLOAD_AARCH64_OBJECTS}; // the macro is the inner C array

std::vector<std::byte> read_object(a64_object const& o) {
  std::ifstream in(std::string(EXTLOAD_AARCH64_OBJECTS_DIR) + "/" + std::string(o.file), std::ios::binary);
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) out[i] = static_cast<std::byte>(raw[i]);
  return out;
}

// Imports get fixed addresses `stride` apart from `base`, in order of first reference.
struct imports {
  std::uint64_t base, stride = 0x100;
  std::vector<std::string> names;
  std::vector<std::uint64_t> addresses;
};
found_symbol resolve(void* ctx, byte_string name) {
  auto* im = static_cast<imports*>(ctx);
  std::string const n(name.view());
  for (std::size_t i = 0; i < im->names.size(); ++i)
    if (im->names[i] == n) return {im->addresses[i], true, symbol_kind::unknown};
  im->names.push_back(n);
  im->addresses.push_back(im->base + im->stride * (im->addresses.size()));
  return {im->addresses.back(), true, symbol_kind::unknown};
}

using a64_loader = loader<elf64le, A64, prelink_allocator, no_exports<8>>;

struct linked {
  bool ok = false;
  std::string error;
  a64_loader::report_type report{};
  std::vector<std::byte> image;
  imports im{};
};

linked link(a64_object const& o, std::uint64_t load, std::uint64_t import_base) {
  linked out;
  out.im.base = import_base;
  auto const bytes = read_object(o);
  if (bytes.empty()) {
    out.error = "cannot read " + std::string(o.file);
    return out;
  }
  std::vector<std::byte> buffer(4u << 20);
  prelink_allocator mem{buffer, load};
  no_exports<8> none;
  a64_loader ld{mem, none};
  load_options opt;
  opt.fallback = {&resolve, &out.im};
  auto r = ld.load(bytes, opt, &out.report);
  if (!r) {
    char text[300];
    describe(r.error(), text);
    out.error = text;
    return out;
  }
  auto const img = mem.image();
  out.image.assign(img.begin(), img.end());
  ld.unload(*r);
  out.ok = true;
  return out;
}

constexpr std::uint64_t load_address = 0x4000'0000;

} // namespace

TEST_CASE("aarch64 objects: the cross compilers built the whole set") {
  // gcc: 7 sources × 10 flag sets; clang: 7 × 3. Fewer means a cross compiler is missing.
  CHECK(object_count == 7 * 10 + 7 * 3);
  std::size_t comparable = 0;
  for (auto const& o : objects) comparable += o.comparable_with_ld ? 1 : 0;
  CHECK(comparable >= 40);
}

TEST_CASE("aarch64 objects: every object links at a fixed address, imports within reach") {
  std::array<std::uint64_t, A64::type_count> seen{};
  for (auto const& o : objects) {
    CAPTURE(o.label());
    auto const l = link(o, load_address, load_address + 0x20'0000);
    INFO(l.error);
    CHECK(l.ok);
    if (!l.ok) continue;
    CHECK(l.report.relocations > 0);
    CHECK(l.report.veneer_uses == 0); // everything is within ±128 MiB here
    for (std::size_t i = 0; i < A64::type_count; ++i) seen[i] += l.report.by_type[i];
    if (o.flags.ends_with("-pic")) CHECK(l.report.got_slots > 0);
  }
  // The types these objects must have exercised between them (compiler output + relocs.c).
  constexpr std::uint32_t expected[] = {
      t::R_AARCH64_ABS64, t::R_AARCH64_ABS32, t::R_AARCH64_PREL64, t::R_AARCH64_PREL32, t::R_AARCH64_PREL16,
      t::R_AARCH64_CALL26, t::R_AARCH64_JUMP26, t::R_AARCH64_CONDBR19, t::R_AARCH64_TSTBR14,
      t::R_AARCH64_LD_PREL_LO19, t::R_AARCH64_ADR_PREL_LO21, t::R_AARCH64_ADR_PREL_PG_HI21,
      t::R_AARCH64_ADR_PREL_PG_HI21_NC, t::R_AARCH64_ADD_ABS_LO12_NC, t::R_AARCH64_LDST8_ABS_LO12_NC,
      t::R_AARCH64_LDST16_ABS_LO12_NC, t::R_AARCH64_LDST32_ABS_LO12_NC, t::R_AARCH64_LDST64_ABS_LO12_NC,
      t::R_AARCH64_LDST128_ABS_LO12_NC, t::R_AARCH64_MOVW_UABS_G0_NC, t::R_AARCH64_MOVW_UABS_G1_NC,
      t::R_AARCH64_MOVW_UABS_G2_NC, t::R_AARCH64_MOVW_UABS_G3, t::R_AARCH64_MOVW_PREL_G1,
      t::R_AARCH64_MOVW_PREL_G0_NC, t::R_AARCH64_ADR_GOT_PAGE, t::R_AARCH64_LD64_GOT_LO12_NC,
  };
  for (auto type : expected) {
    CAPTURE(A64::name_of(type));
    CHECK(seen[A64::index_of(type)] > 0);
  }
}

TEST_CASE("aarch64 objects: calls to imports 2 GiB away go through veneers that reach them") {
  // calls.c calls firmware functions only (no firmware data, which ADRP could reach only within
  // ±4 GiB): put the imports 2 GiB above the image, far beyond ±128 MiB.
  std::size_t tried = 0;
  for (auto const& o : objects) {
    if (o.source != "calls" || o.flags.ends_with("-pic")) continue;
    CAPTURE(o.label());
    std::uint64_t const far = load_address + 0x8000'0000;
    auto const l = link(o, load_address, far);
    INFO(l.error);
    REQUIRE(l.ok);
    ++tried;
    CHECK(l.report.veneers == l.im.names.size());
    CHECK(l.report.veneer_uses > 0);
    // Every veneer in the image is `ldr x16, #8; br x16; .quad target` with an import as target.
    std::size_t found = 0;
    for (std::size_t off = 0; off + 16 <= l.image.size(); off += 8) {
      if (load_at<std::uint32_t, std::endian::little>(l.image.data() + off) != 0x58000050u) continue;
      if (load_at<std::uint32_t, std::endian::little>(l.image.data() + off + 4) != 0xd61f0200u) continue;
      std::uint64_t const target = load_at<std::uint64_t, std::endian::little>(l.image.data() + off + 8);
      bool is_import = false;
      for (auto a : l.im.addresses) is_import = is_import || a == target;
      CHECK(is_import);
      ++found;
    }
    CHECK(found == l.report.veneers);
  }
  CHECK(tried == 9); // gcc: 3 levels × {nopic, pie} + large; clang: nopic + large
}
