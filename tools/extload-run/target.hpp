// tools/extload-run/target.hpp: the machine extload-run runs on, chosen once by the compiler's
// host macros: the ELF format and relocation set of the objects it links (the same selection as
// tests/support/host_arch.hpp, kept here so that the tool does not depend on the test tree), and
// what the tool does differently per architecture:
//   * how the host's unwinder finds unwind tables: DWARF .eh_frame registered with libgcc's
//     __register_frame (x86-64, AArch64, RISC-V, i386), or the ARM EHABI index .ARM.exidx,
//     found through __gnu_Unwind_Find_exidx (32-bit ARM; main.cpp, host.cpp);
//   * how far code can reach data, for the refusal messages (main.cpp's header comment);
//   * the relocation types with which -fno-pic code builds an address in two instructions that
//     the loader cannot send to a veneer (split_address_types: AArch64's ADRP pairs): an imported
//     function reached so needs one address within reach, which the tool provides (main.cpp,
//     "canonical stubs").
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include <extload/elf/format.hpp>

#if defined(__x86_64__)
#include <extload/arch/x86_64.hpp>
#elif defined(__aarch64__)
#include <extload/arch/aarch64.hpp>
#elif defined(__arm__)
#include <extload/arch/arm.hpp>
#elif defined(__riscv) && __riscv_xlen == 64
#include <extload/arch/riscv.hpp>
#elif defined(__i386__)
#include <extload/arch/i386.hpp>
#else
#error "extload-run: no relocation set for this host (x86-64, AArch64, ARM, RISC-V 64 and i386 are supported)"
#endif

namespace extload_run {

enum class unwind_tables : unsigned char { eh_frame, arm_exidx };

#if defined(__x86_64__)
using format = extload::elf64le;
using arch_type = extload::arch::x86_64;
inline constexpr unwind_tables unwinder = unwind_tables::eh_frame;
// Small code model: PC32 (PIE) and 32/32S (-fno-pic) against data.
inline constexpr std::string_view reach_note =
    "small-code-model code reaches this data with a 32-bit displacement or address; no placement of the "
    "program is within 2 GiB of it; build with -fPIE/-fPIC, or -mcmodel=large";
// R_X86_64_32/32S hold a whole address: the loader's veneer stands in for a far function.
inline constexpr std::array<std::uint32_t, 0> split_address_types{};
#elif defined(__aarch64__)
using format = extload::elf64le;
using arch_type = extload::arch::aarch64;
inline constexpr unwind_tables unwinder = unwind_tables::eh_frame;
// Small code model: ADRP + ADD/LDR (-fno-pic) against data, Page(S + A) - Page(P) in ±4 GiB.
inline constexpr std::string_view reach_note =
    "small-code-model code reaches this data with ADRP (+-4 GiB); no placement of the program is within "
    "4 GiB of it; build with -fPIE/-fPIC";
// ADRP (page of S + A) + ADD/LDR :lo12: (R_AARCH64_ADD_ABS_LO12_NC, ...: S + A again).
inline constexpr std::array<std::uint32_t, 2> split_address_types{arch_type::R_AARCH64_ADR_PREL_PG_HI21,
                                                                  arch_type::R_AARCH64_ADR_PREL_PG_HI21_NC};
#elif defined(__arm__)
using format = extload::elf32le;
using arch_type = extload::arch::arm_linux; // GNU/Linux objects: R_ARM_TARGET2 is GOT_PREL
inline constexpr unwind_tables unwinder = unwind_tables::arm_exidx;
// MOVW/MOVT and literal pools hold whole 32-bit addresses: nothing is out of reach.
inline constexpr std::string_view reach_note = "no placement of the program reaches this symbol";
inline constexpr std::array<std::uint32_t, 0> split_address_types{};
#elif defined(__riscv) && __riscv_xlen == 64
using format = extload::elf64le;
using arch_type = extload::arch::riscv64; // lp64d, as riscv64-linux-gnu
inline constexpr unwind_tables unwinder = unwind_tables::eh_frame;
// -fno-pic code (medlow, the default): LUI + ADDI/LD/SD (HI20/LO12) absolute, below 2 GiB;
// medany: AUIPC + ADDI/LD (PCREL_HI20/LO12) against data, ±2 GiB from the code.
inline constexpr std::string_view reach_note =
    "code reaches this data with LUI (an absolute address below 2 GiB, -mcmodel=medlow) or AUIPC (+-2 GiB, "
    "-mcmodel=medany); no placement of the program reaches it; build with -fPIE/-fPIC";
// LUI %hi(S + A) + ADDI/LD %lo(S + A) of a far function: the loader sends both halves to its
// veneer (R_RISCV_LO12_I/S decide as their HI20 does), so no stub is needed.
inline constexpr std::array<std::uint32_t, 0> split_address_types{};
#elif defined(__i386__)
using format = extload::elf32le;
using arch_type = extload::arch::x86_32;
inline constexpr unwind_tables unwinder = unwind_tables::eh_frame;
// 32-bit absolute and PC-relative fields cover the whole address space.
inline constexpr std::string_view reach_note = "no placement of the program reaches this symbol";
inline constexpr std::array<std::uint32_t, 0> split_address_types{};
#endif

} // namespace extload_run
