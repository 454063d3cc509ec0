// tests/malformed/resources.test.cpp: MALFORMED.md classes 40-43, resources: every extload::limits
// cap at the limit (loads) and one past it (limit_exceeded, before any allocation), the caps
// summed over a multi-object link, work that must stay linear in the input, layout arithmetic
// that would wrap, and the I/O contract (a short read is a truncated span).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "extload/alloc/host_mmap.hpp"
#include "malformed/harness.hpp"

namespace {

using namespace extload;
using namespace extload::test;
using namespace extload::test::malformed;

// --- 40. caps ------------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c40_limits(Check const& c) {
  auto const size = static_cast<std::int64_t>(base_img<F>.size());
  auto with = [](auto f) { limits l{}; f(l); return l; };
  auto const image_at = with([&](limits& l) { l.max_image_bytes = static_cast<std::uint64_t>(size); });
  auto const image_under = with([&](limits& l) { l.max_image_bytes = static_cast<std::uint64_t>(size - 1); });
  auto const secs_at = with([](limits& l) { l.max_sections = idx::shnum; });
  auto const secs_under = with([](limits& l) { l.max_sections = idx::shnum - 1; });
  auto const syms_at = with([](limits& l) { l.max_symbols = idx::nsyms; });
  auto const syms_under = with([](limits& l) { l.max_symbols = idx::nsyms - 1; });
  auto const relocs_at = with([](limits& l) { l.max_relocations = 3; });
  auto const relocs_under = with([](limits& l) { l.max_relocations = 2; });
  return c.with(image_at)(base_img<F>, accepted)
      && c.with(image_under)(base_img<F>, {errc::limit_exceeded, field::none, no_index, no_index, no_index, size, 0, size - 1})
      && c.with(secs_at)(base_img<F>, accepted)
      && c.with(secs_under)(base_img<F>, {errc::limit_exceeded, field::e_shnum, no_index, no_index, no_index, idx::shnum, 0, idx::shnum - 1})
      && c.with(syms_at)(base_img<F>, accepted)
      && c.with(syms_under)(base_img<F>, {errc::limit_exceeded, field::sh_size, idx::symtab, no_index, no_index, idx::nsyms, 0, idx::nsyms - 1})
      && c.with(relocs_at)(base_img<F>, accepted)
      && c.with(relocs_under)(base_img<F>, {errc::limit_exceeded, field::sh_size, idx::rel_data, no_index, no_index, 3, 0, 2});
}
EXTLOAD_MALFORMED_CASE(c40_limits, "40 max_image_bytes, max_sections, max_symbols, max_relocations at the limit and one past")
// max_alignment: sections.test.cpp class 18; max_region_bytes per section: class 19.

// Two loaded sections of one region (.rodata 8 + .rodata2 32 at 8: 40 bytes), each within
// max_region_bytes, together over it. (.bss, the largest other region, is 32.)
template <class F>
constexpr image<F> two_rodata() {
  auto b = base_builder<F>();
  b.section(".rodata2", elf::SHT_PROGBITS, A, size(32), 4);
  return b.template build<capacity>();
}
template <class F, class Check>
constexpr bool c40_region_sum(Check const& c) {
  limits at{}, under{};
  at.max_region_bytes = 40;
  under.max_region_bytes = 39;
  return c.with(at)(two_rodata<F>(), accepted)
      && c.with(under).late()(two_rodata<F>(), loader_only<Check>({errc::limit_exceeded, field::sh_size, 6, no_index, no_index, 32, 0, 39}));
}
EXTLOAD_MALFORMED_CASE(c40_region_sum, "40 max_region_bytes over the sum of one region's sections, at the limit and one past")

// MALFORMED.md b.6: every cap is enforced before the first allocation. The per-region total
// (a sum over sections, laid out by the loader's classification, which the parser does not know)
// and a common symbol's alignment (against max_alignment) are checked by the loader's first
// pass, with 0 allocation calls (load_check's default); the parser alone accepts both.
template <class F>
constexpr image<F> common_aligned(std::uint64_t align) {
  auto b = base_builder<F>();
  b.symbol("big_common", elf::STB_GLOBAL, elf::STT_OBJECT, common, align, 8); // symbol 7
  return b.template build<capacity>();
}
template <class F, class Check>
constexpr bool c40_region_sum_early(Check const& c) {
  limits l{};
  l.max_region_bytes = 39;
  limits a{};
  a.max_alignment = 64;
  return c.with(l)(two_rodata<F>(), loader_only<Check>({errc::limit_exceeded, field::sh_size, 6, no_index, no_index, 32, 0, 39}))
      && boundary(c.with(a), common_aligned<F>(64), common_aligned<F>(128),
                  loader_only<Check>({errc::limit_exceeded, field::st_value, no_index, 7, no_index, 128, 1, 64}));
}
EXTLOAD_MALFORMED_CASE(c40_region_sum_early, "40 max_region_bytes over a region's sum, a common symbol's alignment over max_alignment: before allocation")

TEST_CASE("malformed: 40 caps apply to the sum over the objects of one link, before any allocation") {
  auto const& img = base_img<elf64le>;
  std::span<std::byte const> const two[2] = {img.view(), img.view()};
  auto run = [&](limits const& l) {
    counted_arena& a = arena();
    a.reset_calls();
    x86_loader ld{a, none_exported, l};
    auto r = ld.load(std::span<std::span<std::byte const> const>(two), resolve_all);
    if (r) ld.unload(*r);
    return std::pair{r ? diagnostic{} : r.error(), a.calls()};
  };
  limits at{}, under{};
  at.max_sections = 2 * idx::shnum;
  under.max_sections = 2 * idx::shnum - 1;
  // Two copies of one object define the same globals: that is a duplicate, which proves the
  // link went past the caps.
  CHECK(run(at).first.code == errc::duplicate_symbol);
  auto const [d, calls] = run(under);
  CHECK(is(d, {errc::limit_exceeded, field::e_shnum, no_index, no_index, no_index, 2 * idx::shnum, 0, 2 * idx::shnum - 1}));
  CHECK(calls == 0);
  limits syms{};
  syms.max_symbols = 2 * idx::nsyms - 1;
  auto const [ds, calls_s] = run(syms);
  CHECK(is(ds, {errc::limit_exceeded, field::sh_size, no_index, no_index, no_index, 2 * idx::nsyms, 0, 2 * idx::nsyms - 1}));
  CHECK(calls_s == 0);
  CHECK(arena().live_blocks() == 0);
}

// --- 41. super-linear work -------------------------------------------------------------------------
// n distinct global functions, each called once from .text through its own relocation: symbol
// reading, the global index, resolution, the relocation pre-scan and the export index must all
// stay (near) linear. 8x the input may cost at most 32x the time (quadratic would be 64x; an
// -O2 build measures 8-9x, unoptimised and sanitized builds up to ~20x from cache effects).
std::unique_ptr<elf_image<elf64le, 4 << 20>> many(std::size_t n) {
  elf_builder<elf64le> b;
  b.machine(elf::EM_X86_64).section(".text", elf::SHT_PROGBITS, AX, size(5 * n + 1), 16);
  for (std::size_t i = 0; i < n; ++i) {
    std::string const name = "fn_" + std::to_string(i);
    b.symbol(name, elf::STB_GLOBAL, elf::STT_FUNC, ".text", 5 * i, 5);
  }
  for (std::size_t i = 0; i < n; ++i)
    b.rela(".text", {5 * i + 1, sym_index{static_cast<std::uint32_t>(1 + (i * 7919) % n)}, arch::x86_64::R_X86_64_PLT32, -4});
  auto img = std::make_unique<elf_image<elf64le, 4 << 20>>();
  b.build_into(*img);
  return img;
}
double seconds_to_load(elf_image<elf64le, 4 << 20> const& img) {
  // Host memory: the scratch arrays of 16000 symbols do not fit the suite's static arena.
  static counting_allocator<host_mmap_allocator> host;
  loader<elf64le, arch::x86_64, counting_allocator<host_mmap_allocator>, no_exports<8>> ld{host, none_exported};
  double best = 1e9;
  for (int k = 0; k < 5; ++k) {
    auto const t0 = std::chrono::steady_clock::now();
    auto r = ld.load(img.view());
    auto const t1 = std::chrono::steady_clock::now();
    char text[200];
    describe(r ? diagnostic{} : r.error(), text);
    INFO(text);
    REQUIRE(r.has_value());
    ld.unload(*r);
    CHECK(host.live_blocks() == 0);
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}
TEST_CASE("malformed: 41 load time grows linearly with symbols and relocations") {
  auto const small = many(2000), large = many(16000);
  double const ts = seconds_to_load(*small), tl = seconds_to_load(*large);
  MESSAGE("2000 symbols: " << ts * 1e3 << " ms, 16000 symbols: " << tl * 1e3 << " ms, ratio " << tl / ts);
  CHECK(tl < 32 * ts + 0.002); // + 2 ms: timer noise on a tiny base
}

// --- 42. layout arithmetic overflow -----------------------------------------------------------------
// With caps opened to the whole 64-bit range, section sizes and alignment padding that would
// wrap the region cursor, or that no allocator can satisfy, are rejected, never wrapped.
TEST_CASE("malformed: 42 region sizes and padding that wrap 64 bits are rejected") {
  limits open{};
  open.max_region_bytes = ~std::uint64_t{0};
  open.max_alignment = std::uint64_t{1} << 62;
  open.max_image_bytes = ~std::uint64_t{0};
  auto b = base_builder<elf64le>();
  b.section(".bss2", elf::SHT_NOBITS, AW, size(std::uint64_t{1} << 63), std::uint64_t{1} << 62)
      .section(".bss3", elf::SHT_NOBITS, AW, size(std::uint64_t{1} << 63), std::uint64_t{1} << 62);
  auto const img = b.build<capacity>();
  auto const o = try_load(img.view(), open);
  // .bss (32) + .bss2 (2^63, at 2^62) fit 64 bits; .bss3 after them would need 2^62 + 2^64.
  CHECK(is(o.error, {errc::limit_exceeded, field::sh_size, 7, no_index, no_index, static_cast<std::int64_t>(std::uint64_t{1} << 63), 0, -1}));
  CHECK(o.clean);
  // One huge region that fits the arithmetic but not the allocator.
  auto one = base_builder<elf64le>();
  one.section(".bss2", elf::SHT_NOBITS, AW, size(std::uint64_t{1} << 62), 16);
  auto const img1 = one.build<capacity>();
  auto const o1 = try_load(img1.view(), open);
  CHECK(o1.error.code == errc::out_of_memory);
  CHECK(o1.clean);
}

// --- 43. the I/O contract ------------------------------------------------------------------------------
// The loader takes one span: a short read from storage is a span shorter than the object, and is
// rejected wherever it ends (the truncation sweep in mutation.test.cpp covers every length).
TEST_CASE("malformed: 43 a short read anywhere in the object is rejected as truncated") {
  auto const& img = base_img<elf64le>;
  for (std::size_t n = 0; n < img.size(); ++n) {
    auto const o = try_load(img.view().first(n));
    CHECK(o.error.code == errc::truncated);
    CHECK(o.calls == 0);
    CHECK(o.clean);
  }
}

} // namespace
