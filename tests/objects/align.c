/* tests/objects/align.c: alignment up to 4 KiB. Section alignment (sh_addralign) must survive
 * placement: 4 KiB aligned data, read-only data, bss and a function, and 64/256-byte aligned
 * functions and data, one of them in its own section. */
#include "firmware.h"

_Alignas(4096) int align_data[16] = {1, 2, 3};
_Alignas(4096) static const int align_ro[16] = {4, 5, 6};
_Alignas(4096) int align_bss[1024];
_Alignas(64) char align_line[64] = "line";

__attribute__((aligned(4096))) int align_fn4k(void) { return 4096; }
__attribute__((aligned(64))) int align_fn64(void) { return fw_add(60, 4); }
__attribute__((section(".text.align_custom"), aligned(256))) int align_fn256(void) { return 256; }

const int *align_ro_addr(void) { return align_ro; }
int align_sum(void) { return align_data[0] + align_data[2] + align_ro[1] + align_bss[1023] + align_line[0]; }
