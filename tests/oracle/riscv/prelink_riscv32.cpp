// tests/oracle/riscv/prelink_riscv32.cpp: extload's side of the GNU ld oracle for RV32 objects.
#include "extload/arch/riscv.hpp"
#include "oracle/prelink_dump.hpp"

int main(int argc, char** argv) { return extload::oracle::prelink_dump_main<extload::elf32le, extload::arch::riscv32>(argc, argv); }
