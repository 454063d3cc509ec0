// loader/entry.hpp: the one place where an address becomes something callable or addressable.
// Loaded code lives at addresses the loader computed as integers; calling it needs a cast from
// integer to pointer, which only reinterpret_cast can express. It never touches image bytes
// (tools/check_sources.py allows reinterpret_cast only here and for firmware export addresses).
#pragma once

#include <cstdint>
#include <type_traits>

#include "extload/config.hpp"

namespace extload::inline v0 {

template <class Fn>
  requires std::is_function_v<Fn>
inline Fn* address_to_function(std::uint64_t address) noexcept {
  return reinterpret_cast<Fn*>(static_cast<std::uintptr_t>(address));
}

template <class T>
  requires(!std::is_function_v<T>)
inline T* address_to_object(std::uint64_t address) noexcept {
  return reinterpret_cast<T*>(static_cast<std::uintptr_t>(address));
}

// The address of a byte of loaded memory, as the integer the relocation math works with.
inline std::uint64_t address_of(void const* p) noexcept {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p));
}

} // namespace extload::inline v0
