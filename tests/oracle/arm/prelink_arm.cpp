// tests/oracle/arm/prelink_arm.cpp: extload's side of the GNU ld oracle for little-endian
// ARM/Thumb objects (bare-metal set: TARGET2 = REL32, as arm-none-eabi-ld).
#include "extload/arch/arm.hpp"
#include "oracle/prelink_dump.hpp"

int main(int argc, char** argv) { return extload::oracle::prelink_dump_main<extload::elf32le, extload::arch::arm>(argc, argv); }
