// tools/extload-run/host.hpp: what extload-run asks of the host process, behind a plain
// interface: glibc's <elf.h>/<link.h> define the gABI constants as macros, which would clash
// with extload's constexpr constants (elf/constants.hpp), so host.cpp includes them alone.
#pragma once

#include <cstdint>

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

// Takes the address of the C and C++ libraries' common data objects, so that the link editor
// copies them into this -no-pie program's .bss (below 2 GiB) and dlsym returns those copies.
void anchor_library_data() noexcept;

// The address of libc's __cxa_at_quick_exit (at_quick_exit itself is in libc_nonshared.a).
void* cxa_at_quick_exit() noexcept;

} // namespace extload_run
