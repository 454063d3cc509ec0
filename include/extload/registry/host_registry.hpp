// registry/host_registry.hpp: the host side of the registry policies: std_mutex_lock (a
// std::mutex; firmware toolchains may have no <mutex>) and dynamic_capacity (slots and dependency
// lists in std::vector, growing as extensions are loaded), plus host_registry<Loader>, the usual
// host combination. Host-only (heap, threads), hence the host_ prefix: extload.hpp leaves it out.
//
// Allocation failure inside std::vector throws std::bad_alloc; the registry's operations are
// noexcept, so on a host that runs out of memory there the process terminates (as a host program
// built with -fno-exceptions would). Firmware uses fixed_capacity, which never allocates.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <span>
#include <vector>

#include "extload/registry/capacity.hpp"
#include "extload/registry/lock.hpp"
#include "extload/registry/registry.hpp"

namespace extload::inline v0 {

// A registry shared between threads on a host.
class std_mutex_lock {
public:
  void lock() { mutex_.lock(); }
  void unlock() { mutex_.unlock(); }

private:
  std::mutex mutex_;
};
static_assert(lock_policy<std_mutex_lock>);

// A set of slot indices as a sorted vector: as many providers as there are extensions.
class index_set {
public:
  bool insert(std::uint32_t i) {
    auto const it = std::lower_bound(items_.begin(), items_.end(), i);
    if (it != items_.end() && *it == i) return false;
    items_.insert(it, i);
    return true;
  }
  void erase(std::uint32_t i) {
    auto const it = std::lower_bound(items_.begin(), items_.end(), i);
    if (it != items_.end() && *it == i) items_.erase(it);
  }
  bool contains(std::uint32_t i) const { return std::binary_search(items_.begin(), items_.end(), i); }
  void clear() { items_.clear(); }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  template <class F>
  void for_each(F&& f) const {
    for (std::uint32_t const i : items_) f(i);
  }
  bool operator==(index_set const&) const = default;

private:
  std::vector<std::uint32_t> items_;
};
static_assert(slot_set<index_set>);

// Slots in a vector that grows by one whenever every slot is occupied; vacated slots are reused.
// Slot indices stay stable (slots are never erased), so dependency sets can hold them.
struct dynamic_capacity {
  template <class Slot>
  class storage {
  public:
    using dependency_set = index_set;

    std::size_t capacity() const noexcept { return std::numeric_limits<std::size_t>::max(); }
    std::size_t size() const noexcept { return order_.size(); }
    std::span<std::uint32_t const> order() const noexcept { return {order_.data(), order_.size()}; }
    Slot& slot(std::uint32_t i) noexcept { return entries_[i].slot; }
    Slot const& slot(std::uint32_t i) const noexcept { return entries_[i].slot; }
    dependency_set& dependencies(std::uint32_t i) noexcept { return entries_[i].deps; }
    dependency_set const& dependencies(std::uint32_t i) const noexcept { return entries_[i].deps; }

    result<std::uint32_t> free_slot() {
      for (std::size_t i = 0; i < entries_.size(); ++i)
        if (!entries_[i].occupied) return static_cast<std::uint32_t>(i);
      if (entries_.size() >= std::numeric_limits<std::uint32_t>::max())
        return diagnostic{errc::limit_exceeded}.with_value(static_cast<std::int64_t>(entries_.size()));
      entries_.emplace_back();
      return static_cast<std::uint32_t>(entries_.size() - 1);
    }
    void occupy(std::uint32_t i) {
      entries_[i].occupied = true;
      order_.push_back(i);
    }
    void vacate(std::uint32_t i) {
      auto const it = std::find(order_.begin(), order_.end(), i);
      if (it == order_.end()) return;
      order_.erase(it);
      entries_[i] = entry{};
    }

  private:
    struct entry {
      Slot slot{};
      dependency_set deps{};
      bool occupied = false;
    };
    std::vector<entry> entries_;
    std::vector<std::uint32_t> order_;
  };
};
static_assert(registry_capacity<dynamic_capacity>);

// The host default: shared between threads, as many extensions as memory allows.
template <class Loader, std::size_t MaxName = 31>
using host_registry = registry<Loader, std_mutex_lock, dynamic_capacity, MaxName>;

} // namespace extload::inline v0
