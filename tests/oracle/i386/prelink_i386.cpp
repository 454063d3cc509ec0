// tests/oracle/i386/prelink_i386.cpp: extload's side of the GNU ld oracle for i386 (REL).
#include "extload/arch/i386.hpp"
#include "oracle/prelink_dump.hpp"

int main(int argc, char** argv) { return extload::oracle::prelink_dump_main<extload::elf32le, extload::arch::x86_32>(argc, argv); }
