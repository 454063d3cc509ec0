// tests/malformed/allocation.test.cpp: allocation discipline (MALFORMED.md b.6). The counting
// allocator itself; then, over builder images and real objects from both compilers and every
// code model, a failure injected at each allocation point of a successful load in turn (and at
// seal()), each of which must fail with out_of_memory and leave nothing allocated. That container
// errors (classes 1-26, 40) are rejected before any allocation is asserted by every class test
// in this directory (load_check requires 0 allocation calls for them).
#include <string>
#include <vector>

#include "malformed/harness.hpp"
#include "support/object_files.hpp"

namespace {

using namespace extload;
using namespace extload::test;
using namespace extload::test::malformed;

// The objects are built for the build's host: in a cross build (tests/cross/*.ini) they are not
// x86-64, and the x86-64 loader has nothing to say about them.
bool is_x86_64(std::vector<std::byte> const& b) {
  return b.size() > 20 && std::to_integer<unsigned>(b[18]) == elf::EM_X86_64 && std::to_integer<unsigned>(b[19]) == 0;
}
#if defined(__x86_64__)
constexpr std::size_t min_seeds = 8;
#else
constexpr std::size_t min_seeds = 0;
#endif

TEST_CASE("counting_allocator: counts calls, live blocks and bytes; injects failures; catches bad releases") {
  static counting_allocator<static_arena<4096>> a;
  std::byte* p = a.allocate_metadata(100, 8);
  REQUIRE(p != nullptr);
  CHECK(a.calls() == 1);
  CHECK(a.live_blocks() == 1);
  CHECK(a.live_bytes() == 100);
  region_request r;
  r.size[0] = 64;
  auto b = a.allocate(r, placement{});
  REQUIRE(b.has_value());
  CHECK(a.live_blocks() == 2);
  a.fail_at(2); // the second call from now
  CHECK(a.allocate_metadata(8, 8) != nullptr);
  CHECK(a.allocate_metadata(8, 8) == nullptr);
  CHECK(a.failed_calls() == 1);
  CHECK(a.live_blocks() == 3);
  a.free_metadata(p, 99); // wrong size: counted, still freed
  CHECK(a.bad_releases() == 1);
  a.free_metadata(p, 100); // double free
  CHECK(a.bad_releases() == 2);
  a.release(*b);
  CHECK(a.live_blocks() == 1);
  CHECK(a.peak_bytes() >= 100 + 64);
}

// Load once to count the allocation calls, then fail each of them in turn, then fail seal().
std::uint64_t inject_everywhere(std::span<std::byte const> bytes, std::string const& label) {
  INFO(label);
  outcome const good = try_load(bytes);
  char text[256];
  describe(good.error, text);
  INFO(text);
  REQUIRE(good.loaded());
  REQUIRE(good.clean);
  REQUIRE(good.calls > 0);
  for (std::uint64_t k = 1; k <= good.calls; ++k) {
    outcome const o = try_load(bytes, {}, resolve_all, k);
    CAPTURE(k);
    CHECK(o.error.code == errc::out_of_memory);
    CHECK(o.clean);
    CHECK(arena().failed_calls() == 1);
  }
  arena().fail_seal(true);
  outcome const s = try_load(bytes);
  arena().fail_seal(false);
  CHECK(s.error.code == errc::out_of_memory);
  CHECK(s.clean);
  return good.calls + 1;
}

TEST_CASE("allocation: a failure at every allocation point of builder images leaves nothing allocated") {
  std::uint64_t n = inject_everywhere(base_img<elf64le>.view(), "base image");
  auto b = base_builder<elf64le>();
  b.init_array(1).section(".text.g", elf::SHT_PROGBITS, AX, bytes{0xc3}, 1).group(".group", "g_fn", {".text.g"})
      .symbol("g_fn", elf::STB_GLOBAL, elf::STT_FUNC, ".text.g", 0, 1).symbol("c", elf::STB_GLOBAL, elf::STT_OBJECT, common, 8, 24);
  add_reloc(b, ".init_array", {0, "ext_fn", abs_word<elf64le>, 0});
  add_reloc(b, ".text", {12, "g_fn", arch::x86_64::R_X86_64_GOTPCRELX, -4}); // past the base image's sites (class 36)
  auto const img = b.build<capacity>();
  n += inject_everywhere(img.view(), "arrays, group, common, GOT");
  MESSAGE(n << " injected failures");
}

// One object per compiler and code model (small PIC/PIE and large; -fno-pic small-model objects
// need a firmware below 2 GiB, which a PIE test binary is not), C and C++ (COMDAT, EH, ld -r).
std::vector<object_file> injection_seeds() {
  std::vector<object_file> out;
  for (auto const& o : all_objects) {
    std::string const l = o.label();
    for (char const* want : {"calls.gcc.O2-pie", "calls.clang.O2-pie", "calls.gcc.O0-pic", "calls.clang.O0-pic",
                             "cxx.gcc.O2-pic-large", "cxx.clang.O2-pic-large", "comdat_ab.gcc.O2-pie", "comdat_ab.clang.Os-pic",
                             "ctors.gcc.Os-pie", "ctors.clang.O2-pie", "throw.gcc.O2-pie", "data.clang.O2-pic-large"})
      if (l == want && is_x86_64(read_object_file(o))) out.push_back(o);
  }
  return out;
}

TEST_CASE("allocation: a failure at every allocation point of real objects leaves nothing allocated") {
  auto const seeds = injection_seeds();
  CHECK(seeds.size() >= min_seeds);
  std::uint64_t n = 0;
  for (auto const& o : seeds) {
    auto const bytes = read_object_file(o);
    REQUIRE_FALSE(bytes.empty());
    n += inject_everywhere(bytes, o.label());
  }
  MESSAGE(seeds.size() << " objects, " << n << " injected failures");
}

} // namespace
