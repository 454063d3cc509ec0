// tests/fuzz/fuzz_parse_elf32.cpp: libFuzzer harness over the ELF32 parser (object_view<elf32le>
// and object_view<elf32be>), which is all of the ELF32 path until an ELF32 relocation set exists:
// when arch/arm.hpp lands, a fuzz_load_arm harness like fuzz_load.cpp replaces this one's use.
// Accepted inputs are walked through every accessor the loader uses (section names and bytes,
// every symbol and its name, every relocation entry, group members).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "extload/elf/object.hpp"

namespace {

using namespace extload;

template <class F>
void walk(std::span<std::byte const> bytes) {
  auto v = object_view<F>::parse(bytes, elf::EM_NONE);
  if (!v) return;
  std::uint64_t sum = 0;
  for (std::uint32_t i = 1; i < v->section_count(); ++i) {
    auto const s = v->section(i);
    if (auto n = v->section_name(i)) sum += n->size;
    for (std::byte x : v->section_bytes(i)) sum += std::to_integer<std::uint8_t>(x);
    if (s.type == elf::SHT_REL || s.type == elf::SHT_RELA)
      for (std::uint64_t j = 0; j < s.size / s.entsize; ++j)
        sum += s.type == elf::SHT_RELA ? v->template relocation_at<true>(s, j).offset : v->template relocation_at<false>(s, j).offset;
    if (s.type == elf::SHT_GROUP)
      for (std::uint64_t k = 0; k + 1 < s.size / 4; ++k) sum += v->group_member(i, k);
  }
  for (std::uint32_t k = 1; k < v->symbol_count(); ++k) {
    auto s = v->symbol_at(k);
    if (!s) return;
    if (auto n = v->symbol_name(*s)) sum += n->size;
    sum += v->symbol_name_unchecked(*s).size;
  }
  if (sum == 0xdeadbeefdeadbeefu) __builtin_trap(); // keeps the walk from being optimised away
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::vector<std::byte> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = std::byte{data[i]};
  walk<elf32le>(bytes);
  walk<elf32be>(bytes);
  return 0;
}
