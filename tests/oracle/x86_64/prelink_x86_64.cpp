// tests/oracle/x86_64/prelink_x86_64.cpp: extload's side of the GNU ld oracle for x86-64.
#include "extload/arch/x86_64.hpp"
#include "oracle/prelink_dump.hpp"

int main(int argc, char** argv) { return extload::oracle::prelink_dump_main<extload::elf64le, extload::arch::x86_64>(argc, argv); }
