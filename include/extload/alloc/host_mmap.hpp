// alloc/host_mmap.hpp: the host (Linux/POSIX) allocator policy. One anonymous mmap per
// extension, laid out text | rodata | data | bss with every region on its own page so that
// seal() can give each its own protection (W^X: text R+X, rodata R, data/bss R+W), placed
// inside the loader's address window.
//
// Why placement matters: x86-64 objects compiled for the small code model (the default, and
// -fPIE) reach external symbols with 32-bit PC-relative relocations (psABI §3.5.1,
// R_X86_64_PC32/PLT32/GOTPCREL[X]: S + A - P must fit in int32), and non-PIC objects use
// R_X86_64_32/32S, which need the low 2 GiB. The loader therefore narrows a window [lo, hi] to
// where those references can reach. Here that window is honoured by reading the free gaps of
// the address space from /proc/self/maps and mapping with MAP_FIXED_NOREPLACE (Linux 4.17):
// the maps can change between the read and the mmap (another thread, a library), and
// NOREPLACE makes the kernel refuse (EEXIST) rather than clobber a mapping; then the next gap
// is tried. Gaps are tried nearest the middle of the window first, leaving the most slack on
// both sides for what comes later.
//
// Host-only: this header uses POSIX and the C library; firmware uses alloc/static_arena.hpp.
#pragma once

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>

#include "extload/bytes.hpp"
#include "extload/error.hpp"
#include "extload/policy/concepts.hpp"

namespace extload::inline v0 {

namespace host_mmap_detail {

#if defined(MAP_FIXED_NOREPLACE)
inline constexpr int map_fixed_noreplace = MAP_FIXED_NOREPLACE;
#elif defined(__linux__)
inline constexpr int map_fixed_noreplace = 0x100000; // uapi/asm-generic/mman-common.h, Linux 4.17
#else
inline constexpr int map_fixed_noreplace = 0; // a plain hint; a moved mapping is detected and undone
#endif

inline constexpr std::uint64_t max_u64 = std::numeric_limits<std::uint64_t>::max();

constexpr bool align_up(std::uint64_t x, std::uint64_t a, std::uint64_t& out) noexcept {
  if (x > max_u64 - (a - 1)) return false;
  out = (x + (a - 1)) & ~(a - 1);
  return true;
}
constexpr std::uint64_t align_down(std::uint64_t x, std::uint64_t a) noexcept { return x & ~(a - 1); }

// The layout of one reservation, in offsets from its (align-aligned) start.
struct plan {
  std::uint64_t offset[region_count] = {};
  std::uint64_t total = 0; // bytes to map, a multiple of the page size
  std::uint64_t align = 0; // alignment of the reservation start: max(page, region alignments)
  errc code = errc::ok;    // bad_section: an alignment is not a power of two; out_of_memory: overflow
};

// Each non-empty region starts on a page boundary (so its protection can differ) and on its
// own alignment; the reservation start is aligned to the largest of these, so offsets that are
// multiples of an alignment give addresses that are too. Empty regions take no space.
constexpr plan plan_regions(region_request const& r, std::uint64_t page) noexcept {
  plan p{};
  p.align = page;
  for (std::size_t i = 0; i < region_count; ++i) {
    std::uint64_t const a = r.align[i] == 0 ? 1 : r.align[i]; // sh_addralign 0 means 1
    if (!is_power_of_two(a)) { p.code = errc::bad_section; return p; }
    if (r.size[i] != 0) p.align = std::max(p.align, a);
  }
  std::uint64_t cur = 0;
  for (std::size_t i = 0; i < region_count; ++i) {
    if (r.size[i] == 0) continue;
    std::uint64_t const a = std::max(page, r.align[i] == 0 ? 1 : r.align[i]);
    std::uint64_t at = 0;
    if (!align_up(cur, a, at) || at > max_u64 - r.size[i]) { p.code = errc::out_of_memory; return p; }
    p.offset[i] = at;
    cur = at + r.size[i];
  }
  if (!align_up(cur, page, p.total)) p.code = errc::out_of_memory;
  return p;
}

// A free range of the address space, [lo, hi] inclusive.
struct gap {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
};

struct candidate {
  std::uint64_t address = 0;
  std::uint64_t distance = 0; // |middle of the reservation - middle of the window|
  bool found = false;
};

// The aligned start inside `g` ∩ `w` whose reservation of `total` bytes is centred as close to
// the window's middle as the gap allows.
constexpr candidate pick(gap g, placement const& w, std::uint64_t total, std::uint64_t align) noexcept {
  if (total == 0 || w.empty() || g.lo > g.hi) return {};
  std::uint64_t lo = std::max(g.lo, w.lo);
  std::uint64_t const hi = std::min(g.hi, w.hi);
  if (lo > hi || !align_up(lo, align, lo) || lo > hi) return {};
  if (hi - lo < total - 1) return {};
  std::uint64_t const last = align_down(hi - (total - 1), align); // highest start that fits
  if (last < lo) return {};
  std::uint64_t const mid = w.lo + (w.hi - w.lo) / 2;
  std::uint64_t const want = mid >= total / 2 ? mid - total / 2 : 0;
  std::uint64_t const at = std::clamp(align_down(want, align), lo, last);
  std::uint64_t const centre = at + total / 2;
  return {at, centre > mid ? centre - mid : mid - centre, true};
}

// The best `N` candidates seen so far, nearest first.
template <std::size_t N>
struct candidate_list {
  std::array<candidate, N> items{};
  std::size_t count = 0;

  constexpr void offer(candidate c) noexcept {
    if (!c.found) return;
    std::size_t i = count;
    while (i > 0 && items[i - 1].distance > c.distance) --i;
    if (i == N) return; // worse than all N kept
    std::size_t const last = count < N ? count : N - 1;
    for (std::size_t k = last; k > i; --k) items[k] = items[k - 1];
    items[i] = c;
    if (count < N) ++count;
  }
};

} // namespace host_mmap_detail

// Allocator policy for a Linux/POSIX host process. Counts the bytes it holds (mapped regions
// plus metadata) for reports. Not thread-safe: one loader per thread, or a lock around it.
class host_mmap_allocator {
public:
  host_mmap_allocator() noexcept {
    long const p = ::sysconf(_SC_PAGESIZE);
    page_ = p > 0 ? static_cast<std::uint64_t>(p) : 4096;
  }
  host_mmap_allocator(host_mmap_allocator const&) = delete;
  host_mmap_allocator& operator=(host_mmap_allocator const&) = delete;

  result<region_block> allocate(region_request const& r, placement const& w) noexcept {
    host_mmap_detail::plan const p = host_mmap_detail::plan_regions(r, page_);
    if (p.code == errc::bad_section) return diagnostic{errc::bad_section, field::sh_addralign};
    if (p.code != errc::ok || p.total > std::numeric_limits<std::size_t>::max()) return errc::out_of_memory;
    if (p.total == 0) return region_block{}; // every region empty: nothing to map, nothing to place
    if (w.empty()) return out_of_reach(w);

    std::byte* base = nullptr;
    if (w.lo == 0 && w.hi == host_mmap_detail::max_u64) {
      base = map_anywhere(p.total, p.align);
      if (base == nullptr) return errc::out_of_memory;
    } else {
      base = map_in_window(p.total, p.align, w);
      if (base == nullptr) return out_of_reach(w);
    }

    region_block b{};
    for (std::size_t i = 0; i < region_count; ++i) {
      b.size[i] = r.size[i];
      b.base[i] = r.size[i] != 0 ? base + p.offset[i] : nullptr;
      b.address[i] = b.base[i] != nullptr ? static_cast<std::uint64_t>(std::bit_cast<std::uintptr_t>(b.base[i])) : 0;
    }
    b.handle = std::bit_cast<std::uintptr_t>(static_cast<void*>(base));
    b.total = p.total;
    account(p.total);
    ++live_;
    return b; // anonymous mappings are zero-filled by the kernel
  }

  // W^X: text becomes R+X and rodata R; data and bss stay R+W. Regions start on page
  // boundaries, so rounding a size up to whole pages never touches the next region.
  errc seal(region_block& b) noexcept {
    if (errc e = protect(b, region::text, PROT_READ | PROT_EXEC); e != errc::ok) return e;
    return protect(b, region::rodata, PROT_READ);
  }

  // A no-op on x86 (coherent I-cache); on AArch64/ARM/RISC-V hosts it runs the required
  // D-cache clean + I-cache invalidate (DC CVAU / IC IVAU, or the cacheflush syscall).
  void sync_caches(region_block& b) noexcept {
    std::size_t const t = static_cast<std::size_t>(region::text);
    if (b.base[t] == nullptr || b.size[t] == 0) return;
    char* const begin = static_cast<char*>(static_cast<void*>(b.base[t]));
    __builtin___clear_cache(begin, begin + b.size[t]);
  }

  // Unmaps the reservation; the block is reset so that a second release does nothing.
  void release(region_block& b) noexcept {
    if (b.total != 0 && b.handle != 0) {
      if (::munmap(std::bit_cast<void*>(b.handle), static_cast<std::size_t>(b.total)) == 0) {
        in_use_ -= b.total;
        --live_;
      }
    }
    b = region_block{};
  }

  // A metadata block of n bytes aligned to `align` (a power of two), or nullptr. The aligned
  // operator delete must be told the alignment, which free_metadata() is not given, so a
  // 16-byte header in front of the block records n and the alignment used.
  std::byte* allocate_metadata(std::size_t n, std::size_t align) noexcept {
    if (align == 0) align = 1;
    if (!is_power_of_two(align)) return nullptr;
    std::size_t const a = std::max<std::size_t>(align, header_bytes);
    if (n > std::numeric_limits<std::size_t>::max() - a) return nullptr;
    void* const raw = ::operator new(n + a, std::align_val_t{a}, std::nothrow);
    if (raw == nullptr) return nullptr;
    std::byte* const p = static_cast<std::byte*>(raw) + a;
    store_at<std::uint64_t, std::endian::native>(p - 16, n);
    store_at<std::uint64_t, std::endian::native>(p - 8, a);
    account(n);
    ++live_;
    return p;
  }

  void free_metadata(std::byte* p, std::size_t) noexcept {
    if (p == nullptr) return;
    auto const n = static_cast<std::size_t>(load_at<std::uint64_t, std::endian::native>(p - 16));
    auto const a = static_cast<std::size_t>(load_at<std::uint64_t, std::endian::native>(p - 8));
    ::operator delete(static_cast<void*>(p - a), std::align_val_t{a});
    in_use_ -= n;
    --live_;
  }

  // Bytes currently held: mapped regions (whole pages, padding included) + metadata blocks.
  std::uint64_t bytes_in_use() const noexcept { return in_use_; }
  // The largest bytes_in_use() seen.
  std::uint64_t peak_bytes() const noexcept { return peak_; }
  // Live allocations (region blocks + metadata blocks).
  std::size_t allocations() const noexcept { return live_; }
  std::uint64_t page_size() const noexcept { return page_; }

private:
  static constexpr std::size_t header_bytes = 16;
  static constexpr std::size_t max_candidates = 64;

  void account(std::uint64_t n) noexcept {
    in_use_ += n;
    peak_ = std::max(peak_, in_use_);
  }

  static diagnostic out_of_reach(placement const& w) noexcept {
    return diagnostic{errc::out_of_reach, field::none, static_cast<std::int64_t>(w.lo)}
        .with_range(static_cast<std::int64_t>(w.lo), static_cast<std::int64_t>(w.hi))
        .with_name("no free address range in window");
  }

  errc protect(region_block& b, region r, int prot) const noexcept {
    std::size_t const i = static_cast<std::size_t>(r);
    if (b.base[i] == nullptr || b.size[i] == 0) return errc::ok;
    std::uint64_t len = 0;
    (void)host_mmap_detail::align_up(b.size[i], page_, len); // cannot overflow: it was mapped
    if (::mprotect(b.base[i], static_cast<std::size_t>(len), prot) == 0) return errc::ok;
    return errno == ENOMEM ? errc::out_of_memory : errc::limit_exceeded; // EACCES: policy (SELinux execmem)
  }

  // No window: let the kernel choose. An alignment beyond the page needs over-reserving and
  // trimming the unaligned head and the tail.
  std::byte* map_anywhere(std::uint64_t total, std::uint64_t align) const noexcept {
    std::uint64_t const extra = align - page_;
    if (total > host_mmap_detail::max_u64 - extra || total + extra > std::numeric_limits<std::size_t>::max())
      return nullptr;
    std::size_t const len = static_cast<std::size_t>(total + extra);
    void* const m = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (m == MAP_FAILED) return nullptr;
    auto const at = static_cast<std::uint64_t>(std::bit_cast<std::uintptr_t>(m));
    std::uint64_t start = 0;
    (void)host_mmap_detail::align_up(at, align, start); // inside the mapping: at + extra >= start
    std::byte* const b = static_cast<std::byte*>(m);
    std::size_t const head = static_cast<std::size_t>(start - at);
    std::size_t const tail = len - head - static_cast<std::size_t>(total);
    if (head != 0) (void)::munmap(m, head);
    if (tail != 0) (void)::munmap(b + head + total, tail);
    return b + head;
  }

  // Try the gaps of /proc/self/maps inside the window, nearest the middle first. A lost race
  // (EEXIST) triggers one fresh read of the maps.
  std::byte* map_in_window(std::uint64_t total, std::uint64_t align, placement const& w) const noexcept {
    for (int round = 0; round < 2; ++round) {
      host_mmap_detail::candidate_list<max_candidates> list{};
      collect(list, total, align, w);
      bool raced = false;
      for (std::size_t i = 0; i < list.count; ++i) {
        void* const want = std::bit_cast<void*>(static_cast<std::uintptr_t>(list.items[i].address));
        void* const m = ::mmap(want, static_cast<std::size_t>(total), PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | host_mmap_detail::map_fixed_noreplace, -1, 0);
        if (m == MAP_FAILED) {
          raced = raced || errno == EEXIST;
          continue; // EEXIST: taken since the read; ENOMEM/EINVAL: beyond the user address space
        }
        if (m == want) return static_cast<std::byte*>(m);
        (void)::munmap(m, static_cast<std::size_t>(total)); // flag unsupported: the hint was moved
      }
      if (!raced) break;
    }
    return nullptr;
  }

  // Reads the mappings (sorted by address in /proc/self/maps) and offers one candidate per
  // gap. Room is left below [stack] (it grows down into the gap) and above [heap] (brk grows up).
  void collect(host_mmap_detail::candidate_list<max_candidates>& list, std::uint64_t total,
               std::uint64_t align, placement const& w) const noexcept {
    using host_mmap_detail::gap;
    using host_mmap_detail::pick;
    std::uint64_t prev_end = std::max(mmap_min_addr(), page_);
    std::uint64_t floor_raise = 0; // room kept above the previous mapping
    std::FILE* const f = std::fopen("/proc/self/maps", "r");
    if (f == nullptr) { // no procfs: one blind try at the window's middle
      list.offer(pick(gap{prev_end, host_mmap_detail::max_u64}, w, total, align));
      return;
    }
    char line[512];
    bool at_line_start = true;
    while (std::fgets(line, sizeof line, f) != nullptr) {
      bool const starts = at_line_start;
      at_line_start = std::strchr(line, '\n') != nullptr; // long path names span several reads
      if (!starts) continue;
      unsigned long long s = 0, e = 0;
      if (std::sscanf(line, "%llx-%llx", &s, &e) != 2) continue;
      std::uint64_t const ceiling_drop = std::strstr(line, "[stack]") != nullptr ? stack_reserve() : 0;
      std::uint64_t const lo = prev_end > host_mmap_detail::max_u64 - floor_raise ? host_mmap_detail::max_u64
                                                                                  : prev_end + floor_raise;
      if (s > lo && s - lo > ceiling_drop) list.offer(pick(gap{lo, s - 1 - ceiling_drop}, w, total, align));
      prev_end = std::max<std::uint64_t>(prev_end, e);
      floor_raise = std::strstr(line, "[heap]") != nullptr ? heap_reserve : 0;
    }
    std::fclose(f);
    std::uint64_t const lo = prev_end > host_mmap_detail::max_u64 - floor_raise ? host_mmap_detail::max_u64
                                                                                : prev_end + floor_raise;
    if (lo < host_mmap_detail::max_u64) list.offer(pick(gap{lo, host_mmap_detail::max_u64}, w, total, align));
  }

  static constexpr std::uint64_t heap_reserve = std::uint64_t{64} << 20;

  // The main thread's stack may grow down to its rlimit (plus the kernel's 1 MiB guard gap).
  static std::uint64_t stack_reserve() noexcept {
    std::uint64_t limit = std::uint64_t{1} << 30; // unlimited or unknown: keep 1 GiB free
    if (rlimit rl{}; ::getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
      limit = static_cast<std::uint64_t>(rl.rlim_cur);
    return std::clamp(limit, std::uint64_t{8} << 20, std::uint64_t{1} << 30) + (std::uint64_t{1} << 20);
  }

  // The lowest address user mappings may take (vm.mmap_min_addr, 64 KiB by default).
  static std::uint64_t mmap_min_addr() noexcept {
    std::uint64_t v = 65536;
    if (std::FILE* const f = std::fopen("/proc/sys/vm/mmap_min_addr", "r"); f != nullptr) {
      unsigned long long x = 0;
      if (std::fscanf(f, "%llu", &x) == 1) v = x;
      std::fclose(f);
    }
    return v;
  }

  std::uint64_t page_ = 4096;
  std::uint64_t in_use_ = 0;
  std::uint64_t peak_ = 0;
  std::size_t live_ = 0;
};

static_assert(allocator<host_mmap_allocator>);

} // namespace extload::inline v0
