// loader/extension.hpp: what a successful load produces. An `extension` record lives in one
// metadata block from the allocator (no heap of its own): the regions, the exported symbols
// (name copies + addresses, sorted by name hash for binary search), and the constructor and
// destructor lists in the order they must run. `load_report` is the optional per-load account
// (counts by relocation type, imports, GOT slots, veneers) a caller may ask for.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "extload/byte_string.hpp"
#include "extload/loader/entry.hpp"
#include "extload/policy/concepts.hpp"

namespace extload::inline v0 {

struct export_record {
  std::uint64_t address = 0;
  std::uint32_t hash = 0;     // name_hash of the name
  std::uint32_t name_offset = 0;
  std::uint32_t name_size = 0;
  symbol_kind kind = symbol_kind::unknown;
  bool strong = false;        // a STB_GLOBAL definition from a symbol table
};

template <elf_format_policy Format, arch::relocation_set Arch, allocator Alloc, export_table Exports>
class linker;
template <elf_format_policy Format, arch::relocation_set Arch, allocator Alloc, export_table Exports>
class loader;

// One loaded section, as LLEXT's llext_find_section / llext_get_section_header report it.
struct section_record {
  std::uint64_t address = 0;
  std::uint64_t size = 0;
  std::uint64_t flags = 0;       // sh_flags
  std::uint32_t type = 0;        // sh_type
  std::uint32_t object = 0;      // which object of the link
  std::uint32_t index = 0;       // section header index in that object
  std::uint32_t name_offset = 0; // into the record's string pool
  std::uint32_t name_size = 0;
  region kind = region::text;
};

class extension {
public:
  // Exported symbols: the extension's defined globals and its `.exported_sym` entries, found
  // through an open-addressing hash index built at load time.
  found_symbol find(std::string_view name) const noexcept { return lookup(name_hash(name), name); }
  found_symbol find(byte_string name) const noexcept { return lookup(name_hash(name), name); }

  template <class Fn>
  Fn* function(std::string_view name) const noexcept {
    found_symbol const s = find(name);
    return s ? address_to_function<Fn>(s.address) : nullptr;
  }
  template <class T>
  T* object(std::string_view name) const noexcept {
    found_symbol const s = find(name);
    return s ? address_to_object<T>(s.address) : nullptr;
  }

  // Run preinit_array, init_array (by priority) and .ctors (reverse order), once.
  void bring_up() noexcept {
    if (brought_up_) return;
    brought_up_ = true;
    for (std::uint32_t i = 0; i < init_count_; ++i) address_to_function<void()>(init_[i])();
  }
  // Run fini_array (reverse order, by priority) and .dtors, once, if brought up.
  void tear_down() noexcept {
    if (!brought_up_ || torn_down_) return;
    torn_down_ = true;
    for (std::uint32_t i = 0; i < fini_count_; ++i) address_to_function<void()>(fini_[i])();
  }

  std::span<export_record const> exports() const noexcept { return {exports_, export_count_}; }
  std::span<section_record const> sections() const noexcept { return {sections_, section_count_}; }
  std::string_view name_of(section_record const& s) const noexcept { return {strings_ + s.name_offset, s.name_size}; }
  // The first loaded section of that name (in link order), or nullptr.
  section_record const* find_section(std::string_view name) const noexcept {
    for (std::uint32_t i = 0; i < section_count_; ++i)
      if (name_of(sections_[i]) == name) return &sections_[i];
    return nullptr;
  }
  std::string_view name_of(export_record const& e) const noexcept { return {strings_ + e.name_offset, e.name_size}; }
  region_block const& regions() const noexcept { return regions_; }
  std::span<std::uint64_t const> constructors() const noexcept { return {init_, init_count_}; }
  std::span<std::uint64_t const> destructors() const noexcept { return {fini_, fini_count_}; }
  bool brought_up() const noexcept { return brought_up_; }
  // Is `address` inside one of this extension's regions?
  bool contains(std::uint64_t address) const noexcept {
    for (std::size_t r = 0; r < region_count; ++r) {
      auto const b = regions_.address[r];
      if (regions_.size[r] != 0 && address >= b && address - b < regions_.size[r]) return true;
    }
    return false;
  }
  std::size_t metadata_bytes() const noexcept { return record_bytes_; }

private:
  template <class Name>
  found_symbol lookup(std::uint32_t h, Name const& name) const noexcept {
    if (export_count_ == 0) return {};
    for (std::uint32_t b = h & bucket_mask_; buckets_[b] != 0; b = (b + 1) & bucket_mask_) {
      export_record const& e = exports_[buckets_[b] - 1];
      if (e.hash == h && name == name_of(e)) return {e.address, true, e.kind};
    }
    return {};
  }

  template <elf_format_policy F, arch::relocation_set R, allocator A, export_table E>
  friend class linker;
  template <elf_format_policy F, arch::relocation_set R, allocator A, export_table E>
  friend class loader;

  region_block regions_{};
  export_record* exports_ = nullptr;
  std::uint32_t export_count_ = 0;
  std::uint32_t* buckets_ = nullptr; // export index + 1, 0 = empty
  std::uint32_t bucket_mask_ = 0;
  section_record* sections_ = nullptr;
  std::uint32_t section_count_ = 0;
  char* strings_ = nullptr;
  std::uint64_t* init_ = nullptr;
  std::uint64_t* fini_ = nullptr;
  std::uint32_t init_count_ = 0, fini_count_ = 0;
  std::size_t record_bytes_ = 0;
  bool brought_up_ = false, torn_down_ = false;
};

// An optional account of one load (pass a pointer in load_options::report).
template <class Arch>
struct load_report {
  std::uint32_t objects = 0;
  std::uint32_t sections_loaded = 0;
  std::uint32_t symbols = 0;
  std::uint32_t imports_firmware = 0;  // undefined symbols resolved by the export table
  std::uint32_t imports_by_slid = 0;   // ... of which by SLID carried in st_value
  std::uint32_t imports_resolver = 0;  // resolved by load_options::fallback
  std::uint32_t imports_weak_zero = 0; // weak undefined, resolved to 0
  std::uint32_t imports_internal = 0;  // resolved by another object of the same link
  std::uint32_t common_symbols = 0;
  std::uint32_t comdat_groups_discarded = 0;
  std::uint32_t got_slots = 0;
  std::uint32_t veneers = 0;
  std::uint32_t veneer_uses = 0;       // relocations redirected through a veneer
  std::uint64_t padding_deleted = 0;   // bytes of alignment padding deleted (RISC-V R_RISCV_ALIGN)
  std::uint64_t relocations = 0;
  std::array<std::uint64_t, Arch::type_count> by_type{};
  std::uint64_t region_bytes[region_count] = {};
  placement window{};

  // Calls f(type, name, count) for every type with a non-zero count.
  template <class F>
  void for_each_type(F&& f) const {
    auto const types = Arch::types();
    auto const names = Arch::names();
    for (std::size_t i = 0; i < Arch::type_count; ++i)
      if (by_type[i] != 0) f(types[i], names[i], by_type[i]);
  }
};

} // namespace extload::inline v0
