// bench/relocate.bench.cpp: relocation throughput of whole loads, with the baselines of
// docs PERF.md measured in the same run, and a summary of the ratios printed after the table.
//
//   * extload loads of the generated workloads (bench/gen_workload.py): large (~50,000
//     relocations, 1,000 imports) and small (~220 relocations, 100 imports), each compiled three
//     ways: -mcmodel=large -fno-pic (R_X86_64_64 only), small-model -fno-pic (PLT32, PC32, 32S, 64)
//     and -fPIE (PLT32, PC32, REX_GOTPCRELX, 64). Imports resolve by name through the firmware's
//     real compile-time export table (2,000 SLID-sorted entries, bench/export_table.cpp).
//     mmap: fresh executable memory per load (mmap, page faults, mprotect and munmap included);
//     arena: a warm static_arena (what a firmware does; no system calls). The small-model
//     -fno-pic objects are loaded with host_mmap only: their R_X86_64_32S references need the
//     extension in the low 2 GiB, and the arena is wherever this PIE executable's .bss is.
//   * glibc dlopen(RTLD_NOW) + dlclose of the same code linked as a non-PIC shared object (one
//     dynamic R_X86_64_64 per relocation, DT_TEXTREL) and as a PIC one (one GOT slot per import);
//     the executable exports fw_fn_* (bench/fw.dynlist) so both resolve the same imports.
//   * the raw bound: memcpy of the object + one 8-byte read-modify-write per relocation.
//   * export lookups in the 2,000-entry table: by SLID, by name, and a linear strcmp scan of the
//     same table (what Zephyr LLEXT does for every relocation) for scale.
//   * the relocation math alone (one howto applied in a loop).
// Every load benchmark checks its load first: loads into host_mmap and dlopen call
// ext_checksum(5) and compare it with the value gen_workload.py computed; arena loads (memory
// that is not executable) check that the load succeeds.
//
// Counters: relocations (per load), s_per_reloc (printed with an SI suffix: "5.6n" = 5.6 ns per
// relocation), relocs_per_s. Run: tools/bench.sh (release build, JSON, table, plot), or
// `ninja -C <builddir> bench && <builddir>/bench/bench_relocate`.
#include "bench_support.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace extload_bench;

std::string bench_path(char const* file) { return std::string(EXTLOAD_BENCH_DIR) + "/" + file; }

// A generated workload: its object (or shared object) and the checksum of its C source.
struct workload {
  char const* file;
  char const* expect;
};

void set_reloc_counters(benchmark::State& state, double relocs) {
  state.counters["relocations"] = relocs;
  state.counters["s_per_reloc"] =
      benchmark::Counter(relocs, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["relocs_per_s"] = benchmark::Counter(relocs, benchmark::Counter::kIsIterationInvariantRate);
}

// Relocation entries of an ELF64 object (every SHT_RELA section), read from its section table.
double count_relocations(std::vector<std::byte> const& image) {
  using extload::load;
  constexpr auto le = std::endian::little;
  std::span<std::byte const> const s(image);
  auto const shoff = load<std::uint64_t, le>(s, 0x28);
  auto const shentsize = load<std::uint16_t, le>(s, 0x3a);
  auto const shnum = load<std::uint16_t, le>(s, 0x3c);
  if (!shoff || !shentsize || !shnum) return 0;
  double n = 0;
  for (std::uint64_t i = 0; i < *shnum; ++i) {
    std::uint64_t const h = *shoff + i * *shentsize;
    auto const type = load<std::uint32_t, le>(s, h + 4);
    auto const size = load<std::uint64_t, le>(s, h + 0x20);
    auto const entsize = load<std::uint64_t, le>(s, h + 0x38);
    if (type && size && entsize && *type == extload::elf::SHT_RELA && *entsize != 0)
      n += static_cast<double>(*size / *entsize);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// extload into fresh memory per load (host_mmap_allocator), run after loading.
void bm_load_mmap(benchmark::State& state, workload w) {
  auto const image = read_file(bench_path(w.file));
  long const expect = read_expect(bench_path(w.expect));
  if (image.empty() || expect < 0) { state.SkipWithError("workload missing (build the bench target)"); return; }
  extload::host_mmap_allocator memory;
  mmap_loader ld{memory, exports()};
  mmap_loader::report_type report;
  {
    auto r = ld.load(image, {}, &report);
    if (!r) { state.SkipWithError(("load failed: " + describe(r.error())).c_str()); return; }
    auto* sum = (*r)->function<long(long)>("ext_checksum");
    bool const ok = sum != nullptr && sum(5) == expect;
    ld.unload(*r);
    if (!ok) { state.SkipWithError("the loaded extension computes a wrong checksum"); return; }
  }
  for (auto _ : state) {
    auto r = ld.load(image);
    benchmark::DoNotOptimize(r);
    ld.unload(*r);
  }
  set_reloc_counters(state, static_cast<double>(report.relocations));
}

// extload into a warm static arena (no system calls, no page faults): the loader's own work plus
// copying the sections. Not executed (arena memory is not executable); bm_load_mmap runs the
// same image.
arena_type bench_arena;

void bm_load_arena(benchmark::State& state, workload w) {
  auto const image = read_file(bench_path(w.file));
  if (image.empty()) { state.SkipWithError("workload missing (build the bench target)"); return; }
  arena_loader ld{bench_arena, exports()};
  arena_loader::report_type report;
  {
    auto r = ld.load(image, {}, &report);
    if (!r) { state.SkipWithError(("load failed: " + describe(r.error())).c_str()); return; }
    ld.unload(*r);
  }
  if (static_cast<double>(report.relocations) != count_relocations(image)) {
    state.SkipWithError("the load applied a different number of relocations than the object has");
    return;
  }
  for (auto _ : state) {
    auto r = ld.load(image);
    benchmark::DoNotOptimize(r);
    ld.unload(*r);
  }
  set_reloc_counters(state, static_cast<double>(report.relocations));
}

// ---------------------------------------------------------------------------------------------
// glibc dlopen(RTLD_NOW) + dlclose of the same code as a shared object. The relocation count is
// the ET_REL object's (the same work), so ns/relocation compares like with like; the .so's own
// dynamic relocation count is reported as dyn_relocations.
void bm_dlopen(benchmark::State& state, workload so, char const* object) {
  std::string const path = bench_path(so.file);
  long const expect = read_expect(bench_path(so.expect));
  auto const obj = read_file(bench_path(object));
  auto const so_image = read_file(path);
  if (obj.empty() || so_image.empty() || expect < 0) { state.SkipWithError("workload missing (build the bench target)"); return; }
  {
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) { state.SkipWithError(dlerror()); return; }
    auto* sum = reinterpret_cast<long (*)(long)>(dlsym(h, "ext_checksum"));
    bool const ok = sum != nullptr && sum(5) == expect;
    dlclose(h);
    if (!ok) { state.SkipWithError("the dlopen()ed copy computes a wrong checksum"); return; }
    if (dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD) != nullptr) {
      state.SkipWithError("dlclose() did not unload the object: each iteration would not load it again");
      return;
    }
  }
  for (auto _ : state) {
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    benchmark::DoNotOptimize(h);
    dlclose(h);
  }
  set_reloc_counters(state, count_relocations(obj));
  state.counters["dyn_relocations"] = count_relocations(so_image);
}

// ---------------------------------------------------------------------------------------------
// The raw bound: copy the object into warm memory and do one 8-byte read-modify-write per
// relocation, at the places the object's relocations name.
void bm_raw_bound(benchmark::State& state, workload w) {
  auto const image = read_file(bench_path(w.file));
  if (image.empty()) { state.SkipWithError("workload missing (build the bench target)"); return; }
  auto v = extload::object_view<extload::elf64le>::parse(image);
  if (!v) { state.SkipWithError("parse failed"); return; }
  std::vector<std::uint64_t> offsets;
  for (std::uint32_t i = 1; i < v->section_count(); ++i) {
    auto const s = v->section(i);
    if (s.type != extload::elf::SHT_RELA) continue;
    std::uint64_t const base = v->section(s.info).offset;
    for (std::uint64_t j = 0; j < s.size / s.entsize; ++j) {
      auto const r = v->relocation_at<true>(s, j);
      if (base + r.offset + 8 <= image.size()) offsets.push_back(base + r.offset);
    }
  }
  std::vector<std::byte> dst(image.size());
  for (auto _ : state) {
    std::memcpy(dst.data(), image.data(), image.size());
    for (std::uint64_t off : offsets) {
      std::uint64_t x;
      std::memcpy(&x, dst.data() + off, 8);
      x += 0x1000;
      std::memcpy(dst.data() + off, &x, 8);
    }
    benchmark::ClobberMemory();
  }
  set_reloc_counters(state, static_cast<double>(offsets.size()));
}

// ---------------------------------------------------------------------------------------------
// Export lookups in the 2,000-entry table. Every iteration looks up all 2,000 keys in a fixed
// shuffled order (so the branch predictor cannot learn one path); s_per_lookup is per lookup.
std::vector<std::size_t> shuffled_rows() {
  std::vector<std::size_t> order(exports().size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::uint64_t x = 0x9e3779b97f4a7c15u; // xorshift: the same order every run
  for (std::size_t i = order.size(); i > 1; --i) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    std::swap(order[i - 1], order[x % i]);
  }
  return order;
}

void set_lookup_counters(benchmark::State& state, std::size_t keys) {
  state.counters["s_per_lookup"] = benchmark::Counter(static_cast<double>(keys),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void bm_lookup_slid(benchmark::State& state) {
  std::vector<std::uint64_t> keys;
  for (std::size_t i : shuffled_rows()) keys.push_back(exports()[i].slid);
  for (std::uint64_t k : keys)
    if (!exports().find_by_slid(k)) { state.SkipWithError("a SLID of the table is not found"); return; }
  for (auto _ : state)
    for (std::uint64_t k : keys) benchmark::DoNotOptimize(exports().find_by_slid(k));
  set_lookup_counters(state, keys.size());
}

// Names as the loader sees them: byte_strings pointing into a string table (here, one buffer).
std::vector<extload::byte_string> name_keys(std::vector<std::byte>& storage) {
  auto const order = shuffled_rows();
  for (std::size_t i : order)
    for (char c : exports()[i].name) storage.push_back(static_cast<std::byte>(c));
  std::vector<extload::byte_string> keys;
  std::size_t at = 0;
  for (std::size_t i : order) {
    keys.push_back({storage.data() + at, exports()[i].name.size()});
    at += exports()[i].name.size();
  }
  return keys;
}

void bm_lookup_name(benchmark::State& state) {
  std::vector<std::byte> storage;
  auto const keys = name_keys(storage);
  for (auto const& k : keys)
    if (!exports().find_by_name(k)) { state.SkipWithError("a name of the table is not found"); return; }
  for (auto _ : state)
    for (auto const& k : keys) benchmark::DoNotOptimize(exports().find_by_name(k));
  set_lookup_counters(state, keys.size());
}

// For scale: Zephyr LLEXT's llext_find_sym, a linear strcmp scan of the export table (here over
// the same 2,000 entries, NUL-terminated names like Zephyr's).
void bm_lookup_linear_strcmp(benchmark::State& state) {
  std::vector<std::string> names;
  for (auto const& e : exports()) names.emplace_back(e.name);
  std::vector<char const*> table;
  for (auto const& n : names) table.push_back(n.c_str());
  std::vector<std::string> key_storage;
  for (std::size_t i : shuffled_rows()) key_storage.emplace_back(exports()[i].name);
  for (auto _ : state)
    for (auto const& k : key_storage) {
      char const* const* hit = nullptr;
      for (auto const& t : table)
        if (std::strcmp(t, k.c_str()) == 0) { hit = &t; break; }
      benchmark::DoNotOptimize(hit);
    }
  set_lookup_counters(state, key_storage.size());
}

// ---------------------------------------------------------------------------------------------
// The relocation math alone: R_X86_64_PC32 through the howto, range check included.
void bm_apply_pc32(benchmark::State& state) {
  std::vector<std::byte> text(1 << 16);
  for (auto _ : state) {
    for (std::size_t off = 0; off + 4 <= text.size(); off += 4) {
      extload::arch::values in;
      in.S = 0x400000 + off * 3;
      in.A = -4;
      in.P = 0x400000 + off;
      auto const c = extload::arch::apply<extload::arch::x86_64_howto::R_X86_64_PC32, std::endian::little>(text.data() + off, in);
      benchmark::DoNotOptimize(c);
    }
  }
  set_reloc_counters(state, static_cast<double>(text.size() / 4));
}

// ---------------------------------------------------------------------------------------------
// The summary: a reporter that shows the usual console table and keeps each benchmark's result
// (the median when --benchmark_repetitions > 1) to print the ratios of this run afterwards.
struct measured {
  double ns = 0;          // real time per iteration
  double ns_per_reloc = 0;
  double relocations = 0;
  double ns_per_lookup = 0;
  bool median = false;
};

class summary_reporter : public benchmark::ConsoleReporter {
public:
  explicit summary_reporter(OutputOptions opts) : ConsoleReporter(opts) {}

  void ReportRuns(std::vector<Run> const& runs) override {
    for (auto const& r : runs) {
      if (r.error_occurred) continue;
      bool const is_median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (r.run_type == Run::RT_Aggregate && !is_median) continue;
      auto& m = results[r.run_name.str()];
      if (m.median && !is_median) continue;
      m.median = is_median;
      m.ns = r.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(r.time_unit) * 1e9;
      auto counter = [&](char const* name) {
        auto it = r.counters.find(name);
        return it == r.counters.end() ? 0.0 : it->second.value;
      };
      m.ns_per_reloc = counter("s_per_reloc") * 1e9;
      m.relocations = counter("relocations");
      m.ns_per_lookup = counter("s_per_lookup") * 1e9;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, measured> results;
};

void print_summary(std::map<std::string, measured> const& res) {
  auto get = [&](std::string const& n) -> measured const* {
    auto it = res.find(n);
    return it == res.end() ? nullptr : &it->second;
  };
  // CPU time of this process per load (user + system, so mmap, page faults and munmap count): on
  // a shared 2-core VM it is far steadier than wall time, which also counts time spent waiting
  // for the CPU. Google Benchmark's rate counters (s_per_reloc, relocs_per_s) use it too.
  std::printf("\nSummary of this run: CPU time per load (user + system), medians when --benchmark_repetitions > 1\n");
  std::printf("%-44s %12s %11s %11s %10s %10s\n", "load", "CPU time", "ns/reloc", "Mreloc/s", "vs dlopen", "vs bound");
  for (char const* size : {"large", "small"}) {
    measured const* dl = get(std::string("bm_dlopen/") + size + "_nopic_so");
    measured const* bound = get(std::string("bm_raw_bound/") + size + "_abs64");
    struct row { char const* label; std::string name; };
    row const rows[] = {
        {"extload -mcmodel=large, fresh mmap", std::string("bm_load_mmap/") + size + "_abs64"},
        {"extload -mcmodel=large, static arena", std::string("bm_load_arena/") + size + "_abs64"},
        {"extload small model -fno-pic, fresh mmap", std::string("bm_load_mmap/") + size + "_nopic"},
        {"extload -fPIE, fresh mmap", std::string("bm_load_mmap/") + size + "_pie"},
        {"extload -fPIE, static arena", std::string("bm_load_arena/") + size + "_pie"},
        {"glibc dlopen RTLD_NOW, non-PIC .so", std::string("bm_dlopen/") + size + "_nopic_so"},
        {"glibc dlopen RTLD_NOW, PIC .so", std::string("bm_dlopen/") + size + "_pic_so"},
        {"raw bound (memcpy + 8-byte RMW per reloc)", std::string("bm_raw_bound/") + size + "_abs64"},
    };
    double relocations = 0;
    for (auto const& r : rows)
      if (measured const* m = get(r.name); m != nullptr && relocations == 0) relocations = m->relocations;
    if (relocations == 0) continue; // nothing of this size ran (--benchmark_filter)
    std::printf("%s (%.0f relocations):\n", size, relocations);
    for (auto const& r : rows) {
      measured const* m = get(r.name);
      if (m == nullptr) continue;
      char vs_dl[32] = "-", vs_bound[32] = "-";
      if (dl != nullptr && m != dl) std::snprintf(vs_dl, sizeof vs_dl, "%.2fx", dl->ns / m->ns);
      if (bound != nullptr && m != bound) std::snprintf(vs_bound, sizeof vs_bound, "%.2fx", m->ns / bound->ns);
      char t[32];
      if (m->ns >= 1e6) std::snprintf(t, sizeof t, "%.3f ms", m->ns / 1e6);
      else std::snprintf(t, sizeof t, "%.2f us", m->ns / 1e3);
      std::printf("  %-42s %12s %11.2f %11.1f %10s %10s\n", r.label, t, m->ns_per_reloc,
                  m->ns_per_reloc > 0 ? 1e3 / m->ns_per_reloc : 0.0, vs_dl, vs_bound);
    }
  }
  std::printf("  (vs dlopen: how many times faster than dlopen of the non-PIC .so; vs bound: how many\n"
              "   times the raw bound's time. LLEXT, measured separately (docs PERF.md): ~1,840 ns/reloc.)\n");
  // Other architectures (bench/cross.bench.cpp, when built): relocated on the host, not run.
  bool cross_header = false;
  for (auto const& [n, m] : res) {
    if (n.rfind("bm_prelink/", 0) != 0) continue;
    if (!cross_header) std::printf("other architectures (prelink allocator, relocated on the host, not run):\n");
    cross_header = true;
    char t[32];
    if (m.ns >= 1e6) std::snprintf(t, sizeof t, "%.3f ms", m.ns / 1e6);
    else std::snprintf(t, sizeof t, "%.2f us", m.ns / 1e3);
    std::printf("  %-42s %12s %11.2f %11.1f   (%.0f relocations)\n", n.c_str() + 11, t, m.ns_per_reloc,
                m.ns_per_reloc > 0 ? 1e3 / m.ns_per_reloc : 0.0, m.relocations);
  }
  measured const* slid = get("bm_lookup_slid");
  measured const* name = get("bm_lookup_name");
  measured const* linear = get("bm_lookup_linear_strcmp");
  if (slid != nullptr && name != nullptr)
    std::printf("export lookup in the 2,000-entry table: by SLID %.1f ns, by name %.1f ns%s", slid->ns_per_lookup,
                name->ns_per_lookup, linear != nullptr ? "" : "\n");
  if (linear != nullptr) std::printf(", linear strcmp scan (LLEXT-style) %.0f ns\n", linear->ns_per_lookup);

  // The targets, reported (never asserted: time on a shared VM is noisy).
  std::printf("\nTargets (issue 5):\n");
  auto target = [](char const* what, bool have, bool met, char const* detail) {
    std::printf("  %-58s %s  %s\n", what, !have ? "n/a " : met ? "met " : "MISS", detail);
  };
  char d[96];
  measured const* la = get("bm_load_arena/large_abs64");
  measured const* lm = get("bm_load_mmap/large_abs64");
  measured const* dl = get("bm_dlopen/large_nopic_so");
  measured const* rb = get("bm_raw_bound/large_abs64");
  measured const* sm = get("bm_load_mmap/small_abs64");
  std::snprintf(d, sizeof d, "arena %.2f ns, mmap %.2f ns", la ? la->ns_per_reloc : 0, lm ? lm->ns_per_reloc : 0);
  target("large: <= 2 ns per relocation (arena)", la != nullptr, la && la->ns_per_reloc <= 2.0, d);
  std::snprintf(d, sizeof d, "arena %.1fx, mmap %.1fx", (la && dl) ? dl->ns / la->ns : 0, (lm && dl) ? dl->ns / lm->ns : 0);
  target("large: >= 6x faster than dlopen (non-PIC .so)", la && dl, la && dl && dl->ns / la->ns >= 6.0, d);
  std::snprintf(d, sizeof d, "arena %.1fx, mmap %.1fx", (la && rb) ? la->ns / rb->ns : 0, (lm && rb) ? lm->ns / rb->ns : 0);
  target("large: within 2x of the raw bound", la && rb, la && rb && la->ns / rb->ns <= 2.0, d);
  measured const* sa = get("bm_load_arena/small_abs64");
  std::snprintf(d, sizeof d, "arena %.2f us, mmap %.2f us", sa ? sa->ns / 1e3 : 0, sm ? sm->ns / 1e3 : 0);
  target("small: under 5 us (arena)", sa != nullptr, sa && sa->ns < 5000.0, d);
  std::snprintf(d, sizeof d, "%.1f ns", slid ? slid->ns_per_lookup : 0);
  target("SLID lookup in a 2,000-entry table: <= 20 ns", slid != nullptr, slid && slid->ns_per_lookup <= 20.0, d);
  std::printf("  (instructions per relocation: tools/callgrind.sh; Cortex-M4 .text: tools/footprint.sh)\n");
}

} // namespace

BENCHMARK_CAPTURE(bm_load_mmap, large_abs64, workload{"large-abs64.o", "large.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_load_arena, large_abs64, workload{"large-abs64.o", "large.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_load_mmap, large_nopic, workload{"large-nopic.o", "large.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_load_mmap, large_pie, workload{"large-pie.o", "large.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_load_arena, large_pie, workload{"large-pie.o", "large.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_dlopen, large_nopic_so, workload{"large-nopic.so", "large.expect"}, "large-abs64.o")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_dlopen, large_pic_so, workload{"large-pic.so", "large.expect"}, "large-abs64.o")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_raw_bound, large_abs64, workload{"large-abs64.o", "large.expect"})->Unit(benchmark::kMicrosecond);

BENCHMARK_CAPTURE(bm_load_mmap, small_abs64, workload{"small-abs64.o", "small.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_load_arena, small_abs64, workload{"small-abs64.o", "small.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_load_mmap, small_nopic, workload{"small-nopic.o", "small.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_load_mmap, small_pie, workload{"small-pie.o", "small.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_load_arena, small_pie, workload{"small-pie.o", "small.expect"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_dlopen, small_nopic_so, workload{"small-nopic.so", "small.expect"}, "small-abs64.o")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_dlopen, small_pic_so, workload{"small-pic.so", "small.expect"}, "small-abs64.o")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(bm_raw_bound, small_abs64, workload{"small-abs64.o", "small.expect"})->Unit(benchmark::kMicrosecond);

BENCHMARK(bm_lookup_slid)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_lookup_name)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_lookup_linear_strcmp)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_apply_pc32)->Unit(benchmark::kMicrosecond);

// A display reporter passed to RunSpecifiedBenchmarks does not see --benchmark_color or
// --benchmark_counters_tabular: apply them here (color "auto", the default, means a terminal;
// counters are tabular unless --benchmark_counters_tabular=false).
benchmark::ConsoleReporter::OutputOptions console_options(int argc, char** argv) {
  bool color = isatty(STDOUT_FILENO) != 0, tabular = true; // tabular counters read best here
  for (int i = 1; i < argc; ++i) {
    std::string const a = argv[i];
    auto value = [&](std::string const& flag, bool& out) {
      if (a.rfind(flag + "=", 0) != 0) return;
      std::string const v = a.substr(flag.size() + 1);
      if (v == "auto") out = flag == "--benchmark_color" && isatty(STDOUT_FILENO) != 0;
      else out = v == "true" || v == "yes" || v == "1";
    };
    value("--benchmark_color", color);
    value("--benchmark_counters_tabular", tabular);
  }
  int o = benchmark::ConsoleReporter::OO_None;
  if (color) o |= benchmark::ConsoleReporter::OO_Color;
  if (tabular) o |= benchmark::ConsoleReporter::OO_Tabular;
  return static_cast<benchmark::ConsoleReporter::OutputOptions>(o);
}

int main(int argc, char** argv) {
  auto const options = console_options(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  summary_reporter reporter(options);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_summary(reporter.results);
  return 0;
}
