// tests/docs/reloc_table.cpp: prints the README's table of supported relocation types, from the
// relocation sets themselves (names, and whether a type is applied or recognised and rejected).
// tools/readme_tables.py --check compares it with README.md (test readme_relocation_table).
#include <cstdio>
#include <string>

#include "extload/arch/aarch64.hpp"
#include "extload/arch/arm.hpp"
#include "extload/arch/i386.hpp"
#include "extload/arch/riscv.hpp"
#include "extload/arch/x86_64.hpp"
#include "extload/arch/xtensa.hpp"

namespace {
template <class Set>
void row(char const* title) {
  auto const names = Set::names();
  std::size_t applied = 0, rejected = 0;
  std::string ok, tls;
  for (std::size_t i = 0; i < Set::type_count; ++i) {
    bool const is_tls = Set::kinds[i] == extload::arch::expr::tls;
    std::string& out = is_tls ? tls : ok;
    if (!out.empty()) out += ", ";
    out += names[i];
    ++(is_tls ? rejected : applied);
  }
  std::printf("| %s | %s | %s | %zu | %zu |\n", title, Set::uses_rela ? "RELA" : "REL", ok.c_str(), applied, rejected);
}
} // namespace

int main() {
  std::printf("| architecture (set) | entries | applied types | applied | TLS, rejected by name |\n");
  std::printf("|---|---|---|---:|---:|\n");
  row<extload::arch::x86_64>("x86-64 (`arch::x86_64`)");
  row<extload::arch::x86_32>("i386 (`arch::x86_32`)");
  row<extload::arch::arm>("ARM/Thumb (`arch::arm`, `arm_m`, `arm_linux`)");
  row<extload::arch::aarch64>("AArch64 (`arch::aarch64`)");
  row<extload::arch::riscv64>("RISC-V (`arch::riscv64`, `riscv32`)");
  row<extload::arch::xtensa>("Xtensa (`arch::xtensa`)");
  return 0;
}
