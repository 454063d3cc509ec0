// registry/capacity.hpp: where a registry keeps its slots and the dependency relation between
// them. fixed_capacity<N> is for firmware: N slots in arrays inside the registry object, the
// dependencies an N x N bit matrix (one bit_set<N> row per slot), no heap. LLEXT limits each
// extension to LLEXT_MAX_DEPENDENCIES (8) providers and NuttX to CONFIG_LIBC_ELF_MAXDEPEND
// (default 2); here an extension may depend on every other slot. The growable host policy,
// dynamic_capacity, lives in registry/host_registry.hpp (it needs std::vector).
//
// A capacity policy C provides `C::storage<Slot>` modelling registry_storage: the registry asks
// it for a free slot index, occupies and vacates slots, reads slots in load order, and keeps one
// dependency set (the providers an extension links against) per slot.
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

#include "extload/config.hpp"
#include "extload/error.hpp"

namespace extload::inline v0 {

// A set of slot indices below N, as bits (constexpr; std::bitset is constexpr only from C++23).
template <std::size_t N>
class bit_set {
public:
  static constexpr std::size_t bits = N;

  // Inserts i; false if it was already there.
  constexpr bool insert(std::uint32_t i) noexcept {
    std::uint64_t const m = mask(i);
    bool const fresh = (words_[i / 64] & m) == 0;
    words_[i / 64] |= m;
    return fresh;
  }
  constexpr void erase(std::uint32_t i) noexcept { words_[i / 64] &= ~mask(i); }
  constexpr bool contains(std::uint32_t i) const noexcept { return i < N && (words_[i / 64] & mask(i)) != 0; }
  constexpr void clear() noexcept { words_ = {}; }
  constexpr std::size_t size() const noexcept {
    std::size_t n = 0;
    for (auto w : words_) n += static_cast<std::size_t>(std::popcount(w));
    return n;
  }
  constexpr bool empty() const noexcept { return size() == 0; }
  // Calls f(index) for each member, in increasing order.
  template <class F>
  constexpr void for_each(F&& f) const {
    for (std::size_t k = 0; k < words_.size(); ++k)
      for (std::uint64_t w = words_[k]; w != 0; w &= w - 1)
        f(static_cast<std::uint32_t>(k * 64 + static_cast<std::size_t>(std::countr_zero(w))));
  }
  constexpr bool operator==(bit_set const&) const noexcept = default;

private:
  static constexpr std::uint64_t mask(std::uint32_t i) noexcept { return std::uint64_t{1} << (i % 64); }
  std::array<std::uint64_t, (N + 63) / 64> words_{};
};

// A set of slot indices: what a registry calls on its dependency sets.
template <class D>
concept slot_set = std::default_initializable<D> && requires(D& d, D const& cd, std::uint32_t i) {
  { d.insert(i) } -> std::same_as<bool>;
  { d.erase(i) } -> std::same_as<void>;
  { cd.contains(i) } -> std::same_as<bool>;
  { d.clear() } -> std::same_as<void>;
  { cd.size() } -> std::convertible_to<std::size_t>;
  { cd.for_each([](std::uint32_t) {}) } -> std::same_as<void>;
};
static_assert(slot_set<bit_set<1>>);
static_assert(slot_set<bit_set<200>>);

// What a registry calls on its storage.
template <class S, class Slot>
concept registry_storage = std::default_initializable<S> && slot_set<typename S::dependency_set> &&
                           requires(S& s, S const& cs, std::uint32_t i) {
  { cs.capacity() } -> std::convertible_to<std::size_t>;  // most slots ever (SIZE_MAX: growable)
  { cs.size() } -> std::convertible_to<std::size_t>;      // occupied slots
  { cs.order() } -> std::same_as<std::span<std::uint32_t const>>; // occupied, in load order
  { s.slot(i) } -> std::same_as<Slot&>;
  { cs.slot(i) } -> std::same_as<Slot const&>;
  { s.dependencies(i) } -> std::same_as<typename S::dependency_set&>;
  { cs.dependencies(i) } -> std::same_as<typename S::dependency_set const&>;
  { s.free_slot() } -> std::same_as<result<std::uint32_t>>; // a vacant slot; not yet occupied
  { s.occupy(i) } -> std::same_as<void>;                     // appended to the load order
  { s.vacate(i) } -> std::same_as<void>;                     // slot and its dependency set reset
};

// A capacity policy: a template `storage<Slot>` modelling registry_storage for any slot type.
struct capacity_probe_slot {
  int value = 0;
};
template <class C>
concept registry_capacity = requires { typename C::template storage<capacity_probe_slot>; } &&
                            registry_storage<typename C::template storage<capacity_probe_slot>, capacity_probe_slot>;

// N slots, no heap: for firmware. Slot indices are 32-bit.
template <std::size_t N>
  requires(N > 0 && N < 0xffffffffu)
struct fixed_capacity {
  static constexpr std::size_t max_slots = N;

  template <class Slot>
  class storage {
  public:
    using dependency_set = bit_set<N>;

    constexpr std::size_t capacity() const noexcept { return N; }
    constexpr std::size_t size() const noexcept { return count_; }
    constexpr std::span<std::uint32_t const> order() const noexcept { return {order_.data(), count_}; }
    constexpr Slot& slot(std::uint32_t i) noexcept { return slots_[i]; }
    constexpr Slot const& slot(std::uint32_t i) const noexcept { return slots_[i]; }
    constexpr dependency_set& dependencies(std::uint32_t i) noexcept { return deps_[i]; }
    constexpr dependency_set const& dependencies(std::uint32_t i) const noexcept { return deps_[i]; }

    constexpr result<std::uint32_t> free_slot() noexcept {
      if (count_ < N)
        for (std::uint32_t i = 0; i < N; ++i)
          if (!occupied_[i]) return i;
      return diagnostic{errc::limit_exceeded}.with_value(static_cast<std::int64_t>(N));
    }
    constexpr void occupy(std::uint32_t i) noexcept {
      occupied_[i] = true;
      order_[count_++] = i;
    }
    constexpr void vacate(std::uint32_t i) noexcept {
      std::size_t k = 0;
      while (k < count_ && order_[k] != i) ++k;
      if (k == count_) return;
      for (; k + 1 < count_; ++k) order_[k] = order_[k + 1];
      --count_;
      occupied_[i] = false;
      slots_[i] = Slot{};
      deps_[i].clear();
    }

  private:
    std::array<Slot, N> slots_{};
    std::array<dependency_set, N> deps_{};
    std::array<std::uint32_t, N> order_{};
    std::array<bool, N> occupied_{};
    std::size_t count_ = 0;
  };
};
static_assert(registry_capacity<fixed_capacity<1>>);
static_assert(registry_capacity<fixed_capacity<64>>);

} // namespace extload::inline v0
