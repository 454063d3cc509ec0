// tiny/stack_arena.hpp: the allocator policy of the tiny loader (tiny/thumb_loader.hpp), and its
// model for firmware: a fixed byte array carved from the bottom up, like a stack.
//
// Why a second, smaller allocator: static_arena (alloc/static_arena.hpp) places four regions
// per extension first-fit and frees in any order, which costs ~2.3 KB of Cortex-M code. The
// tiny loader asks for one block per extension (and one scratch block it gives back before the
// load returns), so a bump pointer serves it. Blocks may be freed in any order; the memory of a
// freed block is reused once every block above it is freed too (unload in reverse load order
// to get it back at once). A firmware that unloads out of order and needs the bytes at once
// plugs in its own block_allocator (a wrapper around its heap, for example).
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace extload::inline v0::tiny {

// What the tiny loader calls. allocate() returns `bytes` bytes whose *address* (as the loaded
// code sees it: address()) is a multiple of `alignment` (a power of two), or nullptr;
// deallocate() takes back a block allocate() gave; address() is the link-time address of a byte
// of a block (the byte's own address in a running firmware, another one when a host links an
// image for a target, as tests do).
template <class A>
concept block_allocator = requires(A& a, A const& c, std::size_t n, std::byte* p) {
  { a.allocate(n, n) } -> std::same_as<std::byte*>;
  { a.deallocate(p, n) } -> std::same_as<void>;
  { c.address(p) } -> std::same_as<std::uint64_t>;
};

// Bytes: capacity. MaxBlocks: blocks alive at once (each loaded extension holds one; a load
// holds a second for the time of the load). LinkOrigin: 0 in a firmware (addresses are the
// storage's own; in constant evaluation, where there is no address, storage counts as starting
// at 0); otherwise the address the storage's first byte is linked at (a host preparing an
// image for a target, and the tests).
template <std::size_t Bytes, std::size_t MaxBlocks = 8, std::uint32_t LinkOrigin = 0>
class stack_arena {
  static_assert(Bytes > 0 && Bytes <= 0x7fff'ffffu, "stack_arena: 1 byte to 2 GiB");
  static_assert(MaxBlocks >= 2 && MaxBlocks <= 255, "stack_arena: 2 to 255 blocks");

public:
  static constexpr std::size_t capacity = Bytes;
  // Whether address() is the byte's own address (a firmware), not a link address chosen for it.
  static constexpr bool native_addresses = LinkOrigin == 0;

  constexpr std::byte* allocate(std::size_t bytes, std::size_t alignment) noexcept {
    if (count_ == MaxBlocks || alignment == 0 || (alignment & (alignment - 1)) != 0) return nullptr; // a power of two
    std::uint64_t const pad = (0 - address(storage_ + top_)) & (alignment - 1);
    if (pad > Bytes - top_ || bytes > Bytes - top_ - pad) return nullptr;
    auto const at = static_cast<std::uint32_t>(top_ + pad);
    blocks_[count_++] = {top_, at};
    top_ = at + static_cast<std::uint32_t>(bytes);
    if (top_ > high_water_) high_water_ = top_;
    return storage_ + at;
  }

  constexpr void deallocate(std::byte* p, std::size_t) noexcept {
    for (std::size_t k = count_; k-- > 0;)
      if ((blocks_[k].at & freed) == 0 && storage_ + blocks_[k].at == p) {
        blocks_[k].at |= freed;
        break;
      }
    while (count_ > 0 && (blocks_[count_ - 1].at & freed) != 0) top_ = blocks_[--count_].from;
  }

  constexpr std::uint64_t address(std::byte const* p) const noexcept {
    auto const offset = static_cast<std::uint64_t>(p - storage_);
    if constexpr (LinkOrigin != 0) {
      return LinkOrigin + offset;
    } else {
      if (std::is_constant_evaluated()) return offset;
      // bit_cast, not reinterpret_cast (STYLE.md R9 keeps that to loader/entry.hpp).
      return static_cast<std::uint64_t>(std::bit_cast<std::uintptr_t>(static_cast<void const*>(p)));
    }
  }

  // Bytes between the bottom and the top of the stack (freed blocks below a live one count).
  constexpr std::size_t bytes_in_use() const noexcept { return top_; }
  // The highest top ever: the capacity that would have sufficed for this run.
  constexpr std::size_t high_water() const noexcept { return high_water_; }
  // Live blocks (freed ones under a live block included); 0 after everything is freed.
  constexpr std::size_t blocks() const noexcept { return count_; }
  constexpr std::byte const* data() const noexcept { return storage_; }

private:
  static constexpr std::uint32_t freed = 0x8000'0000u; // in block::at (offsets are below 2 GiB)
  struct block {
    std::uint32_t from = 0; // top before the block (its padding starts there)
    std::uint32_t at = 0;   // offset of its first byte; | freed once given back
  };
  alignas(8) std::byte storage_[Bytes] = {};
  block blocks_[MaxBlocks] = {};
  std::uint32_t top_ = 0, high_water_ = 0;
  std::size_t count_ = 0;
};

static_assert(block_allocator<stack_arena<64>>);

} // namespace extload::inline v0::tiny
