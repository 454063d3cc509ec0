// policy/archetypes.hpp: the minimal model of each policy concept (cib style). Generic code is
// instantiated with these in tests/policy to prove it uses nothing beyond the concept.
#pragma once

#include "extload/policy/concepts.hpp"

namespace extload::inline v0::archetypes {

// The ELF format policy with nothing but what elf_format_policy asks for.
struct format_archetype {
  using elf_class_type = elf32;
  static constexpr std::endian byte_order = std::endian::big;
  static constexpr std::uint8_t ei_data = elf::ELFDATA2MSB;
  static constexpr bool is_64 = false;
  static constexpr bool is_le = false;
};
static_assert(elf_format_policy<format_archetype>);

struct allocator_archetype {
  result<region_block> allocate(region_request const&, placement const&) { return errc::out_of_memory; }
  errc seal(region_block&) { return errc::ok; }
  void sync_caches(region_block&) {}
  void release(region_block&) {}
  std::byte* allocate_metadata(std::size_t, std::size_t) { return nullptr; }
  void free_metadata(std::byte*, std::size_t) {}
};
static_assert(allocator<allocator_archetype>);

template <std::size_t SlidBytes>
struct export_table_archetype {
  static constexpr std::size_t slid_bytes = SlidBytes;
  constexpr found_symbol find_by_name(byte_string) const { return {}; }
  constexpr found_symbol find_by_slid(std::uint64_t) const { return {}; }
  constexpr std::size_t size() const { return 0; }
};
static_assert(export_table<export_table_archetype<4>>);
static_assert(export_table<export_table_archetype<8>>);

struct traits_archetype {
  static constexpr std::uint16_t e_machine = 0;
  static constexpr bool uses_rela = true;
  static constexpr std::size_t got_entry_size = 8;
  static constexpr std::size_t veneer_size = 0;
  static constexpr std::uint64_t veneer_align = 1;
  static constexpr char const* arch_name = "archetype";
};
struct howto_archetype : arch::data_write<std::uint32_t> {
  static constexpr std::uint32_t type = 1;
  static constexpr char const* name = "R_ARCHETYPE_32";
  static constexpr arch::expr kind = arch::expr::abs;
  static constexpr arch::range check = arch::any_bits(32);
  static constexpr std::uint64_t align = 1;
};
using relocation_set_archetype = arch::reloc_set<traits_archetype, howto_archetype>;
static_assert(arch::relocation_set<relocation_set_archetype>);

} // namespace extload::inline v0::archetypes
