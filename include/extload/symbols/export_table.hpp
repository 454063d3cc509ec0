// symbols/export_table.hpp: the firmware's export table, built at compile time. A firmware lists
// the functions and objects an extension may link against once:
//
//   constexpr auto board_exports = extload::make_export_table<4>(   // 4 = SLID width = pointer size
//       extload::export_function<"printk", &printk>,
//       extload::export_object<"counter", &counter>);
//
// and gets a constant-initialised table (no dynamic initialiser: .rodata, or .data.rel.ro when
// position-independent) that
//   * is sorted by SLID, so lookup by SLID (LLEXT's CONFIG_LLEXT_EXPORT_BUILTINS_BY_SLID) is a
//     binary search, where Zephyr's llext_find_sym still scans linearly;
//   * carries a second index sorted by name, so lookup by name is a binary search too;
//   * refuses to compile when two exports share a name or two names share a SLID (Zephyr finds
//     collisions in a Python post-pass, llext_prepare_exptab.py, whose failure does not fail
//     the build: docs/STYLE.md §5 item 2). The consteval builder calls a named non-constexpr
//     function, so the compiler's message names the problem (STYLE.md R11).
// It models the export_table policy of policy/concepts.hpp. no_exports<Bytes> is the empty model
// for loaders with no firmware exports; export_table_view<Bytes> is a size-erased view of any
// table, so one copy of the lookup code serves every table size.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include "extload/byte_string.hpp"
#include "extload/config.hpp"
#include "extload/policy/concepts.hpp"
#include "extload/symbols/fixed_string.hpp"
#include "extload/symbols/slid.hpp"

namespace extload::inline v0 {

// ---------------------------------------------------------------------------------------------
// Compile-time diagnostics. Never constexpr: reaching one during constant evaluation is the
// error, and both compilers name the function in their message (STYLE.md R11).
inline void extload_error_duplicate_export_name() {}
inline void extload_error_slid_collision() {}

// ---------------------------------------------------------------------------------------------
// The address column.
//
// A function pointer cannot be turned into an integer (or const void*) in a constant expression:
// reinterpret_cast is not a core constant expression ([expr.const]/5), so a table of
// {slid, const void*} holding function addresses cannot be portably constexpr/constinit
// (STYLE.md §5 item 4: GCC 12 accepts it under constinit, Clang rejects it). A pointer to a
// function of one uniform type *is* a constant expression, so each entry stores a pointer to a
// tiny generated function that produces its address when called at run time.
using address_thunk = std::uint64_t (*)() noexcept;

template <auto Ptr>
  requires std::is_pointer_v<decltype(Ptr)>
std::uint64_t address_of() noexcept {
  // The one reinterpret_cast of this header. It converts a firmware symbol's address (a function
  // or object of the running program) to an integer; it never touches image bytes (STYLE.md R9).
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(Ptr));
}

enum class export_kind : std::uint8_t { function, object };

constexpr char const* to_string(export_kind k) noexcept {
  return k == export_kind::function ? "function" : "object";
}

// The SLID type of a width: 4-byte SLIDs are stored in 32 bits (ELF32 targets are small).
template <std::size_t Bytes>
  requires slid_width<Bytes>
using slid_type = std::conditional_t<Bytes == 4, std::uint32_t, std::uint64_t>;

// One row of a table: uniform whatever the exported entity's type.
template <std::size_t Bytes>
  requires slid_width<Bytes>
struct export_entry {
  std::string_view name;
  slid_type<Bytes> slid = 0;
  address_thunk address_fn = nullptr;
  export_kind kind = export_kind::function;

  // Run time only (calls the thunk). In constant evaluation, use the entry's name/slid/kind.
  std::uint64_t address() const noexcept { return address_fn(); }
};

// ---------------------------------------------------------------------------------------------
// Typed descriptors: one type per export, carrying its name and its pointer as template
// arguments. These are the heterogeneous elements make_export_table() receives.
template <fixed_string Name, auto Ptr, export_kind Kind>
struct export_descriptor {
  static constexpr auto name = Name;
  static constexpr auto pointer = Ptr;
  static constexpr export_kind kind = Kind;

  template <std::size_t Bytes>
    requires slid_width<Bytes>
  static constexpr export_entry<Bytes> entry() noexcept {
    return {Name.view(), static_cast<slid_type<Bytes>>(slid_v<Bytes, Name>), &address_of<Ptr>, Kind};
  }
};

template <class T>
inline constexpr bool is_export_descriptor_v = false;
template <fixed_string Name, auto Ptr, export_kind Kind>
inline constexpr bool is_export_descriptor_v<export_descriptor<Name, Ptr, Kind>> = true;

namespace detail {
// True when every type is a descriptor. A fold expression would nest one level per export, and
// Clang limits that nesting to 256 (-fbracket-depth); an array of flags does not nest.
template <class... T>
constexpr bool all_export_descriptors() noexcept {
  constexpr bool flags[] = {true, is_export_descriptor_v<T>...};
  for (bool f : flags)
    if (!f) return false;
  return true;
}
} // namespace detail

// No `Ptr != nullptr` clause: for a symbol declared extern here and defined elsewhere (the usual
// way a firmware exports printk), that comparison is not a constant expression under
// -fsanitize=undefined / -fno-delete-null-pointer-checks. A null template argument cannot name an
// export anyway (export_function<"x", nullptr> has no pointee type to check).
template <auto Ptr>
concept function_address = std::is_pointer_v<decltype(Ptr)> &&
                           std::is_function_v<std::remove_pointer_t<decltype(Ptr)>>;
template <auto Ptr>
concept object_address = std::is_pointer_v<decltype(Ptr)> &&
                         std::is_object_v<std::remove_pointer_t<decltype(Ptr)>>;

template <fixed_string Name, auto Fn>
  requires(!Name.empty() && function_address<Fn>)
inline constexpr export_descriptor<Name, Fn, export_kind::function> export_function{};

template <fixed_string Name, auto Obj>
  requires(!Name.empty() && object_address<Obj>)
inline constexpr export_descriptor<Name, Obj, export_kind::object> export_object{};

// ---------------------------------------------------------------------------------------------
// Lookup over spans: binary searches whose code depends on the SLID width only, not on the table
// size (STYLE.md R11, ETL's ivector idea).
namespace detail {

// Sign of (entry name) - (key), in strcmp order (bytes compared as unsigned char; this is also
// std::char_traits<char>::compare's order, [char.traits.specializations.char]).
constexpr int compare_name(std::string_view entry, std::string_view key) noexcept {
  int const c = entry.compare(key);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}
constexpr int compare_name(std::string_view entry, byte_string key) noexcept {
  return -key.compare(entry);
}

template <std::size_t Bytes>
constexpr export_entry<Bytes> const* find_slid(std::span<export_entry<Bytes> const> rows,
                                               std::uint64_t slid) noexcept {
  if (slid > static_cast<std::uint64_t>(static_cast<slid_type<Bytes>>(~std::uint64_t{0}))) return nullptr;
  std::size_t lo = 0, n = rows.size();
  while (n > 0) { // lower_bound: the first row whose SLID is not below `slid`
    std::size_t const half = n / 2;
    if (rows[lo + half].slid < slid) { lo += half + 1; n -= half + 1; }
    else n = half;
  }
  return lo < rows.size() && rows[lo].slid == slid ? &rows[lo] : nullptr;
}

template <std::size_t Bytes, class Index, class Key>
constexpr export_entry<Bytes> const* find_name(std::span<export_entry<Bytes> const> rows,
                                               std::span<Index const> by_name, Key const& key) noexcept {
  std::size_t lo = 0, n = by_name.size();
  while (n > 0) {
    std::size_t const half = n / 2;
    if (compare_name(rows[by_name[lo + half]].name, key) < 0) { lo += half + 1; n -= half + 1; }
    else n = half;
  }
  if (lo < by_name.size() && compare_name(rows[by_name[lo]].name, key) == 0) return &rows[by_name[lo]];
  return nullptr;
}

// Lookup by name through the open-addressing hash index (name_hash, linear probing): one hash of
// the key and, almost always, one name comparison (the loader looks up every import by name, so
// this replaced a binary search that compared ~11 names per import; bench/relocate.bench.cpp).
// Slots hold row + 1; 0 is empty. The table keeps at least a third of its slots empty, so every
// probe sequence ends.
template <std::size_t Bytes, class Index, class Key>
constexpr export_entry<Bytes> const* find_hashed(std::span<export_entry<Bytes> const> rows,
                                                 std::span<Index const> by_hash, Key const& key) noexcept {
  if (by_hash.empty()) return nullptr;
  std::size_t const mask = by_hash.size() - 1;
  for (std::size_t h = name_hash(key) & mask;; h = (h + 1) & mask) {
    std::size_t const slot = by_hash[h];
    if (slot == 0) return nullptr;
    if (key == rows[slot - 1].name) return &rows[slot - 1];
  }
}

// Buckets of the hash index for n names: a power of two, at most two thirds full.
constexpr std::size_t hash_buckets(std::size_t n) noexcept {
  std::size_t b = 1;
  while (b < n + n / 2 + 1) b *= 2;
  return b;
}

template <std::size_t Bytes>
found_symbol to_found(export_entry<Bytes> const* e) noexcept {
  if (e == nullptr) return {};
  return {e->address(), true, e->kind == export_kind::function ? symbol_kind::function : symbol_kind::object};
}

} // namespace detail

// ---------------------------------------------------------------------------------------------
// Row indices of the name index are 16-bit: a firmware exports hundreds to a few thousand
// symbols (Zephyr's full kernel export list is about 2000), not 65536.
using export_index = std::uint16_t;
inline constexpr std::size_t max_exports = 0xffff;

// A table of N exports with Bytes-wide SLIDs. Build it with make_export_table(); its rows are
// sorted by SLID (binary search by SLID), by_name_ holds row indices sorted by name (ordered
// listing), and by_hash_ is a hash index by name (lookup by name).

template <std::size_t Bytes, std::size_t N>
  requires slid_width<Bytes> && (N <= max_exports)
class static_export_table {
public:
  static constexpr std::size_t slid_bytes = Bytes;
  using entry_type = export_entry<Bytes>;
  using index_type = export_index;
  static constexpr std::size_t hash_buckets = detail::hash_buckets(N);

  // Sorts, indexes and checks the rows; duplicate names and SLID collisions stop compilation.
  static consteval static_export_table from_entries(std::array<entry_type, N> rows) {
    static_export_table t;
    t.rows_ = rows;
    std::sort(t.rows_.begin(), t.rows_.end(),
              [](entry_type const& a, entry_type const& b) { return a.slid < b.slid; });
    for (std::size_t i = 0; i < N; ++i) t.by_name_[i] = static_cast<index_type>(i);
    std::sort(t.by_name_.begin(), t.by_name_.end(),
              [&t](index_type a, index_type b) { return t.rows_[a].name < t.rows_[b].name; });
    // Names first: two exports of one name also share a SLID, and the name is the better message.
    for (std::size_t i = 1; i < N; ++i)
      if (t.rows_[t.by_name_[i - 1]].name == t.rows_[t.by_name_[i]].name) extload_error_duplicate_export_name();
    for (std::size_t i = 1; i < N; ++i)
      if (t.rows_[i - 1].slid == t.rows_[i].slid) extload_error_slid_collision();
    for (std::size_t i = 0; i < N; ++i) {
      std::size_t h = name_hash(t.rows_[i].name) & (hash_buckets - 1);
      while (t.by_hash_[h] != 0) h = (h + 1) & (hash_buckets - 1);
      t.by_hash_[h] = static_cast<index_type>(i + 1);
    }
    return t;
  }

  static constexpr std::size_t size() noexcept { return N; }
  static constexpr bool empty() noexcept { return N == 0; }

  // Rows in SLID order, for printing and iteration.
  constexpr std::span<entry_type const> entries() const noexcept { return {rows_.data(), N}; }
  constexpr entry_type const* begin() const noexcept { return rows_.data(); }
  constexpr entry_type const* end() const noexcept { return rows_.data() + N; }
  constexpr entry_type const& operator[](std::size_t i) const noexcept { return rows_[i]; }
  // Row indices in name order.
  constexpr std::span<index_type const> name_index() const noexcept { return {by_name_.data(), N}; }
  // The hash index by name (slots hold row + 1, 0 is empty; see detail::find_hashed).
  constexpr std::span<index_type const> hash_index() const noexcept { return {by_hash_.data(), hash_buckets}; }

  // Constant-evaluable lookups: the row, or nullptr.
  constexpr entry_type const* find_entry_by_slid(std::uint64_t slid) const noexcept {
    return detail::find_slid<Bytes>(entries(), slid);
  }
  constexpr entry_type const* find_entry_by_name(std::string_view name) const noexcept {
    return detail::find_hashed<Bytes>(entries(), hash_index(), name);
  }
  constexpr entry_type const* find_entry_by_name(byte_string name) const noexcept {
    return detail::find_hashed<Bytes>(entries(), hash_index(), name);
  }
  // The same through the name-ordered index (binary search), e.g. for tables without the hash.
  constexpr entry_type const* find_entry_by_name_ordered(std::string_view name) const noexcept {
    return detail::find_name<Bytes>(entries(), name_index(), name);
  }
  constexpr entry_type const* find_entry_by_name_ordered(byte_string name) const noexcept {
    return detail::find_name<Bytes>(entries(), name_index(), name);
  }

  // The export_table policy: the address (run time; a miss is also a constant expression).
  constexpr found_symbol find_by_slid(std::uint64_t slid) const noexcept {
    auto const* e = find_entry_by_slid(slid);
    return e != nullptr ? detail::to_found(e) : found_symbol{};
  }
  constexpr found_symbol find_by_name(byte_string name) const noexcept {
    auto const* e = find_entry_by_name(name);
    return e != nullptr ? detail::to_found(e) : found_symbol{};
  }
  constexpr found_symbol find_by_name(std::string_view name) const noexcept {
    auto const* e = find_entry_by_name(name);
    return e != nullptr ? detail::to_found(e) : found_symbol{};
  }

private:
  constexpr static_export_table() noexcept = default;

  std::array<entry_type, N> rows_{};
  std::array<index_type, N> by_name_{};
  std::array<index_type, hash_buckets> by_hash_{};
};
static_assert(export_table<static_export_table<4, 0>>);
static_assert(export_table<static_export_table<8, 2>>);

// Build a table from typed descriptors. The descriptors are a heterogeneous list (each has its
// own name and pointer type); each becomes one uniform row, then the builder sorts and checks the
// rows at compile time.
//
// The variadic form expands the descriptor pack straight into the row array. Routing it through a
// hana::tuple (make_tuple, then unpack) gives the same table but, measured with g++ 12.2 on the
// 2000-entry tests/support/many_exports.hpp table (-fsyntax-only), took 60 s and 1.9 GB instead
// of 20 s and 1.2 GB (clang 16: 33 s instead of 29 s); a hana::transform into an intermediate tuple
// of rows doubled g++'s time again. So Hana is used where it adds something: export lists that
// are values, e.g. per-subsystem lists joined with hana::concat, go through the overload below.
template <std::size_t Bytes, class... Exports>
  requires slid_width<Bytes> && (detail::all_export_descriptors<Exports...>())
consteval auto make_export_table(Exports...) {
  return static_export_table<Bytes, sizeof...(Exports)>::from_entries(
      std::array<export_entry<Bytes>, sizeof...(Exports)>{Exports::template entry<Bytes>()...});
}

// From a Hana tuple of descriptors (a typed list built or combined as a value):
//   constexpr auto net = hana::make_tuple(export_function<"net_send", &net_send>, ...);
//   constexpr auto all = make_export_table<4>(hana::concat(kernel_exports, net));
// hana::unpack expands the typed tuple into the uniform row array in one step.
template <std::size_t Bytes, class... Exports>
  requires slid_width<Bytes> && (detail::all_export_descriptors<Exports...>())
consteval auto make_export_table(boost::hana::tuple<Exports...> const& exports) {
  auto const rows = boost::hana::unpack(exports, [](auto... d) {
    return std::array<export_entry<Bytes>, sizeof...(d)>{decltype(d)::template entry<Bytes>()...};
  });
  return static_export_table<Bytes, sizeof...(Exports)>::from_entries(rows);
}

// ---------------------------------------------------------------------------------------------
// A size-erased view of a static_export_table (non-owning): a loader type can name
// export_table_view<4> instead of the table's exact type.
template <std::size_t Bytes>
  requires slid_width<Bytes>
class export_table_view {
public:
  static constexpr std::size_t slid_bytes = Bytes;
  using entry_type = export_entry<Bytes>;

  constexpr export_table_view() noexcept = default;
  template <std::size_t N>
  constexpr export_table_view(static_export_table<Bytes, N> const& t) noexcept // NOLINT: implicit by design
      : rows_(t.entries()), by_name_(t.name_index()), by_hash_(t.hash_index()) {}

  constexpr std::size_t size() const noexcept { return rows_.size(); }
  constexpr std::span<entry_type const> entries() const noexcept { return rows_; }
  constexpr entry_type const* begin() const noexcept { return rows_.data(); }
  constexpr entry_type const* end() const noexcept { return rows_.data() + rows_.size(); }
  constexpr std::span<export_index const> name_index() const noexcept { return by_name_; }

  constexpr entry_type const* find_entry_by_slid(std::uint64_t slid) const noexcept {
    return detail::find_slid<Bytes>(rows_, slid);
  }
  constexpr entry_type const* find_entry_by_name(std::string_view name) const noexcept {
    return detail::find_hashed<Bytes>(rows_, by_hash_, name);
  }
  constexpr entry_type const* find_entry_by_name(byte_string name) const noexcept {
    return detail::find_hashed<Bytes>(rows_, by_hash_, name);
  }
  constexpr found_symbol find_by_slid(std::uint64_t slid) const noexcept {
    auto const* e = find_entry_by_slid(slid);
    return e != nullptr ? detail::to_found(e) : found_symbol{};
  }
  constexpr found_symbol find_by_name(byte_string name) const noexcept {
    auto const* e = find_entry_by_name(name);
    return e != nullptr ? detail::to_found(e) : found_symbol{};
  }
  constexpr found_symbol find_by_name(std::string_view name) const noexcept {
    auto const* e = find_entry_by_name(name);
    return e != nullptr ? detail::to_found(e) : found_symbol{};
  }

private:
  std::span<entry_type const> rows_{};
  std::span<export_index const> by_name_{};
  std::span<export_index const> by_hash_{};
};
static_assert(export_table<export_table_view<4>>);
static_assert(export_table<export_table_view<8>>);

// ---------------------------------------------------------------------------------------------
// The empty table, for loaders with no firmware exports: every lookup misses.
template <std::size_t Bytes>
  requires slid_width<Bytes>
struct no_exports {
  static constexpr std::size_t slid_bytes = Bytes;
  using entry_type = export_entry<Bytes>;

  static constexpr std::size_t size() noexcept { return 0; }
  static constexpr bool empty() noexcept { return true; }
  constexpr std::span<entry_type const> entries() const noexcept { return {}; }
  constexpr entry_type const* begin() const noexcept { return nullptr; }
  constexpr entry_type const* end() const noexcept { return nullptr; }

  constexpr entry_type const* find_entry_by_slid(std::uint64_t) const noexcept { return nullptr; }
  constexpr entry_type const* find_entry_by_name(std::string_view) const noexcept { return nullptr; }
  constexpr entry_type const* find_entry_by_name(byte_string) const noexcept { return nullptr; }
  constexpr found_symbol find_by_slid(std::uint64_t) const noexcept { return {}; }
  constexpr found_symbol find_by_name(byte_string) const noexcept { return {}; }
  constexpr found_symbol find_by_name(std::string_view) const noexcept { return {}; }
};
static_assert(export_table<no_exports<4>>);
static_assert(export_table<no_exports<8>>);

} // namespace extload::inline v0
