// tests/support/object_files.hpp: the relocatable objects that tests/objects/meson.build compiles
// with the system gcc and clang-16 (one per source × compiler × flag set), as listed by the
// generated real_objects_manifest.h, and a reader that loads one into memory as bytes.
#pragma once

#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <real_objects_manifest.h> // generated: EXTLOAD_REAL_OBJECTS_DIR, EXTLOAD_REAL_OBJECTS

#include "support/file_bytes.hpp"

namespace extload::inline v0::test {

struct object_file {
  std::string_view source;   // "calls", "data", ... (tests/objects/<source>.c or .cpp)
  std::string_view compiler; // "gcc" or "clang"
  std::string_view flags;    // flag-set label, e.g. "O2-pie", "O2-pic-large"
  std::string_view file;     // file name in the objects directory

  std::string label() const {
    std::string s{source};
    s += '.';
    s += compiler;
    s += '.';
    s += flags;
    return s;
  }
  std::string path() const {
    std::string p{EXTLOAD_REAL_OBJECTS_DIR};
    p += '/';
    p += file;
    return p;
  }
  // Small code model without PIC: absolute 32-bit references (R_X86_64_32/32S) are allowed.
  bool small_non_pic() const { return flags.ends_with("-nopic"); }
};

inline constexpr object_file all_objects[] = EXTLOAD_REAL_OBJECTS;

// Every built object of one source, in manifest order.
inline std::vector<object_file> objects_of(std::string_view source) {
  std::vector<object_file> out;
  for (auto const& o : all_objects)
    if (o.source == source) out.push_back(o);
  return out;
}

// The object of `source` built by `compiler` with `flags`, if the manifest has one.
inline object_file const* find_object(std::string_view source, std::string_view compiler, std::string_view flags) {
  for (auto const& o : all_objects)
    if (o.source == source && o.compiler == compiler && o.flags == flags) return &o;
  return nullptr;
}

// The whole file as bytes; empty if it cannot be read.
inline std::vector<std::byte> read_object_file(std::string const& path) { return read_file_bytes(path); }

inline std::vector<std::byte> read_object_file(object_file const& o) { return read_object_file(o.path()); }

} // namespace extload::inline v0::test
