// tools/extload-run/main.cpp: run a program from its relocatable objects and static archives,
// without a linker: `extload-run [--entry SYMBOL] [--trace] FILE... [-- ARG...]`.
//
// The objects (and the archive members they need, found as ld finds them: archive/ar.hpp) are
// linked together by extload's loader into this process. What no FILE defines resolves against
// this process: first the tool's own export table (atexit, __cxa_atexit, on_exit,
// at_quick_exit, exit and __dso_handle, so that the tool owns the program's exit), then
// dlsym(RTLD_DEFAULT) (libc, libm, libpthread, libstdc++, libgcc_s). Then: constructors, main(argc,
// argv) with argv[0] = the first FILE (or the --entry symbol, called with no arguments), the
// atexit handlers in reverse order, the destructors, unload, and exit with main's status. exit()
// called anywhere inside the program returns here through siglongjmp, which skips the frames in
// between exactly as a real exit() does (their destructors do not run).
//
// The host decides the ELF format and relocation set (target.hpp): x86-64, AArch64, ARM (EABI,
// hard-float Linux objects), RISC-V 64 (lp64d) and i386.
//
// Placement: the loader keeps the program within reach of the data it references in the
// process (calls to functions go through the loader's veneers where a branch does not reach):
//   * x86-64 small code model: data is reached with 32-bit displacements (PIE: PC32) or 32-bit
//     absolute addresses (-fno-pic: R_X86_64_32/32S), so the program must lie within ±2 GiB of
//     it, and non-PIC data below 2 GiB;
//   * AArch64 small code model: -fno-pic code reaches data with ADRP (Page(S + A) - Page(P)
//     within ±4 GiB); PIE code goes through the GOT, which the loader builds next to the program;
//   * RISC-V 64: -fno-pic code (the default medlow model) reaches data with LUI absolute
//     addresses (HI20/LO12: below 2 GiB), medany code with AUIPC (±2 GiB); PIE code uses the GOT;
//   * ARM and i386: MOVW/MOVT pairs, literal pools and 32-bit fields hold whole addresses, and a
//     32-bit PC-relative field reaches the whole 32-bit address space: no constraint.
// For the first three, this tool is linked -no-pie (tools/meson.build) and takes the addresses of
// the C and C++ library's common data objects (stdin/stdout/stderr, environ, getopt's globals,
// std::cout/cin/cerr/clog, ...; host.cpp): the link editor copies them into the tool's .bss next
// to its code, low in the address space (copy relocations: R_X86_64_COPY, R_AARCH64_COPY,
// R_RISCV_COPY), and dlsym returns those copies, so both PIE and non-PIE programs can reach them.
// Data the tool does not copy stays in the shared libraries, possibly out of reach: a program
// reaching such data is refused with a message naming the symbol (see README).
//
// Exceptions: on the .eh_frame hosts each object's .eh_frame is ended by a zero word (a
// terminator object linked after it) and registered with libgcc's __register_frame. On ARM the
// EHABI unwinder asks __gnu_Unwind_Find_exidx(pc) for the index table covering pc; this tool
// defines that function (host.cpp), answering with the loaded program's .ARM.exidx sections for
// its code and forwarding to the C library's for the rest of the process.
//
// On a load error: one line naming the file, section, symbol and relocation, and exit status 127.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <extload/alloc/host_mmap.hpp>
#include <extload/archive/ar.hpp>
#include <extload/binfmt/binfmt.hpp>
#include <extload/binfmt/host_files.hpp>
#include <extload/describe.hpp>
#include <extload/loader/loader.hpp>
#include <extload/symbols/export_table.hpp>

#include "host.hpp"
#include "target.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EXTLOAD_RUN_LSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define EXTLOAD_RUN_LSAN 1
#endif
#if defined(EXTLOAD_RUN_LSAN)
#include <sanitizer/lsan_interface.h>
#endif

extern "C" {
extern char** environ;
}

namespace {

using namespace extload;
using clock_type = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------
// The program's exit: atexit-style registrations and exit() itself belong to the tool.

enum class handler_kind { plain, cxa, on_exit };
struct exit_handler {
  handler_kind kind;
  void* fn;
  void* arg;
};
std::vector<exit_handler>* handlers = nullptr; // set in main(); no static constructor needed
sigjmp_buf exit_jump;
bool exit_armed = false;
volatile int exit_status = 0;
char dso_handle_object = 0; // the program's __dso_handle: the identity __cxa_atexit receives

// Function pointers cross the void* boundary through these (conditionally supported by C++,
// guaranteed by POSIX dlsym).
template <class Fn>
void* erase(Fn* f) { return reinterpret_cast<void*>(f); }
template <class Fn>
Fn* restore(void* p) { return reinterpret_cast<Fn*>(p); }

int tool_atexit(void (*fn)()) noexcept {
  handlers->push_back({handler_kind::plain, erase(fn), nullptr});
  return 0;
}
int tool_cxa_atexit(void (*fn)(void*), void* arg, void*) noexcept {
  handlers->push_back({handler_kind::cxa, erase(fn), arg});
  return 0;
}
#if defined(__arm__)
// The ARM C++ ABI (CPPABI32 §3.3.5.3) has compilers register static destructors with
// __aeabi_atexit(object, destructor, dso), __cxa_atexit's arguments in another order;
// libstdc++'s would hand them to the C library's __cxa_atexit, past the tool.
int tool_aeabi_atexit(void* arg, void (*fn)(void*), void* dso) noexcept { return tool_cxa_atexit(fn, arg, dso); }
#endif
int tool_on_exit(void (*fn)(int, void*), void* arg) noexcept {
  handlers->push_back({handler_kind::on_exit, erase(fn), arg});
  return 0;
}
// at_quick_exit lives in libc_nonshared.a (not in libc.so): forward to what it calls.
int tool_at_quick_exit(void (*fn)()) noexcept {
  using cxa_qe = int(void (*)(void*), void*, void*);
  static auto* real = restore<cxa_qe>(extload_run::cxa_at_quick_exit());
  if (real == nullptr) return -1;
  return real(restore<void(void*)>(erase(fn)), nullptr, &dso_handle_object);
}
[[noreturn]] void tool_exit(int status) noexcept {
  if (!exit_armed) { // exit() from outside a guarded phase (another thread): the real one
    std::fflush(nullptr);
    std::_Exit(status);
  }
  exit_status = status;
  exit_armed = false;
  siglongjmp(exit_jump, 1);
}

// Runs f(); true when the program called exit() inside it.
template <class F>
bool guarded(F&& f) {
  if (sigsetjmp(exit_jump, 1) != 0) return true;
  exit_armed = true;
  f();
  exit_armed = false;
  return false;
}

// Natively, exit() runs the atexit/__cxa_atexit/on_exit registrations in reverse order, newest
// first, including those registered while they run.
void run_exit_handlers(int status) {
  while (!handlers->empty()) {
    exit_handler const h = handlers->back();
    handlers->pop_back();
    bool const exited = guarded([&] {
      switch (h.kind) {
      case handler_kind::plain: restore<void()>(h.fn)(); break;
      case handler_kind::cxa: restore<void(void*)>(h.fn)(h.arg); break;
      case handler_kind::on_exit: restore<void(int, void*)>(h.fn)(status, h.arg); break;
      }
    });
    if (exited) status = exit_status;
  }
  exit_status = status;
}

// SLIDs are pointer-sized (loader.hpp checks the width against the ELF class).
constexpr auto tool_exports = make_export_table<extload_run::format::elf_class_type::word_size>(
    export_function<"atexit", &tool_atexit>, export_function<"__cxa_atexit", &tool_cxa_atexit>,
    export_function<"on_exit", &tool_on_exit>, export_function<"at_quick_exit", &tool_at_quick_exit>,
#if defined(__arm__)
    export_function<"__aeabi_atexit", &tool_aeabi_atexit>,
#endif
    export_function<"exit", &tool_exit>, export_object<"__dso_handle", &dso_handle_object>);

using exports_type = std::remove_const_t<decltype(tool_exports)>;
using format = extload_run::format;
using arch_type = extload_run::arch_type;
constexpr std::uint16_t machine = arch_type::e_machine;
using run_loader = loader<format, arch_type, host_mmap_allocator, exports_type>;

// ---------------------------------------------------------------------------------------------
// Canonical stubs. -fno-pic code on AArch64 (ADRP + ADD) builds an imported function's address
// (a destructor handed to __cxa_atexit or __cxa_throw, a callback) from two relocations that both
// name the function (target.hpp: split_address_types). A function in a shared library lies out of
// their reach, and the loader refuses such a pair rather than send a page-relative ADRP to a
// veneer (RISC-V's absolute LUI + ADDI it does send, both halves: no stub there). GNU ld meets the same problem in a non-PIE executable with a canonical PLT entry:
// one stub within reach that is the function's address for the whole program. The tool does the
// same: before the link it finds the imports reached so, maps one stub per host function next to
// its own image (where the copied library data lies too, so that one placement of the program
// reaches both), and answers the loader's resolver with the stub. As with the loader's veneers on
// x86-64, the program then sees another address for such a function than the shared libraries do.

struct canonical_stub {
  std::string name;
  std::uint64_t address = 0;
};

// What host_resolve consults first: the stubs, sorted by name.
struct resolver_context {
  std::vector<canonical_stub> stubs;
};

// Host symbols (host.cpp): dlsym in the global scope, kind from dladdr1's symbol entry; a
// function with a canonical stub resolves to the stub.
found_symbol host_resolve(void* context, byte_string name) {
  auto const& stubs = static_cast<resolver_context const*>(context)->stubs;
  auto const s = std::lower_bound(stubs.begin(), stubs.end(), name.view(),
                                  [](canonical_stub const& c, std::string_view n) { return c.name < n; });
  if (s != stubs.end() && s->name == name.view()) return {s->address, true, symbol_kind::function};
  std::string const n{name.view()};
  extload_run::host_symbol const h = extload_run::lookup_host_symbol(n.c_str());
  if (!h.found) return {};
  symbol_kind const k = h.kind == extload_run::host_kind::function ? symbol_kind::function
                      : h.kind == extload_run::host_kind::object   ? symbol_kind::object
                                                                   : symbol_kind::unknown;
  return {h.address, true, k};
}

// ---------------------------------------------------------------------------------------------
// Inputs.

struct input_file {
  std::string path;
  std::span<std::byte const> bytes;
  bool is_archive = false;
  archive::view ar{};
  std::vector<archive::symbol_entry> index;
};

// One object of the link: an explicit object, an archive member, or an .eh_frame terminator.
struct link_object {
  std::span<std::byte const> bytes;
  std::string label;
  bool terminator = false;
};

// A 4-byte zero word in an allocated read-only section: placed right after an object's
// .eh_frame (sections are laid out object by object, region by region), it ends that object's
// frame list as crtend.o's zero word does in a linked program, so __register_frame can walk it.
// A minimal ET_REL built by hand (gABI ch. 4) in the host's class, byte order and e_machine:
// null, .extload.eh_end, .shstrtab, and a .symtab holding only the null symbol (a relocatable
// object must have a symbol table; its names come from .shstrtab, which is a string table too).
// e_flags are those of the object it follows: processor-specific (RISC-V: the float ABI, which
// the loader checks object by object), and what that object has, the link accepts.
std::vector<std::byte> make_terminator_object(std::uint32_t e_flags) {
  constexpr bool is64 = format::is_64;
  constexpr std::size_t word = is64 ? 8 : 4;
  constexpr std::size_t ehdr = format::elf_class_type::ehdr_size, shdr = format::elf_class_type::shdr_size,
                        sym = format::elf_class_type::sym_size;
  constexpr char shstr[] = "\0.extload.eh_end\0.shstrtab\0.symtab\0";
  constexpr std::size_t shstr_size = sizeof shstr - 1;
  constexpr std::size_t data_off = ehdr, str_off = data_off + 4,
                        sym_off = (str_off + shstr_size + word - 1) / word * word, sh_off = sym_off + sym;
  std::vector<std::byte> b(sh_off + 4 * shdr);
  auto put = [&](std::size_t off, std::uint64_t v, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) {
      std::size_t const at = format::byte_order == std::endian::little ? i : width - 1 - i;
      b[off + at] = static_cast<std::byte>(v >> (8 * i));
    }
  };
  std::uint8_t const ident[] = {0x7f, 'E', 'L', 'F', format::elf_class_type::ei_class, format::ei_data, 1 /*EV_CURRENT*/};
  for (std::size_t i = 0; i < sizeof ident; ++i) b[i] = static_cast<std::byte>(ident[i]);
  // Elf32_Ehdr / Elf64_Ehdr: the fields after e_entry move by the word size.
  put(16, elf::ET_REL, 2);
  put(18, machine, 2);
  put(20, 1, 4);                        // e_version
  put(24 + 2 * word, sh_off, word);     // e_shoff
  put(24 + 3 * word, e_flags, 4);       // e_flags
  put(28 + 3 * word, ehdr, 2);          // e_ehsize
  put(34 + 3 * word, shdr, 2);          // e_shentsize
  put(36 + 3 * word, 4, 2);             // e_shnum
  put(38 + 3 * word, 2, 2);             // e_shstrndx
  for (std::size_t i = 0; i < shstr_size; ++i) b[str_off + i] = static_cast<std::byte>(shstr[i]);
  // Elf32_Shdr / Elf64_Shdr: sh_name, sh_type (4 bytes each), then flags, addr, offset, size
  // (words), link, info (4 bytes each), addralign, entsize (words).
  auto section = [&](std::size_t i, std::uint32_t name, std::uint32_t type, std::uint64_t flags, std::uint64_t off,
                     std::uint64_t size, std::uint64_t align, std::uint32_t link = 0, std::uint32_t info = 0,
                     std::uint64_t entsize = 0) {
    std::size_t const h = sh_off + shdr * i;
    put(h + 0, name, 4);
    put(h + 4, type, 4);
    put(h + 8, flags, word);
    put(h + 8 + 2 * word, off, word);
    put(h + 8 + 3 * word, size, word);
    put(h + 8 + 4 * word, link, 4);
    put(h + 12 + 4 * word, info, 4);
    put(h + 16 + 4 * word, align, word);
    put(h + 16 + 5 * word, entsize, word);
  };
  section(1, 1, elf::SHT_PROGBITS, elf::SHF_ALLOC, data_off, 4, 1);
  section(2, 17, elf::SHT_STRTAB, 0, str_off, shstr_size, 1);
  section(3, 27, elf::SHT_SYMTAB, 0, sym_off, sym, word, 2, 1, sym); // sh_info 1: one local, the null symbol
  return b;
}

// The undefined symbols the objects reach with a split_address_types relocation, sorted, unique.
std::vector<std::string> split_address_imports(std::vector<link_object> const& objects) {
  std::vector<std::string> names;
  auto const& split = extload_run::split_address_types;
  if (split.empty()) return names;
  for (link_object const& o : objects) {
    if (o.terminator) continue;
    auto v = object_view<format>::parse(o.bytes, machine); // parsed without error before
    if (!v) continue;
    for (std::uint32_t i = 1; i < v->section_count(); ++i) {
      section_header const rs = v->section(i);
      if (rs.type != (arch_type::uses_rela ? elf::SHT_RELA : elf::SHT_REL) || rs.entsize == 0) continue;
      for (std::uint64_t j = 0; j < rs.size / rs.entsize; ++j) {
        relocation const r = v->relocation_at<arch_type::uses_rela>(rs, j);
        if (std::find(split.begin(), split.end(), r.type) == split.end()) continue;
        auto sym = v->symbol_at(r.sym);
        if (!sym || !sym->is_undefined() || sym->is_local()) continue;
        if (auto name = v->symbol_name(*sym); name) names.emplace_back(name->view());
      }
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// Maps a stub for each of `names` that is a function of this process lying more than 1 GiB from
// the tool's own data (the anchor: __dso_handle, in its .bss), within 1 GiB of it, and records
// them in `context`. Functions already near (the tool's own, and those the -no-pie tool calls,
// whose canonical PLT entries dlsym returns) keep their address. `block` receives the mapping
// (untouched when no stub is needed). False when no such mapping could be made. (A template only
// so that hosts without split pairs, some without veneers at all, do not compile the body.)
template <class Arch = arch_type>
bool make_canonical_stubs(std::vector<std::string> const& names, host_mmap_allocator& alloc, region_block& block,
                          resolver_context& context) {
  if constexpr (extload_run::split_address_types.empty()) {
    return names.empty();
  } else {
    constexpr std::uint64_t reach = std::uint64_t{1} << 30;
    auto const anchor = static_cast<std::uint64_t>(std::bit_cast<std::uintptr_t>(&dso_handle_object));
    placement const near{anchor > reach ? anchor - reach : 0, anchor + reach};
    std::vector<canonical_stub> stubs;
    std::vector<std::uint64_t> targets;
    for (std::string const& n : names) {
      extload_run::host_symbol const h = extload_run::lookup_host_symbol(n.c_str());
      if (!h.found || h.kind != extload_run::host_kind::function) continue;
      if (h.address >= near.lo && h.address <= near.hi) continue;
      stubs.push_back({n, 0});
      targets.push_back(h.address);
    }
    if (stubs.empty()) return true;
    auto const t = static_cast<std::size_t>(region::text);
    region_request req;
    req.size[t] = std::uint64_t{stubs.size()} * Arch::veneer_size;
    req.align[t] = Arch::veneer_align;
    auto b = alloc.allocate(req, near);
    if (!b) return false;
    block = *b;
    for (std::size_t i = 0; i < stubs.size(); ++i) {
      std::uint64_t const off = std::uint64_t{i} * Arch::veneer_size;
      Arch::template write_veneer<format::byte_order>(block.base[t] + off, block.address[t] + off, targets[i]);
      stubs[i].address = block.address[t] + off; // no address tag: the hosts that need stubs have no Thumb state
    }
    if (alloc.seal(block) != errc::ok) return false;
    alloc.sync_caches(block);
    context.stubs = std::move(stubs);
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Messages.

std::string join_files(std::vector<input_file> const& files) {
  std::string s;
  for (auto const& f : files) {
    if (!s.empty()) s += ' ';
    s += f.path;
  }
  return s;
}

std::string section_name_of(std::span<std::byte const> bytes, std::uint32_t section) {
  auto v = object_view<format>::parse(bytes);
  if (!v || section >= v->section_count()) return {};
  auto n = v->section_name(section);
  return n ? std::string{n->view()} : std::string{};
}

// Why a construct fails, for the codes whose cause is a property of the program.
std::string explain(diagnostic const& d) {
  std::string_view const t = d.type_name != nullptr ? d.type_name : "";
  switch (d.code) {
  case errc::unsupported_relocation:
    if (t.find("TPOFF") != t.npos || t.find("TLS") != t.npos || t.find("DTPMOD") != t.npos || t.find("DTPOFF") != t.npos)
      return " (thread-local variables are not supported)";
    return {};
  case errc::unsupported_section:
    if (d.what == field::sh_flags && d.name_view() != ".note.GNU-stack")
      return " (thread-local variables (.tdata/.tbss) are not supported)";
    return {};
  case errc::unsupported_symbol: return " (thread-local (STT_TLS) or GNU indirect function (STT_GNU_IFUNC) definitions are not supported)";
  case errc::out_of_reach: return " (" + std::string{extload_run::reach_note} + ")";
  case errc::relocation_overflow:
    if (t == "R_X86_64_32" || t == "R_X86_64_32S" || t == "R_RISCV_HI20")
      return " (non-PIC code (-fno-pic) reaches this symbol with a 32-bit absolute address, but it lies above the "
             "low 2 GiB; build with -fPIE)";
    return {};
  case errc::undefined_symbol: return " (defined by no FILE and not found in this process by dlsym)";
  default: return {};
  }
}

[[noreturn]] void fail(std::string const& line) {
  std::fflush(stdout);
  std::fprintf(stderr, "extload-run: %s\n", line.c_str());
  std::exit(127);
}

// One line: "<file or file(member)>: section N (.name): relocation ... against 'sym': what".
[[noreturn]] void fail_link(diagnostic d, std::vector<link_object> const& objects, std::string const& all_files) {
  std::string where = all_files;
  std::string section;
  if (d.object != no_index && d.object < objects.size()) {
    where = objects[d.object].label;
    if (d.section != no_index) section = section_name_of(objects[d.object].bytes, d.section);
  }
  diagnostic shown = d;
  shown.object = no_index;
  std::array<char, 512> buf{};
  describe(shown, buf);
  std::string text{buf.data()};
  if (!section.empty() && d.section != no_index) {
    std::string const key = "section " + std::to_string(d.section);
    if (text.starts_with(key)) text.insert(key.size(), " (" + section + ")");
  }
  // An undefined thread-local symbol (extern __thread): say so rather than only "undefined".
  if (d.code == errc::undefined_symbol && d.symbol != no_index && d.object != no_index && d.object < objects.size())
    if (auto v = object_view<format>::parse(objects[d.object].bytes); v)
      if (auto sym = v->symbol_at(d.symbol); sym && sym->type() == elf::STT_TLS)
        fail(where + ": " + text + " (a thread-local variable: thread-local variables are not supported)");
  if (d.code == errc::unsupported_section && d.name_view() == ".note.GNU-stack")
    text = "section " + std::to_string(d.section) + " (.note.GNU-stack): the object asks for an executable stack "
           "(GCC nested-function trampolines); extload-run does not provide one";
  fail(where + ": " + text + explain(d));
}

[[noreturn]] void usage(char const* why) {
  std::fprintf(stderr,
               "extload-run: %s\n"
               "usage: extload-run [--entry SYMBOL] [--trace] FILE... [-- ARG...]\n"
               "  FILE: ELF relocatable objects (.o) and static archives (.a)\n",
               why);
  std::exit(127);
}

double ms(clock_type::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

} // namespace

int main(int argc, char** argv) {
  extload_run::anchor_library_data();
  std::vector<exit_handler> handler_list;
  handlers = &handler_list;

  // ---- arguments ----
  std::string entry_name = "main";
  bool custom_entry = false, trace = false;
  std::vector<std::string> paths;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string_view const a = argv[i];
    if (a == "--") {
      for (int j = i + 1; j < argc; ++j) args.emplace_back(argv[j]);
      break;
    }
    if (a == "--trace") trace = true;
    else if (a == "--entry") {
      if (i + 1 == argc) usage("--entry needs a SYMBOL");
      entry_name = argv[++i];
      custom_entry = true;
    } else if (a.starts_with("--entry=")) {
      entry_name = a.substr(8);
      custom_entry = true;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: extload-run [--entry SYMBOL] [--trace] FILE... [-- ARG...]\n");
      return 0;
    } else if (a.starts_with("--")) {
      usage(("unknown option " + std::string{a}).c_str());
    } else {
      paths.emplace_back(a);
    }
  }
  if (paths.empty()) usage("no FILE given");

  auto const t0 = clock_type::now();
  // ---- read ----
  binfmt::host_file_system fs;
  std::vector<input_file> files;
  std::uint64_t total_bytes = 0;
  for (auto const& p : paths) {
    auto r = fs.read(p);
    if (!r) fail(p + ": cannot read the file");
    input_file f;
    f.path = p;
    f.bytes = *r;
    total_bytes += r->size();
    files.push_back(std::move(f));
  }
  std::string const all_files = join_files(files);
  auto const t1 = clock_type::now();

  // ---- parse: objects, archives, the archive closure ----
  std::vector<std::span<std::byte const>> explicit_objects;
  std::vector<std::string> explicit_labels;
  std::vector<archive::archive_input> archives;
  std::vector<std::size_t> archive_file;
  std::size_t total_members = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    input_file& f = files[i];
    if (archive::view::is_archive(f.bytes) || archive::view::is_thin(f.bytes)) {
      auto v = archive::view::parse(f.bytes);
      if (!v) {
        diagnostic const& d = v.error();
        std::array<char, 512> buf{};
        describe(d, buf);
        fail(f.path + ": " + (d.type_name != nullptr ? std::string{d.type_name} + ": " : std::string{}) + buf.data());
      }
      f.is_archive = true;
      f.ar = *v;
      auto n = archive::count_index_entries<format>(f.ar, machine);
      if (!n) {
        std::array<char, 512> buf{};
        describe(n.error(), buf);
        fail(f.path + ": " + buf.data());
      }
      f.index.resize(static_cast<std::size_t>(*n));
      auto k = archive::build_index<format>(f.ar, f.index, machine);
      if (!k) {
        std::array<char, 512> buf{};
        describe(k.error(), buf);
        fail(f.path + ": " + buf.data());
      }
      f.index.resize(*k);
      total_members += f.ar.member_count();
      archive_file.push_back(i);
    } else {
      auto v = object_view<format>::parse(f.bytes, machine);
      if (!v) {
        if (v.code() == errc::bad_magic) fail(f.path + ": not an ELF relocatable object or a static archive");
        diagnostic d = v.error();
        d.object = 0; // index into `one`
        std::vector<link_object> const one{{f.bytes, f.path, false}};
        fail_link(d, one, all_files);
      }
      explicit_objects.push_back(f.bytes);
      explicit_labels.push_back(f.path);
    }
  }
  for (std::size_t a = 0; a < archive_file.size(); ++a) archives.push_back({files[archive_file[a]].ar, files[archive_file[a]].index});

  std::vector<archive::chosen_member> chosen(total_members);
  std::string_view const roots[1] = {entry_name};
  auto selected = archive::select_members<format>(explicit_objects, archives, roots, chosen, machine);
  if (!selected) {
    diagnostic d = selected.error();
    std::string where = d.object != no_index && d.object < explicit_labels.size() ? explicit_labels[d.object] : all_files;
    d.object = no_index;
    std::array<char, 512> buf{};
    describe(d, buf);
    fail(where + ": " + buf.data());
  }
  chosen.resize(*selected);

  // The link: explicit objects, then members in the order they were pulled. Where the unwinder
  // reads .eh_frame, each is followed by a terminator object for its .eh_frame (one per distinct
  // e_flags: make_terminator_object).
  std::vector<link_object> program;
  for (std::size_t i = 0; i < explicit_objects.size(); ++i) program.push_back({explicit_objects[i], explicit_labels[i], false});
  for (auto const& c : chosen)
    program.push_back({archives[c.archive].ar.data(c.m), files[archive_file[c.archive]].path + "(" + std::string{c.m.name.view()} + ")", false});
  if (program.empty()) fail(all_files + ": nothing to link: no object, and no archive member defines '" + entry_name + "'");
  // By e_flags. The objects' spans point into the inner buffers, which growing this vector moves
  // but does not reallocate.
  std::vector<std::pair<std::uint32_t, std::vector<std::byte>>> terminators;
  std::vector<link_object> objects;
  std::size_t terminator_count = 0;
  for (link_object& o : program) {
    std::size_t const k = objects.size();
    objects.push_back(std::move(o));
    auto v = object_view<format>::parse(objects[k].bytes, machine);
    if (!v) {
      diagnostic d = v.error();
      d.object = static_cast<std::uint32_t>(k);
      fail_link(d, objects, all_files);
    }
    if (std::uint32_t const s = binfmt::executable_stack_note(*v); s != 0) {
      diagnostic d = binfmt::executable_stack_error(*v, s);
      d.object = static_cast<std::uint32_t>(k);
      fail_link(d, objects, all_files);
    }
    if constexpr (extload_run::unwinder == extload_run::unwind_tables::eh_frame) {
      std::uint32_t const flags = v->header().flags;
      auto t = std::find_if(terminators.begin(), terminators.end(), [&](auto const& e) { return e.first == flags; });
      if (t == terminators.end()) t = terminators.insert(t, {flags, make_terminator_object(flags)});
      objects.push_back({t->second, "(.eh_frame terminator)", true});
      ++terminator_count;
    }
  }
  auto const t2 = clock_type::now();

  // ---- link ----
  host_mmap_allocator alloc;
  region_block stub_block{};
  resolver_context context;
  if (!make_canonical_stubs(split_address_imports(objects), alloc, stub_block, context))
    fail(all_files + ": cannot map the stubs for imported functions next to the tool (no free address range)");
  run_loader ld{alloc, tool_exports};
  load_options opt{};
  opt.fallback = resolver{&host_resolve, &context};
  run_loader::report_type report{};
  std::vector<std::span<std::byte const>> spans;
  for (auto const& o : objects) spans.push_back(o.bytes);
  auto loaded = ld.load(std::span<std::span<std::byte const> const>(spans), opt, &report);
  if (!loaded) fail_link(loaded.error(), objects, all_files);
  extension* ext = *loaded;
  found_symbol const entry = ext->find(entry_name);
  if (!entry) {
    ld.unload(ext);
    fail(all_files + ": no FILE defines the entry symbol '" + entry_name + "'");
  }
  auto const t3 = clock_type::now();

  // ---- init: unwind tables, constructors ----
  std::vector<void*> frames;
  std::size_t frames_skipped = 0;
  std::vector<extload_run::exidx_table> exidx;
  for (section_record const& s : ext->sections()) {
    if constexpr (extload_run::unwinder == extload_run::unwind_tables::arm_exidx) {
      // ARM EHABI (EHABI §5 "Index table"): each .ARM.exidx section (SHT_ARM_EXIDX, SHF_LINK_ORDER)
      // indexes the text section its sh_link names, sorted by function address, as ld would
      // have merged them; the loader has resolved its R_ARM_PREL31 words in place. Each is
      // published as its own table, for PCs inside its text section.
      if (s.type != elf::SHT_ARM_EXIDX || s.size < 8) continue;
      auto v = object_view<format>::parse(objects[s.object].bytes, machine); // parsed before the link
      if (!v || s.index >= v->section_count()) continue;
      std::uint32_t const text = v->section(s.index).link;
      for (section_record const& t : ext->sections())
        if (t.object == s.object && t.index == text && t.size != 0) {
          exidx.push_back({t.address, t.address + t.size, s.address, s.size / 8});
          break;
        }
    } else {
      if (ext->name_of(s) != ".eh_frame" || s.size < 4) continue;
      // Register only when the next word is the terminator's zero (inside the same region).
      std::uint64_t const end = s.address + s.size;
      auto const& rb = ext->regions();
      auto const r = static_cast<std::size_t>(s.kind);
      bool const room = end >= rb.address[r] && end - rb.address[r] + 4 <= rb.size[r];
      if (!room || load_at<std::uint32_t, format::byte_order>(address_to_object<std::byte const>(end)) != 0) {
        ++frames_skipped;
        continue;
      }
      void* const p = address_to_object<void>(s.address);
      extload_run::register_eh_frame(p);
      frames.push_back(p);
    }
  }
  extload_run::publish_exidx_tables(exidx);
#if defined(EXTLOAD_RUN_LSAN)
  // The program's globals hold pointers to its heap blocks: make LSan scan them as it scans a
  // linked program's data.
  for (std::size_t r = static_cast<std::size_t>(region::data); r < region_count; ++r)
    if (ext->regions().size[r] != 0) __lsan_register_root_region(ext->regions().base[r], ext->regions().size[r]);
#endif
  std::fflush(stdout);
  bool exited = guarded([&] { ext->bring_up(); });
  auto const t4 = clock_type::now();

  // ---- run ----
  std::vector<char*> program_argv;
  program_argv.push_back(const_cast<char*>(paths.front().c_str()));
  for (auto& a : args) program_argv.push_back(a.data());
  program_argv.push_back(nullptr);
  int status = exited ? exit_status : 0;
  if (!exited) {
    if (custom_entry) {
      exited = guarded([&] { exit_status = address_to_function<int()>(entry.address)(); });
    } else {
      int const pargc = static_cast<int>(program_argv.size() - 1);
      char** const pargv = program_argv.data();
      exited = guarded([&] { exit_status = address_to_function<int(int, char**, char**)>(entry.address)(pargc, pargv, environ); });
    }
    status = exit_status;
  }
  auto const t5 = clock_type::now();

  // ---- fini: exit handlers (newest first), destructors, unwind tables, unload ----
  std::size_t const handler_count = handlers->size();
  run_exit_handlers(status);
  status = exit_status;
  std::size_t const destructors = ext->destructors().size();
  if (guarded([&] { ext->tear_down(); })) status = exit_status;
  std::fflush(nullptr);
#if defined(EXTLOAD_RUN_LSAN)
  __lsan_do_leak_check(); // while the program's globals still exist, as at a native exit
  for (std::size_t r = static_cast<std::size_t>(region::data); r < region_count; ++r)
    if (ext->regions().size[r] != 0) __lsan_unregister_root_region(ext->regions().base[r], ext->regions().size[r]);
#endif
  for (void* p : frames) extload_run::deregister_eh_frame(p);
  extload_run::publish_exidx_tables({});
  ld.unload(ext);
  alloc.release(stub_block);
  auto const t6 = clock_type::now();

  if (trace) {
    auto line = [](std::string const& s) { std::fprintf(stderr, "extload-run: trace: %s\n", s.c_str()); };
    char b[512];
    std::snprintf(b, sizeof b, "read  %8.3f ms  %zu files, %llu bytes", ms(t1 - t0), files.size(), static_cast<unsigned long long>(total_bytes));
    line(b);
    std::snprintf(b, sizeof b, "parse %8.3f ms  %zu objects, %zu archives: %zu of %zu members needed", ms(t2 - t1),
                  explicit_objects.size(), archives.size(), chosen.size(), total_members);
    line(b);
    for (auto const& c : chosen)
      line("        member " + files[archive_file[c.archive]].path + "(" + std::string{c.m.name.view()} + ")");
    std::snprintf(b, sizeof b, "link  %8.3f ms  %u objects (%zu .eh_frame terminators), %u sections, %u symbols, %llu relocations",
                  ms(t3 - t2), report.objects, terminator_count, report.sections_loaded, report.symbols,
                  static_cast<unsigned long long>(report.relocations));
    line(b);
    std::snprintf(b, sizeof b, "        imports: tool %u, host %u, internal %u, weak-zero %u; GOT slots %u, veneers %u (%u uses), commons %u, COMDAT groups discarded %u",
                  report.imports_firmware, report.imports_resolver, report.imports_internal, report.imports_weak_zero,
                  report.got_slots, report.veneers, report.veneer_uses, report.common_symbols, report.comdat_groups_discarded);
    line(b);
    report.for_each_type([&](std::uint32_t, char const* name, std::uint64_t n) {
      std::snprintf(b, sizeof b, "        %-24s %llu", name, static_cast<unsigned long long>(n));
      line(b);
    });
    if (!extload_run::split_address_types.empty()) {
      std::snprintf(b, sizeof b, "        canonical stubs %zu (imported functions whose address -fno-pic code builds in two halves)",
                    context.stubs.size());
      line(b);
    }
    std::snprintf(b, sizeof b, "        regions: text %llu, rodata %llu, data %llu, bss %llu bytes; window [0x%llx, 0x%llx]",
                  static_cast<unsigned long long>(report.region_bytes[0]), static_cast<unsigned long long>(report.region_bytes[1]),
                  static_cast<unsigned long long>(report.region_bytes[2]), static_cast<unsigned long long>(report.region_bytes[3]),
                  static_cast<unsigned long long>(report.window.lo), static_cast<unsigned long long>(report.window.hi));
    line(b);
    if constexpr (extload_run::unwinder == extload_run::unwind_tables::arm_exidx)
      std::snprintf(b, sizeof b, "init  %8.3f ms  %zu .ARM.exidx tables published", ms(t4 - t3), exidx.size());
    else
      std::snprintf(b, sizeof b, "init  %8.3f ms  %zu .eh_frame registered, %zu not (no terminator)", ms(t4 - t3), frames.size(), frames_skipped);
    line(b);
    std::snprintf(b, sizeof b, "run   %8.3f ms  %s returned %d%s", ms(t5 - t4), entry_name.c_str(), status, exited ? " (through exit())" : "");
    line(b);
    std::snprintf(b, sizeof b, "fini  %8.3f ms  %zu exit handlers, %zu destructors", ms(t6 - t5), handler_count, destructors);
    line(b);
  }
  for (auto const& f : files) fs.release(f.bytes);
  std::fflush(nullptr);
  return status & 0xff;
}
