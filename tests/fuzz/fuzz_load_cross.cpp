// tests/fuzz/fuzz_load_cross.cpp: libFuzzer harness over the whole load path of every
// relocation set but x86-64's (fuzz_load.cpp has that one): parse, COMDAT, layout, symbol
// resolution, relocation pre-scan, allocation, copy, relocation, record, seal; then unload.
// The input's own header picks the loader, read byte-wise before any parsing:
//
//   EI_CLASS  EI_DATA  e_machine        loader
//   ELF32     LSB      EM_ARM (40)      elf32le, arch::arm / arm_m / arm_linux (*)
//   ELF32     MSB      EM_ARM (40)      elf32be, arch::arm / arm_m / arm_linux (*)
//   ELF64     LSB      EM_AARCH64 (183) elf64le, arch::aarch64
//   ELF32     LSB      EM_RISCV (243)   elf32le, arch::riscv32
//   ELF64     LSB      EM_RISCV (243)   elf64le, arch::riscv64
//   ELF32     LSB      EM_386 (3)       elf32le, arch::x86_32
//   ELF32     LSB      EM_XTENSA (94)   elf32le, arch::xtensa
//   anything else                       elf32le, arch::arm (the parser still sees it; this is
//                                       also where fuzz_parse_elf32's inputs go now)
//
// (*) the ARM set is e_ident[15] % 3 (0: arm, 1: arm_m, 2: arm_linux): a padding byte the
// parser ignores, so a mutation there moves a valid object to another set unchanged.
//
// The objects are linked as a host links them for a target (tests/oracle/*): the prelink
// allocator writes the image into a static buffer but gives it the target address
// 0x2000'0000, so every architecture, 32-bit ones included, is loaded on the host. Loaded code
// is never run. Every import resolves to one target address, the image's base + 256 KiB (within
// reach of each set's direct branches, Xtensa CALLn included), so inputs get past resolution
// and exercise the relocation phases. After each input the counting allocator must hold
// nothing and have seen no unknown or mis-sized release; anything else traps, as ASan/UBSan
// findings do.
//
// Build and run with tools/fuzz.sh (clang++-16 -fsanitize=fuzzer,address,undefined).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "extload/alloc/prelink.hpp"
#include "extload/arch/aarch64.hpp"
#include "extload/arch/arm.hpp"
#include "extload/arch/i386.hpp"
#include "extload/arch/riscv.hpp"
#include "extload/arch/xtensa.hpp"
#include "extload/loader/loader.hpp"
#include "extload/symbols/export_table.hpp"
#include "fuzz/fuzz_support.hpp"
#include "support/counting_allocator.hpp"

namespace {

using namespace extload;

constexpr std::uint64_t image_address = 0x2000'0000;
constexpr std::uint64_t import_address = 0x2004'0000; // the "firmware", never called

found_symbol resolve_anything(void*, byte_string) { return {import_address, true, symbol_kind::unknown}; }

// 2 MiB of target RAM (the image cap below is 1 MiB). counting_allocator default-constructs
// its inner allocator, so the prelink allocator gets its buffer and address here.
alignas(64) std::byte image_buffer[2 * 1024 * 1024];
struct fuzz_prelink : prelink_allocator {
  fuzz_prelink() noexcept : prelink_allocator(std::span<std::byte>(image_buffer), image_address) {}
};
static_assert(allocator<fuzz_prelink>);

using alloc_type = test::counting_allocator<fuzz_prelink>;
alloc_type& alloc() {
  static alloc_type a;
  return a;
}

template <class Format, class Arch>
void load_one(std::span<std::byte const> bytes) {
  using exports = no_exports<Format::elf_class_type::word_size>; // SLID width = pointer size
  static exports const none{};
  loader<Format, Arch, alloc_type, exports> ld{alloc(), none, test::fuzz::fuzz_limits()};
  test::fuzz::load_walk_unload(ld, bytes, resolver{&resolve_anything, nullptr});
}

template <class Format>
void load_arm(std::span<std::byte const> bytes, std::uint8_t pick) {
  switch (pick % 3) {
    case 0: load_one<Format, arch::arm>(bytes); break;
    case 1: load_one<Format, arch::arm_m>(bytes); break;
    default: load_one<Format, arch::arm_linux>(bytes); break;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::vector<std::byte> const bytes = test::fuzz::exact_copy(data, size);
  std::span<std::byte const> const in(bytes);

  // The header's class, byte order and machine, read byte-wise (e_machine at offset 18 in both
  // classes, in the byte order EI_DATA names); 0 where the input is too short.
  std::uint8_t const cls = size > elf::EI_CLASS ? data[elf::EI_CLASS] : 0;
  std::uint8_t const order = size > elf::EI_DATA ? data[elf::EI_DATA] : 0;
  std::uint8_t const pad = size > 15 ? data[15] : 0;
  std::uint16_t machine = 0;
  if (size >= 20) machine = order == 2 ? static_cast<std::uint16_t>(data[18] << 8 | data[19]) : static_cast<std::uint16_t>(data[19] << 8 | data[18]);
  bool const elf32 = cls == 1, elf64 = cls == 2, lsb = order == 1, msb = order == 2;

  if (elf32 && msb && machine == elf::EM_ARM) load_arm<elf32be>(in, pad);
  else if (elf64 && lsb && machine == elf::EM_AARCH64) load_one<elf64le, arch::aarch64>(in);
  else if (elf32 && lsb && machine == elf::EM_RISCV) load_one<elf32le, arch::riscv32>(in);
  else if (elf64 && lsb && machine == elf::EM_RISCV) load_one<elf64le, arch::riscv64>(in);
  else if (elf32 && lsb && machine == elf::EM_386) load_one<elf32le, arch::x86_32>(in);
  else if (elf32 && lsb && machine == elf::EM_XTENSA) load_one<elf32le, arch::xtensa>(in);
  else load_arm<elf32le>(in, pad); // ARM LE, and every input that matches nothing above

  test::fuzz::require_balanced(alloc());
  return 0;
}
