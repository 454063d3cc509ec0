// elf/constants.hpp: ELF gABI constants as constexpr values (no macros; glibc's <elf.h> has
// outdated ARM names and newlib has none). Machine-specific relocation numbers live in arch/.
#pragma once

#include <cstdint>

#include "extload/config.hpp"

namespace extload::inline v0::elf {

// e_ident
inline constexpr std::size_t EI_NIDENT = 16;
inline constexpr std::size_t EI_MAG0 = 0, EI_CLASS = 4, EI_DATA = 5, EI_VERSION = 6, EI_OSABI = 7;
inline constexpr std::uint8_t ELFCLASS32 = 1, ELFCLASS64 = 2;
inline constexpr std::uint8_t ELFDATA2LSB = 1, ELFDATA2MSB = 2;
inline constexpr std::uint8_t EV_CURRENT = 1;

// e_type
inline constexpr std::uint16_t ET_NONE = 0, ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;

// e_machine
inline constexpr std::uint16_t EM_NONE = 0, EM_386 = 3, EM_ARM = 40, EM_X86_64 = 62,
                               EM_XTENSA = 94, EM_ARC_COMPACT = 93, EM_AARCH64 = 183,
                               EM_RISCV = 243;

// Special section indices
inline constexpr std::uint16_t SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1,
                               SHN_COMMON = 0xfff2, SHN_XINDEX = 0xffff;

// sh_type
inline constexpr std::uint32_t SHT_NULL = 0, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3,
                               SHT_RELA = 4, SHT_HASH = 5, SHT_DYNAMIC = 6, SHT_NOTE = 7,
                               SHT_NOBITS = 8, SHT_REL = 9, SHT_SHLIB = 10, SHT_DYNSYM = 11,
                               SHT_INIT_ARRAY = 14, SHT_FINI_ARRAY = 15,
                               SHT_PREINIT_ARRAY = 16, SHT_GROUP = 17,
                               SHT_SYMTAB_SHNDX = 18, SHT_LOOS = 0x60000000,
                               SHT_GNU_ATTRIBUTES = 0x6ffffff5, SHT_LOPROC = 0x70000000,
                               SHT_HIPROC = 0x7fffffff,
                               SHT_ARM_EXIDX = 0x70000001, SHT_ARM_ATTRIBUTES = 0x70000003,
                               SHT_RISCV_ATTRIBUTES = 0x70000003, SHT_X86_64_UNWIND = 0x70000001;

// sh_flags
inline constexpr std::uint64_t SHF_WRITE = 0x1, SHF_ALLOC = 0x2, SHF_EXECINSTR = 0x4,
                               SHF_MERGE = 0x10, SHF_STRINGS = 0x20, SHF_INFO_LINK = 0x40,
                               SHF_LINK_ORDER = 0x80, SHF_OS_NONCONFORMING = 0x100,
                               SHF_GROUP = 0x200, SHF_TLS = 0x400, SHF_COMPRESSED = 0x800,
                               SHF_GNU_RETAIN = 0x200000, SHF_EXCLUDE = 0x80000000;

// SHT_GROUP flag word
inline constexpr std::uint32_t GRP_COMDAT = 0x1;

// st_info
inline constexpr std::uint8_t STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2, STB_GNU_UNIQUE = 10;
inline constexpr std::uint8_t STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3,
                              STT_FILE = 4, STT_COMMON = 5, STT_TLS = 6, STT_GNU_IFUNC = 10;
// st_other
inline constexpr std::uint8_t STV_DEFAULT = 0, STV_INTERNAL = 1, STV_HIDDEN = 2, STV_PROTECTED = 3;

constexpr std::uint8_t st_bind(std::uint8_t info) noexcept { return info >> 4; }
constexpr std::uint8_t st_type(std::uint8_t info) noexcept { return info & 0xf; }

} // namespace extload::inline v0::elf
