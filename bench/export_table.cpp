// bench/export_table.cpp: the benchmarks' firmware export table, tests/support/many_exports.hpp's
// 2,000 functions fw_fn_0 .. fw_fn_1999 built by make_export_table<8>() at compile time. It is
// the only translation unit that instantiates the table: g++ 12 needs about 27 s and 1.2 GB for
// it, clang++-16 needs -fconstexpr-steps=4000000 (bench/meson.build passes it).
#include "bench_support.hpp"

#include <support/many_exports.hpp>

namespace extload_bench {

namespace {
constinit exports_type const table = extload_test::many_exports<8, export_count>;
} // namespace

exports_type const& exports() noexcept { return table; }

} // namespace extload_bench
