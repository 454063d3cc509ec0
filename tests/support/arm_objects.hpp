// tests/support/arm_objects.hpp: the ARM objects tests/cross_objects/arm/meson.build compiles
// (its generated manifest: source, variant, flag set, file name, byte order), for the tests
// that load them on the host (tests/oracle/arm, tests/tiny).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <arm_objects_manifest.h> // generated: EXTLOAD_ARM_OBJECTS_DIR, EXTLOAD_ARM_OBJECTS

#include "support/file_bytes.hpp"

namespace extload::inline v0::test {

struct arm_object {
  std::string_view source, variant, flags, file;
  bool big_endian;
};
inline constexpr arm_object all_arm_objects[] = EXTLOAD_ARM_OBJECTS;

inline std::vector<std::byte> read_arm_object(arm_object const& o) {
  return read_file_bytes(std::string{EXTLOAD_ARM_OBJECTS_DIR} + "/" + std::string{o.file});
}

} // namespace extload::inline v0::test
