// examples/firmware_demo.cpp: a host "firmware" that declares its loader and export table at
// compile time, loads the bundled extensions (built by gcc as ordinary -fPIE objects, Debian's
// default), prints what it did (regions, imports, relocations by type, time), and runs them.
// Run it with tools/demo.sh, or build-gcc/examples/firmware_demo [OBJECT.o ...].
#include <extload/alloc/host_mmap.hpp>
#include <extload/describe.hpp>
#include <extload/extload.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

// ---- The firmware: what it offers its extensions ---------------------------------------------
extern "C" {
volatile unsigned long fw_ticks = 100;
static void (*tick_hook)(unsigned long) = nullptr;

void fw_print(char const* text) { std::printf("    [ext] %s\n", text); }
void fw_print_int(char const* label, long value) { std::printf("    [ext] %s: %ld\n", label, value); }
void fw_register_tick_hook(void (*hook)(unsigned long)) { tick_hook = hook; }
}

static void advance_ticks(int n) {
  for (int i = 0; i < n; ++i) {
    fw_ticks = fw_ticks + 1;
    if (tick_hook != nullptr) tick_hook(fw_ticks);
  }
}

// The export table: sorted by SLID at compile time, no dynamic initializer.
constinit auto const fw_exports = extload::make_export_table<8>(
    extload::export_function<"fw_print", &fw_print>,
    extload::export_function<"fw_print_int", &fw_print_int>,
    extload::export_function<"fw_register_tick_hook", &fw_register_tick_hook>,
    extload::export_object<"fw_ticks", &fw_ticks>);

// The loader this firmware needs, in one line: ELF64 little-endian, x86-64 relocations, host
// memory with W^X, the table above.
using fw_loader = extload::loader<extload::elf64le, extload::arch::x86_64, extload::host_mmap_allocator,
                                  decltype(fw_exports)>;

// ---- Helpers ------------------------------------------------------------------------------------
static std::vector<std::byte> read_file(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) out[i] = static_cast<std::byte>(raw[i]);
  return out;
}

static void print_error(char const* what, extload::diagnostic const& d) {
  char text[256];
  extload::describe(d, text);
  std::printf("  %s: %s\n", what, text);
}

struct loaded {
  extload::extension* ext = nullptr;
  fw_loader::report_type report{};
  double micros = 0;
};

static loaded load_one(fw_loader& ld, std::string const& path, std::vector<std::byte> const& image) {
  loaded out;
  auto const t0 = std::chrono::steady_clock::now();
  auto r = ld.load(image, {}, &out.report);
  auto const t1 = std::chrono::steady_clock::now();
  out.micros = std::chrono::duration<double, std::micro>(t1 - t0).count();
  std::printf("\n== %s (%zu bytes)\n", path.c_str(), image.size());
  if (!r) {
    print_error("load failed", r.error());
    return out;
  }
  out.ext = *r;
  auto const& rep = out.report;
  std::printf("  loaded in %.1f us: %u sections, %u symbols, %llu relocations\n", out.micros, rep.sections_loaded,
              rep.symbols, static_cast<unsigned long long>(rep.relocations));
  for (std::size_t i = 0; i < extload::region_count; ++i) {
    auto const& g = out.ext->regions();
    if (g.size[i] == 0) continue;
    std::printf("  region %-6s at 0x%012llx, %6llu bytes\n", extload::to_string(static_cast<extload::region>(i)),
                static_cast<unsigned long long>(extload::address_of(g.base[i])), static_cast<unsigned long long>(g.size[i]));
  }
  std::printf("  imports: %u from the firmware table, %u weak undefined -> 0; GOT slots %u, PLT stubs %u\n",
              rep.imports_firmware, rep.imports_weak_zero, rep.got_slots, rep.veneers);
  rep.for_each_type([](std::uint32_t, char const* name, std::uint64_t n) {
    std::printf("  %-24s x %llu\n", name, static_cast<unsigned long long>(n));
  });
  std::printf("  exports:");
  for (auto const& e : out.ext->exports()) std::printf(" %s", std::string(out.ext->name_of(e)).c_str());
  std::printf("\n");
  return out;
}

int main(int argc, char** argv) {
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) paths.emplace_back(argv[i]);
  if (paths.empty())
    for (char const* name : {"hello.o", "sensor.o", "shapes.o"}) paths.push_back(std::string(EXTLOAD_DEMO_DIR) + "/" + name);

  std::printf("extload firmware demo: ELF64 LE, %s relocation set (%zu types), %zu firmware exports\n",
              extload::arch::x86_64::arch_name, extload::arch::x86_64::type_count, fw_exports.size());
  for (auto const& e : fw_exports.entries())
    std::printf("  export %-22s SLID 0x%016llx\n", std::string(e.name).c_str(), static_cast<unsigned long long>(e.slid));

  extload::host_mmap_allocator memory;
  fw_loader ld{memory, fw_exports};
  int failures = 0;
  std::vector<loaded> exts;
  std::vector<std::vector<std::byte>> images;
  for (auto const& p : paths) {
    images.push_back(read_file(p));
    if (images.back().empty()) {
      std::printf("\n== %s: cannot read\n", p.c_str());
      ++failures;
      continue;
    }
    exts.push_back(load_one(ld, p, images.back()));
    if (exts.back().ext == nullptr) ++failures;
  }

  std::printf("\n== running\n");
  for (auto& l : exts) {
    if (l.ext == nullptr) continue;
    l.ext->bring_up();
    if (auto* hello = l.ext->function<int(int)>("hello_main")) std::printf("  hello_main(2) = %d\n", hello(2));
    if (auto* avg = l.ext->function<long()>("sensor_average")) {
      advance_ticks(16);
      long* sum = l.ext->object<long>("sensor_sum");
      std::printf("  sensor_average() = %ld after 16 ticks (sensor_sum = %ld)\n", avg(), sum != nullptr ? *sum : -1);
    }
    if (auto* area = l.ext->function<long()>("shapes_total_area")) std::printf("  shapes_total_area() = %ld\n", area());
  }

  std::printf("\n== what a bad image gets\n");
  if (!images.empty() && images.front().size() > 64) {
    std::vector<std::byte> cut(images.front().begin(), images.front().begin() + 64 + 40);
    auto r = ld.load(cut);
    if (r) { ++failures; ld.unload(*r); } else print_error("truncated copy of the first object", r.error());
  }

  std::printf("\n== unloading\n");
  for (auto& l : exts) {
    if (l.ext == nullptr) continue;
    l.ext->tear_down();
    ld.unload(l.ext);
  }
  std::printf("  memory in use after unloading everything: %zu bytes (peak %zu)\n",
              static_cast<std::size_t>(memory.bytes_in_use()), static_cast<std::size_t>(memory.peak_bytes()));
  return failures == 0 ? 0 : 1;
}
