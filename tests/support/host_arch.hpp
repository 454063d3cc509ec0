// tests/support/host_arch.hpp: the ELF format and relocation set of the machine the tests run on,
// so the tests that execute loaded code (real objects, the demo firmware, extload-run) work on
// every architecture the project is built for — natively or under qemu through a meson cross file
// (tests/cross/*.ini). Only the host's set is included: a loader instantiates no other
// architecture's code.
#pragma once

#include "extload/elf/format.hpp"

#if defined(__x86_64__)
#include "extload/arch/x86_64.hpp"
namespace extload::inline v0::test {
using host_format = elf64le;
using host_arch = arch::x86_64;
inline constexpr char const* host_arch_name = "x86-64";
} // namespace extload::test
#elif defined(__aarch64__) && __has_include("extload/arch/aarch64.hpp")
#include "extload/arch/aarch64.hpp"
namespace extload::inline v0::test {
using host_format = elf64le;
using host_arch = arch::aarch64;
inline constexpr char const* host_arch_name = "aarch64";
} // namespace extload::test
#elif defined(__arm__) && __has_include("extload/arch/arm.hpp")
#include "extload/arch/arm.hpp"
namespace extload::inline v0::test {
using host_format = elf32le;
using host_arch = arch::arm_linux; // Linux objects: TARGET2 is GOT_PREL
inline constexpr char const* host_arch_name = "arm";
} // namespace extload::test
#elif defined(__riscv) && __riscv_xlen == 64 && __has_include("extload/arch/riscv.hpp")
#include "extload/arch/riscv.hpp"
namespace extload::inline v0::test {
using host_format = elf64le;
using host_arch = arch::riscv64;
inline constexpr char const* host_arch_name = "riscv64";
} // namespace extload::test
#elif defined(__i386__) && __has_include("extload/arch/i386.hpp")
#include "extload/arch/i386.hpp"
namespace extload::inline v0::test {
using host_format = elf32le;
using host_arch = arch::x86_32;
inline constexpr char const* host_arch_name = "i386";
} // namespace extload::test
#else
#error "tests/support/host_arch.hpp: no relocation set for this host architecture"
#endif
