// tools/extload-run/host.cpp: dlsym/dladdr1 and the data anchors (see host.hpp).
#include "host.hpp"

#include <argp.h>
#include <dlfcn.h>
#include <error.h>
#include <netinet/in.h>
#include <obstack.h>
#include <regex.h>
#include <sys/single_threaded.h>
#include <elf.h>
#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <new>
#include <stdexcept>
#include <system_error>
#include <typeinfo>
#include <functional>
#include <ios>
#include <iterator>
#include <vector>

extern "C" char** environ;

#if !defined(__arm__)
// libgcc's unwinder registry (unwind-dw2-fde.c): an object's .eh_frame, ended by a zero word.
// (ARM's EHABI libgcc has no such registry: see __gnu_Unwind_Find_exidx below.)
extern "C" void __register_frame(void* begin);
extern "C" void __deregister_frame(void* begin);
#endif

// libstdc++'s stream vtables and VTTs (construction tables) and the type_info vtables: inline
// constructors of std::ostringstream, std::ifstream, ... name them directly (x86-64: R_X86_64_32
// in -fno-pic code, PC32 in PIE code; AArch64 -fno-pic: ADRP; RISC-V -fno-pic: HI20). The list
// is every such object of libstdc++.so.6 (GCC 12); declared by symbol name, the only way to name
// a vtable or a VTT.
extern "C" {
extern char _ZTTNSt7__cxx1118basic_stringstreamIcSt11char_traitsIcESaIcEEE[];
extern char _ZTTNSt7__cxx1118basic_stringstreamIwSt11char_traitsIwESaIwEEE[];
extern char _ZTTNSt7__cxx1119basic_istringstreamIcSt11char_traitsIcESaIcEEE[];
extern char _ZTTNSt7__cxx1119basic_istringstreamIwSt11char_traitsIwESaIwEEE[];
extern char _ZTTNSt7__cxx1119basic_ostringstreamIcSt11char_traitsIcESaIcEEE[];
extern char _ZTTNSt7__cxx1119basic_ostringstreamIwSt11char_traitsIwESaIwEEE[];
extern char _ZTTSt13basic_fstreamIcSt11char_traitsIcEE[];
extern char _ZTTSt13basic_fstreamIwSt11char_traitsIwEE[];
extern char _ZTTSt13basic_istreamIwSt11char_traitsIwEE[];
extern char _ZTTSt13basic_ostreamIwSt11char_traitsIwEE[];
extern char _ZTTSt14basic_ifstreamIcSt11char_traitsIcEE[];
extern char _ZTTSt14basic_ifstreamIwSt11char_traitsIwEE[];
extern char _ZTTSt14basic_iostreamIwSt11char_traitsIwEE[];
extern char _ZTTSt14basic_ofstreamIcSt11char_traitsIcEE[];
extern char _ZTTSt14basic_ofstreamIwSt11char_traitsIwEE[];
extern char _ZTTSt18basic_stringstreamIcSt11char_traitsIcESaIcEE[];
extern char _ZTTSt18basic_stringstreamIwSt11char_traitsIwESaIwEE[];
extern char _ZTTSt19basic_istringstreamIcSt11char_traitsIcESaIcEE[];
extern char _ZTTSt19basic_istringstreamIwSt11char_traitsIwESaIwEE[];
extern char _ZTTSt19basic_ostringstreamIcSt11char_traitsIcESaIcEE[];
extern char _ZTTSt19basic_ostringstreamIwSt11char_traitsIwESaIwEE[];
extern char _ZTVN10__cxxabiv117__class_type_infoE[];
extern char _ZTVN10__cxxabiv119__pointer_type_infoE[];
extern char _ZTVN10__cxxabiv120__si_class_type_infoE[];
extern char _ZTVN10__cxxabiv121__vmi_class_type_infoE[];
extern char _ZTVN10__cxxabiv123__fundamental_type_infoE[];
extern char _ZTVNSt7__cxx1115basic_stringbufIcSt11char_traitsIcESaIcEEE[];
extern char _ZTVNSt7__cxx1115basic_stringbufIwSt11char_traitsIwESaIwEEE[];
extern char _ZTVNSt7__cxx1118basic_stringstreamIcSt11char_traitsIcESaIcEEE[];
extern char _ZTVNSt7__cxx1118basic_stringstreamIwSt11char_traitsIwESaIwEEE[];
extern char _ZTVNSt7__cxx1119basic_istringstreamIcSt11char_traitsIcESaIcEEE[];
extern char _ZTVNSt7__cxx1119basic_istringstreamIwSt11char_traitsIwESaIwEEE[];
extern char _ZTVNSt7__cxx1119basic_ostringstreamIcSt11char_traitsIcESaIcEEE[];
extern char _ZTVNSt7__cxx1119basic_ostringstreamIwSt11char_traitsIwESaIwEEE[];
extern char _ZTVSt13basic_filebufIcSt11char_traitsIcEE[];
extern char _ZTVSt13basic_filebufIwSt11char_traitsIwEE[];
extern char _ZTVSt13basic_fstreamIcSt11char_traitsIcEE[];
extern char _ZTVSt13basic_fstreamIwSt11char_traitsIwEE[];
extern char _ZTVSt13basic_istreamIwSt11char_traitsIwEE[];
extern char _ZTVSt13basic_ostreamIwSt11char_traitsIwEE[];
extern char _ZTVSt14basic_ifstreamIcSt11char_traitsIcEE[];
extern char _ZTVSt14basic_ifstreamIwSt11char_traitsIwEE[];
extern char _ZTVSt14basic_iostreamIwSt11char_traitsIwEE[];
extern char _ZTVSt14basic_ofstreamIcSt11char_traitsIcEE[];
extern char _ZTVSt14basic_ofstreamIwSt11char_traitsIwEE[];
extern char _ZTVSt15basic_streambufIcSt11char_traitsIcEE[];
extern char _ZTVSt15basic_streambufIwSt11char_traitsIwEE[];
extern char _ZTVSt15basic_stringbufIcSt11char_traitsIcESaIcEE[];
extern char _ZTVSt15basic_stringbufIwSt11char_traitsIwESaIwEE[];
extern char _ZTVSt18basic_stringstreamIcSt11char_traitsIcESaIcEE[];
extern char _ZTVSt18basic_stringstreamIwSt11char_traitsIwESaIwEE[];
extern char _ZTVSt19basic_istringstreamIcSt11char_traitsIcESaIcEE[];
extern char _ZTVSt19basic_istringstreamIwSt11char_traitsIwESaIwEE[];
extern char _ZTVSt19basic_ostringstreamIcSt11char_traitsIcESaIcEE[];
extern char _ZTVSt19basic_ostringstreamIwSt11char_traitsIwESaIwEE[];
extern char _ZTVSt9basic_iosIcSt11char_traitsIcEE[];
extern char _ZTVSt9basic_iosIwSt11char_traitsIwEE[];
}

namespace extload_run {

host_symbol lookup_host_symbol(char const* name) noexcept {
  void* const p = dlsym(RTLD_DEFAULT, name);
  if (p == nullptr) return {};
  host_symbol s{static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p)), host_kind::unknown, true};
  Dl_info info{};
  void* entry = nullptr; // dladdr1 stores a const ElfW(Sym)* here
  if (dladdr1(p, &info, &entry, RTLD_DL_SYMENT) != 0 && entry != nullptr) {
    auto const* sym = static_cast<ElfW(Sym) const*>(entry);
    unsigned const t = ELF64_ST_TYPE(sym->st_info); // st_info packs the type alike in ELF32 and ELF64
    if (t == STT_FUNC || t == STT_GNU_IFUNC) s.kind = host_kind::function;
    else if (t == STT_OBJECT || t == STT_COMMON || t == STT_TLS) s.kind = host_kind::object;
  }
  return s;
}

// The addresses are taken by code (not by a static initializer, which would become a dynamic
// R_X86_64_64 / R_AARCH64_ABS64 / R_RISCV_64 relocation): -fno-pie code names them directly
// (R_X86_64_32S, ADRP + ADD, LUI + ADDI), which makes ld copy them into the executable. On ARM
// and i386, where nothing needs the copies (main.cpp), the tool is a PIE and this only takes
// addresses.
void const* volatile library_data_anchors[36]; // external: kept, and never read
void const* volatile typeinfo_anchors[64];
void const* volatile vtable_anchors[57];
void anchor_library_data() noexcept {
  auto& anchors = library_data_anchors;
  int i = 0;
  for (void const* p : {static_cast<void const*>(&stdin), static_cast<void const*>(&stdout),
                        static_cast<void const*>(&stderr), static_cast<void const*>(&environ),
                        static_cast<void const*>(&optarg), static_cast<void const*>(&optind),
                        static_cast<void const*>(&opterr), static_cast<void const*>(&optopt),
                        static_cast<void const*>(&program_invocation_name),
                        static_cast<void const*>(&program_invocation_short_name),
                        static_cast<void const*>(&timezone), static_cast<void const*>(&daylight),
                        static_cast<void const*>(&tzname), static_cast<void const*>(&signgam),
                        static_cast<void const*>(&__libc_single_threaded), static_cast<void const*>(&getdate_err),
                        static_cast<void const*>(&in6addr_any), static_cast<void const*>(&in6addr_loopback),
                        static_cast<void const*>(&argp_err_exit_status), static_cast<void const*>(&argp_program_version),
                        static_cast<void const*>(&argp_program_bug_address), static_cast<void const*>(&argp_program_version_hook),
                        static_cast<void const*>(&error_message_count), static_cast<void const*>(&error_one_per_line),
                        static_cast<void const*>(&error_print_progname), static_cast<void const*>(&obstack_alloc_failed_handler),
                        static_cast<void const*>(&obstack_exit_failure), static_cast<void const*>(&re_syntax_options),
                        static_cast<void const*>(&std::cout), static_cast<void const*>(&std::cin),
                        static_cast<void const*>(&std::cerr), static_cast<void const*>(&std::clog),
                        static_cast<void const*>(&std::wcout), static_cast<void const*>(&std::wcin),
                        static_cast<void const*>(&std::wcerr), static_cast<void const*>(&std::wclog)})
    anchors[i++] = p;
  // The typeinfo objects thrown and caught most: exception objects name them PC-relatively
  // (__cxa_throw's second argument, .gcc_except_table type entries in non-PIC code).
  i = 0;
  for (std::type_info const* t :
       {&typeid(bool), &typeid(char), &typeid(signed char), &typeid(unsigned char), &typeid(short), &typeid(unsigned short),
        &typeid(int), &typeid(unsigned), &typeid(long), &typeid(unsigned long), &typeid(long long), &typeid(unsigned long long),
        &typeid(float), &typeid(double), &typeid(long double), &typeid(char*), &typeid(char const*), &typeid(void*),
        &typeid(std::exception), &typeid(std::bad_exception), &typeid(std::bad_alloc), &typeid(std::bad_array_new_length),
        &typeid(std::bad_cast), &typeid(std::bad_typeid), &typeid(std::logic_error), &typeid(std::domain_error),
        &typeid(std::invalid_argument), &typeid(std::length_error), &typeid(std::out_of_range), &typeid(std::runtime_error),
        &typeid(std::range_error), &typeid(std::overflow_error), &typeid(std::underflow_error), &typeid(std::system_error),
        &typeid(std::bad_function_call), &typeid(std::ios_base::failure)})
    typeinfo_anchors[i++] = t;
  i = 0;
  for (void const* v : {static_cast<void const*>(_ZTTNSt7__cxx1118basic_stringstreamIcSt11char_traitsIcESaIcEEE), static_cast<void const*>(_ZTTNSt7__cxx1118basic_stringstreamIwSt11char_traitsIwESaIwEEE), static_cast<void const*>(_ZTTNSt7__cxx1119basic_istringstreamIcSt11char_traitsIcESaIcEEE), static_cast<void const*>(_ZTTNSt7__cxx1119basic_istringstreamIwSt11char_traitsIwESaIwEEE), static_cast<void const*>(_ZTTNSt7__cxx1119basic_ostringstreamIcSt11char_traitsIcESaIcEEE), static_cast<void const*>(_ZTTNSt7__cxx1119basic_ostringstreamIwSt11char_traitsIwESaIwEEE), static_cast<void const*>(_ZTTSt13basic_fstreamIcSt11char_traitsIcEE), static_cast<void const*>(_ZTTSt13basic_fstreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTTSt13basic_istreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTTSt13basic_ostreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTTSt14basic_ifstreamIcSt11char_traitsIcEE), static_cast<void const*>(_ZTTSt14basic_ifstreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTTSt14basic_iostreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTTSt14basic_ofstreamIcSt11char_traitsIcEE), static_cast<void const*>(_ZTTSt14basic_ofstreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTTSt18basic_stringstreamIcSt11char_traitsIcESaIcEE), static_cast<void const*>(_ZTTSt18basic_stringstreamIwSt11char_traitsIwESaIwEE), static_cast<void const*>(_ZTTSt19basic_istringstreamIcSt11char_traitsIcESaIcEE), static_cast<void const*>(_ZTTSt19basic_istringstreamIwSt11char_traitsIwESaIwEE), static_cast<void const*>(_ZTTSt19basic_ostringstreamIcSt11char_traitsIcESaIcEE), static_cast<void const*>(_ZTTSt19basic_ostringstreamIwSt11char_traitsIwESaIwEE), static_cast<void const*>(_ZTVN10__cxxabiv117__class_type_infoE), static_cast<void const*>(_ZTVN10__cxxabiv119__pointer_type_infoE), static_cast<void const*>(_ZTVN10__cxxabiv120__si_class_type_infoE), static_cast<void const*>(_ZTVN10__cxxabiv121__vmi_class_type_infoE), static_cast<void const*>(_ZTVN10__cxxabiv123__fundamental_type_infoE), static_cast<void const*>(_ZTVNSt7__cxx1115basic_stringbufIcSt11char_traitsIcESaIcEEE), static_cast<void const*>(_ZTVNSt7__cxx1115basic_stringbufIwSt11char_traitsIwESaIwEEE), static_cast<void const*>(_ZTVNSt7__cxx1118basic_stringstreamIcSt11char_traitsIcESaIcEEE), static_cast<void const*>(_ZTVNSt7__cxx1118basic_stringstreamIwSt11char_traitsIwESaIwEEE), static_cast<void const*>(_ZTVNSt7__cxx1119basic_istringstreamIcSt11char_traitsIcESaIcEEE), static_cast<void const*>(_ZTVNSt7__cxx1119basic_istringstreamIwSt11char_traitsIwESaIwEEE), static_cast<void const*>(_ZTVNSt7__cxx1119basic_ostringstreamIcSt11char_traitsIcESaIcEEE), static_cast<void const*>(_ZTVNSt7__cxx1119basic_ostringstreamIwSt11char_traitsIwESaIwEEE), static_cast<void const*>(_ZTVSt13basic_filebufIcSt11char_traitsIcEE), static_cast<void const*>(_ZTVSt13basic_filebufIwSt11char_traitsIwEE), static_cast<void const*>(_ZTVSt13basic_fstreamIcSt11char_traitsIcEE), static_cast<void const*>(_ZTVSt13basic_fstreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTVSt13basic_istreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTVSt13basic_ostreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTVSt14basic_ifstreamIcSt11char_traitsIcEE), static_cast<void const*>(_ZTVSt14basic_ifstreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTVSt14basic_iostreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTVSt14basic_ofstreamIcSt11char_traitsIcEE), static_cast<void const*>(_ZTVSt14basic_ofstreamIwSt11char_traitsIwEE), static_cast<void const*>(_ZTVSt15basic_streambufIcSt11char_traitsIcEE), static_cast<void const*>(_ZTVSt15basic_streambufIwSt11char_traitsIwEE), static_cast<void const*>(_ZTVSt15basic_stringbufIcSt11char_traitsIcESaIcEE), static_cast<void const*>(_ZTVSt15basic_stringbufIwSt11char_traitsIwESaIwEE), static_cast<void const*>(_ZTVSt18basic_stringstreamIcSt11char_traitsIcESaIcEE), static_cast<void const*>(_ZTVSt18basic_stringstreamIwSt11char_traitsIwESaIwEE), static_cast<void const*>(_ZTVSt19basic_istringstreamIcSt11char_traitsIcESaIcEE), static_cast<void const*>(_ZTVSt19basic_istringstreamIwSt11char_traitsIwESaIwEE), static_cast<void const*>(_ZTVSt19basic_ostringstreamIcSt11char_traitsIcESaIcEE), static_cast<void const*>(_ZTVSt19basic_ostringstreamIwSt11char_traitsIwESaIwEE), static_cast<void const*>(_ZTVSt9basic_iosIcSt11char_traitsIcEE), static_cast<void const*>(_ZTVSt9basic_iosIwSt11char_traitsIwEE)})
    vtable_anchors[i++] = v;
}

void* cxa_at_quick_exit() noexcept { return dlsym(RTLD_DEFAULT, "__cxa_at_quick_exit"); }

#if !defined(__arm__)
void register_eh_frame(void* begin) noexcept { __register_frame(begin); }
void deregister_eh_frame(void* begin) noexcept { __deregister_frame(begin); }
void publish_exidx_tables(std::span<exidx_table const>) {}
#else
namespace {
// Sorted by text_lo; written only while no program code runs (host.hpp).
std::vector<exidx_table> exidx_tables;
} // namespace

void publish_exidx_tables(std::span<exidx_table const> tables) {
  exidx_tables.assign(tables.begin(), tables.end());
  std::sort(exidx_tables.begin(), exidx_tables.end(), [](exidx_table const& a, exidx_table const& b) { return a.text_lo < b.text_lo; });
}
#endif

} // namespace extload_run

#if defined(__arm__)
// ARM EHABI: libgcc's unwinder (unwind-arm-common.inc, get_eit_entry) asks
// __gnu_Unwind_Find_exidx(pc, &nrec) for the exception index table covering pc, expecting the
// first of `nrec` 8-byte entries sorted by function address; glibc defines it (a dynamic symbol,
// GLIBC_2.4) by walking the loaded modules' PT_ARM_EXIDX segments, which the loaded program does
// not have. This definition, exported from the executable (tools/meson.build:
// --export-dynamic-symbol), comes first in the global scope and so interposes for libgcc_s: a pc
// inside a loaded text section gets that section's .ARM.exidx, anything else goes to the next
// definition (glibc's). libgcc searches the table it gets by function address and takes the last
// entry as reaching to the end of the address space, which only the section's own code asks about.
extern "C" std::uintptr_t __gnu_Unwind_Find_exidx(std::uintptr_t pc, int* nrec) {
  using extload_run::exidx_table;
  auto const& t = extload_run::exidx_tables;
  auto const it = std::upper_bound(t.begin(), t.end(), std::uint64_t{pc},
                                   [](std::uint64_t p, exidx_table const& e) { return p < e.text_lo; });
  if (it != t.begin() && pc < std::prev(it)->text_hi) {
    *nrec = static_cast<int>(std::prev(it)->count);
    return static_cast<std::uintptr_t>(std::prev(it)->exidx);
  }
  using find_exidx = std::uintptr_t(std::uintptr_t, int*);
  static find_exidx* const next = reinterpret_cast<find_exidx*>(dlsym(RTLD_NEXT, "__gnu_Unwind_Find_exidx"));
  if (next == nullptr) {
    *nrec = 0;
    return 0;
  }
  return next(pc, nrec);
}
#endif
