// tests/malformed/mutation.test.cpp: systematic mutation sweeps (MALFORMED.md b.2) over real
// seed objects (gcc and clang-16; small PIC/PIE/non-PIC and large code models; C and C++ with
// COMDAT groups, EH and ld -r output) through the whole x86-64 loader, and over ELF32 builder
// images at parse level (object_view<elf32le/elf32be>, every accessor walked on acceptance):
//   * truncation at every length (must be errc::truncated: the section table is at the end);
//   * every byte of the ELF header and of the section header table set to 0, 1, 0x7f, 0x80, 0xff;
//   * field-aware: every field of the ELF header, of every section header and of every symbol
//     set to 0, 1, its value -1 and +1, the file size and +1, 2^31, and all ones; and r_offset,
//     r_type, r_sym, r_addend of every third relocation of a loaded section, likewise.
// Each mutant is loaded from an exact-size heap copy (so ASan sees any over-read), and must be
// either accepted (then unloaded; loaded code is never run) or rejected with an errc; in both
// cases the counting allocator must end with nothing allocated. Deterministic, no sampling:
// the counts are reported by MESSAGE.
#include <cstdint>
#include <string>
#include <vector>

#include "malformed/harness.hpp"
#include "support/object_files.hpp"

namespace {

using namespace extload;
using namespace extload::test;
using namespace extload::test::malformed;

// The objects are built for the build's host: in a cross build (tests/cross/*.ini) they are not
// x86-64, and the x86-64 loader has nothing to say about them.
bool is_x86_64(std::vector<std::byte> const& b) {
  return b.size() > 20 && std::to_integer<unsigned>(b[18]) == elf::EM_X86_64 && std::to_integer<unsigned>(b[19]) == 0;
}
#if defined(__x86_64__)
constexpr std::size_t min_seeds = 10;
#else
constexpr std::size_t min_seeds = 0;
#endif

struct sweep_stats {
  std::uint64_t mutants = 0, accepted = 0, rejected = 0;
  std::uint64_t by_code[32] = {};
};

bool valid_code(errc c) { return static_cast<unsigned>(c) <= static_cast<unsigned>(errc::busy); }

// One mutant through the whole loader.
void run_mutant(std::vector<std::byte> const& bytes, sweep_stats& st) {
  std::vector<std::byte> const copy(bytes.begin(), bytes.end()); // exact-size heap block
  outcome const o = try_load(copy);
  ++st.mutants;
  if (o.loaded()) ++st.accepted;
  else ++st.rejected;
  ++st.by_code[static_cast<unsigned>(o.error.code) % 32];
  if (!o.clean || !valid_code(o.error.code)) {
    char text[256];
    describe(o.error, text);
    FAIL_CHECK("mutant " << st.mutants << ": clean " << o.clean << ", " << text);
  }
}

// Field offsets and widths for field-aware mutation (ELF64: the loader's format).
struct fld {
  std::uint32_t offset;
  std::uint8_t width;
};
constexpr fld ehdr_fields[] = {{16, 2}, {18, 2}, {20, 4}, {24, 8}, {32, 8}, {40, 8}, {48, 4}, {52, 2}, {54, 2}, {56, 2}, {58, 2}, {60, 2}, {62, 2}};
constexpr fld shdr_fields[] = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {48, 8}, {56, 8}};
constexpr fld sym_fields[] = {{0, 4}, {4, 1}, {5, 1}, {6, 2}, {8, 8}, {16, 8}};

std::uint64_t get(std::vector<std::byte> const& b, std::uint64_t off, std::uint8_t w) {
  std::uint64_t v = 0;
  for (std::uint8_t k = 0; k < w; ++k) v |= std::uint64_t{std::to_integer<std::uint8_t>(b[off + k])} << (8 * k);
  return v;
}
void put(std::vector<std::byte>& b, std::uint64_t off, std::uint8_t w, std::uint64_t v) {
  for (std::uint8_t k = 0; k < w; ++k) b[off + k] = static_cast<std::byte>(v >> (8 * k));
}

void mutate_field(std::vector<std::byte> const& seed, std::uint64_t off, std::uint8_t w, sweep_stats& st) {
  std::uint64_t const mask = w == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * w)) - 1;
  std::uint64_t const orig = get(seed, off, w);
  std::uint64_t const values[] = {0, 1, orig - 1, orig + 1, seed.size(), seed.size() + 1, std::uint64_t{1} << 31, mask};
  std::vector<std::byte> m = seed;
  for (std::uint64_t v : values) {
    if ((v & mask) == orig) continue;
    put(m, off, w, v & mask);
    run_mutant(m, st);
  }
  put(m, off, w, orig);
}

sweep_stats sweep_object(std::vector<std::byte> const& seed) {
  sweep_stats st;
  // Truncation at every length: always rejected, always as truncated.
  for (std::size_t n = 0; n < seed.size(); ++n) {
    std::vector<std::byte> const cut(seed.begin(), seed.begin() + static_cast<std::ptrdiff_t>(n));
    outcome const o = try_load(cut);
    ++st.mutants;
    ++st.rejected;
    if (o.error.code != errc::truncated || !o.clean || o.calls != 0) FAIL_CHECK("truncated to " << n << " bytes: code " << static_cast<int>(o.error.code));
  }
  std::uint64_t const shoff = get(seed, 40, 8);
  std::uint64_t const shnum = get(seed, 60, 2);
  REQUIRE(shoff + shnum * 64 <= seed.size());
  // Every byte of the ELF header and of the section table, at the boundary byte values.
  std::vector<std::byte> m = seed;
  auto bytewise = [&](std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t i = from; i < to; ++i) {
      std::byte const orig = m[i];
      for (std::uint8_t v : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
        if (std::byte{v} == orig) continue;
        m[i] = std::byte{v};
        run_mutant(m, st);
      }
      m[i] = orig;
    }
  };
  bytewise(0, 64);
  bytewise(shoff, shoff + shnum * 64);
  // Field-aware: header fields, every section header field, every symbol field.
  for (auto f : ehdr_fields) mutate_field(seed, f.offset, f.width, st);
  std::uint64_t symoff = 0, nsyms = 0;
  for (std::uint64_t i = 0; i < shnum; ++i) {
    std::uint64_t const h = shoff + i * 64;
    for (auto f : shdr_fields) mutate_field(seed, h + f.offset, f.width, st);
    if (get(seed, h + 4, 4) == elf::SHT_SYMTAB) {
      symoff = get(seed, h + 24, 8);
      nsyms = get(seed, h + 32, 8) / 24;
    }
  }
  for (std::uint64_t k = 1; k < nsyms; ++k)
    for (auto f : sym_fields) mutate_field(seed, symoff + k * 24 + f.offset, f.width, st);
  // Relocation entries of loaded sections (RELA: r_offset, r_info, r_addend), every 3rd entry.
  for (std::uint64_t i = 0; i < shnum; ++i) {
    std::uint64_t const h = shoff + i * 64;
    if (get(seed, h + 4, 4) != elf::SHT_RELA) continue;
    std::uint64_t const info = get(seed, h + 44, 4);
    if (info >= shnum || (get(seed, shoff + info * 64 + 8, 8) & elf::SHF_ALLOC) == 0) continue;
    std::uint64_t const off = get(seed, h + 24, 8), n = get(seed, h + 32, 8) / 24;
    for (std::uint64_t j = 0; j < n; j += 3) {
      mutate_field(seed, off + j * 24, 8, st);      // r_offset
      mutate_field(seed, off + j * 24 + 8, 4, st);  // r_type
      mutate_field(seed, off + j * 24 + 12, 4, st); // r_sym
      mutate_field(seed, off + j * 24 + 16, 8, st); // r_addend
    }
  }
  return st;
}

std::vector<object_file> sweep_seeds() {
  std::vector<object_file> out;
  for (auto const& o : all_objects) {
    std::string const l = o.label();
    for (char const* want : {"calls.gcc.O2-pie", "calls.clang.O2-pic", "switch.gcc.O2-nopic", "switch.clang.Os-pie",
                             "cxx.clang.O2-pic-large", "cxx.gcc.O0-pie", "comdat_ab.gcc.O2-pic", "comdat_ab.clang.O2-pie",
                             "ctors.clang.O0-pic", "data.gcc.O2-nopic-large", "weak.clang.O2-nopic", "throw.gcc.O2-pie"})
      if (l == want && is_x86_64(read_object_file(o))) out.push_back(o);
  }
  return out;
}

TEST_CASE("mutation: real objects: truncation, boundary bytes of header and section table, field-aware values") {
  auto const seeds = sweep_seeds();
  CHECK(seeds.size() >= min_seeds);
  sweep_stats total;
  for (auto const& o : seeds) {
    auto const seed = read_object_file(o);
    REQUIRE_FALSE(seed.empty());
    INFO(o.label());
    REQUIRE(try_load(seed).clean);
    sweep_stats const st = sweep_object(seed);
    MESSAGE(o.label() << ": " << seed.size() << " bytes, " << st.mutants << " mutants, " << st.accepted << " accepted, "
                      << st.rejected << " rejected");
    total.mutants += st.mutants;
    total.accepted += st.accepted;
    total.rejected += st.rejected;
    for (int c = 0; c < 32; ++c) total.by_code[c] += st.by_code[c];
  }
  std::string codes;
  for (unsigned c = 1; c < 32; ++c)
    if (total.by_code[c] != 0) codes += std::string(to_string(static_cast<errc>(c))) + " " + std::to_string(total.by_code[c]) + "; ";
  MESSAGE("real objects: " << seeds.size() << " seeds, " << total.mutants << " mutants, " << total.accepted << " loaded and unloaded, "
                           << total.rejected << " rejected. Rejections by code (excluding truncations): " << codes);
  CHECK(arena().live_blocks() == 0);
}

// --- ELF32 (and ELF64 big-endian) builder images at parse level --------------------------------------
// Accepted mutants are walked through every accessor the loader uses: section names and bytes,
// every symbol and its name, every relocation entry, group members.
template <class F>
bool walk(std::span<std::byte const> bytes) {
  auto v = object_view<F>::parse(bytes, machine_of<F>);
  if (!v) return valid_code(v.code());
  for (std::uint32_t i = 1; i < v->section_count(); ++i) {
    auto const s = v->section(i);
    (void)v->section_name(i);
    auto const b = v->section_bytes(i);
    std::uint64_t sum = 0;
    for (std::byte x : b) sum += std::to_integer<std::uint8_t>(x);
    (void)sum;
    if (s.type == elf::SHT_REL || s.type == elf::SHT_RELA)
      for (std::uint64_t j = 0; j < s.size / s.entsize; ++j)
        (void)(s.type == elf::SHT_RELA ? v->template relocation_at<true>(s, j).offset : v->template relocation_at<false>(s, j).offset);
    if (s.type == elf::SHT_GROUP)
      for (std::uint64_t k = 0; k + 1 < s.size / 4; ++k) (void)v->group_member(i, k);
  }
  for (std::uint32_t k = 1; k < v->symbol_count(); ++k) {
    auto s = v->symbol_at(k);
    if (!s) return valid_code(s.code());
    (void)v->symbol_name(*s);
    (void)v->symbol_name_unchecked(*s);
  }
  return true;
}

template <class F>
std::uint64_t sweep_parse(std::span<std::byte const> seed_span) {
  using C = typename F::elf_class_type;
  std::vector<std::byte> const seed(seed_span.begin(), seed_span.end());
  std::uint64_t n = 0;
  auto one = [&](std::vector<std::byte> const& m) {
    std::vector<std::byte> const copy(m.begin(), m.end());
    ++n;
    if (!walk<F>(copy)) FAIL_CHECK("parse mutant " << n << " returned an invalid code");
  };
  for (std::size_t len = 0; len < seed.size(); ++len) one(std::vector<std::byte>(seed.begin(), seed.begin() + static_cast<std::ptrdiff_t>(len)));
  auto const v = object_view<F>::parse(seed_span, machine_of<F>);
  REQUIRE(v.has_value());
  std::uint64_t const shoff = v->header().shoff;
  std::uint64_t const table = std::uint64_t{v->section_count()} * C::shdr_size;
  std::vector<std::byte> m = seed;
  auto bytewise = [&](std::uint64_t from, std::uint64_t to) {
    for (std::uint64_t i = from; i < to; ++i) {
      std::byte const orig = m[i];
      for (std::uint8_t x : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
        if (std::byte{x} == orig) continue;
        m[i] = std::byte{x};
        one(m);
      }
      m[i] = orig;
    }
  };
  bytewise(0, C::ehdr_size);
  bytewise(shoff, shoff + table);
  bytewise(v->section(v->symtab_index()).offset, v->section(v->symtab_index()).offset + v->section(v->symtab_index()).size);
  return n;
}

TEST_CASE_TEMPLATE("mutation: builder images at parse level", F, EXTLOAD_ALL_FORMATS) {
  auto b = base_builder<F>();
  b.init_array(1).section(".text.g", elf::SHT_PROGBITS, AX, bytes{0xc3}, 1).group(".group", "g_fn", {".text.g"})
      .symbol("g_fn", elf::STB_GLOBAL, elf::STT_FUNC, ".text.g", 0, 1).with_symtab_shndx();
  add_reloc(b, ".init_array", {0, "ext_fn", abs_word<F>, 0});
  auto const rich = b.template build<capacity>();
  std::uint64_t const n = sweep_parse<F>(base_img<F>.view()) + sweep_parse<F>(rich.view());
  MESSAGE((F::is_64 ? "ELF64" : "ELF32") << (F::is_le ? " LE" : " BE") << ": " << n << " parse-level mutants");
  CHECK(n > 5000);
}

} // namespace
