// symbols/symtab.hpp: symbol tables as NuttX has them (include/nuttx/binfmt/symtab.h): an array
// of {name, value} rows, written by hand, generated at compile time or filled at run time, with
//   * find by name: a binary search when the table is declared ordered by name
//     (CONFIG_SYMTAB_ORDEREDBYNAME), a linear scan otherwise; chosen at compile time by the Order
//     policy, not by a Kconfig switch;
//   * find by value: the row whose value is the closest one not above an address
//     (symtab_findbyvalue, used to name the function a backtrace address is in). NuttX scans
//     linearly; here a by-value index (built at compile time, or a sorted run-time copy in
//     caller-provided storage) makes it a binary search;
//   * optional leading-underscore decoration for toolchains that prefix C symbols with '_', as a
//     policy saying which side carries the '_': `decorated_lookups` drops one leading '_' from
//     the name looked up, so an object's "_foo" finds a row "foo" (NuttX CONFIG_SYMTAB_DECORATED:
//     the table is written in C names); `decorated_rows` drops it from the rows, so a lookup of
//     "foo" finds a row "_foo" (a table taken from such a toolchain's symbol list). One side only,
//     so a C name that itself starts with '_' still maps exactly.
// A symbol table also models the loader's export_table policy (policy/concepts.hpp), so a
// NuttX-style table can be a loader's firmware table: find_by_name(byte_string), and
// find_by_slid through a SLID column built at compile time (make_symtab) or SLIDs computed at run
// time with slid_of (symbol_table views without a column; one SHA-256 per row per lookup).
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "extload/byte_string.hpp"
#include "extload/config.hpp"
#include "extload/error.hpp"
#include "extload/policy/concepts.hpp"
#include "extload/symbols/export_table.hpp"
#include "extload/symbols/fixed_string.hpp"
#include "extload/symbols/slid.hpp"

namespace extload::inline v0 {

// ---------------------------------------------------------------------------------------------
// Compile-time diagnostics of make_symtab (never constexpr: reaching one is the error, STYLE R11).
inline void extload_error_duplicate_symtab_name() {}
inline void extload_error_symtab_slid_collision() {}
inline void extload_error_symtab_too_large() {}

// ---------------------------------------------------------------------------------------------
// One row: NuttX's struct symtab_s {sym_name, sym_value}. The value is either a number known
// where the row is written (`value`) or the address of a firmware entity, which C++ cannot turn
// into an integer during constant evaluation ([expr.const]/5: no reinterpret_cast), so such rows
// carry a thunk that yields it at run time (the export table's address_thunk).
// (Whether a row has a thunk is a separate flag: comparing the address of a function with null
// is not a constant expression under -fsanitize=undefined / -fno-delete-null-pointer-checks.)
struct symtab_entry {
  std::string_view name;
  std::uint64_t value = 0;          // used unless by_thunk
  address_thunk thunk = nullptr;    // firmware address, known at run time only
  symbol_kind kind = symbol_kind::unknown;
  bool by_thunk = false;

  // Constant-evaluable for rows without a thunk.
  constexpr std::uint64_t address() const noexcept { return by_thunk ? thunk() : value; }
  constexpr bool constant() const noexcept { return !by_thunk; }
};

// A row with a literal value (addresses of a prelinked image, offsets, test values).
constexpr symtab_entry symtab_value(std::string_view name, std::uint64_t value,
                                    symbol_kind kind = symbol_kind::unknown) noexcept {
  return {name, value, nullptr, kind, false};
}
// Rows naming firmware functions and objects: symtab_function<"printf", &printf>.
template <fixed_string Name, auto Fn>
  requires(!Name.empty() && function_address<Fn>)
inline constexpr symtab_entry symtab_function{Name.view(), 0, &address_of<Fn>, symbol_kind::function, true};
template <fixed_string Name, auto Obj>
  requires(!Name.empty() && object_address<Obj>)
inline constexpr symtab_entry symtab_object{Name.view(), 0, &address_of<Obj>, symbol_kind::object, true};

// Row indices (by-value and by-SLID indexes). NuttX passes `int nsyms`; 32 bits is plenty.
using symtab_index = std::uint32_t;
inline constexpr std::size_t max_symtab_rows = 0xffffffffu;

// A precomputed SLID and the row it names; a column of these sorted by SLID.
struct symtab_slid {
  std::uint64_t slid = 0;
  symtab_index row = 0;
};

// ---------------------------------------------------------------------------------------------
// Order policy: is the table sorted by the compared part of the name (Decoration::row)? Decides binary vs linear search at
// compile time (NuttX: CONFIG_SYMTAB_ORDEREDBYNAME).
template <class O>
concept symtab_order = requires {
  { O::sorted_by_name } -> std::convertible_to<bool>;
};
struct unordered {
  static constexpr bool sorted_by_name = false;
};
struct ordered_by_name {
  static constexpr bool sorted_by_name = true;
};
static_assert(symtab_order<unordered>);
static_assert(symtab_order<ordered_by_name>);

// Decoration policy: the part of a row's name, and of a name looked up, that is compared.
template <class D>
concept symbol_decoration = requires(std::string_view s, byte_string b) {
  { D::row(s) } -> std::same_as<std::string_view>;
  { D::key(s) } -> std::same_as<std::string_view>;
  { D::key(b) } -> std::same_as<byte_string>;
};

namespace detail {
constexpr std::string_view drop_underscore(std::string_view s) noexcept {
  return !s.empty() && s.front() == '_' ? s.substr(1) : s;
}
constexpr byte_string drop_underscore(byte_string s) noexcept {
  return s.size != 0 && s[0] == '_' ? byte_string{s.data + 1, s.size - 1} : s;
}
} // namespace detail

struct undecorated {
  static constexpr std::string_view row(std::string_view s) noexcept { return s; }
  static constexpr std::string_view key(std::string_view s) noexcept { return s; }
  static constexpr byte_string key(byte_string s) noexcept { return s; }
};
// Names looked up carry the toolchain's '_' and the rows are C names (NuttX: "a leading
// underscore [is] ignored on *undefined* symbols during dynamic linking").
struct decorated_lookups {
  static constexpr std::string_view row(std::string_view s) noexcept { return s; }
  static constexpr std::string_view key(std::string_view s) noexcept { return detail::drop_underscore(s); }
  static constexpr byte_string key(byte_string s) noexcept { return detail::drop_underscore(s); }
};
// The rows carry the toolchain's '_' and lookups use C names.
struct decorated_rows {
  static constexpr std::string_view row(std::string_view s) noexcept { return detail::drop_underscore(s); }
  static constexpr std::string_view key(std::string_view s) noexcept { return s; }
  static constexpr byte_string key(byte_string s) noexcept { return s; }
};
static_assert(symbol_decoration<undecorated>);
static_assert(symbol_decoration<decorated_lookups>);
static_assert(symbol_decoration<decorated_rows>);

// ---------------------------------------------------------------------------------------------
// Lookups over spans: one copy of the code per policy pair, whatever the table size (STYLE R11).
namespace detail {

template <symbol_decoration Decoration, class Key>
constexpr int symtab_compare(symtab_entry const& e, Key const& key) noexcept {
  return compare_name(Decoration::row(e.name), key);
}

template <symtab_order Order, symbol_decoration Decoration, class Key>
constexpr symtab_entry const* symtab_find_name(std::span<symtab_entry const> rows, Key key) noexcept {
  auto const k = Decoration::key(key);
  if constexpr (Order::sorted_by_name) {
    std::size_t lo = 0, n = rows.size();
    while (n > 0) { // lower_bound
      std::size_t const half = n / 2;
      if (symtab_compare<Decoration>(rows[lo + half], k) < 0) { lo += half + 1; n -= half + 1; }
      else n = half;
    }
    return lo < rows.size() && symtab_compare<Decoration>(rows[lo], k) == 0 ? &rows[lo] : nullptr;
  } else {
    for (auto const& e : rows)
      if (symtab_compare<Decoration>(e, k) == 0) return &e;
    return nullptr;
  }
}

// The row with the greatest address not above `value`; among rows of equal address, the first.
constexpr symtab_entry const* symtab_find_value_linear(std::span<symtab_entry const> rows,
                                                       std::uint64_t value) noexcept {
  symtab_entry const* best = nullptr;
  std::uint64_t best_address = 0;
  for (auto const& e : rows) {
    std::uint64_t const a = e.address();
    if (a <= value && (best == nullptr || a > best_address)) { best = &e; best_address = a; }
  }
  return best;
}

// The same through an index sorted by (address, row).
constexpr symtab_entry const* symtab_find_value_indexed(std::span<symtab_entry const> rows,
                                                        std::span<symtab_index const> by_value,
                                                        std::uint64_t value) noexcept {
  std::size_t lo = 0, n = by_value.size();
  while (n > 0) { // upper_bound: the first index entry whose address is above `value`
    std::size_t const half = n / 2;
    if (rows[by_value[lo + half]].address() <= value) { lo += half + 1; n -= half + 1; }
    else n = half;
  }
  if (lo == 0) return nullptr;
  std::uint64_t const a = rows[by_value[lo - 1]].address();
  std::size_t first = lo - 1;
  while (first > 0 && rows[by_value[first - 1]].address() == a) --first;
  return &rows[by_value[first]];
}

template <std::size_t Bytes>
constexpr bool slid_fits(std::uint64_t slid) noexcept {
  return Bytes == 8 || slid <= 0xffffffffu;
}

constexpr symtab_entry const* symtab_find_slid_indexed(std::span<symtab_entry const> rows,
                                                       std::span<symtab_slid const> by_slid,
                                                       std::uint64_t slid) noexcept {
  std::size_t lo = 0, n = by_slid.size();
  while (n > 0) {
    std::size_t const half = n / 2;
    if (by_slid[lo + half].slid < slid) { lo += half + 1; n -= half + 1; }
    else n = half;
  }
  return lo < by_slid.size() && by_slid[lo].slid == slid ? &rows[by_slid[lo].row] : nullptr;
}

template <std::size_t Bytes, symbol_decoration Decoration>
constexpr symtab_entry const* symtab_find_slid_linear(std::span<symtab_entry const> rows,
                                                      std::uint64_t slid) noexcept {
  for (auto const& e : rows)
    if (slid_of<Bytes>(Decoration::row(e.name)) == slid) return &e;
  return nullptr;
}

constexpr found_symbol symtab_found(symtab_entry const* e) noexcept {
  return e != nullptr ? found_symbol{e->address(), true, e->kind} : found_symbol{};
}

} // namespace detail

// Is `rows` sorted by compared name (Decoration::row), with no two equal? (The promise an
// ordered_by_name run-time table makes; make_symtab establishes it at compile time.)
template <symbol_decoration Decoration = undecorated>
constexpr bool symtab_sorted_by_name(std::span<symtab_entry const> rows) noexcept {
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (!(Decoration::row(rows[i - 1].name) < Decoration::row(rows[i].name))) return false;
  return true;
}

// Sort run-time rows by compared name, for an ordered_by_name view.
template <symbol_decoration Decoration = undecorated>
constexpr void sort_symtab_by_name(std::span<symtab_entry> rows) noexcept {
  std::sort(rows.begin(), rows.end(), [](symtab_entry const& a, symtab_entry const& b) {
    return Decoration::row(a.name) < Decoration::row(b.name);
  });
}

// The sorted-by-value copy for find_by_value, in caller-provided storage (no heap): the row
// indices of `rows` sorted by (address, row). Run time for rows with thunks; constexpr otherwise.
// errc::limit_exceeded if `storage` is smaller than the table.
constexpr result<std::span<symtab_index const>> build_value_index(std::span<symtab_entry const> rows,
                                                                  std::span<symtab_index> storage) noexcept {
  if (storage.size() < rows.size() || rows.size() > max_symtab_rows)
    return diagnostic{errc::limit_exceeded}.with_value(static_cast<std::int64_t>(rows.size()));
  auto const out = storage.first(rows.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<symtab_index>(i);
  std::sort(out.begin(), out.end(), [rows](symtab_index a, symtab_index b) {
    std::uint64_t const x = rows[a].address(), y = rows[b].address();
    return x != y ? x < y : a < b;
  });
  return std::span<symtab_index const>(out);
}

// ---------------------------------------------------------------------------------------------
// A non-owning view of a table: rows, plus an optional by-value index and an optional SLID
// column (without them, find_by_value scans and find_by_slid hashes each row's name).
template <std::size_t SlidBytes, symtab_order Order = unordered, symbol_decoration Decoration = undecorated>
  requires slid_width<SlidBytes>
class symbol_table {
public:
  static constexpr std::size_t slid_bytes = SlidBytes;
  using order_type = Order;
  using decoration_type = Decoration;

  constexpr symbol_table() noexcept = default;
  constexpr explicit symbol_table(std::span<symtab_entry const> rows, std::span<symtab_index const> by_value = {},
                                  std::span<symtab_slid const> by_slid = {}) noexcept
      : rows_(rows), by_value_(by_value), by_slid_(by_slid) {}

  // The same view with a by-value index (from build_value_index over the same rows).
  constexpr symbol_table with_value_index(std::span<symtab_index const> by_value) const noexcept {
    return symbol_table{rows_, by_value, by_slid_};
  }

  constexpr std::size_t size() const noexcept { return rows_.size(); }
  constexpr bool empty() const noexcept { return rows_.empty(); }
  constexpr std::span<symtab_entry const> entries() const noexcept { return rows_; }
  constexpr symtab_entry const* begin() const noexcept { return rows_.data(); }
  constexpr symtab_entry const* end() const noexcept { return rows_.data() + rows_.size(); }
  constexpr bool has_value_index() const noexcept { return by_value_.size() == rows_.size() && !rows_.empty(); }
  constexpr bool has_slid_column() const noexcept { return by_slid_.size() == rows_.size() && !rows_.empty(); }
  // An ordered_by_name view over unsorted rows would miss names; this checks the promise.
  constexpr bool well_ordered() const noexcept {
    if constexpr (Order::sorted_by_name) return symtab_sorted_by_name<Decoration>(rows_);
    else return true;
  }

  // symtab_findbyname: the row, or nullptr.
  constexpr symtab_entry const* find_entry(std::string_view name) const noexcept {
    return detail::symtab_find_name<Order, Decoration>(rows_, name);
  }
  constexpr symtab_entry const* find_entry(byte_string name) const noexcept {
    return detail::symtab_find_name<Order, Decoration>(rows_, name);
  }
  // symtab_findbyvalue: the row with the closest value not above `value`, or nullptr.
  constexpr symtab_entry const* find_entry_by_value(std::uint64_t value) const noexcept {
    if (has_value_index()) return detail::symtab_find_value_indexed(rows_, by_value_, value);
    return detail::symtab_find_value_linear(rows_, value);
  }
  constexpr symtab_entry const* find_entry_by_slid(std::uint64_t slid) const noexcept {
    if (!detail::slid_fits<SlidBytes>(slid)) return nullptr;
    if (has_slid_column()) return detail::symtab_find_slid_indexed(rows_, by_slid_, slid);
    return detail::symtab_find_slid_linear<SlidBytes, Decoration>(rows_, slid);
  }

  // The export_table policy.
  constexpr found_symbol find_by_name(byte_string name) const noexcept { return detail::symtab_found(find_entry(name)); }
  constexpr found_symbol find_by_name(std::string_view name) const noexcept { return detail::symtab_found(find_entry(name)); }
  constexpr found_symbol find_by_slid(std::uint64_t slid) const noexcept {
    return detail::symtab_found(find_entry_by_slid(slid));
  }

private:
  std::span<symtab_entry const> rows_{};
  std::span<symtab_index const> by_value_{};
  std::span<symtab_slid const> by_slid_{};
};
static_assert(export_table<symbol_table<4>>);
static_assert(export_table<symbol_table<8, ordered_by_name, decorated_lookups>>);

// ---------------------------------------------------------------------------------------------
// A table of N rows built at compile time by make_symtab: sorted by name when Order says so
// (otherwise rows stay as written), duplicate compared names rejected, a SLID column sorted
// by SLID (collisions rejected), and a by-value index when every value is a constant.
template <std::size_t SlidBytes, std::size_t N, symtab_order Order = unordered, symbol_decoration Decoration = undecorated>
  requires slid_width<SlidBytes>
class static_symbol_table {
public:
  static constexpr std::size_t slid_bytes = SlidBytes;
  using order_type = Order;
  using decoration_type = Decoration;
  using view_type = symbol_table<SlidBytes, Order, Decoration>;

  static consteval static_symbol_table from_entries(std::array<symtab_entry, N> rows) {
    if (N > max_symtab_rows) extload_error_symtab_too_large();
    static_symbol_table t;
    t.rows_ = rows;
    if constexpr (Order::sorted_by_name) sort_symtab_by_name<Decoration>(std::span<symtab_entry>(t.rows_));
    // Duplicates: compare neighbours in name order (a sorted index when the rows keep their order).
    std::array<symtab_index, N> by_name{};
    for (std::size_t i = 0; i < N; ++i) by_name[i] = static_cast<symtab_index>(i);
    std::sort(by_name.begin(), by_name.end(), [&t](symtab_index a, symtab_index b) {
      return Decoration::row(t.rows_[a].name) < Decoration::row(t.rows_[b].name);
    });
    for (std::size_t i = 1; i < N; ++i)
      if (Decoration::row(t.rows_[by_name[i - 1]].name) == Decoration::row(t.rows_[by_name[i]].name))
        extload_error_duplicate_symtab_name();
    for (std::size_t i = 0; i < N; ++i)
      t.by_slid_[i] = {slid_of<SlidBytes>(Decoration::row(t.rows_[i].name)), static_cast<symtab_index>(i)};
    std::sort(t.by_slid_.begin(), t.by_slid_.end(),
              [](symtab_slid const& a, symtab_slid const& b) { return a.slid < b.slid; });
    for (std::size_t i = 1; i < N; ++i)
      if (t.by_slid_[i - 1].slid == t.by_slid_[i].slid) extload_error_symtab_slid_collision();
    t.constant_ = std::all_of(t.rows_.begin(), t.rows_.end(), [](symtab_entry const& e) { return e.constant(); });
    if (t.constant_) (void)build_value_index(std::span<symtab_entry const>(t.rows_), std::span<symtab_index>(t.by_value_));
    return t;
  }

  static constexpr std::size_t size() noexcept { return N; }
  static constexpr bool empty() noexcept { return N == 0; }
  constexpr std::span<symtab_entry const> entries() const noexcept { return {rows_.data(), N}; }
  constexpr symtab_entry const* begin() const noexcept { return rows_.data(); }
  constexpr symtab_entry const* end() const noexcept { return rows_.data() + N; }
  constexpr symtab_entry const& operator[](std::size_t i) const noexcept { return rows_[i]; }
  constexpr std::span<symtab_slid const> slid_column() const noexcept { return {by_slid_.data(), N}; }
  // The by-value index, if it could be built at compile time (every row a constant).
  constexpr std::span<symtab_index const> value_index() const noexcept {
    return constant_ ? std::span<symtab_index const>(by_value_.data(), N) : std::span<symtab_index const>{};
  }

  // A size-erased view (with this table's indexes); pass a run-time value index (from
  // build_value_index over entries()) for tables of firmware addresses.
  constexpr view_type view() const noexcept { return view_type{entries(), value_index(), slid_column()}; }
  constexpr view_type view(std::span<symtab_index const> by_value) const noexcept {
    return view_type{entries(), by_value, slid_column()};
  }

  constexpr symtab_entry const* find_entry(std::string_view name) const noexcept { return view().find_entry(name); }
  constexpr symtab_entry const* find_entry(byte_string name) const noexcept { return view().find_entry(name); }
  constexpr symtab_entry const* find_entry_by_value(std::uint64_t value) const noexcept {
    return view().find_entry_by_value(value);
  }
  constexpr symtab_entry const* find_entry_by_slid(std::uint64_t slid) const noexcept {
    return view().find_entry_by_slid(slid);
  }
  constexpr found_symbol find_by_name(byte_string name) const noexcept { return view().find_by_name(name); }
  constexpr found_symbol find_by_name(std::string_view name) const noexcept { return view().find_by_name(name); }
  constexpr found_symbol find_by_slid(std::uint64_t slid) const noexcept { return view().find_by_slid(slid); }

private:
  constexpr static_symbol_table() noexcept = default;

  std::array<symtab_entry, N> rows_{};
  std::array<symtab_slid, N> by_slid_{};
  std::array<symtab_index, N> by_value_{};
  bool constant_ = false;
};
static_assert(export_table<static_symbol_table<4, 0>>);
static_assert(export_table<static_symbol_table<8, 2, ordered_by_name, decorated_lookups>>);

// Build a table at compile time:
//   constexpr auto syms = extload::make_symtab<8, extload::ordered_by_name>(
//       extload::symtab_function<"printf", &printf>, extload::symtab_object<"errno_", &errno_>);
template <std::size_t SlidBytes, symtab_order Order = unordered, symbol_decoration Decoration = undecorated,
          std::size_t N>
  requires slid_width<SlidBytes>
consteval auto make_symtab(std::array<symtab_entry, N> const& rows) {
  return static_symbol_table<SlidBytes, N, Order, Decoration>::from_entries(rows);
}
template <std::size_t SlidBytes, symtab_order Order = unordered, symbol_decoration Decoration = undecorated,
          std::same_as<symtab_entry>... Rows>
  requires slid_width<SlidBytes>
consteval auto make_symtab(Rows const&... rows) {
  return static_symbol_table<SlidBytes, sizeof...(Rows), Order, Decoration>::from_entries(
      std::array<symtab_entry, sizeof...(Rows)>{rows...});
}

} // namespace extload::inline v0
