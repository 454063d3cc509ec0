// loader/link.hpp: one link of one or more ET_REL objects into one extension (the engine behind
// loader<>::load). Phases, each validating what it reads before use:
//   1. parse every object (elf/object.hpp);
//   2. COMDAT: keep the first SHT_GROUP of each signature across the objects, discard the rest;
//   3. classify SHF_ALLOC sections into regions (text/rodata/data/bss), honouring alignment;
//   4. read every symbol once into a per-symbol resolution array; build a sorted index of the
//      link's global definitions (strong > weak > common; two strong ones are an error);
//   5. resolve undefined symbols once: the link's own definitions, the firmware export table (by
//      SLID when st_value carries one, else by name), the fallback resolver, weak -> 0;
//   6. pre-scan relocations: validate type and symbol, reserve GOT slots and veneers, and narrow
//      the placement window so PC-relative and 32-bit absolute references reach their targets;
//   7. allocate, copy, fill GOT and veneers, apply relocations (arch howtos: value, range, bits);
//   8. build the extension record (exports, constructor/destructor lists), seal (W^X), sync caches.
// Nothing is allocated before the headers, section tables and symbol tables have been checked
// except the scratch arrays sized from them; every failure frees everything it allocated.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <span>
#include <string_view>

#include "extload/arch/reloc_set.hpp"
#include "extload/elf/object.hpp"
#include "extload/loader/entry.hpp"
#include "extload/loader/extension.hpp"
#include "extload/policy/concepts.hpp"

namespace extload::inline v0 {

struct load_options {
  resolver fallback{};        // consulted after the firmware's export table
  bool export_hidden = false; // also export STV_HIDDEN/INTERNAL globals
};

// Where the loaded contents of a compact image are (loader/source.hpp, object_view::parse's
// `contents_elsewhere`): read(context, offset, out, n) copies n bytes from the source's
// `offset` to `out`, true on success. A type-erased byte_source, so the linker is not a template
// of the source type.
struct content_reader {
  bool (*read)(void* context, std::uint64_t offset, std::byte* out, std::size_t n) noexcept = nullptr;
  void* context = nullptr;
};

namespace detail {

inline constexpr std::uint32_t none = 0xffffffffu;

enum class sec_state : std::uint8_t { unused, loaded, discarded, skipped };
enum class special : std::uint8_t { none, preinit, init, fini, ctors, dtors, exported_sym, unwind };

struct sec_slot {
  std::byte* mem = nullptr;     // where the section's bytes are, once allocated
  std::uint64_t addr = 0;       // its address
  std::uint64_t offset = 0;     // offset inside its region
  std::uint64_t size = 0;
  std::uint32_t priority = 0;   // init/fini ordering
  std::uint8_t region = 0xff;
  sec_state state = sec_state::unused;
  special role = special::none;
  bool relocated = false;       // a relocation section targeting it was scanned
  bool padded = false;          // carries alignment padding the linker deletes (RISC-V R_RISCV_ALIGN)
  std::uint32_t decided = 0;    // its relocations the pre-scan looked at (apply_relocations picks a loop by it)
  std::uint32_t pad_first = 0;  // its padding entries: linker::pads_[pad_first, pad_first + pad_count)
  std::uint32_t pad_count = 0;
};

// One run of alignment padding (RISC-V R_RISCV_ALIGN at `at`, `size` bytes of NOPs): the first
// `keep` bytes stay (rewritten as NOPs), the rest is deleted; `before` bytes of the section were
// deleted ahead of it. Offsets are the object's (before deletion).
struct pad_entry {
  std::uint64_t at = 0;
  std::uint64_t keep = 0;
  std::uint64_t size = 0;
  std::uint64_t before = 0;
  constexpr std::uint64_t cut() const noexcept { return at + keep; }       // first deleted byte
  constexpr std::uint64_t cut_end() const noexcept { return at + size; }   // one past the last
};

enum class sym_state : std::uint8_t {
  null,          // symbol 0
  unresolved,    // undefined, not yet resolved
  unresolved_discarded, // defined in a discarded COMDAT section: resolve by name
  absolute,      // addr is final (SHN_ABS, firmware/fallback imports)
  weak_zero,     // weak undefined: 0
  in_section,    // addr = st_value until the section is placed
  common,        // SHN_COMMON owner: addr = offset in the common area until placed
  alias,         // resolved to another slot (`target`)
  got_base,      // _GLOBAL_OFFSET_TABLE_
  not_loaded,    // defined in a section that is not loaded (or discarded local)
};

inline constexpr std::uint8_t flag_external = 1;  // resolved outside the link
inline constexpr std::uint8_t flag_branch = 2;    // target of a call/jump relocation
inline constexpr std::uint8_t flag_data_ref = 4;  // target of a range-limited non-branch reference
inline constexpr std::uint8_t flag_function = 8;  // known to be a function
inline constexpr std::uint8_t flag_defined = 16;  // defined by this symbol table entry (section, ABS, COMMON)
inline constexpr std::uint8_t flag_alias = 32;    // stands for another slot's definition (resolved)
inline constexpr std::uint8_t flag_page_ref = 0x40;    // reached by a page-relative pair (ADRP): no veneer can stand in
inline constexpr std::uint8_t flag_unsupported = 0x80; // a TLS or GNU_IFUNC definition

struct sym_slot {
  std::uint64_t addr = 0;
  std::uint64_t size = 0;
  byte_string name{};           // cached for globals (read once; names are compared and copied)
  std::uint64_t win_lo = 0, win_hi = ~std::uint64_t{0}; // reach window of data-like references
  std::uint32_t target = none;  // alias target / section slot
  std::uint32_t got = none;
  std::uint32_t veneer = none;
  sym_state state = sym_state::null;
  std::uint8_t type = 0;
  std::uint8_t bind = 0;
  std::uint8_t flags = 0;
  std::uint8_t other = 0;       // st_other (visibility)
};

struct global_entry {
  std::uint32_t hash;
  std::uint32_t slot;   // global symbol slot index
  std::uint8_t strength; // 3 strong, 2 weak, 1 common
};

struct group_entry {
  std::uint32_t hash;
  std::uint32_t object;
  std::uint32_t section;
};

constexpr std::uint64_t align_up(std::uint64_t v, std::uint64_t a) noexcept { return (v + a - 1) & ~(a - 1); }

// Which howto's range decides whether a veneer stands in for a relocation's symbol: its own, or
// that of the high half it completes (H::veneer_like, e.g. RISC-V LO12 -> HI20).
template <class H>
struct veneer_decider { using type = H; };
template <class H>
  requires requires { typename H::veneer_like; }
struct veneer_decider<H> { using type = typename H::veneer_like; };

// The region a loaded (SHF_ALLOC) section goes to.
constexpr region region_of(section_header const& s) noexcept {
  if (s.type == elf::SHT_NOBITS) return region::bss;
  if ((s.flags & elf::SHF_EXECINSTR) != 0) return region::text;
  if ((s.flags & elf::SHF_WRITE) != 0) return region::data;
  return region::rodata;
}

// The pre-scan's record of one relocation section's sites (MALFORMED.md class 36; see
// linker::site_overlap). While the entries come in r_offset order only `end` and `last` move.
struct site_runs {
  static constexpr std::uint32_t max_runs = 8;
  std::uint64_t end = 0;  // one past the last byte written by the sites so far (~0: out of order)
  // Out of order: the entries split into runs of non-decreasing r_offset, entry indices
  // [run[i], run[i + 1]), the current one from run[runs - 1]; r_end/r_last as end/last for it.
  bool unsorted = false;
  bool done = false; // the whole section was checked at once (check_sites_sorted)
  std::uint32_t runs = 1;
  std::uint64_t last = 0; // r_offset of the entry that set `end` (not next to it: see scan_relocations)
  std::uint64_t run[max_runs] = {};
  std::uint64_t r_end = 0, r_last = 0;
};

// Parse the numeric suffix of ".init_array.NNNNN"; `dflt` when there is none or it is not a number.
constexpr std::uint32_t section_priority(byte_string name, std::size_t prefix, std::uint32_t dflt) noexcept {
  if (name.size <= prefix + 1 || name[prefix] != '.') return dflt;
  std::uint32_t v = 0;
  for (std::size_t i = prefix + 1; i < name.size; ++i) {
    char const c = name[i];
    if (c < '0' || c > '9' || v > 1000000) return dflt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return v;
}

// P must lie in [T - max, T - min] for S + A - P to fit [min, max]; saturating arithmetic.
constexpr void pc_window(std::uint64_t T, std::int64_t min, std::int64_t max, std::uint64_t& lo, std::uint64_t& hi) noexcept {
  auto const umax = static_cast<std::uint64_t>(max);         // max >= 0
  auto const umin = static_cast<std::uint64_t>(-(min + 1)) + 1; // |min|, min < 0
  std::uint64_t const l = T >= umax ? T - umax : 0;
  std::uint64_t const h = (~std::uint64_t{0} - T) >= umin ? T + umin : ~std::uint64_t{0};
  if (l > lo) lo = l;
  if (h < hi) hi = h;
}

// A block of metadata memory from the allocator, freed on scope exit unless released.
template <class Alloc>
class block_guard {
public:
  block_guard(Alloc& a) noexcept : alloc_(&a) {}
  block_guard(block_guard const&) = delete;
  block_guard& operator=(block_guard const&) = delete;
  ~block_guard() { reset(); }
  std::byte* allocate(std::size_t n, std::size_t align) noexcept {
    reset();
    if (n == 0) n = 1;
    p_ = alloc_->allocate_metadata(n, align);
    n_ = p_ != nullptr ? n : 0;
    return p_;
  }
  void reset() noexcept {
    if (p_ != nullptr) alloc_->free_metadata(p_, n_);
    p_ = nullptr;
    n_ = 0;
  }
  std::byte* release() noexcept { auto* p = p_; p_ = nullptr; n_ = 0; return p; }
  std::byte* get() const noexcept { return p_; }
  std::size_t size() const noexcept { return n_; }

private:
  Alloc* alloc_;
  std::byte* p_ = nullptr;
  std::size_t n_ = 0;
};

// Carve typed arrays out of one raw block (all types here are trivial).
class carver {
public:
  explicit carver(std::byte* p) noexcept : p_(p) {}
  template <class T>
  static constexpr std::size_t bytes(std::size_t used, std::size_t n) noexcept {
    return align_up(used, alignof(T)) + n * sizeof(T);
  }
  template <class T>
  T* take(std::size_t n) noexcept {
    used_ = static_cast<std::size_t>(align_up(used_, alignof(T)));
    T* out = std::launder(static_cast<T*>(static_cast<void*>(p_ + used_)));
    for (std::size_t i = 0; i < n; ++i) std::construct_at(out + i);
    used_ += n * sizeof(T);
    return out;
  }

private:
  std::byte* p_;
  std::size_t used_ = 0;
};

} // namespace detail

template <elf_format_policy Format, arch::relocation_set Arch, allocator Alloc, export_table Exports>
class linker {
  using view = object_view<Format>;
  using C = typename Format::elf_class_type;
  static constexpr std::endian O = Format::byte_order;
  static constexpr std::size_t word = C::word_size;
  static constexpr std::uint64_t addr_max = word == 8 ? ~std::uint64_t{0} : 0xffffffffu;
  using sec_slot = detail::sec_slot;
  using sym_slot = detail::sym_slot;
  using sym_state = detail::sym_state;
  using sec_state = detail::sec_state;
  static constexpr std::uint32_t none = detail::none;

public:
  // `contents`: the single object is a compact copy whose loaded contents `contents` reads
  // (loader<>::load_from); nullptr for objects wholly in memory.
  linker(Alloc& a, Exports const& e, limits const& l, load_options const& opt, load_report<Arch>* rep,
         content_reader const* contents = nullptr) noexcept
      : alloc_(a), exports_(e), limits_(l), opt_(opt), report_(rep), contents_(contents), views_block_(a), scratch_(a),
        record_(a), pairs_block_(a), pads_block_(a) {}

  result<extension*> run(std::span<std::span<std::byte const> const> objects) noexcept {
    n_ = objects.size();
    if (n_ == 0) return diagnostic{errc::not_found, field::none};
    if (auto d = parse_all(objects)) return d;
    if (auto d = select_comdat()) return d;
    if (auto d = classify_sections()) return d;
    if (auto d = read_symbols()) return d;
    if (auto d = build_global_index()) return d;
    if (auto d = resolve_undefined()) return d;
    if (auto d = scan_relocations()) return d;
    if (auto d = plan_padding()) return d;
    if (auto d = allocate_regions()) return d;
    if (auto d = place_and_copy()) { alloc_.release(block_); return d; }
    if (auto d = apply_relocations()) { alloc_.release(block_); return d; }
    if (auto d = check_record_sections()) { alloc_.release(block_); return d; }
    auto rec = build_record();
    if (!rec) { alloc_.release(block_); return rec.error(); }
    if (errc const c = alloc_.seal(block_); c != errc::ok) {
      destroy_record(*rec);
      return diagnostic{c};
    }
    alloc_.sync_caches(block_);
    fill_report();
    return *rec;
  }

private:
  // ---- 1. parse --------------------------------------------------------------------------
  diagnostic parse_all(std::span<std::span<std::byte const> const> objects) noexcept {
    // Pass 1 validates every header, section table and symbol table before anything is
    // allocated (a malformed image costs no memory); pass 2 keeps the views.
    std::uint64_t secs = 0, syms = 0;
    std::uint64_t cursor[region_count] = {}; // classify_sections' layout, summed early
    view last{}; // the last object's view, kept for pass 2 (a single-object load parses once)
    for (std::size_t k = 0; k < n_; ++k) {
      auto v = view::parse(objects[k], Arch::e_machine, limits_, contents_ != nullptr);
      if (!v) return at(k, v.error());
      last = *v;
      // e_flags are processor-specific (gABI "ELF Header"): the relocation set says which it
      // links (ARM: EABI version; RISC-V: float ABI and RVE; arch/*.hpp accepts_flags).
      if (std::uint32_t const f = v->header().flags; !Arch::accepts_flags(f))
        return at(k, diagnostic{errc::bad_machine, field::e_flags, static_cast<std::int64_t>(f)});
      for (std::uint32_t i = 1; i < v->symbol_count(); ++i) {
        // The checks of symbol_at (st_name against the string table, which parse() proved
        // NUL-terminated); its diagnostic is built only for a symbol that fails them.
        symbol sym;
        if (!v->symbol_ok(i, sym)) return at(k, v->symbol_at(i).error());
        // A common symbol's st_value is its alignment (gABI "Symbol Values"): capped like sh_addralign.
        if (sym.is_common() && sym.value > limits_.max_alignment) {
          diagnostic d{errc::limit_exceeded, field::st_value, static_cast<std::int64_t>(sym.value)};
          d.at_symbol(i).with_range(1, static_cast<std::int64_t>(limits_.max_alignment));
          if (auto n = v->symbol_name(sym)) d.with_name(*n);
          return at(k, d);
        }
      }
      secs += v->section_count();
      syms += v->symbol_count();
      if (secs > limits_.max_sections || syms > limits_.max_symbols)
        return diagnostic{errc::limit_exceeded, secs > limits_.max_sections ? field::e_shnum : field::sh_size,
                          static_cast<std::int64_t>(secs > limits_.max_sections ? secs : syms)}
            .with_range(0, secs > limits_.max_sections ? limits_.max_sections : limits_.max_symbols);
      if (auto d = check_loaded_sections(*v, cursor)) return at(k, d);
      for (std::uint32_t i = 1; i < v->section_count(); ++i)
        if (v->section_type(i) == elf::SHT_GROUP) ++groups_;
    }

    std::size_t const need = detail::carver::bytes<std::uint32_t>(detail::carver::bytes<std::uint32_t>(
                                 detail::carver::bytes<view>(0, n_), n_ + 1), n_ + 1);
    std::byte* p = views_block_.allocate(need, alignof(std::max_align_t));
    if (p == nullptr) return diagnostic{errc::out_of_memory}.with_value(static_cast<std::int64_t>(need));
    detail::carver c{p};
    views_ = c.take<view>(n_);
    sec_base_ = c.take<std::uint32_t>(n_ + 1);
    sym_base_ = c.take<std::uint32_t>(n_ + 1);
    secs = 0;
    syms = 0;
    for (std::size_t k = 0; k < n_; ++k) {
      views_[k] = k + 1 == n_ ? last : *view::parse(objects[k], Arch::e_machine, limits_, contents_ != nullptr); // validated above
      sec_base_[k] = static_cast<std::uint32_t>(secs);
      sym_base_[k] = static_cast<std::uint32_t>(syms);
      secs += views_[k].section_count();
      syms += views_[k].symbol_count();
    }
    sec_base_[n_] = static_cast<std::uint32_t>(secs);
    sym_base_[n_] = static_cast<std::uint32_t>(syms);
    nsecs_ = static_cast<std::uint32_t>(secs);
    nsyms_ = static_cast<std::uint32_t>(syms);

    std::size_t bytes = detail::carver::bytes<sec_slot>(0, nsecs_);
    bytes = detail::carver::bytes<sym_slot>(bytes, nsyms_);
    std::uint32_t const nglobal_slots = n_ > 1 ? nsyms_ : 0; // read_symbols fills globals_ only for n_ > 1
    bytes = detail::carver::bytes<detail::global_entry>(bytes, nglobal_slots);
    bytes = detail::carver::bytes<detail::group_entry>(bytes, groups_);
    std::byte* s = scratch_.allocate(bytes, alignof(std::max_align_t));
    if (s == nullptr) return diagnostic{errc::out_of_memory}.with_value(static_cast<std::int64_t>(bytes));
    detail::carver sc{s};
    secs_ = sc.take<sec_slot>(nsecs_);
    syms_ = sc.take<sym_slot>(nsyms_);
    globals_ = sc.take<detail::global_entry>(nglobal_slots);
    group_list_ = sc.take<detail::group_entry>(groups_);
    return {};
  }

  diagnostic at(std::size_t k, diagnostic d) const noexcept { d.object = static_cast<std::uint32_t>(k); return d; }

  // Pass 1's look at the sections classify_sections will load, so that these rejections, too,
  // come before the first allocation:
  //   * an SHF_ALLOC section of a processor-specific type (gABI: SHT_LOPROC..SHT_HIPROC) must be
  //     one the relocation set knows (arch/*.hpp known_section_type); loading an unknown one as
  //     data would be a guess at what the processor supplement means by it;
  //   * each region's total against limits::max_region_bytes, laid out as classify_sections
  //     lays it out. With several objects, members of section groups (SHF_GROUP) are left out:
  //     COMDAT selection may drop them, so the sum is a lower bound and classify_sections checks
  //     the exact one. With one object nothing is dropped and the two agree.
  diagnostic check_loaded_sections(view const& v, std::uint64_t (&cursor)[region_count]) const noexcept {
    for (std::uint32_t i = 1; i < v.section_count(); ++i) {
      if ((v.section_flags(i) & elf::SHF_ALLOC) == 0) continue;
      section_header const s = v.section(i);
      if (s.type == elf::SHT_GROUP) continue;
      if (s.type >= elf::SHT_LOPROC && s.type <= elf::SHT_HIPROC && !Arch::known_section_type(s.type))
        return named(v, i, diagnostic{errc::unsupported_section, field::sh_type, s.type}.at_section(i));
      if ((s.flags & elf::SHF_TLS) != 0 || (n_ > 1 && (s.flags & elf::SHF_GROUP) != 0)) continue;
      auto const ri = static_cast<std::size_t>(detail::region_of(s));
      std::uint64_t const off = detail::align_up(cursor[ri], s.alignment());
      if (off < cursor[ri] || off > limits_.max_region_bytes || limits_.max_region_bytes - off < s.size)
        return named(v, i, region_full(i, s.size));
      cursor[ri] = off + s.size;
    }
    return {};
  }
  static diagnostic named(view const& v, std::uint32_t i, diagnostic d) noexcept {
    if (auto n = v.section_name(i)) d.with_name(*n);
    return d;
  }
  diagnostic region_full(std::uint32_t i, std::uint64_t size) const noexcept {
    return diagnostic{errc::limit_exceeded, field::sh_size, static_cast<std::int64_t>(size)}
        .at_section(i).with_range(0, static_cast<std::int64_t>(limits_.max_region_bytes));
  }

  // ---- 2. COMDAT ---------------------------------------------------------------------------
  diagnostic select_comdat() noexcept {
    if (n_ == 1) return {}; // COMDAT selection is between objects (ld -r output has merged its own)
    std::uint32_t g = 0;
    for (std::size_t k = 0; k < n_; ++k) {
      view const& v = views_[k];
      for (std::uint32_t i = 1; i < v.section_count(); ++i) {
        section_header const s = v.section(i);
        if (s.type != elf::SHT_GROUP) continue;
        if ((v.group_flags(i) & elf::GRP_COMDAT) == 0) continue; // plain groups are all kept
        auto sym = v.symbol_at(s.info);
        if (!sym) return at(k, sym.error()).at_section(i);
        auto name = v.symbol_name(*sym);
        if (!name) return at(k, name.error()).at_section(i);
        group_list_[g++] = {name_hash(*name), static_cast<std::uint32_t>(k), i};
      }
    }
    std::sort(group_list_, group_list_ + g, [](auto const& a, auto const& b) {
      return a.hash != b.hash ? a.hash < b.hash : a.object != b.object ? a.object < b.object : a.section < b.section;
    });
    for (std::uint32_t i = 0; i < g;) {
      std::uint32_t j = i;
      while (j < g && group_list_[j].hash == group_list_[i].hash) ++j;
      for (std::uint32_t a = i; a < j; ++a) {
        byte_string const na = group_signature(group_list_[a]);
        bool dup = false;
        for (std::uint32_t b = i; b < a && !dup; ++b)
          if (!is_discarded_group(group_list_[b]) && group_signature(group_list_[b]) == na) dup = true;
        if (dup) discard_group(group_list_[a]);
      }
      i = j;
    }
    return {};
  }
  byte_string group_signature(detail::group_entry const& e) const noexcept {
    view const& v = views_[e.object];
    auto sym = v.symbol_at(v.section(e.section).info);
    auto name = v.symbol_name(*sym); // validated in select_comdat
    return *name;
  }
  bool is_discarded_group(detail::group_entry const& e) const noexcept {
    return secs_[sec_base_[e.object] + e.section].state == sec_state::discarded;
  }
  void discard_group(detail::group_entry const& e) noexcept {
    view const& v = views_[e.object];
    section_header const s = v.section(e.section);
    secs_[sec_base_[e.object] + e.section].state = sec_state::discarded;
    for (std::uint64_t m = 0; m < s.size / 4 - 1; ++m)
      secs_[sec_base_[e.object] + v.group_member(e.section, m)].state = sec_state::discarded;
    ++discarded_groups_;
  }

  // ---- 3. sections -> regions --------------------------------------------------------------
  diagnostic classify_sections() noexcept {
    for (std::size_t k = 0; k < n_; ++k) {
      view const& v = views_[k];
      for (std::uint32_t i = 1; i < v.section_count(); ++i) {
        sec_slot& slot = secs_[sec_base_[k] + i];
        if (slot.state == sec_state::discarded) continue;
        slot.state = sec_state::skipped;
        if ((v.section_flags(i) & elf::SHF_ALLOC) == 0) continue;
        section_header const s = v.section(i);
        if (s.type == elf::SHT_GROUP) continue;
        auto name = v.section_name(i);
        if (!name) return at(k, name.error()).at_section(i);
        if ((s.flags & elf::SHF_TLS) != 0) {
          if (s.size == 0) continue;
          return at(k, diagnostic{errc::unsupported_section, field::sh_flags, static_cast<std::int64_t>(s.flags)}
                           .at_section(i).with_name(*name));
        }
        region const r = detail::region_of(s);
        switch (s.type) {
        case elf::SHT_PREINIT_ARRAY: slot.role = detail::special::preinit; break;
        case elf::SHT_INIT_ARRAY: slot.role = detail::special::init; slot.priority = detail::section_priority(*name, 11, 65536); break;
        case elf::SHT_FINI_ARRAY: slot.role = detail::special::fini; slot.priority = detail::section_priority(*name, 11, 65536); break;
        default:
          if (name->starts_with(".ctors")) {
            slot.role = detail::special::ctors;
            std::uint32_t const p = detail::section_priority(*name, 6, 65536);
            slot.priority = p == 65536 ? 65536 : 65535 - p; // .ctors.N holds priority 65535 - N
          } else if (name->starts_with(".dtors")) {
            slot.role = detail::special::dtors;
            std::uint32_t const p = detail::section_priority(*name, 6, 65536);
            slot.priority = p == 65536 ? 65536 : 65535 - p;
          } else if (*name == ".exported_sym") {
            slot.role = detail::special::exported_sym;
          } else if (*name == ".eh_frame") {
            // Loaded and relocated like any data; its FDEs for functions of discarded COMDAT
            // groups keep pc_begin 0 (what GNU ld does is drop them; nothing reads them here).
            slot.role = detail::special::unwind;
          }
        }
        auto const ri = static_cast<std::size_t>(r);
        std::uint64_t const a = s.alignment();
        std::uint64_t const off = detail::align_up(cursor_[ri], a);
        // parse_all checked these sums already, except for COMDAT members of a multi-object link.
        if (off < cursor_[ri] || off > limits_.max_region_bytes || limits_.max_region_bytes - off < s.size)
          return at(k, region_full(i, s.size).with_name(*name));
        slot.state = sec_state::loaded;
        slot.region = static_cast<std::uint8_t>(ri);
        slot.offset = off;
        slot.size = s.size;
        cursor_[ri] = off + s.size;
        if (a > align_[ri]) align_[ri] = a;
        ++sections_loaded_;
      }
    }
    return {};
  }

  // ---- 4. symbols ---------------------------------------------------------------------------
  diagnostic read_symbols() noexcept {
    for (std::size_t k = 0; k < n_; ++k) {
      view const& v = views_[k];
      for (std::uint32_t i = 1; i < v.symbol_count(); ++i) {
        symbol const sym = v.symbol_unchecked(i); // validated by parse_all
        symbol const* s = &sym;
        sym_slot& slot = syms_[sym_base_[k] + i];
        slot.type = s->type();
        slot.bind = s->bind();
        slot.other = s->other;
        slot.size = s->size;
        if (!s->is_local()) slot.name = v.symbol_name_unchecked(sym);
        bool const local = s->is_local();
        if (!local && s->bind() != elf::STB_GLOBAL && s->bind() != elf::STB_WEAK && s->bind() != elf::STB_GNU_UNIQUE)
          return at(k, diagnostic{errc::bad_symbol, field::st_info, s->info}.at_symbol(i));
        if (s->is_undefined()) {
          if (local && i != 0) {
            slot.state = sym_state::weak_zero; // a local undefined symbol can only mean "none"
            continue;
          }
          slot.state = sym_state::unresolved;
          slot.addr = s->value; // a SLID, when the object was prepared for SLID linking
          continue;
        }
        if (s->type() == elf::STT_GNU_IFUNC || s->type() == elf::STT_TLS) {
          slot.state = sym_state::not_loaded; // an error only if something refers to it
          slot.flags |= detail::flag_unsupported;
          has_not_loaded_ = true;
          continue;
        }
        std::uint8_t strength = s->bind() == elf::STB_WEAK ? 2 : 3;
        slot.flags |= detail::flag_defined;
        if (s->is_abs()) {
          slot.state = sym_state::absolute;
          slot.addr = s->value;
        } else if (s->is_common()) {
          if (local) return at(k, diagnostic{errc::bad_symbol, field::st_shndx, elf::SHN_COMMON}.at_symbol(i));
          slot.state = sym_state::common;
          has_commons_ = true;
          slot.addr = s->value; // alignment until placed
          strength = 1;
        } else {
          sec_slot const& sec = secs_[sec_base_[k] + s->shndx];
          if (sec.state == sec_state::discarded) {
            slot.state = local ? sym_state::not_loaded : sym_state::unresolved_discarded;
            has_not_loaded_ = has_not_loaded_ || local;
            continue;
          }
          if (sec.state != sec_state::loaded) {
            slot.state = sym_state::not_loaded;
            has_not_loaded_ = true;
            continue;
          }
          slot.state = sym_state::in_section;
          slot.target = sec_base_[k] + s->shndx;
          slot.addr = s->value;
        }
        if (!local && n_ > 1) globals_[nglobals_++] = {name_hash(slot.name), sym_base_[k] + i, strength};
      }
    }
    return {};
  }

  // Map a global slot index back to (object, symbol index).
  std::size_t object_of(std::uint32_t slot) const noexcept {
    return static_cast<std::size_t>(std::upper_bound(sym_base_, sym_base_ + n_ + 1, slot) - sym_base_ - 1);
  }
  byte_string name_of_slot(std::uint32_t slot) const noexcept {
    if (syms_[slot].name.size != 0) return syms_[slot].name;
    std::size_t const k = object_of(slot);
    view const& v = views_[k];
    auto s = v.symbol_at(slot - sym_base_[k]);
    if (!s) return {};
    if (s->type() == elf::STT_SECTION && s->shndx < v.section_count()) {
      auto n = v.section_name(s->shndx);
      return n ? *n : byte_string{};
    }
    auto n = v.symbol_name(*s);
    return n ? *n : byte_string{};
  }

  diagnostic build_global_index() noexcept {
    std::sort(globals_, globals_ + nglobals_, [](auto const& a, auto const& b) {
      return a.hash != b.hash ? a.hash < b.hash : a.slot < b.slot;
    });
    for (std::uint32_t i = 0; i < nglobals_;) {
      std::uint32_t j = i;
      while (j < nglobals_ && globals_[j].hash == globals_[i].hash) ++j;
      // Within a run of equal hashes, group equal names; the winner is the strongest, first.
      for (std::uint32_t a = i; a < j; ++a) {
        if (syms_[globals_[a].slot].state == sym_state::alias) continue; // already grouped
        byte_string const na = name_of_slot(globals_[a].slot);
        std::uint32_t win = a;
        for (std::uint32_t b = a + 1; b < j; ++b) {
          if (syms_[globals_[b].slot].state == sym_state::alias) continue;
          if (!(name_of_slot(globals_[b].slot) == na)) continue;
          if (globals_[b].strength == 3 && globals_[win].strength == 3) {
            std::uint32_t const s = globals_[b].slot;
            std::size_t const k = object_of(s);
            return at(k, diagnostic{errc::duplicate_symbol, field::st_shndx}.at_symbol(s - sym_base_[k]).with_name(na));
          }
          if (globals_[b].strength > globals_[win].strength) win = b;
        }
        // Commons of one name merge into the winner: largest size, largest alignment.
        std::uint32_t const w = globals_[win].slot;
        for (std::uint32_t b = a; b < j; ++b) {
          std::uint32_t const s = globals_[b].slot;
          if (s == w || syms_[s].state == sym_state::alias) continue;
          if (!(name_of_slot(s) == na)) continue;
          if (syms_[s].state == sym_state::common && syms_[w].state == sym_state::common) {
            if (syms_[s].size > syms_[w].size) syms_[w].size = syms_[s].size;
            if (syms_[s].addr > syms_[w].addr) syms_[w].addr = syms_[s].addr;
          }
          syms_[s].state = sym_state::alias;
          syms_[s].target = w;
          has_aliases_ = true;
        }
      }
      i = j;
    }
    return {};
  }

  // Find the link's definition of `name` (the winner), or none.
  std::uint32_t find_global(byte_string name) const noexcept {
    if (nglobals_ == 0) return none; // one object: its undefined symbols are defined elsewhere
    std::uint32_t const h = name_hash(name);
    auto const* first = std::lower_bound(globals_, globals_ + nglobals_, h, [](auto const& e, std::uint32_t k) { return e.hash < k; });
    for (auto const* e = first; e != globals_ + nglobals_ && e->hash == h; ++e) {
      if (syms_[e->slot].state == sym_state::alias) continue;
      if (name_of_slot(e->slot) == name) return e->slot;
    }
    return none;
  }

  // ---- 5. undefined symbols ------------------------------------------------------------------
  diagnostic resolve_undefined() noexcept {
    for (std::size_t k = 0; k < n_; ++k) {
      view const& v = views_[k];
      for (std::uint32_t i = 1; i < v.symbol_count(); ++i) {
        std::uint32_t const si = sym_base_[k] + i;
        sym_slot& slot = syms_[si];
        if (slot.state != sym_state::unresolved && slot.state != sym_state::unresolved_discarded) continue;
        byte_string const* name = &slot.name;
        if (*name == "_GLOBAL_OFFSET_TABLE_") {
          slot.state = sym_state::got_base;
          need_got_base_ = true;
          continue;
        }
        if (std::uint32_t const g = find_global(*name); g != none) {
          if (slot.state == sym_state::unresolved) ++imports_internal_; // undefined here, not a discarded definition
          slot.state = sym_state::alias;
          slot.target = g;
          has_aliases_ = true;
          continue;
        }
        if (slot.state == sym_state::unresolved_discarded) // the entry is decoded only for the message
          return at(k, diagnostic{errc::discarded_section, field::st_shndx, v.symbol_unchecked(i).shndx}.at_symbol(i).with_name(*name));
        // A definition at address 0 is a null pointer, not a definition: the extension would call
        // or read through NULL. It counts as not found (Zephyr's llext: -ENODATA), so a weak
        // import still becomes 0 below and any other is undefined.
        auto usable = [](found_symbol const& x) { return x && x.address != 0; };
        found_symbol f{};
        if (slot.addr != 0) { // Zephyr SLID linking: the import carries its SLID in st_value
          f = exports_.find_by_slid(slot.addr);
          if (usable(f)) ++imports_slid_;
        }
        if (!usable(f)) f = exports_.find_by_name(*name);
        if (usable(f)) ++imports_firmware_;
        if (!usable(f)) {
          f = opt_.fallback(*name);
          if (usable(f)) ++imports_resolver_;
        }
        if (usable(f)) {
          slot.state = sym_state::absolute;
          slot.addr = f.address;
          slot.flags |= detail::flag_external;
          if (f.kind == symbol_kind::function || slot.type == elf::STT_FUNC) slot.flags |= detail::flag_function;
          continue;
        }
        if (slot.bind == elf::STB_WEAK) {
          slot.state = sym_state::weak_zero;
          slot.addr = 0;
          slot.flags |= detail::flag_external;
          ++imports_weak_;
          continue;
        }
        diagnostic d{errc::undefined_symbol, field::st_name};
        d.at_symbol(i).with_name(*name);
        if (slot.addr != 0) d.with_value(static_cast<std::int64_t>(slot.addr));
        return at(k, d);
      }
    }
    return {};
  }

  std::uint32_t canon(std::uint32_t si) const noexcept {
    return syms_[si].state == sym_state::alias ? syms_[si].target : si;
  }

  // ---- 6. relocation pre-scan ----------------------------------------------------------------
  template <class F>
  diagnostic for_each_relocation_section(F&& f) noexcept {
    for (std::size_t k = 0; k < n_; ++k) {
      view const& v = views_[k];
      for (std::uint32_t i = 1; i < v.section_count(); ++i) {
        if (std::uint32_t const type = v.section_type(i); type != elf::SHT_REL && type != elf::SHT_RELA) continue;
        section_header const rs = v.section(i);
        if (secs_[sec_base_[k] + i].state == sec_state::discarded) continue;
        sec_slot const& t = secs_[sec_base_[k] + rs.info];
        if (t.state != sec_state::loaded) continue; // debug info, unwind tables, discarded groups
        if ((rs.type == elf::SHT_RELA) != Arch::uses_rela)
          return at(k, diagnostic{errc::bad_section, field::sh_type, rs.type}.at_section(i));
        if (auto d = f(k, v, i, rs, sec_base_[k] + rs.info)) return d;
      }
    }
    return {};
  }

  diagnostic relocation_error(errc c, std::size_t k, std::uint32_t sec, std::uint64_t j, relocation const& r) const noexcept {
    diagnostic d{c, c == errc::unknown_relocation ? field::r_type : field::none, r.type};
    d.object = static_cast<std::uint32_t>(k);
    d.section = sec;
    d.relocation = static_cast<std::uint32_t>(j);
    d.type = r.type;
    d.type_name = Arch::name_of(r.type);
    d.symbol = r.sym;
    if (r.sym < views_[k].symbol_count()) d.with_name(name_of_slot(sym_base_[k] + r.sym));
    return d;
  }

  static constexpr std::uint64_t entry_size = Arch::uses_rela ? C::rela_size : C::rel_size;
  std::uint64_t offset_at(view const& v, section_header const& rs, std::uint64_t j) const noexcept {
    return v.word(rs.offset + j * entry_size);
  }
  // The site width of entry j, whose type the set handles (0 for a type it does not).
  std::uint64_t site_width_at(view const& v, section_header const& rs, std::uint64_t j, bool* composes = nullptr) const noexcept {
    std::size_t const t = Arch::index_of(C::r_type(v.word(rs.offset + j * entry_size + word)));
    if (t == Arch::type_count) return 0;
    if (composes != nullptr) *composes = Arch::composes[t];
    return Arch::site_widths[t];
  }
  diagnostic site_error(std::size_t k, view const& v, section_header const& rs, std::uint64_t j) const noexcept {
    relocation const r = v.template relocation_at<Arch::uses_rela>(rs, j);
    auto e = relocation_error(errc::bad_relocation, k, rs.info, j, r);
    e.what = field::r_offset;
    e.value = static_cast<std::int64_t>(r.offset);
    return e;
  }

  diagnostic symbol_range_error(std::size_t k, section_header const& rs, std::uint64_t j, relocation const& r, std::uint32_t nsym) const noexcept {
    auto e = relocation_error(errc::bad_relocation, k, rs.info, j, r);
    e.what = field::r_sym;
    e.value = r.sym;
    return e.with_range(0, static_cast<std::int64_t>(nsym) - 1);
  }

  // The type index of the alignment padding marker (RISC-V R_RISCV_ALIGN: plan_padding), if any.
  static constexpr std::size_t pad_type = [] {
    if constexpr (requires { Arch::align_padding_type; }) return Arch::index_of(Arch::align_padding_type);
    else return Arch::type_count;
  }();

  // The pre-scan's view of a type number: its index in the set (Arch::index_of), with
  // scan_skip_bit set when the pre-scan may pass over it reading nothing but its r_info: a type
  // the set handles with nothing to decide before allocation (Arch::scan_free) that is not the
  // alignment padding plan_padding needs. One compare and one table load for dense type numbers.
  static constexpr std::uint8_t scan_skip_bit = 0x80;
  static_assert(Arch::type_count < scan_skip_bit, "type indices must leave the pre-scan's skip bit free");
  static constexpr std::uint8_t scan_code_of(std::size_t ti) noexcept {
    return static_cast<std::uint8_t>(ti | (ti != Arch::type_count && Arch::scan_free[ti] && ti != pad_type ? scan_skip_bit : 0));
  }
  static constexpr auto scan_table = [] {
    std::array<std::uint8_t, Arch::dense ? Arch::max_type + 1 : 1> t{};
    if constexpr (Arch::dense)
      for (std::uint32_t type = 0; type <= Arch::max_type; ++type) t[type] = scan_code_of(Arch::index_of(type));
    return t;
  }();
  static constexpr std::uint8_t scan_code(std::uint32_t type) noexcept {
    if constexpr (Arch::dense) return type > Arch::max_type ? scan_code_of(Arch::type_count) : scan_table[type];
    else return scan_code_of(Arch::index_of(type));
  }

  // The first of entries [j, count) the pre-scan must look at (count if none). Out of line, so
  // that the loop runs in registers (as write_words).
  EXTLOAD_NOINLINE static std::uint64_t skip_scan_free(std::byte const* entries, std::uint64_t j, std::uint64_t count) noexcept {
    auto const type_at = [&](std::uint64_t i) { return C::r_type(read_word(entries + i * entry_size + word)); };
    if constexpr (word_howto < Arch::type_count) {
      // Runs of full-width absolute words, the common case (-mcmodel=large code, pointers in
      // data): against that one type, an XOR and an OR per entry instead of a table load.
      constexpr std::uint32_t w = Arch::types()[word_howto];
      for (; j + 4 <= count; j += 4)
        if (((type_at(j) ^ w) | (type_at(j + 1) ^ w) | (type_at(j + 2) ^ w) | (type_at(j + 3) ^ w)) != 0) break;
    }
    auto const code_at = [&](std::uint64_t i) { return scan_code(type_at(i)); };
    for (; j + 4 <= count; j += 4) // four entries a step: one test for all
      if ((code_at(j) & code_at(j + 1) & code_at(j + 2) & code_at(j + 3) & scan_skip_bit) == 0) break;
    for (; j < count; ++j)
      if ((code_at(j) & scan_skip_bit) == 0) break;
    return j;
  }

  // Entry j (r_offset `off`, type index ti) of relocation section rs did not pass the in-order
  // test of scan_relocations: it starts before the end of the sites so far. In order, that is a
  // composing relocation at the current site (RISC-V SUB after ADD at one offset; see
  // arch/common.hpp composes_of) or an overlap, rejected as bad_relocation/r_offset naming the
  // later entry. Out of order (r_offset went down), the section is cut into runs of
  // non-decreasing r_offset: gas writes some sections as two such runs, e.g. the relocations of
  // a function's cold path after the rest (x86-64, ARM, Xtensa; never more than two in the
  // objects the suite builds). An entry is checked against its own run as above and against
  // each earlier run with a binary search for the first entry that could reach it (a site
  // starts at most Arch::max_site_width - 1 bytes before a byte it writes), then a few steps
  // forward; markers of width 0 never move a run's end, so they never hide a site. Past
  // site_runs::max_runs runs, or in a crowded neighbourhood, the section is checked once from a
  // sorted copy of its sites (check_sites_sorted: the only allocation, O(n log n)).
  diagnostic site_overlap(std::size_t k, view const& v, section_header const& rs, std::uint64_t j, std::uint64_t off,
                          std::size_t ti, detail::site_runs& st) noexcept {
    std::uint64_t const width = Arch::site_widths[ti];
    bool const composes = Arch::composes[ti];
    if (!st.unsorted) {
      if (off >= st.last) { // width != 0: a marker at or after `last` is accepted inline
        if (off == st.last && composes) {
          if (off + width > st.end) st.end = off + width;
          return {};
        }
        return site_error(k, v, rs, j);
      }
      // r_offset went down: run 0 is [0, j), and every later entry comes here.
      st.unsorted = true;
      st.end = st.last = ~std::uint64_t{0};
      st.run[1] = j;
      st.runs = 2;
      st.r_end = st.r_last = off;
    } else {
      if (st.done) return {};
      if (off < st.r_last) { // a new run
        if (st.runs == detail::site_runs::max_runs) return check_sites_sorted(k, v, rs, st);
        st.run[st.runs++] = j;
        st.r_end = st.r_last = off;
      }
    }
    // The current run.
    if (off >= st.r_end) {
      st.r_last = off;
      st.r_end = off + width;
    } else if (width == 0) {
      return {}; // a marker inside the current site
    } else if (off == st.r_last && composes) {
      if (off + width > st.r_end) st.r_end = off + width;
    } else {
      return site_error(k, v, rs, j);
    }
    if (width == 0) return {};
    // The earlier runs, each sorted by r_offset.
    std::uint64_t const from = off >= Arch::max_site_width ? off - (Arch::max_site_width - 1) : 0;
    for (std::uint32_t r = 0; r + 1 < st.runs; ++r) {
      std::uint64_t lo = st.run[r], hi = st.run[r + 1];
      while (lo < hi) {
        std::uint64_t const mid = lo + (hi - lo) / 2;
        if (offset_at(v, rs, mid) < from) lo = mid + 1;
        else hi = mid;
      }
      for (std::uint32_t steps = 0; lo < st.run[r + 1]; ++lo) {
        std::uint64_t const o = offset_at(v, rs, lo);
        if (o >= off + width) break;
        if (++steps > 4 * Arch::max_site_width + 16) return check_sites_sorted(k, v, rs, st);
        std::uint64_t const w = site_width_at(v, rs, lo);
        if (w == 0 || o + w <= off) continue;
        if (o == off && composes) continue; // entry j composes with an earlier one at its offset
        return site_error(k, v, rs, j);
      }
    }
    return {};
  }

  // Every site of relocation section rs from a copy sorted by (r_offset, index); the section
  // needs no further checks afterwards. Of an overlapping pair the later entry is named.
  diagnostic check_sites_sorted(std::size_t k, view const& v, section_header const& rs, detail::site_runs& st) noexcept {
    st.done = st.unsorted = true;
    st.end = st.last = ~std::uint64_t{0};
    struct site {
      std::uint64_t offset, index;
    };
    std::uint64_t const count = rs.size / rs.entsize;
    if (count > std::numeric_limits<std::size_t>::max() / sizeof(site)) return diagnostic{errc::out_of_memory};
    std::size_t const bytes = static_cast<std::size_t>(count) * sizeof(site);
    detail::block_guard<Alloc> block{alloc_};
    std::byte* p = block.allocate(bytes, alignof(site));
    if (p == nullptr) return diagnostic{errc::out_of_memory}.with_value(static_cast<std::int64_t>(bytes));
    site* sites = detail::carver{p}.take<site>(static_cast<std::size_t>(count));
    std::size_t n = 0;
    for (std::uint64_t j = 0; j < count; ++j)
      if (site_width_at(v, rs, j) != 0) sites[n++] = {offset_at(v, rs, j), j};
    std::sort(sites, sites + n, [](site const& a, site const& b) { return a.offset != b.offset ? a.offset < b.offset : a.index < b.index; });
    std::uint64_t end = 0, last = 0, by = 0;
    for (std::size_t i = 0; i < n; ++i) {
      bool composes = false;
      std::uint64_t const w = site_width_at(v, rs, sites[i].index, &composes);
      std::uint64_t const o = sites[i].offset;
      if (o >= end) {
        last = o;
        end = o + w;
        by = sites[i].index;
      } else if (o == last && composes) {
        if (o + w > end) end = o + w;
      } else {
        return site_error(k, v, rs, sites[i].index > by ? sites[i].index : by);
      }
    }
    return {};
  }

  diagnostic scan_relocations() noexcept {
    placement w{0, addr_max};
    std::uint32_t empty_by = none;
    std::uint32_t max_hi = 0;
    bool data_refs = false; // some slot has flag_data_ref
    auto d = for_each_relocation_section([&](std::size_t k, view const& v, std::uint32_t ri, section_header const& rs, std::uint32_t tsec) -> diagnostic {
      // One relocation section per target, as lld requires ("multiple relocation sections to one
      // section are not supported"): apply_relocations' site check then sees every write to the target.
      if (secs_[tsec].relocated) return at(k, diagnostic{errc::bad_section, field::sh_info, rs.info}.at_section(ri));
      secs_[tsec].relocated = true;
      bool const unwind = secs_[tsec].role == detail::special::unwind;
      std::uint64_t const count = rs.size / rs.entsize;
      std::uint32_t his = 0;
      std::uint32_t const nsym = v.symbol_count();
      std::uint32_t const base = sym_base_[k];
      bool const check_loaded = has_not_loaded_ && !unwind;
      std::byte const* const entries = v.image().data() + rs.offset; // parse() checked the bounds
      std::uint32_t decided = 0;
      for (std::uint64_t j = 0; j < count; ++j) {
        // The hot path reads r_info only: most relocations of most objects have a type with
        // nothing to decide before allocation (scan_code). apply_relocations validates their
        // symbol index and checks every entry's site; only the rest is looked at here.
        std::uint64_t info = read_word(entries + j * entry_size + word);
        std::uint8_t code = scan_code(C::r_type(info));
        if ((code & scan_skip_bit) != 0) [[likely]] {
          j = skip_scan_free(entries, j + 1, count); // the run of such entries, in registers
          if (j == count) break;
          info = read_word(entries + j * entry_size + word);
          code = scan_code(C::r_type(info));
        }
        std::byte const* const entry = entries + j * entry_size;
        ++decided;
        std::uint32_t const rsym = C::r_sym(info);
        std::size_t const ti = code & (scan_skip_bit - 1);
        if (rsym >= nsym || ti == Arch::type_count) [[unlikely]] {
          relocation const r = v.template relocation_at<Arch::uses_rela>(rs, j);
          if (ti == Arch::type_count) return relocation_error(errc::unknown_relocation, k, rs.info, j, r);
          return symbol_range_error(k, rs, j, r, nsym);
        }
        if constexpr (pad_type < Arch::type_count) {
          if (ti == pad_type) [[unlikely]] {
            secs_[tsec].padded = true;
            ++pad_entries_;
          }
        }
        if (Arch::scan_free[ti] && (!check_loaded || syms_[canon(base + rsym)].state != sym_state::not_loaded)) continue;
        relocation const r = view::template decode_relocation<Arch::uses_rela>(entry);
        if constexpr (Arch::has_pairs)
          if (Arch::pair_roles[ti] == arch::pair_role::hi && ++his > max_hi) max_hi = his;
        arch::expr const kind = Arch::kinds[ti];
        arch::range const& rng = Arch::checks[ti];
        if (kind == arch::expr::none) continue;
        if (kind == arch::expr::tls) return relocation_error(errc::unsupported_relocation, k, rs.info, j, r);
        std::uint32_t const si = canon(sym_base_[k] + r.sym);
        sym_slot& s = syms_[si];
        if (s.state == sym_state::not_loaded) {
          if (unwind) continue; // an FDE of a discarded function: left as is
          auto e = relocation_error((s.flags & detail::flag_unsupported) != 0 ? errc::unsupported_symbol : errc::discarded_section, k, rs.info, j, r);
          e.what = field::r_sym;
          return e;
        }
        if (arch::needs_got(kind) && s.got == none) s.got = got_count_++;
        if (arch::uses_got_base(kind)) need_got_base_ = true;
        bool const external = s.state == sym_state::absolute || s.state == sym_state::weak_zero;
        if (kind == arch::expr::branch) {
          s.flags |= detail::flag_branch;
          // Calls to imports (and to undefined weak symbols, which sit at 0) may be out of reach:
          // reserve a veneer; apply_relocations uses it only when the direct branch overflows.
          // A branch that becomes a no-op against an undefined weak function needs none.
          bool nop = false;
          if constexpr (Arch::any_weak_nop) nop = s.state == sym_state::weak_zero && Arch::weak_nops[ti];
          if (external && !nop && Arch::veneer_size > 0 && s.veneer == none) s.veneer = veneer_count_++;
          if constexpr (requires { Arch::needs_state_veneer(r.type, s.addr, s.type); }) {
            // A branch inside the extension that must change state (ARM B to a Thumb function,
            // Thumb B.W to an ARM one): through a veneer as well.
            if (!external && s.veneer == none && Arch::needs_state_veneer(r.type, s.addr, s.type)) s.veneer = veneer_count_++;
          }
          continue;
        }
        if (kind != arch::expr::abs && kind != arch::expr::pc && kind != arch::expr::page_pc) continue;
        if (rng.unchecked) continue;
        std::int64_t const lo = rng.min, hi = rng.either ? rng.max : rng.max;
        if (kind == arch::expr::abs && !external) {
          // S + A in [lo, hi] for S inside the allocation: the allocation must lie in [lo - A, hi - A].
          std::uint64_t const A = static_cast<std::uint64_t>(r.addend);
          std::uint64_t const l = lo <= 0 ? 0 : static_cast<std::uint64_t>(lo);
          std::uint64_t const h = static_cast<std::uint64_t>(hi);
          std::uint64_t const wl = r.addend < 0 ? l + (0 - A) : (l >= A ? l - A : 0);
          std::uint64_t const wh = r.addend < 0 ? h + (0 - A) : (h >= A ? h - A : 0);
          w.intersect(wl, wh);
          if (w.empty() && empty_by == none) empty_by = si;
          continue;
        }
        if (!external) continue; // PC-relative inside the allocation
        // An undefined weak symbol does not constrain placement: code tests its address (through
        // an absolute or GOT reference) before using it; see apply_relocations for PC32.
        if (s.state == sym_state::weak_zero) continue;
        s.flags |= detail::flag_data_ref;
        data_refs = true;
        std::uint64_t const T = s.addr + static_cast<std::uint64_t>(r.addend);
        if (kind == arch::expr::pc) {
          detail::pc_window(T, lo, hi, s.win_lo, s.win_hi);
        } else if (kind == arch::expr::page_pc) {
          s.flags |= detail::flag_page_ref; // its low half (ADD/LDST LO12) uses the symbol itself
          // Page(T) - Page(P) in [lo, hi] holds for every P in [Page(T) - hi, Page(T) - lo + 0xfff]:
          // the window of the page-aligned target, one page wider at the top.
          std::uint64_t wl = s.win_lo, wh = s.win_hi;
          detail::pc_window(arch::page(T), lo, hi, wl, wh);
          s.win_lo = wl;
          s.win_hi = wh > ~std::uint64_t{0} - 0xfff ? ~std::uint64_t{0} : (wh == s.win_hi ? wh : wh + 0xfff);
        } else if (!rng.contains(T)) {
          // An absolute reference to a firmware address that does not fit the field.
          s.win_lo = 1; s.win_hi = 0; // unreachable unless a veneer stands in (functions)
        }
      }
      secs_[tsec].decided = decided;
      return {};
    });
    if (d) return d;
    if constexpr (Arch::has_pairs) {
      if (max_hi > 0) {
        std::byte* p = pairs_block_.allocate(std::size_t{max_hi} * sizeof(hi_entry), alignof(hi_entry));
        if (p == nullptr) return diagnostic{errc::out_of_memory}.with_value(static_cast<std::int64_t>(max_hi));
        pairs_ = detail::carver{p}.take<hi_entry>(max_hi);
        max_pairs_ = max_hi;
      }
    }
    // Data-like external references narrow the window; function-like ones go through veneers.
    // (No pass over the symbols without any.)
    std::uint32_t const with_refs = data_refs ? nsyms_ : 0;
    for (std::uint32_t si = 0; si < with_refs; ++si) {
      sym_slot& s = syms_[si];
      if ((s.flags & detail::flag_data_ref) == 0) continue;
      bool const function_like = (s.flags & (detail::flag_function | detail::flag_branch)) != 0;
      if (function_like && Arch::veneer_size > 0 && (s.flags & detail::flag_page_ref) == 0) {
        if (s.veneer == none) s.veneer = veneer_count_++;
        continue;
      }
      placement const before = w;
      w.intersect(s.win_lo, s.win_hi);
      if (w.lo != before.lo || w.hi != before.hi) window_by_ = si; // the binding constraint
      if (w.empty() && empty_by == none) empty_by = si;
    }
    window_ = w;
    if (w.empty()) {
      diagnostic e{errc::out_of_reach, field::st_value};
      if (empty_by != none) {
        std::size_t const k = object_of(empty_by);
        e.object = static_cast<std::uint32_t>(k);
        e.at_symbol(empty_by - sym_base_[k]).with_name(name_of_slot(empty_by)).with_value(static_cast<std::int64_t>(syms_[empty_by].addr));
      }
      return e;
    }
    return {};
  }

  // ---- 6b. alignment padding (RISC-V) --------------------------------------------------------
  // An assembler that leaves relaxation to the linker pads `.balign` with the worst case of NOPs
  // and marks it R_RISCV_ALIGN (addend = the padding's size); the linker deletes what the final
  // layout does not need (psABI "Linker Relaxation"; GNU ld and lld do it even with --no-relax).
  // extload relaxes nothing else, so every other offset only moves by the bytes deleted before
  // it. A padding of N bytes aligns to the smallest power of two above N; the section's own
  // alignment (which the assembler raises to every .balign in it) is at least that, so where
  // the padding ends depends on offsets alone and is planned here, before allocation. Deleted
  // bytes leave the section shorter (its region keeps the slack, zero-filled); symbols in the
  // section, relocation sites and section-symbol addends into it are mapped by shrink_offset.
  diagnostic plan_padding() noexcept {
    if constexpr (pad_type < Arch::type_count) {
      std::uint64_t const total = pad_entries_;
      if (total == 0) return {};
      std::byte* p = pads_block_.allocate(static_cast<std::size_t>(total) * sizeof(detail::pad_entry), alignof(detail::pad_entry));
      if (p == nullptr) return diagnostic{errc::out_of_memory}.with_value(static_cast<std::int64_t>(total));
      pads_ = detail::carver{p}.take<detail::pad_entry>(static_cast<std::size_t>(total));
      std::uint32_t used = 0;
      auto d = for_each_relocation_section([&](std::size_t k, view const& v, std::uint32_t, section_header const& rs, std::uint32_t tsec) -> diagnostic {
        sec_slot& t = secs_[tsec];
        if (!t.padded) return {};
        std::uint64_t const align = v.section(tsec - sec_base_[k]).alignment();
        std::uint64_t const count = rs.size / rs.entsize;
        std::uint64_t deleted = 0, end = 0;
        t.pad_first = used;
        for (std::uint64_t j = 0; j < count; ++j) {
          relocation const r = v.template relocation_at<Arch::uses_rela>(rs, j);
          if (r.type != Arch::align_padding_type) continue;
          // The pre-scan checked the site (offset inside the section, no overlap); the padding
          // itself must fit, come after the previous one, and align no further than the section.
          auto const bad = [&](field f, std::int64_t value, std::int64_t lo, std::int64_t hi) {
            auto e = relocation_error(errc::bad_relocation, k, rs.info, j, r);
            e.what = f;
            e.value = value;
            return e.with_range(lo, hi);
          };
          if (r.offset > t.size) return bad(field::r_offset, static_cast<std::int64_t>(r.offset), 0, static_cast<std::int64_t>(t.size));
          std::uint64_t const room = t.size - r.offset;
          if (r.addend < 0 || static_cast<std::uint64_t>(r.addend) > room)
            return bad(field::r_addend, r.addend, 0, static_cast<std::int64_t>(room));
          if (r.offset < end) return bad(field::r_offset, static_cast<std::int64_t>(r.offset), static_cast<std::int64_t>(end), static_cast<std::int64_t>(t.size));
          std::uint64_t const n = static_cast<std::uint64_t>(r.addend);
          std::uint64_t a = 1;
          while (a <= n) a <<= 1; // n <= room < 2^63: no overflow
          if (a > align) return bad(field::r_addend, r.addend, 0, static_cast<std::int64_t>(align) - 1);
          std::uint64_t const at = r.offset - deleted;
          std::uint64_t const keep = (a - (at & (a - 1))) & (a - 1);
          if (keep > n || (keep & 1) != 0) return bad(field::r_offset, static_cast<std::int64_t>(r.offset), 0, static_cast<std::int64_t>(t.size));
          pads_[used++] = {r.offset, keep, n, deleted};
          deleted += n - keep;
          end = r.offset + n;
        }
        t.pad_count = used - t.pad_first;
        t.size -= deleted;
        pad_bytes_ += deleted;
        return {};
      });
      if (d) return d;
      for (std::uint32_t si = 0; si < nsyms_; ++si) {
        sym_slot& s = syms_[si];
        if (s.state != sym_state::in_section) continue;
        sec_slot const& t = secs_[s.target];
        if (t.pad_count == 0) continue;
        std::uint64_t const lo = shrink_offset(t, s.addr), hi = shrink_offset(t, s.addr + s.size);
        s.addr = lo;
        s.size = hi - lo;
      }
    }
    return {};
  }

  // Where object offset `off` of section t is once its padding is deleted (a deleted byte maps to
  // where the deletion starts).
  std::uint64_t shrink_offset(sec_slot const& t, std::uint64_t off) const noexcept {
    detail::pad_entry const* const b = pads_ + t.pad_first;
    detail::pad_entry const* const e = b + t.pad_count;
    detail::pad_entry const* it = std::lower_bound(b, e, off, [](detail::pad_entry const& x, std::uint64_t o) { return x.cut() < o; });
    if (it == b) return off;
    detail::pad_entry const& q = *(it - 1); // the last deletion starting before off
    if (off < q.cut_end()) return q.cut() - q.before;
    return off - (q.before + (q.size - q.keep));
  }

  // Moves relocation r (in section t, against s) to the shrunk layout; false when any byte of its
  // site was deleted (markers, which write nothing, may sit anywhere).
  bool shrink_relocation(relocation& r, sec_slot const& t, sym_slot const& s) const noexcept {
    if constexpr (pad_type < Arch::type_count) {
      if (t.pad_count != 0) [[unlikely]] {
        std::uint64_t const moved = shrink_offset(t, r.offset);
        std::size_t const ti = Arch::index_of(r.type); // the pre-scan validated the type
        std::uint64_t const width = ti < Arch::type_count ? Arch::site_widths[ti] : 0;
        if (width != 0 && shrink_offset(t, r.offset + width) - moved != width) return false;
        r.offset = moved;
      }
      // A section symbol + addend names an offset in its section: map the addend.
      if (s.type == elf::STT_SECTION && s.state == sym_state::in_section && secs_[s.target].pad_count != 0 && r.addend >= 0) [[unlikely]]
        r.addend = static_cast<std::int64_t>(shrink_offset(secs_[s.target], static_cast<std::uint64_t>(r.addend)));
    } else {
      (void)r; (void)t; (void)s;
    }
    return true;
  }

  // Copies a padded section's bytes without its deleted padding, the kept part rewritten as NOPs.
  // `bytes` may be s.mem itself (contents read from a source first): every piece moves down, and
  // memmove allows that overlap.
  void copy_padded(sec_slot const& s, std::span<std::byte const> bytes) noexcept {
    if constexpr (pad_type < Arch::type_count) {
      std::byte* out = s.mem;
      std::uint64_t from = 0;
      for (std::uint32_t i = 0; i < s.pad_count; ++i) {
        detail::pad_entry const& q = pads_[s.pad_first + i];
        std::memmove(out, bytes.data() + from, static_cast<std::size_t>(q.at - from));
        out += q.at - from;
        Arch::template write_padding<O>(out, q.keep);
        out += q.keep;
        from = q.cut_end();
      }
      std::memmove(out, bytes.data() + from, static_cast<std::size_t>(bytes.size() - from));
    } else {
      (void)s; (void)bytes;
    }
  }

  // ---- 7. allocate, copy, relocate -----------------------------------------------------------
  diagnostic allocate_regions() noexcept {
    auto const t = static_cast<std::size_t>(region::text);
    auto const ro = static_cast<std::size_t>(region::rodata);
    auto const bss = static_cast<std::size_t>(region::bss);
    if (veneer_count_ > 0) {
      veneer_offset_ = detail::align_up(cursor_[t], Arch::veneer_align);
      cursor_[t] = veneer_offset_ + std::uint64_t{veneer_count_} * Arch::veneer_size;
      if (Arch::veneer_align > align_[t]) align_[t] = Arch::veneer_align;
    }
    if (got_count_ > 0 || need_got_base_) {
      got_offset_ = detail::align_up(cursor_[ro], Arch::got_entry_size);
      cursor_[ro] = got_offset_ + std::uint64_t{got_count_ == 0 ? 1 : got_count_} * Arch::got_entry_size;
      if (Arch::got_entry_size > align_[ro]) align_[ro] = Arch::got_entry_size;
    }
    for (std::uint32_t si = 0; has_commons_ && si < nsyms_; ++si) { // a pass only if there are any
      sym_slot& s = syms_[si];
      if (s.state != sym_state::common) continue;
      std::uint64_t const a = s.addr; // at most limits::max_alignment (parse_all)
      std::uint64_t const off = detail::align_up(cursor_[bss], a);
      s.addr = off; // offset in bss until placed
      cursor_[bss] = off + s.size;
      if (a > align_[bss]) align_[bss] = a;
      ++commons_;
    }
    region_request req;
    for (std::size_t r = 0; r < region_count; ++r) {
      if (cursor_[r] > limits_.max_region_bytes)
        return diagnostic{errc::limit_exceeded, field::sh_size, static_cast<std::int64_t>(cursor_[r])}
            .with_range(0, static_cast<std::int64_t>(limits_.max_region_bytes));
      req.size[r] = cursor_[r];
      req.align[r] = align_[r];
    }
    auto b = alloc_.allocate(req, window_);
    if (!b) {
      diagnostic d = b.error();
      if (d.code == errc::out_of_reach && window_by_ != none) {
        // Name the import whose reach decided the window (an allocator knows only addresses).
        std::size_t const k = object_of(window_by_);
        d.object = static_cast<std::uint32_t>(k);
        d.at_symbol(window_by_ - sym_base_[k]).with_name(name_of_slot(window_by_));
      }
      return d;
    }
    block_ = *b;
    return {};
  }

  std::uint64_t region_addr(std::size_t r) const noexcept { return block_.address[r]; }

  diagnostic place_and_copy() noexcept {
    // Every byte of every region is written exactly once here: section contents are copied,
    // NOBITS sections, alignment gaps and the GOT/veneer/common areas are zeroed (the allocator
    // hands out memory as it is; zeroing all of it first would write the text twice).
    std::uint64_t filled[region_count] = {};
    for (std::size_t k = 0; k < n_; ++k) {
      view const& v = views_[k];
      for (std::uint32_t i = 1; i < v.section_count(); ++i) {
        sec_slot& s = secs_[sec_base_[k] + i];
        if (s.state != sec_state::loaded) continue;
        s.mem = block_.base[s.region] + s.offset;
        s.addr = region_addr(s.region) + s.offset;
        std::fill(block_.base[s.region] + filled[s.region], s.mem, std::byte{0}); // sections come in offset order
        std::span<std::byte const> bytes = v.section_bytes(i); // empty for NOBITS
        if (contents_ != nullptr && v.contents_elsewhere(i)) {
          // Straight from the source into the extension's memory: one read per section.
          section_header const h = v.section(i);
          if (!contents_->read(contents_->context, h.offset, s.mem, static_cast<std::size_t>(h.size)))
            return at(k, diagnostic{errc::read_failed, field::sh_offset, static_cast<std::int64_t>(h.offset)}.at_section(i));
          bytes = {s.mem, static_cast<std::size_t>(h.size)};
        }
        if (bytes.empty()) std::fill_n(s.mem, static_cast<std::size_t>(s.size), std::byte{0});
        else if (s.pad_count != 0) [[unlikely]] copy_padded(s, bytes); // may move bytes already at s.mem
        else if (bytes.data() != s.mem) std::copy(bytes.begin(), bytes.end(), s.mem);
        filled[s.region] = s.offset + s.size;
      }
    }
    for (std::size_t r = 0; r < region_count; ++r)
      if (block_.size[r] > filled[r]) std::fill(block_.base[r] + filled[r], block_.base[r] + block_.size[r], std::byte{0});
    auto const t = static_cast<std::size_t>(region::text);
    auto const ro = static_cast<std::size_t>(region::rodata);
    auto const bss = static_cast<std::size_t>(region::bss);
    got_addr_ = region_addr(ro) + got_offset_;
    veneer_addr_ = region_addr(t) + veneer_offset_;
    for (std::uint32_t si = 0; si < nsyms_; ++si) {
      sym_slot& s = syms_[si];
      switch (s.state) {
      case sym_state::in_section: s.addr += secs_[s.target].addr; break;
      case sym_state::common: s.addr += region_addr(bss); break;
      case sym_state::got_base: s.addr = got_addr_; break;
      default: break;
      }
    }
    // GOT entries and veneers, if scan_relocations gave any slot one (no pass otherwise; the
    // bound is computed once: the stores below may alias the counts).
    std::uint32_t const with_entries = got_count_ != 0 || veneer_count_ != 0 ? nsyms_ : 0;
    for (std::uint32_t si = 0; si < with_entries; ++si) {
      sym_slot const& s = syms_[si];
      if (s.got != none) {
        std::byte* p = block_.base[ro] + got_offset_ + std::uint64_t{s.got} * Arch::got_entry_size;
        if constexpr (Arch::got_entry_size == 8) store_at<std::uint64_t, O>(p, s.addr);
        else store_at<std::uint32_t, O>(p, static_cast<std::uint32_t>(s.addr));
      }
      if constexpr (Arch::veneer_size > 0) {
        if (s.veneer != none) {
          std::uint64_t const off = veneer_offset_ + std::uint64_t{s.veneer} * Arch::veneer_size;
          Arch::template write_veneer<O>(block_.base[t] + off, region_addr(t) + off, s.addr);
        }
      }
    }
    // From here on every slot stands for its final symbol: relocations index slots directly.
    // (A single object has no aliases: the pass is skipped.)
    for (std::uint32_t si = 0; has_aliases_ && si < nsyms_; ++si) {
      sym_slot& s = syms_[si];
      if (s.state != sym_state::alias) continue;
      sym_slot const& d = syms_[s.target];
      s.addr = d.addr;
      s.size = d.size;
      s.got = d.got;
      s.veneer = d.veneer;
      s.type = d.type;
      s.flags = static_cast<std::uint8_t>((d.flags & ~detail::flag_defined) | (s.flags & detail::flag_defined) | detail::flag_alias);
      s.state = d.state;
    }
    return {};
  }

  // The inputs of relocation r (everything but the addend of a REL entry, read from the place).
  arch::values inputs(relocation const& r, sym_slot const& s, sec_slot const& t) const noexcept {
    arch::values in;
    in.S = s.addr;
    in.A = r.addend;
    in.P = t.addr + r.offset;
    in.GOT = got_addr_;
    in.G = s.got != none ? got_addr_ + std::uint64_t{s.got} * Arch::got_entry_size : 0;
    in.Z = s.size;
    in.sym_type = s.type;
    return in;
  }

  std::uint64_t veneer_address(sym_slot const& s) const noexcept {
    std::uint64_t a = veneer_addr_ + std::uint64_t{s.veneer} * Arch::veneer_size;
    if constexpr (requires { Arch::veneer_address_tag; }) a |= Arch::veneer_address_tag; // Thumb veneers
    return a;
  }

  // The value of one relocation, with the loader's substitutions: a veneer stands in for a
  // target out of reach (calls, and PC-relative or absolute references to functions), and a
  // PC-relative reference to an undefined weak symbol (address 0) that cannot reach 0 resolves to
  // the place itself, as lld does on ARM/AArch64 (code only follows it after testing the
  // symbol's address through an absolute or GOT reference). High halves of split pairs go through
  // here too, so a low half always completes the address its high half started.
  template <class H>
  std::uint64_t value_of(arch::values& in, sym_slot const& s, sec_slot const& t, std::uint64_t offset, bool& via_veneer) const noexcept {
    std::uint64_t value;
    if constexpr (arch::has_place_kind<H>) value = arch::evaluate_kind(H::place_kind(t.mem, offset), in);
    else value = arch::evaluate<H>(in);
    if constexpr (H::kind == arch::expr::branch && requires { Arch::needs_state_veneer(H::type, in.S, in.sym_type); }) {
      // Interworking (ARM/Thumb): a branch that cannot change instruction set, to a target in
      // the other one, goes through the target's veneer as a far one does. A howto that runs in
      // the other state than the veneer's first entry (ARM B/BL<cond>) enters at the second.
      if (s.veneer != none && (Arch::needs_state_veneer(H::type, in.S, in.sym_type) ||
                               arch::check_value<H>(value) == errc::relocation_overflow)) {
        if constexpr (requires { H::second_veneer_entry; })
          in.S = veneer_addr_ + std::uint64_t{s.veneer} * Arch::veneer_size + Arch::veneer_second_entry;
        else
          in.S = veneer_address(s);
        value = arch::evaluate<H>(in);
        via_veneer = true;
      }
    } else if constexpr (Arch::veneer_size > 0 && (H::kind == arch::expr::branch || H::kind == arch::expr::pc || H::kind == arch::expr::abs)) {
      // The low half of an absolute split pair decides as its high half does (`veneer_like`), so
      // both name the same address: the veneer or the symbol.
      using decides = typename detail::veneer_decider<H>::type;
      if (arch::check_value<decides>(value) == errc::relocation_overflow && s.veneer != none) {
        in.S = veneer_address(s);
        value = arch::evaluate<H>(in);
        via_veneer = true;
      }
    }
    if constexpr (H::kind == arch::expr::pc) {
      if (arch::check_value<H>(value) == errc::relocation_overflow && s.state == sym_state::weak_zero) {
        in.S = in.P - static_cast<std::uint64_t>(in.A);
        value = arch::evaluate<H>(in);
      }
    }
    return value;
  }

  // Split pairs: the high halves of section `rs`, by offset, so each low half finds its partner
  // through its label with a binary search (no quadratic rescans of the section).
  struct hi_entry {
    std::uint64_t offset;
    std::uint64_t value;
  };

  errc collect_high_halves(view const& v, section_header const& rs, std::uint32_t base, sec_slot const& t, std::uint32_t& n) noexcept {
    n = 0;
    std::uint64_t const count = rs.size / rs.entsize;
    for (std::uint64_t j = 0; j < count; ++j) {
      relocation r = v.template relocation_at<Arch::uses_rela>(rs, j);
      if (Arch::pair_of(r.type) != arch::pair_role::hi) continue;
      sym_slot const& s = syms_[base + r.sym]; // aliases resolved by place_and_copy
      if (!shrink_relocation(r, t, s)) return errc::bad_relocation;
      arch::values in = inputs(r, s, t);
      std::uint64_t value = 0;
      errc const c = Arch::template dispatch<errc>(r.type, errc::unknown_relocation, [&](auto h) -> errc {
        using H = typename decltype(h)::type;
        if (r.offset > t.size || t.size - r.offset < H::width) return errc::bad_relocation;
        if constexpr (!Arch::uses_rela)
          if constexpr (requires { H::template read_addend<O>(t.mem + r.offset); }) in.A = H::template read_addend<O>(t.mem + r.offset);
        bool via_veneer = false;
        value = value_of<H>(in, s, t, r.offset, via_veneer); // the same substitutions as its low half sees
        return errc::ok;
      });
      if (c != errc::ok) return c;
      if (n < max_pairs_) pairs_[n++] = {r.offset, value};
    }
    std::sort(pairs_, pairs_ + n, [](hi_entry const& x, hi_entry const& y) { return x.offset < y.offset; });
    return errc::ok;
  }

  // The howto apply_relocations writes in its own loop, if the set has one: the full-width
  // absolute word of a RELA set (R_X86_64_64, R_AARCH64_ABS64, R_RISCV_64/32 by class). Its
  // value is S + A, which the field takes for any address, so no veneer, GOT slot or range check
  // is involved; every other type, and every entry that is not plainly valid, goes to
  // apply_general, out of line, so the loop keeps its few live values in registers.
  template <class H>
  static constexpr bool is_word_howto = Arch::uses_rela && H::kind == arch::expr::abs && H::check.unchecked &&
                                        H::width == word && !arch::has_place_kind<H> &&
                                        arch::pair_role_of<H>() == arch::pair_role::none &&
                                        std::is_same_v<typename detail::veneer_decider<H>::type, H>;
  static constexpr std::size_t word_howto = Arch::find_index([](auto h) { return is_word_howto<typename decltype(h)::type>; });

  // What the word loop reads, in one place.
  struct word_run {
    std::byte const* entries; // the relocation section's entries
    sym_slot const* syms;     // the object's symbols
    std::byte* mem;           // the target section's bytes
    std::uint64_t room;       // the last offset a word fits at (size - word)
    std::uint32_t nsym;
  };

  // Write the word relocations of entries [j, count) while they are plainly valid: the word type,
  // a symbol in range and loaded, a site inside the section at or after `end` (the site check of
  // apply_general, which every other entry takes). Returns the first entry it did not write.
  // Static and out of line, with everything in registers: a store into the section could alias
  // any field, and inlined into the section loop it would compete for registers. CheckState:
  // some symbol of the link is not loaded (otherwise no symbol's state needs a look).
  template <bool CheckState>
  EXTLOAD_NOINLINE static std::uint64_t write_words(word_run const run, std::uint64_t j, std::uint64_t const count, std::uint64_t& end_io) noexcept {
    constexpr std::uint32_t word_type = word_howto < Arch::type_count ? Arch::types()[word_howto] : 0;
    std::uint64_t end = end_io;
    std::byte const* entry = run.entries + j * entry_size;
    std::byte const* const stop = run.entries + count * entry_size;
    for (; entry != stop; entry += entry_size) {
      std::uint64_t const info = read_word(entry + word);
      std::uint32_t sym = 0;
      if constexpr (word == 8) {
        // ELF64 r_info is sym << 32 | type. With word_type cleared and the halves swapped it is
        // the symbol index iff the type was word_type (any other leaves bits above 31, more than
        // any symbol count): one compare checks both.
        static_assert(C::r_sym((std::uint64_t{5} << 32) | 7) == 5 && C::r_type((std::uint64_t{5} << 32) | 7) == 7);
        std::uint64_t const key = std::rotl(info ^ word_type, 32);
        if (key >= run.nsym) [[unlikely]] break;
        sym = static_cast<std::uint32_t>(key);
      } else {
        sym = C::r_sym(info);
        // Separate branches: merged into one test, the compiler computes every condition.
        if (C::r_type(info) != word_type) [[unlikely]] break;
        if (sym >= run.nsym) [[unlikely]] break;
      }
      std::uint64_t const off = read_word(entry);
      if (off < end) [[unlikely]] break;
      if (off > run.room) [[unlikely]] break;
      sym_slot const& s = run.syms[sym];
      if constexpr (CheckState)
        if (s.state == sym_state::not_loaded) [[unlikely]] break;
      std::uint64_t const value = s.addr + read_word(entry + 2 * word);
      if constexpr (word == 8) store_at<std::uint64_t, O>(run.mem + off, value);
      else store_at<std::uint32_t, O>(run.mem + off, static_cast<std::uint32_t>(value));
      end = off + word;
    }
    end_io = end;
    j = static_cast<std::uint64_t>(entry - run.entries) / entry_size;
    return j;
  }

  // The state of one relocation section's pass.
  struct apply_state {
    std::uint64_t end = 0, last = 0; // the site check, as in site_overlap
    detail::site_runs sites;
    std::uint32_t uses = 0;   // veneer uses
    std::uint32_t npairs = 0; // high halves collected for this section
  };

  // Entries [j, stop) of relocation section rs, with every check and substitution: the general
  // loop, and the word loop's way out for one entry. Out of line, so that its state lives in its
  // own locals and registers.
  EXTLOAD_NOINLINE diagnostic apply_general(std::size_t k, view const& v, section_header const& rs, sec_slot const& t,
                                            std::uint64_t j, std::uint64_t stop, apply_state& st) noexcept {
    std::uint64_t end = st.end, last = st.last;
    std::uint32_t uses = 0;
    std::uint32_t const npairs = st.npairs;
    // Kept in locals: every store into the section may alias the linker's fields.
    std::byte const* const entries = v.image().data() + rs.offset; // parse() checked the bounds
    sym_slot const* const syms = syms_ + sym_base_[k];
    std::uint32_t const nsym = v.symbol_count();
    for (; j < stop; ++j) {
      relocation r = view::template decode_relocation<Arch::uses_rela>(entries + j * entry_size);
      // The pre-scan validated the types it looked at; the ones it passed over are known.
      std::size_t const ti = Arch::index_of(r.type);
      if (r.sym >= nsym || ti == Arch::type_count) [[unlikely]] {
        if (ti == Arch::type_count) return relocation_error(errc::unknown_relocation, k, rs.info, j, r);
        return symbol_range_error(k, rs, j, r, nsym);
      }
      // The site check (MALFORMED.md class 36, two relocations writing one byte): one compare
      // while the entries come in r_offset order, as assemblers mostly write them; markers at
      // the current site (R_RISCV_RELAX after the relocation it marks) cost a second one.
      std::uint64_t const width = Arch::site_widths[ti];
      if (r.offset >= end) [[likely]] {
        last = r.offset;
        end = r.offset + width;
      } else if (width != 0 || r.offset < last) [[unlikely]] {
        st.sites.end = end;
        st.sites.last = last;
        if (auto e = site_overlap(k, v, rs, j, r.offset, ti, st.sites)) return e;
        end = st.sites.end;
        last = st.sites.last;
      }
      sym_slot const& s = syms[r.sym]; // aliases resolved by place_and_copy
      if (s.state == sym_state::not_loaded) [[unlikely]] {
        // A symbol in a section that is not loaded. The pre-scan rejected the types it looks
        // at; the ones it passed over are rejected here alike, except in .eh_frame (the FDE of
        // a discarded function is left as is).
        if (t.role == detail::special::unwind) continue;
        auto e = relocation_error((s.flags & detail::flag_unsupported) != 0 ? errc::unsupported_symbol : errc::discarded_section, k, rs.info, j, r);
        e.what = field::r_sym;
        return e;
      }
      if (!shrink_relocation(r, t, s)) [[unlikely]] {
        auto e = relocation_error(errc::bad_relocation, k, rs.info, j, r);
        e.what = field::r_offset;
        e.value = static_cast<std::int64_t>(r.offset);
        return e; // a site inside deleted alignment padding
      }
      std::uint64_t value = 0;
      arch::range rng = arch::no_check;
      bool via_veneer = false;
      bool unpaired = false;
      errc const c = Arch::template dispatch_index<errc>(ti, errc::unknown_relocation, [&](auto h) -> errc {
        using H = typename decltype(h)::type;
        if (r.offset > t.size || t.size - r.offset < H::width) return errc::bad_relocation;
        std::byte* place = t.mem + r.offset;
        if constexpr (H::kind == arch::expr::branch && arch::has_weak_nop<H>) {
          // A branch to an undefined weak function becomes the arch's no-op (ARM, as GNU ld).
          if (s.state == sym_state::weak_zero) {
            H::template write_weak_nop<O>(place);
            return errc::ok;
          }
        }
        // Built here, once the howto is known, so only the inputs it uses are computed.
        arch::values in = inputs(r, s, t);
        if constexpr (!Arch::uses_rela)
          if constexpr (requires { H::template read_addend<O>(place); }) in.A = H::template read_addend<O>(place);
        if constexpr (arch::pair_role_of<H>() == arch::pair_role::lo) {
          // The symbol is the label of the instruction holding the high half, in this section.
          std::uint64_t const label = in.S + static_cast<std::uint64_t>(in.A);
          std::uint64_t const off = label - t.addr;
          auto const* e = std::lower_bound(pairs_, pairs_ + npairs, off, [](hi_entry const& x, std::uint64_t o) { return x.offset < o; });
          if (label < t.addr || e == pairs_ + npairs || e->offset != off) {
            unpaired = true;
            value = label;
            return errc::bad_relocation;
          }
          in.pair = e->value;
        }
        value = value_of<H>(in, s, t, r.offset, via_veneer);
        rng = H::check;
        return arch::check_and_write<H, O>(place, value, t.size - r.offset);
      });
      if (c != errc::ok) [[unlikely]] {
        auto e = relocation_error(c, k, rs.info, j, r);
        if (unpaired) {
          // A low half whose label has no high-half relocation at it (RISC-V PCREL_LO12_*).
          e.what = field::r_sym;
          e.value = static_cast<std::int64_t>(value);
          return e;
        }
        if (c == errc::bad_relocation) {
          e.what = field::r_offset;
          e.value = static_cast<std::int64_t>(r.offset);
          return e.with_range(0, static_cast<std::int64_t>(t.size));
        }
        e.value = static_cast<std::int64_t>(value);
        if (c == errc::relocation_overflow && !rng.unchecked) e.with_range(rng.min, rng.max);
        return e;
      }
      uses += via_veneer ? 1u : 0u;
    }
    st.end = end;
    st.last = last;
    st.uses += uses;
    return {};
  }

  diagnostic apply_relocations() noexcept {
    return for_each_relocation_section([&](std::size_t k, view const& v, std::uint32_t, section_header const& rs, std::uint32_t tsec) -> diagnostic {
      sec_slot const& t = secs_[tsec];
      std::uint64_t const count = rs.size / rs.entsize;
      apply_state st;
      if constexpr (Arch::has_pairs) {
        if (errc const c = collect_high_halves(v, rs, sym_base_[k], t, st.npairs); c != errc::ok)
          return diagnostic{c, field::r_offset}.at_section(rs.info);
      }
      std::uint64_t j = 0;
      // The word loop, for sections whose relocations are mostly words the pre-scan passed over
      // (`decided` counts the others); each entry it cannot write goes to apply_general alone.
      // Padding deletion moves sites and section-symbol addends, so a load that deletes any
      // takes the general loop.
      if constexpr (word_howto < Arch::type_count) {
        bool const words = std::uint64_t{t.decided} * 8 <= count && t.size >= word && pad_bytes_ == 0;
        word_run const run{v.image().data() + rs.offset, syms_ + sym_base_[k], t.mem, words ? t.size - word : 0, v.symbol_count()};
        std::uint64_t end = 0;
        while (words && j < count) {
          std::uint64_t const from = j;
          j = has_not_loaded_ ? write_words<true>(run, j, count, end) : write_words<false>(run, j, count, end);
          if (j != from) {
            st.end = end;
            st.last = end - word; // the last entry written set `end`
          }
          if (j == count) break;
          if (auto d = apply_general(k, v, rs, t, j, j + 1, st)) return d;
          end = st.end;
          ++j;
        }
      }
      if (j < count)
        if (auto d = apply_general(k, v, rs, t, j, count, st)) return d;
      veneer_uses_ += st.uses;
      return {};
    });
  }

  // ---- 8. the record ------------------------------------------------------------------------
  // A global the extension defines (not an import, not a local) and may show the firmware.
  bool exportable(sym_slot const& s) const noexcept {
    // Aliases are losing definitions (weak, common, COMDAT copies): the winner is exported.
    if ((s.flags & detail::flag_defined) == 0 || (s.flags & detail::flag_alias) != 0 || s.bind == elf::STB_LOCAL) return false;
    if (s.state != sym_state::in_section && s.state != sym_state::absolute && s.state != sym_state::common) return false;
    if (s.type != elf::STT_FUNC && s.type != elf::STT_OBJECT && s.type != elf::STT_NOTYPE && s.type != elf::STT_COMMON) return false;
    std::uint8_t const vis = s.other & 3;
    if (!opt_.export_hidden && (vis == elf::STV_HIDDEN || vis == elf::STV_INTERNAL)) return false;
    return true;
  }

  // The bytes of loaded memory at `address`, if [address, address + n) lies in one region.
  std::byte* loaded(std::uint64_t address, std::uint64_t n) const noexcept {
    for (std::size_t r = 0; r < region_count; ++r) {
      std::uint64_t const b = region_addr(r);
      if (block_.size[r] != 0 && address >= b && in_bounds(block_.size[r], address - b, n)) return block_.base[r] + (address - b);
    }
    return nullptr;
  }
  static std::uint64_t read_word(std::byte const* p) noexcept {
    if constexpr (word == 8) return load_at<std::uint64_t, O>(p);
    else return load_at<std::uint32_t, O>(p);
  }

  result<extension*> build_record() noexcept {
    // Count what the record holds.
    std::uint64_t nexports = 0, nstrings = 0, ninit = 0, nfini = 0;
    for (std::uint32_t si = 0; si < nsyms_; ++si) {
      if (!exportable(syms_[si])) continue;
      ++nexports;
      nstrings += syms_[si].name.size + 1;
    }
    std::uint64_t nsections = 0;
    for (std::size_t k = 0; k < n_; ++k)
      for (std::uint32_t i = 1; i < views_[k].section_count(); ++i)
        if (secs_[sec_base_[k] + i].state == sec_state::loaded) {
          ++nsections;
          nstrings += views_[k].section_name(i)->size + 1;
        }
    for (std::uint32_t x = 0; x < nsecs_; ++x) {
      sec_slot const& s = secs_[x];
      if (s.state != sec_state::loaded) continue;
      switch (s.role) {
      case detail::special::preinit:
      case detail::special::init:
      case detail::special::ctors: ninit += s.size / word; break;
      case detail::special::fini:
      case detail::special::dtors: nfini += s.size / word; break;
      case detail::special::exported_sym: {
        std::uint64_t const n = s.size / (2 * word);
        nexports += n;
        for (std::uint64_t e = 0; e < n; ++e) {
          std::uint64_t const name_addr = read_word(s.mem + e * 2 * word);
          nstrings += c_string_length(name_addr) + 1; // a string: check_record_sections
        }
        break;
      }
      default: break;
      }
    }
    std::size_t bytes = sizeof(extension);
    std::uint32_t buckets = 1;
    while (buckets < 2 * nexports) buckets <<= 1; // open addressing, load factor <= 1/2
    bytes = detail::carver::bytes<export_record>(bytes, nexports);
    bytes = detail::carver::bytes<std::uint32_t>(bytes, buckets);
    bytes = detail::carver::bytes<section_record>(bytes, nsections);
    bytes = detail::carver::bytes<std::uint64_t>(bytes, ninit + nfini);
    bytes = detail::carver::bytes<char>(bytes, nstrings);
    std::byte* p = record_.allocate(bytes, alignof(std::max_align_t));
    if (p == nullptr) return diagnostic{errc::out_of_memory}.with_value(static_cast<std::int64_t>(bytes));
    detail::carver c{p};
    extension* ext = c.take<extension>(1);
    ext->exports_ = c.take<export_record>(nexports);
    ext->buckets_ = c.take<std::uint32_t>(buckets); // zero: empty
    ext->bucket_mask_ = buckets - 1;
    ext->sections_ = c.take<section_record>(nsections);
    ext->init_ = c.take<std::uint64_t>(ninit + nfini);
    ext->fini_ = ext->init_ + ninit;
    ext->strings_ = c.take<char>(nstrings);
    ext->record_bytes_ = bytes;
    ext->regions_ = block_;

    std::uint32_t so = 0; // string pool cursor
    // Sections, in link order.
    std::uint32_t nsec = 0;
    for (std::size_t k = 0; k < n_; ++k) {
      view const& v = views_[k];
      for (std::uint32_t i = 1; i < v.section_count(); ++i) {
        sec_slot const& slot = secs_[sec_base_[k] + i];
        if (slot.state != sec_state::loaded) continue;
        section_header const h = v.section(i);
        byte_string const n = *v.section_name(i);
        section_record& r = ext->sections_[nsec++];
        r.address = slot.addr;
        r.size = slot.size;
        r.flags = h.flags;
        r.type = h.type;
        r.object = static_cast<std::uint32_t>(k);
        r.index = i;
        r.kind = static_cast<region>(slot.region);
        r.name_offset = so;
        r.name_size = static_cast<std::uint32_t>(n.size);
        for (std::size_t x = 0; x < n.size; ++x) ext->strings_[so++] = n[x];
        ext->strings_[so++] = '\0';
      }
    }
    ext->section_count_ = nsec;

    // Exports: .exported_sym entries first (they win over plain globals of the same name), then
    // the defined globals, into a hash index (built in one pass; lookups are O(1)).
    std::uint32_t ne = 0;
    // Inlined into both loops, the name copied without memmove: the two calls cost ~30
    // instructions an export.
    auto add = [&](std::byte const* name, std::size_t len, std::uint64_t address, symbol_kind kind, bool strong) EXTLOAD_ALWAYS_INLINE_LAMBDA -> bool {
      export_record e;
      e.address = address;
      e.name_offset = so;
      e.name_size = static_cast<std::uint32_t>(len);
      e.kind = kind;
      e.strong = strong;
      // Copied into the record and hashed (name_hash, as extension::find computes it).
      char* const dst = ext->strings_ + so;
      detail::copy_bytes(static_cast<std::byte*>(static_cast<void*>(dst)), name, len); // std::byte and char may alias
      dst[len] = '\0';
      e.hash = name_hash(byte_string{name, len});
      std::uint32_t b = e.hash & ext->bucket_mask_;
      for (; ext->buckets_[b] != 0; b = (b + 1) & ext->bucket_mask_) {
        export_record const& o = ext->exports_[ext->buckets_[b] - 1];
        // Same name again: a weak or losing definition, or an .exported_sym alias: keep the first.
        // Two strong definitions in one object are an error (between objects, the global
        // index has already rejected them).
        if (o.hash == e.hash && ext->name_of(o) == ext->name_of(e)) return !(strong && o.strong);
      }
      so += static_cast<std::uint32_t>(len + 1);
      ext->exports_[ne] = e;
      ext->buckets_[b] = ++ne;
      return true;
    };
    for (std::uint32_t x = 0; x < nsecs_; ++x) {
      sec_slot const& s = secs_[x];
      if (s.state != sec_state::loaded || s.role != detail::special::exported_sym) continue;
      for (std::uint64_t e = 0; e < s.size / (2 * word); ++e) {
        std::uint64_t const name_addr = read_word(s.mem + e * 2 * word);
        std::uint64_t const address = read_word(s.mem + e * 2 * word + word);
        std::byte const* n = loaded(name_addr, 1);
        std::size_t const len = c_string_length(name_addr);
        add(n, len, address, symbol_kind::unknown, false);
      }
    }
    for (std::uint32_t si = 0; si < nsyms_; ++si) {
      sym_slot const& sl = syms_[si];
      if (!exportable(sl)) continue;
      byte_string const n = sl.name;
      bool const ok = add(n.data, n.size, sl.addr,
          sl.type == elf::STT_FUNC ? symbol_kind::function : sl.type == elf::STT_OBJECT ? symbol_kind::object : symbol_kind::unknown,
          sl.bind == elf::STB_GLOBAL);
      if (!ok) {
        std::size_t const k = object_of(si);
        record_.reset();
        return at(k, diagnostic{errc::duplicate_symbol, field::st_name}.at_symbol(si - sym_base_[k]).with_name(n));
      }
    }
    ext->export_count_ = ne;

    // Constructors: preinit arrays, then init arrays and .ctors by priority (init_array entries in
    // order, .ctors entries in reverse, as crtstuff runs them). Destructors: the mirror image.
    std::uint32_t ni = 0, nf = 0;
    collect(detail::special::preinit, detail::special::preinit, false, ext->init_, ni);
    collect(detail::special::init, detail::special::ctors, false, ext->init_, ni);
    collect(detail::special::fini, detail::special::dtors, true, ext->fini_, nf);
    ext->init_count_ = ni;
    ext->fini_count_ = nf;
    record_.release();
    return ext;
  }

  // The length of the NUL-terminated string at `address` in the extension's memory; no_string
  // when the address is outside it or the string runs to the end of its region.
  static constexpr std::size_t no_string = ~std::size_t{0};
  std::size_t c_string_length(std::uint64_t address) const noexcept {
    for (std::size_t r = 0; r < region_count; ++r) {
      std::uint64_t const b = region_addr(r);
      if (block_.size[r] == 0 || address < b || address - b >= block_.size[r]) continue;
      std::byte const* p = block_.base[r] + (address - b);
      std::uint64_t const room = block_.size[r] - (address - b);
      std::size_t n = 0;
      while (n < room && p[n] != std::byte{0}) ++n;
      return n < room ? n : no_string;
    }
    return no_string;
  }

  // The loaded sections whose relocated contents the record is built from. Constructor and
  // destructor lists: see check_function_list. .exported_sym (Zephyr LLEXT's struct
  // llext_symbol, {name pointer, address} pairs): a partial pair is bad_section/sh_size, and a
  // name that is not a NUL-terminated string in the extension's memory is bad_section with the
  // entry's index in `relocation` and the pointer in `value` (not an export named "", nor a
  // dropped tail).
  diagnostic check_record_sections() const noexcept {
    for (std::uint32_t x = 0; x < nsecs_; ++x) {
      sec_slot const& s = secs_[x];
      if (s.state != sec_state::loaded) continue;
      switch (s.role) {
      case detail::special::preinit:
      case detail::special::init:
      case detail::special::ctors:
      case detail::special::fini:
      case detail::special::dtors:
        if (auto d = check_function_list(x, s)) return d;
        break;
      case detail::special::exported_sym:
        if (s.size % (2 * word) != 0)
          return at_section_slot(x, diagnostic{errc::bad_section, field::sh_size, static_cast<std::int64_t>(s.size)});
        for (std::uint64_t e = 0; e < s.size / (2 * word); ++e) {
          std::uint64_t const name_addr = read_word(s.mem + e * 2 * word);
          if (c_string_length(name_addr) == no_string)
            return at_section_slot(x, diagnostic{errc::bad_section, field::none, static_cast<std::int64_t>(name_addr)}
                                          .at_relocation(static_cast<std::uint32_t>(e)));
        }
        break;
      default: break;
      }
    }
    return {};
  }

  // A diagnostic about global section slot x, named by object, section index and name.
  diagnostic at_section_slot(std::uint32_t x, diagnostic d) const noexcept {
    auto const k = static_cast<std::size_t>(std::upper_bound(sec_base_, sec_base_ + n_ + 1, x) - sec_base_ - 1);
    return at(k, named(views_[k], x - sec_base_[k], d.at_section(x - sec_base_[k])));
  }

  // Constructor and destructor lists (init/fini/preinit arrays, .ctors/.dtors) hold the code
  // bring_up() and tear_down() call (gABI "Initialization and Termination Functions"). Once
  // relocated, every entry but the crtstuff terminators 0 and -1 must lie in the extension's
  // text: an address in its data, or any other address, is not its code. (An import is not
  // accepted either: compilers only list local functions there.) The entry index goes in
  // `relocation`, the address in `value`.
  diagnostic check_function_list(std::uint32_t x, sec_slot const& s) const noexcept {
    auto const t = static_cast<std::size_t>(region::text);
    std::uint64_t const text = region_addr(t), text_size = block_.size[t];
    for (std::uint64_t e = 0; e < s.size / word; ++e) {
      std::uint64_t const fn = read_word(s.mem + e * word);
      if (fn == 0 || fn == addr_max || (fn >= text && fn - text < text_size)) continue;
      return at_section_slot(x, diagnostic{errc::bad_section, field::none, static_cast<std::int64_t>(fn)}
                                    .at_relocation(static_cast<std::uint32_t>(e)));
    }
    return {};
  }

  // Gather function addresses from sections of role a (array order) and b (.ctors/.dtors:
  // reverse order) sorted by priority; `reverse` mirrors the whole sequence (destructors).
  void collect(detail::special a, detail::special b, bool reverse, std::uint64_t* out, std::uint32_t& n) const noexcept {
    std::uint32_t const start = n;
    // Priorities are few; a selection over sections by ascending priority keeps this allocation-free.
    std::uint64_t last = 0;
    bool first = true;
    for (;;) {
      std::uint64_t next = ~std::uint64_t{0};
      for (std::uint32_t x = 0; x < nsecs_; ++x) {
        sec_slot const& s = secs_[x];
        if (s.state != sec_state::loaded || (s.role != a && s.role != b)) continue;
        if ((first || s.priority > last) && s.priority < next) next = s.priority;
      }
      if (next == ~std::uint64_t{0}) break;
      for (std::uint32_t x = 0; x < nsecs_; ++x) {
        sec_slot const& s = secs_[x];
        if (s.state != sec_state::loaded || (s.role != a && s.role != b) || s.priority != next) continue;
        std::uint64_t const m = s.size / word;
        bool const backwards = s.role == b && b != a; // .ctors/.dtors lists run last entry first
        for (std::uint64_t e = 0; e < m; ++e) {
          std::uint64_t const idx = backwards ? m - 1 - e : e;
          std::uint64_t const fn = read_word(s.mem + idx * word);
          if (fn == 0 || fn == addr_max) continue; // crtstuff list terminators
          out[n++] = fn;
        }
      }
      last = next;
      first = false;
    }
    if (reverse) std::reverse(out + start, out + n);
  }

  void destroy_record(extension* e) noexcept {
    alloc_.release(e->regions_);
    alloc_.free_metadata(static_cast<std::byte*>(static_cast<void*>(e)), e->record_bytes_);
  }

  void fill_report() noexcept {
    if (report_ == nullptr) return;
    load_report<Arch>& r = *report_;
    r = load_report<Arch>{};
    r.objects = static_cast<std::uint32_t>(n_);
    r.sections_loaded = sections_loaded_;
    r.symbols = nsyms_;
    r.imports_firmware = imports_firmware_;
    r.imports_by_slid = imports_slid_;
    r.imports_resolver = imports_resolver_;
    r.imports_weak_zero = imports_weak_;
    r.imports_internal = imports_internal_;
    r.common_symbols = commons_;
    r.comdat_groups_discarded = discarded_groups_;
    r.got_slots = got_count_;
    r.veneers = veneer_count_;
    r.veneer_uses = veneer_uses_;
    r.padding_deleted = pad_bytes_;
    // Counted here, for the report only, so a load that asks for none never pays for it.
    (void)for_each_relocation_section([&](std::size_t, view const& v, std::uint32_t, section_header const& rs, std::uint32_t) -> diagnostic {
      std::byte const* const entries = v.image().data() + rs.offset;
      for (std::uint64_t j = 0, count = rs.size / rs.entsize; j < count; ++j)
        ++r.by_type[Arch::index_of(C::r_type(read_word(entries + j * entry_size + word)))];
      return {};
    });
    for (std::size_t i = 0; i < Arch::type_count; ++i) r.relocations += r.by_type[i];
    for (std::size_t i = 0; i < region_count; ++i) r.region_bytes[i] = block_.size[i];
    r.window = window_;
  }

  Alloc& alloc_;
  Exports const& exports_;
  limits const limits_;
  load_options const opt_;
  load_report<Arch>* report_;
  content_reader const* contents_;

  detail::block_guard<Alloc> views_block_, scratch_, record_, pairs_block_, pads_block_;
  hi_entry* pairs_ = nullptr;
  detail::pad_entry* pads_ = nullptr;
  std::uint64_t pad_bytes_ = 0; // alignment padding deleted
  std::uint32_t max_pairs_ = 0;
  std::size_t n_ = 0;
  view* views_ = nullptr;
  std::uint32_t* sec_base_ = nullptr;
  std::uint32_t* sym_base_ = nullptr;
  sec_slot* secs_ = nullptr;
  sym_slot* syms_ = nullptr;
  detail::global_entry* globals_ = nullptr;
  detail::group_entry* group_list_ = nullptr;
  std::uint32_t nsecs_ = 0, nsyms_ = 0, nglobals_ = 0, groups_ = 0;

  std::uint64_t cursor_[region_count] = {};
  std::uint64_t align_[region_count] = {1, 1, 1, 1};
  std::uint32_t got_count_ = 0, veneer_count_ = 0, veneer_uses_ = 0, commons_ = 0;
  bool need_got_base_ = false;
  bool has_not_loaded_ = false; // some symbol is defined in a section that is not loaded
  bool has_aliases_ = false;    // some slot is an alias (only a multi-object link makes them)
  bool has_commons_ = false;    // some symbol is a common (SHN_COMMON) definition
  std::uint64_t got_offset_ = 0, veneer_offset_ = 0, got_addr_ = 0, veneer_addr_ = 0;
  placement window_{};
  std::uint32_t window_by_ = none;
  region_block block_{};

  std::uint32_t sections_loaded_ = 0, discarded_groups_ = 0;
  std::uint32_t imports_firmware_ = 0, imports_slid_ = 0, imports_resolver_ = 0, imports_weak_ = 0, imports_internal_ = 0;
  std::uint64_t pad_entries_ = 0;                          // alignment padding entries (pre-scan)
};

} // namespace extload::inline v0
