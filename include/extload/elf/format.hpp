// elf/format.hpp: the ELF format policy = class (ELF32/ELF64: field widths, entry sizes, r_info
// split) x byte order. A loader is instantiated for exactly one format; nothing dispatches on
// class or byte order at run time.
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>

#include "extload/elf/constants.hpp"

namespace extload::inline v0 {

// ELF32: gABI "Data Representation", 32-bit objects.
struct elf32 {
  using addr = std::uint32_t;   // Elf32_Addr / Elf32_Off / Elf32_Word for sh_flags etc.
  using sword = std::int32_t;   // r_addend
  static constexpr std::uint8_t ei_class = elf::ELFCLASS32;
  static constexpr std::size_t word_size = 4;
  static constexpr std::size_t ehdr_size = 52, shdr_size = 40, sym_size = 16, rel_size = 8, rela_size = 12;
  static constexpr std::uint32_t r_sym(std::uint64_t info) noexcept { return static_cast<std::uint32_t>(info >> 8); }
  static constexpr std::uint32_t r_type(std::uint64_t info) noexcept { return static_cast<std::uint32_t>(info & 0xff); }
};

// ELF64: 64-bit objects. Note the different Elf64_Sym field order (st_info before st_value).
struct elf64 {
  using addr = std::uint64_t;
  using sword = std::int64_t;
  static constexpr std::uint8_t ei_class = elf::ELFCLASS64;
  static constexpr std::size_t word_size = 8;
  static constexpr std::size_t ehdr_size = 64, shdr_size = 64, sym_size = 24, rel_size = 16, rela_size = 24;
  static constexpr std::uint32_t r_sym(std::uint64_t info) noexcept { return static_cast<std::uint32_t>(info >> 32); }
  static constexpr std::uint32_t r_type(std::uint64_t info) noexcept { return static_cast<std::uint32_t>(info & 0xffffffffu); }
};

template <class C>
concept elf_class = requires(std::uint64_t info) {
  typename C::addr;
  { C::ei_class } -> std::convertible_to<std::uint8_t>;
  { C::word_size } -> std::convertible_to<std::size_t>;
  { C::ehdr_size } -> std::convertible_to<std::size_t>;
  { C::shdr_size } -> std::convertible_to<std::size_t>;
  { C::sym_size } -> std::convertible_to<std::size_t>;
  { C::rel_size } -> std::convertible_to<std::size_t>;
  { C::rela_size } -> std::convertible_to<std::size_t>;
  { C::r_sym(info) } -> std::same_as<std::uint32_t>;
  { C::r_type(info) } -> std::same_as<std::uint32_t>;
} && (C::word_size == 4 || C::word_size == 8);
static_assert(elf_class<elf32>);
static_assert(elf_class<elf64>);

template <elf_class Class, std::endian Order>
  requires(Order == std::endian::little || Order == std::endian::big)
struct elf_format {
  using elf_class_type = Class;
  static constexpr std::endian byte_order = Order;
  static constexpr std::uint8_t ei_data = Order == std::endian::little ? elf::ELFDATA2LSB : elf::ELFDATA2MSB;
  static constexpr bool is_64 = Class::word_size == 8;
  static constexpr bool is_le = Order == std::endian::little;
};

// The ELF format policy: what generic code reads from a format.
template <class F>
concept elf_format_policy = requires {
  typename F::elf_class_type;
  { F::byte_order } -> std::convertible_to<std::endian>;
  { F::ei_data } -> std::convertible_to<std::uint8_t>;
  { F::is_64 } -> std::convertible_to<bool>;
} && elf_class<typename F::elf_class_type>;

using elf32le = elf_format<elf32, std::endian::little>;
using elf32be = elf_format<elf32, std::endian::big>;
using elf64le = elf_format<elf64, std::endian::little>;
using elf64be = elf_format<elf64, std::endian::big>;
static_assert(elf_format_policy<elf32le> && elf_format_policy<elf32be>);
static_assert(elf_format_policy<elf64le> && elf_format_policy<elf64be>);

} // namespace extload::inline v0
