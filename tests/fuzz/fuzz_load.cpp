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
#include "fuzz/fuzz_support.hpp"
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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::vector<std::byte> const bytes = test::fuzz::exact_copy(data, size);
  static no_exports<8> const none{};
  loader<elf64le, arch::x86_64, arena_type, no_exports<8>> ld{arena(), none, test::fuzz::fuzz_limits()};
  test::fuzz::load_walk_unload(ld, bytes, resolver{&resolve_anything, nullptr});
  test::fuzz::require_balanced(arena());
  return 0;
}
