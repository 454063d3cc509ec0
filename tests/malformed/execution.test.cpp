// tests/malformed/execution.test.cpp: MALFORMED.md classes 37-39, execution-safety semantics:
// init/fini/preinit arrays whose entries do not point at loaded code, functions outside the
// executable region, and variable-length records (.exported_sym name strings, notes). Nothing
// here is executed: constructors are inspected, never run.
#include <cstdint>

#include "malformed/harness.hpp"

namespace {

using namespace extload;
using namespace extload::test;
using namespace extload::test::malformed;

template <class F>
constexpr std::uint64_t W = F::elf_class_type::word_size;

// Sections 1-5 as in the base image, 6 .init_array (1 entry), 7 .rel[a].text, 8 .rel[a].data,
// 9 .rel[a].init_array, 10 .symtab ...
inline constexpr std::uint32_t init = 6, rel_init = 9;
template <class F>
constexpr image<F> ctor(char const* target) {
  auto b = base_builder<F>();
  b.init_array(1);
  add_reloc(b, ".init_array", {0, target, abs_word<F>, 0});
  return b.template build<capacity>();
}

// --- 37. init / fini arrays ----------------------------------------------------------------------
// Entry size and size are checked at parse level (sections.test.cpp, class 17). An array whose
// entries point at loaded code loads; the entries are what bring_up() would call.
TEST_CASE("malformed: 37 a constructor pointing at loaded code is accepted and listed") {
  std::uint64_t entry = 0, text = 0;
  auto const o = try_load(ctor<elf64le>("ext_fn").view(), {}, resolve_all, 0, [&](extension& e) {
    REQUIRE(e.constructors().size() == 1);
    entry = e.constructors()[0];
    text = e.find_section(".text")->address;
  });
  CHECK(o.loaded());
  CHECK(entry == text);
}

// An init/fini/preinit entry that after relocation points outside the extension's text (at data,
// or at a literal address) is bad_section at the array, relocation = the entry's index, value =
// the address: bring_up() would call it. Checked once the entries are relocated (late).
template <class F, class Check>
constexpr bool c37_ctor_target(Check const& c) {
  image<F> literal = ctor<F>("ext_fn");                 // no relocation, a literal address
  literal.patch_relocation(rel_init, 0, field::r_type, 0);
  literal.patch_word(literal.data_offset(init), 0x1234);
  want const w{errc::bad_section, field::none, init, no_index, 0};
  return c.late()(ctor<F>("ext_obj"), loader_only<Check>(w)) // a data object
      && c.late()(literal, loader_only<Check>(w));
}
EXTLOAD_MALFORMED_CASE(c37_ctor_target, "37 init array entries that do not point into the loaded text")

// --- 38. entry points / exported functions ---------------------------------------------------------
// An ET_REL has no entry point: e_entry is never read (header.test.cpp, class 11).
// An STT_FUNC symbol defined in a section without SHF_EXECINSTR would be exported as a function
// (extension::function<F>() returning a pointer into data): bad_symbol/st_info + section + symbol.
template <class F, class Check>
constexpr bool c38_function_in_data(Check const& c) {
  image<F> img = base_img<F>;
  std::uint8_t const global_func = (elf::STB_GLOBAL << 4) | elf::STT_FUNC;
  img.patch_symbol(idx::ext_obj, field::st_info, global_func);
  return c(img, {errc::bad_symbol, field::st_info, idx::data, idx::ext_obj, no_index, global_func});
}
EXTLOAD_MALFORMED_CASE(c38_function_in_data, "38 a function symbol defined in a non-executable section")

// --- 39. variable-length records ----------------------------------------------------------------
// .exported_sym: pairs of words {name address, symbol address} (LLEXT's llext_symbol).
// Sections 1-5 as in the base image, 6 .rodata.str "name\0", 7 .exported_sym, then relocations.
inline constexpr std::uint32_t exported = 7;
template <class F>
constexpr image<F> exported_sym(char const* name_target, std::uint64_t entries = 1) {
  auto b = base_builder<F>();
  b.section(".rodata.str", elf::SHT_PROGBITS, A, bytes{'n', 'a', 'm', 'e', 0}, 1)
      .section(".exported_sym", elf::SHT_PROGBITS, A, size(entries * 2 * W<F>), W<F>)
      .section_symbol(".rodata.str");
  if (name_target == nullptr) add_reloc(b, ".exported_sym", {0, section_sym{".rodata.str"}, abs_word<F>, 0});
  else add_reloc(b, ".exported_sym", {0, name_target, abs_word<F>, 0});
  add_reloc(b, ".exported_sym", {W<F>, "ext_fn", abs_word<F>, 0});
  return b.template build<capacity>();
}
TEST_CASE("malformed: 39 a well-formed .exported_sym entry is exported under its name") {
  auto const o = try_load(exported_sym<elf64le>(nullptr).view(), {}, resolve_all, 0, [&](extension& e) {
    CHECK(e.find("name"));
    CHECK(e.find("name").address == e.find("ext_fn").address);
  });
  CHECK(o.loaded());
}

// An .exported_sym entry whose name pointer is outside the extension (here: an import) is
// bad_section at the section, relocation = the entry's index (the name is not silently ""); a
// size that is not a whole number of entries is bad_section/sh_size (no tail is dropped).
template <class F, class Check>
constexpr bool c39_exported_sym(Check const& c) {
  image<F> ragged = exported_sym<F>(nullptr, 2); // two entries' room, cut to one and a half:
  ragged.patch_section(exported, field::sh_size, 3 * W<F>); // shrunk, so no file overlap (class 20)
  return c.late()(exported_sym<F>("imp_data"), loader_only<Check>({errc::bad_section, field::none, exported, no_index, 0}))
      && c.late()(ragged, loader_only<Check>({errc::bad_section, field::sh_size, exported, no_index, no_index, static_cast<std::int64_t>(3 * W<F>)}));
}
EXTLOAD_MALFORMED_CASE(c39_exported_sym, "39 .exported_sym names outside the extension, or a partial entry")

// Notes, .modinfo-like records, version records are not walked by the loader: a note with a huge
// namesz/descsz is never read (and so cannot make it loop or over-read).
template <class F, class Check>
constexpr bool c39_notes(Check const& c) {
  auto b = base_builder<F>();
  b.section(".note.x", elf::SHT_NOTE, 0, bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, 4)
      .section(".note.alloc", elf::SHT_NOTE, A, bytes{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, 4);
  return c(b.template build<capacity>(), accepted);
}
EXTLOAD_MALFORMED_CASE(c39_notes, "39 notes with huge or zero namesz/descsz are never walked")

} // namespace
