// tests/support/file_bytes.hpp: a whole file as bytes, for the tests that load built objects
// (object_files.hpp for the host objects, arm_objects.hpp for the ARM ones).
#pragma once

#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace extload::inline v0::test {

// Empty if the file cannot be read.
inline std::vector<std::byte> read_file_bytes(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::vector<char> chars{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::byte> bytes(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) bytes[i] = static_cast<std::byte>(chars[i]);
  return bytes;
}

} // namespace extload::inline v0::test
