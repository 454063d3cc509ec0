// alloc/prelink.hpp: prelink_allocator, for linking an extension for another machine or another
// address: the regions are written into a caller's buffer but get the addresses they will have
// on the target (load_address + offset), so the result is an image ready to copy there. This is
// how a host links ARM or RISC-V objects for a fixed flash/RAM address, and how the tests compare
// extload's output byte for byte with GNU ld's for the same layout.
//
// Layout: text | rodata | data | bss, each aligned to its own alignment relative to the target
// address (and to `region_align`, e.g. an MPU granule). Every region may also be pinned to an
// explicit target address (set_region_address) to reproduce a given linker script. Metadata
// (the extension record, scratch arrays) comes from the caller's metadata span when given,
// otherwise from operator new: a prelink runs on a host.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>

#include "extload/bytes.hpp"
#include "extload/policy/concepts.hpp"

namespace extload::inline v0 {

class prelink_allocator {
public:
  prelink_allocator(std::span<std::byte> buffer, std::uint64_t load_address, std::uint64_t region_align = 1) noexcept
      : buffer_(buffer), load_address_(load_address), region_align_(region_align == 0 ? 1 : region_align) {}

  // Put region `r` at exactly `address` (must keep the regions in order and inside the buffer).
  void set_region_address(region r, std::uint64_t address) noexcept {
    pinned_[static_cast<std::size_t>(r)] = address;
    is_pinned_[static_cast<std::size_t>(r)] = true;
  }

  result<region_block> allocate(region_request const& req, placement const& w) noexcept {
    if (in_use_) return diagnostic{errc::out_of_memory, field::none}.with_name("prelink buffer holds one extension");
    region_block b{};
    std::uint64_t cursor = load_address_;
    for (std::size_t i = 0; i < region_count; ++i) {
      std::uint64_t a = req.align[i] == 0 ? 1 : req.align[i];
      if (a < region_align_) a = region_align_;
      std::uint64_t at = is_pinned_[i] ? pinned_[i] : (cursor + a - 1) & ~(a - 1);
      if (is_pinned_[i] && (at & (a - 1)) != 0)
        return diagnostic{errc::misaligned_relocation, field::sh_addralign, static_cast<std::int64_t>(at)}
            .with_range(0, static_cast<std::int64_t>(a)).with_name(to_string(static_cast<region>(i)));
      if (at < load_address_ || at - load_address_ > buffer_.size() || buffer_.size() - (at - load_address_) < req.size[i])
        return diagnostic{errc::out_of_memory, field::sh_size, static_cast<std::int64_t>(req.size[i])}
            .with_range(0, static_cast<std::int64_t>(buffer_.size())).with_name(to_string(static_cast<region>(i)));
      if (req.size[i] != 0 && (at < w.lo || at + req.size[i] - 1 > w.hi))
        return diagnostic{errc::out_of_reach, field::none, static_cast<std::int64_t>(at)}
            .with_range(static_cast<std::int64_t>(w.lo), static_cast<std::int64_t>(w.hi));
      b.size[i] = req.size[i];
      b.address[i] = req.size[i] != 0 ? at : 0;
      b.base[i] = req.size[i] != 0 ? buffer_.data() + (at - load_address_) : nullptr;
      if (req.size[i] != 0) {
        cursor = at + req.size[i];
        if (cursor - load_address_ > used_) used_ = cursor - load_address_;
      }
    }
    b.total = used_;
    in_use_ = true;
    return b;
  }
  errc seal(region_block&) noexcept { return errc::ok; }
  void sync_caches(region_block&) noexcept {}
  void release(region_block& b) noexcept {
    if (b.total != 0 || in_use_) in_use_ = false;
    b = region_block{};
  }

  // Metadata blocks always use max_align_t alignment, so free_metadata (which is not told the
  // alignment) can release them with the matching aligned delete.
  std::byte* allocate_metadata(std::size_t n, std::size_t align) noexcept {
    if (align > alignof(std::max_align_t)) return nullptr;
    return static_cast<std::byte*>(::operator new(n, std::align_val_t{alignof(std::max_align_t)}, std::nothrow));
  }
  void free_metadata(std::byte* p, std::size_t) noexcept {
    ::operator delete(p, std::align_val_t{alignof(std::max_align_t)});
  }

  std::uint64_t load_address() const noexcept { return load_address_; }
  std::uint64_t bytes_used() const noexcept { return used_; } // span of the linked image
  std::span<std::byte const> image() const noexcept { return buffer_.first(static_cast<std::size_t>(used_)); }

private:
  std::span<std::byte> buffer_;
  std::uint64_t load_address_;
  std::uint64_t region_align_;
  std::uint64_t pinned_[region_count] = {};
  bool is_pinned_[region_count] = {};
  std::uint64_t used_ = 0;
  bool in_use_ = false;
};
static_assert(allocator<prelink_allocator>);

} // namespace extload::inline v0
