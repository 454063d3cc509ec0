// tests/alloc/host_mmap.test.cpp: the host allocator. The layout plan, the choice of an
// address inside a gap, and the candidate ordering are constexpr and checked in static_assert
// too; mapping, windows, protections and accounting are checked against the running process
// (/proc/self/maps, a forked child).
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "extload/alloc/host_mmap.hpp"

namespace {

using namespace extload;
namespace hd = host_mmap_detail;

constexpr std::uint64_t page = 4096;
constexpr std::uint64_t gib = std::uint64_t{1} << 30;

constexpr region_request request(std::uint64_t t, std::uint64_t r, std::uint64_t d, std::uint64_t b,
                                 std::uint64_t align = 1) {
  region_request q{};
  q.size[0] = t; q.size[1] = r; q.size[2] = d; q.size[3] = b;
  for (auto& a : q.align) a = align;
  return q;
}

// ---- constexpr parts ---------------------------------------------------------------------

constexpr bool plan_puts_each_region_on_its_own_page() {
  auto const p = hd::plan_regions(request(100, 5000, 1, 0), page);
  return p.code == errc::ok && p.offset[0] == 0 && p.offset[1] == page && p.offset[2] == 3 * page
      && p.offset[3] == 0 && p.total == 4 * page && p.align == page;
}
static_assert(plan_puts_each_region_on_its_own_page());
TEST_CASE("host_mmap plan: text | rodata | data | bss, each on a page boundary, empty regions skipped") {
  CHECK(plan_puts_each_region_on_its_own_page());
}

constexpr bool plan_honours_alignment_beyond_a_page() {
  region_request q = request(10, 10, 10, 10);
  q.align[2] = std::uint64_t{1} << 21; // 2 MiB
  auto const p = hd::plan_regions(q, page);
  auto const e = hd::plan_regions(request(10, 0, 0, 0, 0), page); // sh_addralign 0 means 1
  return p.code == errc::ok && p.align == (std::uint64_t{1} << 21) && p.offset[1] == page
      && p.offset[2] == (std::uint64_t{1} << 21) && p.offset[3] == (std::uint64_t{1} << 21) + page
      && p.total == (std::uint64_t{1} << 21) + 2 * page && e.code == errc::ok && e.total == page;
}
static_assert(plan_honours_alignment_beyond_a_page());
TEST_CASE("host_mmap plan: an alignment above the page size aligns the reservation and the region") {
  CHECK(plan_honours_alignment_beyond_a_page());
}

constexpr bool plan_rejects_bad_requests() {
  region_request q = request(8, 0, 0, 0);
  q.align[1] = 24;
  return hd::plan_regions(q, page).code == errc::bad_section
      && hd::plan_regions(request(~std::uint64_t{0} - 10, 0, 0, 0), page).code == errc::out_of_memory
      && hd::plan_regions(request(~std::uint64_t{0} / 2, ~std::uint64_t{0} / 2, 8, 0), page).code == errc::out_of_memory
      && hd::plan_regions(request(0, 0, 0, 0, 64), page).total == 0;
}
static_assert(plan_rejects_bad_requests());
TEST_CASE("host_mmap plan: bad alignment, overflowing sizes, and the empty request") { CHECK(plan_rejects_bad_requests()); }

constexpr bool pick_centres_in_window_and_gap() {
  placement const w{0x1000'0000, 0x1fff'ffff}; // middle 0x17ff'ffff
  auto const whole = hd::pick({0, ~std::uint64_t{0}}, w, 0x4000, page);
  auto const left = hd::pick({0x1000, 0x1234'5fff}, w, 0x4000, page); // gap ends before the middle
  auto const right = hd::pick({0x1a00'0123, 0x2fff'ffff}, w, 0x4000, page);
  auto const aligned = hd::pick({0, ~std::uint64_t{0}}, w, 0x4000, std::uint64_t{1} << 24);
  return whole.found && whole.address == 0x17ff'd000 && whole.distance == 0xfff
      && left.found && left.address == 0x1234'2000 && left.distance == 0x17ff'ffff - 0x1234'4000
      && right.found && right.address == 0x1a00'1000 && right.distance == 0x1a00'3000 - 0x17ff'ffff
      && aligned.found && aligned.address % (std::uint64_t{1} << 24) == 0
      && aligned.address >= w.lo && aligned.address + 0x4000 - 1 <= w.hi;
}
static_assert(pick_centres_in_window_and_gap());
TEST_CASE("host_mmap pick: the start nearest the window's middle that the gap and alignment allow") {
  CHECK(pick_centres_in_window_and_gap());
}

constexpr bool pick_refuses_what_does_not_fit() {
  placement const w{0x1000'0000, 0x1fff'ffff};
  return !hd::pick({0x1000, 0x0fff'ffff}, w, page, page).found          // gap below the window
      && !hd::pick({0x1000'0000, 0x1000'2fff}, w, 0x4000, page).found   // gap too small
      && !hd::pick({0x1000'0001, 0x1000'4ffe}, w, 0x4000, page).found   // too small once aligned
      && hd::pick({0x1000'0001, 0x1000'4fff}, w, 0x4000, page).address == 0x1000'1000
      && hd::pick({0x1000'0000, 0x1000'3fff}, w, 0x4000, page).found    // exact fit
      && !hd::pick({0, ~std::uint64_t{0}}, placement{5, 4}, page, page).found
      && !hd::pick({0x1fff'f000, ~std::uint64_t{0}}, w, 2 * page, page).found; // straddles hi
}
static_assert(pick_refuses_what_does_not_fit());
TEST_CASE("host_mmap pick: gaps outside the window or too small give no candidate") { CHECK(pick_refuses_what_does_not_fit()); }

constexpr bool candidates_sorted_and_bounded() {
  hd::candidate_list<3> l{};
  l.offer({0x10, 50, true});
  l.offer({0x20, 10, true});
  l.offer({0x30, 70, false}); // not a candidate
  l.offer({0x40, 30, true});
  l.offer({0x50, 90, true}); // worse than the three kept
  l.offer({0x60, 5, true});  // best: drops the worst (50)
  return l.count == 3 && l.items[0].address == 0x60 && l.items[1].address == 0x20 && l.items[2].address == 0x40;
}
static_assert(candidates_sorted_and_bounded());
TEST_CASE("host_mmap candidates: kept nearest first, the worst dropped when full") { CHECK(candidates_sorted_and_bounded()); }

// ---- against the running process ---------------------------------------------------------

std::uint64_t address_of(void const* p) { return std::bit_cast<std::uintptr_t>(p); }

// The permission string ("r-xp") of the mapping holding `addr`, or "" if none does.
std::string permissions_at(std::uint64_t addr) {
  std::FILE* f = std::fopen("/proc/self/maps", "r");
  if (f == nullptr) return "?";
  char line[512];
  std::string out;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    unsigned long long s = 0, e = 0;
    char perms[8] = {};
    if (std::sscanf(line, "%llx-%llx %7s", &s, &e, perms) == 3 && addr >= s && addr < e) {
      out = perms;
      break;
    }
  }
  std::fclose(f);
  return out;
}

bool regions_ok(region_block const& b, region_request const& q, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t prev_end = 0;
  for (std::size_t i = 0; i < region_count; ++i) {
    if (q.size[i] == 0) {
      if (b.base[i] != nullptr || b.size[i] != 0) return false;
      continue;
    }
    std::uint64_t const a = q.align[i] == 0 ? 1 : q.align[i];
    std::uint64_t const at = address_of(b.base[i]);
    if (b.base[i] == nullptr || b.size[i] != q.size[i] || at % a != 0 || at % page != 0) return false;
    if (at < prev_end || at < lo || at + q.size[i] - 1 > hi) return false;
    prev_end = at + q.size[i];
    for (std::size_t k = 0; k < b.size[i]; ++k)
      if (b.base[i][k] != std::byte{0}) return false;
    std::fill_n(b.base[i], b.size[i], std::byte{0x7e}); // writable
  }
  return true;
}

int test_global = 42; // a global of the test binary: windows around it model PC32 to host data
// The link editor's bounds of the test binary's own image (GNU ld and lld define both): a window
// "right next to the binary" must start below and end above all of it, however large the
// binary grows (an ASan build of the unit suite maps well over 64 MiB on each side of a global).
extern "C" char __executable_start[], _end[];

TEST_CASE("host_mmap: every region aligned 1..4096 (and beyond a page), zero-filled, writable, disjoint") {
  host_mmap_allocator alloc;
  for (std::uint64_t a = 1; a <= (std::uint64_t{1} << 21); a *= 2) {
    CAPTURE(a);
    region_request q = request(100, 33, 5000, 250);
    q.align[0] = a; q.align[1] = 1; q.align[2] = a; q.align[3] = a > 8 ? a / 8 : 0;
    auto b1 = alloc.allocate(q, placement{});
    auto b2 = alloc.allocate(q, placement{});
    REQUIRE(b1);
    REQUIRE(b2);
    CHECK(regions_ok(*b1, q, 0, ~std::uint64_t{0}));
    CHECK(regions_ok(*b2, q, 0, ~std::uint64_t{0}));
    std::uint64_t const s1 = b1->handle, s2 = b2->handle;
    CHECK((s1 + b1->total <= s2 || s2 + b2->total <= s1));
    CHECK(alloc.bytes_in_use() == b1->total + b2->total);
    alloc.release(*b1);
    alloc.release(*b2);
    CHECK(alloc.bytes_in_use() == 0);
    CHECK(alloc.allocations() == 0);
  }
}

TEST_CASE("host_mmap: empty regions get nullptr and the empty request maps nothing") {
  host_mmap_allocator alloc;
  auto none = alloc.allocate(request(0, 0, 0, 0), placement{});
  REQUIRE(none);
  CHECK(none->total == 0);
  auto some = alloc.allocate(request(0, 10, 0, 10), placement{});
  REQUIRE(some);
  CHECK(regions_ok(*some, request(0, 10, 0, 10), 0, ~std::uint64_t{0}));
  CHECK(some->total == 2 * alloc.page_size());
  alloc.release(*some);
  alloc.release(*none);
  CHECK(alloc.bytes_in_use() == 0);
}

void check_window(host_mmap_allocator& alloc, placement w) {
  CAPTURE(w.lo);
  CAPTURE(w.hi);
  region_request q = request(3 * page + 1, 2 * page, 100, 64 * 1024);
  q.align[0] = 64; q.align[2] = 16384;
  auto b1 = alloc.allocate(q, w);
  REQUIRE(b1);
  CHECK(regions_ok(*b1, q, w.lo, w.hi));
  auto b2 = alloc.allocate(q, w); // the first now occupies the best gap: the next one moves
  REQUIRE(b2);
  CHECK(regions_ok(*b2, q, w.lo, w.hi));
  CHECK((b1->handle + b1->total <= b2->handle || b2->handle + b2->total <= b1->handle));
  std::uint64_t const text1 = address_of(b1->base[0]), text2 = address_of(b2->base[0]);
  alloc.release(*b1);
  alloc.release(*b2);
  CHECK(b1->total == 0); // reset: a second release does nothing
  CHECK(permissions_at(text1).empty());
  CHECK(permissions_at(text2).empty());
}

std::uint64_t around(std::uint64_t x, std::int64_t d) {
  return d < 0 ? (x > static_cast<std::uint64_t>(-d) ? x + static_cast<std::uint64_t>(d) : 0)
               : x + static_cast<std::uint64_t>(d);
}

TEST_CASE("host_mmap: windows of +-1 GiB around the test binary and around libc, and the low 2 GiB") {
  host_mmap_allocator alloc;
  std::uint64_t const g = address_of(&test_global);
  check_window(alloc, placement{around(g, -static_cast<std::int64_t>(gib)), g + gib});
  std::uint64_t const libc = address_of(stdout); // glibc's _IO_2_1_stdout_, in libc's .data
  check_window(alloc, placement{around(libc, -static_cast<std::int64_t>(gib)), libc + gib});
  check_window(alloc, placement{0x10000, 0x7fff'ffff}); // non-PIC objects: R_X86_64_32/32S
  // a narrow window right next to the binary: PC32 reach with little to spare
  check_window(alloc, placement{around(address_of(__executable_start), -64 * 1024 * 1024), address_of(_end) + 64 * 1024 * 1024});
  CHECK(alloc.bytes_in_use() == 0);
}

TEST_CASE("host_mmap: an impossible window is out_of_reach with the window in the diagnostic") {
  host_mmap_allocator alloc;
  auto const q = request(page, page, 0, 0);
  auto inverted = alloc.allocate(q, placement{0x2000'0000, 0x1000'0000});
  CHECK(inverted.code() == errc::out_of_reach);
  auto tiny = alloc.allocate(q, placement{0x2000'0000, 0x2000'0fff}); // one page for two
  REQUIRE(tiny.code() == errc::out_of_reach);
  CHECK(tiny.error().value == 0x2000'0000);
  CHECK(tiny.error().has_range);
  CHECK(tiny.error().min == 0x2000'0000);
  CHECK(tiny.error().max == 0x2000'0fff);
  // a window covering only memory that is already mapped (this page of the test binary)
  std::uint64_t const g = address_of(&test_global) & ~(page - 1);
  auto occupied = alloc.allocate(request(page, 0, 0, 0), placement{g, g + page - 1});
  CHECK(occupied.code() == errc::out_of_reach);
  auto below_min = alloc.allocate(q, placement{0, 0x1fff}); // page 0 is never mapped
  CHECK(below_min.code() == errc::out_of_reach);
  auto bad = alloc.allocate(request(8, 0, 0, 0, 3), placement{});
  CHECK(bad.code() == errc::bad_section);
  auto huge = alloc.allocate(request(~std::uint64_t{0} / 2, 0, 0, 0), placement{});
  CHECK(huge.code() == errc::out_of_memory);
  CHECK(alloc.allocations() == 0);
  CHECK(alloc.bytes_in_use() == 0);
}

TEST_CASE("host_mmap: seal makes text R+X and rodata R, data and bss stay R+W (W^X)") {
  host_mmap_allocator alloc;
  auto b = alloc.allocate(request(100, 100, 100, 100, 16), placement{});
  REQUIRE(b);
  for (std::size_t i = 0; i < region_count; ++i) CHECK(permissions_at(address_of(b->base[i])) == "rw-p");
#if defined(__x86_64__)
  // mov eax, 42; ret
  constexpr unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};
  for (std::size_t i = 0; i < sizeof code; ++i) b->base[0][i] = std::byte{code[i]};
#endif
  REQUIRE(alloc.seal(*b) == errc::ok);
  alloc.sync_caches(*b);
  CHECK(permissions_at(address_of(b->base[0])) == "r-xp");
  // Rodata is read-only. (qemu-user reports readable guest pages as r-x on some targets, so only
  // "readable and not writable" is checked: W^X is what matters.)
  std::string const ro = permissions_at(address_of(b->base[1]));
  CHECK(ro.size() == 4);
  CHECK(ro.substr(0, 2) == "r-");
  CHECK(permissions_at(address_of(b->base[2])) == "rw-p");
  CHECK(permissions_at(address_of(b->base[3])) == "rw-p");
#if defined(__x86_64__)
  auto const fn = std::bit_cast<int (*)()>(static_cast<void*>(b->base[0]));
  CHECK(fn() == 42); // sealed text executes
#endif

#if defined(__x86_64__) // under qemu-user (cross builds) a guest's fault in a forked child is not reliable
  // Writing to sealed text must fault: do it in a child so the fault ends only the child.
  std::fflush(nullptr);
  pid_t const child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGSEGV, SIG_DFL); // die of the fault, not through doctest's crash report
    std::signal(SIGBUS, SIG_DFL);
    *static_cast<std::byte volatile*>(b->base[0]) = std::byte{0};
    ::_exit(0); // reached only if the write succeeded
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 0));
  CHECK((WIFSIGNALED(status) && (WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS)));
#endif

  std::uint64_t const text = address_of(b->base[0]);
  alloc.release(*b);
  CHECK(permissions_at(text).empty());
  CHECK(alloc.bytes_in_use() == 0);
}

TEST_CASE("host_mmap: metadata blocks are aligned, counted, and freed") {
  host_mmap_allocator alloc;
  std::byte* blocks[13] = {};
  std::uint64_t expected = 0;
  std::size_t k = 0;
  for (std::size_t a = 1; a <= 4096; a *= 2, ++k) {
    std::size_t const n = 10 + 7 * k;
    blocks[k] = alloc.allocate_metadata(n, a);
    REQUIRE(blocks[k] != nullptr);
    CHECK(address_of(blocks[k]) % a == 0);
    std::fill_n(blocks[k], n, std::byte{0x11}); // the whole block is usable
    expected += n;
  }
  CHECK(alloc.bytes_in_use() == expected);
  CHECK(alloc.allocations() == 13);
  CHECK(alloc.allocate_metadata(8, 48) == nullptr); // not a power of two
  std::byte* zero = alloc.allocate_metadata(0, 0);
  CHECK(zero != nullptr);
  alloc.free_metadata(zero, 0);
  for (std::size_t i : {3u, 0u, 12u, 7u, 1u, 2u, 4u, 5u, 6u, 8u, 9u, 10u, 11u}) alloc.free_metadata(blocks[i], 10 + 7 * i);
  alloc.free_metadata(nullptr, 0);
  CHECK(alloc.bytes_in_use() == 0);
  CHECK(alloc.allocations() == 0);
  CHECK(alloc.peak_bytes() == expected);
}

TEST_CASE("host_mmap: bytes_in_use counts regions and metadata; peak_bytes keeps the maximum") {
  host_mmap_allocator alloc;
  auto r = alloc.allocate(request(1, 1, 1, 1), placement{});
  REQUIRE(r);
  CHECK(r->total == 4 * alloc.page_size());
  std::byte* m = alloc.allocate_metadata(100, 16);
  REQUIRE(m != nullptr);
  CHECK(alloc.bytes_in_use() == 4 * alloc.page_size() + 100);
  alloc.release(*r);
  CHECK(alloc.bytes_in_use() == 100);
  alloc.free_metadata(m, 100);
  CHECK(alloc.bytes_in_use() == 0);
  CHECK(alloc.peak_bytes() == 4 * alloc.page_size() + 100);
}

} // namespace
