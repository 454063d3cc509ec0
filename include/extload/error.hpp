// error.hpp: errors as data. `errc` says what went wrong, `error` says where (which object,
// section, symbol, relocation, field) and with which value, `result<T>` carries a value or an
// error. No exceptions, no abort, no errno inside the library (see STYLE.md R7/R8).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "extload/byte_string.hpp"
#include "extload/config.hpp"

namespace extload::inline v0 {

enum class errc : std::uint8_t {
  ok = 0,
  truncated,              // an offset/size points past the end of the image
  bad_magic,              // e_ident[EI_MAG0..3] is not "\x7fELF"
  bad_class,              // e_ident[EI_CLASS] does not match the loader's ELF class
  bad_byte_order,         // e_ident[EI_DATA] does not match the loader's byte order
  bad_version,            // e_ident[EI_VERSION] or e_version is not EV_CURRENT
  bad_type,               // e_type is not ET_REL
  bad_machine,            // e_machine does not match the relocation set
  bad_header,             // another ELF header field is inconsistent (named by `what`)
  bad_section,            // a section header field is invalid (named by `what`)
  bad_string,             // a name offset is outside its string table or not terminated
  bad_symbol,             // a symbol table entry is invalid (named by `what`)
  bad_relocation,         // a relocation entry is invalid (offset, symbol index)
  bad_group,              // an SHT_GROUP section is malformed
  unsupported_section,    // a section kind the loader does not support (e.g. SHF_TLS)
  unknown_relocation,     // the relocation set does not handle this type
  unsupported_relocation, // handled type, but a construct not supported (TLS, ...)
  unsupported_symbol,     // a symbol kind not supported (GNU_IFUNC, TLS definitions)
  discarded_section,      // a relocation refers to a section of a discarded COMDAT group
  relocation_overflow,    // the computed value is outside the field's range
  misaligned_relocation,  // the computed value violates the field's alignment
  undefined_symbol,       // no definition found for a non-weak undefined symbol
  duplicate_symbol,       // two objects of one link define the same global
  out_of_memory,          // the allocator could not provide the regions
  out_of_reach,           // no placement satisfies the PC-relative reach of the object
  limit_exceeded,         // a policy limit (sections, symbols, relocations, bytes) was hit
  not_found,              // a lookup found nothing
  busy,                   // the object is in use (dependents, use count)
  read_failed,            // a byte_source could not deliver the bytes asked for (value: the offset)
};

// Which field of the image an error refers to.
enum class field : std::uint8_t {
  none,
  e_ident, e_type, e_machine, e_version, e_ehsize, e_shoff, e_shentsize, e_shnum, e_shstrndx,
  e_flags, // processor-specific flags the relocation set does not accept (errc::bad_machine)
  sh_name, sh_type, sh_flags, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize,
  st_name, st_info, st_other, st_shndx, st_value, st_size,
  r_offset, r_info, r_sym, r_type, r_addend,
  grp_flags, grp_member,
};

inline constexpr std::uint32_t no_index = 0xffffffffu;

// Everything the loader knows about one failure. Trivially copyable; names are copied in
// (truncated) so the record outlives the image it describes.
struct diagnostic {
  errc code = errc::ok;
  field what = field::none;
  std::uint32_t object = no_index;     // index of the object in a multi-object link
  std::uint32_t section = no_index;    // section header index
  std::uint32_t symbol = no_index;     // symbol table index
  std::uint32_t relocation = no_index; // entry index within its relocation section
  std::uint32_t type = no_index;       // relocation type number
  std::int64_t value = 0;              // the offending value
  std::int64_t min = 0, max = 0;       // the allowed interval, when min <= max is meaningful
  bool has_range = false;
  char const* type_name = nullptr;     // static string from the relocation set, if known
  char name[48] = {};                  // symbol (or section) name, NUL-terminated, truncated

  constexpr diagnostic() = default;
  constexpr diagnostic(errc c) noexcept : code(c) {} // NOLINT: implicit by design
  constexpr diagnostic(errc c, field f) noexcept : code(c), what(f) {}
  constexpr diagnostic(errc c, field f, std::int64_t v) noexcept : code(c), what(f), value(v) {}

  constexpr diagnostic& at_section(std::uint32_t i) noexcept { section = i; return *this; }
  constexpr diagnostic& at_symbol(std::uint32_t i) noexcept { symbol = i; return *this; }
  constexpr diagnostic& at_relocation(std::uint32_t i) noexcept { relocation = i; return *this; }
  constexpr diagnostic& with_value(std::int64_t v) noexcept { value = v; return *this; }
  constexpr diagnostic& with_range(std::int64_t lo, std::int64_t hi) noexcept {
    min = lo; max = hi; has_range = true; return *this;
  }
  constexpr diagnostic& with_name(std::string_view n) noexcept {
    std::size_t i = 0;
    for (; i < n.size() && i + 1 < sizeof(name); ++i) name[i] = n[i];
    name[i] = '\0';
    return *this;
  }
  constexpr diagnostic& with_name(byte_string n) noexcept {
    std::size_t i = 0;
    for (; i < n.size && i + 1 < sizeof(name); ++i) name[i] = n[i];
    name[i] = '\0';
    return *this;
  }
  constexpr std::string_view name_view() const noexcept {
    std::size_t n = 0;
    while (n < sizeof(name) && name[n] != '\0') ++n;
    return {name, n};
  }
  constexpr explicit operator bool() const noexcept { return code != errc::ok; }
  constexpr bool operator==(errc c) const noexcept { return code == c; }
};

// A value of type T or an error. Shaped like std::expected, limited to trivially copyable
// payloads so it works in constant evaluation on both compilers.
template <class T>
class [[nodiscard]] result {
  // Checked here rather than in a requires-clause so a class may return result<itself>.
  static constexpr bool payload_ok() {
    static_assert(std::is_trivially_copyable_v<T> && std::is_default_constructible_v<T>,
                  "result<T> needs a trivially copyable, default-constructible T");
    return true;
  }

public:
  constexpr result(T v) noexcept : value_(v) { static_assert(payload_ok()); } // NOLINT: implicit by design
  constexpr result(diagnostic e) noexcept : error_(e) {
    if (error_.code == errc::ok) error_.code = errc::not_found; // an error must be an error
  }
  constexpr result(errc c) noexcept : result(diagnostic{c}) {}

  constexpr bool has_value() const noexcept { return error_.code == errc::ok; }
  constexpr explicit operator bool() const noexcept { return has_value(); }
  constexpr T const& value() const noexcept { return value_; }
  constexpr T& value() noexcept { return value_; }
  constexpr T const& operator*() const noexcept { return value_; }
  constexpr T& operator*() noexcept { return value_; }
  constexpr T const* operator->() const noexcept { return &value_; }
  constexpr T* operator->() noexcept { return &value_; }
  constexpr diagnostic const& error() const noexcept { return error_; }
  constexpr errc code() const noexcept { return error_.code; }

private:
  T value_{};
  diagnostic error_{};
};

// Success or an error, for operations with no value.
using status = diagnostic;

constexpr std::string_view to_string(errc c) noexcept {
  switch (c) {
  case errc::ok: return "ok";
  case errc::truncated: return "truncated image";
  case errc::bad_magic: return "not an ELF file (bad magic)";
  case errc::bad_class: return "wrong ELF class";
  case errc::bad_byte_order: return "wrong ELF byte order";
  case errc::bad_version: return "unsupported ELF version";
  case errc::bad_type: return "not a relocatable object (e_type)";
  case errc::bad_machine: return "wrong machine (e_machine)";
  case errc::bad_header: return "invalid ELF header";
  case errc::bad_section: return "invalid section header";
  case errc::bad_string: return "invalid string table reference";
  case errc::bad_symbol: return "invalid symbol";
  case errc::bad_relocation: return "invalid relocation entry";
  case errc::bad_group: return "invalid section group";
  case errc::unsupported_section: return "unsupported section";
  case errc::unknown_relocation: return "unknown relocation type";
  case errc::unsupported_relocation: return "unsupported relocation";
  case errc::unsupported_symbol: return "unsupported symbol";
  case errc::discarded_section: return "reference to a discarded COMDAT section";
  case errc::relocation_overflow: return "relocation out of range";
  case errc::misaligned_relocation: return "misaligned relocation";
  case errc::undefined_symbol: return "undefined symbol";
  case errc::duplicate_symbol: return "duplicate symbol";
  case errc::out_of_memory: return "out of memory";
  case errc::out_of_reach: return "no placement within reach";
  case errc::limit_exceeded: return "limit exceeded";
  case errc::not_found: return "not found";
  case errc::busy: return "in use";
  case errc::read_failed: return "read failed";
  }
  return "unknown error";
}

constexpr std::string_view to_string(field f) noexcept {
  constexpr std::string_view names[] = {
    "",
    "e_ident", "e_type", "e_machine", "e_version", "e_ehsize", "e_shoff", "e_shentsize", "e_shnum", "e_shstrndx",
    "e_flags",
    "sh_name", "sh_type", "sh_flags", "sh_offset", "sh_size", "sh_link", "sh_info", "sh_addralign", "sh_entsize",
    "st_name", "st_info", "st_other", "st_shndx", "st_value", "st_size",
    "r_offset", "r_info", "r_sym", "r_type", "r_addend",
    "grp_flags", "grp_member",
  };
  auto const i = static_cast<std::size_t>(f);
  return i < std::size(names) ? names[i] : std::string_view{"?"};
}

// Zephyr-compatible errno mapping for C shims: ok→0, out_of_memory→-ENOMEM (12),
// undefined_symbol→-ENODATA (61), not_found→-ENOENT (2), busy→-EBUSY (16), read_failed→-EIO (5),
// unsupported→-ENOTSUP (95), everything else→-ENOEXEC (8).
constexpr int to_errno(errc c) noexcept {
  switch (c) {
  case errc::ok: return 0;
  case errc::out_of_memory: return -12;
  case errc::undefined_symbol: return -61;
  case errc::not_found: return -2;
  case errc::busy: return -16;
  case errc::read_failed: return -5;
  case errc::unsupported_section:
  case errc::unsupported_relocation:
  case errc::unsupported_symbol: return -95;
  default: return -8;
  }
}

} // namespace extload::inline v0
