// tests/registry/objects/registry_objects.hpp: the extensions meson builds from this directory
// (see meson.build here), by source name and flag set, read into memory as bytes.
#pragma once

#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <registry_objects_manifest.h> // generated: EXTLOAD_REGISTRY_OBJECTS_DIR, _FLAG_SETS

namespace extload::inline v0::test::registry_objects {

// "O2-pie", "O2-pic": every source is built once per flag set.
inline constexpr std::string_view flag_sets[] = EXTLOAD_REGISTRY_FLAG_SETS;

// <dir>/<source>.<flags>.o, e.g. source "base" or "prov3".
inline std::string path(std::string_view source, std::string_view flags) {
  std::string p{EXTLOAD_REGISTRY_OBJECTS_DIR};
  p += '/';
  p += source;
  p += '.';
  p += flags;
  p += ".o";
  return p;
}

// The whole file as bytes; empty if it cannot be read.
inline std::vector<std::byte> read(std::string_view source, std::string_view flags) {
  std::ifstream in(path(source, flags), std::ios::binary);
  if (!in) return {};
  std::vector<char> chars{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::byte> bytes(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) bytes[i] = static_cast<std::byte>(chars[i]);
  return bytes;
}

} // namespace extload::inline v0::test::registry_objects
