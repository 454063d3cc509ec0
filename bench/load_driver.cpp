// bench/load_driver.cpp: loads one generated workload N times, for instruction counting under
// valgrind --tool=callgrind (tools/callgrind.sh). The program always does one warm-up load first
// (lazy PLT binding, first-touch of the arena and the export table), so the difference between
// a run with N loads and a run with 0 loads is exactly N loads, and
//   (Ir(N) - Ir(0)) / N / relocations
// is the instructions per relocation of one load: repeatable, unlike time on a shared VM.
//
//   bench_load_driver <mode> <object> <loads> [expect-file]
//     mode arena   extload, static_arena (a firmware's memory policy: no system calls)
//     mode mmap    extload, host_mmap_allocator (fresh mmap per load); with an expect file the
//                  warm-up load is run (ext_checksum(5)) and checked
//     mode dlopen  glibc dlopen(RTLD_NOW) + dlclose of a shared object (the baseline)
// Prints "relocations <n>" (the object's relocation entries, or the shared object's dynamic
// relocations for dlopen) and, for extload, the memory of one load from the allocator's own
// counters: "memory peak <bytes> regions <bytes> record <bytes> scratch <bytes>" (peak = the
// most held at once during the load; regions = the extension's text/rodata/data/bss; record =
// what stays allocated besides the regions; scratch = the rest of the peak, given back when
// the load returns). Exits non-zero if a load fails.
#include "bench_support.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using namespace extload_bench;

arena_type driver_arena;

template <class Loader, class Alloc>
int run_loads(Alloc& memory, std::vector<std::byte> const& image, long loads, long expect) {
  Loader ld{memory, exports()};
  typename Loader::report_type report;
  std::uint64_t const held_before = memory.bytes_in_use();
  std::uint64_t const peak_before = memory.peak_bytes();
  auto first = ld.load(image, {}, &report);
  if (!first) {
    std::fprintf(stderr, "load failed: %s\n", describe(first.error()).c_str());
    return 1;
  }
  // The counters are the allocator's: bytes handed out (alignment padding inside a block
  // included), so they bound what a firmware must reserve for this load.
  std::uint64_t regions = 0;
  for (auto b : report.region_bytes) regions += b;
  std::uint64_t const held = memory.bytes_in_use() - held_before;
  std::uint64_t const peak = (memory.peak_bytes() > peak_before ? memory.peak_bytes() : peak_before) - held_before;
  if constexpr (std::is_same_v<Alloc, extload::host_mmap_allocator>) {
    if (expect >= 0) {
      auto* sum = (*first)->template function<long(long)>("ext_checksum");
      if (sum == nullptr || sum(5) != expect) {
        std::fprintf(stderr, "the loaded extension computes a wrong checksum\n");
        return 1;
      }
    }
  }
  ld.unload(*first);
  for (long i = 0; i < loads; ++i) {
    auto r = ld.load(image);
    if (!r) return 1;
    ld.unload(*r);
  }
  std::printf("relocations %llu\n", static_cast<unsigned long long>(report.relocations));
  std::printf("memory peak %llu regions %llu record %llu scratch %llu\n", static_cast<unsigned long long>(peak),
              static_cast<unsigned long long>(regions), static_cast<unsigned long long>(held > regions ? held - regions : 0),
              static_cast<unsigned long long>(peak - held));
  return 0;
}

int run_dlopen(char const* path, long loads) {
  for (long i = 0; i <= loads; ++i) { // i == 0: the warm-up
    void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) {
      std::fprintf(stderr, "dlopen: %s\n", dlerror());
      return 1;
    }
    dlclose(h);
  }
  std::printf("relocations 0\n"); // the script counts the .so's dynamic relocations itself
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s arena|mmap|dlopen <object> <loads> [expect-file]\n", argv[0]);
    return 2;
  }
  std::string const mode = argv[1];
  long const loads = std::strtol(argv[3], nullptr, 10);
  if (mode == "dlopen") return run_dlopen(argv[2], loads);
  auto const image = read_file(argv[2]);
  if (image.empty()) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 1;
  }
  long const expect = argc > 4 ? read_expect(argv[4]) : -1;
  if (mode == "arena") return run_loads<arena_loader>(driver_arena, image, loads, expect);
  if (mode == "mmap") {
    extload::host_mmap_allocator memory;
    return run_loads<mmap_loader>(memory, image, loads, expect);
  }
  std::fprintf(stderr, "unknown mode %s\n", argv[1]);
  return 2;
}
