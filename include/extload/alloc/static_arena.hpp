// alloc/static_arena.hpp: the firmware allocator policy. A fixed byte array inside the object
// (no heap) from which the regions of each extension and the loader's metadata blocks are
// carved first-fit, freed in any order and coalesced.
//
// Why the block table lives beside the storage rather than inside it (as malloc headers do):
// a header in front of a block shifts the data by its size, which fights with alignments up
// to a page; a side table keeps every byte of `storage` usable and the arithmetic on plain
// offsets, so the bookkeeping (arena_table) is constexpr and tested in static_assert.
//
// The regions of one extension are carved as one block, in the order text | rodata | data |
// bss, each aligned to its own sh_addralign-derived alignment (ELF gABI: sh_addralign 0 and 1
// mean "no constraint"; other values are powers of two). There is no MMU: seal() has nothing to
// protect; sync_caches() hands text to the CacheSync policy.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>

#include "extload/bytes.hpp"
#include "extload/error.hpp"
#include "extload/policy/concepts.hpp"

namespace extload::inline v0 {

// Cache maintenance after linking: make the instruction side see the code just written through
// the data side (Zephyr does the same after llext_link: D-cache clean, I-cache invalidate).
// The default does nothing, for cores without caches (Cortex-M0/M3/M4, most RISC-V MCUs).
//
// A Cortex-M7 firmware (ARMv7-M ARM B2.2.7, cache maintenance by address) plugs in CMSIS:
//
//   struct cortex_m7_cache_sync {
//     void operator()(std::byte* begin, std::byte* end) const noexcept {
//       // write the freshly relocated instructions from the D-cache back to memory ...
//       SCB_CleanDCache_by_Addr(begin, static_cast<std::int32_t>(end - begin));
//       // ... then drop stale lines from the I-cache (SCB_InvalidateICache_by_Addr on CMSIS 5.8+)
//       SCB_InvalidateICache();
//       __DSB(); __ISB();  // complete the maintenance and refetch the pipeline
//     }
//   };
//   using board_arena = extload::static_arena<64 * 1024, cortex_m7_cache_sync>;
//
// (Align the arena to the 32-byte cache line with StorageAlign = 32 or more so that the clean
// never needs to touch a line shared with unrelated data.)
struct no_cache_sync {
  constexpr void operator()(std::byte*, std::byte*) const noexcept {}
};

template <class C>
concept cache_sync = std::default_initializable<C> && requires(C c, std::byte* p) {
  { c(p, p) } -> std::same_as<void>;
};
static_assert(cache_sync<no_cache_sync>);

namespace arena_detail {

inline constexpr std::uint64_t max_u64 = std::numeric_limits<std::uint64_t>::max();

// Round x up to a multiple of the power of two a; false when that overflows 64 bits.
constexpr bool align_up(std::uint64_t x, std::uint64_t a, std::uint64_t& out) noexcept {
  if (x > max_u64 - (a - 1)) return false;
  out = (x + (a - 1)) & ~(a - 1);
  return true;
}

// sh_addralign semantics: 0 and 1 mean byte alignment; anything else must be a power of two.
constexpr std::uint64_t effective_align(std::uint64_t a) noexcept { return a == 0 ? 1 : a; }

// Where the regions of one request go when laid out upwards from absolute address `start`.
struct layout {
  std::uint64_t at[region_count] = {}; // absolute address of each non-empty region
  std::uint64_t first = 0;             // lowest byte used (start of the first non-empty region)
  std::uint64_t end = 0;               // one past the last byte used
  bool ok = false;                     // false: the address arithmetic overflowed
  bool empty = true;                   // every region has size 0
};

constexpr layout lay_out(region_request const& r, std::uint64_t start) noexcept {
  layout l{};
  std::uint64_t cur = start;
  for (std::size_t i = 0; i < region_count; ++i) {
    if (r.size[i] == 0) continue;
    std::uint64_t at = 0;
    if (!align_up(cur, effective_align(r.align[i]), at)) return l;
    if (at > max_u64 - r.size[i]) return l;
    l.at[i] = at;
    if (l.empty) l.first = at;
    l.empty = false;
    cur = at + r.size[i];
  }
  l.end = l.empty ? start : cur;
  l.first = l.empty ? start : l.first;
  l.ok = true;
  return l;
}

// The bookkeeping of an arena of Capacity bytes: a table of blocks sorted by offset that tiles
// [0, Capacity) exactly, each either free or used; a block ends where the next one starts.
// Adjacent free blocks never coexist (they are merged on release). Works on offsets; the
// absolute base address is a parameter because alignment and placement windows are properties
// of addresses, not offsets.
//
// The all-zero object is the valid empty state (one free block at offset 0: `last_` counts
// blocks minus one), so a static arena needs no initialiser and lands in .bss, not in flash.
template <std::uint64_t Capacity, std::size_t MaxBlocks>
class arena_table {
  static_assert(Capacity > 0);
  static_assert(MaxBlocks >= 3, "a carve splits one free block into up to three");

public:
  struct block {
    std::uint64_t offset = 0;
    bool used = false;
  };

  // One carved request, in offsets from the arena base.
  struct carve {
    std::uint64_t offset = 0;            // first byte of the used block
    std::uint64_t size = 0;              // bytes of the used block, inner padding included
    std::uint64_t at[region_count] = {}; // offset of each non-empty region
  };

  // Carve the regions of `r`, placed inside window `w` (absolute addresses; `base` is the
  // absolute address of offset 0). Errors: bad_section (sh_addralign not a power of two),
  // out_of_reach (the window misses the arena, or could be met only with space in use),
  // out_of_memory (no free block large enough, or the block table is full).
  constexpr result<carve> allocate(std::uint64_t base, region_request const& r, placement const& w) noexcept {
    for (std::size_t i = 0; i < region_count; ++i) {
      if (!is_power_of_two(effective_align(r.align[i])))
        return diagnostic{errc::bad_section, field::sh_addralign, static_cast<std::int64_t>(r.align[i])};
      if (r.size[i] > Capacity) return errc::out_of_memory;
    }
    if (lay_out(r, 0).empty) return carve{}; // nothing to place: trivially inside any window
    if (auto f = find(base, r, w); f.found) return commit(base, r, f);
    // Say why: a request that fits while ignoring the window failed on reach, not on space.
    bool const window_meets_arena = !w.empty() && w.lo <= base + (Capacity - 1) && w.hi >= base;
    if (!window_meets_arena || find(base, r, placement{}).found)
      return diagnostic{errc::out_of_reach, field::none, static_cast<std::int64_t>(w.lo)}
          .with_range(static_cast<std::int64_t>(w.lo), static_cast<std::int64_t>(w.hi))
          .with_name("placement window");
    return errc::out_of_memory;
  }

  // Release the used block that starts at `offset`, merging it with free neighbours.
  // Returns false (and changes nothing) when no used block starts there.
  constexpr bool release(std::uint64_t offset) noexcept {
    std::size_t i = 0;
    while (i < block_count() && blocks_[i].offset != offset) ++i;
    if (i == block_count() || !blocks_[i].used) return false;
    in_use_ -= size_of(i);
    --live_;
    blocks_[i].used = false;
    if (i + 1 < block_count() && !blocks_[i + 1].used) erase(i + 1); // absorb the right neighbour
    if (i > 0 && !blocks_[i - 1].used) erase(i);                      // be absorbed by the left one
    return true;
  }

  constexpr std::uint64_t bytes_in_use() const noexcept { return in_use_; }
  constexpr std::uint64_t peak_bytes() const noexcept { return peak_; }
  constexpr std::uint64_t high_water() const noexcept { return high_water_; }
  constexpr std::size_t allocations() const noexcept { return live_; }
  constexpr std::size_t block_count() const noexcept { return last_ + 1; }
  constexpr block const& block_at(std::size_t i) const noexcept { return blocks_[i]; }
  constexpr std::uint64_t size_of(std::size_t i) const noexcept {
    return (i + 1 < block_count() ? blocks_[i + 1].offset : Capacity) - blocks_[i].offset;
  }
  constexpr std::uint64_t largest_free() const noexcept {
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < block_count(); ++i)
      if (!blocks_[i].used) m = std::max(m, size_of(i));
    return m;
  }

private:
  struct found_at {
    bool found = false;
    std::size_t index = 0;
    layout l{};
  };

  // First fit: the lowest free block in which the layout, started at the lowest address the
  // block and the window allow, ends inside both. Starting as low as possible is optimal within
  // a block because lay_out() is monotonic in its start address.
  constexpr found_at find(std::uint64_t base, region_request const& r, placement const& w) const noexcept {
    if (w.empty()) return {};
    for (std::size_t i = 0; i < block_count(); ++i) {
      if (blocks_[i].used) continue;
      std::uint64_t const lo = base + blocks_[i].offset;
      std::uint64_t const end = lo + size_of(i); // exclusive; base + Capacity does not overflow
      std::uint64_t const start = std::max(lo, w.lo);
      if (start >= end) continue;
      layout const l = lay_out(r, start);
      if (!l.ok || l.empty || l.end > end || l.end - 1 > w.hi) continue;
      // Splitting needs one new table entry per non-empty remainder.
      std::size_t const extra = (l.first > lo ? 1u : 0u) + (l.end < end ? 1u : 0u);
      if (block_count() + extra > MaxBlocks) continue;
      return {true, i, l};
    }
    return {};
  }

  constexpr carve commit(std::uint64_t base, region_request const& r, found_at const& f) noexcept {
    std::size_t i = f.index;
    std::uint64_t const block_end = blocks_[i].offset + size_of(i);
    std::uint64_t const first = f.l.first - base;
    std::uint64_t const end = f.l.end - base;
    if (first > blocks_[i].offset) insert(++i, block{first, false}); // the gap in front stays free
    blocks_[i].used = true;
    if (end < block_end) insert(i + 1, block{end, false});

    in_use_ += end - first;
    peak_ = std::max(peak_, in_use_);
    high_water_ = std::max(high_water_, end);
    ++live_;
    carve c{first, end - first, {}};
    for (std::size_t k = 0; k < region_count; ++k) c.at[k] = r.size[k] != 0 ? f.l.at[k] - base : 0;
    return c;
  }

  constexpr void insert(std::size_t at, block b) noexcept {
    for (std::size_t k = block_count(); k > at; --k) blocks_[k] = blocks_[k - 1];
    blocks_[at] = b;
    ++last_;
  }
  constexpr void erase(std::size_t at) noexcept {
    for (std::size_t k = at; k + 1 < block_count(); ++k) blocks_[k] = blocks_[k + 1];
    --last_;
  }

  std::array<block, MaxBlocks> blocks_{};
  std::size_t last_ = 0; // block_count() - 1
  std::uint64_t in_use_ = 0;
  std::uint64_t peak_ = 0;
  std::uint64_t high_water_ = 0;
  std::size_t live_ = 0;
};

} // namespace arena_detail

// The allocator policy over a fixed array. Bytes: arena size. CacheSync: D-/I-cache hook run
// over text by sync_caches(). MaxBlocks: capacity of the block table (free and used blocks
// together; each live allocation costs at most two entries). StorageAlign: alignment of the
// array itself; larger region alignments are still honoured, at the cost of padding.
// Not thread-safe: a firmware loads extensions from one context, or wraps the loader in a lock.
template <std::size_t Bytes, class CacheSync = no_cache_sync, std::size_t MaxBlocks = 64,
          std::size_t StorageAlign = 64>
  requires cache_sync<CacheSync> && (Bytes > 0) && (std::has_single_bit(StorageAlign))
class static_arena {
public:
  static constexpr std::size_t capacity = Bytes;

  constexpr static_arena() noexcept = default;
  static_arena(static_arena const&) = delete; // regions point into storage_: never copy or move
  static_arena& operator=(static_arena const&) = delete;

  // Zero-filled, writable regions, each aligned to its alignment, every byte inside the window.
  result<region_block> allocate(region_request const& r, placement const& w) noexcept {
    region_block b{};
    auto c = table_.allocate(base_address(), r, w);
    if (!c) return c.error();
    if (c->size == 0) return b; // every region empty: nothing reserved, all bases nullptr
    for (std::size_t i = 0; i < region_count; ++i) {
      b.size[i] = r.size[i];
      b.base[i] = r.size[i] != 0 ? storage_ + c->at[i] : nullptr;
      b.address[i] = r.size[i] != 0 ? base_address() + c->at[i] : 0;
    }
    b.handle = static_cast<std::uintptr_t>(c->offset);
    b.total = c->size;
    return b;
  }

  // No MMU to program: the regions stay as they are.
  errc seal(region_block&) noexcept { return errc::ok; }

  void sync_caches(region_block& b) noexcept {
    std::size_t const t = static_cast<std::size_t>(region::text);
    if (b.base[t] != nullptr && b.size[t] != 0) CacheSync{}(b.base[t], b.base[t] + b.size[t]);
  }

  // Frees the block's regions; the block is reset so that a second release does nothing.
  void release(region_block& b) noexcept {
    if (b.total != 0) (void)table_.release(b.handle);
    b = region_block{};
  }

  // A metadata block of n bytes (n == 0 counts as 1, so the pointer is unique and non-null).
  // nullptr when the arena is full or `align` is not a power of two.
  std::byte* allocate_metadata(std::size_t n, std::size_t align) noexcept {
    region_request r{};
    r.size[0] = n == 0 ? 1 : n;
    r.align[0] = align;
    auto c = table_.allocate(base_address(), r, placement{});
    return c ? storage_ + c->offset : nullptr;
  }

  void free_metadata(std::byte* p, std::size_t) noexcept {
    if (p == nullptr || std::less<std::byte*>{}(p, storage_) || !std::less<std::byte*>{}(p, storage_ + Bytes))
      return; // not ours
    (void)table_.release(static_cast<std::uint64_t>(p - storage_));
  }

  // Bytes held by live allocations (regions with their inner padding, and metadata).
  std::uint64_t bytes_in_use() const noexcept { return table_.bytes_in_use(); }
  // The largest bytes_in_use() seen.
  std::uint64_t peak_bytes() const noexcept { return table_.peak_bytes(); }
  // The highest arena offset ever used: the arena size that would have sufficed for this run
  // (fragmentation and alignment padding included). Use it to size Bytes for a product.
  std::uint64_t high_water() const noexcept { return table_.high_water(); }
  // Live allocations (region blocks + metadata blocks); 0 after everything is released.
  std::size_t allocations() const noexcept { return table_.allocations(); }
  std::uint64_t largest_free() const noexcept { return table_.largest_free(); }

  std::byte const* data() const noexcept { return storage_; }

private:
  // The one place the arena needs its address as a number: alignment and windows are about
  // addresses. bit_cast, not reinterpret_cast (STYLE.md R9 keeps that to loader/entry.hpp).
  std::uint64_t base_address() const noexcept {
    return static_cast<std::uint64_t>(std::bit_cast<std::uintptr_t>(static_cast<void const*>(storage_)));
  }

  alignas(StorageAlign) std::byte storage_[Bytes] = {};
  arena_detail::arena_table<Bytes, MaxBlocks> table_{};
};

static_assert(allocator<static_arena<256>>);

} // namespace extload::inline v0
