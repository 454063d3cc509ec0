// tests/oracle/arm/prelink_armm.cpp: extload's side of the GNU ld oracle for M-profile
// (Cortex-M, Thumb-only) objects: arch::arm_m, THM_CALL always BL, as arm-none-eabi-ld.
#include "extload/arch/arm.hpp"
#include "oracle/prelink_dump.hpp"

int main(int argc, char** argv) { return extload::oracle::prelink_dump_main<extload::elf32le, extload::arch::arm_m>(argc, argv); }
