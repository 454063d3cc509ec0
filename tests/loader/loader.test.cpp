// tests/loader/loader.test.cpp: the ET_REL linker on small images made by the constexpr ELF
// builder: placement and alignment, per-symbol resolution (firmware table by name and by SLID,
// the link's own definitions, weak undefined, commons), COMDAT selection across objects,
// GOT and PLT stubs, narrowed relocation sets, constructor order, .exported_sym, and the exact
// diagnostic of each failure — with nothing left allocated after a failed load.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "extload/alloc/host_mmap.hpp"
#include "extload/alloc/prelink.hpp"
#include "extload/alloc/static_arena.hpp"
#include "extload/arch/x86_64.hpp"
#include "extload/describe.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/export_table.hpp"
#include "support/elf_builder.hpp"

namespace {

using namespace extload;
using extload::test::elf_builder;
using extload::test::bytes;
using extload::test::size;
using extload::test::undefined;
using extload::test::common;
using extload::test::absolute;
using extload::test::section_sym;
using X = arch::x86_64;
using E = elf64le;
namespace el = extload::elf;

extern "C" int fw_fn(int x) { return x + 1; }
extern "C" { int fw_data = 7; }

constinit auto const fw_exports =
    make_export_table<8>(export_function<"fw_fn", &fw_fn>, export_object<"fw_data", &fw_data>);

// Firmware-style memory: a static arena in .bss, so it is within ±2 GiB of the test binary.
using arena = static_arena<256 * 1024>;
arena g_arena;
using arena_loader = loader<E, X, arena, decltype(fw_exports)>;

constexpr std::uint64_t AX = el::SHF_ALLOC | el::SHF_EXECINSTR;
constexpr std::uint64_t AW = el::SHF_ALLOC | el::SHF_WRITE;

std::uint32_t read32(std::byte const* p) { return load_at<std::uint32_t, std::endian::little>(p); }
std::uint64_t read64(std::byte const* p) { return load_at<std::uint64_t, std::endian::little>(p); }

std::string text_of(diagnostic const& d) {
  char buf[256];
  describe(d, buf);
  return buf;
}

// The image under test: a call to a firmware function (PLT32), a PC32 load of firmware data,
// an absolute pointer to local data, .bss, and an exported function.
constexpr auto basic_image = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0xe8, 0, 0, 0, 0, 0x8b, 0x05, 0, 0, 0, 0, 0xc3}, 16)
    .section(".data", el::SHT_PROGBITS, AW, size(16), 8)
    .section(".bss", el::SHT_NOBITS, AW, size(64), 32)
    .symbol("local_data", el::STB_LOCAL, el::STT_OBJECT, ".data", 8, 8)
    .symbol("ext_fn", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 12)
    .symbol("ext_buf", el::STB_GLOBAL, el::STT_OBJECT, ".bss", 0, 64)
    .symbol("fw_fn", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .symbol("fw_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .rela(".text", {1, "fw_fn", X::R_X86_64_PLT32, -4})
    .rela(".text", {7, "fw_data", X::R_X86_64_PC32, -4})
    .rela(".data", {0, "local_data", X::R_X86_64_64, 0})
    .build();

} // namespace

TEST_CASE("loader: places sections by kind, resolves imports once, applies PLT32/PC32/64") {
  arena_loader ld{g_arena, fw_exports};
  arena_loader::report_type rep;
  auto r = ld.load(basic_image.view(), {}, &rep);
  INFO(text_of(r.error()));
  REQUIRE(r.has_value());
  extension* ext = *r;
  auto const& g = ext->regions();
  CHECK(g.size[static_cast<int>(region::text)] >= 12);
  CHECK(address_of(g.base[static_cast<int>(region::text)]) % 16 == 0);
  CHECK(address_of(g.base[static_cast<int>(region::bss)]) % 32 == 0);
  std::byte const* text = g.base[static_cast<int>(region::text)];
  std::uint64_t const text_addr = address_of(text);
  // PLT32: S + A - P where S is the firmware function (or its PLT stub when out of reach).
  auto const call = static_cast<std::int32_t>(read32(text + 1));
  std::uint64_t const callee = text_addr + 5 + static_cast<std::uint64_t>(static_cast<std::int64_t>(call));
  CHECK((callee == address_of(reinterpret_cast<void const*>(&fw_fn)) || rep.veneer_uses == 1));
  // PC32 against firmware data: exact, since the arena is near the data.
  auto const load = static_cast<std::int32_t>(read32(text + 7));
  CHECK(text_addr + 11 + static_cast<std::uint64_t>(static_cast<std::int64_t>(load)) == address_of(&fw_data));
  // 64: pointer to local_data (.data + 8).
  std::byte const* data = g.base[static_cast<int>(region::data)];
  CHECK(read64(data) == address_of(data) + 8);
  // Exports and the report.
  CHECK(ext->find("ext_fn").address == text_addr);
  CHECK(ext->find("ext_buf").address == address_of(g.base[static_cast<int>(region::bss)]));
  CHECK_FALSE(ext->find("local_data"));
  CHECK(rep.imports_firmware == 2);
  CHECK(rep.relocations == 3);
  CHECK(rep.by_type[X::index_of(X::R_X86_64_PLT32)] == 1);
  CHECK(rep.by_type[X::index_of(X::R_X86_64_PC32)] == 1);
  CHECK(rep.by_type[X::index_of(X::R_X86_64_64)] == 1);
  ld.unload(ext);
  CHECK(g_arena.bytes_in_use() == 0);
}

#if defined(__x86_64__) // the image holds x86-64 machine code
TEST_CASE("loader: runs loaded code from W^X host memory") {
  // mov eax, 42; ret — and a call through the exported pointer.
  constexpr auto img = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, bytes{0xb8, 42, 0, 0, 0, 0xc3}, 16)
      .symbol("answer", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 6)
      .build();
  host_mmap_allocator mem;
  loader<E, X, host_mmap_allocator, decltype(fw_exports)> ld{mem, fw_exports};
  auto r = ld.load(img.view());
  REQUIRE(r.has_value());
  auto* answer = (*r)->function<int()>("answer");
  bool const have_answer = answer != nullptr;
  REQUIRE(have_answer);
  CHECK(answer() == 42);
  ld.unload(*r);
  CHECK(mem.bytes_in_use() == 0);
}
#endif

TEST_CASE("loader: a narrowed relocation set rejects other types by number and name") {
  using only_abs = arch::narrow<X, X::R_X86_64_64>;
  static_assert(only_abs::type_count == 1);
  loader<E, only_abs, arena, decltype(fw_exports)> ld{g_arena, fw_exports};
  auto r = ld.load(basic_image.view());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::unknown_relocation);
  CHECK(r.error().type == X::R_X86_64_PLT32);
  CHECK(r.error().relocation == 0);
  CHECK(r.error().name_view() == "fw_fn");
  CHECK(g_arena.bytes_in_use() == 0);
}

TEST_CASE("loader: an undefined symbol names itself, and nothing stays allocated") {
  constexpr auto img = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, bytes{0xe8, 0, 0, 0, 0}, 4)
      .symbol("nowhere", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
      .rela(".text", {1, "nowhere", X::R_X86_64_PLT32, -4})
      .build();
  arena_loader ld{g_arena, fw_exports};
  auto r = ld.load(img.view());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::undefined_symbol);
  CHECK(r.error().name_view() == "nowhere");
  CHECK(r.error().object == 0);
  CHECK(text_of(r.error()) == "object 0: symbol 1 'nowhere': undefined symbol (st_name)");
  CHECK(g_arena.bytes_in_use() == 0);
}

TEST_CASE("loader: weak undefined resolves to 0; SLID-carrying imports link by SLID") {
  constexpr std::uint64_t fw_fn_slid = slid_v<8, "fw_fn">;
  auto img = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".data", el::SHT_PROGBITS, AW, size(16), 8)
      .symbol("maybe", el::STB_WEAK, el::STT_NOTYPE, undefined)
      .symbol("imported_by_slid", el::STB_GLOBAL, el::STT_NOTYPE, undefined, fw_fn_slid)
      .rela(".data", {0, "maybe", X::R_X86_64_64, 5})
      .rela(".data", {8, "imported_by_slid", X::R_X86_64_64, 0})
      .build();
  arena_loader ld{g_arena, fw_exports};
  arena_loader::report_type rep;
  auto r = ld.load(img.view(), {}, &rep);
  INFO(text_of(r.error()));
  REQUIRE(r.has_value());
  std::byte const* data = (*r)->regions().base[static_cast<int>(region::data)];
  CHECK(read64(data) == 5);
  CHECK(read64(data + 8) == address_of(reinterpret_cast<void const*>(&fw_fn)));
  CHECK(rep.imports_weak_zero == 1);
  CHECK(rep.imports_by_slid == 1);
  ld.unload(*r);
}

TEST_CASE("loader: COMDAT groups keep one copy across objects; symbols resolve between objects") {
  // Both objects define the inline function `shared` in a COMDAT group "shared"; b calls a's
  // `only_in_a`. After linking, both references point at the first object's copy.
  constexpr auto a = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text.shared", el::SHT_PROGBITS, AX, bytes{0xc3, 0x90, 0x90, 0x90}, 4)
      .section(".text", el::SHT_PROGBITS, AX, bytes{0xc3}, 4)
      .section(".data", el::SHT_PROGBITS, AW, size(8), 8)
      .symbol("shared", el::STB_WEAK, el::STT_FUNC, ".text.shared", 0, 1)
      .symbol("only_in_a", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 1)
      .group(".group", "shared", {".text.shared"})
      .rela(".data", {0, "shared", X::R_X86_64_64, 0})
      .build();
  constexpr auto b = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text.shared", el::SHT_PROGBITS, AX, bytes{0xc3, 0xcc, 0xcc, 0xcc}, 4)
      .section(".data", el::SHT_PROGBITS, AW, size(16), 8)
      .symbol("shared", el::STB_WEAK, el::STT_FUNC, ".text.shared", 0, 1)
      .symbol("only_in_a", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
      .group(".group", "shared", {".text.shared"})
      .rela(".data", {0, "shared", X::R_X86_64_64, 0})
      .rela(".data", {8, "only_in_a", X::R_X86_64_64, 0})
      .build();
  std::array<std::span<std::byte const>, 2> objs{a.view(), b.view()};
  arena_loader ld{g_arena, fw_exports};
  arena_loader::report_type rep;
  auto r = ld.load(std::span<std::span<std::byte const> const>(objs), {}, &rep);
  INFO(text_of(r.error()));
  REQUIRE(r.has_value());
  extension* ext = *r;
  CHECK(rep.comdat_groups_discarded == 1);
  CHECK(rep.imports_internal == 1);
  std::uint64_t const shared = ext->find("shared").address;
  std::byte const* text = ext->regions().base[static_cast<int>(region::text)];
  CHECK(shared == address_of(text)); // a's copy comes first
  std::byte const* data = ext->regions().base[static_cast<int>(region::data)];
  CHECK(read64(data) == shared);      // a's reference
  CHECK(read64(data + 8) == shared);  // b's reference, to the kept copy
  CHECK(read64(data + 16) == ext->find("only_in_a").address);
  // Only one copy of the group's section was placed: a's .text.shared (4) + .text (1).
  CHECK(ext->regions().size[static_cast<int>(region::text)] == 5);
  ld.unload(ext);
  CHECK(g_arena.bytes_in_use() == 0);
}

TEST_CASE("loader: two strong definitions of one global are an error naming it") {
  constexpr auto a = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, bytes{0xc3}, 1)
      .symbol("twice", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 1)
      .build();
  std::array<std::span<std::byte const>, 2> objs{a.view(), a.view()};
  arena_loader ld{g_arena, fw_exports};
  auto r = ld.load(std::span<std::span<std::byte const> const>(objs));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::duplicate_symbol);
  CHECK(r.error().name_view() == "twice");
  CHECK(r.error().object == 1);
  CHECK(g_arena.bytes_in_use() == 0);
}

TEST_CASE("loader: common symbols merge to the largest size and alignment, in .bss") {
  constexpr auto a = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".data", el::SHT_PROGBITS, AW, size(8), 8)
      .symbol("buf", el::STB_GLOBAL, el::STT_OBJECT, common, 8, 16)
      .rela(".data", {0, "buf", X::R_X86_64_64, 0})
      .build();
  constexpr auto b = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".data", el::SHT_PROGBITS, AW, size(8), 8)
      .symbol("buf", el::STB_GLOBAL, el::STT_OBJECT, common, 64, 40)
      .rela(".data", {0, "buf", X::R_X86_64_64, 0})
      .build();
  std::array<std::span<std::byte const>, 2> objs{a.view(), b.view()};
  arena_loader ld{g_arena, fw_exports};
  arena_loader::report_type rep;
  auto r = ld.load(std::span<std::span<std::byte const> const>(objs), {}, &rep);
  INFO(text_of(r.error()));
  REQUIRE(r.has_value());
  auto const& g = (*r)->regions();
  std::uint64_t const buf = (*r)->find("buf").address;
  CHECK(rep.common_symbols == 1);
  CHECK(buf % 64 == 0);
  CHECK(buf == address_of(g.base[static_cast<int>(region::bss)]));
  CHECK(g.size[static_cast<int>(region::bss)] >= 40);
  CHECK(read64(g.base[static_cast<int>(region::data)]) == buf);
  CHECK(read64(g.base[static_cast<int>(region::data)] + 8) == buf);
  ld.unload(*r);
}

TEST_CASE("loader: several NOBITS sections and 4 KiB alignment") {
  constexpr auto img = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".bss.a", el::SHT_NOBITS, AW, size(10), 1)
      .section(".bss.page", el::SHT_NOBITS, AW, size(100), 4096)
      .section(".bss.c", el::SHT_NOBITS, AW, size(3), 2)
      .section(".rodata.page", el::SHT_PROGBITS, el::SHF_ALLOC, bytes{1, 2, 3}, 4096)
      .symbol("page_bss", el::STB_GLOBAL, el::STT_OBJECT, ".bss.page", 0, 100)
      .symbol("c_bss", el::STB_GLOBAL, el::STT_OBJECT, ".bss.c", 0, 3)
      .symbol("page_ro", el::STB_GLOBAL, el::STT_OBJECT, ".rodata.page", 0, 3)
      .build();
  arena_loader ld{g_arena, fw_exports};
  auto r = ld.load(img.view());
  INFO(text_of(r.error()));
  REQUIRE(r.has_value());
  extension* ext = *r;
  CHECK(ext->find("page_bss").address % 4096 == 0);
  CHECK(ext->find("page_ro").address % 4096 == 0);
  CHECK(ext->find("c_bss").address % 2 == 0);
  CHECK(ext->find("c_bss").address >= ext->find("page_bss").address + 100);
  auto const* ro = address_to_object<std::uint8_t const>(ext->find("page_ro").address);
  CHECK(ro[2] == 3);
  ld.unload(ext);
}

TEST_CASE("loader: constructors run by priority, .ctors reversed; destructors mirror them") {
  // Three init sections: .init_array.00200 {f2}, .init_array {f3, f4}, .init_array.00100 {f1};
  // .ctors {c2, c1} (runs c1 then c2, after all init_array of default priority? no: .ctors has
  // default priority too; init_array entries of a priority run before .ctors of the same).
  constexpr auto img = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, bytes{0xc3, 0xc3, 0xc3, 0xc3, 0xc3, 0xc3, 0xc3, 0xc3}, 1)
      .init_array(1, ".init_array.00200")
      .init_array(2, ".init_array")
      .init_array(1, ".init_array.00100")
      .section(".ctors", el::SHT_PROGBITS, AW, size(16), 8)
      .fini_array(2, ".fini_array")
      .section_symbol(".text")
      .rela(".init_array.00200", {0, section_sym{".text"}, X::R_X86_64_64, 2})
      .rela(".init_array", {0, section_sym{".text"}, X::R_X86_64_64, 3})
      .rela(".init_array", {8, section_sym{".text"}, X::R_X86_64_64, 4})
      .rela(".init_array.00100", {0, section_sym{".text"}, X::R_X86_64_64, 1})
      .rela(".ctors", {0, section_sym{".text"}, X::R_X86_64_64, 6})
      .rela(".ctors", {8, section_sym{".text"}, X::R_X86_64_64, 5})
      .rela(".fini_array", {0, section_sym{".text"}, X::R_X86_64_64, 7})
      .rela(".fini_array", {8, section_sym{".text"}, X::R_X86_64_64, 0})
      .build();
  arena_loader ld{g_arena, fw_exports};
  auto r = ld.load(img.view());
  INFO(text_of(r.error()));
  REQUIRE(r.has_value());
  std::uint64_t const t = address_of((*r)->regions().base[static_cast<int>(region::text)]);
  auto const ctors = (*r)->constructors();
  REQUIRE(ctors.size() == 6);
  std::uint64_t const expect_ctors[] = {t + 1, t + 2, t + 3, t + 4, t + 5, t + 6};
  for (std::size_t i = 0; i < 6; ++i) CHECK(ctors[i] == expect_ctors[i]);
  auto const dtors = (*r)->destructors();
  REQUIRE(dtors.size() == 2);
  CHECK(dtors[0] == t + 0); // fini_array runs last entry first
  CHECK(dtors[1] == t + 7);
  ld.unload(*r);
}

TEST_CASE("loader: .exported_sym entries are exported under their own names") {
  // { "alias", &target } as LL_EXTENSION_SYMBOL emits it: two relocated words.
  constexpr auto img = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, bytes{0xc3, 0xc3}, 1)
      .section(".rodata.str", el::SHT_PROGBITS, el::SHF_ALLOC, bytes{'a', 'l', 'i', 'a', 's', 0}, 1)
      .section(".exported_sym", el::SHT_PROGBITS, el::SHF_ALLOC, size(16), 8)
      .symbol("target", el::STB_LOCAL, el::STT_FUNC, ".text", 1, 1)
      .section_symbol(".rodata.str")
      .rela(".exported_sym", {0, section_sym{".rodata.str"}, X::R_X86_64_64, 0})
      .rela(".exported_sym", {8, "target", X::R_X86_64_64, 0})
      .build();
  arena_loader ld{g_arena, fw_exports};
  auto r = ld.load(img.view());
  INFO(text_of(r.error()));
  REQUIRE(r.has_value());
  CHECK((*r)->find("alias").address == address_of((*r)->regions().base[static_cast<int>(region::text)]) + 1);
  CHECK_FALSE((*r)->find("target"));
  ld.unload(*r);
}

TEST_CASE("loader: relocation errors carry the relocation, type, symbol, value and interval") {
  // PC8 to a symbol 200 bytes further in the same section: out of range, reported lld-style.
  constexpr auto far = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, size(256), 4)
      .symbol("far_away", el::STB_LOCAL, el::STT_NOTYPE, ".text", 200)
      .rela(".text", {0, "far_away", X::R_X86_64_PC8, 0})
      .build();
  arena_loader ld{g_arena, fw_exports};
  auto r = ld.load(far.view());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::relocation_overflow);
  CHECK(r.error().type == X::R_X86_64_PC8);
  REQUIRE(r.error().type_name != nullptr);
  CHECK(std::string_view{r.error().type_name} == "R_X86_64_PC8");
  CHECK(r.error().section == 1);
  CHECK(r.error().relocation == 0);
  CHECK(r.error().value == 200);
  CHECK(r.error().min == -128);
  CHECK(r.error().max == 127);
  CHECK(r.error().name_view() == "far_away");
  CHECK(text_of(r.error()) == "object 0: section 1: relocation 0 (R_X86_64_PC8) against 'far_away': relocation out of range: 0xc8 is not in [-128, 127]");
  CHECK(g_arena.bytes_in_use() == 0);

  // PC32 to an absolute address 128 TiB away: no placement reaches it, and the error says so
  // before anything is allocated.
  constexpr auto unreachable = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, size(8), 4)
      .symbol("far_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
      .rela(".text", {0, "far_data", X::R_X86_64_PC32, 0})
      .build();
  load_options far_data;
  far_data.fallback = {[](void*, byte_string) { return found_symbol{0x7fff'0000'0000, true, symbol_kind::object}; }, nullptr};
  auto ru = ld.load(unreachable.view(), far_data);
  REQUIRE_FALSE(ru.has_value());
  CHECK(ru.error().code == errc::out_of_reach);
  CHECK(ru.error().name_view() == "far_data");
  CHECK(g_arena.bytes_in_use() == 0);

  // r_offset past the end of the section.
  auto past = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, size(8), 4)
      .symbol("fw_fn", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
      .rela(".text", {5, "fw_fn", X::R_X86_64_PC32, 0})
      .build();
  auto r2 = ld.load(past.view());
  REQUIRE_FALSE(r2.has_value());
  CHECK(r2.error().code == errc::bad_relocation);
  CHECK(r2.error().what == field::r_offset);
  CHECK(r2.error().value == 5);
  CHECK(g_arena.bytes_in_use() == 0);

  // TLS is rejected by name with the symbol.
  auto tls = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, size(8), 4)
      .symbol("tls_var", el::STB_GLOBAL, el::STT_TLS, undefined)
      .rela(".text", {0, "tls_var", X::R_X86_64_GOTTPOFF, -4})
      .build();
  arena_loader ld2{g_arena, fw_exports};
  load_options opt;
  opt.fallback = {[](void*, byte_string) { return found_symbol{0x1000, true, symbol_kind::object}; }, nullptr};
  auto r3 = ld2.load(tls.view(), opt);
  REQUIRE_FALSE(r3.has_value());
  CHECK(r3.error().code == errc::unsupported_relocation);
  REQUIRE(r3.error().type_name != nullptr);
  CHECK(std::string_view{r3.error().type_name} == "R_X86_64_GOTTPOFF");
  CHECK(r3.error().name_view() == "tls_var");

  // A symbol index past the symbol table.
  auto bad_sym = past;
  bad_sym.patch_relocation(".rela.text", 0, field::r_info, (std::uint64_t{999} << 32) | X::R_X86_64_PC32);
  auto r4 = ld.load(bad_sym.view());
  REQUIRE_FALSE(r4.has_value());
  CHECK(r4.error().code == errc::bad_relocation);
  CHECK(r4.error().what == field::r_sym);
  CHECK(r4.error().value == 999);
  CHECK(g_arena.bytes_in_use() == 0);
}

TEST_CASE("loader: GOT slots are synthesized for GOTPCRELX; PLT stubs for far calls") {
  // mov fw_data@GOTPCREL(%rip), %rax ; call far_fn@PLT — far_fn is 64 TiB away.
  constexpr auto img = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, bytes{0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0}, 16)
      .symbol("fw_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
      .symbol("far_fn", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
      .rela(".text", {3, "fw_data", X::R_X86_64_REX_GOTPCRELX, -4})
      .rela(".text", {8, "far_fn", X::R_X86_64_PLT32, -4})
      .build();
  arena_loader ld{g_arena, fw_exports};
  load_options opt;
  opt.fallback = {[](void*, byte_string n) {
    return n == "far_fn" ? found_symbol{0x4000'0000'0000, true, symbol_kind::function} : found_symbol{};
  }, nullptr};
  arena_loader::report_type rep;
  auto r = ld.load(img.view(), opt, &rep);
  INFO(text_of(r.error()));
  REQUIRE(r.has_value());
  CHECK(rep.got_slots == 1);
  CHECK(rep.veneers == 1);
  CHECK(rep.veneer_uses == 1);
  std::byte const* text = (*r)->regions().base[static_cast<int>(region::text)];
  std::uint64_t const t = address_of(text);
  // The GOT slot holds &fw_data.
  std::uint64_t const slot = t + 7 + static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(read32(text + 3))));
  CHECK(read64(address_to_object<std::byte const>(slot)) == address_of(&fw_data));
  // The call goes to a stub `jmp *0(%rip); .quad far_fn`.
  std::uint64_t const stub = t + 12 + static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(read32(text + 8))));
  auto const* s = address_to_object<std::byte const>(stub);
  CHECK(s[0] == std::byte{0xff});
  CHECK(s[1] == std::byte{0x25});
  CHECK(read64(s + 6) == 0x4000'0000'0000);
  ld.unload(*r);
}

TEST_CASE("loader: limits are enforced before allocation") {
  limits lim;
  lim.max_symbols = 5;
  arena_loader ld{g_arena, fw_exports, lim};
  auto r = ld.load(basic_image.view()); // 6 symbols including the null one
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::limit_exceeded);
  CHECK(r.error().max == 5);
  CHECK(g_arena.bytes_in_use() == 0);
  lim.max_symbols = 6;
  arena_loader ld_ok{g_arena, fw_exports, lim};
  auto ok = ld_ok.load(basic_image.view());
  CHECK(ok.has_value());
  if (ok) ld_ok.unload(*ok);
}

TEST_CASE("loader: loaded sections are listed with name, index, address and size") {
  arena_loader ld{g_arena, fw_exports};
  auto r = ld.load(basic_image.view());
  REQUIRE(r.has_value());
  extension const* ext = *r;
  CHECK(ext->sections().size() == 3);
  auto const* text = ext->find_section(".text");
  REQUIRE(text != nullptr);
  CHECK(text->index == 1);
  CHECK(text->size == 12);
  CHECK(text->kind == region::text);
  CHECK(text->address == address_of(ext->regions().base[static_cast<int>(region::text)]));
  auto const* bss = ext->find_section(".bss");
  REQUIRE(bss != nullptr);
  CHECK(bss->type == el::SHT_NOBITS);
  CHECK(bss->kind == region::bss);
  CHECK(ext->find_section(".rela.text") == nullptr); // not loaded
  CHECK(ext->find_section(".nothing") == nullptr);
  ld.unload(*r);
  CHECK(g_arena.bytes_in_use() == 0);
}

TEST_CASE("loader: a prelink places regions at target addresses, not host addresses") {
  // Link the basic image for a machine where it will live at 0x2000'0000, the firmware symbols
  // at their (host) addresses: every relocation uses target addresses; bytes land in the buffer.
  std::array<std::byte, 16 * 1024> buffer{};
  prelink_allocator mem{buffer, 0x7000'0000, 16};
  no_exports<8> target_has_no_table;
  loader<E, X, prelink_allocator, no_exports<8>> ld{mem, target_has_no_table};
  load_options opt;
  // The target firmware has its own addresses: resolve both imports there.
  opt.fallback = {[](void*, byte_string n) {
    return n == "fw_fn" ? found_symbol{0x7100'0000, true, symbol_kind::function} : found_symbol{0x7200'0000, true, symbol_kind::object};
  }, nullptr};
  constexpr auto img = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, bytes{0xe8, 0, 0, 0, 0, 0x8b, 0x05, 0, 0, 0, 0, 0xc3}, 16)
      .section(".data", el::SHT_PROGBITS, AW, size(16), 8)
      .symbol("local_data", el::STB_LOCAL, el::STT_OBJECT, ".data", 8, 8)
      .symbol("ext_fn", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 12)
      .symbol("fw_fn", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
      .symbol("fw_data", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
      .rela(".text", {1, "fw_fn", X::R_X86_64_PLT32, -4})
      .rela(".text", {7, "fw_data", X::R_X86_64_PC32, -4})
      .rela(".data", {0, "local_data", X::R_X86_64_64, 0})
      .build();
  auto r = ld.load(img.view(), opt);
  INFO(text_of(r.error()));
  REQUIRE(r.has_value());
  auto const& g = (*r)->regions();
  CHECK(g.address[static_cast<int>(region::text)] == 0x7000'0000);
  CHECK(g.base[static_cast<int>(region::text)] == buffer.data());
  CHECK((*r)->find("ext_fn").address == 0x7000'0000);
  // call fw_fn: 0x7100'0000 - 4 - (0x7000'0000 + 1)
  CHECK(read32(buffer.data() + 1) == 0x7100'0000u - 4u - 0x7000'0001u);
  CHECK(read32(buffer.data() + 7) == 0x7200'0000u - 4u - 0x7000'0007u);
  std::uint64_t const data = g.address[static_cast<int>(region::data)];
  CHECK(read64(g.base[static_cast<int>(region::data)]) == data + 8);
  ld.unload(*r);
}

TEST_CASE("loader: two strong definitions of one name in one object are an error") {
  constexpr auto img = elf_builder<E>{}
      .machine(el::EM_X86_64)
      .section(".text", el::SHT_PROGBITS, AX, bytes{0xc3, 0xc3}, 1)
      .symbol("twice", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 1)
      .symbol("twice", el::STB_GLOBAL, el::STT_FUNC, ".text", 1, 1)
      .build();
  arena_loader ld{g_arena, fw_exports};
  auto r = ld.load(img.view());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::duplicate_symbol);
  CHECK(r.error().name_view() == "twice");
  CHECK(g_arena.bytes_in_use() == 0);
}

TEST_CASE("loader: gaps, .bss and the GOT are zero even in reused, dirty arena memory") {
  // Dirty the whole arena, then load: every byte the extension can see must be defined.
  {
    region_request q;
    q.size[0] = 64 * 1024;
    auto b = g_arena.allocate(q, placement{});
    REQUIRE(b.has_value());
    std::fill_n(b->base[0], 64 * 1024, std::byte{0xa5});
    g_arena.release(*b);
  }
  arena_loader ld{g_arena, fw_exports};
  auto r = ld.load(basic_image.view());
  REQUIRE(r.has_value());
  auto const& g = (*r)->regions();
  for (std::size_t i = 0; i < 64; ++i) CHECK(g.base[static_cast<int>(region::bss)][i] == std::byte{0});
  // .data is 16 bytes: the word at 8 was not relocated and must be 0
  CHECK(read64(g.base[static_cast<int>(region::data)] + 8) == 0);
  // .text is 12 bytes of code and then padding/stub area, never stale bytes
  std::byte const* text = g.base[static_cast<int>(region::text)];
  CHECK(text[0] == std::byte{0xe8});
  CHECK(text[11] == std::byte{0xc3});
  ld.unload(*r);
  CHECK(g_arena.bytes_in_use() == 0);
}
