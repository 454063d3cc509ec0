// tests/support/many_exports.hpp: a large compile-time export table for benchmarks (not for the
// unit tests: it is slow to compile). many_exports<Bytes, N> holds N exports named "fw_fn_0" ..
// "fw_fn_<N-1>", bound round-robin to four real functions, built by the same
// make_export_table<Bytes>() a firmware uses. Each name is a fixed_string generated at compile
// time, so each SLID is its own constant evaluation (slid_v); the builder's sorts and checks run in
// one evaluation, which is what needs clang's step limit raised for N = 2000.
//
// Flags for N = 2000 (measured on this machine, g++ 12.2 and clang 16.0.6, -Wall -Wextra
// -Wpedantic -Werror, one TU that uses many_exports<4> or many_exports<8>):
//   g++:     no flag needed (the default -fconstexpr-ops-limit=33554432 holds, because each SLID is
//            a separate evaluation); about 27 s and 1.2 GB RSS.
//   clang++: -fconstexpr-steps=4000000 (the default 1048576 is too low for the builder's name sort;
//            2000000 fails, 3000000 passes); about 23 s and 220 MB RSS.
// Keep such a table in a single TU (bench/), never in the unit tests.
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>

#include "extload/symbols/export_table.hpp"
#include "extload/symbols/fixed_string.hpp"

namespace extload_test {

inline constexpr std::size_t many_exports_default_count = 2000;

// The functions the generated names are bound to (distinct bodies, distinct addresses).
template <std::size_t K>
int many_exports_target(int x) noexcept { return x * 4 + static_cast<int>(K); }
inline constexpr std::size_t many_exports_target_count = 4;

// "fw_fn_<I>" as a template argument.
template <std::size_t I>
inline constexpr auto many_exports_name = extload::fixed_string{"fw_fn_"} + extload::decimal_fixed_string<I>();

template <std::size_t Bytes, std::size_t... I>
consteval auto make_many_exports(std::index_sequence<I...>) {
  return extload::make_export_table<Bytes>(
      extload::export_function<many_exports_name<I>, &many_exports_target<I % many_exports_target_count>>...);
}

// The table; e.g. many_exports<4> for an ELF32 target with 2000 exports.
template <std::size_t Bytes, std::size_t N = many_exports_default_count>
inline constexpr auto many_exports = make_many_exports<Bytes>(std::make_index_sequence<N>{});

} // namespace extload_test
