// loader/host_file_source.hpp: a byte_source (loader/source.hpp) over a POSIX file descriptor,
// read with pread(2): loader<>::load_from(file) then reads the object in blocks, never per symbol
// or relocation, and never the sections the loader does not use. Host-only (POSIX); not included
// by extload.hpp. A firmware writes the same two members over its flash or file system driver.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "extload/loader/source.hpp"

namespace extload::inline v0 {

class host_file_source {
public:
  // Opens `path` read-only; is_open() says whether that worked (and it is a regular file).
  explicit host_file_source(std::string_view path) noexcept {
    std::string const p{path};
    fd_ = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st{};
    if (fd_ >= 0 && (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode))) {
      ::close(fd_);
      fd_ = -1;
    }
    size_ = fd_ >= 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  }
  host_file_source(host_file_source const&) = delete;
  host_file_source& operator=(host_file_source const&) = delete;
  ~host_file_source() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool is_open() const noexcept { return fd_ >= 0; }
  std::uint64_t size() const noexcept { return size_; }
  bool read(std::uint64_t offset, std::span<std::byte> out) noexcept {
    std::size_t done = 0;
    while (done < out.size()) {
      ssize_t const n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    ++reads_;
    return true;
  }
  std::uint32_t reads() const noexcept { return reads_; } // successful read() calls

private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::uint32_t reads_ = 0;
};
static_assert(byte_source<host_file_source>);

} // namespace extload::inline v0
