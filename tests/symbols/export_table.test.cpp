// tests/symbols/export_table.test.cpp: compile-time export tables. Rows are sorted by SLID and
// indexed by name at compile time; lookups by SLID and by name hit and miss (both SLID widths);
// the empty models; a namespace-scope constinit table (compiling proves there is no dynamic
// initialiser) that the tests look up at run time; addresses equal the exported entities'.
#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/hana/concat.hpp>
#include <boost/hana/tuple.hpp>

#include "extload/symbols/export_table.hpp"

namespace {

// Stand-ins for firmware functions and objects (distinct bodies so no two share an address).
int fw_printk(char const* fmt, ...) { return fmt != nullptr ? 1 : 0; }
void* fw_memcpy(void* d, void const*, std::size_t) { return d; }
int fw_k_sleep(int ms) { return ms + 7; }
int fw_syscall_fail(int) { return -38; }
int fw_test_entry() { return 42; }
int fw_counter = 0;
char const fw_banner[] = "extload";

template <std::size_t Bytes>
constexpr auto make_board_exports() {
  return extload::make_export_table<Bytes>(
      extload::export_function<"printk", &fw_printk>,
      extload::export_function<"memcpy", &fw_memcpy>,
      extload::export_function<"z_impl_k_sleep", &fw_k_sleep>,
      extload::export_function<"z_impl_ext_syscall_fail", &fw_syscall_fail>,
      extload::export_function<"test_entry", &fw_test_entry>,
      extload::export_object<"counter", &fw_counter>,
      extload::export_object<"banner", &fw_banner>);
}
constexpr auto exports4 = make_board_exports<4>();
constexpr auto exports8 = make_board_exports<8>();

// No dynamic initialiser: constinit refuses to compile otherwise.
constinit auto const board_exports = extload::make_export_table<8>(
    extload::export_function<"printk", &fw_printk>,
    extload::export_function<"z_impl_k_sleep", &fw_k_sleep>,
    extload::export_object<"counter", &fw_counter>);
constinit auto const no_board_exports = extload::make_export_table<4>();

static_assert(extload::export_table<decltype(exports4)>);
static_assert(extload::export_table<decltype(exports8)>);
static_assert(std::remove_cvref_t<decltype(exports4)>::slid_bytes == 4);
static_assert(std::remove_cvref_t<decltype(exports8)>::slid_bytes == 8);

// Names as they appear inside an image: bytes, not chars.
template <std::size_t N>
struct image_name {
  std::array<std::byte, N - 1> bytes{};
  constexpr image_name(char const (&s)[N]) {
    for (std::size_t i = 0; i + 1 < N; ++i) bytes[i] = static_cast<std::byte>(s[i]);
  }
  constexpr extload::byte_string str() const { return {bytes.data(), bytes.size()}; }
};

// SLID order of the seven names (SHA-256 prefixes 0d.., 40.., 87.., 8c.., aa.., d5.., ef..).
constexpr std::string_view slid_order[] = {"test_entry", "z_impl_k_sleep", "printk", "banner",
                                           "memcpy", "z_impl_ext_syscall_fail", "counter"};
constexpr std::string_view name_order[] = {"banner", "counter", "memcpy", "printk", "test_entry",
                                           "z_impl_ext_syscall_fail", "z_impl_k_sleep"};

template <class Table>
constexpr bool sorted_by_slid_and_by_name(Table const& t) {
  if (t.size() != 7) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].name != slid_order[i]) return false;
    if (t[i].slid != extload::slid_of<Table::slid_bytes>(t[i].name)) return false;
    if (i > 0 && !(t[i - 1].slid < t[i].slid)) return false;
    if (t[t.name_index()[i]].name != name_order[i]) return false;
  }
  std::size_t n = 0;
  for (auto const& e : t) n += e.name.empty() ? 0 : 1; // iteration visits every row once
  return n == 7;
}
static_assert(sorted_by_slid_and_by_name(exports4));
static_assert(sorted_by_slid_and_by_name(exports8));
TEST_CASE("export_table: rows sorted by SLID, name index sorted by name") {
  CHECK(sorted_by_slid_and_by_name(exports4));
  CHECK(sorted_by_slid_and_by_name(exports8));
}

constexpr bool kinds_are_recorded() {
  return exports8.find_entry_by_name("printk")->kind == extload::export_kind::function
      && exports8.find_entry_by_name("counter")->kind == extload::export_kind::object
      && exports4.find_entry_by_name("banner")->kind == extload::export_kind::object
      && std::string_view{extload::to_string(extload::export_kind::object)} == "object";
}
static_assert(kinds_are_recorded());
TEST_CASE("export_table: entries record function vs object") { CHECK(kinds_are_recorded()); }

// Lookup by SLID, with the golden SLIDs of tests/symbols/slid.test.cpp.
constexpr bool slid_lookup_8() {
  auto const& t = exports8;
  return t.find_entry_by_slid(0x87B3105268827052u)->name == "printk"
      && t.find_entry_by_slid(0xAA517FA41DB4B3DDu)->name == "memcpy"
      && t.find_entry_by_slid(0x401C8720377FDB40u)->name == "z_impl_k_sleep"
      && t.find_entry_by_slid(0xD58BC0E7C64CD965u)->name == "z_impl_ext_syscall_fail"
      && t.find_entry_by_slid(0x0DCF13B0F264CA87u)->name == "test_entry"       // first row
      && t.find_entry_by_slid(extload::slid_of<8>("counter"))->name == "counter" // last row
      && t.find_entry_by_slid(0x87B3105268827053u) == nullptr  // neighbour of a hit
      && t.find_entry_by_slid(0x87B31052u) == nullptr          // the 4-byte SLID is not an 8-byte one
      && t.find_entry_by_slid(0) == nullptr                    // below every row
      && t.find_entry_by_slid(~std::uint64_t{0}) == nullptr    // above every row
      && t.find_entry_by_slid(extload::slid_of<8>("k_sleep")) == nullptr
      && !t.find_by_slid(extload::slid_of<8>("k_sleep"));
}
static_assert(slid_lookup_8());
TEST_CASE("export_table: lookup by 8-byte SLID, hit and miss") { CHECK(slid_lookup_8()); }

constexpr bool slid_lookup_4() {
  auto const& t = exports4;
  return t.find_entry_by_slid(0x87B31052u)->name == "printk"
      && t.find_entry_by_slid(0xAA517FA4u)->name == "memcpy"
      && t.find_entry_by_slid(0x401C8720u)->name == "z_impl_k_sleep"
      && t.find_entry_by_slid(0xD58BC0E7u)->name == "z_impl_ext_syscall_fail"
      && t.find_entry_by_slid(0x0DCF13B0u)->name == "test_entry"
      && t.find_entry_by_slid(0x87B3105268827052u) == nullptr  // wider than 32 bits: never a 4-byte SLID
      && t.find_entry_by_slid(0x1'87B31052u) == nullptr        // must not be truncated onto printk
      && t.find_entry_by_slid(0x87B31051u) == nullptr
      && t.find_entry_by_slid(0) == nullptr
      && t.find_entry_by_slid(0xffffffffu) == nullptr;
}
static_assert(slid_lookup_4());
TEST_CASE("export_table: lookup by 4-byte SLID, hit and miss") { CHECK(slid_lookup_4()); }

template <class Table>
constexpr bool name_lookup(Table const& t) {
  for (auto n : name_order)
    if (t.find_entry_by_name(n) == nullptr || t.find_entry_by_name(n)->name != n) return false;
  constexpr image_name printk{"printk"};
  constexpr image_name prefix{"print"};
  constexpr image_name longer{"printk_"};
  constexpr image_name sleep{"z_impl_k_sleep"};
  return t.find_entry_by_name(printk.str())->slid == extload::slid_of<Table::slid_bytes>("printk")
      && t.find_entry_by_name(sleep.str())->name == "z_impl_k_sleep"  // last in name order
      && t.find_entry_by_name(prefix.str()) == nullptr
      && t.find_entry_by_name(longer.str()) == nullptr
      && t.find_entry_by_name(extload::byte_string{}) == nullptr
      && t.find_entry_by_name("") == nullptr
      && t.find_entry_by_name("aaa") == nullptr               // before the first name
      && t.find_entry_by_name("zzz") == nullptr               // after the last name
      && t.find_entry_by_name("Printk") == nullptr            // case matters
      && t.find_entry_by_name("cou") == nullptr
      && !t.find_by_name("k_sleep") && !t.find_by_name(prefix.str());
}
static_assert(name_lookup(exports4));
static_assert(name_lookup(exports8));
TEST_CASE("export_table: lookup by name (string_view and image bytes), hit and miss") {
  CHECK(name_lookup(exports4));
  CHECK(name_lookup(exports8));
}

// The hash index holds every row exactly once, in a power-of-two table at most two thirds full,
// and agrees with the name-ordered binary search on hits and misses.
template <class Table>
constexpr bool hash_index_complete(Table const& t) {
  auto const h = t.hash_index();
  if (h.size() == 0 || (h.size() & (h.size() - 1)) != 0 || 3 * t.size() > 2 * h.size()) return false;
  std::size_t used = 0;
  std::array<bool, Table::size()> seen{};
  for (auto slot : h) {
    if (slot == 0) continue;
    if (slot > t.size() || seen[slot - 1]) return false;
    seen[slot - 1] = true;
    ++used;
  }
  if (used != t.size()) return false;
  for (auto const& e : t)
    if (t.find_entry_by_name(e.name) != &e || t.find_entry_by_name_ordered(e.name) != &e) return false;
  for (std::string_view miss : {"", "a", "printk_", "z_impl_k_sleeP", "counte"})
    if (t.find_entry_by_name(miss) != nullptr || t.find_entry_by_name_ordered(miss) != nullptr) return false;
  return true;
}
static_assert(hash_index_complete(exports4));
static_assert(hash_index_complete(exports8));
TEST_CASE("export_table: the hash index by name holds every row once and agrees with the ordered index") {
  CHECK(hash_index_complete(exports4));
  CHECK(hash_index_complete(exports8));
}

// name_hash: the hash of every name index. A table hashed at compile time must agree with a
// lookup hashed at run time, from a string_view or from image bytes, for every length class
// (0, 1-3, 4-7, 8, and longer with an overlapping last step); a change of any byte or of the
// length changes it (here, for prefixes of one name and single-byte edits).
constexpr char hash_text[] = "_ZN7extload2v06linkerINS0_10elf_formatI_and_more";
constexpr std::array<std::uint32_t, 40> hashes_of_prefixes() {
  std::array<std::uint32_t, 40> h{};
  for (std::size_t n = 0; n < h.size(); ++n) h[n] = extload::name_hash(std::string_view{hash_text, n});
  return h;
}
constexpr auto prefix_hashes = hashes_of_prefixes();
constexpr bool prefix_hashes_distinct() {
  for (std::size_t a = 0; a < prefix_hashes.size(); ++a)
    for (std::size_t b = a + 1; b < prefix_hashes.size(); ++b)
      if (prefix_hashes[a] == prefix_hashes[b]) return false;
  return true;
}
static_assert(prefix_hashes_distinct());
static_assert(extload::name_hash(std::string_view{"printk"}) != extload::name_hash(std::string_view{"printj"}));
static_assert(extload::name_hash(std::string_view{"fw_fn_12345678"}) != extload::name_hash(std::string_view{"fw_fn_12345679"}));
TEST_CASE("name_hash: compile time, run time, string_view and image bytes agree") {
  std::array<std::byte, sizeof hash_text> bytes{};
  for (std::size_t i = 0; i < sizeof hash_text; ++i) bytes[i] = static_cast<std::byte>(hash_text[i]);
  for (std::size_t n = 0; n < prefix_hashes.size(); ++n) {
    CAPTURE(n);
    std::string_view const text{hash_text, n};
    CHECK(extload::name_hash(text) == prefix_hashes[n]);
    CHECK(extload::name_hash(extload::byte_string{bytes.data(), n}) == prefix_hashes[n]);
  }
  CHECK(prefix_hashes_distinct());
  // Every single-byte edit of a 21-byte name (three full steps' worth of positions) changes it.
  std::string name = "z_impl_ext_syscall_fa";
  std::uint32_t const base = extload::name_hash(std::string_view{name});
  for (std::size_t i = 0; i < name.size(); ++i) {
    std::string edited = name;
    edited[i] = static_cast<char>(edited[i] ^ 1);
    CAPTURE(i);
    CHECK(extload::name_hash(std::string_view{edited}) != base);
  }
}

// The size-erased view answers like the table it views.
constexpr bool view_matches_table() {
  extload::export_table_view<8> const v8{exports8};
  extload::export_table_view<4> const v4{exports4};
  extload::export_table_view<8> const none{};
  return v8.size() == 7 && v4.size() == 7 && none.size() == 0
      && v8.find_entry_by_slid(0x87B3105268827052u) == exports8.find_entry_by_slid(0x87B3105268827052u)
      && v4.find_entry_by_slid(0xAA517FA4u) == exports4.find_entry_by_slid(0xAA517FA4u)
      && v4.find_entry_by_slid(0x87B3105268827052u) == nullptr
      && name_lookup(v8) && name_lookup(v4)
      && none.find_entry_by_name("printk") == nullptr && none.find_entry_by_slid(0x87B31052u) == nullptr;
}
static_assert(view_matches_table());
TEST_CASE("export_table: export_table_view over a table") { CHECK(view_matches_table()); }

// A table may also be built from Hana tuples of descriptors, e.g. per-subsystem lists joined.
constexpr auto kernel_list = boost::hana::make_tuple(extload::export_function<"z_impl_k_sleep", &fw_k_sleep>,
                                                     extload::export_object<"counter", &fw_counter>);
constexpr auto test_list = boost::hana::make_tuple(extload::export_function<"test_entry", &fw_test_entry>);

constexpr bool from_hana_tuple() {
  constexpr auto t = extload::make_export_table<4>(boost::hana::concat(kernel_list, test_list));
  constexpr auto only_kernel = extload::make_export_table<8>(kernel_list);
  return t.size() == 3 && t[0].name == "test_entry" && t[1].name == "z_impl_k_sleep" && t[2].name == "counter"
      && t.find_entry_by_name("counter") == &t[2] && t.find_entry_by_slid(0x401C8720u) == &t[1]
      && only_kernel.size() == 2 && only_kernel.find_entry_by_name("test_entry") == nullptr
      && only_kernel.find_entry_by_slid(0x401C8720377FDB40u)->name == "z_impl_k_sleep";
}
static_assert(from_hana_tuple());
TEST_CASE("export_table: make_export_table from hana::tuple lists (joined with hana::concat)") {
  CHECK(from_hana_tuple());
}

// Empty tables: the built one with no exports and no_exports<Bytes>.
template <class Table>
constexpr bool empty_table(Table const& t) {
  constexpr image_name printk{"printk"};
  return t.size() == 0 && t.begin() == t.end() && t.entries().empty()
      && t.find_entry_by_slid(0x87B31052u) == nullptr && t.find_entry_by_slid(0) == nullptr
      && t.find_entry_by_name("printk") == nullptr && t.find_entry_by_name(printk.str()) == nullptr
      && !t.find_by_slid(0x87B31052u) && !t.find_by_name("printk") && !t.find_by_name(printk.str())
      && t.find_by_name("").address == 0;
}
static_assert(empty_table(extload::make_export_table<8>()));
static_assert(empty_table(extload::no_exports<4>{}));
static_assert(empty_table(extload::no_exports<8>{}));
TEST_CASE("export_table: empty tables miss every lookup") {
  CHECK(empty_table(extload::make_export_table<8>()));
  CHECK(empty_table(no_board_exports));
  CHECK(empty_table(extload::no_exports<4>{}));
  CHECK(empty_table(extload::no_exports<8>{}));
}

// Run time: the found addresses are those of the exported entities, and callable.
template <class T>
std::uint64_t address_bits(T* p) { return static_cast<std::uint64_t>(std::bit_cast<std::uintptr_t>(p)); }

TEST_CASE("export_table: addresses of functions and objects (both widths)") {
  CHECK(exports8.find_by_slid(0x87B3105268827052u).address == address_bits(&fw_printk));
  CHECK(exports4.find_by_slid(0x87B31052u).address == address_bits(&fw_printk));
  CHECK(exports8.find_by_name("memcpy").address == address_bits(&fw_memcpy));
  CHECK(exports4.find_by_slid(0x401C8720u).address == address_bits(&fw_k_sleep));
  CHECK(exports4.find_by_name("counter").address == address_bits(&fw_counter));
  CHECK(exports8.find_by_slid(extload::slid_of<8>("banner")).address == address_bits(&fw_banner));
  constexpr image_name entry{"test_entry"};
  auto const hit = exports8.find_by_name(entry.str());
  REQUIRE(hit);
  CHECK(hit.found);
  CHECK(std::bit_cast<int (*)()>(static_cast<std::uintptr_t>(hit.address))() == 42);
  auto const miss = exports8.find_by_slid(0x87B3105268827053u);
  CHECK_FALSE(miss);
  CHECK(miss.address == 0);
}

TEST_CASE("export_table: the constinit table is looked up at run time") {
  static_assert(extload::export_table<std::remove_cvref_t<decltype(board_exports)>>);
  CHECK(board_exports.size() == 3);
  auto const sleep = board_exports.find_by_slid(0x401C8720377FDB40u);
  REQUIRE(sleep);
  CHECK(sleep.address == address_bits(&fw_k_sleep));
  CHECK(std::bit_cast<int (*)(int)>(static_cast<std::uintptr_t>(sleep.address))(5) == 12);
  CHECK(board_exports.find_by_name("counter").address == address_bits(&fw_counter));
  CHECK(board_exports.find_by_name("printk").address == address_bits(&fw_printk));
  CHECK_FALSE(board_exports.find_by_name("memcpy"));
  CHECK_FALSE(board_exports.find_by_slid(0xAA517FA41DB4B3DDu));
  std::size_t rows = 0;
  std::uint64_t previous = 0;
  for (auto const& e : board_exports) { // printing loop shape: name, slid, address
    CHECK(e.slid > previous);
    CHECK(e.address() == board_exports.find_by_name(e.name).address);
    previous = e.slid;
    ++rows;
  }
  CHECK(rows == 3);
  fw_counter = fw_printk("%d", 1) + fw_test_entry(); // the stand-ins are real, linkable functions
  char buf[1];
  CHECK(fw_memcpy(buf, fw_banner, 1) == buf);
  CHECK(fw_syscall_fail(0) == -38);
}

} // namespace
