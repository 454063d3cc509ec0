// policy/concepts.hpp: the policies a loader is composed of, as C++20 concepts that list exactly
// what the library calls (STYLE.md R2). Each model asserts itself right after its definition;
// policy/archetypes.hpp has the minimal model of each, used to type-check generic code.
//   * elf_format_policy  (elf/format.hpp): ELF class + byte order
//   * relocation_set     (arch/reloc_set.hpp): machine, REL/RELA, howtos
//   * allocator          (here): regions for text/rodata/data/bss, metadata, W^X, caches
//   * export_table       (here): the firmware's symbols, by name and by SLID
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>

#include "extload/arch/reloc_set.hpp"
#include "extload/byte_string.hpp"
#include "extload/elf/format.hpp"
#include "extload/error.hpp"

namespace extload::inline v0 {

// The kinds of extension memory. Sections are merged by kind (LLEXT's regions).
enum class region : std::uint8_t { text = 0, rodata = 1, data = 2, bss = 3 };
inline constexpr std::size_t region_count = 4;
constexpr char const* to_string(region r) noexcept {
  constexpr char const* n[] = {"text", "rodata", "data", "bss"};
  return n[static_cast<std::size_t>(r)];
}

struct region_request {
  std::uint64_t size[region_count] = {};
  std::uint64_t align[region_count] = {1, 1, 1, 1};
};

// Where the regions may go: every byte of every region must lie in [lo, hi]. The loader narrows
// the window so that PC-relative and 32-bit absolute references reach their targets
// (x86-64 small code model, -fPIE objects that reference host data with PC32).
struct placement {
  std::uint64_t lo = 0;
  std::uint64_t hi = ~std::uint64_t{0};
  constexpr bool empty() const noexcept { return lo > hi; }
  constexpr void intersect(std::uint64_t l, std::uint64_t h) noexcept {
    if (l > lo) lo = l;
    if (h < hi) hi = h;
  }
};

struct region_block {
  std::byte* base[region_count] = {};        // where the loader writes each region
  std::uint64_t address[region_count] = {};  // the address the region has for the loaded code:
                                             // base itself in a running firmware, another address
                                             // when linking for a foreign target (prelink)
  std::uint64_t size[region_count] = {};
  std::uintptr_t handle = 0; // allocator-private
  std::uint64_t total = 0;   // bytes reserved, padding included
};

// Allocator policy. allocate() gives writable regions honouring each alignment inside the window
// (their contents are unspecified: the loader writes every byte, copying or zeroing); seal() ends linking (text R+X, rodata R where the platform can: W^X);
// sync_caches() cleans the data cache and invalidates the instruction cache over text;
// metadata blocks hold per-extension records and the loader's per-symbol scratch array.
template <class A>
concept allocator = requires(A& a, region_request const& r, placement const& w, region_block& b,
                             std::size_t n, std::byte* p) {
  { a.allocate(r, w) } -> std::same_as<result<region_block>>;
  { a.seal(b) } -> std::same_as<errc>;
  { a.sync_caches(b) } -> std::same_as<void>;
  { a.release(b) } -> std::same_as<void>;
  { a.allocate_metadata(n, n) } -> std::same_as<std::byte*>; // (bytes, alignment); nullptr = none
  { a.free_metadata(p, n) } -> std::same_as<void>;
};

enum class symbol_kind : std::uint8_t { unknown = 0, function = 1, object = 2 };

struct found_symbol {
  std::uint64_t address = 0;
  bool found = false;
  symbol_kind kind = symbol_kind::unknown; // functions may be reached through veneers
  constexpr explicit operator bool() const noexcept { return found; }
};

// Export table policy: the firmware's symbols. slid_bytes is the SLID width (the target's
// pointer size: 4 for ELF32, 8 for ELF64).
template <class T>
concept export_table = requires(T const& t, byte_string name, std::uint64_t slid) {
  { T::slid_bytes } -> std::convertible_to<std::size_t>;
  { t.find_by_name(name) } -> std::same_as<found_symbol>;
  { t.find_by_slid(slid) } -> std::same_as<found_symbol>;
  { t.size() } -> std::convertible_to<std::size_t>;
};

// A last-chance resolver for undefined symbols (host process via dlsym, other extensions).
struct resolver {
  found_symbol (*fn)(void* context, byte_string name) = nullptr;
  void* context = nullptr;
  constexpr found_symbol operator()(byte_string name) const {
    return fn != nullptr ? fn(context, name) : found_symbol{};
  }
};

} // namespace extload::inline v0
