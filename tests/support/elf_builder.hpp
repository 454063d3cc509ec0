// tests/support/elf_builder.hpp: a constexpr builder of small ELF relocatable images (ET_REL)
// for any of the four formats, and patch helpers that corrupt one field of a built image, so
// parser and loader tests run inside static_assert as well as at run time (STYLE.md R12).
//
// The builder writes what an assembler writes (ELF gABI, chapter 4 "Object Files"):
//   [ELF header][section data, in section order][section header table]
// Section order: 0 = SHN_UNDEF, the user's sections (and groups) in call order, one
// .rel<target>/.rela<target> per relocated section (first use order), then .symtab,
// .symtab_shndx (when needed), .strtab, .shstrtab. The symbol table holds the null symbol, the
// STB_LOCAL symbols, then the others (gABI: "all symbols with STB_LOCAL binding precede the weak
// and global symbols"; sh_info = index of the first non-local). Extended section numbering
// (e_shnum = 0 / e_shstrndx = SHN_XINDEX) and SHN_XINDEX symbols are used when an index does not
// fit 16 bits, or on request.
//
//   template <class Format> constexpr auto img = elf_builder<Format>{}
//       .machine(elf::EM_X86_64)
//       .section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, bytes{0x90, 0xc3}, 16)
//       .section(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, size(64), 8)
//       .symbol("main", STB_GLOBAL, STT_FUNC, ".text", 0, 2)
//       .symbol("printk", STB_GLOBAL, STT_NOTYPE, undefined)
//       .rela(".text", {1, "printk", R_X86_64_PLT32, -4})
//       .build();
//   auto bad = img<elf64le>;                       // copies are cheap: a std::array + a size
//   bad.patch_section(".text", field::sh_addralign, 3).patch(field::e_shentsize, 0);
//
// The builder uses std::vector, so it only lives during constant evaluation (transient
// allocation); build() returns an elf_image, a std::array<std::byte, N> with a length, which is
// a literal type usable in constexpr variables and static_assert. Every write goes through
// bytes.hpp store_at in the format's byte order. Misuse (unknown section name, capacity too
// small) calls a non-constexpr function: a compile error during constant evaluation, a message
// and abort() at run time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "extload/bytes.hpp"
#include "extload/elf/constants.hpp"
#include "extload/elf/format.hpp"
#include "extload/error.hpp"

namespace extload::inline v0::test {

// Never constexpr: reaching it during constant evaluation is a compile error naming it.
[[noreturn]] inline void elf_builder_error(char const* what) noexcept {
  std::fprintf(stderr, "elf_builder: %s\n", what);
  std::abort();
}

// ---------------------------------------------------------------------------------------------
// Vocabulary of the builder.

// File bytes of a section: bytes{0x90, 0xc3}, bytes{std::string_view{"hi\0", 3}}.
struct bytes {
  std::vector<std::byte> data;
  constexpr bytes(std::initializer_list<std::uint8_t> l) {
    for (auto b : l) data.push_back(std::byte{b});
  }
  constexpr explicit bytes(std::string_view s) {
    for (char c : s) data.push_back(static_cast<std::byte>(c));
  }
  constexpr explicit bytes(std::span<std::byte const> s) : data(s.begin(), s.end()) {}
};

// A size without contents: sh_size of an SHT_NOBITS section, or that many zero bytes otherwise.
struct size {
  std::uint64_t n;
  constexpr explicit size(std::uint64_t v) noexcept : n(v) {}
};

// What a section holds (implicitly made from bytes or size).
struct content {
  std::vector<std::byte> data;
  std::uint64_t n = 0;
  constexpr content(bytes b) : data(std::move(b.data)), n(data.size()) {} // NOLINT: implicit
  constexpr content(size s) : n(s.n) {}                                     // NOLINT: implicit
};

// Rarely needed section header fields, given with designated initialisers: {.entsize = 4}.
struct section_options {
  std::uint32_t link = 0, info = 0;
  std::uint64_t entsize = 0, addr = 0;
};

// A raw st_shndx value: undefined, absolute, common, or any number (shndx{0xff05}, shndx{99}).
struct shndx {
  std::uint16_t value;
};
inline constexpr shndx undefined{elf::SHN_UNDEF}, absolute{elf::SHN_ABS}, common{elf::SHN_COMMON};

// Where a symbol is defined: a section by name, or a raw st_shndx.
struct section_ref {
  std::string_view name{};
  std::uint16_t raw = 0;
  bool by_name = false;
  constexpr section_ref(char const* n) noexcept : name(n), by_name(true) {}      // NOLINT
  constexpr section_ref(std::string_view n) noexcept : name(n), by_name(true) {} // NOLINT
  constexpr section_ref(shndx s) noexcept : raw(s.value) {}                      // NOLINT
};

// Which symbol a relocation (or a group signature) names: a symbol by name, the STT_SECTION
// symbol of a section (section_sym{".text"}), or a raw symbol table index (sym_index{7}).
struct sym_index {
  std::uint32_t value;
};
struct section_sym {
  std::string_view section;
};
struct sym_ref {
  enum class kind : std::uint8_t { name, section, index } k = kind::index;
  std::string_view name{};
  std::uint32_t index = 0;
  constexpr sym_ref(char const* n) noexcept : k(kind::name), name(n) {}      // NOLINT
  constexpr sym_ref(std::string_view n) noexcept : k(kind::name), name(n) {} // NOLINT
  constexpr sym_ref(section_sym s) noexcept : k(kind::section), name(s.section) {} // NOLINT
  constexpr sym_ref(sym_index i) noexcept : index(i.value) {}                // NOLINT
};

// One relocation: {r_offset, symbol, type, addend}. The addend is ignored for SHT_REL.
struct reloc {
  std::uint64_t offset;
  sym_ref sym;
  std::uint32_t type;
  std::int64_t addend = 0;
};

// ---------------------------------------------------------------------------------------------
// Field positions (gABI "ELF Header", "Sections", "Symbol Table", "Relocation").

// Header and section header fields that extload::field does not name.
enum class other_field : std::uint8_t { e_entry, e_phoff, e_flags, e_phentsize, e_phnum, sh_addr };

struct field_slot {
  std::uint64_t offset; // from the start of the header / entry
  std::uint8_t width;   // bytes; 0 = not a field of this structure
};

template <elf_format_policy Format>
struct layout_of {
  static constexpr bool w8 = Format::is_64;
  static constexpr std::uint8_t W = w8 ? 8 : 4; // Elf_Addr / Elf_Off / Elf_Xword width

  static constexpr field_slot ehdr(field f) noexcept {
    switch (f) {
    case field::e_type: return {16, 2};
    case field::e_machine: return {18, 2};
    case field::e_version: return {20, 4};
    case field::e_shoff: return {w8 ? 40u : 32u, W};
    case field::e_ehsize: return {w8 ? 52u : 40u, 2};
    case field::e_shentsize: return {w8 ? 58u : 46u, 2};
    case field::e_shnum: return {w8 ? 60u : 48u, 2};
    case field::e_shstrndx: return {w8 ? 62u : 50u, 2};
    default: return {0, 0};
    }
  }
  static constexpr field_slot ehdr(other_field f) noexcept {
    switch (f) {
    case other_field::e_entry: return {24, W};
    case other_field::e_phoff: return {w8 ? 32u : 28u, W};
    case other_field::e_flags: return {w8 ? 48u : 36u, 4};
    case other_field::e_phentsize: return {w8 ? 54u : 42u, 2};
    case other_field::e_phnum: return {w8 ? 56u : 44u, 2};
    default: return {0, 0};
    }
  }
  static constexpr field_slot shdr(field f) noexcept {
    switch (f) {
    case field::sh_name: return {0, 4};
    case field::sh_type: return {4, 4};
    case field::sh_flags: return {8, W};
    case field::sh_offset: return {w8 ? 24u : 16u, W};
    case field::sh_size: return {w8 ? 32u : 20u, W};
    case field::sh_link: return {w8 ? 40u : 24u, 4};
    case field::sh_info: return {w8 ? 44u : 28u, 4};
    case field::sh_addralign: return {w8 ? 48u : 32u, W};
    case field::sh_entsize: return {w8 ? 56u : 36u, W};
    default: return {0, 0};
    }
  }
  static constexpr field_slot shdr(other_field f) noexcept {
    return f == other_field::sh_addr ? field_slot{w8 ? 16u : 12u, W} : field_slot{0, 0};
  }
  // Elf32_Sym: name, value, size, info, other, shndx; Elf64_Sym: name, info, other, shndx, value, size.
  static constexpr field_slot sym(field f) noexcept {
    switch (f) {
    case field::st_name: return {0, 4};
    case field::st_info: return {w8 ? 4u : 12u, 1};
    case field::st_other: return {w8 ? 5u : 13u, 1};
    case field::st_shndx: return {w8 ? 6u : 14u, 2};
    case field::st_value: return {w8 ? 8u : 4u, W};
    case field::st_size: return {w8 ? 16u : 8u, W};
    default: return {0, 0};
    }
  }
  // Elf_Rel / Elf_Rela: r_offset, r_info, r_addend. r_sym and r_type are parts of r_info.
  static constexpr field_slot rel(field f) noexcept {
    switch (f) {
    case field::r_offset: return {0, W};
    case field::r_info: return {W, W};
    case field::r_addend: return {2u * W, W};
    default: return {0, 0};
    }
  }
  // ELF32_R_INFO(s, t) = (s << 8) + (unsigned char)t; ELF64_R_INFO(s, t) = (s << 32) + t.
  static constexpr std::uint64_t r_info(std::uint32_t sym, std::uint32_t type) noexcept {
    if constexpr (w8) return (std::uint64_t{sym} << 32) | type;
    else return static_cast<std::uint32_t>((sym << 8) | (type & 0xffu));
  }
};

// Everything the builder knows about where it put things; patches use it rather than the
// (possibly corrupted) header, so e.g. patching e_shoff does not move the section table.
struct image_layout {
  std::uint64_t shoff = 0;
  std::uint32_t shnum = 0, shstrndx = 0;
  std::uint32_t symtab = 0, symtab_shndx = 0, strtab = 0; // 0 = absent
  std::uint64_t symtab_offset = 0, strtab_offset = 0, shstrtab_offset = 0;
  std::uint64_t strtab_size = 0, shstrtab_size = 0;
  std::uint32_t nsyms = 0, first_global = 0;
};

// ---------------------------------------------------------------------------------------------
// The built image: bytes + length + layout, with readers and patch helpers. Patches write in the
// format's width and byte order, truncating the value to the field width; they return *this so
// they chain. Name lookups read the names from the image as it is now: look names up before
// corrupting sh_name/st_name or the string tables.

template <elf_format_policy Format, std::size_t N>
struct elf_image {
  using C = typename Format::elf_class_type;
  using L = layout_of<Format>;
  static constexpr std::endian O = Format::byte_order;
  static constexpr std::size_t capacity = N;

  std::array<std::byte, N> data{};
  std::size_t length = 0;
  image_layout layout{};

  constexpr std::span<std::byte const> view() const noexcept { return {data.data(), length}; }
  constexpr std::size_t size() const noexcept { return length; }

  // --- raw access at absolute offsets --------------------------------------------------------
  constexpr std::uint64_t read(std::uint64_t off, std::uint8_t width) const noexcept {
    if (off + width > length) elf_builder_error("read past the end of the image");
    std::byte const* p = data.data() + off;
    switch (width) {
    case 1: return std::to_integer<std::uint8_t>(*p);
    case 2: return load_at<std::uint16_t, O>(p);
    case 4: return load_at<std::uint32_t, O>(p);
    case 8: return load_at<std::uint64_t, O>(p);
    default: elf_builder_error("bad field width");
    }
  }
  constexpr elf_image& write(std::uint64_t off, std::uint8_t width, std::uint64_t v) noexcept {
    if (off + width > length) elf_builder_error("patch past the end of the image");
    std::byte* p = data.data() + off;
    switch (width) {
    case 1: *p = static_cast<std::byte>(v); break;
    case 2: store_at<std::uint16_t, O>(p, static_cast<std::uint16_t>(v)); break;
    case 4: store_at<std::uint32_t, O>(p, static_cast<std::uint32_t>(v)); break;
    case 8: store_at<std::uint64_t, O>(p, v); break;
    default: elf_builder_error("bad field width");
    }
    return *this;
  }
  constexpr elf_image& patch_u8(std::uint64_t off, std::uint64_t v) noexcept { return write(off, 1, v); }
  constexpr elf_image& patch_u16(std::uint64_t off, std::uint64_t v) noexcept { return write(off, 2, v); }
  constexpr elf_image& patch_u32(std::uint64_t off, std::uint64_t v) noexcept { return write(off, 4, v); }
  constexpr elf_image& patch_u64(std::uint64_t off, std::uint64_t v) noexcept { return write(off, 8, v); }
  constexpr elf_image& patch_word(std::uint64_t off, std::uint64_t v) noexcept { return write(off, L::W, v); }

  // Keep the first n bytes (never grows the image).
  constexpr elf_image& truncate(std::size_t n) noexcept {
    if (n < length) length = n;
    return *this;
  }

  // --- ELF header ----------------------------------------------------------------------------
  constexpr elf_image& patch_ident(std::size_t i, std::uint8_t v) noexcept { return write(i, 1, v); }
  constexpr std::uint8_t ident(std::size_t i) const noexcept { return static_cast<std::uint8_t>(read(i, 1)); }
  constexpr elf_image& patch(field f, std::uint64_t v) noexcept { auto s = checked(L::ehdr(f)); return write(s.offset, s.width, v); }
  constexpr elf_image& patch(other_field f, std::uint64_t v) noexcept { auto s = checked(L::ehdr(f)); return write(s.offset, s.width, v); }
  constexpr std::uint64_t get(field f) const noexcept { auto s = checked(L::ehdr(f)); return read(s.offset, s.width); }
  constexpr std::uint64_t get(other_field f) const noexcept { auto s = checked(L::ehdr(f)); return read(s.offset, s.width); }

  // --- section headers -----------------------------------------------------------------------
  constexpr std::uint64_t section_header_offset(std::uint32_t i) const noexcept {
    return layout.shoff + std::uint64_t{i} * C::shdr_size;
  }
  constexpr elf_image& patch_section(std::uint32_t i, field f, std::uint64_t v) noexcept {
    auto s = checked(L::shdr(f));
    return write(section_header_offset(i) + s.offset, s.width, v);
  }
  constexpr elf_image& patch_section(std::uint32_t i, other_field f, std::uint64_t v) noexcept {
    auto s = checked(L::shdr(f));
    return write(section_header_offset(i) + s.offset, s.width, v);
  }
  constexpr elf_image& patch_section(std::string_view name, field f, std::uint64_t v) noexcept {
    return patch_section(section_index(name), f, v);
  }
  constexpr std::uint64_t get_section(std::uint32_t i, field f) const noexcept {
    auto s = checked(L::shdr(f));
    return read(section_header_offset(i) + s.offset, s.width);
  }
  constexpr std::uint64_t get_section(std::uint32_t i, other_field f) const noexcept {
    auto s = checked(L::shdr(f));
    return read(section_header_offset(i) + s.offset, s.width);
  }
  constexpr std::uint64_t get_section(std::string_view name, field f) const noexcept {
    return get_section(section_index(name), f);
  }

  // Index of the first section called `name` (error if none).
  constexpr std::uint32_t section_index(std::string_view name) const noexcept {
    for (std::uint32_t i = 1; i < layout.shnum; ++i)
      if (name_is(layout.shstrtab_offset, layout.shstrtab_size, get_section(i, field::sh_name), name)) return i;
    elf_builder_error("no section of that name");
  }
  // Absolute offset of byte `off` of section i's data (sh_offset as it is now).
  constexpr std::uint64_t data_offset(std::uint32_t i, std::uint64_t off = 0) const noexcept {
    return get_section(i, field::sh_offset) + off;
  }
  constexpr std::uint64_t data_offset(std::string_view name, std::uint64_t off = 0) const noexcept {
    return data_offset(section_index(name), off);
  }

  // --- symbols -------------------------------------------------------------------------------
  constexpr std::uint64_t symbol_offset(std::uint32_t k) const noexcept {
    return layout.symtab_offset + std::uint64_t{k} * C::sym_size;
  }
  constexpr elf_image& patch_symbol(std::uint32_t k, field f, std::uint64_t v) noexcept {
    auto s = checked(L::sym(f));
    return write(symbol_offset(k) + s.offset, s.width, v);
  }
  constexpr elf_image& patch_symbol(std::string_view name, field f, std::uint64_t v) noexcept {
    return patch_symbol(symbol_index(name), f, v);
  }
  constexpr std::uint64_t get_symbol(std::uint32_t k, field f) const noexcept {
    auto s = checked(L::sym(f));
    return read(symbol_offset(k) + s.offset, s.width);
  }
  // Index of the named symbol (not section symbols; error if none).
  constexpr std::uint32_t symbol_index(std::string_view name) const noexcept {
    for (std::uint32_t k = 1; k < layout.nsyms; ++k) {
      auto const n = get_symbol(k, field::st_name);
      if (n != 0 && name_is(layout.strtab_offset, layout.strtab_size, n, name)) return k;
    }
    elf_builder_error("no symbol of that name");
  }
  // Index of the STT_SECTION symbol of section i (error if none).
  constexpr std::uint32_t section_symbol_index(std::uint32_t i) const noexcept {
    for (std::uint32_t k = 1; k < layout.nsyms; ++k)
      if ((get_symbol(k, field::st_info) & 0xf) == elf::STT_SECTION && get_symbol(k, field::st_shndx) == i) return k;
    elf_builder_error("no section symbol for that section");
  }

  // --- relocations (entry j of relocation section rs) ------------------------------------------
  constexpr std::uint64_t relocation_offset(std::uint32_t rs, std::uint64_t j) const noexcept {
    std::size_t const es = get_section(rs, field::sh_type) == elf::SHT_RELA ? C::rela_size : C::rel_size;
    return data_offset(rs) + j * es;
  }
  // field::r_offset, r_info, r_addend (RELA), or r_sym / r_type (the other half of r_info kept).
  constexpr elf_image& patch_relocation(std::uint32_t rs, std::uint64_t j, field f, std::uint64_t v) noexcept {
    std::uint64_t const at = relocation_offset(rs, j);
    if (f == field::r_sym || f == field::r_type) {
      auto const info = read(at + L::W, L::W);
      auto const sym = static_cast<std::uint32_t>(L::w8 ? info >> 32 : info >> 8);
      auto const type = static_cast<std::uint32_t>(L::w8 ? info & 0xffffffffu : info & 0xffu);
      auto const nv = static_cast<std::uint32_t>(v);
      return write(at + L::W, L::W, f == field::r_sym ? L::r_info(nv, type) : L::r_info(sym, nv));
    }
    if (f == field::r_addend && get_section(rs, field::sh_type) != elf::SHT_RELA) elf_builder_error("r_addend of an SHT_REL entry");
    auto s = checked(L::rel(f));
    return write(at + s.offset, s.width, v);
  }
  constexpr elf_image& patch_relocation(std::string_view rel_section, std::uint64_t j, field f, std::uint64_t v) noexcept {
    return patch_relocation(section_index(rel_section), j, f, v);
  }

  // --- groups: word 0 is the flag word (GRP_COMDAT), words 1.. the member section indices -----
  constexpr elf_image& patch_group_word(std::uint32_t g, std::uint64_t k, std::uint32_t v) noexcept {
    return write(data_offset(g, 4 * k), 4, v);
  }
  constexpr elf_image& patch_group_word(std::string_view g, std::uint64_t k, std::uint32_t v) noexcept {
    return patch_group_word(section_index(g), k, v);
  }

private:
  static constexpr field_slot checked(field_slot s) noexcept {
    if (s.width == 0) elf_builder_error("field does not belong to this structure");
    return s;
  }
  // Is the NUL-terminated string at table_off + off (inside a table of table_size bytes) `name`?
  constexpr bool name_is(std::uint64_t table_off, std::uint64_t table_size, std::uint64_t off, std::string_view name) const noexcept {
    if (off >= table_size || table_size - off <= name.size()) return false;
    for (std::size_t k = 0; k < name.size(); ++k)
      if (data[static_cast<std::size_t>(table_off + off + k)] != static_cast<std::byte>(name[k])) return false;
    return data[static_cast<std::size_t>(table_off + off + name.size())] == std::byte{0};
  }
};

// ---------------------------------------------------------------------------------------------
// The builder.

template <elf_format_policy Format>
class elf_builder {
  using C = typename Format::elf_class_type;
  using L = layout_of<Format>;
  static constexpr std::endian O = Format::byte_order;

public:
  static constexpr std::size_t default_capacity = 4096;
  static constexpr std::uint64_t word = C::word_size;

  // --- ELF header fields -----------------------------------------------------------------------
  constexpr elf_builder& machine(std::uint16_t m) { machine_ = m; return *this; }
  constexpr elf_builder& type(std::uint16_t t) { type_ = t; return *this; }
  constexpr elf_builder& flags(std::uint32_t f) { flags_ = f; return *this; }
  // Force extended section numbering (otherwise used only when shnum >= SHN_LORESERVE).
  constexpr elf_builder& extended_numbering(bool on = true) { extended_ = on; return *this; }
  // No .symtab/.strtab (relocation and group sections then have sh_link 0).
  constexpr elf_builder& without_symtab() { symtab_ = false; return *this; }
  // Emit .symtab_shndx and give every symbol defined in a section st_shndx = SHN_XINDEX
  // (otherwise only symbols whose section index does not fit below SHN_LORESERVE use it).
  constexpr elf_builder& with_symtab_shndx(bool on = true) { xindex_ = on; return *this; }

  // --- sections --------------------------------------------------------------------------------
  constexpr elf_builder& section(std::string_view name, std::uint32_t type, std::uint64_t flags, content c,
                                 std::uint64_t align = 1, section_options opt = {}) {
    user_section s;
    s.name = chars(name);
    s.type = type;
    s.flags = flags;
    s.data = std::move(c.data);
    s.n = c.n;
    s.align = align;
    s.opt = opt;
    sections_.push_back(std::move(s));
    return *this;
  }
  // SHT_GROUP (gABI "Section Groups"): flag word then member indices; sh_link = .symtab,
  // sh_info = the signature symbol; members get SHF_GROUP.
  constexpr elf_builder& group(std::string_view name, sym_ref signature, std::initializer_list<std::string_view> members,
                               std::uint32_t group_flags = elf::GRP_COMDAT) {
    user_section s;
    s.name = chars(name);
    s.type = elf::SHT_GROUP;
    s.align = 4;
    s.opt.entsize = 4;
    s.is_group = true;
    s.group_flags = group_flags;
    s.signature = stored_ref(signature);
    for (auto m : members) s.members.push_back(chars(m));
    s.n = 4 * (members.size() + 1);
    sections_.push_back(std::move(s));
    return *this;
  }
  // SHT_INIT_ARRAY / SHT_FINI_ARRAY of `entries` zero words (relocations fill them).
  constexpr elf_builder& init_array(std::size_t entries, std::string_view name = ".init_array") {
    return section(name, elf::SHT_INIT_ARRAY, elf::SHF_ALLOC | elf::SHF_WRITE, size(entries * word), word, {.entsize = word});
  }
  constexpr elf_builder& fini_array(std::size_t entries, std::string_view name = ".fini_array") {
    return section(name, elf::SHT_FINI_ARRAY, elf::SHF_ALLOC | elf::SHF_WRITE, size(entries * word), word, {.entsize = word});
  }

  // --- symbols ---------------------------------------------------------------------------------
  constexpr elf_builder& symbol(std::string_view name, std::uint8_t bind, std::uint8_t type, section_ref where,
                                std::uint64_t value = 0, std::uint64_t size = 0, std::uint8_t other = elf::STV_DEFAULT) {
    user_symbol s;
    s.name = chars(name);
    s.info = static_cast<std::uint8_t>((bind << 4) | (type & 0xf));
    s.other = other;
    s.by_name = where.by_name;
    s.section = chars(where.name);
    s.raw = where.raw;
    s.value = value;
    s.size = size;
    symbols_.push_back(std::move(s));
    return *this;
  }
  // STT_SECTION symbol of a section (local, st_name 0), as assemblers emit for relocations.
  constexpr elf_builder& section_symbol(std::string_view section) {
    user_symbol s;
    s.info = elf::STT_SECTION;
    s.is_section_symbol = true;
    s.by_name = true;
    s.section = chars(section);
    symbols_.push_back(std::move(s));
    return *this;
  }
  // STT_FILE symbol (local, SHN_ABS).
  constexpr elf_builder& file_symbol(std::string_view name) {
    return symbol(name, elf::STB_LOCAL, elf::STT_FILE, absolute);
  }

  // --- relocations -----------------------------------------------------------------------------
  constexpr elf_builder& rel(std::string_view target, reloc r) { return add_reloc(target, r, false); }
  constexpr elf_builder& rela(std::string_view target, reloc r) { return add_reloc(target, r, true); }

  // --- output ------------------------------------------------------------------------------------
  constexpr std::size_t image_size() const { return static_cast<std::size_t>(plan().total); }

  template <std::size_t N = default_capacity>
  constexpr elf_image<Format, N> build() const {
    elf_image<Format, N> img;
    build_into(img);
    return img;
  }
  // For images too large for the stack: build into caller-provided (e.g. heap) storage.
  template <std::size_t N>
  constexpr void build_into(elf_image<Format, N>& img) const {
    planned const p = plan();
    if (p.total > N) elf_builder_error("image larger than the capacity: use build<image_size()>()");
    img.data = {};
    img.length = static_cast<std::size_t>(p.total);
    img.layout = p.layout;
    std::byte* const b = img.data.data();
    // ELF header (gABI Figure 4-3).
    b[0] = std::byte{0x7f}; b[1] = std::byte{'E'}; b[2] = std::byte{'L'}; b[3] = std::byte{'F'};
    b[elf::EI_CLASS] = std::byte{C::ei_class};
    b[elf::EI_DATA] = std::byte{Format::ei_data};
    b[elf::EI_VERSION] = std::byte{elf::EV_CURRENT};
    put(b, L::ehdr(field::e_type), type_);
    put(b, L::ehdr(field::e_machine), machine_);
    put(b, L::ehdr(field::e_version), elf::EV_CURRENT);
    put(b, L::ehdr(field::e_shoff), p.shoff);
    put(b, L::ehdr(other_field::e_flags), flags_);
    put(b, L::ehdr(field::e_ehsize), C::ehdr_size);
    put(b, L::ehdr(field::e_shentsize), C::shdr_size);
    put(b, L::ehdr(field::e_shnum), p.e_shnum);
    put(b, L::ehdr(field::e_shstrndx), p.e_shstrndx);
    for (std::size_t i = 0; i < p.s.size(); ++i) {
      out_section const& s = p.s[i];
      for (std::size_t k = 0; k < s.data.size(); ++k) b[s.offset + k] = s.data[k];
      std::byte* const h = b + p.shoff + i * C::shdr_size;
      put(h, L::shdr(field::sh_name), s.sh_name);
      put(h, L::shdr(field::sh_type), s.type);
      put(h, L::shdr(field::sh_flags), s.flags);
      put(h, L::shdr(other_field::sh_addr), s.addr);
      put(h, L::shdr(field::sh_offset), s.offset);
      put(h, L::shdr(field::sh_size), s.size);
      put(h, L::shdr(field::sh_link), s.link);
      put(h, L::shdr(field::sh_info), s.info);
      put(h, L::shdr(field::sh_addralign), s.align);
      put(h, L::shdr(field::sh_entsize), s.entsize);
    }
  }

private:
  struct stored_sym_ref {
    sym_ref::kind k = sym_ref::kind::index;
    std::vector<char> name;
    std::uint32_t index = 0;
  };
  struct user_section {
    std::vector<char> name;
    std::uint32_t type = 0;
    std::uint64_t flags = 0;
    std::vector<std::byte> data;
    std::uint64_t n = 0, align = 1;
    section_options opt{};
    bool is_group = false;
    std::uint32_t group_flags = 0;
    stored_sym_ref signature;
    std::vector<std::vector<char>> members;
  };
  struct user_symbol {
    std::vector<char> name;
    std::uint8_t info = 0, other = 0;
    bool is_section_symbol = false, by_name = false;
    std::vector<char> section;
    std::uint16_t raw = 0;
    std::uint64_t value = 0, size = 0;
  };
  struct user_reloc {
    std::vector<char> target;
    bool rela = false;
    std::uint64_t offset = 0;
    stored_sym_ref sym;
    std::uint32_t type = 0;
    std::int64_t addend = 0;
  };
  struct out_section {
    std::vector<char> name;
    std::uint32_t sh_name = 0, type = 0;
    std::uint64_t flags = 0, addr = 0, offset = 0, size = 0;
    std::uint32_t link = 0, info = 0;
    std::uint64_t align = 0, entsize = 0;
    std::vector<std::byte> data; // file bytes (empty for NOBITS)
  };
  struct planned {
    std::vector<out_section> s;
    std::uint64_t shoff = 0, total = 0;
    std::uint16_t e_shnum = 0, e_shstrndx = 0;
    image_layout layout{};
  };

  static constexpr std::vector<char> chars(std::string_view s) { return std::vector<char>(s.begin(), s.end()); }
  static constexpr bool same(std::vector<char> const& a, std::vector<char> const& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  // Growing a vector one element at a time: clang 16 rejects libstdc++'s value-initialising
  // vector(n) and resize(n) of trivial types during constant evaluation.
  template <class T>
  static constexpr void resize(std::vector<T>& v, std::size_t n) {
    if (n < v.size()) v.erase(v.begin() + static_cast<std::ptrdiff_t>(n), v.end());
    v.reserve(n);
    while (v.size() < n) v.push_back(T{});
  }
  template <class T>
  static constexpr std::vector<T> zeros(std::size_t n) {
    std::vector<T> v;
    resize(v, n);
    return v;
  }
  static constexpr stored_sym_ref stored_ref(sym_ref r) { return {r.k, chars(r.name), r.index}; }
  static constexpr std::uint64_t align_up(std::uint64_t v, std::uint64_t a) { return (v + a - 1) / a * a; }

  template <class T>
  static constexpr void put(std::byte* base, field_slot s, T v) {
    auto const u = static_cast<std::uint64_t>(v);
    std::byte* const p = base + s.offset;
    switch (s.width) {
    case 1: *p = static_cast<std::byte>(u); break;
    case 2: store_at<std::uint16_t, O>(p, static_cast<std::uint16_t>(u)); break;
    case 4: store_at<std::uint32_t, O>(p, static_cast<std::uint32_t>(u)); break;
    case 8: store_at<std::uint64_t, O>(p, u); break;
    default: elf_builder_error("bad field width");
    }
  }

  constexpr elf_builder& add_reloc(std::string_view target, reloc r, bool rela) {
    user_reloc u;
    u.target = chars(target);
    u.rela = rela;
    u.offset = r.offset;
    u.sym = stored_ref(r.sym);
    u.type = r.type;
    u.addend = r.addend;
    relocs_.push_back(std::move(u));
    return *this;
  }

  static constexpr std::uint32_t find_section(std::vector<out_section> const& s, std::vector<char> const& name) {
    for (std::size_t i = 1; i < s.size(); ++i)
      if (same(s[i].name, name)) return static_cast<std::uint32_t>(i);
    elf_builder_error("reference to an unknown section name");
  }

  constexpr planned plan() const {
    planned p;
    auto& out = p.s;
    out.emplace_back(); // index 0: SHN_UNDEF

    // User sections, in call order.
    for (auto const& u : sections_) {
      out_section s;
      s.name = u.name;
      s.type = u.type;
      s.flags = u.flags;
      s.addr = u.opt.addr;
      s.size = u.n;
      s.link = u.opt.link;
      s.info = u.opt.info;
      s.align = u.align;
      s.entsize = u.opt.entsize;
      if (u.type != elf::SHT_NOBITS && u.type != elf::SHT_NULL) {
        s.data = u.data;
        resize(s.data, static_cast<std::size_t>(u.n));
      }
      out.push_back(std::move(s));
    }
    std::size_t const n_user = out.size();

    // One relocation section per (target, REL/RELA), in first-use order.
    auto reloc_section = zeros<std::uint32_t>(relocs_.size());
    for (std::size_t r = 0; r < relocs_.size(); ++r) {
      std::vector<char> name = chars(relocs_[r].rela ? ".rela" : ".rel");
      name.insert(name.end(), relocs_[r].target.begin(), relocs_[r].target.end());
      std::uint32_t found = 0;
      for (std::size_t i = n_user; i < out.size(); ++i)
        if (same(out[i].name, name)) found = static_cast<std::uint32_t>(i);
      if (found == 0) {
        out_section s;
        s.name = std::move(name);
        s.type = relocs_[r].rela ? elf::SHT_RELA : elf::SHT_REL;
        s.flags = elf::SHF_INFO_LINK; // sh_info holds a section index
        s.info = find_section(out, relocs_[r].target);
        s.align = word;
        s.entsize = relocs_[r].rela ? C::rela_size : C::rel_size;
        found = static_cast<std::uint32_t>(out.size());
        out.push_back(std::move(s));
      }
      reloc_section[r] = found;
    }

    // Symbol table, string tables.
    std::uint32_t symtab = 0, shndx_sec = 0, strtab = 0;
    bool need_xindex = xindex_;
    if (symtab_) {
      for (auto const& u : symbols_)
        if (u.by_name && find_section(out, u.section) >= elf::SHN_LORESERVE) need_xindex = true;
      symtab = static_cast<std::uint32_t>(out.size());
      out_section st;
      st.name = chars(".symtab");
      st.type = elf::SHT_SYMTAB;
      st.align = word;
      st.entsize = C::sym_size;
      out.push_back(std::move(st));
      if (need_xindex) {
        shndx_sec = static_cast<std::uint32_t>(out.size());
        out_section x;
        x.name = chars(".symtab_shndx");
        x.type = elf::SHT_SYMTAB_SHNDX;
        x.link = symtab;
        x.align = 4;
        x.entsize = 4;
        out.push_back(std::move(x));
      }
      strtab = static_cast<std::uint32_t>(out.size());
      out_section str;
      str.name = chars(".strtab");
      str.type = elf::SHT_STRTAB;
      str.align = 1;
      out.push_back(std::move(str));
    }
    auto const shstrndx = static_cast<std::uint32_t>(out.size());
    {
      out_section sh;
      sh.name = chars(".shstrtab");
      sh.type = elf::SHT_STRTAB;
      sh.align = 1;
      out.push_back(std::move(sh));
    }
    auto const shnum = static_cast<std::uint32_t>(out.size());

    // Symbols: null, locals, then the rest; emitted[k] = index of user symbol k.
    auto emitted = zeros<std::uint32_t>(symbols_.size());
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < symbols_.size(); ++k)
      if (elf::st_bind(symbols_[k].info) == elf::STB_LOCAL) order.push_back(k);
    auto const first_global = static_cast<std::uint32_t>(order.size() + 1);
    for (std::size_t k = 0; k < symbols_.size(); ++k)
      if (elf::st_bind(symbols_[k].info) != elf::STB_LOCAL) order.push_back(k);
    for (std::size_t j = 0; j < order.size(); ++j) emitted[order[j]] = static_cast<std::uint32_t>(j + 1);
    auto const nsyms = static_cast<std::uint32_t>(order.size() + 1);

    auto resolve = [&](stored_sym_ref const& r) -> std::uint32_t {
      if (r.k == sym_ref::kind::index) return r.index;
      for (std::size_t k = 0; k < symbols_.size(); ++k) {
        auto const& u = symbols_[k];
        if (r.k == sym_ref::kind::name && !u.is_section_symbol && same(u.name, r.name)) return emitted[k];
        if (r.k == sym_ref::kind::section && u.is_section_symbol && same(u.section, r.name)) return emitted[k];
      }
      elf_builder_error("reference to an unknown symbol");
    };

    if (symtab_) {
      auto sym = zeros<std::byte>(nsyms * C::sym_size);
      auto xs = zeros<std::byte>(need_xindex ? nsyms * std::size_t{4} : 0);
      auto str = zeros<std::byte>(1); // index 0: the empty name
      for (std::size_t j = 0; j < order.size(); ++j) {
        auto const& u = symbols_[order[j]];
        std::byte* const e = sym.data() + (j + 1) * C::sym_size;
        std::uint32_t name = 0;
        if (!u.is_section_symbol && !u.name.empty()) {
          name = static_cast<std::uint32_t>(str.size());
          for (char c : u.name) str.push_back(static_cast<std::byte>(c));
          str.push_back(std::byte{0});
        }
        std::uint32_t index = u.raw;
        if (u.by_name) index = find_section(out, u.section);
        std::uint16_t st_shndx = static_cast<std::uint16_t>(index);
        if (u.by_name && (need_xindex || index >= elf::SHN_LORESERVE)) {
          st_shndx = elf::SHN_XINDEX;
          store_at<std::uint32_t, O>(xs.data() + (j + 1) * 4, index);
        }
        put(e, L::sym(field::st_name), name);
        put(e, L::sym(field::st_info), u.info);
        put(e, L::sym(field::st_other), u.other);
        put(e, L::sym(field::st_shndx), st_shndx);
        put(e, L::sym(field::st_value), u.value);
        put(e, L::sym(field::st_size), u.size);
      }
      out[symtab].data = std::move(sym);
      out[symtab].link = strtab;
      out[symtab].info = first_global;
      if (shndx_sec != 0) out[shndx_sec].data = std::move(xs);
      out[strtab].data = std::move(str);
    }

    // Relocation entries.
    for (std::size_t r = 0; r < relocs_.size(); ++r) {
      auto const& u = relocs_[r];
      out_section& s = out[reloc_section[r]];
      s.link = symtab;
      std::size_t const at = s.data.size();
      resize(s.data, at + static_cast<std::size_t>(s.entsize));
      std::byte* const e = s.data.data() + at;
      put(e, L::rel(field::r_offset), u.offset);
      put(e, L::rel(field::r_info), L::r_info(resolve(u.sym), u.type));
      if (u.rela) put(e, L::rel(field::r_addend), static_cast<std::uint64_t>(u.addend));
    }

    // Group contents (member indices are known now) and SHF_GROUP on the members.
    for (std::size_t i = 0; i < sections_.size(); ++i) {
      auto const& u = sections_[i];
      if (!u.is_group) continue;
      out_section& g = out[i + 1];
      g.link = symtab;
      g.info = symtab_ ? resolve(u.signature) : 0;
      g.data.clear();
      resize(g.data, static_cast<std::size_t>(g.size));
      store_at<std::uint32_t, O>(g.data.data(), u.group_flags);
      for (std::size_t m = 0; m < u.members.size(); ++m) {
        std::uint32_t const idx = find_section(out, u.members[m]);
        out[idx].flags |= elf::SHF_GROUP;
        store_at<std::uint32_t, O>(out[i + 1].data.data() + 4 * (m + 1), idx);
      }
    }

    // Section names (consecutive equal names share one string).
    auto shstr = zeros<std::byte>(1);
    for (std::size_t i = 1; i < out.size(); ++i) {
      if (i > 1 && same(out[i].name, out[i - 1].name)) { out[i].sh_name = out[i - 1].sh_name; continue; }
      out[i].sh_name = static_cast<std::uint32_t>(shstr.size());
      for (char c : out[i].name) shstr.push_back(static_cast<std::byte>(c));
      shstr.push_back(std::byte{0});
    }
    out[shstrndx].data = std::move(shstr);

    // File layout: data in section order, each at min(sh_addralign, 16) when a power of two.
    std::uint64_t off = C::ehdr_size;
    for (std::size_t i = 1; i < out.size(); ++i) {
      out_section& s = out[i];
      if (s.type != elf::SHT_NOBITS && s.type != elf::SHT_NULL) {
        std::uint64_t const a = s.align != 0 && (s.align & (s.align - 1)) == 0 ? (s.align < 16 ? s.align : 16) : 1;
        off = align_up(off, a);
        s.size = s.data.size();
      }
      s.offset = off;
      off += s.data.size();
    }
    p.shoff = align_up(off, word);
    p.total = p.shoff + shnum * C::shdr_size;

    // Extended numbering (gABI "Sections"): counts that do not fit go to section 0.
    bool const ext = extended_ || shnum >= elf::SHN_LORESERVE;
    p.e_shnum = ext ? 0 : static_cast<std::uint16_t>(shnum);
    if (ext) out[0].size = shnum;
    if (ext || shstrndx >= elf::SHN_LORESERVE) {
      p.e_shstrndx = elf::SHN_XINDEX;
      out[0].link = shstrndx;
    } else {
      p.e_shstrndx = static_cast<std::uint16_t>(shstrndx);
    }

    auto& l = p.layout;
    l.shoff = p.shoff;
    l.shnum = shnum;
    l.shstrndx = shstrndx;
    l.symtab = symtab;
    l.symtab_shndx = shndx_sec;
    l.strtab = strtab;
    l.nsyms = symtab_ ? nsyms : 0;
    l.first_global = symtab_ ? first_global : 0;
    if (symtab_) {
      l.symtab_offset = out[symtab].offset;
      l.strtab_offset = out[strtab].offset;
      l.strtab_size = out[strtab].size;
    }
    l.shstrtab_offset = out[shstrndx].offset;
    l.shstrtab_size = out[shstrndx].size;
    return p;
  }

  std::uint16_t machine_ = elf::EM_NONE, type_ = elf::ET_REL;
  std::uint32_t flags_ = 0;
  bool extended_ = false, symtab_ = true, xindex_ = false;
  std::vector<user_section> sections_;
  std::vector<user_symbol> symbols_;
  std::vector<user_reloc> relocs_;
};

// ---------------------------------------------------------------------------------------------
// Checking helpers for tests: does a diagnostic say exactly this? Unset members are not checked.

struct expected {
  errc code;
  field what = field::none;
  std::uint32_t section = no_index;
  std::uint32_t symbol = no_index;
  std::optional<std::int64_t> value{};
};

constexpr bool matches(diagnostic const& d, expected const& e) noexcept {
  return d.code == e.code && d.what == e.what && d.section == e.section && d.symbol == e.symbol &&
         (!e.value || d.value == *e.value);
}
template <class T>
constexpr bool fails_with(result<T> const& r, expected const& e) noexcept {
  return !r.has_value() && matches(r.error(), e);
}

} // namespace extload::inline v0::test
