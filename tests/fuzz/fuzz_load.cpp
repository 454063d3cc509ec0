// tests/fuzz/fuzz_load.cpp: libFuzzer harness over the whole load path of the x86-64 loader
// (MALFORMED.md b.3): parse, COMDAT, layout, symbol resolution, relocation pre-scan, allocation,
// copy, relocation, record, seal; then unload. Loaded code is never run. Every import resolves
// to a harmless static buffer (never called), so inputs get past resolution and exercise the
// relocation phases. After each input the counting allocator must hold nothing and have seen no
// unknown or mis-sized release; anything else traps, as ASan/UBSan findings do.
//
// Build and run with tools/fuzz.sh (clang++-16 -fsanitize=fuzzer,address,undefined).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "extload/alloc/static_arena.hpp"
#include "extload/arch/x86_64.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/export_table.hpp"
#include "support/counting_allocator.hpp"

namespace {

using namespace extload;

alignas(64) std::byte harmless[256] = {};

found_symbol resolve_anything(void*, byte_string) { return {address_of(harmless), true, symbol_kind::unknown}; }

// 4 MiB of "firmware RAM": a static arena near the harmless target (PC32 reaches it).
using arena_type = test::counting_allocator<static_arena<4 * 1024 * 1024, no_cache_sync, 256>>;
arena_type& arena() {
  static arena_type a;
  return a;
}

// Caps a small firmware would choose: they keep every input's work and memory bounded.
limits fuzz_limits() {
  limits l;
  l.max_image_bytes = 1 << 20;
  l.max_sections = 4096;
  l.max_symbols = 1 << 16;
  l.max_relocations = 1 << 18;
  l.max_alignment = 4096;
  l.max_region_bytes = 1 << 20;
  return l;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  // An exact-size heap copy: ASan reports any read past the input's end.
  std::vector<std::byte> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = std::byte{data[i]};
  static no_exports<8> const none{};
  loader<elf64le, arch::x86_64, arena_type, no_exports<8>> ld{arena(), none, fuzz_limits()};
  load_options opt;
  opt.fallback = resolver{&resolve_anything, nullptr};
  auto r = ld.load(std::span<std::byte const>(bytes), opt);
  if (r) {
    extension* e = *r;
    // Read the record the way a firmware would (names, lookups), without running anything.
    for (auto const& x : e->exports()) (void)e->find(e->name_of(x));
    for (auto const& s : e->sections()) (void)e->find_section(e->name_of(s));
    ld.unload(e);
  }
  if (arena().live_blocks() != 0 || arena().bad_releases() != 0 || arena().table_overflow()) __builtin_trap();
  return 0;
}
