// tools/footprint/firmware.cpp: a minimal Cortex-M4 firmware that loads one extension, for
// measuring what extload adds to .text/.rodata/.data/.bss (tools/footprint.sh). Variants, chosen
// with -DFOOTPRINT_VARIANT=<n> (from 3 on, each adding to the one before):
//   0  baseline: the same main() and board, no loader (what the others are measured against)
//   1  minimal: the tiny engine (tiny/thumb_loader.hpp: ET_REL; ABS32, THM_CALL, THM_JUMP24;
//      veneers; imports by SLID only; no constructors), a 4-entry SLID export table,
//      tiny::stack_arena, load + function<>() + unload
//   2  the tiny engine as tests/cortex_m runs it: its default relocation set (8 types, with
//      MOVW/MOVT, REL32, TARGET1), imports by name too, constructors (bring_up/tear_down)
//   3  the full engine (loader/loader.hpp) narrowed to Thumb relocations (narrow<arch::arm,
//      ABS32, REL32, THM_CALL, THM_JUMP24, THM_MOVW_ABS_NC, THM_MOVT_ABS>), static_arena,
//      load + function<>() + unload
//   4  the full bare-metal ARM relocation set (arch::arm: ARM and Thumb, 50 types)
//   5  + a two-object link, constructors/destructors (bring_up/tear_down) and the extension's
//      exported symbols walked (.exported_sym and globals)
//   6  + diagnostics as text (describe.hpp) printed on failure
#include <cstddef>
#include <cstdint>
#include <span>

extern "C" {
extern int fw_counter;
void fw_putc(int c);
int fw_ticks();
void fw_puts(char const* s, std::size_t n);
std::byte const* board_image(std::size_t* size);
}

#ifndef FOOTPRINT_VARIANT
#define FOOTPRINT_VARIANT 1
#endif

#if FOOTPRINT_VARIANT == 0

int main() {
  std::size_t n = 0;
  std::byte const* p = board_image(&n);
  fw_putc(static_cast<int>(p[0]));
  return static_cast<int>(n);
}

#elif FOOTPRINT_VARIANT <= 2

#include <extload/symbols/export_table.hpp>
#include <extload/tiny/stack_arena.hpp>
#include <extload/tiny/thumb_loader.hpp>

namespace {

constexpr auto board_exports = extload::make_export_table<4>(
    extload::export_function<"fw_putc", &fw_putc>, extload::export_function<"fw_ticks", &fw_ticks>,
    extload::export_function<"fw_puts", &fw_puts>, extload::export_object<"fw_counter", &fw_counter>);

using board_arena = extload::tiny::stack_arena<8 * 1024>;
#if FOOTPRINT_VARIANT == 1
namespace arch = extload::arch;
using board_relocations = arch::narrow<arch::arm_m, arch::arm_m::R_ARM_NONE, arch::arm_m::R_ARM_ABS32,
                                       arch::arm_m::R_ARM_THM_CALL, arch::arm_m::R_ARM_THM_JUMP24>;
using board_loader = extload::tiny::thumb_loader<decltype(board_exports), board_arena,
                                                 extload::tiny::thumb_options{.import_by_name = false, .constructors = false},
                                                 board_relocations>;
#else
using board_loader = extload::tiny::thumb_loader<decltype(board_exports), board_arena>;
#endif

board_arena arena;

} // namespace

int main() {
  std::size_t n = 0;
  std::byte const* p = board_image(&n);
  board_loader ld{arena, board_exports};
  extload::tiny::module m;
  if (!ld.load(std::span<std::byte const>(p, n), m).ok()) return 1;
#if FOOTPRINT_VARIANT == 2
  m.bring_up();
#endif
  int v = -1;
  if (auto* entry = m.function<int(int)>("ext_main")) v = entry(1);
#if FOOTPRINT_VARIANT == 2
  m.tear_down();
#endif
  ld.unload(m);
  return v;
}

#else

#include <extload/alloc/static_arena.hpp>
#include <extload/arch/arm.hpp>
#include <extload/loader/loader.hpp>
#include <extload/symbols/export_table.hpp>
#if FOOTPRINT_VARIANT >= 6
#include <extload/describe.hpp>
#endif

namespace {

constexpr auto board_exports = extload::make_export_table<4>(
    extload::export_function<"fw_putc", &fw_putc>, extload::export_function<"fw_ticks", &fw_ticks>,
    extload::export_function<"fw_puts", &fw_puts>, extload::export_object<"fw_counter", &fw_counter>);

namespace arch = extload::arch;
#if FOOTPRINT_VARIANT == 3
using board_relocations = arch::narrow<arch::arm, arch::arm::R_ARM_ABS32, arch::arm::R_ARM_REL32, arch::arm::R_ARM_THM_CALL,
                                       arch::arm::R_ARM_THM_JUMP24, arch::arm::R_ARM_THM_MOVW_ABS_NC,
                                       arch::arm::R_ARM_THM_MOVT_ABS>;
#else
using board_relocations = arch::arm;
#endif

using board_arena = extload::static_arena<8 * 1024>;
using board_loader = extload::loader<extload::elf32le, board_relocations, board_arena, decltype(board_exports)>;

board_arena arena;

} // namespace

int main() {
  std::size_t n = 0;
  std::byte const* p = board_image(&n);
  std::span<std::byte const> const image(p, n);
  board_loader ld{arena, board_exports};
#if FOOTPRINT_VARIANT >= 5
  std::span<std::byte const> const objects[2] = {image.first(n / 2), image.subspan(n / 2)};
  auto r = ld.load(std::span<std::span<std::byte const> const>(objects));
#else
  auto r = ld.load(image);
#endif
  if (!r) {
#if FOOTPRINT_VARIANT >= 6
    char text[160];
    fw_puts(text, extload::describe(r.error(), text));
#endif
    return 1;
  }
  extload::extension* ext = *r;
#if FOOTPRINT_VARIANT >= 5
  ext->bring_up();
  for (auto const& e : ext->exports()) fw_putc(static_cast<int>(e.address));
#endif
  int v = -1;
  if (auto* entry = ext->function<int(int)>("ext_main")) v = entry(1);
#if FOOTPRINT_VARIANT >= 5
  ext->tear_down();
#endif
  ld.unload(ext);
  return v;
}

#endif
