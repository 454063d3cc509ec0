// binfmt/host_files.hpp: the host (Linux/POSIX) models of binfmt's policies. host_file_system
// maps module files read-only (file_system); host_fixed_memory provides memory at an exact
// address for EXTLOADP images with mmap(MAP_FIXED_NOREPLACE), which fails rather than replace
// an existing mapping (Linux 4.17), and seals text R+X, rodata R (fixed_memory).
// Host-only: POSIX calls; not included by extload.hpp.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "extload/binfmt/binfmt.hpp"
#include "extload/binfmt/image.hpp"
#include "extload/error.hpp"

namespace extload::inline v0::binfmt {

class host_file_system {
public:
  bool exists(std::string_view path) const {
    struct stat st{};
    return ::stat(std::string{path}.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  }
  // The whole file, mapped read-only (an empty file is an empty span).
  result<std::span<std::byte const>> read(std::string_view path) const {
    std::string const p{path};
    int const fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return diagnostic{errc::not_found}.with_name(path);
    struct stat st{};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return diagnostic{errc::not_found}.with_name(path);
    }
    auto const n = static_cast<std::size_t>(st.st_size);
    if (n == 0) {
      ::close(fd);
      return std::span<std::byte const>{};
    }
    void* const m = ::mmap(nullptr, n, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (m == MAP_FAILED) return diagnostic{errc::out_of_memory, field::none, static_cast<std::int64_t>(n)}.with_name(path);
    return std::span<std::byte const>{static_cast<std::byte const*>(m), n};
  }
  void release(std::span<std::byte const> bytes) const noexcept {
    if (!bytes.empty()) ::munmap(const_cast<std::byte*>(bytes.data()), bytes.size());
  }
};
static_assert(file_system<host_file_system>);

class host_fixed_memory {
public:
  host_fixed_memory() noexcept {
    long const p = ::sysconf(_SC_PAGESIZE);
    page_ = p > 0 ? static_cast<std::uint64_t>(p) : 4096;
  }
  std::uint64_t page_size() const noexcept { return page_; }

  std::byte* claim(std::uint64_t address, std::uint64_t bytes) noexcept {
    if (bytes == 0 || address % page_ != 0) return nullptr;
    void* const want = std::bit_cast<void*>(static_cast<std::uintptr_t>(address));
    void* const m = ::mmap(want, round(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (m == MAP_FAILED) return nullptr;
    if (m != want) { // a kernel without MAP_FIXED_NOREPLACE treats it as a hint
      ::munmap(m, round(bytes));
      return nullptr;
    }
    return static_cast<std::byte*>(m);
  }
  // W^X over the regions the header describes: text R+X, rodata R, data and bss R+W, when every
  // region starts on a page (prelink_to_image with region_align = page size). An image whose
  // regions share pages cannot be protected per region: it is left R+W+X.
  errc seal(std::uint64_t address, image_header const& h) noexcept {
    bool aligned = true;
    for (std::size_t r = 0; r < region_count; ++r)
      if (h.region_size[r] != 0 && (address + h.region_offset[r]) % page_ != 0) aligned = false;
    if (!aligned) return protect(address, h.memory_bytes, PROT_READ | PROT_WRITE | PROT_EXEC);
    for (std::size_t r = 0; r < region_count; ++r) {
      if (h.region_size[r] == 0) continue;
      int const prot = r == static_cast<std::size_t>(region::text)     ? PROT_READ | PROT_EXEC
                     : r == static_cast<std::size_t>(region::rodata) ? PROT_READ
                                                                     : PROT_READ | PROT_WRITE;
      if (errc const e = protect(address + h.region_offset[r], h.region_size[r], prot); e != errc::ok) return e;
    }
    return errc::ok;
  }
  void release(std::uint64_t address, std::uint64_t bytes) noexcept {
    ::munmap(std::bit_cast<void*>(static_cast<std::uintptr_t>(address)), round(bytes));
  }

private:
  errc protect(std::uint64_t at, std::uint64_t n, int prot) const noexcept {
    if (::mprotect(std::bit_cast<void*>(static_cast<std::uintptr_t>(at)), round(n), prot) == 0) return errc::ok;
    return errc::limit_exceeded; // EACCES: a policy (SELinux execmem) forbids it
  }
  std::uint64_t round(std::uint64_t n) const noexcept { return (n + page_ - 1) / page_ * page_; }
  std::uint64_t page_ = 4096;
};
static_assert(fixed_memory<host_fixed_memory>);

} // namespace extload::inline v0::binfmt
