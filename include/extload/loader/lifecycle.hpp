// loader/lifecycle.hpp: the per-extension operations of LLEXT's llext.c and inspect.h as free
// functions over a loaded extension: find a symbol (llext_find_sym), call a void(void) function
// by name (llext_call_fn), bring-up / tear-down (llext_bringup / llext_teardown: preinit + init
// arrays, fini arrays), bootstrap (llext_bootstrap: bring-up, entry(user_data), tear-down), find
// a section by name (llext_section_shndx + llext_get_section_header: index, header fields,
// loaded address, size), and region info (llext_get_region_info).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extload/error.hpp"
#include "extload/loader/entry.hpp"
#include "extload/loader/extension.hpp"
#include "extload/policy/concepts.hpp"

namespace extload::inline v0 {

// llext_entry_fn_t: what bootstrap calls between bring-up and tear-down.
using entry_fn = void (*)(void* user_data);

// An exported symbol of the extension (LLEXT: llext_find_sym(&ext->exp_tab, name)).
inline found_symbol find_symbol(extension const& ext, std::string_view name) noexcept { return ext.find(name); }

// llext_call_fn: call the exported function `name` as void(void). errc::not_found if the
// extension exports no such symbol (LLEXT: -ENOENT); errc::bad_symbol if it is a data object,
// which LLEXT would call anyway.
inline errc call_fn(extension const& ext, std::string_view name) noexcept {
  found_symbol const s = ext.find(name);
  if (!s) return errc::not_found;
  if (s.kind == symbol_kind::object) return errc::bad_symbol;
  address_to_function<void()>(s.address)();
  return errc::ok;
}

// llext_bringup / llext_teardown: preinit_array, init_array (by priority) and .ctors, then on
// tear-down fini_array and .dtors in reverse; each runs at most once per extension.
inline void bring_up(extension& ext) noexcept { ext.bring_up(); }
inline void tear_down(extension& ext) noexcept { ext.tear_down(); }

// llext_bootstrap: bring-up, entry(user_data), tear-down. errc::not_found for a null entry
// (nothing is run).
inline errc bootstrap(extension& ext, entry_fn entry, void* user_data) noexcept {
  if (entry == nullptr) return errc::not_found;
  ext.bring_up();
  entry(user_data);
  ext.tear_down();
  return errc::ok;
}
// The same with the entry point taken from the extension's exports by name.
inline errc bootstrap(extension& ext, std::string_view entry_name, void* user_data) noexcept {
  found_symbol const s = ext.find(entry_name);
  if (!s) return errc::not_found;
  if (s.kind == symbol_kind::object) return errc::bad_symbol;
  return bootstrap(ext, address_to_function<void(void*)>(s.address), user_data);
}

// A loaded section by name: its header index (and which object of the link), sh_type, sh_flags,
// loaded address, size and region. The first of that name in link order; errc::not_found
// otherwise (LLEXT: -ENOENT).
inline result<section_record> find_section(extension const& ext, std::string_view name) noexcept {
  section_record const* s = ext.find_section(name);
  if (s == nullptr) return diagnostic{errc::not_found}.with_name(name);
  return *s;
}

// llext_get_region_info: where one region of the extension is (writable base, run-time
// address) and its size; all zero for an empty region.
struct region_info {
  region kind = region::text;
  std::byte* base = nullptr;
  std::uint64_t address = 0;
  std::uint64_t size = 0;
  constexpr bool empty() const noexcept { return size == 0; }
};
inline region_info region_of(extension const& ext, region r) noexcept {
  region_block const& b = ext.regions();
  auto const k = static_cast<std::size_t>(r);
  return {r, b.base[k], b.address[k], b.size[k]};
}

} // namespace extload::inline v0
