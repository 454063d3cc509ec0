// registry/registry.hpp: the loaded extensions of one firmware, by name, with use counts and the
// dependencies between them: LLEXT's llext_load / llext_by_name / llext_iterate / llext_unload
// (subsys/llext/llext.c) and its dependency tracking (llext_link.c), with no global state. The
// registry is an object the firmware owns, parameterised by
//   * Loader:   the loader<Format, Arch, Alloc, Exports> it loads with (held by reference);
//   * Lock:     no_lock (single-threaded firmware) or std_mutex_lock (host_registry.hpp);
//   * Capacity: fixed_capacity<N> (N slots, no heap) or dynamic_capacity (host_registry.hpp);
//   * MaxName:  the size of each slot's name buffer (LLEXT: LLEXT_MAX_NAME_LEN = 15).
//
// Linking between extensions: undefined symbols resolve against the firmware export table (the
// loader does that), then against the exports of the extensions already in this registry (in
// load order), then against the caller's load_options::fallback. Every extension that provides
// a symbol becomes a dependency of the new one and gains one use; a provider cannot drop its
// last user reference while a dependent is loaded (unload returns errc::busy and changes
// nothing), and freeing a dependent releases its providers. Dependencies only point at
// extensions loaded earlier, so there are no cycles and unloading in reverse load order always
// succeeds.
//
// A failed load leaves the registry and every loaded extension exactly as they were: the
// providers found while linking are collected on the side and recorded only once the loader has
// succeeded (the loader itself frees everything of a failed load).
//
// Threads: every operation holds the lock for its whole duration, including the load (as
// llext_load holds llext_lock) and the tear-down of an extension being freed, so the loader and
// its allocator are only ever used under the lock. Callbacks given to iterate() and
// for_each_dependency() run under the lock and must not call back into the registry. An
// extension* returned by load()/find() stays valid until the matching unload(); as with
// llext_by_name, keeping it valid against a concurrent unload is the caller's business.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "extload/byte_string.hpp"
#include "extload/error.hpp"
#include "extload/loader/extension.hpp"
#include "extload/loader/link.hpp"
#include "extload/policy/concepts.hpp"
#include "extload/registry/capacity.hpp"
#include "extload/registry/lock.hpp"

namespace extload::inline v0 {

// What a registry calls on its loader (loader<...> models it).
template <class L>
concept extension_loader = requires(L& l, std::span<std::span<std::byte const> const> objects,
                                    load_options const& opt, typename L::report_type* report, extension* ext) {
  { l.load(objects, opt, report) } -> std::same_as<result<extension*>>;
  { l.unload(ext) } -> std::same_as<void>;
};

// One slot: an extension under a name. use_count() is what LLEXT calls use_count: the loads
// under this name not yet unloaded (refs) plus the extensions that link against it.
template <std::size_t MaxName>
struct registry_slot {
  extension* ext = nullptr;
  std::uint32_t refs = 0;
  std::uint32_t dependents = 0;
  std::uint32_t name_size = 0;
  std::array<char, MaxName + 1> name{}; // NUL-terminated, for C shims

  constexpr std::string_view name_view() const noexcept { return {name.data(), name_size}; }
  constexpr std::uint32_t use_count() const noexcept { return refs + dependents; }
};

template <class Loader, lock_policy Lock = no_lock, registry_capacity Capacity = fixed_capacity<8>,
          std::size_t MaxName = 31>
  requires extension_loader<Loader> && (MaxName > 0 && MaxName < 0xffffu)
class registry {
public:
  using loader_type = Loader;
  using lock_type = Lock;
  using capacity_type = Capacity;
  using slot_type = registry_slot<MaxName>;
  using storage_type = typename Capacity::template storage<slot_type>;
  using dependency_set = typename storage_type::dependency_set;
  using report_type = typename Loader::report_type;
  static constexpr std::size_t max_name = MaxName;
  static_assert(registry_storage<storage_type, slot_type>);

  explicit registry(Loader& ld) noexcept : loader_(&ld) {}
  registry(registry const&) = delete;
  registry& operator=(registry const&) = delete;
  // Frees whatever is still loaded, dependents first.
  ~registry() { unload_all(); }

  // llext_load: load `objects` (linked together into one extension) under `name`. If the name is
  // already loaded, its use count goes up and the loaded extension is returned; the objects are
  // not looked at. Errors: errc::limit_exceeded for an empty name, a name longer than MaxName
  // (value = its length, range = [1, MaxName]) or a full registry (value = capacity); otherwise
  // the loader's diagnostic.
  result<extension*> load(std::string_view name, std::span<std::span<std::byte const> const> objects,
                          load_options const& opt = {}, report_type* report = nullptr) noexcept {
    if (name.empty() || name.size() > MaxName)
      return diagnostic{errc::limit_exceeded}
          .with_name(name)
          .with_value(static_cast<std::int64_t>(name.size()))
          .with_range(1, static_cast<std::int64_t>(MaxName));
    lock_scope<Lock> guard{lock_};
    if (std::uint32_t const i = slot_of(name); i != none) {
      slot_type& s = slots_.slot(i);
      if (s.use_count() == std::numeric_limits<std::uint32_t>::max())
        return diagnostic{errc::limit_exceeded}.with_name(name).with_value(s.use_count());
      ++s.refs;
      return s.ext;
    }
    result<std::uint32_t> const free = slots_.free_slot();
    if (!free) {
      diagnostic d = free.error();
      return d.with_name(name);
    }

    link_context ctx{this, dependency_set{}, opt.fallback};
    load_options o = opt;
    o.fallback = resolver{&resolve_in_extensions, &ctx};
    result<extension*> const r = loader_->load(objects, o, report);
    if (!r) return r.error();

    // Commit: nothing above changed the registry.
    std::uint32_t const i = *free;
    slot_type& s = slots_.slot(i);
    s.ext = *r;
    s.refs = 1;
    s.dependents = 0;
    s.name_size = static_cast<std::uint32_t>(name.size());
    for (std::size_t k = 0; k < name.size(); ++k) s.name[k] = name[k];
    s.name[name.size()] = '\0';
    ctx.providers.for_each([this](std::uint32_t p) { ++slots_.slot(p).dependents; });
    slots_.dependencies(i) = std::move(ctx.providers);
    slots_.occupy(i);
    return *r;
  }
  result<extension*> load(std::string_view name, std::span<std::byte const> object, load_options const& opt = {},
                          report_type* report = nullptr) noexcept {
    std::span<std::byte const> const one[1] = {object};
    return load(name, std::span<std::span<std::byte const> const>(one), opt, report);
  }

  // llext_unload: drop one use of `name`. Returns the remaining use count; at 0 the extension
  // was torn down (if it had been brought up), freed, and its providers released. Errors:
  // errc::not_found; errc::busy (value = number of dependents) when this would drop the last
  // user reference while other extensions link against it, in which case nothing changes.
  result<std::uint32_t> unload(std::string_view name) noexcept {
    lock_scope<Lock> guard{lock_};
    std::uint32_t const i = slot_of(name);
    if (i == none) return diagnostic{errc::not_found}.with_name(name);
    return unload_slot(i);
  }
  result<std::uint32_t> unload(extension const* ext) noexcept {
    lock_scope<Lock> guard{lock_};
    std::uint32_t const i = slot_of(ext);
    if (i == none) return errc::not_found;
    return unload_slot(i);
  }

  // Frees every extension whatever its use count, in reverse load order (dependents first).
  void unload_all() noexcept {
    lock_scope<Lock> guard{lock_};
    while (slots_.size() != 0) release(slots_.order().back());
  }

  // llext_by_name: the extension loaded under `name`, or nullptr.
  extension* find(std::string_view name) const noexcept {
    lock_scope<Lock> guard{lock_};
    std::uint32_t const i = slot_of(name);
    return i == none ? nullptr : slots_.slot(i).ext;
  }

  // llext_iterate: calls f(name, ext) (or f(ext)) for each extension in load order; stops at the
  // first non-zero result and returns it; 0 if every call returned 0.
  template <class F>
    requires std::is_invocable_r_v<int, F&, std::string_view, extension&> ||
             std::is_invocable_r_v<int, F&, extension&>
  int iterate(F&& f) const {
    lock_scope<Lock> guard{lock_};
    for (std::uint32_t const i : slots_.order()) {
      slot_type const& s = slots_.slot(i);
      int r = 0;
      if constexpr (std::is_invocable_r_v<int, F&, std::string_view, extension&>) r = f(s.name_view(), *s.ext);
      else r = f(*s.ext);
      if (r != 0) return r;
    }
    return 0;
  }

  // The extensions `name` links against, in slot order: f(provider name, provider) as iterate().
  // errc-free: returns 0 when `name` is not loaded.
  template <class F>
    requires std::is_invocable_r_v<int, F&, std::string_view, extension&>
  int for_each_dependency(std::string_view name, F&& f) const {
    lock_scope<Lock> guard{lock_};
    std::uint32_t const i = slot_of(name);
    if (i == none) return 0;
    int r = 0;
    slots_.dependencies(i).for_each([&](std::uint32_t p) {
      if (r == 0) r = f(slots_.slot(p).name_view(), *slots_.slot(p).ext);
    });
    return r;
  }

  // Loads not yet unloaded plus dependents; 0 if `name` is not loaded.
  std::uint32_t use_count(std::string_view name) const noexcept {
    lock_scope<Lock> guard{lock_};
    std::uint32_t const i = slot_of(name);
    return i == none ? 0 : slots_.slot(i).use_count();
  }
  // How many loaded extensions link against `name`.
  std::uint32_t dependents(std::string_view name) const noexcept {
    lock_scope<Lock> guard{lock_};
    std::uint32_t const i = slot_of(name);
    return i == none ? 0 : slots_.slot(i).dependents;
  }
  // Does `dependent` link against `provider` (directly)?
  bool depends_on(std::string_view dependent, std::string_view provider) const noexcept {
    lock_scope<Lock> guard{lock_};
    std::uint32_t const d = slot_of(dependent), p = slot_of(provider);
    return d != none && p != none && slots_.dependencies(d).contains(p);
  }

  // A symbol exported by any loaded extension (the first in load order), as the linker sees it.
  found_symbol find_symbol(std::string_view symbol) const noexcept {
    lock_scope<Lock> guard{lock_};
    for (std::uint32_t const i : slots_.order())
      if (found_symbol const f = slots_.slot(i).ext->find(symbol)) return f;
    return {};
  }

  std::size_t size() const noexcept {
    lock_scope<Lock> guard{lock_};
    return slots_.size();
  }
  bool empty() const noexcept { return size() == 0; }
  std::size_t capacity() const noexcept {
    lock_scope<Lock> guard{lock_};
    return slots_.capacity();
  }
  Loader& loader() const noexcept { return *loader_; }

private:
  static constexpr std::uint32_t none = 0xffffffffu;

  // The side state of one load: providers found so far, and the caller's own fallback.
  struct link_context {
    registry* self;
    dependency_set providers;
    resolver next;
  };

  // load_options::fallback during a load: the loaded extensions' exports in load order, then the
  // caller's resolver. Runs inside loader::load, under the lock.
  static found_symbol resolve_in_extensions(void* context, byte_string name) {
    auto& ctx = *static_cast<link_context*>(context);
    for (std::uint32_t const i : ctx.self->slots_.order()) {
      if (found_symbol const f = ctx.self->slots_.slot(i).ext->find(name)) {
        ctx.providers.insert(i);
        return f;
      }
    }
    return ctx.next(name);
  }

  std::uint32_t slot_of(std::string_view name) const noexcept {
    for (std::uint32_t const i : slots_.order())
      if (slots_.slot(i).name_view() == name) return i;
    return none;
  }
  std::uint32_t slot_of(extension const* ext) const noexcept {
    for (std::uint32_t const i : slots_.order())
      if (slots_.slot(i).ext == ext) return i;
    return none;
  }

  result<std::uint32_t> unload_slot(std::uint32_t i) noexcept {
    slot_type& s = slots_.slot(i);
    if (s.refs == 1 && s.dependents != 0)
      return diagnostic{errc::busy}.with_name(s.name_view()).with_value(s.dependents);
    --s.refs;
    if (s.refs != 0) return s.use_count();
    release(i);
    return std::uint32_t{0};
  }

  // Free slot i: release its providers, vacate the slot, then tear down and unload.
  void release(std::uint32_t i) noexcept {
    extension* const ext = slots_.slot(i).ext;
    slots_.dependencies(i).for_each([this](std::uint32_t p) { --slots_.slot(p).dependents; });
    slots_.vacate(i);
    ext->tear_down();
    loader_->unload(ext);
  }

  Loader* loader_;
  mutable Lock lock_{};
  storage_type slots_{};
};

} // namespace extload::inline v0
