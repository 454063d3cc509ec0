// tests/oracle/mutation_cross.test.cpp: the mutation sweeps of tests/malformed/mutation.test.cpp
// (MALFORMED.md b.2) over real seed objects of every other supported architecture, each through
// its own loader: ARM (Thumb-2 little-endian, ARM-state big-endian), AArch64, RISC-V (RV64 and
// RV32), i386 and Xtensa, taken from the objects tests/cross_objects/*/meson.build compiles.
//   * the original must load (prelink allocator, imports placed just after the image);
//   * truncation at every length: rejected as errc::truncated before any allocation (the section
//     table is at the end of every seed);
//   * every byte of the ELF header and of the section header table set to 0, 1, 0x7f, 0x80, 0xff;
//   * field-aware: every field of the ELF header (and the class/data/version/OS ABI bytes of
//     e_ident), of every section header and of every symbol (the first 64), and r_offset, r_info
//     and r_addend of every third relocation of a loaded section, set to 0, 1, its value -1 and
//     +1, the file size and +1, 2^31 and all ones of the field's width.
// The layout (ELF32/ELF64, byte order) is decoded from the seed's e_ident, not assumed. Each
// mutant is loaded from an exact-size heap copy (so ASan sees any over-read) and must be either
// accepted (then unloaded; loaded code is never run) or rejected with a valid errc whose
// describe() text is non-empty; in both cases the counting allocator around the prelink
// allocator must end with nothing allocated. Deterministic; the counts are reported by MESSAGE.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "extload/alloc/prelink.hpp"
#include "extload/arch/aarch64.hpp"
#include "extload/arch/arm.hpp"
#include "extload/arch/i386.hpp"
#include "extload/arch/riscv.hpp"
#include "extload/arch/xtensa.hpp"
#include "extload/describe.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/export_table.hpp"
#include "support/counting_allocator.hpp"

// Where the seeds are built (generated manifests of tests/cross_objects/*: only the directory
// macros are used). A manifest is missing when its cross compiler is: tests/meson.build then
// registers a failing cross_toolchain_<arch>_missing test, and the seeds of that arch are skipped.
#include <aarch64_objects_manifest.h>
#include <arm_objects_manifest.h>
#if __has_include(<riscv_objects_manifest.h>)
#include <riscv_objects_manifest.h>
#endif
#if __has_include(<cross_i386_manifest.h>)
#include <cross_i386_manifest.h>
#endif
#if __has_include(<cross_xtensa_manifest.h>)
#include <cross_xtensa_manifest.h>
#endif

namespace {

using namespace extload;

// --- the allocator: prelink into a static buffer, counted ------------------------------------
constexpr std::uint64_t image_address = 0x2000'0000;
constexpr std::size_t buffer_size = 256 * 1024;
constexpr std::uint64_t import_base = image_address + buffer_size; // within CALL0/BL/JAL... reach
alignas(64) std::byte prelink_storage[buffer_size];

// counting_allocator value-initializes its inner allocator: give the prelink allocator a default.
struct static_prelink : prelink_allocator {
  static_prelink() noexcept : prelink_allocator{std::span<std::byte>{prelink_storage}, image_address} {}
};
using counted_prelink = test::counting_allocator<static_prelink>;

counted_prelink& alloc() {
  static counted_prelink a;
  return a;
}

// Imports get addresses just after the image, 0x100 apart; `tag` is the Thumb bit.
struct imports {
  std::uint64_t tag = 0;
  std::vector<std::string> names;
};
found_symbol resolve(void* ctx, byte_string name) {
  auto* t = static_cast<imports*>(ctx);
  std::string const n(name.view());
  std::size_t i = 0;
  while (i < t->names.size() && t->names[i] != n) ++i;
  if (i == t->names.size()) t->names.push_back(n);
  return {import_base + 0x100 * i + t->tag, true, symbol_kind::unknown};
}

struct outcome {
  diagnostic error{};
  std::uint64_t calls = 0; // allocation calls made by the load
  bool clean = false;
  bool loaded() const { return error.code == errc::ok; }
};

template <class Format, class Arch>
outcome try_load(std::span<std::byte const> bytes, std::uint64_t tag) {
  counted_prelink& a = alloc();
  bool const was_clean = a.live_blocks() == 0;
  a.reset_calls();
  no_exports<Format::elf_class_type::word_size> none;
  loader<Format, Arch, counted_prelink, no_exports<Format::elf_class_type::word_size>> ld{a, none};
  imports im{tag, {}};
  load_options opt;
  opt.fallback = {&resolve, &im};
  auto r = ld.load(bytes, opt);
  outcome o;
  o.calls = a.calls();
  if (r) ld.unload(*r);
  else o.error = r.error();
  o.clean = was_clean && a.live_blocks() == 0 && a.bad_releases() == 0 && !a.table_overflow();
  return o;
}

bool valid_code(errc c) { return static_cast<unsigned>(c) <= static_cast<unsigned>(errc::busy); }

std::string text(diagnostic const& d) {
  char buf[300];
  std::size_t const n = describe(d, buf);
  return std::string(buf, n < sizeof buf ? n : 0);
}

// --- byte-wise field access, either class and byte order -------------------------------------
struct layout {
  bool is64 = false, le = true;
  std::uint32_t ehdr_size() const { return is64 ? 64 : 52; }
  std::uint32_t shdr_size() const { return is64 ? 64 : 40; }
  std::uint32_t sym_size() const { return is64 ? 24 : 16; }
  std::uint8_t word() const { return is64 ? 8 : 4; }
};

std::uint64_t get(std::vector<std::byte> const& b, layout const& l, std::uint64_t off, std::uint8_t w) {
  std::uint64_t v = 0;
  for (std::uint8_t k = 0; k < w; ++k) {
    std::uint64_t const byte = std::to_integer<std::uint8_t>(b[off + k]);
    v |= byte << (8 * (l.le ? k : w - 1 - k));
  }
  return v;
}
void put(std::vector<std::byte>& b, layout const& l, std::uint64_t off, std::uint8_t w, std::uint64_t v) {
  for (std::uint8_t k = 0; k < w; ++k) b[off + k] = static_cast<std::byte>(v >> (8 * (l.le ? k : w - 1 - k)));
}

struct fld {
  std::uint32_t offset;
  std::uint8_t width;
};
// e_ident[EI_CLASS, EI_DATA, EI_VERSION, EI_OSABI, EI_ABIVERSION], then e_type .. e_shstrndx.
constexpr fld ehdr64[] = {{4, 1},  {5, 1},  {6, 1},  {7, 1},  {8, 1},  {16, 2}, {18, 2}, {20, 4}, {24, 8},
                          {32, 8}, {40, 8}, {48, 4}, {52, 2}, {54, 2}, {56, 2}, {58, 2}, {60, 2}, {62, 2}};
constexpr fld ehdr32[] = {{4, 1},  {5, 1},  {6, 1},  {7, 1},  {8, 1},  {16, 2}, {18, 2}, {20, 4}, {24, 4},
                          {28, 4}, {32, 4}, {36, 4}, {40, 2}, {42, 2}, {44, 2}, {46, 2}, {48, 2}, {50, 2}};
// sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize
constexpr fld shdr64[] = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {48, 8}, {56, 8}};
constexpr fld shdr32[] = {{0, 4}, {4, 4}, {8, 4}, {12, 4}, {16, 4}, {20, 4}, {24, 4}, {28, 4}, {32, 4}, {36, 4}};
// st_name, st_info, st_other, st_shndx, st_value, st_size (in each class's order)
constexpr fld sym64[] = {{0, 4}, {4, 1}, {5, 1}, {6, 2}, {8, 8}, {16, 8}};
constexpr fld sym32[] = {{0, 4}, {4, 4}, {8, 4}, {12, 1}, {13, 1}, {14, 2}};
constexpr std::uint64_t max_symbols = 64;

struct sweep_stats {
  std::uint64_t mutants = 0, accepted = 0, rejected = 0, truncations = 0, truncated_code = 0;
  std::uint64_t by_code[256] = {};
  void add(sweep_stats const& s) {
    mutants += s.mutants;
    accepted += s.accepted;
    rejected += s.rejected;
    truncations += s.truncations;
    truncated_code += s.truncated_code;
    for (int c = 0; c < 256; ++c) by_code[c] += s.by_code[c];
  }
  std::uint64_t distinct() const {
    std::uint64_t n = 0;
    for (int c = 1; c < 256; ++c) n += by_code[c] != 0 ? 1 : 0;
    return n;
  }
  std::string codes() const {
    std::string out;
    for (unsigned c = 1; c < 256; ++c)
      if (by_code[c] != 0) out += std::string(to_string(static_cast<errc>(c))) + " " + std::to_string(by_code[c]) + "; ";
    return out;
  }
};

template <class Format, class Arch>
struct sweeper {
  std::vector<std::byte> seed;
  layout l;
  std::uint64_t tag;
  sweep_stats st{};

  void run(std::vector<std::byte> const& bytes, char const* what, std::uint64_t at) {
    std::vector<std::byte> const copy(bytes.begin(), bytes.end()); // exact-size heap block
    outcome const o = try_load<Format, Arch>(copy, tag);
    ++st.mutants;
    if (o.loaded()) ++st.accepted;
    else ++st.rejected;
    ++st.by_code[static_cast<unsigned>(o.error.code)];
    std::string const t = o.loaded() ? std::string{"ok"} : text(o.error);
    if (!o.clean || !valid_code(o.error.code) || t.empty())
      FAIL_CHECK(what << " at " << at << " (mutant " << st.mutants << "): clean " << o.clean << ", code "
                      << static_cast<unsigned>(o.error.code) << " [" << t << "]");
  }

  void mutate_field(std::uint64_t off, std::uint8_t w, char const* what) {
    if (off + w > seed.size()) return;
    std::uint64_t const mask = w == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * w)) - 1;
    std::uint64_t const orig = get(seed, l, off, w);
    std::uint64_t const values[] = {0, 1, orig - 1, orig + 1, seed.size(), seed.size() + 1, std::uint64_t{1} << 31, mask};
    std::vector<std::byte> m = seed;
    std::uint64_t done[8];
    std::size_t ndone = 0;
    for (std::uint64_t v : values) {
      v &= mask;
      bool dup = v == orig;
      for (std::size_t k = 0; k < ndone; ++k) dup = dup || done[k] == v;
      if (dup) continue;
      done[ndone++] = v;
      put(m, l, off, w, v);
      run(m, what, off);
    }
  }

  void sweep() {
    // Truncation at every length.
    for (std::size_t n = 0; n < seed.size(); ++n) {
      std::vector<std::byte> const cut(seed.begin(), seed.begin() + static_cast<std::ptrdiff_t>(n));
      outcome const o = try_load<Format, Arch>(cut, tag);
      ++st.mutants;
      ++st.rejected;
      ++st.truncations;
      st.truncated_code += o.error.code == errc::truncated ? 1 : 0;
      // The section table is at the end of every seed: always errc::truncated, before any allocation.
      if (o.error.code != errc::truncated || !o.clean || o.calls != 0 || text(o.error).empty())
        FAIL_CHECK("truncated to " << n << " bytes: clean " << o.clean << ", calls " << o.calls << ", code "
                                   << static_cast<unsigned>(o.error.code));
    }
    std::uint64_t const shoff = get(seed, l, l.is64 ? 40 : 32, l.word());
    std::uint64_t const shnum = get(seed, l, l.is64 ? 60 : 48, 2);
    std::uint64_t const sz = l.shdr_size();
    REQUIRE(shoff + shnum * sz <= seed.size());
    // Every byte of the ELF header and of the section table at the boundary byte values.
    std::vector<std::byte> m = seed;
    auto bytewise = [&](std::uint64_t from, std::uint64_t to, char const* what) {
      for (std::uint64_t i = from; i < to; ++i) {
        std::byte const orig = m[i];
        for (std::uint8_t v : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
          if (std::byte{v} == orig) continue;
          m[i] = std::byte{v};
          run(m, what, i);
        }
        m[i] = orig;
      }
    };
    bytewise(0, l.ehdr_size(), "ELF header byte");
    bytewise(shoff, shoff + shnum * sz, "section table byte");
    // Field-aware: ELF header, every section header, symbols, relocations.
    for (auto f : l.is64 ? std::span<fld const>{ehdr64} : std::span<fld const>{ehdr32})
      mutate_field(f.offset, f.width, "ELF header field");
    auto const shdr = l.is64 ? std::span<fld const>{shdr64} : std::span<fld const>{shdr32};
    auto sh = [&](std::uint64_t i, unsigned field) { return get(seed, l, shoff + i * sz + shdr[field].offset, shdr[field].width); };
    std::uint64_t symoff = 0, nsyms = 0;
    for (std::uint64_t i = 0; i < shnum; ++i) {
      for (auto f : shdr) mutate_field(shoff + i * sz + f.offset, f.width, "section header field");
      if (sh(i, 1) == elf::SHT_SYMTAB) {
        symoff = sh(i, 4);
        nsyms = sh(i, 5) / l.sym_size();
      }
    }
    for (std::uint64_t k = 1; k < nsyms && k <= max_symbols; ++k)
      for (auto f : l.is64 ? std::span<fld const>{sym64} : std::span<fld const>{sym32})
        mutate_field(symoff + k * l.sym_size() + f.offset, f.width, "symbol field");
    for (std::uint64_t i = 0; i < shnum; ++i) {
      std::uint64_t const type = sh(i, 1);
      if (type != elf::SHT_RELA && type != elf::SHT_REL) continue;
      std::uint64_t const info = sh(i, 7);
      if (info >= shnum || (sh(info, 2) & elf::SHF_ALLOC) == 0) continue;
      std::uint64_t const ent = (type == elf::SHT_RELA ? 3u : 2u) * l.word();
      std::uint64_t const off = sh(i, 4), n = sh(i, 5) / ent;
      for (std::uint64_t j = 0; j < n; j += 3)
        for (std::uint64_t k = 0; k < ent / l.word(); ++k) mutate_field(off + j * ent + k * l.word(), l.word(), "relocation field");
    }
  }
};

std::vector<std::byte> read_bytes(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) out[i] = static_cast<std::byte>(raw[i]);
  return out;
}

// One seed: the original loads, then the sweep; returns its counts.
template <class Format, class Arch>
sweep_stats sweep_seed(std::string const& path, std::uint64_t tag) {
  INFO(path);
  auto const seed = read_bytes(path);
  REQUIRE(seed.size() > 64);
  layout const l{std::to_integer<unsigned>(seed[4]) == 2, std::to_integer<unsigned>(seed[5]) == 1};
  REQUIRE(l.is64 == Format::is_64);
  REQUIRE(l.le == Format::is_le);
  outcome const o = try_load<Format, Arch>(seed, tag);
  INFO(text(o.error));
  REQUIRE(o.loaded());
  REQUIRE(o.clean);
  sweeper<Format, Arch> s{seed, l, tag};
  s.sweep();
  MESSAGE(path.substr(path.rfind('/') + 1) << ": " << seed.size() << " bytes, " << s.st.mutants << " mutants, " << s.st.accepted
                                           << " accepted, " << s.st.rejected << " rejected");
  return s.st;
}

void report(std::string const& arch, sweep_stats const& st) {
  MESSAGE(arch << ": " << st.mutants << " mutants, " << st.accepted << " loaded and unloaded, " << st.rejected << " rejected ("
               << st.truncations << " truncations, " << st.truncated_code << " of them errc::truncated), " << st.distinct()
               << " distinct error codes: " << st.codes());
  CHECK(st.mutants > 1000);
  CHECK(st.accepted > 0);
  CHECK(alloc().live_blocks() == 0);
}

std::string in(char const* dir, char const* file) { return std::string{dir} + "/" + file; }

} // namespace

TEST_CASE("mutation (cross): ARM Thumb-2 little-endian and ARM-state big-endian") {
  sweep_stats st;
  st.add(sweep_seed<elf32le, arch::arm_linux>(in(EXTLOAD_ARM_OBJECTS_DIR, "arm.calls.thumb2.O2-nopic.o"), 1));
  st.add(sweep_seed<elf32be, arch::arm>(in(EXTLOAD_ARM_OBJECTS_DIR, "arm.calls.be.O2-nopic.o"), 0));
  report("arm", st);
}

TEST_CASE("mutation (cross): AArch64") {
  report("aarch64", sweep_seed<elf64le, arch::aarch64>(in(EXTLOAD_AARCH64_OBJECTS_DIR, "aarch64.calls.gcc.O2-nopic.o"), 0));
}

#ifdef EXTLOAD_RISCV_OBJECTS_DIR
TEST_CASE("mutation (cross): RISC-V RV64 and RV32") {
  sweep_stats st;
  st.add(sweep_seed<elf64le, arch::riscv64>(in(EXTLOAD_RISCV_OBJECTS_DIR, "calls.rv64.O2-medany.o"), 0));
  st.add(sweep_seed<elf32le, arch::riscv32>(in(EXTLOAD_RISCV_OBJECTS_DIR, "calls.rv32.O2-medany.o"), 0));
  report("riscv", st);
}
#endif

#ifdef EXTLOAD_CROSS_I386_OBJECTS_DIR
TEST_CASE("mutation (cross): i386") {
  report("i386", sweep_seed<elf32le, arch::x86_32>(in(EXTLOAD_CROSS_I386_OBJECTS_DIR, "calls.i686.O2-pic.o"), 0));
}
#endif

#ifdef EXTLOAD_CROSS_XTENSA_OBJECTS_DIR
TEST_CASE("mutation (cross): Xtensa") {
  report("xtensa", sweep_seed<elf32le, arch::xtensa>(in(EXTLOAD_CROSS_XTENSA_OBJECTS_DIR, "calls.lx106.O2.o"), 0));
}
#endif
