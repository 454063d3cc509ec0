// tests/loader/source.test.cpp: loading from a non-addressable source (loader/source.hpp,
// loader/host_file_source.hpp). The object is read in blocks — the ELF header, the section header
// table, then one read per section the loader uses — never per symbol or relocation, and
// sections it does not use (debug info and its relocations) are never read. The result must be
// the same extension as a load from memory; bad files get the diagnostics a memory load gives;
// a failing source is errc::read_failed; nothing stays allocated after any failure.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "extload/alloc/host_mmap.hpp"
#include "extload/arch/x86_64.hpp"
#include "extload/loader/host_file_source.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/export_table.hpp"
#include "support/counting_allocator.hpp"
#include "support/elf_builder.hpp"

namespace {

using namespace extload;
using extload::test::bytes;
using extload::test::elf_builder;
using extload::test::size;
using extload::test::undefined;
using X = arch::x86_64;
using E = elf64le;
namespace el = extload::elf;

extern "C" int src_fw_fn(int x) { return x * 3; }
constinit auto const src_exports = make_export_table<8>(export_function<"src_fw_fn", &src_fw_fn>);

using counted = test::counting_allocator<host_mmap_allocator>; // executable, near the test program
using counted_loader = loader<E, X, counted, decltype(src_exports)>;

constexpr std::uint64_t AX = el::SHF_ALLOC | el::SHF_EXECINSTR;
constexpr std::uint64_t AW = el::SHF_ALLOC | el::SHF_WRITE;

// A call to the firmware, data with a pointer to itself, and 3 KiB of debug info with its own
// relocations: what -g leaves in an object, which the loader never needs.
constexpr auto debug_image = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0xe8, 0, 0, 0, 0, 0xc3}, 16)
    .section(".data", el::SHT_PROGBITS, AW, bytes{1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0}, 8)
    .section(".debug_info", el::SHT_PROGBITS, 0, size(3072), 1)
    .section(".comment", el::SHT_PROGBITS, 0, bytes{'x', 0}, 1)
    .symbol("ext_fn", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 6)
    .symbol("ext_data", el::STB_GLOBAL, el::STT_OBJECT, ".data", 0, 16)
    .symbol("src_fw_fn", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {1, "src_fw_fn", X::R_X86_64_PLT32, -4})
    .rela(".data", {8, "ext_data", X::R_X86_64_64, 0})
    .rela(".debug_info", {0, "ext_fn", X::R_X86_64_64, 0})
    .rela(".debug_info", {8, "ext_data", X::R_X86_64_64, 0})
    .build<8192>();

// A source that fails its n-th read.
struct failing_source {
  memory_source inner;
  std::uint32_t fail_at;
  std::uint32_t calls = 0;
  std::uint64_t size() const noexcept { return inner.size(); }
  bool read(std::uint64_t off, std::span<std::byte> out) noexcept { return ++calls != fail_at && inner.read(off, out); }
};
static_assert(byte_source<failing_source>);

} // namespace

TEST_CASE("source: the object is read in blocks, unused sections never, and links as from memory") {
  counted alloc;
  counted_loader ld{alloc, src_exports};
  memory_source src{debug_image.view()};
  counted_loader::report_type rep;
  auto r = ld.load_from(src, {}, &rep);
  REQUIRE(r.has_value());
  // ELF header, section table, then .text .rela.text .data .rela.data .symtab .strtab .shstrtab:
  // one read each. .debug_info (3 KiB), .rela.debug_info and .comment are never read.
  CHECK(src.reads() == 9);
  CHECK(src.bytes_read() < debug_image.size() - 3072);
  CHECK(rep.relocations == 2); // the debug relocations are not even counted
  extension* ext = *r;
  auto* fn = ext->function<int(int)>("ext_fn");
  REQUIRE((fn != nullptr));
#if defined(__x86_64__) // the image is x86-64 code: run it only there (cross builds link it too)
  CHECK(fn(5) == 15);
#endif
  auto* data = ext->object<std::uint64_t>("ext_data");
  REQUIRE(data != nullptr);
  CHECK(data[1] == reinterpret_cast<std::uintptr_t>(data));
  // Code and data went straight into the extension: the compact copy holds neither.
  {
    auto img = read_object<E>(src, alloc);
    REQUIRE(img.has_value());
    std::span<std::byte const> const copy{img->data(), img->size()};
    auto const data_bytes = debug_image.view().subspan(static_cast<std::size_t>(debug_image.get_section(".data", field::sh_offset)), 8);
    CHECK(std::search(copy.begin(), copy.end(), data_bytes.begin(), data_bytes.end()) == copy.end());
    auto v = object_view<E>::parse(copy, el::EM_X86_64, {}, true);
    REQUIRE(v.has_value());
    CHECK(v->section_bytes(debug_image.section_index(".text")).empty());
    CHECK(v->contents_elsewhere(debug_image.section_index(".data")));
    CHECK(img->size() < debug_image.size() / 2);
    alloc.free_metadata(img->data(), img->size());
  }
  // Only the extension itself stays allocated: the compact copy is gone.
  std::size_t const live = alloc.live_blocks();
  ld.unload(ext);
  CHECK(alloc.live_blocks() == 0);

  // The same object from memory: the same sections, at the same sizes.
  auto m = ld.load(debug_image.view());
  REQUIRE(m.has_value());
  CHECK(alloc.live_blocks() == live);
  CHECK((*m)->sections().size() == 2);
  CHECK((*m)->find_section(".debug_info") == nullptr);
  ld.unload(*m);
}

TEST_CASE("source: bad files get the diagnostics a memory load gives; nothing stays allocated") {
  counted alloc;
  counted_loader ld{alloc, src_exports};
  auto both = [&](std::span<std::byte const> image) {
    memory_source src{image};
    auto a = ld.load_from(src);
    auto b = ld.load(image);
    REQUIRE_FALSE(a.has_value());
    REQUIRE_FALSE(b.has_value());
    CHECK(alloc.live_blocks() == 0);
    return std::pair{a.error(), b.error()};
  };
  auto same = [](std::pair<diagnostic, diagnostic> const& p) {
    CHECK(p.first.code == p.second.code);
    CHECK(p.first.what == p.second.what);
    CHECK(p.first.section == p.second.section);
    CHECK(p.first.value == p.second.value);
  };
  std::uint32_t const text = debug_image.section_index(".text");
  std::uint32_t const data = debug_image.section_index(".data");
  // Too short for an ELF header; wrong magic; wrong class.
  same(both(debug_image.view().first(10)));
  same(both(debug_image.view().first(40)));
  { auto img = debug_image; img.patch_ident(1, 'X'); same(both(img.view())); }
  { auto img = debug_image; img.patch_ident(el::EI_CLASS, 1); same(both(img.view())); }
  // The section table past the end of the file; a section past the end of the file.
  same(both(debug_image.view().first(debug_image.size() - 8)));
  { auto img = debug_image; img.patch_section(text, field::sh_size, debug_image.size()); same(both(img.view())); }
  // Two sections sharing bytes; a section inside the ELF header.
  { auto img = debug_image; img.patch_section(data, field::sh_offset, img.get_section(text, field::sh_offset)); same(both(img.view())); }
  { auto img = debug_image; img.patch_section(text, field::sh_offset, 8); same(both(img.view())); }
  // Checks left to parse() on the compact image: a bad e_shstrndx, a bad link.
  { auto img = debug_image; img.patch(field::e_shstrndx, 200); same(both(img.view())); }
  { auto img = debug_image; img.patch_section(debug_image.section_index(".rela.text"), field::sh_info, 0); same(both(img.view())); }
}

TEST_CASE("source: a read that fails is errc::read_failed, at every read, with nothing allocated") {
  for (std::uint32_t n = 1; n <= 9; ++n) {
    INFO("failing read ", n);
    counted alloc;
    counted_loader ld{alloc, src_exports};
    failing_source src{memory_source{debug_image.view()}, n};
    auto r = ld.load_from(src);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::read_failed);
    CHECK(alloc.live_blocks() == 0);
    CHECK(alloc.bad_releases() == 0);
  }
  // Out of memory for the compact copy (the first metadata allocation is the section table).
  for (std::uint64_t k = 1; k <= 2; ++k) {
    counted alloc;
    counted_loader ld{alloc, src_exports};
    memory_source src{debug_image.view()};
    alloc.fail_at(k);
    auto r = ld.load_from(src);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::out_of_memory);
    CHECK(alloc.live_blocks() == 0);
  }
}

TEST_CASE("source: host_file_source reads a file with pread, in blocks") {
  std::string const path = "extload_source_test.o";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    CHECK(std::fwrite(debug_image.view().data(), 1, debug_image.size(), f) == debug_image.size());
    std::fclose(f);
  }
  counted alloc;
  counted_loader ld{alloc, src_exports};
  host_file_source file{path};
  REQUIRE(file.is_open());
  CHECK(file.size() == debug_image.size());
  auto r = ld.load_from(file);
  REQUIRE(r.has_value());
  CHECK(file.reads() == 9);
#if defined(__x86_64__)
  CHECK((*r)->function<int(int)>("ext_fn")(7) == 21);
#endif
  ld.unload(*r);
  CHECK(alloc.live_blocks() == 0);
  std::remove(path.c_str());
  host_file_source missing{"extload_source_test.does-not-exist"};
  CHECK_FALSE(missing.is_open());
}
