// tests/cortex_m/startup.cpp: reset and faults of the Cortex-M4 test firmware on qemu's
// mps2-an386. The vector table sits at 0x0000'0000 (mps2_an386.ld), where the core reads the
// initial SP and the reset vector (ARMv7-M ARM B1.5.3). Reset copies .data from code memory to
// SRAM, zeroes .bss (the extension arena included), runs cortex_m::run() and exits through
// semihosting with its status. Every fault vector reports the fault, the faulting PC and the
// object under test, then exits with status 3, so a wrong relocation that crashes the core
// fails the test with a message instead of a qemu lockup or a hang.
#include <cstddef>
#include <cstdint>

#include "semihosting.hpp"

namespace cortex_m {
int run() noexcept; // firmware.cpp
}

extern "C" {
// Defined by mps2_an386.ld.
extern std::uint32_t __data_start[], __data_end[];
extern std::uint32_t const __data_load[];
extern std::uint32_t __bss_start[], __bss_end[];
extern std::byte __stack_top[];

[[noreturn]] void cortex_m_reset() noexcept;
void cortex_m_fault() noexcept;
[[noreturn]] void cortex_m_fault_report(std::uint32_t const* frame, std::uint32_t ipsr) noexcept;
}

[[noreturn]] void cortex_m_reset() noexcept {
  std::uint32_t const* from = __data_load;
  for (std::uint32_t* to = __data_start; to < __data_end;) *to++ = *from++;
  for (std::uint32_t* p = __bss_start; p < __bss_end;) *p++ = 0;
  cortex_m::exit(cortex_m::run());
}

// Hands the exception frame (r0-r3, r12, lr, pc, xPSR: ARMv7-M ARM B1.5.6) and the exception
// number to the report. Naked: the frame is at MSP only before any prologue runs.
[[gnu::naked]] void cortex_m_fault() noexcept {
  asm volatile("mrs r0, msp\n\t"
               "mrs r1, ipsr\n\t"
               "b cortex_m_fault_report");
}

[[noreturn]] void cortex_m_fault_report(std::uint32_t const* frame, std::uint32_t ipsr) noexcept {
  // Configurable and HardFault status registers (ARMv7-M ARM B3.2.15, B3.2.16).
  auto const reg = [](std::uintptr_t a) { return *reinterpret_cast<std::uint32_t volatile const*>(a); };
  char const* const names[] = {"exception 0", "reset", "NMI", "HardFault", "MemManage", "BusFault", "UsageFault"};
  std::uint32_t const n = ipsr & 0x1ff;
  cortex_m::line out;
  out << "FAULT: " << (n < 7 ? names[n] : "exception") << " (" << static_cast<int>(n) << ") while running "
      << cortex_m::running << ": pc=";
  out.hex(frame[6]) << " lr=";
  out.hex(frame[5]) << " cfsr=";
  out.hex(reg(0xE000ED28)) << " hfsr=";
  out.hex(reg(0xE000ED2C));
  out.emit();
  cortex_m::exit(3);
}

namespace {

struct vector_table {
  void const* initial_sp;
  void (*handlers[15])() noexcept; // exceptions 1 to 15
};

[[gnu::section(".vectors"), gnu::used]] constinit vector_table const vectors = {
    __stack_top,
    {
        cortex_m_reset,
        cortex_m_fault, // NMI
        cortex_m_fault, // HardFault
        cortex_m_fault, // MemManage
        cortex_m_fault, // BusFault
        cortex_m_fault, // UsageFault
        nullptr, nullptr, nullptr, nullptr,
        cortex_m_fault, // SVCall: nothing here calls SVC
        cortex_m_fault, // DebugMonitor
        nullptr,
        cortex_m_fault, // PendSV
        cortex_m_fault, // SysTick: never enabled
    },
};

} // namespace
