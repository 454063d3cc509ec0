// tests/oracle/arm/prelink_armbe.cpp: extload's side of the GNU ld oracle for big-endian (BE32)
// ARM objects from arm-none-eabi-gcc -mbig-endian.
#include "extload/arch/arm.hpp"
#include "oracle/prelink_dump.hpp"

int main(int argc, char** argv) { return extload::oracle::prelink_dump_main<extload::elf32be, extload::arch::arm>(argc, argv); }
