// config.hpp: compiler detection only (attributes, builtins). Never a behaviour switch.
//
// The library needs nothing but these C++20 standard headers on a firmware target:
// <array> <span> <bit> <concepts> <type_traits> <cstdint> <cstddef> <utility> <algorithm>
// <string_view> <limits>. Host-only facilities (mmap, dlsym) live in headers named host_*.
#pragma once

#include "extload/version.hpp"

#if defined(__GNUC__) || defined(__clang__)
#define EXTLOAD_ALWAYS_INLINE [[gnu::always_inline]] inline
#define EXTLOAD_ALWAYS_INLINE_LAMBDA __attribute__((always_inline)) // after a lambda's parameter list
#define EXTLOAD_NOINLINE [[gnu::noinline]]
#define EXTLOAD_LIKELY(x) __builtin_expect(!!(x), 1)
#define EXTLOAD_UNLIKELY(x) __builtin_expect(!!(x), 0)
#endif

// A byte loop that must stay a loop: GCC turns copy loops into memcpy calls, which a small
// firmware may not otherwise link (tiny/thumb_loader.hpp; tools/footprint.sh counts the bytes).
#if defined(__GNUC__) && !defined(__clang__)
#define EXTLOAD_KEEP_LOOPS [[gnu::optimize("no-tree-loop-distribute-patterns")]]
#else
#define EXTLOAD_KEEP_LOOPS
#endif

#if !(defined(__GNUC__) || defined(__clang__))
#define EXTLOAD_ALWAYS_INLINE inline
#define EXTLOAD_ALWAYS_INLINE_LAMBDA
#define EXTLOAD_NOINLINE
#define EXTLOAD_LIKELY(x) (x)
#define EXTLOAD_UNLIKELY(x) (x)
#endif
