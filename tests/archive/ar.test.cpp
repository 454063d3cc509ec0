// tests/archive/ar.test.cpp: static archives (include/extload/archive/ar.hpp) built in constant
// evaluation by tests/archive/ar_builder.hpp from ELF members made by tests/support/
// elf_builder.hpp: GNU and BSD layouts, with and without a symbol index; the index built by
// scanning members equals the archive's own; the closure pulls exactly the members a link
// needs, repeating until nothing new is needed; every malformed header, size, offset and index
// is rejected naming the field. Each check is a constexpr function, run by static_assert and by
// doctest (STYLE.md R12). A last case loads the chosen members and calls across them.
#include <doctest/doctest.h>

#include <array>
#include <span>
#include <string_view>

#include <extload/alloc/host_mmap.hpp>
#include <extload/arch/x86_64.hpp>
#include <extload/archive/ar.hpp>
#include <extload/loader/loader.hpp>
#include <extload/symbols/export_table.hpp>

#include "archive/ar_builder.hpp"
#include "support/elf_builder.hpp"

namespace {

using namespace extload;
using extload::test::ar_style;
using extload::test::build_archive;
using extload::test::bytes;
using extload::test::elf_builder;
using extload::test::size;
using extload::test::undefined;
using X = arch::x86_64;
using E = elf64le;
namespace el = extload::elf;

constexpr std::uint64_t AX = el::SHF_ALLOC | el::SHF_EXECINSTR;
constexpr std::uint64_t AW = el::SHF_ALLOC | el::SHF_WRITE;

// a() { return b() + 1; }        b() { return 41; }  (+ data b_data)
// c() { return 7; }  (nothing needs it)
// d() { return a() + 100; }  with a weak reference to c (must not pull c.o)
// main object: calls d.
constexpr auto obj_a = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0xe8, 0, 0, 0, 0, 0x83, 0xc0, 0x01, 0xc3}, 16)
    .symbol("a", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 9)
    .symbol("b", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {1, "b", X::R_X86_64_PLT32, -4})
    .build();
constexpr auto obj_b = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0xb8, 41, 0, 0, 0, 0xc3}, 16)
    .section(".data", el::SHT_PROGBITS, AW, size(8), 8)
    .symbol("b", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 6)
    .symbol("b_data", el::STB_GLOBAL, el::STT_OBJECT, ".data", 0, 8)
    .build();
constexpr auto obj_c = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0xb8, 7, 0, 0, 0, 0xc3}, 16)
    .symbol("c", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 6)
    .build();
constexpr auto obj_d = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0xe8, 0, 0, 0, 0, 0x83, 0xc0, 100, 0xc3}, 16)
    .symbol("d", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 9)
    .symbol("a", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .symbol("c", el::STB_WEAK, el::STT_NOTYPE, undefined)
    .rela(".text", {1, "a", X::R_X86_64_PLT32, -4})
    .build();
constexpr auto obj_main = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0xe9, 0, 0, 0, 0}, 16)
    .symbol("main", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 5)
    .symbol("d", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {1, "d", X::R_X86_64_PLT32, -4})
    .build();

constexpr char long_b[] = "b_has_a_long_member_name.o"; // > 15 bytes: GNU "//" table

template <ar_style S, bool Index>
constexpr auto make() {
  return build_archive<16384>(S, Index, {
      {"a.o", obj_a.view(), {"a"}},
      {long_b, obj_b.view(), {"b", "b_data"}},
      {"c.o", obj_c.view(), {"c"}},
      {"d.o", obj_d.view(), {"d"}},
  });
}
constexpr auto gnu_index = make<ar_style::gnu, true>();
constexpr auto gnu_plain = make<ar_style::gnu, false>();
constexpr auto bsd_index = make<ar_style::bsd, true>();
constexpr auto bsd_plain = make<ar_style::bsd, false>();

template <class Img>
constexpr archive::view parsed(Img const& img) { return *archive::view::parse(img.view()); }

constexpr bool names_are(archive::view const& v, std::array<std::string_view, 4> want) {
  std::size_t i = 0;
  bool ok = true;
  v.for_each_member([&](archive::member const& m) {
    ok = ok && i < want.size() && m.name == want[i];
    ++i;
    return true;
  });
  return ok && i == want.size() && v.member_count() == 4;
}

template <class Img>
constexpr bool layout_ok(Img const& img, archive::flavor f, archive::index_format ix, std::uint64_t count) {
  auto r = archive::view::parse(img.view());
  if (!r) return false;
  return r->archive_flavor() == f && r->index() == ix && r->index_count() == count &&
         names_are(*r, {"a.o", long_b, "c.o", "d.o"});
}

constexpr bool parses_every_layout() {
  return layout_ok(gnu_index, archive::flavor::gnu, archive::index_format::gnu32, 5) &&
         layout_ok(gnu_plain, archive::flavor::gnu, archive::index_format::none, 0) && // "//" makes it GNU
         layout_ok(bsd_index, archive::flavor::bsd, archive::index_format::bsd32, 5) &&
         layout_ok(bsd_plain, archive::flavor::bsd, archive::index_format::none, 0);
}
static_assert(parses_every_layout());
TEST_CASE("archive: GNU and BSD layouts, with and without a symbol index, long names") { CHECK(parses_every_layout()); }

// The member data is the ELF image byte for byte.
template <class Img>
constexpr bool member_bytes_exact(Img const& img) {
  auto const v = parsed(img);
  bool ok = true;
  std::size_t i = 0;
  std::span<std::byte const> const want[4] = {obj_a.view(), obj_b.view(), obj_c.view(), obj_d.view()};
  v.for_each_member([&](archive::member const& m) {
    auto const d = v.data(m);
    ok = ok && d.size() == want[i].size();
    for (std::size_t k = 0; ok && k < d.size(); ++k) ok = d[k] == want[i][k];
    ++i;
    return true;
  });
  return ok;
}
constexpr bool members_exact() {
  return member_bytes_exact(gnu_index) && member_bytes_exact(gnu_plain) && member_bytes_exact(bsd_index) && member_bytes_exact(bsd_plain);
}
static_assert(members_exact());
TEST_CASE("archive: member data is exactly the stored file (BSD names and pad bytes excluded)") { CHECK(members_exact()); }

// Index entries (name -> member name), whether read from the archive or built by scanning.
template <class Img>
constexpr bool index_maps(Img const& img) {
  auto const v = parsed(img);
  std::array<archive::symbol_entry, 8> buf{};
  auto n = archive::build_index<E>(v, buf, el::EM_X86_64);
  if (!n || *n != 5) return false;
  std::span<archive::symbol_entry const> const idx{buf.data(), *n};
  auto member_of = [&](std::string_view sym) -> std::string_view {
    auto const* e = archive::find_symbol(idx, sym);
    if (e == nullptr) return "";
    auto m = v.member_at(e->header_offset);
    if (!m) return "!";
    if (m->name == "a.o") return "a.o";
    if (m->name == long_b) return "b";
    if (m->name == "c.o") return "c.o";
    if (m->name == "d.o") return "d.o";
    return "?";
  };
  return member_of("a") == "a.o" && member_of("b") == "b" && member_of("b_data") == "b" && member_of("c") == "c.o" &&
         member_of("d") == "d.o" && member_of("main").empty() && archive::find_symbol(idx, "e") == nullptr;
}
constexpr bool index_same_with_and_without() {
  return index_maps(gnu_index) && index_maps(gnu_plain) && index_maps(bsd_index) && index_maps(bsd_plain);
}
static_assert(index_same_with_and_without());
TEST_CASE("archive: the symbol index read from the archive equals the one built from member symbol tables") {
  CHECK(index_same_with_and_without());
}

constexpr bool counts_entries() {
  auto const with = archive::count_index_entries<E>(parsed(gnu_index));
  auto const scanned = archive::count_index_entries<E>(parsed(bsd_plain));
  return with && *with == 5 && scanned && *scanned == 5;
}
static_assert(counts_entries());
TEST_CASE("archive: count_index_entries sizes the index buffer") { CHECK(counts_entries()); }

// The closure over one archive: returns the chosen member names joined by ','.
struct names_buf {
  std::array<char, 64> text{};
  std::size_t n = 0;
  bool error = false;
  errc code = errc::ok;
  constexpr bool operator==(std::string_view s) const { return !error && std::string_view{text.data(), n} == s; }
};
template <class Img>
constexpr names_buf closure(Img const& img, std::span<std::span<std::byte const> const> objects,
                            std::span<std::string_view const> roots, std::size_t capacity = 4) {
  names_buf out;
  auto const v = parsed(img);
  std::array<archive::symbol_entry, 8> buf{};
  auto n = archive::build_index<E>(v, buf, el::EM_X86_64);
  archive::archive_input const in[1] = {{v, std::span<archive::symbol_entry const>{buf.data(), *n}}};
  std::array<archive::chosen_member, 4> chosen{};
  auto k = archive::select_members<E>(objects, in, roots, std::span{chosen}.first(capacity), el::EM_X86_64);
  if (!k) { out.error = true; out.code = k.code(); return out; }
  for (std::size_t i = 0; i < *k; ++i) {
    if (i != 0) out.text[out.n++] = ',';
    auto const name = chosen[i].m.name;
    std::size_t const len = name == long_b ? 1 : name.size - 2; // "a.o" -> "a"; the long one -> "b"
    for (std::size_t c = 0; c < len; ++c) out.text[out.n++] = name[c];
  }
  return out;
}

template <class Img>
constexpr bool closure_is_minimal(Img const& img) {
  std::span<std::byte const> const main_only[1] = {obj_main.view()};
  std::span<std::byte const> const main_and_b[2] = {obj_main.view(), obj_b.view()};
  std::string_view const root_a[1] = {"a"};
  std::string_view const root_none[1] = {"not_in_the_archive"};
  return closure(img, main_only, {}) == "d,a,b"     // main -> d -> a -> b; c only weakly: not pulled
      && closure(img, main_and_b, {}) == "d,a"      // b is defined by an object: its member stays out
      && closure(img, {}, root_a) == "a,b"          // a root symbol, no objects (an archive holding main)
      && closure(img, {}, root_none) == ""          // nothing defines it: nothing pulled
      && closure(img, main_only, {}, 2).code == errc::limit_exceeded; // the caller's array is too small
}
// One static_assert per layout: each stays within clang's default constexpr step limit.
static_assert(closure_is_minimal(gnu_index));
static_assert(closure_is_minimal(gnu_plain));
static_assert(closure_is_minimal(bsd_index));
static_assert(closure_is_minimal(bsd_plain));
TEST_CASE("archive: the closure pulls exactly the needed members, repeating until nothing new is needed") {
  CHECK(closure_is_minimal(gnu_index));
  CHECK(closure_is_minimal(gnu_plain));
  CHECK(closure_is_minimal(bsd_index));
  CHECK(closure_is_minimal(bsd_plain));
}

// Two members define the same name: the first (in archive order) wins, as with ld.
constexpr bool first_definition_wins() {
  auto const img = build_archive<16384>(ar_style::gnu, true, {{"c.o", obj_c.view(), {"c"}}, {"c2.o", obj_c.view(), {"c"}}});
  auto const v = parsed(img);
  std::array<archive::symbol_entry, 4> buf{};
  auto n = archive::build_index<E>(v, buf);
  auto const* e = archive::find_symbol(std::span<archive::symbol_entry const>{buf.data(), *n}, "c");
  return e != nullptr && v.member_at(e->header_offset)->name == "c.o";
}
static_assert(first_definition_wins());
TEST_CASE("archive: with duplicate definitions the first member in the archive is chosen") { CHECK(first_definition_wins()); }

// ---- malformed archives ----
using namespace std::string_view_literals;
template <class Img>
constexpr Img copy(Img const& img) { return img; }
template <class Img>
constexpr bool rejected(Img const& img, errc code, archive::ar_field f) {
  auto r = archive::view::parse(img.view());
  return !r && r.code() == code && std::string_view{r.error().type_name} == archive::field_name(f);
}
constexpr bool rejects_malformed() {
  auto const first_member = gnu_plain.find("/0"); // GNU: the first long-name reference header
  auto const a_hdr = gnu_plain.find("a.o/");
  bool ok = true;
  ok = ok && rejected(copy(gnu_index).put(1, 'x'), errc::bad_magic, archive::ar_field::magic);
  ok = ok && rejected(copy(gnu_index).put(0, "!<thin>\n"), errc::bad_magic, archive::ar_field::magic);
  ok = ok && rejected(copy(gnu_index).truncate(5), errc::truncated, archive::ar_field::magic);
  ok = ok && rejected(copy(gnu_plain).put(a_hdr + 58, 'x'), errc::bad_header, archive::ar_field::ar_fmag);
  ok = ok && rejected(copy(gnu_plain).put(a_hdr + 48, 'z'), errc::bad_header, archive::ar_field::ar_size);
  ok = ok && rejected(copy(gnu_plain).put(a_hdr + 48, "999999999"), errc::truncated, archive::ar_field::ar_size);
  ok = ok && rejected(copy(gnu_plain).put(a_hdr + 40, '9'), errc::bad_header, archive::ar_field::ar_mode); // not octal
  ok = ok && rejected(copy(gnu_plain).put(a_hdr + 16, 'x'), errc::bad_header, archive::ar_field::ar_date);
  ok = ok && rejected(copy(gnu_plain).put(a_hdr + 28, '-'), errc::bad_header, archive::ar_field::ar_uid);
  ok = ok && rejected(copy(gnu_plain).put(a_hdr + 34, '-'), errc::bad_header, archive::ar_field::ar_gid);
  ok = ok && rejected(copy(gnu_plain).put(a_hdr, "    "), errc::bad_header, archive::ar_field::ar_name); // empty name
  ok = ok && rejected(copy(gnu_plain).put(first_member, "/9999"), errc::bad_string, archive::ar_field::long_names);
  ok = ok && rejected(copy(gnu_plain).truncate(gnu_plain.length - 3), errc::truncated, archive::ar_field::ar_size);
  ok = ok && first_member != gnu_plain.length && a_hdr != gnu_plain.length;
  // The GNU index: count larger than the index, an offset outside the archive, no terminator.
  ok = ok && rejected(copy(gnu_index).put(8 + 60, "\x00\x00\x10\x00"sv), errc::truncated, archive::ar_field::symbol_index);
  ok = ok && rejected(copy(gnu_index).put(8 + 60 + 4, "\x7f\x00\x00\x00"sv), errc::bad_header, archive::ar_field::symbol_index);
  // The last index name loses its NUL: it would run past the index.
  ok = ok && rejected(copy(gnu_index).put(8 + 60 + 4 + 4 * 5 + 14, 'x'), errc::bad_string, archive::ar_field::symbol_index);
  // The BSD index: a string offset beyond the strings, a member offset beyond the archive.
  ok = ok && rejected(copy(bsd_index).put(8 + 60 + 12 + 4, "\xff\x00\x00\x00"sv), errc::bad_string, archive::ar_field::symbol_index);
  ok = ok && rejected(copy(bsd_index).put(8 + 60 + 12 + 8, "\xff\xff\x00\x00"sv), errc::bad_header, archive::ar_field::symbol_index);
  // A BSD name longer than the member.
  {
    auto bad = bsd_plain;
    ok = ok && rejected(bad.put(8 + 3, "99999"), errc::bad_header, archive::ar_field::ar_name);
  }
  // An index entry pointing at the index itself is not a member.
  auto const v = parsed(gnu_index);
  auto m = v.member_at(8);
  ok = ok && !m && m.code() == errc::bad_header;
  auto out = v.member_at(gnu_index.length + 100);
  ok = ok && !out && out.code() == errc::bad_header;
  return ok;
}
static_assert(rejects_malformed());
TEST_CASE("archive: malformed magic, headers, sizes, names and indexes are rejected naming the field") {
  CHECK(rejects_malformed());
}

// A member that is not ELF is skipped by the scan (ar does not index it); a broken ELF member
// is an error naming the member.
constexpr bool scan_skips_and_names() {
  constexpr std::byte text[4] = {std::byte{'h'}, std::byte{'i'}, std::byte{'!'}, std::byte{'\n'}};
  auto const with_text = build_archive<16384>(ar_style::gnu, false, {{"README", text}, {"c.o", obj_c.view()}});
  auto const n = archive::count_index_entries<E>(parsed(with_text));
  auto broken_elf = obj_c;
  broken_elf.patch(field::e_shentsize, 3);
  auto const broken = build_archive<16384>(ar_style::gnu, false, {{"broken.o", broken_elf.view()}});
  auto const b = archive::count_index_entries<E>(parsed(broken));
  return n && *n == 1 && !b && b.code() == errc::bad_header && b.error().name_view() == "broken.o";
}
static_assert(scan_skips_and_names());
TEST_CASE("archive: the index scan skips non-ELF members and names a broken ELF member") { CHECK(scan_skips_and_names()); }

// ---- run time: load what the closure chose and call across members ----
using host_loader = loader<E, X, host_mmap_allocator, no_exports<8>>;

TEST_CASE("archive: the chosen members link together; d() calls a() calls b()") {
  constexpr no_exports<8> none{};
  for (auto const* img : {&gnu_index, &gnu_plain, &bsd_index, &bsd_plain}) {
    auto const v = parsed(*img);
    std::array<archive::symbol_entry, 8> buf{};
    auto n = archive::build_index<E>(v, buf, el::EM_X86_64);
    REQUIRE(n);
    archive::archive_input const in[1] = {{v, std::span<archive::symbol_entry const>{buf.data(), *n}}};
    std::string_view const roots[1] = {"d"};
    std::array<archive::chosen_member, 4> chosen{};
    auto k = archive::select_members<E>({}, in, roots, chosen, el::EM_X86_64);
    REQUIRE(k);
    REQUIRE(*k == 2 + 1);
    std::array<std::span<std::byte const>, 4> spans{};
    for (std::size_t i = 0; i < *k; ++i) spans[i] = v.data(chosen[i].m);
    host_mmap_allocator alloc;
    host_loader ld{alloc, none};
    auto r = ld.load(std::span<std::span<std::byte const> const>(spans.data(), *k));
    REQUIRE(r);
    CHECK((*r)->function<int()>("d")() == 142);
    CHECK((*r)->function<int()>("a")() == 42);
    CHECK_FALSE((*r)->find("c")); // c.o was not loaded
    ld.unload(*r);
    CHECK(alloc.allocations() == 0);
  }
}

} // namespace
