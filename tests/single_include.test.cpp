// tests/single_include.test.cpp: the generated single header works on its own. Built against
// single_include/ only (no include/ on the path), it parses a hand-written ELF64 relocatable
// image, reads its sections, symbols and RELA entry, and applies the relocation through a
// relocation set, end to end, both in static_assert and at run time (STYLE.md R12).
#include <extload/extload.hpp>

#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

namespace {

namespace elf = extload::elf;
namespace arch = extload::arch;
using extload::errc;

// A tiny ELF64 little-endian x86-64 relocatable object, laid out by hand (gABI ch. 4):
//   [0] NULL  [1] .text (8 bytes: call rel32; ret; nop; nop)  [2] .rela.text (1 entry)
//   [3] .symtab (null, f: GLOBAL FUNC in .text, g: GLOBAL undefined)  [4] .strtab  [5] .shstrtab
// The RELA entry patches the call's rel32 at .text+1 with g - 4 - P (R_X86_64_PC32 = 2).
constexpr std::size_t text_off = 64, symtab_off = 72, strtab_off = 144, shstrtab_off = 149,
                      rela_off = 200, shdr_off = 224, image_size = shdr_off + 6 * 64;
constexpr char strtab[] = "\0f\0g";                                        // 5 bytes with the final NUL
constexpr char shstrtab[] = "\0.text\0.symtab\0.strtab\0.shstrtab\0.rela.text"; // 44 bytes
constexpr std::uint32_t name_text = 1, name_symtab = 7, name_strtab = 15, name_shstrtab = 23, name_rela = 33;
constexpr std::uint32_t R_TOY_PC32 = 2;

using image_t = std::array<std::byte, image_size>;

constexpr void put16(image_t& b, std::size_t off, std::uint16_t v) { extload::store_at<std::uint16_t, std::endian::little>(b.data() + off, v); }
constexpr void put32(image_t& b, std::size_t off, std::uint32_t v) { extload::store_at<std::uint32_t, std::endian::little>(b.data() + off, v); }
constexpr void put64(image_t& b, std::size_t off, std::uint64_t v) { extload::store_at<std::uint64_t, std::endian::little>(b.data() + off, v); }

struct shdr {
  std::uint32_t name, type;
  std::uint64_t flags, offset, size;
  std::uint32_t link, info;
  std::uint64_t addralign, entsize;
};

constexpr void put_shdr(image_t& b, std::size_t index, shdr const& s) {
  std::size_t const at = shdr_off + index * 64;
  put32(b, at, s.name);
  put32(b, at + 4, s.type);
  put64(b, at + 8, s.flags);
  put64(b, at + 16, 0); // sh_addr: 0 in a relocatable object
  put64(b, at + 24, s.offset);
  put64(b, at + 32, s.size);
  put32(b, at + 40, s.link);
  put32(b, at + 44, s.info);
  put64(b, at + 48, s.addralign);
  put64(b, at + 56, s.entsize);
}

constexpr image_t make_image() {
  image_t b{};
  // ELF header (Elf64_Ehdr).
  b[0] = std::byte{0x7f}; b[1] = std::byte{'E'}; b[2] = std::byte{'L'}; b[3] = std::byte{'F'};
  b[elf::EI_CLASS] = std::byte{elf::ELFCLASS64};
  b[elf::EI_DATA] = std::byte{elf::ELFDATA2LSB};
  b[elf::EI_VERSION] = std::byte{elf::EV_CURRENT};
  put16(b, 16, elf::ET_REL);
  put16(b, 18, elf::EM_X86_64);
  put32(b, 20, elf::EV_CURRENT);
  put64(b, 40, shdr_off); // e_shoff
  put16(b, 52, 64);       // e_ehsize
  put16(b, 58, 64);       // e_shentsize
  put16(b, 60, 6);        // e_shnum
  put16(b, 62, 5);        // e_shstrndx
  // .text: e8 00 00 00 00 (call rel32, addend in RELA) c3 (ret) 90 90
  constexpr std::uint8_t text[] = {0xe8, 0, 0, 0, 0, 0xc3, 0x90, 0x90};
  for (std::size_t i = 0; i < sizeof text; ++i) b[text_off + i] = std::byte{text[i]};
  // .symtab (Elf64_Sym: name, info, other, shndx, value, size); entry 0 stays zero.
  put32(b, symtab_off + 24, 1);
  b[symtab_off + 24 + 4] = std::byte{(elf::STB_GLOBAL << 4) | elf::STT_FUNC};
  put16(b, symtab_off + 24 + 6, 1);
  put64(b, symtab_off + 24 + 16, 6);
  put32(b, symtab_off + 48, 3);
  b[symtab_off + 48 + 4] = std::byte{(elf::STB_GLOBAL << 4) | elf::STT_NOTYPE};
  for (std::size_t i = 0; i < sizeof strtab; ++i) b[strtab_off + i] = static_cast<std::byte>(strtab[i]);
  for (std::size_t i = 0; i < sizeof shstrtab; ++i) b[shstrtab_off + i] = static_cast<std::byte>(shstrtab[i]);
  // .rela.text (Elf64_Rela): r_offset 1, r_info = sym 2 | type PC32, r_addend -4.
  put64(b, rela_off, 1);
  put64(b, rela_off + 8, (std::uint64_t{2} << 32) | R_TOY_PC32);
  put64(b, rela_off + 16, static_cast<std::uint64_t>(std::int64_t{-4}));
  put_shdr(b, 1, {name_text, elf::SHT_PROGBITS, elf::SHF_ALLOC | elf::SHF_EXECINSTR, text_off, 8, 0, 0, 16, 0});
  put_shdr(b, 2, {name_rela, elf::SHT_RELA, elf::SHF_INFO_LINK, rela_off, 24, 3, 1, 8, 24});
  put_shdr(b, 3, {name_symtab, elf::SHT_SYMTAB, 0, symtab_off, 72, 4, 1, 8, 24});
  put_shdr(b, 4, {name_strtab, elf::SHT_STRTAB, 0, strtab_off, sizeof strtab, 0, 0, 1, 0});
  put_shdr(b, 5, {name_shstrtab, elf::SHT_STRTAB, 0, shstrtab_off, sizeof shstrtab, 0, 0, 1, 0});
  return b;
}

// A one-type relocation set written in the library's vocabulary (arch/common.hpp).
struct toy_traits {
  static constexpr std::uint16_t e_machine = elf::EM_X86_64;
  static constexpr bool uses_rela = true;
  static constexpr std::size_t got_entry_size = 8;
  static constexpr std::size_t veneer_size = 0;
  static constexpr std::uint64_t veneer_align = 1;
  static constexpr char const* arch_name = "toy";
};
struct toy_pc32 : arch::data_write<std::uint32_t> {
  static constexpr std::uint32_t type = R_TOY_PC32;
  static constexpr char const* name = "R_TOY_PC32";
  static constexpr arch::expr kind = arch::expr::pc;
  static constexpr arch::range check = arch::signed_bits(32);
  static constexpr std::uint64_t align = 1;
};
struct toy_abs64 : arch::data_write<std::uint64_t> {
  static constexpr std::uint32_t type = 1;
  static constexpr char const* name = "R_TOY_64";
  static constexpr arch::expr kind = arch::expr::abs;
  static constexpr arch::range check = arch::no_check;
  static constexpr std::uint64_t align = 1;
};
using toy = arch::reloc_set<toy_traits, toy_abs64, toy_pc32>;
static_assert(arch::relocation_set<toy>);
using toy_pc_only = arch::narrow<toy, R_TOY_PC32>;

using view = extload::object_view<extload::elf64le>;

constexpr bool parses_sections_and_symbols() {
  image_t const img = make_image();
  auto const v = view::parse(std::span<std::byte const>{img}, elf::EM_X86_64);
  if (!v) return false;
  if (v->section_count() != 6 || v->symtab_index() != 3 || v->symbol_count() != 3 || v->first_global() != 1) return false;
  auto const text_name = v->section_name(1);
  if (!text_name || !(*text_name == ".text")) return false;
  if (v->section_bytes(1).size() != 8 || v->section_bytes(1)[0] != std::byte{0xe8}) return false;
  auto const f = v->symbol_at(1);
  if (!f || f->bind() != elf::STB_GLOBAL || f->type() != elf::STT_FUNC || f->shndx != 1 || f->size != 6) return false;
  auto const f_name = v->symbol_name(*f);
  if (!f_name || !(*f_name == "f")) return false;
  auto const g = v->symbol_at(2);
  if (!g || !g->is_undefined()) return false;
  auto const g_name = v->symbol_name(*g);
  return g_name && *g_name == "g" && v->symbol_at(3).code() == errc::bad_symbol;
}

constexpr bool reads_the_rela_entry() {
  image_t const img = make_image();
  auto const v = view::parse(std::span<std::byte const>{img});
  if (!v) return false;
  auto const r = v->relocation_at<true>(v->section(2), 0);
  return r.offset == 1 && r.sym == 2 && r.type == R_TOY_PC32 && r.addend == -4;
}

constexpr bool rejects_damaged_images() {
  image_t img = make_image();
  std::span<std::byte const> const whole{img};
  if (view::parse(whole.first(40)).code() != errc::truncated) return false;    // shorter than Elf64_Ehdr
  if (view::parse(whole, elf::EM_ARM).code() != errc::bad_machine) return false; // wrong machine asked for
  if (extload::object_view<extload::elf32le>::parse(whole).code() != errc::bad_class) return false;
  if (extload::object_view<extload::elf64be>::parse(whole).code() != errc::bad_byte_order) return false;
  img[shdr_off + 3 * 64 + 56] = std::byte{16}; // .symtab sh_entsize 24 -> 16
  auto const bad = view::parse(std::span<std::byte const>{img});
  if (bad.code() != errc::bad_section || bad.error().what != extload::field::sh_entsize || bad.error().section != 3) return false;
  img = make_image();
  img[1] = std::byte{'e'};
  return view::parse(std::span<std::byte const>{img}).code() == errc::bad_magic;
}

// Apply the image's relocation to a copy of .text "loaded" at 0x1000 with g at `g_addr`.
struct applied {
  errc code;
  std::array<std::byte, 8> text;
};
template <class Set>
constexpr applied apply_rela(std::uint64_t g_addr) {
  image_t const img = make_image();
  auto const v = view::parse(std::span<std::byte const>{img});
  applied out{errc::not_found, {}};
  if (!v) return out;
  for (std::size_t i = 0; i < 8; ++i) out.text[i] = v->section_bytes(1)[i];
  auto const r = v->relocation_at<true>(v->section(2), 0);
  arch::values const in{.S = g_addr, .A = r.addend, .P = 0x1000 + r.offset};
  out.code = Set::dispatch(r.type, errc::unknown_relocation, [&](auto h) {
    using H = typename decltype(h)::type;
    return arch::apply<H, std::endian::little>(out.text.data() + r.offset, in);
  });
  return out;
}

constexpr bool relocates_through_a_reloc_set() {
  // g at 0x2000: value = 0x2000 - 4 - 0x1001 = 0xffb, little-endian at .text+1.
  auto const a = apply_rela<toy>(0x2000);
  if (a.code != errc::ok) return false;
  constexpr std::uint8_t want[] = {0xe8, 0xfb, 0x0f, 0x00, 0x00, 0xc3, 0x90, 0x90};
  for (std::size_t i = 0; i < 8; ++i)
    if (a.text[i] != std::byte{want[i]}) return false;
  // Out of the signed 32-bit range: rejected, and nothing is written.
  auto const far = apply_rela<toy>(0x1'0000'2000);
  if (far.code != errc::relocation_overflow || far.text[1] != std::byte{0}) return false;
  // The narrowed set still handles PC32; a set without it reports the type as unknown.
  if (apply_rela<toy_pc_only>(0x2000).code != errc::ok) return false;
  using abs_only = arch::narrow<toy, 1>;
  return apply_rela<abs_only>(0x2000).code == errc::unknown_relocation && toy_pc_only::type_count == 1 &&
         !abs_only::handles(R_TOY_PC32) && toy::name_of(R_TOY_PC32) != nullptr;
}

constexpr bool errors_are_data() {
  return extload::to_string(errc::bad_magic) == "not an ELF file (bad magic)" &&
         extload::to_string(extload::field::sh_entsize) == "sh_entsize" &&
         extload::to_errno(errc::out_of_memory) == -12 && extload::to_errno(errc::ok) == 0 &&
         EXTLOAD_VERSION_MAJOR == 0;
}

static_assert(parses_sections_and_symbols());
static_assert(reads_the_rela_entry());
static_assert(rejects_damaged_images());
static_assert(relocates_through_a_reloc_set());
static_assert(errors_are_data());

} // namespace

TEST_CASE("single header: parse a hand-written ELF64 relocatable object") {
  CHECK(parses_sections_and_symbols());
  CHECK(reads_the_rela_entry());
  CHECK(rejects_damaged_images());
}

TEST_CASE("single header: apply a RELA relocation through a relocation set") {
  CHECK(relocates_through_a_reloc_set());
}

TEST_CASE("single header: errors are data") {
  CHECK(errors_are_data());
}
