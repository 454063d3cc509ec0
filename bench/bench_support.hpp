// bench/bench_support.hpp: what the benchmark programs share: the firmware's 2,000-entry export
// table (defined in bench/export_table.cpp, the one translation unit that pays for building it),
// the loader types the benchmarks measure, and reading a generated workload with the value its
// ext_checksum(5) must return (bench/gen_workload.py --expect).
#pragma once

#include <extload/alloc/host_mmap.hpp>
#include <extload/extload.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace extload_bench {

// tests/support/many_exports.hpp's many_exports<8, 2000>: fw_fn_0 .. fw_fn_1999.
inline constexpr std::size_t export_count = 2000;
using exports_type = extload::static_export_table<8, export_count>;
exports_type const& exports() noexcept;

// The x86-64 loaders: fresh executable memory per load (host_mmap) and a warm static arena.
inline constexpr std::size_t arena_bytes = std::size_t{8} << 20;
using arena_type = extload::static_arena<arena_bytes>;
using mmap_loader = extload::loader<extload::elf64le, extload::arch::x86_64, extload::host_mmap_allocator, exports_type>;
using arena_loader = extload::loader<extload::elf64le, extload::arch::x86_64, arena_type, exports_type>;

inline std::vector<std::byte> read_file(std::string const& path) {
  std::vector<std::byte> out;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::byte buf[1 << 16];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.insert(out.end(), buf, buf + n);
    std::fclose(f);
  }
  return out;
}

// The checksum written by gen_workload.py --expect (-1 when the file is missing).
inline long read_expect(std::string const& path) {
  long v = -1;
  if (std::FILE* f = std::fopen(path.c_str(), "r")) {
    if (std::fscanf(f, "%ld", &v) != 1) v = -1;
    std::fclose(f);
  }
  return v;
}

// A diagnostic as one line of text (describe.hpp).
inline std::string describe(extload::diagnostic const& d) {
  char buf[512];
  std::size_t const n = extload::describe(d, buf);
  return std::string(buf, n < sizeof buf ? n : sizeof buf);
}

} // namespace extload_bench
