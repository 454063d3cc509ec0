// tests/alloc/static_arena.test.cpp: the firmware allocator. The block table (arena_table) is
// pure offset arithmetic, so its checks run in static_assert and again at run time; the arena
// itself hands out real addresses, checked at run time only.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "extload/alloc/static_arena.hpp"

namespace {

using namespace extload;
using arena_detail::arena_table;

constexpr std::uint64_t kib = 1024;
// A deliberately odd base: alignment is a property of addresses, not of arena offsets.
constexpr std::uint64_t fake_base = 0x2000'0010;

constexpr region_request request(std::uint64_t t, std::uint64_t r, std::uint64_t d, std::uint64_t b,
                                 std::uint64_t align = 1) {
  region_request q{};
  q.size[0] = t; q.size[1] = r; q.size[2] = d; q.size[3] = b;
  for (auto& a : q.align) a = align;
  return q;
}

// Every non-empty region of `c` aligned, inside its block and inside [lo, hi]; regions in order
// and disjoint.
template <class Carve>
constexpr bool well_placed(Carve const& c, region_request const& q, std::uint64_t base, std::uint64_t lo,
                           std::uint64_t hi) {
  std::uint64_t prev_end = c.offset;
  for (std::size_t i = 0; i < region_count; ++i) {
    if (q.size[i] == 0) continue;
    std::uint64_t const a = q.align[i] == 0 ? 1 : q.align[i];
    std::uint64_t const addr = base + c.at[i];
    if (addr % a != 0) return false;
    if (c.at[i] < prev_end) return false; // overlaps the previous region or precedes the block
    prev_end = c.at[i] + q.size[i];
    if (prev_end > c.offset + c.size) return false;
    if (addr < lo || addr + q.size[i] - 1 > hi) return false;
  }
  return true;
}

constexpr bool table_aligns_every_region() {
  for (std::uint64_t a = 1; a <= 4096; a *= 2) {
    arena_table<64 * kib, 8> t{};
    region_request q = request(3, 5, 7, 9);
    q.align[0] = a; q.align[1] = 1; q.align[2] = a; q.align[3] = 8;
    auto c = t.allocate(fake_base, q, placement{});
    if (!c || !well_placed(*c, q, fake_base, 0, ~std::uint64_t{0})) return false;
    // a second block lands after the first and is aligned too
    auto d = t.allocate(fake_base, request(1, 0, 0, 1, a), placement{});
    if (!d || !well_placed(*d, request(1, 0, 0, 1, a), fake_base, 0, ~std::uint64_t{0})) return false;
    if (d->offset < c->offset + c->size) return false;
  }
  return true;
}
static_assert(table_aligns_every_region());
TEST_CASE("arena_table: each region is aligned to its own alignment, 1..4096") { CHECK(table_aligns_every_region()); }

constexpr bool table_zero_size_regions_take_no_space() {
  arena_table<1 * kib, 8> t{};
  auto e = t.allocate(fake_base, request(0, 0, 0, 0, 4096), placement{5, 4}); // nothing to place
  auto c = t.allocate(fake_base, request(16, 0, 8, 0, 8), placement{});
  return e && e->size == 0 && t.allocations() == 1 && c && c->at[1] == 0 && c->at[3] == 0
      && c->size == 24 + (fake_base + 16) % 8 && t.bytes_in_use() == c->size;
}
static_assert(table_zero_size_regions_take_no_space());
TEST_CASE("arena_table: empty regions and empty requests reserve nothing") { CHECK(table_zero_size_regions_take_no_space()); }

constexpr bool table_rejects_non_power_of_two_alignment() {
  arena_table<1 * kib, 8> t{};
  region_request q = request(8, 0, 0, 0);
  q.align[2] = 12; // checked even for an empty region: the section header is invalid
  auto c = t.allocate(fake_base, q, placement{});
  return !c && c.code() == errc::bad_section && c.error().what == field::sh_addralign && c.error().value == 12
      && t.allocations() == 0;
}
static_assert(table_rejects_non_power_of_two_alignment());
TEST_CASE("arena_table: sh_addralign that is not a power of two is bad_section") { CHECK(table_rejects_non_power_of_two_alignment()); }

constexpr bool table_respects_window() {
  arena_table<16 * kib, 8> t{};
  std::uint64_t const lo = fake_base + 0x1003, hi = fake_base + 0x1fff;
  region_request const q = request(0x100, 0x80, 0, 0x40, 16);
  auto c = t.allocate(fake_base, q, placement{lo, hi});
  if (!c || !well_placed(*c, q, fake_base, lo, hi)) return false;
  if (t.block_count() != 3) return false; // free gap in front, the block, free tail
  // a window that exactly fits the request at its top
  std::uint64_t const lo2 = fake_base + 0x3000 - 0x10, hi2 = lo2 + 0x200 - 1 + 0x10;
  auto d = t.allocate(fake_base, request(0x200, 0, 0, 0, 0x100), placement{lo2, hi2});
  return d && fake_base + d->at[0] == lo2
      && well_placed(*d, request(0x200, 0, 0, 0, 0x100), fake_base, lo2, hi2);
}
static_assert(table_respects_window());
TEST_CASE("arena_table: every byte lands inside the placement window") { CHECK(table_respects_window()); }

constexpr bool table_reports_out_of_reach() {
  arena_table<4 * kib, 8> t{};
  auto const q = request(0x100, 0, 0, 0);
  auto inverted = t.allocate(fake_base, q, placement{fake_base + 0x200, fake_base + 0x100});
  auto below = t.allocate(fake_base, q, placement{0, fake_base - 1});
  auto above = t.allocate(fake_base, q, placement{fake_base + 4 * kib, ~std::uint64_t{0}});
  auto small = t.allocate(fake_base, q, placement{fake_base, fake_base + 0xfe});
  auto straddle = t.allocate(fake_base, q, placement{fake_base + 4 * kib - 0x80, ~std::uint64_t{0}});
  // space in the window is taken, space elsewhere is free: still a reach problem
  auto taken = t.allocate(fake_base, request(0x100, 0, 0, 0), placement{fake_base, fake_base + 0xff});
  auto again = t.allocate(fake_base, q, placement{fake_base, fake_base + 0x17f});
  auto const is_reach = [](auto const& r, std::uint64_t lo, std::uint64_t hi) {
    return !r && r.code() == errc::out_of_reach && r.error().value == static_cast<std::int64_t>(lo)
        && r.error().has_range && r.error().min == static_cast<std::int64_t>(lo)
        && r.error().max == static_cast<std::int64_t>(hi);
  };
  return is_reach(inverted, fake_base + 0x200, fake_base + 0x100) && is_reach(below, 0, fake_base - 1)
      && !above && above.code() == errc::out_of_reach && is_reach(small, fake_base, fake_base + 0xfe)
      && !straddle && straddle.code() == errc::out_of_reach && taken && taken->offset == 0
      && is_reach(again, fake_base, fake_base + 0x17f) && t.allocations() == 1;
}
static_assert(table_reports_out_of_reach());
TEST_CASE("arena_table: an impossible window is out_of_reach, with the window in the diagnostic") {
  CHECK(table_reports_out_of_reach());
}

constexpr bool table_exhaustion_is_out_of_memory() {
  arena_table<1 * kib, 8> t{};
  auto a = t.allocate(fake_base, request(1000, 0, 0, 0), placement{});
  auto b = t.allocate(fake_base, request(24, 0, 0, 0), placement{});
  auto c = t.allocate(fake_base, request(1, 0, 0, 0), placement{});
  auto too_big = arena_table<1 * kib, 8>{}.allocate(fake_base, request(512, 0, 0, 513), placement{});
  auto huge = arena_table<1 * kib, 8>{}.allocate(fake_base, request(~std::uint64_t{0}, 0, 0, 0), placement{});
  auto over_aligned = arena_table<1 * kib, 8>{}.allocate(fake_base, request(1, 0, 0, 0, std::uint64_t{1} << 63), placement{});
  return a && b && !c && c.code() == errc::out_of_memory && t.bytes_in_use() == 1024 && t.largest_free() == 0
      && !too_big && too_big.code() == errc::out_of_memory && !huge && huge.code() == errc::out_of_memory
      && !over_aligned && over_aligned.code() == errc::out_of_memory;
}
static_assert(table_exhaustion_is_out_of_memory());
TEST_CASE("arena_table: a full arena gives out_of_memory") { CHECK(table_exhaustion_is_out_of_memory()); }

constexpr bool table_full_block_table_is_out_of_memory() {
  arena_table<1 * kib, 4> t{}; // room for 4 blocks: three used + the free tail
  auto a = t.allocate(fake_base, request(8, 0, 0, 0), placement{});
  auto b = t.allocate(fake_base, request(8, 0, 0, 0), placement{});
  auto c = t.allocate(fake_base, request(8, 0, 0, 0), placement{});
  auto d = t.allocate(fake_base, request(8, 0, 0, 0), placement{});  // would need a fifth entry
  auto e = t.allocate(fake_base, request(1000, 0, 0, 0), placement{}); // exact fit of the tail: no split
  return a && b && c && !d && d.code() == errc::out_of_memory && e && t.block_count() == 4 && t.largest_free() == 0;
}
static_assert(table_full_block_table_is_out_of_memory());
TEST_CASE("arena_table: a full block table is out_of_memory, an exact fit still works") {
  CHECK(table_full_block_table_is_out_of_memory());
}

// Allocate five blocks, free them in the order given by `order`, checking after each free
// that the table tiles the arena with no two adjacent free blocks; then the whole arena must
// be available again as one block.
template <std::size_t N>
constexpr bool free_in_order(std::array<std::size_t, N> order) {
  constexpr std::uint64_t cap = 4 * kib;
  arena_table<cap, 16> t{};
  std::array<std::uint64_t, N> at{};
  for (std::size_t i = 0; i < N; ++i) {
    auto c = t.allocate(fake_base, request(100 + 37 * i, 0, 0, 0, std::uint64_t{1} << i), placement{});
    if (!c) return false;
    at[i] = c->offset;
  }
  for (std::size_t k = 0; k < N; ++k) {
    if (!t.release(at[order[k]])) return false;
    if (t.release(at[order[k]])) return false; // a second free of the same block is refused
    for (std::size_t i = 0; i + 1 < t.block_count(); ++i)
      if (!t.block_at(i).used && !t.block_at(i + 1).used) return false; // not coalesced
    if (t.block_at(0).offset != 0) return false;
  }
  if (t.block_count() != 1 || t.bytes_in_use() != 0 || t.allocations() != 0) return false;
  auto full = t.allocate(fake_base, request(cap, 0, 0, 0), placement{});
  return full && full->offset == 0 && full->size == cap;
}

constexpr bool table_coalesces_in_every_order() {
  std::array<std::size_t, 5> order{0, 1, 2, 3, 4};
  do {
    if (!free_in_order(order)) return false;
  } while (std::next_permutation(order.begin(), order.end()));
  return true;
}
static_assert(table_coalesces_in_every_order());
TEST_CASE("arena_table: blocks freed in any of the 120 orders coalesce back into the whole arena") {
  CHECK(table_coalesces_in_every_order());
}

constexpr bool table_reuses_freed_holes_first_fit() {
  arena_table<1 * kib, 16> t{};
  auto a = t.allocate(fake_base, request(0x40, 0, 0, 0), placement{});
  auto b = t.allocate(fake_base, request(0x80, 0, 0, 0), placement{});
  auto c = t.allocate(fake_base, request(0x40, 0, 0, 0), placement{});
  if (!a || !b || !c || !t.release(b->offset)) return false;
  auto d = t.allocate(fake_base, request(0x20, 0, 0, 0), placement{}); // first fit: b's hole
  auto e = t.allocate(fake_base, request(0x70, 0, 0, 0), placement{}); // hole too small: after c
  return d && d->offset == b->offset && e && e->offset == c->offset + 0x40;
}
static_assert(table_reuses_freed_holes_first_fit());
TEST_CASE("arena_table: first fit reuses a freed hole") { CHECK(table_reuses_freed_holes_first_fit()); }

constexpr bool table_counters() {
  arena_table<1 * kib, 16> t{};
  auto a = t.allocate(fake_base, request(0x100, 0, 0, 0), placement{});
  auto b = t.allocate(fake_base, request(0x100, 0, 0, 0), placement{});
  bool const two = t.allocations() == 2 && t.bytes_in_use() == 0x200 && t.peak_bytes() == 0x200 && t.high_water() == 0x200;
  (void)t.release(a->offset);
  auto c = t.allocate(fake_base, request(0x10, 0, 0, 0), placement{});
  return a && b && c && two && t.allocations() == 2 && t.bytes_in_use() == 0x110 && t.peak_bytes() == 0x200
      && t.high_water() == 0x200;
}
static_assert(table_counters());
TEST_CASE("arena_table: bytes in use, peak, high water and live allocation counters") { CHECK(table_counters()); }

// ---- the arena itself: real addresses ---------------------------------------------------

std::uint64_t address_of(void const* p) { return std::bit_cast<std::uintptr_t>(p); }

struct recorded_sync {
  static inline std::byte* begin = nullptr;
  static inline std::byte* end = nullptr;
  static inline int calls = 0;
  void operator()(std::byte* b, std::byte* e) const noexcept {
    begin = b;
    end = e;
    ++calls;
  }
};

using test_arena = static_arena<64 * 1024, recorded_sync>;
static_assert(allocator<test_arena>);
static_assert(allocator<static_arena<1024, no_cache_sync, 8, 8>>);

// Constant initialisation: no dynamic initialiser, so a firmware's arena goes to .bss.
constinit test_arena shared_arena;

bool regions_ok(region_block const& b, region_request const& q, std::uint64_t lo, std::uint64_t hi) {
  std::byte const* prev_end = nullptr;
  for (std::size_t i = 0; i < region_count; ++i) {
    if (q.size[i] == 0) {
      if (b.base[i] != nullptr || b.size[i] != 0) return false;
      continue;
    }
    std::uint64_t const a = q.align[i] == 0 ? 1 : q.align[i];
    if (b.base[i] == nullptr || b.size[i] != q.size[i] || address_of(b.base[i]) % a != 0) return false;
    if (prev_end != nullptr && address_of(b.base[i]) < address_of(prev_end)) return false;
    prev_end = b.base[i] + b.size[i];
    if (address_of(b.base[i]) < lo || address_of(prev_end) - 1 > hi) return false;
    if (b.address[i] != address_of(b.base[i])) return false; // a running firmware: target address = host address
  }
  return true;
}

// Region contents are unspecified (policy/concepts.hpp): the loader writes every byte itself, so the
// arena does not zero memory a load would overwrite anyway.
TEST_CASE("static_arena: regions are aligned 1..4096 and disjoint; release returns everything") {
  auto& arena = shared_arena;
  REQUIRE(arena.allocations() == 0);
  for (std::uint64_t a = 1; a <= 4096; a *= 2) {
    CAPTURE(a);
    region_request q = request(100, 33, 17, 250);
    q.align[0] = a; q.align[1] = 1; q.align[2] = a; q.align[3] = a > 8 ? a / 8 : 1;
    auto b1 = arena.allocate(q, placement{});
    auto b2 = arena.allocate(q, placement{});
    REQUIRE(b1);
    REQUIRE(b2);
    CHECK(regions_ok(*b1, q, 0, ~std::uint64_t{0}));
    CHECK(regions_ok(*b2, q, 0, ~std::uint64_t{0}));
    // the two reservations are disjoint and inside the storage
    CHECK((address_of(b1->base[3]) + 250 <= address_of(b2->base[0]) || address_of(b2->base[3]) + 250 <= address_of(b1->base[0])));
    CHECK(address_of(b1->base[0]) >= address_of(arena.data()));
    CHECK(address_of(b2->base[3]) + 250 <= address_of(arena.data()) + test_arena::capacity);
    // dirty the memory: reused space is handed out again as it is
    for (std::size_t i = 0; i < region_count; ++i) std::fill_n(b1->base[i], b1->size[i], std::byte{0xa5});
    for (std::size_t i = 0; i < region_count; ++i) std::fill_n(b2->base[i], b2->size[i], std::byte{0x5a});
    CHECK(arena.allocations() == 2);
    arena.release(*b2);
    arena.release(*b1);
    CHECK(b1->total == 0); // reset: a second release is harmless
    arena.release(*b1);
    CHECK(arena.bytes_in_use() == 0);
    CHECK(arena.allocations() == 0);
  }
  CHECK(arena.largest_free() == test_arena::capacity);
}

TEST_CASE("static_arena: empty regions have base nullptr and size 0") {
  auto& arena = shared_arena;
  auto none = arena.allocate(request(0, 0, 0, 0, 64), placement{});
  REQUIRE(none);
  CHECK(none->total == 0);
  for (std::size_t i = 0; i < region_count; ++i) CHECK(none->base[i] == nullptr);
  auto some = arena.allocate(request(0, 8, 0, 16, 8), placement{});
  REQUIRE(some);
  CHECK(some->base[0] == nullptr);
  CHECK(some->base[2] == nullptr);
  CHECK(regions_ok(*some, request(0, 8, 0, 16, 8), 0, ~std::uint64_t{0}));
  arena.release(*some);
  arena.release(*none);
  CHECK(arena.allocations() == 0);
}

TEST_CASE("static_arena: the placement window is honoured or reported as out_of_reach") {
  auto& arena = shared_arena;
  std::uint64_t const base = address_of(arena.data());
  region_request const q = request(0x300, 0x100, 0x40, 0x80, 64);
  placement const w{base + 0x4001, base + 0x4fff};
  auto b = arena.allocate(q, w);
  REQUIRE(b);
  CHECK(regions_ok(*b, q, w.lo, w.hi));

  auto inverted = arena.allocate(q, placement{w.hi, w.lo});
  CHECK(inverted.code() == errc::out_of_reach);
  auto outside = arena.allocate(q, placement{base + test_arena::capacity, ~std::uint64_t{0}});
  CHECK(outside.code() == errc::out_of_reach);
  auto small = arena.allocate(q, placement{base, base + 0x1ff});
  REQUIRE(small.code() == errc::out_of_reach);
  CHECK(small.error().value == static_cast<std::int64_t>(base));
  CHECK(small.error().has_range);
  arena.release(*b);
  CHECK(arena.bytes_in_use() == 0);
}

TEST_CASE("static_arena: seal is a no-op, sync_caches hands exactly text to CacheSync") {
  auto& arena = shared_arena;
  auto b = arena.allocate(request(40, 8, 0, 0, 4), placement{});
  REQUIRE(b);
  CHECK(arena.seal(*b) == errc::ok);
  int const before = recorded_sync::calls;
  arena.sync_caches(*b);
  CHECK(recorded_sync::calls == before + 1);
  CHECK(recorded_sync::begin == b->base[0]);
  CHECK(recorded_sync::end == b->base[0] + 40);
  auto no_text = arena.allocate(request(0, 8, 0, 0), placement{});
  REQUIRE(no_text);
  arena.sync_caches(*no_text); // nothing to synchronise
  CHECK(recorded_sync::calls == before + 1);
  arena.release(*no_text);
  arena.release(*b);
  CHECK(arena.allocations() == 0);
}

TEST_CASE("static_arena: metadata and regions share the arena; freed in any order it coalesces") {
  auto arena = std::make_unique<static_arena<16 * 1024>>();
  std::byte* m1 = arena->allocate_metadata(100, 8);
  auto r1 = arena->allocate(request(1000, 200, 0, 300, 16), placement{});
  std::byte* m2 = arena->allocate_metadata(0, 4096);
  auto r2 = arena->allocate(request(500, 0, 500, 0, 256), placement{});
  std::byte* m3 = arena->allocate_metadata(64, 64);
  REQUIRE(m1 != nullptr);
  REQUIRE(m2 != nullptr);
  REQUIRE(m3 != nullptr);
  REQUIRE(r1);
  REQUIRE(r2);
  CHECK(address_of(m1) % 8 == 0);
  CHECK(address_of(m2) % 4096 == 0);
  CHECK(address_of(m3) % 64 == 0);
  CHECK(arena->allocate_metadata(8, 3) == nullptr); // not a power of two
  CHECK(arena->allocations() == 5);
  std::uint64_t const peak = arena->peak_bytes();
  CHECK(peak == arena->bytes_in_use());
  CHECK(arena->high_water() >= peak);

  arena->free_metadata(m2, 0);
  arena->release(*r1);
  arena->free_metadata(m3, 64);
  std::byte not_ours{};
  arena->free_metadata(&not_ours, 1); // ignored
  arena->free_metadata(nullptr, 0);   // ignored
  arena->free_metadata(m1, 100);
  arena->release(*r2);
  CHECK(arena->allocations() == 0);
  CHECK(arena->bytes_in_use() == 0);
  CHECK(arena->peak_bytes() == peak);

  // after coalescing, one allocation can take the entire arena
  auto all = arena->allocate(request(16 * 1024, 0, 0, 0), placement{});
  REQUIRE(all);
  CHECK(all->base[0] == arena->data());
  CHECK(all->total == 16 * 1024);
  CHECK(arena->allocate(request(1, 0, 0, 0), placement{}).code() == errc::out_of_memory);
  CHECK(arena->allocate_metadata(1, 1) == nullptr);
  arena->release(*all);
  CHECK(arena->bytes_in_use() == 0);
}

TEST_CASE("static_arena: exhaustion is out_of_memory, and space comes back after release") {
  auto arena = std::make_unique<static_arena<4096, no_cache_sync, 64, 4096>>();
  std::array<region_block, 4> blocks{};
  for (auto& b : blocks) {
    auto r = arena->allocate(request(1024, 0, 0, 0), placement{});
    REQUIRE(r);
    b = *r;
  }
  auto more = arena->allocate(request(1, 0, 0, 0), placement{});
  CHECK(more.code() == errc::out_of_memory);
  for (std::size_t i : {2u, 0u, 3u, 1u}) arena->release(blocks[i]);
  auto big = arena->allocate(request(1024, 1024, 1024, 1024, 1024), placement{});
  REQUIRE(big); // StorageAlign 4096: 4 aligned regions fit exactly
  CHECK(big->total == 4096);
  arena->release(*big);
  // alignment equal to the arena size works when the storage is aligned to it
  auto whole = arena->allocate(request(4096, 0, 0, 0, 4096), placement{});
  CHECK(whole);
}

} // namespace
