// tiny/thumb_loader.hpp: the minimal engine. Loads one ELF32 little-endian ET_REL object of
// Thumb code for an M-profile core (Cortex-M0 to M85) into one block, resolves its imports
// against the firmware's export table (by SLID in st_value, LLEXT's SLID linking, else by
// name), applies its relocations and runs its constructors, in 3.0 KiB (minimal options) to
// 4.4 KiB (the defaults) of Cortex-M4 code (tools/footprint.sh measures both).
//
// Why a second engine: extload::loader (loader/loader.hpp) links several objects at once,
// groups sections into four regions, synthesises GOTs, reports, exports symbols to a registry,
// and checks every class of docs MALFORMED.md; on a Cortex-M4 that is ~31 KiB. A board that
// loads single Thumb objects needs none of that. This engine keeps what such a board does need:
//   * every field it reads is checked before use; bad input gives a `fault` that names the
//     error, the field and the index (section, symbol, relocation), and nothing is written
//     outside the block, which is given back: whatever was loaded before stays as it was;
//   * imports are looked up once per symbol, never per relocation (a scratch block of 8 bytes
//     per symbol, given back before load() returns);
//   * calls beyond Thumb BL reach (±16 MiB: flash at 0x0800'0000, SRAM at 0x2000'0000) go
//     through veneers, the 12-byte Thumb veneer of arch::arm_m, one per imported function;
//   * a call to an undefined weak function becomes a no-op, as GNU ld makes it;
//   * .preinit_array, .init_array and .fini_array run in GNU ld's order (init_array.NNNNN by
//     priority, then the plain ones; fini_array the same, run backwards).
// The relocation math is arch/arm.hpp's (the same howtos as the full engine, "which bits" and
// "what value" apart); the set defaults to the types GCC and Clang emit for Cortex-M C code.
//
// Layout of the block (one allocation):
//   [allocated sections, file order][arrays: preinit, init, fini][veneers][u32 per section:
//   its offset in the block, or not_loaded]
// The image must stay readable and unchanged while module::symbol() is used (it reads the
// symbol table, whose fields load() checked).
//
// What it does not do (extload::loader does): several objects in one link, COMMON symbols,
// SHT_RELA, extended section numbering, COMDAT deduplication, the overlap checks of relocation
// sites (MALFORMED.md class 36: two relocations writing the same bytes stay inside the block),
// registries and cross-extension imports.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>

#include "extload/arch/arm.hpp"
#include "extload/byte_order.hpp"
#include "extload/byte_string.hpp"
#include "extload/elf/constants.hpp"
#include "extload/error.hpp"
#include "extload/loader/entry.hpp"
#include "extload/policy/concepts.hpp"
#include "extload/tiny/stack_arena.hpp"

namespace extload::inline v0::tiny {

// What GCC and Clang emit for Cortex-M C and C++ code without exceptions: data words (TARGET1
// in .init_array/.fini_array is ABS32, AAELF32 §5.6.1.5), BL and B.W (tail calls), MOVW/MOVT
// pairs (-mpure-code, -mslow-flash-data).
using thumb_relocations = arch::narrow<arch::arm_m, arch::arm_m::R_ARM_NONE, arch::arm_m::R_ARM_ABS32,
                                       arch::arm_m::R_ARM_REL32, arch::arm_m::R_ARM_TARGET1,
                                       arch::arm_m::R_ARM_THM_CALL, arch::arm_m::R_ARM_THM_JUMP24,
                                       arch::arm_m::R_ARM_THM_MOVW_ABS_NC, arch::arm_m::R_ARM_THM_MOVT_ABS>;

// Why a load failed: the error, the field, and where (indices are no_index when they do not
// apply). value is the offending value (an offset, a size, a type, the computed relocation
// value, the bytes asked of the allocator).
struct fault {
  errc code = errc::ok;
  field what = field::none;
  std::uint32_t section = no_index;
  std::uint32_t symbol = no_index;
  std::uint32_t relocation = no_index;
  std::uint32_t type = no_index;
  std::int32_t value = 0; // 32-bit: every offset, size, index and value of an ELF32 image

  constexpr bool ok() const noexcept { return code == errc::ok; }
  // The full engine's record, for describe() on a host or in a firmware that prints.
  constexpr diagnostic to_diagnostic() const noexcept {
    diagnostic d{code, what, value};
    d.section = section;
    d.symbol = symbol;
    d.relocation = relocation;
    d.type = type;
    return d;
  }
};

// What a board pays for, beyond the minimum (tools/footprint.sh measures each).
struct thumb_options {
  // Imports found by name when st_value holds no SLID (false: by SLID only, as with LLEXT's
  // SLID linking, where the packaging step writes each import's SLID into its st_value:
  // tools/inject_slids.py; an import without one is undefined_symbol, field st_value).
  bool import_by_name = true;
  // .preinit_array/.init_array/.fini_array placed and run by module::bring_up/tear_down (false:
  // an object that has them is refused, unsupported_section naming the section).
  bool constructors = true;
};

namespace detail {
EXTLOAD_ALWAYS_INLINE constexpr std::uint32_t u32_at(std::byte const* p) noexcept { return load_at<std::uint32_t, std::endian::little>(p); }
EXTLOAD_ALWAYS_INLINE constexpr std::uint32_t u16_at(std::byte const* p) noexcept { return load_at<std::uint16_t, std::endian::little>(p); }
inline constexpr std::uint32_t not_loaded = 0xffff'ffffu;
} // namespace detail

template <export_table Exports, block_allocator Alloc, thumb_options Options, class Relocations>
class thumb_loader;

// One loaded extension. Plain data owned by the caller (no allocation for it); thumb_loader
// fills it and gives its block back in unload().
class module {
public:
  constexpr bool loaded() const noexcept { return base_ != nullptr; }
  constexpr std::uint64_t address() const noexcept { return address_; }
  constexpr std::size_t size() const noexcept { return bytes_; }
  constexpr std::span<std::byte const> memory() const noexcept { return {base_, bytes_}; }
  constexpr bool contains(std::uint64_t a) const noexcept { return a - address_ < bytes_; }
  // Veneers written (calls to imports beyond BL reach).
  constexpr std::uint32_t veneers() const noexcept { return veneers_; }

  // A global or weak symbol the extension defines (linear search of its symbol table).
  constexpr found_symbol symbol(std::string_view name) const noexcept {
    for (std::uint32_t i = 1; i < symbols_; ++i) {
      std::byte const* e = image_ + symtab_ + 16 * i;
      auto const info = std::to_integer<std::uint8_t>(e[12]);
      std::uint32_t const shndx = detail::u16_at(e + 14);
      if ((info >> 4) == elf::STB_LOCAL || shndx == elf::SHN_UNDEF || !same_name(detail::u32_at(e), name)) continue;
      std::uint64_t at = detail::u32_at(e + 4);
      if (shndx != elf::SHN_ABS) {
        // (shndx < e_shnum: load() checked every symbol, and the image stays as it was.)
        std::uint32_t const o = detail::u32_at(offsets_ + 4 * shndx);
        if (o == detail::not_loaded) continue;
        at += address_ + o;
      }
      auto const type = info & 0xfu;
      return {at, true, type == elf::STT_FUNC ? symbol_kind::function : type == elf::STT_OBJECT ? symbol_kind::object : symbol_kind::unknown};
    }
    return {};
  }
  template <class Fn>
    requires std::is_function_v<Fn>
  Fn* function(std::string_view name) const noexcept {
    found_symbol const f = symbol(name);
    return f ? address_to_function<Fn>(f.address) : nullptr;
  }
  template <class T>
    requires(!std::is_function_v<T>)
  T* object(std::string_view name) const noexcept {
    found_symbol const f = symbol(name);
    return f ? address_to_object<T>(f.address) : nullptr;
  }

  // Constructors: .preinit_array, then .init_array; once (a second call runs nothing).
  void bring_up() noexcept {
    if (state_ != 0) return;
    state_ = 1;
    for (std::uint32_t k = arrays_[0]; k < arrays_[2]; k += 4) call(k);
  }
  // Destructors: .fini_array backwards, once, and only after bring_up().
  void tear_down() noexcept {
    if (state_ != 1) return;
    state_ = 2;
    for (std::uint32_t k = arrays_[3]; k > arrays_[2]; k -= 4) call(k - 4);
  }

private:
  template <export_table E, block_allocator A, thumb_options O, class R>
  friend class thumb_loader;

  // Back to the empty state (field by field: `*this = module{}` costs a memcpy call).
  EXTLOAD_NOINLINE constexpr void reset() noexcept {
    base_ = nullptr;
    address_ = 0;
    bytes_ = symbols_ = veneers_ = 0;
    arrays_[0] = arrays_[1] = arrays_[2] = arrays_[3] = 0;
    state_ = 0;
  }

  constexpr bool same_name(std::uint32_t at, std::string_view name) const noexcept {
    std::byte const* s = image_ + strtab_ + at; // NUL-terminated: load() checked the table ends in NUL
    for (char const c : name)
      if (c == '\0' || static_cast<char>(*s++) != c) return false;
    return *s == std::byte{0};
  }
  void call(std::uint32_t at) const noexcept {
    std::uint32_t const fn = detail::u32_at(base_ + at);
    if (fn != 0 && fn != 0xffff'ffffu) address_to_function<void()>(fn)(); // 0, -1: no entry (crtstuff)
  }

  std::byte* base_ = nullptr;
  std::uint32_t address_ = 0; // ELF32: a 32-bit address
  std::uint32_t bytes_ = 0;
  std::byte const* image_ = nullptr;
  std::uint32_t symtab_ = 0, symbols_ = 0, strtab_ = 0; // image offsets, symbol count
  std::byte const* offsets_ = nullptr;                 // in the block: u32 per section
  std::uint32_t arrays_[4] = {}; // block offsets: preinit, init, fini begin, fini end
  std::uint32_t veneers_ = 0;
  std::uint8_t state_ = 0;       // 0 loaded, 1 brought up, 2 torn down
};

template <export_table Exports, block_allocator Alloc, thumb_options Options = thumb_options{},
          class Relocations = thumb_relocations>
class thumb_loader {
  static_assert(arch::relocation_set<Relocations> && Relocations::e_machine == elf::EM_ARM && !Relocations::uses_rela,
                "thumb_loader: an ARM (REL) relocation set, e.g. arch::narrow<arch::arm_m, ...>");
  static_assert(Relocations::veneer_size > 0 && Relocations::veneer_size % 4 == 0);
  static_assert(Exports::slid_bytes == 4, "thumb_loader: 32-bit SLIDs (make_export_table<4>)");

public:
  // The largest section alignment accepted (the allocator must honour it).
  static constexpr std::uint32_t max_align = 1u << 16;
  // The most .preinit_array/.init_array/.fini_array sections (each priority is one) an object
  // may have.
  static constexpr std::uint32_t max_array_sections = 64;

  constexpr thumb_loader(Alloc& a, Exports const& e) noexcept : alloc_(a), exports_(e) {}

  // Loads `image` into `m` (which must not hold a loaded module). Constructors are not run:
  // call m.bring_up().
  [[nodiscard]] constexpr fault load(std::span<std::byte const> image, module& m) noexcept {
    if (parse(image)) {
      bool const linked = link(m);
      alloc_.deallocate(scratch_, 8 * std::size_t{syms_});
      if (linked) return {};
      alloc_.deallocate(m.base_, m.bytes_);
      m.reset();
    }
    return fault_; // fail() wrote all of it
  }

  // Gives the block back. Destructors are not run: call m.tear_down() first.
  constexpr void unload(module& m) noexcept {
    if (m.base_ != nullptr) alloc_.deallocate(m.base_, m.bytes_);
    m.reset();
  }

private:
  // -- image access (bounds established before each use) ---------------------------------------
  EXTLOAD_ALWAYS_INLINE constexpr std::uint32_t sh(std::uint32_t i, std::uint32_t at) const noexcept { return detail::u32_at(img_ + shoff_ + 40 * i + at); }
  EXTLOAD_ALWAYS_INLINE constexpr std::uint32_t offset_of(std::uint32_t i) const noexcept { return detail::u32_at(offs_ + 4 * i); }

  // Records the fault of the load (fault_) and returns false, out of line: each check of the
  // passes below costs a call, not a seven-field store. The index is a symbol's for st_* fields,
  // a section's otherwise.
  // (Error and field travel packed in one argument, why(): four arguments fit in registers.)
  static constexpr std::uint32_t why(errc c, field w) noexcept {
    return static_cast<std::uint32_t>(c) | static_cast<std::uint32_t>(w) << 8;
  }
  EXTLOAD_NOINLINE constexpr bool fail(std::uint32_t reason, std::uint32_t index, std::uint32_t v) noexcept {
    auto const w = static_cast<field>(reason >> 8);
    fault_ = fault{static_cast<errc>(reason & 0xff), w, no_index, no_index, no_index, no_index, static_cast<std::int32_t>(v)};
    if (w >= field::st_name && w <= field::st_size) fault_.symbol = index;
    else fault_.section = index;
    return false;
  }

  // A word of the loader's own tables (section offsets, symbol slots: 4-aligned). Saying so
  // lets the compiler merge the four byte stores into one (ARM has strict alignment for that).
  EXTLOAD_ALWAYS_INLINE static constexpr void put32(std::byte* p, std::uint32_t v) noexcept {
    store_at<std::uint32_t, std::endian::little>(std::assume_aligned<4>(p), v);
  }

  static constexpr bool is_array(std::uint32_t t) noexcept { return t == elf::SHT_PREINIT_ARRAY || t == elf::SHT_INIT_ARRAY || t == elf::SHT_FINI_ARRAY; }

  // -- 1. parse: every header and section field used later, before any allocation (symbol --
  // fields are checked where they are used, in resolve(), which frees the block on failure).
  constexpr bool parse(std::span<std::byte const> image) noexcept {
    img_ = image.data();
    syms_ = 0;
    scratch_ = nullptr;
    if constexpr (sizeof(std::size_t) > 4) // a 32-bit target cannot hold more
      if (image.size() > 0xffff'ffffu) return fail(why(errc::limit_exceeded, field::none), no_index, 0xffff'ffffu);
    auto const n = static_cast<std::uint32_t>(image.size()); // offsets below are 32-bit
    if (n < 52) return fail(why(errc::truncated, field::e_ident), no_index, n);
    if (detail::u32_at(img_) != 0x464c'457fu) return fail(why(errc::bad_magic, field::e_ident), no_index, detail::u32_at(img_));
    if (img_[4] != std::byte{elf::ELFCLASS32}) return fail(why(errc::bad_class, field::e_ident), no_index, std::to_integer<unsigned>(img_[4]));
    if (img_[5] != std::byte{elf::ELFDATA2LSB}) return fail(why(errc::bad_byte_order, field::e_ident), no_index, std::to_integer<unsigned>(img_[5]));
    if (img_[6] != std::byte{elf::EV_CURRENT}) return fail(why(errc::bad_version, field::e_ident), no_index, std::to_integer<unsigned>(img_[6]));
    if (detail::u16_at(img_ + 16) != elf::ET_REL) return fail(why(errc::bad_type, field::e_type), no_index, detail::u16_at(img_ + 16));
    if (detail::u16_at(img_ + 18) != elf::EM_ARM) return fail(why(errc::bad_machine, field::e_machine), no_index, detail::u16_at(img_ + 18));
    if (!Relocations::accepts_flags(detail::u32_at(img_ + 36))) return fail(why(errc::bad_machine, field::e_flags), no_index, detail::u32_at(img_ + 36));
    if (detail::u16_at(img_ + 46) != 40) return fail(why(errc::bad_header, field::e_shentsize), no_index, detail::u16_at(img_ + 46));
    shoff_ = detail::u32_at(img_ + 32);
    shnum_ = detail::u16_at(img_ + 48);
    if (shnum_ == 0) return fail(why(errc::limit_exceeded, field::e_shnum), no_index, 0); // extended numbering
    if (shoff_ > n || 40 * shnum_ > n - shoff_) return fail(why(errc::truncated, field::e_shoff), no_index, shoff_); // shnum_ < 2^16
    // Section names are read only for the constructor arrays' priorities: then the table must
    // hold them.
    std::uint32_t const shstr = detail::u16_at(img_ + 50);
    if constexpr (Options.constructors) {
      if (shstr >= shnum_) return fail(why(errc::bad_header, field::e_shstrndx), no_index, shstr);
      if (sh(shstr, 4) != elf::SHT_STRTAB) return fail(why(errc::bad_section, field::sh_type), shstr, sh(shstr, 4));
      if (sh(shstr, 16) > n) return fail(why(errc::truncated, field::sh_offset), shstr, sh(shstr, 16));
      if (sh(shstr, 20) > n - sh(shstr, 16)) return fail(why(errc::truncated, field::sh_size), shstr, sh(shstr, 20));
      if (sh(shstr, 20) == 0 || img_[sh(shstr, 16) + sh(shstr, 20) - 1] != std::byte{0})
        return fail(why(errc::bad_string, field::sh_size), shstr, sh(shstr, 20));
      names_ = sh(shstr, 16);
    }

    // Sections. Ordinary allocated sections are laid out here (place() repeats the same walk).
    symtab_ = 0;
    std::uint64_t end = 0, arrays = 0;
    std::uint32_t array_sections = 0;
    align_ = 4;
    for (std::uint32_t i = 1; i < shnum_; ++i) {
      std::uint32_t const type = sh(i, 4), flags = sh(i, 8), off = sh(i, 16), size = sh(i, 20);
      std::uint32_t const link = sh(i, 24), align = sh(i, 32), entsize = sh(i, 36);
      if (type != elf::SHT_NOBITS) {
        if (off > n) return fail(why(errc::truncated, field::sh_offset), i, off);
        if (size > n - off) return fail(why(errc::truncated, field::sh_size), i, size);
      }
      if (align > max_align || (align & (align - 1)) != 0) return fail(why(errc::bad_section, field::sh_addralign), i, align);
      // Thread-local storage has no block to live in; compressed contents would be copied as is
      // (a compressed section that is not allocated, .debug_* with -gz, is never read).
      if ((flags & elf::SHF_TLS) != 0 || (flags & (elf::SHF_ALLOC | elf::SHF_COMPRESSED)) == (elf::SHF_ALLOC | elf::SHF_COMPRESSED))
        return fail(why(errc::unsupported_section, field::sh_flags), i, flags);
      if (type == elf::SHT_SYMTAB) {
        if (symtab_ != 0) return fail(why(errc::bad_section, field::sh_type), i, type); // a second one
        if (entsize != 16) return fail(why(errc::bad_section, field::sh_entsize), i, entsize);
        if (size % 16 != 0) return fail(why(errc::bad_section, field::sh_size), i, size);
        if (link == 0 || link >= shnum_ || sh(link, 4) != elf::SHT_STRTAB) return fail(why(errc::bad_section, field::sh_link), i, link);
        symtab_ = i;
      } else if (type == elf::SHT_RELA) {
        return fail(why(errc::unsupported_section, field::sh_type), i, type); // AAELF32 objects are REL
      } else if (type == elf::SHT_REL) {
        if (entsize != 8) return fail(why(errc::bad_section, field::sh_entsize), i, entsize);
        if (size % 8 != 0) return fail(why(errc::bad_section, field::sh_size), i, size);
        if (sh(i, 28) == 0 || sh(i, 28) >= shnum_) return fail(why(errc::bad_section, field::sh_info), i, sh(i, 28));
        // Its symbol table: the only SHT_SYMTAB there may be (a second one is refused above).
        if (link >= shnum_ || sh(link, 4) != elf::SHT_SYMTAB) return fail(why(errc::bad_section, field::sh_link), i, link);
      }
      if ((flags & elf::SHF_ALLOC) == 0) continue; // (e.g. .debug_*, compressed or not: never read)
      if (type != elf::SHT_PROGBITS && type != elf::SHT_NOBITS && !is_array(type) && !Relocations::known_section_type(type))
        return fail(why(errc::unsupported_section, field::sh_type), i, type);
      if (is_array(type)) { // arrays of 4-byte pointers, placed together after the rest
        if constexpr (!Options.constructors) return fail(why(errc::unsupported_section, field::sh_type), i, type);
        if (size % 4 != 0) return fail(why(errc::bad_section, field::sh_size), i, size);
        if (align > 4) return fail(why(errc::unsupported_section, field::sh_addralign), i, align);
        if (sh(i, 0) >= sh(shstr, 20)) return fail(why(errc::bad_string, field::sh_name), i, sh(i, 0));
        // place() orders them by selection (quadratic): a cap keeps a crafted image from
        // making that minutes of work (MALFORMED.md class 41).
        if (++array_sections > max_array_sections) return fail(why(errc::limit_exceeded, field::sh_type), i, type);
        arrays += size;
        continue;
      }
      if (align > align_) align_ = align;
      end = ((end + align - (align != 0)) & ~std::uint64_t{align - (align != 0)}) + size;
      if (end > 0xffff'ffffu) return fail(why(errc::limit_exceeded, field::sh_size), i, size);
    }

    // Symbols (and their string table: NUL at its end makes every name in range terminated).
    std::uint32_t imports = 0;
    if (symtab_ != 0) {
      syms_ = sh(symtab_, 20) / 16;
      std::uint32_t const strtab = sh(symtab_, 24);
      strtab_ = sh(strtab, 16);
      strsize_ = sh(strtab, 20);
      std::uint32_t const strsize = strsize_;
      if (strsize == 0 || img_[strtab_ + strsize - 1] != std::byte{0}) return fail(why(errc::bad_string, field::sh_size), strtab, strsize);
      // The imports (for the veneer space); resolve() checks every symbol field it uses.
      for (std::uint32_t i = 1; i < syms_; ++i) imports += detail::u16_at(img_ + sh(symtab_, 16) + 16 * i + 14) == elf::SHN_UNDEF;
    }

    // The block: sections, arrays, veneers, the section offsets.
    // (In 64 bits, each part below the total: one check before narrowing covers them all.)
    std::uint64_t const arrays_at = (end + 3) & ~std::uint64_t{3};
    std::uint64_t const veneers_at = arrays_at + arrays;
    std::uint64_t const offsets_at = veneers_at + std::uint64_t{imports} * Relocations::veneer_size;
    std::uint64_t const total = offsets_at + 4 * std::uint64_t{shnum_};
    if (total > 0xffff'ffffu) return fail(why(errc::limit_exceeded, field::none), no_index, 0xffff'ffffu);
    arrays_at_ = static_cast<std::uint32_t>(arrays_at);
    veneers_at_ = static_cast<std::uint32_t>(veneers_at);
    offsets_at_ = static_cast<std::uint32_t>(offsets_at);
    total_ = static_cast<std::uint32_t>(total);
    return true;
  }

  // The priority of .init_array.NNNNN / .fini_array.NNNNN; every .init_array.* comes before the
  // plain sections (GNU ld: SORT_BY_INIT_PRIORITY(.init_array.*) then .init_array), a suffix that
  // is no small number after the numbered ones.
  constexpr std::uint32_t priority(std::uint32_t i) const noexcept {
    std::byte const* s = img_ + names_ + sh(i, 0);
    std::uint32_t dot = 0, k = 0;
    for (; s[k] != std::byte{0}; ++k)
      if (s[k] == std::byte{'.'}) dot = k;
    if (dot == 0 || dot + 1 == k) return 0xffff'ffffu; // plain
    std::uint32_t p = 0;
    for (std::uint32_t j = dot + 1; j < k; ++j) {
      auto const d = std::to_integer<std::uint32_t>(s[j]) - '0';
      if (d > 9 || p > 0xff'ffff) return 0xffff'fffeu;
      p = p * 10 + d;
    }
    return p;
  }

  // -- 2. link: allocate, place and copy, resolve, relocate ------------------------------------
  constexpr bool link(module& m) noexcept {
    std::byte* const base = m.base_ = alloc_.allocate(total_, align_); // load() frees it on failure
    m.bytes_ = total_;
    m.veneers_ = 0;
    m.state_ = 0;
    if (base == nullptr) return fail(why(errc::out_of_memory, field::none), no_index, total_);
    std::uint64_t const link_address = alloc_.address(base);
    // A block at its own address in a 32-bit space ends below 2^32; any other may not.
    if constexpr (sizeof(std::uintptr_t) > 4 || !requires { requires Alloc::native_addresses; })
      if (link_address > 0x1'0000'0000u - total_) // the block must end at or below 2^32 - 1
        return fail(why(errc::out_of_reach, field::none), no_index, static_cast<std::uint32_t>(link_address));
    auto const addr = static_cast<std::uint32_t>(link_address);
    scratch_ = alloc_.allocate(8 * std::size_t{syms_}, 4);
    if (scratch_ == nullptr && syms_ != 0) return fail(why(errc::out_of_memory, field::none), no_index, 8 * syms_);
    offs_ = base + offsets_at_;
    for (std::uint32_t k = 0; k < total_; ++k) base[k] = std::byte{0}; // NOBITS, padding, veneers
    place(base);
    if (!resolve(addr) || !relocate(base, addr, m.veneers_)) return false;
    if constexpr (requires(Alloc& a, std::byte* p) { a.sync_caches(p, p); }) alloc_.sync_caches(base, base + total_);

    m.address_ = addr;
    m.image_ = img_;
    m.symtab_ = symtab_ != 0 ? sh(symtab_, 16) : 0;
    m.symbols_ = syms_;
    m.strtab_ = strtab_;
    m.offsets_ = offs_;
    m.arrays_[0] = arrays_at_;
    m.arrays_[1] = place_arrays_[0];
    m.arrays_[2] = place_arrays_[1];
    m.arrays_[3] = place_arrays_[2];
    return true;
  }

  EXTLOAD_ALWAYS_INLINE static constexpr void copy(std::byte* to, std::byte const* from, std::uint32_t n) noexcept {
    for (std::uint32_t k = 0; k < n; ++k) to[k] = from[k];
  }

  // Copies PROGBITS (link() zeroed the block: NOBITS, padding) and writes each section's block offset.
  EXTLOAD_KEEP_LOOPS constexpr void place(std::byte* base) noexcept {
    std::uint32_t at = 0;
    for (std::uint32_t i = 0; i < shnum_; ++i) {
      std::uint32_t const type = sh(i, 4), align = sh(i, 32);
      std::uint32_t o = detail::not_loaded;
      if (i != 0 && (sh(i, 8) & elf::SHF_ALLOC) != 0 && (!Options.constructors || !is_array(type))) { // (else parse() refused arrays)
        o = (at + align - (align != 0)) & ~(align - (align != 0));
        at = o + sh(i, 20);
        if (type != elf::SHT_NOBITS) copy(base + o, img_ + sh(i, 16), sh(i, 20));
      }
      put32(offs_ + 4 * i, o);
    }
    // Arrays: each kind together, by priority, then file order.
    at = arrays_at_;
    if constexpr (!Options.constructors) {
      place_arrays_[0] = place_arrays_[1] = place_arrays_[2] = at;
      return;
    }
    std::uint32_t const kinds[3] = {elf::SHT_PREINIT_ARRAY, elf::SHT_INIT_ARRAY, elf::SHT_FINI_ARRAY};
    for (std::uint32_t k = 0; k < 3; ++k) {
      for (;;) {
        std::uint32_t best = 0, best_priority = 0;
        for (std::uint32_t i = 1; i < shnum_; ++i) {
          if (sh(i, 4) != kinds[k] || (sh(i, 8) & elf::SHF_ALLOC) == 0 || offset_of(i) != detail::not_loaded) continue;
          std::uint32_t const p = priority(i);
          if (best == 0 || p < best_priority) best = i, best_priority = p;
        }
        if (best == 0) break;
        put32(offs_ + 4 * best, at);
        copy(base + at, img_ + sh(best, 16), sh(best, 20));
        at += sh(best, 20);
      }
      place_arrays_[k] = at;
    }
  }

  // Symbol values into the scratch block, 8 bytes each: the u32 value, then a u32 whose low 2
  // bits are the kind and the rest the veneer number (1-based; 0 = none yet).
  enum : std::uint32_t { defined = 0, imported = 1, weak_undefined = 2, unloaded = 3 };
  constexpr void set_slot(std::uint32_t i, std::uint32_t value, std::uint32_t kind) noexcept {
    put32(scratch_ + 8 * i, value);
    put32(scratch_ + 8 * i + 4, kind);
  }

  constexpr bool resolve(std::uint32_t addr) noexcept {
    if (syms_ != 0) set_slot(0, 0, defined);
    for (std::uint32_t i = 1; i < syms_; ++i) {
      std::byte const* e = img_ + sh(symtab_, 16) + 16 * i;
      auto const info = std::to_integer<std::uint32_t>(e[12]);
      std::uint32_t const name = detail::u32_at(e), value = detail::u32_at(e + 4), shndx = detail::u16_at(e + 14);
      if (name >= strsize_) return fail(why(errc::bad_string, field::st_name), i, name);
      if ((info & 0xf) == elf::STT_TLS || (info & 0xf) == elf::STT_GNU_IFUNC) return fail(why(errc::unsupported_symbol, field::st_info), i, info);
      if ((info >> 4) > elf::STB_WEAK) return fail(why(errc::bad_symbol, field::st_info), i, info);
      if (shndx == elf::SHN_ABS) {
        set_slot(i, value, defined);
      } else if (shndx == elf::SHN_COMMON) {
        return fail(why(errc::unsupported_symbol, field::st_shndx), i, shndx); // build with -fno-common
      } else if (shndx != elf::SHN_UNDEF) {
        if (shndx >= shnum_) return fail(why(errc::bad_symbol, field::st_shndx), i, shndx);
        std::uint32_t const o = offset_of(shndx);
        std::uint32_t const in = (info & 0xf) == elf::STT_FUNC ? value & ~1u : value; // Thumb bit
        if (o == detail::not_loaded) set_slot(i, 0, unloaded);
        else if (in > sh(shndx, 20)) return fail(why(errc::bad_symbol, field::st_value), i, value);
        else set_slot(i, addr + o + value, defined);
      } else if ((info >> 4) == elf::STB_LOCAL) {
        return fail(why(errc::bad_symbol, field::st_shndx), i, shndx);
      } else {
        // LLEXT SLID linking: the import's SLID is in st_value; else look the name up. A
        // definition at address 0 is a null pointer, not a definition (as in the full engine).
        found_symbol f{};
        if (value != 0) f = exports_.find_by_slid(value);
        if constexpr (Options.import_by_name) if (!f || f.address == 0) {
          std::byte const* s = img_ + strtab_ + name;
          std::size_t len = 0; // bounded by the table, whose last byte is NUL (and no strlen call)
          while (s[len] != std::byte{0} && len < strsize_) ++len;
          f = exports_.find_by_name(byte_string{s, len});
        }
        if (f && f.address != 0) {
          if constexpr (sizeof(std::uintptr_t) > 4) // a 32-bit firmware's exports are 32-bit addresses
            if (f.address > 0xffff'ffffu) return fail(why(errc::out_of_reach, field::st_name), i, static_cast<std::uint32_t>(f.address >> 32));
          set_slot(i, static_cast<std::uint32_t>(f.address), imported);
        } else if ((info >> 4) == elf::STB_WEAK) {
          set_slot(i, 0, weak_undefined);
        } else {
          return fail(why(errc::undefined_symbol, Options.import_by_name ? field::st_name : field::st_value), i, value);
        }
      }
    }
    return true;
  }

  // Addresses are 32-bit and the math is done modulo 2^32, as the core does: the howtos look at
  // the low 32 bits only (arch/arm.hpp wrap32), so 64-bit arithmetic would add nothing.
  constexpr bool relocate(std::byte* base, std::uint32_t addr, std::uint32_t& veneers) noexcept {
    for (std::uint32_t r = 1; r < shnum_; ++r) {
      if (sh(r, 4) != elf::SHT_REL) continue;
      std::uint32_t const t = sh(r, 28);
      if (offset_of(t) == detail::not_loaded) continue; // relocates a section that is not loaded (debug)
      std::uint32_t const target = offset_of(t), target_size = sh(t, 20), count = sh(r, 20) / 8;
      std::byte const* entries = img_ + sh(r, 16);
      for (std::uint32_t j = 0; j < count; ++j) {
        std::uint32_t const off = detail::u32_at(entries + 8 * j), info = detail::u32_at(entries + 8 * j + 4);
        std::uint32_t const sym = info >> 8, type = info & 0xff;
        auto const fail_here = [&](errc c, field w, std::uint32_t v) {
          fail(why(c, w), r, v);
          fault_.symbol = sym, fault_.relocation = j, fault_.type = type;
          return false;
        };
        std::size_t const index = Relocations::index_of(type);
        if (index == Relocations::type_count) return fail_here(errc::unknown_relocation, field::r_type, type);
        if (sym >= syms_) return fail_here(errc::bad_relocation, field::r_sym, sym);
        std::uint32_t const kind = detail::u32_at(scratch_ + 8 * sym + 4) & 3;
        if (kind == unloaded) return fail_here(errc::bad_relocation, field::r_sym, sym); // its section is not loaded
        if (off > target_size || Relocations::site_widths[index] > target_size - off)
          return fail_here(errc::bad_relocation, field::r_offset, off);
        std::byte* const p = base + target + off;
        std::uint32_t const P = addr + target + off, S = detail::u32_at(scratch_ + 8 * sym);
        std::uint32_t v = 0;
        errc const e = Relocations::dispatch_index(index, errc::unknown_relocation, [&](auto h) -> errc {
          using H = typename decltype(h)::type;
          static_assert(H::kind == arch::expr::none || H::kind == arch::expr::abs || H::kind == arch::expr::pc ||
                            H::kind == arch::expr::branch,
                        "thumb_loader: the relocation set has a type whose value needs a GOT or custom math");
          if constexpr (H::kind == arch::expr::none) {
            return errc::ok;
          } else {
            auto const A = static_cast<std::uint32_t>(H::template read_addend<std::endian::little>(p));
            if constexpr (H::kind == arch::expr::abs) {
              v = S + A;
            } else {
              v = S + A - P;
              if constexpr (H::kind == arch::expr::branch) {
                if constexpr (requires { H::template write_weak_nop<std::endian::little>(p); }) {
                  if (kind == weak_undefined) { // a call the code guards with `if (fn)`
                    H::template write_weak_nop<std::endian::little>(p);
                    return errc::ok;
                  }
                }
                if (kind == imported && H::validate(v) != errc::ok) v = veneer(base, addr, sym, veneers) + A - P;
              }
            }
            if constexpr (requires { H::validate(v); }) {
              if (errc const e = H::validate(v); e != errc::ok) return e;
            }
            H::template write<std::endian::little>(p, v);
            return errc::ok;
          }
        });
        if (e != errc::ok) return fail_here(e, field::none, v); // fault::value: the signed 32-bit value it is
      }
    }
    return true;
  }

  // The address (Thumb bit set) of the veneer to import `sym`, written on first use.
  constexpr std::uint32_t veneer(std::byte* base, std::uint32_t addr, std::uint32_t sym, std::uint32_t& used) noexcept {
    std::uint32_t k = detail::u32_at(scratch_ + 8 * sym + 4) >> 2;
    if (k == 0) {
      k = ++used;
      put32(scratch_ + 8 * sym + 4, (k << 2) | imported);
      std::uint32_t const at = veneers_at_ + (k - 1) * Relocations::veneer_size;
      Relocations::template write_veneer<std::endian::little>(std::assume_aligned<4>(base + at), addr + at, detail::u32_at(scratch_ + 8 * sym));
    }
    return (addr + veneers_at_ + (k - 1) * std::uint32_t{Relocations::veneer_size}) | std::uint32_t{Relocations::veneer_address_tag};
  }

  Alloc& alloc_;
  Exports const& exports_;
  // The load in progress.
  std::byte const* img_ = nullptr;
  std::byte* scratch_ = nullptr;
  std::byte* offs_ = nullptr;
  std::uint32_t shoff_ = 0, shnum_ = 0, symtab_ = 0, syms_ = 0, strtab_ = 0, strsize_ = 0, align_ = 4;
  std::uint32_t names_ = 0; // .shstrtab's image offset (read with constructors on)
  std::uint32_t arrays_at_ = 0, veneers_at_ = 0, offsets_at_ = 0, total_ = 0;
  std::uint32_t place_arrays_[3] = {};
  fault fault_{};
};

} // namespace extload::inline v0::tiny
