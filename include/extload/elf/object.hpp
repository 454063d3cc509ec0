// elf/object.hpp: object_view<Format>, a validated, zero-copy view of one ELF relocatable object
// held in a std::span<const std::byte>. parse() checks the header and every section header once
// (offsets, sizes, entry sizes, links, alignment, string tables, file overlaps, the presence of
// a symbol table); afterwards the accessors decode fields byte-wise on demand and cannot leave
// the image. Symbols are checked individually when read (symbol_at()), because the loader reads
// each one exactly once anyway.
// Reference: ELF gABI, chapter 4 ("Object Files").
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "extload/bytes.hpp"
#include "extload/byte_string.hpp"
#include "extload/elf/constants.hpp"
#include "extload/elf/format.hpp"
#include "extload/error.hpp"

namespace extload::inline v0 {

// Per-firmware bounds on what an image may contain (checked at parse time, before any
// allocation). The defaults suit a host; firmware narrows them in its loader policy.
struct limits {
  std::uint64_t max_image_bytes = std::uint64_t{1} << 32;
  std::uint32_t max_sections = 1u << 20;
  std::uint32_t max_symbols = 1u << 24;
  std::uint64_t max_relocations = std::uint64_t{1} << 28;
  std::uint64_t max_alignment = std::uint64_t{1} << 16;   // largest sh_addralign accepted
  std::uint64_t max_region_bytes = std::uint64_t{1} << 31; // largest total of one region
};

struct elf_header {
  std::uint16_t type = 0, machine = 0;
  std::uint32_t version = 0, flags = 0;
  std::uint64_t shoff = 0;
  std::uint16_t ehsize = 0, shentsize = 0;
  std::uint32_t shnum = 0, shstrndx = 0; // extended numbering already applied
};

struct section_header {
  std::uint32_t name = 0, type = 0;
  std::uint64_t flags = 0, addr = 0, offset = 0, size = 0;
  std::uint32_t link = 0, info = 0;
  std::uint64_t addralign = 0, entsize = 0;
  constexpr bool is_alloc() const noexcept { return (flags & elf::SHF_ALLOC) != 0; }
  constexpr bool has_file_bytes() const noexcept { return type != elf::SHT_NOBITS && type != elf::SHT_NULL; }
  constexpr std::uint64_t alignment() const noexcept { return addralign == 0 ? 1 : addralign; }
};

struct symbol {
  std::uint32_t name = 0;
  std::uint8_t info = 0, other = 0;
  std::uint16_t shndx_raw = 0;
  std::uint32_t shndx = 0; // SHN_XINDEX resolved through SHT_SYMTAB_SHNDX
  std::uint64_t value = 0, size = 0;
  constexpr std::uint8_t bind() const noexcept { return elf::st_bind(info); }
  constexpr std::uint8_t type() const noexcept { return elf::st_type(info); }
  constexpr std::uint8_t visibility() const noexcept { return other & 0x3; }
  // Based on the raw st_shndx: with SHN_XINDEX the resolved index may exceed SHN_LORESERVE.
  constexpr bool is_undefined() const noexcept { return shndx_raw == elf::SHN_UNDEF; }
  constexpr bool is_common() const noexcept { return shndx_raw == elf::SHN_COMMON; }
  constexpr bool is_abs() const noexcept { return shndx_raw == elf::SHN_ABS; }
  constexpr bool in_section() const noexcept {
    return shndx_raw == elf::SHN_XINDEX || (shndx_raw != elf::SHN_UNDEF && shndx_raw < elf::SHN_LORESERVE);
  }
  constexpr bool is_local() const noexcept { return bind() == elf::STB_LOCAL; }
};

struct relocation {
  std::uint64_t offset = 0;
  std::uint32_t sym = 0, type = 0;
  std::int64_t addend = 0; // RELA only; REL addends are read from the place by the arch
};

template <elf_format_policy Format>
class object_view {
  using C = typename Format::elf_class_type;
  static constexpr std::endian O = Format::byte_order;
  static constexpr bool is64 = Format::is_64;

public:
  constexpr object_view() = default;

  // Where a section's contents are when the image is a compact copy read from a byte_source
  // (loader/source.hpp): the loaded contents (SHF_ALLOC code and data) stay in the source and are
  // read straight into the extension's memory; everything the linker reads itself (symbols,
  // strings, relocations, groups) is in the image.
  static constexpr bool content_in_source(section_header const& s) noexcept {
    if (!s.is_alloc() || !s.has_file_bytes()) return false;
    switch (s.type) {
    case elf::SHT_SYMTAB: case elf::SHT_STRTAB: case elf::SHT_REL: case elf::SHT_RELA:
    case elf::SHT_GROUP: case elf::SHT_SYMTAB_SHNDX: return false;
    default: return true;
    }
  }

  // One section header (gABI "Sections") from its C::shdr_size bytes, in the format's layout.
  static constexpr section_header decode_section(std::byte const* p) noexcept {
    auto const w32 = [p](std::size_t at) { return load_at<std::uint32_t, O>(p + at); };
    auto const w64 = [p](std::size_t at) { return load_at<std::uint64_t, O>(p + at); };
    section_header s;
    s.name = w32(0);
    s.type = w32(4);
    if constexpr (is64) {
      s.flags = w64(8); s.addr = w64(16); s.offset = w64(24); s.size = w64(32);
      s.link = w32(40); s.info = w32(44); s.addralign = w64(48); s.entsize = w64(56);
    } else {
      s.flags = w32(8); s.addr = w32(12); s.offset = w32(16); s.size = w32(20);
      s.link = w32(24); s.info = w32(28); s.addralign = w32(32); s.entsize = w32(36);
    }
    return s;
  }

  // Validate the header and all section headers. `machine` = EM_NONE accepts any machine.
  // `contents_elsewhere`: the image is such a compact copy; the contents content_in_source()
  // names are not in it (their offsets are the source's, checked there) and section_bytes() of
  // those sections is empty.
  static constexpr result<object_view> parse(std::span<std::byte const> image,
                                             std::uint16_t machine = elf::EM_NONE,
                                             limits const& lim = {}, bool contents_elsewhere = false) noexcept {
    object_view v;
    v.image_ = image;
    v.contents_elsewhere_ = contents_elsewhere;
    if (image.size() > lim.max_image_bytes)
      return diagnostic{errc::limit_exceeded, field::none, static_cast<std::int64_t>(image.size())}
          .with_range(0, static_cast<std::int64_t>(lim.max_image_bytes));
    if (image.size() < elf::EI_NIDENT) return diagnostic{errc::truncated, field::e_ident, static_cast<std::int64_t>(image.size())};
    if (v.u8(0) != 0x7f || v.u8(1) != 'E' || v.u8(2) != 'L' || v.u8(3) != 'F') return diagnostic{errc::bad_magic, field::e_ident};
    if (v.u8(elf::EI_CLASS) != C::ei_class) return diagnostic{errc::bad_class, field::e_ident, v.u8(elf::EI_CLASS)};
    if (v.u8(elf::EI_DATA) != Format::ei_data) return diagnostic{errc::bad_byte_order, field::e_ident, v.u8(elf::EI_DATA)};
    if (v.u8(elf::EI_VERSION) != elf::EV_CURRENT) return diagnostic{errc::bad_version, field::e_ident, v.u8(elf::EI_VERSION)};
    if (image.size() < C::ehdr_size) return diagnostic{errc::truncated, field::e_ehsize, static_cast<std::int64_t>(image.size())};

    auto& h = v.hdr_;
    h.type = v.u16(16);
    h.machine = v.u16(18);
    h.version = v.u32(20);
    h.shoff = is64 ? v.u64(40) : v.u32(32);
    h.flags = is64 ? v.u32(48) : v.u32(36);
    h.ehsize = is64 ? v.u16(52) : v.u16(40);
    h.shentsize = is64 ? v.u16(58) : v.u16(46);
    std::uint32_t const e_shnum = is64 ? v.u16(60) : v.u16(48);
    std::uint32_t const e_shstrndx = is64 ? v.u16(62) : v.u16(50);

    if (h.version != elf::EV_CURRENT) return diagnostic{errc::bad_version, field::e_version, h.version};
    if (h.type != elf::ET_REL) return diagnostic{errc::bad_type, field::e_type, h.type};
    if (machine != elf::EM_NONE && h.machine != machine)
      return diagnostic{errc::bad_machine, field::e_machine, h.machine}.with_range(machine, machine);
    if (h.ehsize != C::ehdr_size) return diagnostic{errc::bad_header, field::e_ehsize, h.ehsize};
    // 0 means "no section table"; any other offset below e_ehsize would overlap the ELF header.
    if (h.shoff < C::ehdr_size) return diagnostic{errc::bad_header, field::e_shoff, static_cast<std::int64_t>(h.shoff)};
    if (h.shentsize != C::shdr_size)
      return diagnostic{errc::bad_header, field::e_shentsize, h.shentsize}.with_range(C::shdr_size, C::shdr_size);
    if (!in_bounds(image.size(), h.shoff, C::shdr_size))
      return diagnostic{errc::truncated, field::e_shoff, static_cast<std::int64_t>(h.shoff)};

    // Extended numbering (gABI): e_shnum == 0 -> section 0's sh_size; SHN_XINDEX -> sh_link.
    h.shnum = e_shnum;
    if (e_shnum == 0) {
      std::uint64_t const n = v.raw_section(0).size;
      if (n == 0 || n > 0xffffffffu) return diagnostic{errc::bad_header, field::e_shnum, static_cast<std::int64_t>(n)};
      h.shnum = static_cast<std::uint32_t>(n);
    }
    h.shstrndx = e_shstrndx == elf::SHN_XINDEX ? v.raw_section(0).link : e_shstrndx;
    if (h.shnum > lim.max_sections)
      return diagnostic{errc::limit_exceeded, field::e_shnum, h.shnum}.with_range(0, lim.max_sections);
    if ((image.size() - h.shoff) / C::shdr_size < h.shnum)
      return diagnostic{errc::truncated, field::e_shnum, h.shnum}
          .with_range(0, static_cast<std::int64_t>((image.size() - h.shoff) / C::shdr_size));
    if (h.shstrndx == elf::SHN_UNDEF || h.shstrndx >= h.shnum)
      return diagnostic{errc::bad_header, field::e_shstrndx, h.shstrndx}.with_range(1, h.shnum - 1);

    // Section 0 is the null entry (gABI): all zero but for the extended-numbering fields.
    {
      section_header const z = v.raw_section(0);
      auto bad0 = [](field f, std::uint64_t value) { return diagnostic{errc::bad_section, f, static_cast<std::int64_t>(value)}.at_section(0); };
      if (z.type != elf::SHT_NULL) return bad0(field::sh_type, z.type);
      if (z.flags != 0) return bad0(field::sh_flags, z.flags);
      if (z.size != 0 && e_shnum != 0) return bad0(field::sh_size, z.size);
      if (z.link != 0 && e_shstrndx != elf::SHN_XINDEX) return bad0(field::sh_link, z.link);
      if (z.offset != 0) return bad0(field::sh_offset, z.offset);
      if (z.info != 0) return bad0(field::sh_info, z.info);
      if (z.name != 0) return bad0(field::sh_name, z.name);
      if (z.addralign != 0) return bad0(field::sh_addralign, z.addralign);
      if (z.entsize != 0) return bad0(field::sh_entsize, z.entsize);
      if (z.addr != 0) return bad0(field::none, z.addr);
    }

    // Pass 1: each section header on its own.
    for (std::uint32_t i = 1; i < h.shnum; ++i) {
      section_header const s = v.raw_section(i);
      // A loaded section may not be writable and executable (W^X: text is sealed R+X, and a write
      // would fault at run time), nor compressed (its bytes would load as they are).
      if (s.is_alloc() && (((s.flags & elf::SHF_WRITE) != 0 && (s.flags & elf::SHF_EXECINSTR) != 0) || (s.flags & elf::SHF_COMPRESSED) != 0))
        return diagnostic{errc::unsupported_section, field::sh_flags, static_cast<std::int64_t>(s.flags)}.at_section(i);
      if (s.has_file_bytes() && !v.elsewhere(s) && !in_bounds(image.size(), s.offset, s.size))
        return diagnostic{errc::truncated, field::sh_size, static_cast<std::int64_t>(s.size)}.at_section(i);
      if (!is_power_of_two(s.alignment()))
        return diagnostic{errc::bad_section, field::sh_addralign, static_cast<std::int64_t>(s.addralign)}.at_section(i);
      if (s.is_alloc() && s.alignment() > lim.max_alignment)
        return diagnostic{errc::limit_exceeded, field::sh_addralign, static_cast<std::int64_t>(s.addralign)}
            .at_section(i).with_range(1, static_cast<std::int64_t>(lim.max_alignment));
      if (s.is_alloc() && s.size > lim.max_region_bytes)
        return diagnostic{errc::limit_exceeded, field::sh_size, static_cast<std::int64_t>(s.size)}
            .at_section(i).with_range(0, static_cast<std::int64_t>(lim.max_region_bytes));
      if (s.type == elf::SHT_STRTAB && s.size > 0 && v.u8(s.offset + s.size - 1) != 0) // never elsewhere
        return diagnostic{errc::bad_string, field::sh_size, static_cast<std::int64_t>(s.size)}.at_section(i);
      // gABI: index 0 of a string table holds a null character (so name 0 is the empty name).
      if (s.type == elf::SHT_STRTAB && s.size > 0 && v.u8(s.offset) != 0)
        return diagnostic{errc::bad_string, field::sh_offset, v.u8(s.offset)}.at_section(i);
      if (s.type == elf::SHT_SYMTAB) {
        if (v.symtab_ != 0) return diagnostic{errc::bad_section, field::sh_type, s.type}.at_section(i);
        v.symtab_ = i;
      }
    }
    section_header const shstr = v.raw_section(h.shstrndx);
    if (shstr.type != elf::SHT_STRTAB)
      return diagnostic{errc::bad_header, field::e_shstrndx, h.shstrndx};
    v.shstrtab_ = h.shstrndx;

    // Pass 2: cross-references (links, infos, entry sizes).
    std::uint64_t total_relocs = 0;
    for (std::uint32_t i = 1; i < h.shnum; ++i) {
      if (std::uint32_t const name = v.section_name_offset(i); name >= shstr.size)
        return diagnostic{errc::bad_string, field::sh_name, name}.at_section(i);
      switch (v.section_type(i)) { // the types the switch below checks (keep in step); the rest need no decoding
      case elf::SHT_SYMTAB: case elf::SHT_SYMTAB_SHNDX: case elf::SHT_REL: case elf::SHT_RELA: case elf::SHT_GROUP:
      case elf::SHT_INIT_ARRAY: case elf::SHT_FINI_ARRAY: case elf::SHT_PREINIT_ARRAY: break;
      default: continue;
      }
      section_header const s = v.raw_section(i);
      switch (s.type) {
      case elf::SHT_SYMTAB: {
        if (s.entsize != C::sym_size)
          return diagnostic{errc::bad_section, field::sh_entsize, static_cast<std::int64_t>(s.entsize)}.at_section(i).with_range(C::sym_size, C::sym_size);
        if (s.size % C::sym_size != 0) return diagnostic{errc::bad_section, field::sh_size, static_cast<std::int64_t>(s.size)}.at_section(i);
        std::uint64_t const n = s.size / C::sym_size;
        if (n > lim.max_symbols)
          return diagnostic{errc::limit_exceeded, field::sh_size, static_cast<std::int64_t>(n)}.at_section(i).with_range(0, lim.max_symbols);
        if (s.link == 0 || s.link >= h.shnum || v.raw_section(s.link).type != elf::SHT_STRTAB)
          return diagnostic{errc::bad_section, field::sh_link, s.link}.at_section(i);
        if (s.info > n) return diagnostic{errc::bad_section, field::sh_info, s.info}.at_section(i).with_range(0, static_cast<std::int64_t>(n));
        v.strtab_ = s.link;
        v.symtab_off_ = s.offset;
        v.strtab_off_ = v.raw_section(s.link).offset;
        v.strtab_size_ = v.raw_section(s.link).size;
        v.nsyms_ = static_cast<std::uint32_t>(n);
        v.first_global_ = s.info;
        break;
      }
      case elf::SHT_SYMTAB_SHNDX:
        if (s.entsize != 4)
          return diagnostic{errc::bad_section, field::sh_entsize, static_cast<std::int64_t>(s.entsize)}.at_section(i).with_range(4, 4);
        if (s.size % 4 != 0) return diagnostic{errc::bad_section, field::sh_size, static_cast<std::int64_t>(s.size)}.at_section(i);
        if (s.link != v.symtab_ || v.symtab_ == 0) return diagnostic{errc::bad_section, field::sh_link, s.link}.at_section(i);
        v.symtab_shndx_ = i;
        break;
      case elf::SHT_REL:
      case elf::SHT_RELA: {
        std::size_t const es = s.type == elf::SHT_RELA ? C::rela_size : C::rel_size;
        if (s.entsize != es)
          return diagnostic{errc::bad_section, field::sh_entsize, static_cast<std::int64_t>(s.entsize)}.at_section(i).with_range(static_cast<std::int64_t>(es), static_cast<std::int64_t>(es));
        if (s.size % es != 0) return diagnostic{errc::bad_section, field::sh_size, static_cast<std::int64_t>(s.size)}.at_section(i);
        if (s.link != v.symtab_ || v.symtab_ == 0) return diagnostic{errc::bad_section, field::sh_link, s.link}.at_section(i);
        if (s.info == 0 || s.info >= h.shnum || s.info == i)
          return diagnostic{errc::bad_section, field::sh_info, s.info}.at_section(i).with_range(1, h.shnum - 1);
        // The target holds code or data, never loader metadata (symbols, strings, relocations).
        switch (v.raw_section(s.info).type) {
        case elf::SHT_SYMTAB: case elf::SHT_STRTAB: case elf::SHT_REL: case elf::SHT_RELA:
        case elf::SHT_GROUP: case elf::SHT_SYMTAB_SHNDX:
          return diagnostic{errc::bad_section, field::sh_info, s.info}.at_section(i);
        default: break;
        }
        total_relocs += s.size / es;
        if (total_relocs > lim.max_relocations)
          return diagnostic{errc::limit_exceeded, field::sh_size, static_cast<std::int64_t>(total_relocs)}.at_section(i).with_range(0, static_cast<std::int64_t>(lim.max_relocations));
        break;
      }
      case elf::SHT_GROUP:
        if (s.entsize != 4) return diagnostic{errc::bad_group, field::sh_entsize, static_cast<std::int64_t>(s.entsize)}.at_section(i).with_range(4, 4);
        if (s.size < 4 || s.size % 4 != 0) return diagnostic{errc::bad_group, field::sh_size, static_cast<std::int64_t>(s.size)}.at_section(i);
        if (s.link != v.symtab_ || v.symtab_ == 0) return diagnostic{errc::bad_group, field::sh_link, s.link}.at_section(i);
        break;
      case elf::SHT_INIT_ARRAY:
      case elf::SHT_FINI_ARRAY:
      case elf::SHT_PREINIT_ARRAY:
        if (s.size % C::word_size != 0) return diagnostic{errc::bad_section, field::sh_size, static_cast<std::int64_t>(s.size)}.at_section(i);
        if (s.entsize != 0 && s.entsize != C::word_size)
          return diagnostic{errc::bad_section, field::sh_entsize, static_cast<std::int64_t>(s.entsize)}.at_section(i).with_range(static_cast<std::int64_t>(C::word_size), static_cast<std::int64_t>(C::word_size));
        break;
      default: break;
      }
    }
    // Group checks need the symbol count, known only after pass 2.
    for (std::uint32_t i = 1; i < h.shnum; ++i) {
      if (v.section_type(i) != elf::SHT_GROUP) continue;
      section_header const s = v.raw_section(i);
      if (s.info >= v.nsyms_) return diagnostic{errc::bad_group, field::sh_info, s.info}.at_section(i).with_range(0, static_cast<std::int64_t>(v.nsyms_) - 1);
      for (std::uint64_t k = 4; k < s.size; k += 4) {
        std::uint32_t const m = v.u32(s.offset + k);
        if (m == 0 || m >= h.shnum || m == i)
          return diagnostic{errc::bad_group, field::grp_member, m}.at_section(i).with_range(1, h.shnum - 1);
      }
    }
    if (v.symtab_shndx_ != 0 && v.raw_section(v.symtab_shndx_).size / 4 != v.nsyms_)
      return diagnostic{errc::bad_section, field::sh_size, static_cast<std::int64_t>(v.raw_section(v.symtab_shndx_).size)}.at_section(v.symtab_shndx_);
    // gABI: a relocatable file holds a symbol table; without one nothing can be exported or
    // relocated, so the object is useless and rejected (no section index: the table is missing).
    if (v.symtab_ == 0) return diagnostic{errc::bad_section, field::sh_type, elf::SHT_SYMTAB};
    // Last, so that a size or offset error already named above is reported as such.
    if (diagnostic const d = v.file_overlap(); d.code != errc::ok) return d;
    return v;
  }

  constexpr std::span<std::byte const> image() const noexcept { return image_; }
  // Parsed as a compact copy whose loaded contents are in a byte_source (see parse()).
  constexpr bool contents_elsewhere() const noexcept { return contents_elsewhere_; }
  constexpr bool contents_elsewhere(std::uint32_t i) const noexcept { return elsewhere(raw_section(i)); }
  constexpr elf_header const& header() const noexcept { return hdr_; }
  constexpr std::uint32_t section_count() const noexcept { return hdr_.shnum; }
  constexpr std::uint32_t symtab_index() const noexcept { return symtab_; }
  constexpr std::uint32_t strtab_index() const noexcept { return strtab_; }
  constexpr std::uint32_t symbol_count() const noexcept { return nsyms_; }
  constexpr std::uint32_t first_global() const noexcept { return first_global_; }

  // i < section_count() (the loader only passes validated indices).
  constexpr section_header section(std::uint32_t i) const noexcept { return raw_section(i); }
  // Single fields of section i, for loops that skip most sections by them: decoding (and
  // copying) the whole header costs several times as much.
  constexpr std::uint32_t section_name_offset(std::uint32_t i) const noexcept { return u32(section_at(i)); }
  constexpr std::uint32_t section_type(std::uint32_t i) const noexcept { return u32(section_at(i) + 4); }
  constexpr std::uint64_t section_flags(std::uint32_t i) const noexcept { return word(section_at(i) + 8); }
  constexpr std::uint64_t section_offset(std::uint32_t i) const noexcept { return word(section_at(i) + (is64 ? 24 : 16)); }
  constexpr std::uint64_t section_size(std::uint32_t i) const noexcept { return word(section_at(i) + (is64 ? 32 : 20)); }

  // The file bytes of a section (empty for NOBITS / NULL). Bounds validated by parse().
  constexpr std::span<std::byte const> section_bytes(std::uint32_t i) const noexcept {
    section_header const s = raw_section(i);
    if (!s.has_file_bytes() || elsewhere(s)) return {};
    return image_.subspan(static_cast<std::size_t>(s.offset), static_cast<std::size_t>(s.size));
  }

  // A NUL-terminated string at `off` inside string table section `strtab`.
  constexpr result<byte_string> string(std::uint32_t strtab, std::uint64_t off) const noexcept {
    if (strtab == 0 || strtab >= hdr_.shnum) return diagnostic{errc::bad_string, field::sh_link, strtab};
    std::uint64_t const size = section_size(strtab); // three fields of the header, not all ten
    if (section_type(strtab) != elf::SHT_STRTAB || off >= size) return diagnostic{errc::bad_string, field::st_name, static_cast<std::int64_t>(off)}.at_section(strtab);
    auto const* p = image_.data() + section_offset(strtab) + off;
    std::size_t n = 0;
    std::size_t const room = static_cast<std::size_t>(size - off);
    while (n < room && p[n] != std::byte{0}) ++n; // terminated: parse() checked the last byte
    return byte_string{p, n};
  }

  constexpr result<byte_string> section_name(std::uint32_t i) const noexcept {
    return string(shstrtab_, section_name_offset(i));
  }

  // Decode and validate symbol i: st_name inside the string table, st_shndx a real section or
  // one of UNDEF/ABS/COMMON (XINDEX resolved); an object or function inside its section
  // (st_value and st_value + st_size), a function in an executable section.
  constexpr result<symbol> symbol_at(std::uint32_t i) const noexcept {
    symbol s;
    diagnostic d;
    if (!check_symbol(i, s, [&](diagnostic const& e) { d = e; return false; })) return d;
    return s;
  }
  // Whether symbol i passes symbol_at's checks, with the decoded entry in `s`; no diagnostic is
  // built (the loader's up-front pass over every symbol asks symbol_at only on a miss).
  constexpr bool symbol_ok(std::uint32_t i, symbol& s) const noexcept {
    return check_symbol(i, s, [](diagnostic const&) { return false; });
  }

private:
  // symbol_at's checks; each failure calls fail(its diagnostic) and returns what fail returns.
  template <class Fail>
  constexpr bool check_symbol(std::uint32_t i, symbol& s, Fail&& fail) const noexcept {
    if (i >= nsyms_) return fail(diagnostic{errc::bad_symbol, field::r_sym, i}.at_symbol(i).with_range(0, static_cast<std::int64_t>(nsyms_) - 1));
    s = raw_symbol(i);
    if (s.name >= strtab_size_) return fail(diagnostic{errc::bad_string, field::st_name, s.name}.at_symbol(i));
    // gABI: the symbol table's sh_info is one past the last local symbol; locals come first.
    if (i != 0 && (i < first_global_) != (s.bind() == elf::STB_LOCAL))
      return fail(diagnostic{errc::bad_symbol, field::st_info, s.info}.at_symbol(i).with_range(0, first_global_));
    if (s.shndx_raw == elf::SHN_XINDEX) {
      if (symtab_shndx_ == 0) return fail(diagnostic{errc::bad_symbol, field::st_shndx, s.shndx_raw}.at_symbol(i));
      s.shndx = u32(raw_section(symtab_shndx_).offset + std::uint64_t{i} * 4);
      if (s.shndx == 0 || s.shndx >= hdr_.shnum) return fail(diagnostic{errc::bad_symbol, field::st_shndx, s.shndx}.at_symbol(i));
    } else if (s.shndx_raw >= elf::SHN_LORESERVE) {
      if (s.shndx_raw != elf::SHN_ABS && s.shndx_raw != elf::SHN_COMMON)
        return fail(diagnostic{errc::bad_symbol, field::st_shndx, s.shndx_raw}.at_symbol(i));
    } else if (s.shndx_raw >= hdr_.shnum) {
      return fail(diagnostic{errc::bad_symbol, field::st_shndx, s.shndx_raw}.at_symbol(i).with_range(0, hdr_.shnum - 1));
    }
    // Typed symbols (objects, functions) lie inside their section. Untyped labels may not: gcc's
    // section anchors (.LANCHORn, RISC-V) sit at block offsets past the end of small sections,
    // and only relocation values are computed from them (writes are bounded by r_offset checks).
    if (s.in_section() && (s.type() == elf::STT_OBJECT || s.type() == elf::STT_FUNC)) {
      std::uint64_t const d_size = section_size(s.shndx); // two fields of the section header, not all ten
      // On ARM a Thumb function's st_value has bit 0 set (AAELF32 §5.5.3): its code starts one
      // byte before.
      std::uint64_t const start = s.type() == elf::STT_FUNC && hdr_.machine == elf::EM_ARM ? s.value & ~std::uint64_t{1} : s.value;
      if (start > d_size)
        return fail(diagnostic{errc::bad_symbol, field::st_value, static_cast<std::int64_t>(s.value)}.at_symbol(i).at_section(s.shndx)
            .with_range(0, static_cast<std::int64_t>(d_size)));
      // gABI: STT_FUNC is "a function or other executable code": its section is executable, or
      // the exported address would point into data.
      if (s.type() == elf::STT_FUNC && (section_flags(s.shndx) & elf::SHF_EXECINSTR) == 0)
        return fail(diagnostic{errc::bad_symbol, field::st_info, s.info}.at_symbol(i).at_section(s.shndx));
      // The whole object or function lies inside its section (subtract: no overflow).
      if (s.size > d_size - start)
        return fail(diagnostic{errc::bad_symbol, field::st_size, static_cast<std::int64_t>(s.size)}.at_symbol(i).at_section(s.shndx)
            .with_range(0, static_cast<std::int64_t>(d_size - start)));
    }
    if (s.is_common() && !is_power_of_two(s.value))
      return fail(diagnostic{errc::bad_symbol, field::st_value, static_cast<std::int64_t>(s.value)}.at_symbol(i)); // alignment
    return true;
  }

public:


  constexpr result<byte_string> symbol_name(symbol const& s) const noexcept { return string(strtab_, s.name); }

  // Symbol i decoded without validation (SHN_XINDEX resolved): only for a symbol that
  // symbol_at(i) has already accepted (the loader validates every symbol once, up front).
  constexpr symbol symbol_unchecked(std::uint32_t i) const noexcept {
    symbol s = raw_symbol(i);
    if (s.shndx_raw == elf::SHN_XINDEX) s.shndx = u32(raw_section(symtab_shndx_).offset + std::uint64_t{i} * 4);
    return s;
  }
  // The name of a symbol symbol_at() accepted: st_name is inside the string table, which ends
  // with a NUL, so only the length is computed.
  constexpr byte_string symbol_name_unchecked(symbol const& s) const noexcept {
    auto const* p = image_.data() + strtab_off_ + s.name;
    std::size_t n = 0;
    while (p[n] != std::byte{0}) ++n;
    return {p, n};
  }

  // Relocation entry j of relocation section `rs` (validated by parse: entsize, size).
  template <bool Rela>
  constexpr relocation relocation_at(section_header const& rs, std::uint64_t j) const noexcept {
    constexpr std::size_t es = Rela ? C::rela_size : C::rel_size;
    return decode_relocation<Rela>(image_.data() + rs.offset + j * es);
  }
  // The relocation entry at `entry` (the caller checked its bounds): for loops that keep their
  // own pointer into the section.
  template <bool Rela>
  static constexpr relocation decode_relocation(std::byte const* entry) noexcept {
    relocation r;
    std::uint64_t info;
    if constexpr (is64) {
      r.offset = load_at<std::uint64_t, O>(entry);
      info = load_at<std::uint64_t, O>(entry + 8);
      if constexpr (Rela) r.addend = static_cast<std::int64_t>(load_at<std::uint64_t, O>(entry + 16));
    } else {
      r.offset = load_at<std::uint32_t, O>(entry);
      info = load_at<std::uint32_t, O>(entry + 4);
      if constexpr (Rela) r.addend = static_cast<std::int32_t>(load_at<std::uint32_t, O>(entry + 8));
    }
    r.sym = C::r_sym(info);
    r.type = C::r_type(info);
    return r;
  }


  // Only r_info of entry j, split: {symbol index, type} (the loader's pre-scan needs no more).
  template <bool Rela>
  constexpr std::uint64_t relocation_info_at(section_header const& rs, std::uint64_t j) const noexcept {
    constexpr std::size_t es = Rela ? C::rela_size : C::rel_size;
    return word(rs.offset + j * es + C::word_size);
  }

  // Group section i: flag word and members (validated by parse).
  constexpr std::uint32_t group_flags(std::uint32_t i) const noexcept { return u32(raw_section(i).offset); }
  constexpr std::uint32_t group_member(std::uint32_t i, std::uint64_t k) const noexcept { return u32(raw_section(i).offset + 4 + 4 * k); }

  // Unchecked field readers at absolute image offsets (callers validated the range).
  constexpr std::uint8_t u8(std::uint64_t off) const noexcept { return std::to_integer<std::uint8_t>(image_[static_cast<std::size_t>(off)]); }
  constexpr std::uint16_t u16(std::uint64_t off) const noexcept { return load_at<std::uint16_t, O>(image_.data() + off); }
  constexpr std::uint32_t u32(std::uint64_t off) const noexcept { return load_at<std::uint32_t, O>(image_.data() + off); }
  constexpr std::uint64_t u64(std::uint64_t off) const noexcept { return load_at<std::uint64_t, O>(image_.data() + off); }
  constexpr std::uint64_t word(std::uint64_t off) const noexcept { if constexpr (is64) return u64(off); else return u32(off); }

private:
  // --- File overlaps (MALFORMED.md class 20) ------------------------------------------------------
  // The file bytes [begin, end) of section i; empty (begin == end) for SHT_NOBITS, SHT_NULL and
  // size 0, which occupy no file bytes and so overlap nothing (gcc's .note.GNU-stack, empty .data
  // and .bss share offsets with their neighbours). parse() checked offset + size <= image size.
  struct file_range {
    std::uint64_t begin = 0, end = 0;
    constexpr bool empty() const noexcept { return begin == end; }
  };
  constexpr file_range contents(std::uint32_t i) const noexcept {
    std::uint64_t const at = hdr_.shoff + std::uint64_t{i} * C::shdr_size;
    std::uint32_t const type = u32(at + 4);
    if (type == elf::SHT_NOBITS || type == elf::SHT_NULL) return {};
    if (contents_elsewhere_ && elsewhere(raw_section(i))) return {}; // in the source, checked there
    std::uint64_t const off = is64 ? u64(at + 24) : u32(at + 16);
    std::uint64_t const size = is64 ? u64(at + 32) : u32(at + 20);
    return {off, off + size};
  }

  // Without scratch memory the sections cannot be sorted by offset, so the index order is split,
  // greedily, into at most `overlap_chains` chains in which each section starts at or after the
  // end of the previous one (so no overlap inside a chain). Assemblers need few: gas writes the
  // contents and the relocation sections as two increasing sequences, LLVM adds the groups and
  // puts .strtab first. The chains are then merged in (sh_offset, index) order, O(n) per chain;
  // an object needing more chains takes the pairwise check, O(n^2), bounded by max_sections.
  static constexpr std::uint32_t overlap_chains = 4;
  struct chains {
    std::uint64_t end[overlap_chains]{};
    std::uint32_t used = 0;
    // Best fit: the chain whose end is the largest one <= begin, else a new chain, else
    // overlap_chains (all in use). Deterministic, so a replay assigns every section alike.
    constexpr std::uint32_t place(file_range r) noexcept {
      std::uint32_t best = overlap_chains;
      for (std::uint32_t c = 0; c < used; ++c)
        if (end[c] <= r.begin && (best == overlap_chains || end[c] > end[best])) best = c;
      if (best == overlap_chains && used < overlap_chains) best = used++;
      if (best != overlap_chains) end[best] = r.end;
      return best;
    }
  };
  // One chain walked in order: a replay of the assignment up to its next member.
  struct chain_cursor {
    chains replay{};
    std::uint32_t next = 1, at = 0; // at: the current member (0 = the chain is exhausted)
    file_range r{};
  };
  constexpr void advance(chain_cursor& k, std::uint32_t chain) const noexcept {
    k.at = 0;
    while (k.next < hdr_.shnum) {
      std::uint32_t const i = k.next++;
      file_range const r = contents(i);
      if (!r.empty() && k.replay.place(r) == chain) {
        k.at = i;
        k.r = r;
        return;
      }
    }
  }
  static constexpr diagnostic overlapping(std::uint32_t i, file_range r) noexcept {
    return diagnostic{errc::bad_section, field::sh_offset, static_cast<std::int64_t>(r.begin)}.at_section(i);
  }

  // gABI: sections occupy disjoint file bytes, apart from the ELF header and the section header
  // table. A section overlapping the header or the table is named; of two overlapping sections,
  // the later one in (sh_offset, index) order, i.e. the one that starts inside the other.
  constexpr diagnostic file_overlap() const noexcept {
    std::uint64_t const table_end = hdr_.shoff + std::uint64_t{hdr_.shnum} * C::shdr_size;
    chains all{};
    bool chained = true;
    for (std::uint32_t i = 1; i < hdr_.shnum; ++i) {
      file_range const r = contents(i);
      if (r.empty()) continue;
      if (r.begin < C::ehdr_size || (r.begin < table_end && hdr_.shoff < r.end)) return overlapping(i, r);
      chained = chained && all.place(r) != overlap_chains;
    }
    if (!chained) {
      // Pairwise: the first section, in (sh_offset, index) order, that starts inside another.
      std::uint32_t found = 0;
      file_range fr{};
      for (std::uint32_t j = 1; j < hdr_.shnum; ++j) {
        file_range const rj = contents(j);
        if (rj.empty() || (found != 0 && rj.begin >= fr.begin)) continue;
        for (std::uint32_t i = 1; i < hdr_.shnum; ++i) {
          file_range const ri = contents(i);
          if (i != j && !ri.empty() && (ri.begin < rj.begin || (ri.begin == rj.begin && i < j)) && ri.end > rj.begin) {
            found = j;
            fr = rj;
            break;
          }
        }
      }
      return found == 0 ? diagnostic{} : overlapping(found, fr);
    }
    chain_cursor k[overlap_chains]{};
    for (std::uint32_t c = 0; c < all.used; ++c) advance(k[c], c);
    std::uint64_t last_end = 0;
    for (;;) {
      std::uint32_t m = overlap_chains;
      for (std::uint32_t c = 0; c < all.used; ++c)
        if (k[c].at != 0 && (m == overlap_chains || k[c].r.begin < k[m].r.begin || (k[c].r.begin == k[m].r.begin && k[c].at < k[m].at)))
          m = c;
      if (m == overlap_chains) return {};
      if (k[m].r.begin < last_end) return overlapping(k[m].at, k[m].r);
      last_end = k[m].r.end;
      advance(k[m], m);
    }
  }

  constexpr section_header raw_section(std::uint32_t i) const noexcept {
    return decode_section(image_.data() + section_at(i));
  }
  // The image offset of section header i.
  constexpr std::uint64_t section_at(std::uint32_t i) const noexcept { return hdr_.shoff + std::uint64_t{i} * C::shdr_size; }

  constexpr symbol raw_symbol(std::uint32_t i) const noexcept {
    std::uint64_t const at = symtab_off_ + std::uint64_t{i} * C::sym_size;
    symbol s;
    s.name = u32(at);
    if constexpr (is64) {
      s.info = u8(at + 4); s.other = u8(at + 5); s.shndx_raw = u16(at + 6);
      s.value = u64(at + 8); s.size = u64(at + 16);
    } else {
      s.value = u32(at + 4); s.size = u32(at + 8);
      s.info = u8(at + 12); s.other = u8(at + 13); s.shndx_raw = u16(at + 14);
    }
    s.shndx = s.shndx_raw;
    return s;
  }

  // Does section s have its contents in the source rather than in this (compact) image?
  constexpr bool elsewhere(section_header const& s) const noexcept { return contents_elsewhere_ && content_in_source(s); }

  std::span<std::byte const> image_{};
  bool contents_elsewhere_ = false;
  elf_header hdr_{};
  std::uint32_t shstrtab_ = 0, symtab_ = 0, strtab_ = 0, symtab_shndx_ = 0;
  std::uint32_t nsyms_ = 0, first_global_ = 0;
  std::uint64_t symtab_off_ = 0, strtab_off_ = 0, strtab_size_ = 0; // cached: read per symbol
};

} // namespace extload::inline v0
