// tests/oracle/aarch64/prelink_aarch64.cpp: extload's side of the GNU ld oracle for AArch64.
#include "extload/arch/aarch64.hpp"
#include "oracle/prelink_dump.hpp"

int main(int argc, char** argv) { return extload::oracle::prelink_dump_main<extload::elf64le, extload::arch::aarch64>(argc, argv); }
