// tests/oracle/xtensa/prelink_xtensa.cpp: extload's side of the GNU ld oracle for Xtensa (lx106).
// CALL0 reaches only +-512 KiB, so unless IMPORT_BASE is given, imports are placed 256 KiB after
// the load address (compare_with_ld.py passes LOAD_ADDRESS only; prelink_dump.hpp's default of
// LOAD_ADDRESS + 2 MiB is out of CALL0 reach for objects built without -mlongcalls).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "extload/arch/xtensa.hpp"
#include "oracle/prelink_dump.hpp"

int main(int argc, char** argv) {
  if (argc == 3 || argc == 4) {
    std::uint64_t const load = argc == 4 ? std::strtoull(argv[3], nullptr, 0) : 0x100000;
    char load_text[32], import_text[32];
    std::snprintf(load_text, sizeof load_text, "0x%llx", static_cast<unsigned long long>(load));
    std::snprintf(import_text, sizeof import_text, "0x%llx", static_cast<unsigned long long>(load + 0x40000));
    char* args[] = {argv[0], argv[1], argv[2], load_text, import_text, nullptr};
    return extload::oracle::prelink_dump_main<extload::elf32le, extload::arch::xtensa>(5, args);
  }
  return extload::oracle::prelink_dump_main<extload::elf32le, extload::arch::xtensa>(argc, argv);
}
