// tests/cortex_m/semihosting.hpp: the firmware's only I/O, Arm semihosting (Semihosting for
// AArch32 and AArch64, v2.0: on M-profile, `bkpt 0xab` with the operation in r0 and its argument
// in r1). qemu-system-arm serves it with -semihosting-config enable=on,target=native.
// SYS_WRITE0 prints a NUL-terminated string on the host's console; SYS_EXIT_EXTENDED ends the
// emulation with the status as qemu's exit code (plain SYS_EXIT on AArch32 carries no status:
// qemu maps ApplicationExit to 0 and any other reason to 1). `line` formats one line of output
// without printf (no heap, no locale).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cortex_m {

enum : std::uint32_t {
  SYS_WRITE0 = 0x04,
  SYS_EXIT_EXTENDED = 0x20,
  ADP_Stopped_ApplicationExit = 0x20026,
};

inline std::uint32_t semihost(std::uint32_t op, void const* arg) noexcept {
  std::uint32_t ret;
  asm volatile("mov r0, %1\n\t"
               "mov r1, %2\n\t"
               "bkpt 0xab\n\t"
               "mov %0, r0"
               : "=r"(ret)
               : "r"(op), "r"(arg)
               : "r0", "r1", "memory");
  return ret;
}

inline void write(char const* text) noexcept { semihost(SYS_WRITE0, text); }

[[noreturn]] inline void exit(int status) noexcept {
  std::uint32_t const block[2] = {ADP_Stopped_ApplicationExit, static_cast<std::uint32_t>(status)};
  semihost(SYS_EXIT_EXTENDED, block);
  for (;;) {} // not reached: qemu has exited
}

// One line of text, built with << and written by emit() (with the newline). Text beyond the
// buffer is cut, never written past it.
class line {
public:
  line& operator<<(std::string_view s) noexcept {
    for (char c : s)
      if (n_ < sizeof buf_ - 2) buf_[n_++] = c;
    return *this;
  }
  line& operator<<(char const* s) noexcept { return *this << std::string_view{s == nullptr ? "(null)" : s}; }
  line& operator<<(long long v) noexcept {
    if (v < 0) {
      *this << "-";
      return decimal(static_cast<unsigned long long>(-(v + 1)) + 1);
    }
    return decimal(static_cast<unsigned long long>(v));
  }
  line& operator<<(int v) noexcept { return *this << static_cast<long long>(v); }
  line& operator<<(unsigned long long v) noexcept { return decimal(v); }
  line& hex(unsigned long long v) noexcept {
    char digits[16];
    std::size_t i = 0;
    do { digits[i++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v != 0);
    *this << "0x";
    while (i > 0) *this << std::string_view{&digits[--i], 1};
    return *this;
  }
  std::string_view text() const noexcept { return {buf_, n_}; }
  void emit() noexcept {
    buf_[n_] = '\n';
    buf_[n_ + 1] = '\0';
    write(buf_);
    n_ = 0;
  }

private:
  line& decimal(unsigned long long v) noexcept {
    char digits[20];
    std::size_t i = 0;
    do { digits[i++] = static_cast<char>('0' + v % 10); v /= 10; } while (v != 0);
    while (i > 0) *this << std::string_view{&digits[--i], 1};
    return *this;
  }

  char buf_[512];
  std::size_t n_ = 0;
};

// The object under test, named by the fault handler (startup.cpp) if the core faults.
inline char const* volatile running = "startup";

} // namespace cortex_m
