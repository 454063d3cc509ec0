// tests/symbols/symtab.test.cpp: NuttX-style symbol tables. Compile-time tables, ordered (binary
// search) and unordered (rows kept as written, linear search), give the same answers; find by
// value returns the closest row not above an address (ties: the first row), through the
// compile-time by-value index and through a linear scan alike; leading-underscore decoration
// works both ways; SLIDs come from the compile-time column or are computed at run time; run-time
// tables of firmware addresses get a sorted run-time value index; and a symbol table serves as a
// loader's export table (imports by name, decorated, and by SLID) for a real load.
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "extload/alloc/host_mmap.hpp"
#include "extload/arch/x86_64.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/symtab.hpp"
#include "support/elf_builder.hpp"

namespace {

using namespace extload;

// Rows with literal values, written out of name order and out of value order; two rows share
// the value 0x3000 (aliases).
constexpr std::array<symtab_entry, 6> rows = {
    symtab_value("strlen", 0x3000, symbol_kind::function),
    symtab_value("abort", 0x1000, symbol_kind::function),
    symtab_value("errno_", 0x9000, symbol_kind::object),
    symtab_value("strnlen", 0x3000, symbol_kind::function),
    symtab_value("memcpy", 0x2000, symbol_kind::function),
    symtab_value("z_last", 0x8000),
};
constexpr auto ordered = make_symtab<8, ordered_by_name>(rows);
constexpr auto as_written = make_symtab<8, unordered>(rows);
constexpr auto ordered4 = make_symtab<4, ordered_by_name>(rows);

static_assert(export_table<decltype(ordered)>);
static_assert(export_table<decltype(as_written)>);
static_assert(decltype(ordered4)::slid_bytes == 4);

// Names as they appear in an image: bytes, not chars.
template <std::size_t N>
struct image_name {
  std::array<std::byte, N - 1> bytes{};
  constexpr image_name(char const (&s)[N]) {
    for (std::size_t i = 0; i + 1 < N; ++i) bytes[i] = static_cast<std::byte>(s[i]);
  }
  constexpr byte_string str() const { return {bytes.data(), bytes.size()}; }
};

constexpr bool ordered_rows_are_sorted_and_as_written_rows_kept() {
  constexpr std::string_view sorted[] = {"abort", "errno_", "memcpy", "strlen", "strnlen", "z_last"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (ordered[i].name != sorted[i]) return false;
    if (as_written[i].name != rows[i].name) return false;
  }
  return ordered.view().well_ordered() && as_written.view().well_ordered()
      && symtab_sorted_by_name(ordered.entries()) && !symtab_sorted_by_name(as_written.entries());
}
static_assert(ordered_rows_are_sorted_and_as_written_rows_kept());
TEST_CASE("symtab: an ordered table is sorted at compile time, an unordered one kept as written") {
  CHECK(ordered_rows_are_sorted_and_as_written_rows_kept());
}

template <class Table>
constexpr bool finds_every_name_and_misses_others(Table const& t) {
  for (auto const& r : rows) {
    auto const* e = t.find_entry(r.name);
    if (e == nullptr || e->name != r.name || e->value != r.value || e->kind != r.kind) return false;
    auto const f = t.find_by_name(r.name);
    if (!f || f.address != r.value || f.kind != r.kind) return false;
  }
  constexpr image_name memcpy_bytes{"memcpy"};
  constexpr image_name prefix{"strl"};
  constexpr image_name longer{"strlenx"};
  constexpr image_name first_less{"aaa"};
  constexpr image_name after_all{"zz"};
  return t.find_entry(memcpy_bytes.str()) != nullptr && t.find_entry(memcpy_bytes.str())->value == 0x2000
      && t.find_entry(prefix.str()) == nullptr && t.find_entry(longer.str()) == nullptr
      && t.find_entry(first_less.str()) == nullptr && t.find_entry(after_all.str()) == nullptr
      && !t.find_by_name(prefix.str()) && t.find_entry("") == nullptr
      && t.find_entry("_memcpy") == nullptr; // undecorated: the underscore is significant
}
static_assert(finds_every_name_and_misses_others(ordered));
static_assert(finds_every_name_and_misses_others(as_written));
static_assert(finds_every_name_and_misses_others(ordered.view()));
TEST_CASE("symtab: find by name, binary (ordered) and linear (unordered), hit and miss") {
  CHECK(finds_every_name_and_misses_others(ordered));
  CHECK(finds_every_name_and_misses_others(as_written));
  CHECK(finds_every_name_and_misses_others(ordered.view()));
  CHECK(finds_every_name_and_misses_others(as_written.view()));
}

// The reference answer, by brute force over `rows`.
constexpr symtab_entry const* closest_not_above(std::span<symtab_entry const> t, std::uint64_t v) {
  symtab_entry const* best = nullptr;
  for (auto const& e : t)
    if (e.value <= v && (best == nullptr || e.value > best->value)) best = &e;
  return best;
}

template <class Table>
constexpr bool find_by_value_is_closest_not_above(Table const& t) {
  if (t.find_entry_by_value(0) != nullptr || t.find_entry_by_value(0xfff) != nullptr) return false;
  if (t.find_entry_by_value(0x1000)->name != "abort") return false;       // exact
  if (t.find_entry_by_value(0x1fff)->name != "abort") return false;       // just below the next
  if (t.find_entry_by_value(0x2abc)->name != "memcpy") return false;      // inside
  if (t.find_entry_by_value(~std::uint64_t{0})->name != "errno_") return false; // above all
  // Aliases at 0x3000 (strlen, strnlen): the first row, which is strlen in both row orders.
  if (t.find_entry_by_value(0x3000)->name != "strlen") return false;
  for (std::uint64_t v = 0; v < 0xa000; v += 0x80) {
    auto const* want = closest_not_above(t.entries(), v);
    auto const* got = t.find_entry_by_value(v);
    if ((want == nullptr) != (got == nullptr)) return false;
    if (want != nullptr && got->value != want->value) return false;
  }
  return true;
}
static_assert(ordered.value_index().size() == rows.size());
static_assert(find_by_value_is_closest_not_above(ordered));                          // index
static_assert(find_by_value_is_closest_not_above(as_written));                       // index
static_assert(find_by_value_is_closest_not_above(symbol_table<8>(as_written.entries()))); // linear
TEST_CASE("symtab: find by value returns the closest row not above the address") {
  CHECK(find_by_value_is_closest_not_above(ordered));
  CHECK(find_by_value_is_closest_not_above(as_written));
  CHECK(find_by_value_is_closest_not_above(symbol_table<8>(as_written.entries())));
  CHECK(find_by_value_is_closest_not_above(symbol_table<8, ordered_by_name>(ordered.entries())));
}

constexpr bool value_ties_pick_the_first_row() {
  // Three rows at one address in row order c, a, b: indexed and linear both answer "c".
  constexpr std::array<symtab_entry, 4> t = {symtab_value("c", 0x10), symtab_value("a", 0x10),
                                             symtab_value("b", 0x10), symtab_value("d", 0x8)};
  std::array<symtab_index, 4> storage{};
  auto const idx = build_value_index(t, storage);
  if (!idx) return false;
  symbol_table<8> const indexed{t, *idx};
  symbol_table<8> const linear{t};
  std::array<symtab_index, 3> too_small{};
  return indexed.has_value_index() && !linear.has_value_index()
      && indexed.find_entry_by_value(0x10)->name == "c" && linear.find_entry_by_value(0x10)->name == "c"
      && indexed.find_entry_by_value(0xf)->name == "d" && linear.find_entry_by_value(0x11)->name == "c"
      && build_value_index(t, too_small).code() == errc::limit_exceeded;
}
static_assert(value_ties_pick_the_first_row());
TEST_CASE("symtab: equal values resolve to the first row; index storage must hold every row") {
  CHECK(value_ties_pick_the_first_row());
}

// Leading-underscore decoration. decorated_lookups (NuttX CONFIG_SYMTAB_DECORATED): rows are C
// names and an object's "_foo" finds row "foo". decorated_rows: rows come from a prefixing
// toolchain's symbol list and a lookup of "foo" finds row "_foo". Exactly one '_' on one side.
constexpr auto c_name_rows = make_symtab<8, ordered_by_name, decorated_lookups>(
    symtab_value("printf", 0x100), symtab_value("puts", 0x200), symtab_value("_exit", 0x300));
constexpr auto c_name_rows_unordered = make_symtab<8, unordered, decorated_lookups>(
    symtab_value("printf", 0x100), symtab_value("puts", 0x200), symtab_value("_exit", 0x300));
constexpr auto toolchain_rows = make_symtab<8, ordered_by_name, decorated_rows>(
    symtab_value("_printf", 0x100), symtab_value("_puts", 0x200), symtab_value("__exit", 0x300));
constexpr auto toolchain_rows_unordered = make_symtab<8, unordered, decorated_rows>(
    symtab_value("_printf", 0x100), symtab_value("_puts", 0x200), symtab_value("__exit", 0x300));

template <class Table>
constexpr bool decorated_lookups_drop_one_underscore(Table const& t) {
  constexpr image_name under_puts{"_puts"};
  constexpr image_name under_under_exit{"__exit"};
  return t.find_entry("_printf")->value == 0x100    // the object's decorated name
      && t.find_entry(under_puts.str())->value == 0x200
      && t.find_entry(under_under_exit.str())->value == 0x300 // C name "_exit", decorated once more
      && t.find_entry("puts")->value == 0x200       // an undecorated lookup still matches
      && t.find_entry("_exit") == nullptr           // "_exit" is decorated "exit": not a row
      && t.find_entry("__printf") == nullptr
      && t.view().well_ordered();
}
template <class Table>
constexpr bool decorated_rows_drop_one_underscore(Table const& t) {
  constexpr image_name puts_bytes{"puts"};
  return t.find_entry("printf")->value == 0x100     // a C name finds the decorated row
      && t.find_entry(puts_bytes.str())->value == 0x200
      && t.find_entry("_exit")->value == 0x300      // C name "_exit" is row "__exit"
      && t.find_entry("exit") == nullptr
      && t.find_entry("_printf") == nullptr         // lookups are C names
      && t.view().well_ordered();
}
static_assert(decorated_lookups_drop_one_underscore(c_name_rows));
static_assert(decorated_lookups_drop_one_underscore(c_name_rows_unordered));
static_assert(decorated_rows_drop_one_underscore(toolchain_rows));
static_assert(decorated_rows_drop_one_underscore(toolchain_rows_unordered));
TEST_CASE("symtab: leading-underscore decoration, on the lookups or on the rows") {
  CHECK(decorated_lookups_drop_one_underscore(c_name_rows));
  CHECK(decorated_lookups_drop_one_underscore(c_name_rows_unordered));
  CHECK(decorated_rows_drop_one_underscore(toolchain_rows));
  CHECK(decorated_rows_drop_one_underscore(toolchain_rows_unordered));
  // Without a policy the same names are distinct rows.
  constexpr auto plain = make_symtab<8, ordered_by_name>(symtab_value("_printf", 1), symtab_value("printf", 2));
  CHECK(plain.find_entry("printf")->value == 2);
  CHECK(plain.find_entry("_printf")->value == 1);
}

// SLIDs: the column built at compile time and SLIDs computed at run time agree.
template <class Table>
constexpr bool slid_lookup(Table const& t) {
  constexpr std::size_t B = Table::slid_bytes;
  for (auto const& r : rows) {
    auto const* e = t.find_entry_by_slid(slid_of<B>(r.name));
    if (e == nullptr || e->name != r.name) return false;
    if (t.find_by_slid(slid_of<B>(r.name)).address != r.value) return false;
  }
  return t.find_entry_by_slid(slid_of<B>("strcpy")) == nullptr && t.find_entry_by_slid(0) == nullptr
      && !t.find_by_slid(slid_of<B>("abortx"));
}
static_assert(slid_lookup(ordered));
static_assert(slid_lookup(ordered4));
static_assert(slid_lookup(as_written));
static_assert(ordered.view().has_slid_column());
static_assert(!symbol_table<8>(rows).has_slid_column());
TEST_CASE("symtab: find by SLID through the compile-time column and computed at run time") {
  CHECK(slid_lookup(ordered));
  CHECK(slid_lookup(ordered4));
  CHECK(slid_lookup(symbol_table<8>(rows)));          // hashed per row at run time
  CHECK(slid_lookup(symbol_table<4, unordered>(rows)));
  // A 4-byte table never matches a value wider than 32 bits, even one whose low half would.
  std::uint64_t const wide = (std::uint64_t{1} << 32) | slid_of<4>("memcpy");
  CHECK(ordered4.find_entry_by_slid(wide) == nullptr);
  CHECK(symbol_table<4>(rows).find_entry_by_slid(wide) == nullptr);
  // Tables with decorated rows hash the compared (C) name.
  CHECK(toolchain_rows.find_entry_by_slid(slid_of<8>("printf"))->value == 0x100);
  CHECK(toolchain_rows.find_entry_by_slid(slid_of<8>("_exit"))->value == 0x300);
}

constexpr bool empty_tables_miss() {
  constexpr auto none = make_symtab<8>();
  symbol_table<8> const view{};
  return none.size() == 0 && none.find_entry("x") == nullptr && none.find_entry_by_value(5) == nullptr
      && none.find_entry_by_slid(slid_of<8>("x")) == nullptr && view.find_entry("x") == nullptr
      && view.find_entry_by_value(0) == nullptr && !view.find_by_slid(1) && view.empty();
}
static_assert(empty_tables_miss());
TEST_CASE("symtab: empty tables miss everything") { CHECK(empty_tables_miss()); }

// ---------------------------------------------------------------------------------------------
// Firmware addresses: rows with thunks, so the by-value index is built at run time.
extern "C" int sym_alpha(int x) { return x + 1; }
extern "C" int sym_beta(int x) { return x * 3; }
extern "C" { long sym_gamma = 5; }

constinit auto const fw_symtab = make_symtab<8, ordered_by_name>(
    symtab_function<"sym_beta", &sym_beta>, symtab_function<"sym_alpha", &sym_alpha>,
    symtab_object<"sym_gamma", &sym_gamma>);

std::uint64_t addr(void const* p) { return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p)); }
template <class Fn>
std::uint64_t addr(Fn* f) requires std::is_function_v<Fn> {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(f));
}

TEST_CASE("symtab: firmware addresses, and a sorted run-time value index for backtraces") {
  CHECK(fw_symtab.value_index().empty()); // addresses are not constants
  CHECK(fw_symtab.find_by_name(std::string_view{"sym_alpha"}).address == addr(&sym_alpha));
  CHECK(fw_symtab.find_by_name(std::string_view{"sym_gamma"}).address == addr(&sym_gamma));
  CHECK(fw_symtab.find_by_name(std::string_view{"sym_gamma"}).kind == symbol_kind::object);
  std::array<symtab_index, 3> storage{};
  auto const idx = build_value_index(fw_symtab.entries(), storage);
  REQUIRE(idx.has_value());
  auto const view = fw_symtab.view(*idx);
  REQUIRE(view.has_value_index());
  for (auto const& e : fw_symtab.entries()) {
    // An address inside a function (or object) names it, indexed and by linear scan.
    CHECK(view.find_entry_by_value(e.address() + 1) == fw_symtab.view().find_entry_by_value(e.address() + 1));
    CHECK(view.find_entry_by_value(e.address())->name == e.name);
  }
  CHECK(view.find_entry_by_value(addr(&sym_alpha) + 1)->name == "sym_alpha");
}

TEST_CASE("symtab: a table built at run time, sorted, then searched by name") {
  std::vector<std::string_view> names = {"k_sleep", "printk", "k_yield", "device_get"};
  std::vector<symtab_entry> rt;
  for (std::size_t i = 0; i < names.size(); ++i) rt.push_back(symtab_value(names[i], 0x100 * (i + 1)));
  symbol_table<8, ordered_by_name> unsorted_view{rt};
  CHECK_FALSE(unsorted_view.well_ordered());
  sort_symtab_by_name(std::span<symtab_entry>(rt));
  symbol_table<8, ordered_by_name> view{rt};
  REQUIRE(view.well_ordered());
  CHECK(view.find_entry("printk")->value == 0x200);
  CHECK(view.find_entry("device_get")->value == 0x400);
  CHECK(view.find_entry("k_yield")->value == 0x300);
  CHECK(view.find_entry("k_sleepx") == nullptr);
  CHECK(view.find_entry_by_value(0x3ff)->name == "k_yield");
}

// ---------------------------------------------------------------------------------------------
// A symbol table as the loader's export table. The image stores three firmware addresses in
// .data with R_X86_64_64: "_sym_alpha" (decorated, found as row "sym_alpha"), "sym_gamma", and an
// import carrying the SLID of "sym_beta" in st_value (Zephyr SLID linking) under another name.
namespace el = extload::elf;
using X = arch::x86_64;
using E = elf64le;
using extload::test::elf_builder;
using extload::test::size;
using extload::test::undefined;

constexpr auto import_image = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".data", el::SHT_PROGBITS, el::SHF_ALLOC | el::SHF_WRITE, size(24), 8)
    .symbol("_sym_alpha", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .symbol("sym_gamma", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .symbol("by_slid", el::STB_GLOBAL, el::STT_NOTYPE, undefined, slid_of<8>("sym_beta"))
    .symbol("table", el::STB_GLOBAL, el::STT_OBJECT, ".data", 0, 24)
    .rela(".data", {0, "_sym_alpha", X::R_X86_64_64, 0})
    .rela(".data", {8, "sym_gamma", X::R_X86_64_64, 0})
    .rela(".data", {16, "by_slid", X::R_X86_64_64, 0})
    .build();

constinit auto const decorated_fw = make_symtab<8, ordered_by_name, decorated_lookups>(
    symtab_function<"sym_beta", &sym_beta>, symtab_function<"sym_alpha", &sym_alpha>,
    symtab_object<"sym_gamma", &sym_gamma>);

TEST_CASE("symtab: a NuttX-style table is a loader's export table (names, decoration, SLIDs)") {
  using table_view = symbol_table<8, ordered_by_name, decorated_lookups>;
  static_assert(export_table<table_view>);
  table_view const exports = decorated_fw.view();
  host_mmap_allocator mem;
  loader<E, X, host_mmap_allocator, table_view> ld{mem, exports};
  auto r = ld.load(import_image.view());
  REQUIRE(r.has_value());
  auto const* table = (*r)->object<std::uint64_t const>("table");
  REQUIRE(table != nullptr);
  CHECK(table[0] == addr(&sym_alpha));
  CHECK(table[1] == addr(&sym_gamma));
  CHECK(table[2] == addr(&sym_beta));
  ld.unload(*r);
  CHECK(mem.allocations() == 0);

  // Without the decoration policy "_sym_alpha" is undefined, and the diagnostic names it.
  using plain_view = symbol_table<8, ordered_by_name>;
  plain_view const plain{decorated_fw.entries(), {}, decorated_fw.slid_column()};
  loader<E, X, host_mmap_allocator, plain_view> strict{mem, plain};
  auto f = strict.load(import_image.view());
  REQUIRE_FALSE(f.has_value());
  CHECK(f.error().code == errc::undefined_symbol);
  CHECK(f.error().name_view() == "_sym_alpha");
  CHECK(mem.allocations() == 0);
}

} // namespace
