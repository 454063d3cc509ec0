// tests/support/counting_allocator.hpp: an allocator policy for tests that wraps another one
// (static_arena, host_mmap_allocator) and accounts for every allocation the loader makes:
// calls, live blocks and live bytes, peak, and releases of blocks it never handed out (double
// frees, wrong sizes). It can be told to fail the N-th allocation call, so a test can walk a
// load through every allocation point in turn and prove that each failure unwinds completely
// (MALFORMED.md b.6: "after every failed load, live allocations must be 0").
//
//   counting_allocator<static_arena<64 * 1024>> alloc;
//   alloc.fail_at(3);                 // the third allocate()/allocate_metadata() call fails
//   auto r = ld.load(image);          // -> errc::out_of_memory
//   CHECK(alloc.live_blocks() == 0);
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "extload/error.hpp"
#include "extload/policy/concepts.hpp"

namespace extload::inline v0::test {

template <allocator Inner, std::size_t MaxLive = 64>
class counting_allocator {
public:
  counting_allocator() noexcept = default;
  counting_allocator(counting_allocator const&) = delete; // Inner may hold the storage itself
  counting_allocator& operator=(counting_allocator const&) = delete;

  // --- the allocator policy ---------------------------------------------------------------
  result<region_block> allocate(region_request const& r, placement const& w) noexcept {
    if (should_fail()) return diagnostic{errc::out_of_memory};
    auto b = inner_.allocate(r, w);
    if (b && b->total != 0) track(kind::regions, b->handle, b->total);
    return b;
  }
  errc seal(region_block& b) noexcept {
    if (fail_seal_) return errc::out_of_memory;
    return inner_.seal(b);
  }
  void sync_caches(region_block& b) noexcept { inner_.sync_caches(b); }
  void release(region_block& b) noexcept {
    if (b.total != 0) untrack(kind::regions, b.handle, b.total);
    inner_.release(b);
  }
  std::byte* allocate_metadata(std::size_t n, std::size_t align) noexcept {
    if (should_fail()) return nullptr;
    std::byte* p = inner_.allocate_metadata(n, align);
    if (p != nullptr) track(kind::metadata, key_of(p), n);
    return p;
  }
  void free_metadata(std::byte* p, std::size_t n) noexcept {
    if (p != nullptr) untrack(kind::metadata, key_of(p), n);
    inner_.free_metadata(p, n);
  }

  // --- fault injection ----------------------------------------------------------------------
  // Fail the n-th allocation call from now on (1-based; 0 = never). Each allocate() and
  // allocate_metadata() call is one allocation point, whatever its size.
  void fail_at(std::uint64_t n) noexcept { fail_at_ = n == 0 ? 0 : calls_ + n; }
  // Make seal() fail (W^X could not be applied), to exercise the last unwinding path.
  void fail_seal(bool on) noexcept { fail_seal_ = on; }

  // --- accounting ------------------------------------------------------------------------------
  std::uint64_t calls() const noexcept { return calls_; }             // allocation calls, ever
  std::uint64_t failed_calls() const noexcept { return injected_; }   // ... of which failed on purpose
  std::size_t live_blocks() const noexcept { return live_; }          // regions + metadata blocks
  std::uint64_t live_bytes() const noexcept { return live_bytes_; }
  std::uint64_t peak_bytes() const noexcept { return peak_bytes_; }
  std::uint64_t bad_releases() const noexcept { return bad_releases_; } // unknown block or wrong size
  bool table_overflow() const noexcept { return overflow_; }
  // Forget the call count (not the live blocks): "how many calls did this load make".
  void reset_calls() noexcept { calls_ = 0; injected_ = 0; fail_at_ = 0; }

  Inner& inner() noexcept { return inner_; }
  Inner const& inner() const noexcept { return inner_; }

private:
  enum class kind : std::uint8_t { none, regions, metadata };
  struct entry {
    kind k = kind::none;
    std::uintptr_t key = 0;
    std::uint64_t bytes = 0;
  };

  // The metadata pointer as a number, for bookkeeping only (never dereferenced through it).
  static std::uintptr_t key_of(std::byte* p) noexcept {
    return std::bit_cast<std::uintptr_t>(static_cast<void*>(p));
  }

  bool should_fail() noexcept {
    ++calls_;
    if (fail_at_ != 0 && calls_ == fail_at_) {
      ++injected_;
      return true;
    }
    return false;
  }
  void track(kind k, std::uintptr_t key, std::uint64_t bytes) noexcept {
    for (auto& e : live_table_) {
      if (e.k != kind::none) continue;
      e = {k, key, bytes};
      ++live_;
      live_bytes_ += bytes;
      if (live_bytes_ > peak_bytes_) peak_bytes_ = live_bytes_;
      return;
    }
    overflow_ = true;
  }
  void untrack(kind k, std::uintptr_t key, std::uint64_t bytes) noexcept {
    for (auto& e : live_table_) {
      if (e.k != k || e.key != key) continue;
      // Metadata is freed with the size it was allocated with (the policy's contract).
      if (k == kind::metadata && e.bytes != bytes) ++bad_releases_;
      live_bytes_ -= e.bytes;
      --live_;
      e = {};
      return;
    }
    ++bad_releases_;
  }

  Inner inner_{};
  std::array<entry, MaxLive> live_table_{};
  std::uint64_t calls_ = 0, injected_ = 0, fail_at_ = 0;
  std::size_t live_ = 0;
  std::uint64_t live_bytes_ = 0, peak_bytes_ = 0, bad_releases_ = 0;
  bool overflow_ = false, fail_seal_ = false;
};

} // namespace extload::inline v0::test
