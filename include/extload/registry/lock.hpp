// registry/lock.hpp: the lock policy of a registry. LLEXT serialises its global extension list
// with one k_mutex (llext_lock, subsys/llext/llext.c); here the lock is a member of each registry
// object, chosen at compile time: no_lock for single-threaded firmware (no code at all), and
// std_mutex_lock on a host (registry/host_registry.hpp, since <mutex> needs an OS).
#pragma once

#include <concepts>

#include "extload/config.hpp"

namespace extload::inline v0 {

// What a registry calls: lock() before touching its slots, unlock() after. Not recursive:
// callbacks run under the lock must not call back into the registry.
template <class L>
concept lock_policy = std::default_initializable<L> && requires(L& l) {
  { l.lock() } -> std::same_as<void>;
  { l.unlock() } -> std::same_as<void>;
};

// Single-threaded firmware (or a caller that serialises every registry call itself).
struct no_lock {
  constexpr void lock() noexcept {}
  constexpr void unlock() noexcept {}
};
static_assert(lock_policy<no_lock>);

// Holds a lock for one scope.
template <lock_policy Lock>
class lock_scope {
public:
  explicit lock_scope(Lock& l) noexcept : lock_(l) { lock_.lock(); }
  ~lock_scope() { lock_.unlock(); }
  lock_scope(lock_scope const&) = delete;
  lock_scope& operator=(lock_scope const&) = delete;

private:
  Lock& lock_;
};

} // namespace extload::inline v0
