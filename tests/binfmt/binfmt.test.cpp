// tests/binfmt/binfmt.test.cpp: binary formats (include/extload/binfmt/): the format registry
// (register, unregister, capacity, first recognising format loads), PATH search over a
// file_system, the EXTLOADP prelinked-image container (write, parse, install into fixed memory,
// every malformed field rejected), and load_module / exec_module / unload_module / exec on the
// three formats with code built by tests/support/elf_builder.hpp and archives by
// tests/archive/ar_builder.hpp: main(argc, argv) = helper(argc) + counter, where a constructor
// sets counter = 100 and helper(x) = x + 41, so the exit status shows that the constructors ran,
// the members linked and argc arrived. The constexpr parts run in static_assert and doctest.
#include <doctest/doctest.h>

#include <sys/mman.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <extload/alloc/host_mmap.hpp>
#include <extload/arch/x86_64.hpp>
#include <extload/binfmt/binfmt.hpp>
#include <extload/binfmt/host_files.hpp>
#include <extload/binfmt/image.hpp>
#include <extload/symbols/export_table.hpp>

#include "archive/ar_builder.hpp"
#include "support/elf_builder.hpp"

namespace {

using namespace extload;
using extload::test::ar_style;
using extload::test::build_archive;
using extload::test::bytes;
using extload::test::elf_builder;
using extload::test::section_sym;
using extload::test::size;
using extload::test::undefined;
using X = arch::x86_64;
using E = elf64le;
namespace el = extload::elf;
namespace bf = extload::binfmt;

constexpr std::uint64_t AX = el::SHF_ALLOC | el::SHF_EXECINSTR;
constexpr std::uint64_t AW = el::SHF_ALLOC | el::SHF_WRITE;

// main: call helper; add eax, [rip + counter]; ret        ctor: mov dword [rip + counter], 100; ret
constexpr auto prog_main = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX,
             bytes{0xe8, 0, 0, 0, 0, 0x03, 0x05, 0, 0, 0, 0, 0xc3,                 // main (12 bytes)
                   0xc7, 0x05, 0, 0, 0, 0, 100, 0, 0, 0, 0xc3},                     // ctor at 12
             16)
    .section(".data", el::SHT_PROGBITS, AW, size(8), 8)
    .init_array(1, ".init_array")
    .symbol("counter", el::STB_GLOBAL, el::STT_OBJECT, ".data", 0, 4)
    .symbol("main", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 12)
    .symbol("helper", el::STB_GLOBAL, el::STT_NOTYPE, undefined)
    .section_symbol(".text")
    .rela(".text", {1, "helper", X::R_X86_64_PLT32, -4})
    .rela(".text", {7, "counter", X::R_X86_64_PC32, -4})
    .rela(".text", {14, "counter", X::R_X86_64_PC32, -8})
    .rela(".init_array", {0, section_sym{".text"}, X::R_X86_64_64, 12})
    .build();
// helper: lea eax, [rdi + 41]; ret
constexpr auto prog_helper = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0x8d, 0x47, 41, 0xc3}, 16)
    .symbol("helper", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 4)
    .build();
// An archive holding the program (main is found through the index), plus an unrelated member.
constexpr auto unrelated = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0xc3}, 16)
    .symbol("unrelated", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 1)
    .build();
constexpr auto prog_archive = build_archive<16384>(ar_style::gnu, true, {
    {"unrelated.o", unrelated.view(), {"unrelated"}},
    {"helper.o", prog_helper.view(), {"helper"}},
    {"main.o", prog_main.view(), {"counter", "main"}},
});
// The same with GCC's executable-stack request (.note.GNU-stack with SHF_EXECINSTR).
constexpr auto prog_execstack = elf_builder<E>{}
    .machine(el::EM_X86_64)
    .section(".text", el::SHT_PROGBITS, AX, bytes{0x8d, 0x47, 41, 0xc3}, 16)
    .section(".note.GNU-stack", el::SHT_PROGBITS, el::SHF_EXECINSTR, size(0), 1)
    .symbol("main", el::STB_GLOBAL, el::STT_FUNC, ".text", 0, 4)
    .build();

using host_loader = loader<E, X, host_mmap_allocator, no_exports<8>>;
using registry = bf::format_registry<host_loader, 3>;

// ---- the registry (constexpr) ------------------------------------------------------------
constexpr bool registry_add_remove() {
  registry r;
  bool ok = r.add(bf::elf_format<host_loader>()) == errc::ok && r.add(bf::archive_format<host_loader>()) == errc::ok;
  ok = ok && r.add(bf::elf_format<host_loader>()) == errc::busy;     // one format per name
  bf::format<host_loader> third = bf::elf_format<host_loader>();
  third.name = "third";
  bf::format<host_loader> fourth = third;
  fourth.name = "fourth";
  ok = ok && r.add(third) == errc::ok && r.add(fourth) == errc::limit_exceeded; // capacity 3
  ok = ok && r.formats().size() == 3 && std::string_view{r.formats()[1].name} == "archive";
  ok = ok && r.remove("archive") == errc::ok && r.remove("archive") == errc::not_found;
  ok = ok && r.formats().size() == 2 && std::string_view{r.formats()[1].name} == "third" && r.find("archive") == nullptr;
  ok = ok && r.add(fourth) == errc::ok && r.find("fourth") != nullptr;
  return ok;
}
static_assert(registry_add_remove());
TEST_CASE("binfmt: a registry object holds formats: add, remove, capacity, one per name") { CHECK(registry_add_remove()); }

constexpr bool formats_recognise() {
  auto const elf = bf::elf_format<host_loader>();
  auto const ar = bf::archive_format<host_loader>();
  return elf.recognise(prog_main.view()) && !elf.recognise(prog_archive.view()) && ar.recognise(prog_archive.view()) &&
         !ar.recognise(prog_main.view()) && !elf.recognise({}) && !ar.recognise({});
}
static_assert(formats_recognise());
TEST_CASE("binfmt: each format recognises its own files only") { CHECK(formats_recognise()); }

// ---- PATH search (constexpr) -------------------------------------------------------------
constexpr std::array<std::byte, 1> one_byte{};
constexpr bf::memory_files<3> files{{{{"/bin/prog", one_byte}, {"./local", one_byte}, {"/opt/x/prog", one_byte}}}};

constexpr bool found_as(std::string_view name, std::string_view path, std::string_view expect) {
  std::array<char, 64> buf{};
  auto const f = files;
  auto r = bf::find_in_path(f, name, path, buf);
  return r && std::string_view{buf.data(), *r} == expect && buf[*r] == '\0';
}
constexpr bool not_found(std::string_view name, std::string_view path, errc code = errc::not_found) {
  std::array<char, 16> buf{};
  auto const f = files;
  auto r = bf::find_in_path(f, name, path, buf);
  return !r && r.code() == code;
}
constexpr bool path_search() {
  return found_as("prog", "/usr/bin:/bin:/opt/x", "/bin/prog")    // first directory that has it
      && found_as("prog", "/opt/x:/bin", "/opt/x/prog")            // order matters
      && found_as("local", "/bin::/opt", "./local")                // an empty entry is "."
      && found_as("/bin/prog", "/opt/x", "/bin/prog")              // absolute: as is
      && found_as("./local", "", "./local")                        // no list: as is
      && not_found("prog", "/usr/bin:/sbin") && not_found("", "/bin") && not_found("/nope", "/bin")
      && not_found("prog", "/a/very/long/directory/name", errc::not_found); // does not fit: skipped
}
static_assert(path_search());
TEST_CASE("binfmt: relative module names are searched along a PATH-like list") { CHECK(path_search()); }

// ---- the EXTLOADP container (constexpr) --------------------------------------------------
constexpr bf::image_header sample_header() {
  bf::image_header h{};
  h.machine = el::EM_X86_64;
  h.load_address = 0x10000;
  h.entry = 0x10004;
  h.file_bytes = 24;
  h.memory_bytes = 40;
  h.region_offset[0] = 0; h.region_size[0] = 8;    // text
  h.region_offset[1] = 8; h.region_size[1] = 8;    // rodata
  h.region_offset[2] = 16; h.region_size[2] = 8;   // data
  h.region_offset[3] = 24; h.region_size[3] = 16;  // bss
  h.constructors = 2;
  h.destructors = 1;
  return h;
}
struct sample_image {
  std::array<std::byte, 256> bytes{};
  std::size_t size = 0;
  constexpr std::span<std::byte const> view() const { return {bytes.data(), size}; }
};
constexpr sample_image make_sample() {
  sample_image s;
  std::array<std::byte, 24> contents{};
  for (std::size_t i = 0; i < contents.size(); ++i) contents[i] = static_cast<std::byte>(i + 1);
  std::array<std::uint64_t, 2> const ctors{0x10001, 0x10002};
  std::array<std::uint64_t, 1> const dtors{0x10003};
  s.size = *bf::write_image(sample_header(), contents, ctors, dtors, s.bytes);
  return s;
}
constexpr sample_image sample = make_sample();

constexpr bool image_round_trip() {
  auto v = bf::image_view::parse(sample.view(), el::EM_X86_64);
  if (!v || sample.size != bf::image_header_size + 24 + 3 * 8) return false;
  auto const& h = v->header();
  bool ok = h.load_address == 0x10000 && h.entry == 0x10004 && h.file_bytes == 24 && h.memory_bytes == 40 &&
            h.region_size[3] == 16 && v->constructor(0) == 0x10001 && v->constructor(1) == 0x10002 && v->destructor(0) == 0x10003;
  // Installed into a window of target memory: contents copied, bss cleared.
  std::array<std::byte, 64> ram{};
  for (auto& b : ram) b = std::byte{0xee};
  bf::window_memory mem{ram, 0x10000};
  auto in = bf::install_image(sample.view(), mem, el::EM_X86_64);
  ok = ok && in.has_value();
  for (std::size_t i = 0; i < 24; ++i) ok = ok && ram[i] == static_cast<std::byte>(i + 1);
  for (std::size_t i = 24; i < 40; ++i) ok = ok && ram[i] == std::byte{0};
  ok = ok && ram[40] == std::byte{0xee}; // nothing beyond the image is touched
  // A window that does not hold the load address.
  bf::window_memory elsewhere{ram, 0x20000};
  auto miss = bf::install_image(sample.view(), elsewhere);
  return ok && !miss && miss.code() == errc::out_of_memory;
}
static_assert(image_round_trip());
TEST_CASE("binfmt: EXTLOADP images round-trip and install at their load address") { CHECK(image_round_trip()); }

constexpr sample_image patched(std::size_t off, std::uint64_t v, int width) {
  sample_image s = sample;
  for (int i = 0; i < width; ++i) s.bytes[off + static_cast<std::size_t>(i)] = static_cast<std::byte>(v >> (8 * i));
  return s;
}
constexpr bool image_rejects(sample_image const& s, errc code, std::uint16_t machine = 0) {
  auto v = bf::image_view::parse(s.view(), machine);
  return !v && v.code() == code;
}
constexpr bool image_malformed() {
  sample_image truncated = sample;
  truncated.size = 100;
  sample_image no_lists = sample;
  no_lists.size -= 8;
  return image_rejects(patched(0, 'X', 1), errc::bad_magic)
      && image_rejects(truncated, errc::truncated)
      && image_rejects(no_lists, errc::truncated)                      // destructor list cut off
      && image_rejects(patched(8, 2, 2), errc::bad_version)
      && image_rejects(patched(12, 64, 4), errc::bad_header)           // header size
      && image_rejects(sample, errc::bad_machine, el::EM_AARCH64)
      && image_rejects(patched(32, 41, 8), errc::bad_header)           // file bytes > memory bytes
      && image_rejects(patched(48 + 8 * 2, 20, 8), errc::bad_header)   // data region leaves the file bytes
      && image_rejects(patched(80 + 8 * 3, 17, 8), errc::bad_header)   // bss leaves the memory
      && image_rejects(patched(24, 0x10000 + 40, 8), errc::bad_header) // entry outside the image
      && image_rejects(patched(16, ~std::uint64_t{0} - 8, 8), errc::bad_header); // address + size wraps
}
static_assert(image_malformed());
TEST_CASE("binfmt: malformed EXTLOADP images are rejected") { CHECK(image_malformed()); }

// ---- run time: load_module / exec_module / unload_module / exec on the three formats --------

// A free, page-aligned address for the prelinked image: the bottom of a free 64 MiB hole (later
// mmaps, e.g. the loader's, fill holes from the top).
std::uint64_t free_address() {
  std::size_t const hole = std::size_t{64} << 20;
  void* p = ::mmap(nullptr, hole, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(p != MAP_FAILED);
  ::munmap(p, hole);
  return address_of(p);
}

struct fixture {
  host_mmap_allocator alloc;
  no_exports<8> none;
  host_loader ld{alloc, none};
  bf::host_fixed_memory fixed;
  std::vector<std::byte> image = std::vector<std::byte>(1 << 16);
  std::uint64_t image_address = 0;
  std::size_t image_size = 0;

  fixture() {
    std::span<std::byte const> const objects[2] = {prog_main.view(), prog_helper.view()};
    image_address = free_address();
    auto n = bf::prelink_to_image<E, X>(objects, none, image_address, image, "main", {}, fixed.page_size());
    REQUIRE(n);
    image_size = *n;
  }
};

TEST_CASE("binfmt: exec runs main(argc, argv) of an object, an archive and a prelinked image") {
  fixture fx;
  std::array<char, 6> a0{"prog"}, a1{"x"}, a2{"y"};
  char* argv[] = {a0.data(), a1.data(), a2.data(), nullptr};
  bf::memory_files<5> fs{{{{"/mods/prog.o", prog_main.view()},
                           {"/mods/helper.o", prog_helper.view()},
                           {"/lib/prog.a", prog_archive.view()},
                           {"/flash/prog.img", std::span<std::byte const>(fx.image.data(), fx.image_size)},
                           {"/mods/execstack.o", prog_execstack.view()}}}};
  registry formats;
  REQUIRE(formats.add(bf::elf_format<host_loader>()) == errc::ok);
  REQUIRE(formats.add(bf::archive_format<host_loader>()) == errc::ok);
  REQUIRE(formats.add(bf::prelinked_format<host_loader>(fx.fixed)) == errc::ok);

  // An archive holding the program: main's member and the helper member it needs.
  auto st = bf::exec(formats, fx.ld, fs, "prog.a", "/mods:/lib", 3, argv);
  REQUIRE_MESSAGE(st, to_string(st.code()));
  CHECK(*st == 3 + 41 + 100);
  // The prelinked image at its fixed address (constructors from the image's list).
  st = bf::exec(formats, fx.ld, fs, "/flash/prog.img", "", 2, argv);
  REQUIRE_MESSAGE(st, to_string(st.code()));
  CHECK(*st == 2 + 41 + 100);
  // An object alone: helper is undefined (no export table, no resolver).
  auto m = bf::load_module(formats, fx.ld, fs, "prog.o", "/mods");
  REQUIRE_FALSE(m);
  CHECK(m.code() == errc::undefined_symbol);
  CHECK(m.error().name_view() == "helper");
  // ... with a resolver that provides it from the helper's own extension.
  auto helper = bf::load_module(formats, fx.ld, fs, "helper.o", "/mods", {.entry = ""});
  REQUIRE(helper);
  bf::load_request req{};
  req.options.fallback = resolver{[](void* ctx, byte_string name) -> found_symbol {
                                    return static_cast<extension*>(ctx)->find(name);
                                  },
                                  helper->ext};
  m = bf::load_module(formats, fx.ld, fs, "prog.o", "/nowhere:/mods", req);
  REQUIRE(m);
  CHECK(std::string_view{m->format} == "elf");
  auto status = bf::exec_module(*m, 1, argv);
  REQUIRE(status);
  CHECK(*status == 1 + 41 + 100);
  bf::unload_module(fx.ld, *m);
  CHECK(m->ext == nullptr);
  bf::unload_module(fx.ld, *helper);
  // GCC's executable-stack request is refused (unless allowed).
  auto es = bf::load_module(formats, fx.ld, fs, "execstack.o", "/mods");
  REQUIRE_FALSE(es);
  CHECK(es.code() == errc::unsupported_section);
  CHECK(es.error().name_view() == ".note.GNU-stack");
  auto allowed = bf::load_module(formats, fx.ld, fs, "execstack.o", "/mods", {.allow_executable_stack = true});
  REQUIRE(allowed);
  bf::unload_module(fx.ld, *allowed);
  // Nothing left allocated.
  CHECK(fx.alloc.allocations() == 0);
}

TEST_CASE("binfmt: without the archive format, archives are not recognised; an unknown file is refused") {
  fixture fx;
  constexpr std::array<std::byte, 8> text{std::byte{'h'}, std::byte{'e'}, std::byte{'l'}, std::byte{'l'}, std::byte{'o'}};
  bf::memory_files<2> fs{{{{"/lib/prog.a", prog_archive.view()}, {"/etc/motd", text}}}};
  registry formats;
  REQUIRE(formats.add(bf::elf_format<host_loader>()) == errc::ok);
  REQUIRE(formats.add(bf::archive_format<host_loader>()) == errc::ok);
  auto m = bf::load_module(formats, fx.ld, fs, "prog.a", "/lib");
  REQUIRE(m);
  CHECK(m->members == 2); // main.o and helper.o, not unrelated.o
  CHECK(m->ext->find("main"));
  CHECK_FALSE(m->ext->find("unrelated"));
  bf::unload_module(fx.ld, *m);
  REQUIRE(formats.remove("archive") == errc::ok);
  auto none = bf::load_module(formats, fx.ld, fs, "prog.a", "/lib");
  REQUIRE_FALSE(none);
  CHECK(none.code() == errc::bad_magic);
  auto motd = bf::load_module(formats, fx.ld, fs, "/etc/motd", "");
  REQUIRE_FALSE(motd);
  CHECK(motd.code() == errc::bad_magic);
  auto missing = bf::load_module(formats, fx.ld, fs, "nothing", "/lib:/bin");
  REQUIRE_FALSE(missing);
  CHECK(missing.code() == errc::not_found);
  CHECK(fx.alloc.allocations() == 0);
}

TEST_CASE("binfmt: prelink_to_image writes contents identical to a prelink at that address") {
  fixture fx;
  auto v = bf::image_view::parse(std::span<std::byte const>(fx.image.data(), fx.image_size), el::EM_X86_64);
  REQUIRE(v);
  auto const& h = v->header();
  CHECK(h.load_address == fx.image_address);
  CHECK(h.entry == fx.image_address + h.region_offset[0]); // main is the first byte of text
  CHECK(h.constructors == 1);
  CHECK(h.destructors == 0);
  CHECK(v->constructor(0) == fx.image_address + h.region_offset[0] + 12);
  for (std::size_t r = 0; r < region_count; ++r)
    if (h.region_size[r] != 0) CHECK((fx.image_address + h.region_offset[r]) % fx.fixed.page_size() == 0);
  // The image's text is main's code with the PLT32 and PC32 fields filled in for this address.
  auto const text = v->contents().subspan(static_cast<std::size_t>(h.region_offset[0]));
  CHECK(text[0] == std::byte{0xe8});
  CHECK(text[5] == std::byte{0x03});
  CHECK(text[12] == std::byte{0xc7});
  auto const call = static_cast<std::int32_t>(load_at<std::uint32_t, std::endian::little>(text.data() + 1));
  std::uint64_t const helper_at = fx.image_address + h.region_offset[0] + 5 + static_cast<std::uint64_t>(std::int64_t{call});
  CHECK(helper_at >= fx.image_address);
  CHECK(helper_at < fx.image_address + h.file_bytes);
}

} // namespace
