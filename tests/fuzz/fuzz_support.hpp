// tests/fuzz/fuzz_support.hpp: what the load harnesses (fuzz_load.cpp, fuzz_load_cross.cpp)
// share: the caps, the exact-size copy of the input, one load that walks the record the way a
// firmware would and unloads, and the allocator balance check after it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "extload/loader/loader.hpp"

namespace extload::inline v0::test::fuzz {

// Caps a small firmware would choose: they keep every input's work and memory bounded.
inline limits fuzz_limits() {
  limits l;
  l.max_image_bytes = 1 << 20;
  l.max_sections = 4096;
  l.max_symbols = 1 << 16;
  l.max_relocations = 1 << 18;
  l.max_alignment = 4096;
  l.max_region_bytes = 1 << 20;
  return l;
}

// An exact-size heap copy: ASan reports any read past the input's end.
inline std::vector<std::byte> exact_copy(std::uint8_t const* data, std::size_t size) {
  std::vector<std::byte> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = std::byte{data[i]};
  return bytes;
}

// Loads with every import resolved by `fallback`; on success reads the record (names, lookups)
// without running anything, then unloads. Then the same bytes through a byte_source
// (load_from: the compact copy of loader/source.hpp), which must accept whatever the memory load
// accepted (it checks the same things, minus the sections it never reads).
template <class Loader>
void load_walk_unload(Loader& ld, std::span<std::byte const> bytes, resolver fallback) {
  load_options opt;
  opt.fallback = fallback;
  auto const walk = [&](extension* e) {
    for (auto const& x : e->exports()) (void)e->find(e->name_of(x));
    for (auto const& s : e->sections()) (void)e->find_section(e->name_of(s));
    ld.unload(e);
  };
  auto r = ld.load(bytes, opt);
  bool const accepted = r.has_value();
  if (r) walk(*r);
  memory_source src{bytes};
  auto f = ld.load_from(src, opt);
  if (f) walk(*f);
  else if (accepted) __builtin_trap();
}

// After each input the counting allocator must hold nothing and have seen no unknown or
// mis-sized release; anything else traps, as ASan/UBSan findings do.
template <class Counting>
void require_balanced(Counting const& a) {
  if (a.live_blocks() != 0 || a.bad_releases() != 0 || a.table_overflow()) __builtin_trap();
}

} // namespace extload::inline v0::test::fuzz
