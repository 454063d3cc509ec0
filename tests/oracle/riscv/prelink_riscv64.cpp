// tests/oracle/riscv/prelink_riscv64.cpp: extload's side of the GNU ld oracle for RV64 objects.
#include "extload/arch/riscv.hpp"
#include "oracle/prelink_dump.hpp"

int main(int argc, char** argv) { return extload::oracle::prelink_dump_main<extload::elf64le, extload::arch::riscv64>(argc, argv); }
