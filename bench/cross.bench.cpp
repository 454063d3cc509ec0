// bench/cross.bench.cpp: relocation throughput for the other architectures. The same generated
// C workloads (bench/gen_workload.py), compiled by arm-none-eabi-gcc (Cortex-M4 Thumb),
// aarch64-linux-gnu-gcc and riscv64-linux-gnu-gcc with -fno-pic, are linked on the host with the
// prelink allocator (alloc/prelink.hpp: regions written into a host buffer, addressed as they
// would be on the target) and never executed. Imports resolve through a fallback resolver that
// maps fw_fn_<n> to a fixed firmware address near the extension (so every call reaches without
// a veneer, as in a firmware whose flash and RAM are close), once per symbol.
// A load is checked by its relocation count against the object's REL/RELA entries.
// Registered as bm_prelink/<workload>_<arch>; relocate.bench.cpp's summary lists them.
#include "bench_support.hpp"

#include <extload/arch/aarch64.hpp>
#include <extload/arch/arm.hpp>
#include <extload/arch/riscv.hpp>

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

// Where the firmware's functions are on the simulated target: fw_fn_<n> at base + 16 n (+ 1 on
// Thumb: the address of a Thumb function carries bit 0, AAELF32 §5.5.3).
struct firmware_layout {
  std::uint64_t base;
  std::uint64_t thumb_bit;
};

extload::found_symbol resolve_fw(void* ctx, extload::byte_string name) {
  auto const& fw = *static_cast<firmware_layout const*>(ctx);
  constexpr std::string_view prefix = "fw_fn_";
  if (name.size <= prefix.size()) return {};
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (name[i] != prefix[i]) return {};
  std::uint64_t n = 0;
  for (std::size_t i = prefix.size(); i < name.size; ++i) {
    if (name[i] < '0' || name[i] > '9') return {};
    n = n * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  return {fw.base + 16 * n + fw.thumb_bit, true, extload::symbol_kind::function};
}

template <class Format>
double count_relocations(std::vector<std::byte> const& image) {
  auto v = extload::object_view<Format>::parse(image);
  if (!v) return 0;
  double n = 0;
  for (std::uint32_t i = 1; i < v->section_count(); ++i) {
    auto const s = v->section(i);
    if ((s.type == extload::elf::SHT_REL || s.type == extload::elf::SHT_RELA) && s.entsize != 0)
      n += static_cast<double>(s.size / s.entsize);
  }
  return n;
}

struct target {
  char const* file;
  std::uint64_t load_address; // the extension's text
  firmware_layout firmware;
};

template <class Format, class Arch>
void bm_prelink(benchmark::State& state, target t) {
  using exports_type = extload::no_exports<Format::elf_class_type::word_size>;
  using loader_type = extload::loader<Format, Arch, extload::prelink_allocator, exports_type>;
  auto const image = extload_bench::read_file(std::string(EXTLOAD_BENCH_DIR) + "/" + t.file);
  if (image.empty()) { state.SkipWithError("workload missing (build the bench target)"); return; }
  std::vector<std::byte> buffer(image.size() * 2 + (1u << 16));
  extload::prelink_allocator memory{buffer, t.load_address, 16};
  exports_type none;
  loader_type ld{memory, none};
  extload::load_options opt;
  firmware_layout fw = t.firmware;
  opt.fallback = {&resolve_fw, &fw};
  typename loader_type::report_type report;
  {
    auto r = ld.load(image, opt, &report);
    if (!r) { state.SkipWithError(("load failed: " + extload_bench::describe(r.error())).c_str()); return; }
    ld.unload(*r);
  }
  if (static_cast<double>(report.relocations) != count_relocations<Format>(image)) {
    state.SkipWithError("the load applied a different number of relocations than the object has");
    return;
  }
  for (auto _ : state) {
    auto r = ld.load(image, opt);
    benchmark::DoNotOptimize(r);
    ld.unload(*r);
  }
  auto const relocs = static_cast<double>(report.relocations);
  state.counters["relocations"] = relocs;
  state.counters["s_per_reloc"] =
      benchmark::Counter(relocs, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["relocs_per_s"] = benchmark::Counter(relocs, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["veneers"] = report.veneers;
}

// Cortex-M4: extension in SRAM at 0x20000000, firmware functions 8 MiB above (THM_CALL: +-16 MiB).
constexpr firmware_layout arm_fw{0x20800000, 1};
// AArch64 / RV64: extension at 1 GiB, firmware 64 MiB above (CALL26 +-128 MiB; RISC-V medlow
// HI20/LO12 need both below 2 GiB).
constexpr firmware_layout a64_fw{0x44000000, 0};

using extload::elf32le;
using extload::elf64le;
namespace arch = extload::arch;


// Registered by name (BENCHMARK_CAPTURE would spell the template arguments into the name).
[[maybe_unused]] bool const registered = [] {
  for (char const* size : {"large", "small"}) {
    std::string const s = size;
    benchmark::RegisterBenchmark(("bm_prelink/" + s + "_arm").c_str(), bm_prelink<elf32le, arch::arm>,
                                 target{s == "large" ? "large-arm.o" : "small-arm.o", 0x20000000, arm_fw})
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("bm_prelink/" + s + "_aarch64").c_str(), bm_prelink<elf64le, arch::aarch64>,
                                 target{s == "large" ? "large-aarch64.o" : "small-aarch64.o", 0x40000000, a64_fw})
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("bm_prelink/" + s + "_riscv64").c_str(), bm_prelink<elf64le, arch::riscv64>,
                                 target{s == "large" ? "large-riscv64.o" : "small-riscv64.o", 0x40000000, a64_fw})
        ->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

} // namespace
