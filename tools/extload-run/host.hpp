// tools/extload-run/host.hpp: what extload-run asks of the host process, behind a plain
// interface: glibc's <elf.h>/<link.h> define the gABI constants as macros, which would clash
// with extload's constexpr constants (elf/constants.hpp), so host.cpp includes them alone.
#pragma once

#include <cstdint>
#include <span>

namespace extload_run {

enum class host_kind : std::uint8_t { unknown, function, object };

struct host_symbol {
  std::uint64_t address = 0;
  host_kind kind = host_kind::unknown;
  bool found = false;
};

// dlsym(RTLD_DEFAULT, name); dladdr1(RTLD_DL_SYMENT) tells functions (STT_FUNC, STT_GNU_IFUNC)
// from data (STT_OBJECT, STT_COMMON, STT_TLS).
host_symbol lookup_host_symbol(char const* name) noexcept;

// Takes the address of the C and C++ libraries' common data objects, so that on the hosts where
// extload-run is linked -no-pie (x86-64, AArch64, RISC-V 64) the link editor copies them into its
// .bss, within reach of the loaded program, and dlsym returns those copies (main.cpp explains).
void anchor_library_data() noexcept;

// The address of libc's __cxa_at_quick_exit (at_quick_exit itself is in libc_nonshared.a).
void* cxa_at_quick_exit() noexcept;

// Hosts whose unwinder reads DWARF .eh_frame (target.hpp: unwind_tables::eh_frame): libgcc's
// __register_frame / __deregister_frame. Defined on those hosts only.
void register_eh_frame(void* begin) noexcept;
void deregister_eh_frame(void* begin) noexcept;

// 32-bit ARM (unwind_tables::arm_exidx): one loaded .ARM.exidx section, `count` 8-byte entries
// at `exidx`, indexing the text section [text_lo, text_hi).
struct exidx_table {
  std::uint64_t text_lo = 0, text_hi = 0;
  std::uint64_t exidx = 0;
  std::uint64_t count = 0;
};
// Makes the tables the answer of this process's __gnu_Unwind_Find_exidx for PCs inside them
// (copied; an empty span withdraws them). Call only while no program code runs. On other hosts,
// nothing to do.
void publish_exidx_tables(std::span<exidx_table const> tables);

} // namespace extload_run
