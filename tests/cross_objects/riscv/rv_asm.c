/* tests/cross_objects/riscv/rv_asm.c: RISC-V relocation forms gcc rarely emits by itself, written
 * as file-scope assembly so that every build (RV32/RV64, relax or not, any code model) carries
 * them: a PCREL_LO12 pair whose low halves come *before* their AUIPC (in the code and in the
 * relocation table), two low halves (I and S) sharing one PCREL_HI20, absolute HI20/LO12_S,
 * JAL and C.J to other labels, a JAL to a global symbol, and label differences across relaxable code
 * (ADD/SUB 8/16/32/64 in .rodata). Linked on the host by extload and compared with GNU ld. */
#include "../../objects/firmware.h"

int rv_asm_get(void);
void rv_asm_put(int v);
extern const unsigned char rv_asm_table[];

__asm__(
    "  .text\n"
    "  .globl rv_asm_get\n"
    "  .type rv_asm_get, @function\n"
    "rv_asm_get:\n"
    "  j 2f\n"
    "1:\n"
    "  lw a0, %pcrel_lo(3f)(a1)\n"      /* low half before its AUIPC */
    "  ret\n"
    "2:\n"
    "3:\n"
    "  auipc a1, %pcrel_hi(fw_counter)\n"
    "  j 1b\n"
    "  .size rv_asm_get, .-rv_asm_get\n"
    "  .globl rv_asm_put\n"
    "  .type rv_asm_put, @function\n"
    "rv_asm_put:\n"
    "4:\n"
    "  auipc a1, %pcrel_hi(fw_table)\n"
    "  lw a2, %pcrel_lo(4b)(a1)\n"      /* two low halves share one high half */
    "  add a2, a2, a0\n"
    "  sw a2, %pcrel_lo(4b)(a1)\n"
    "  lui a3, %hi(fw_counter)\n"
    "  sw a0, %lo(fw_counter)(a3)\n"    /* absolute LO12_S */
    "5:\n"
    "  beqz a0, 6f\n"
    "  jal zero, rv_asm_entry\n"        /* JAL (tail) to a global of this object */
    "6:\n"
    "  ret\n"
    "  .size rv_asm_put, .-rv_asm_put\n"
    "  .section .rodata\n"
    "  .globl rv_asm_table\n"
    "rv_asm_table:\n"
    "  .byte 6b - 4b\n"                 /* label differences over relaxable code */
    "  .2byte 6b - 4b\n"
    "  .4byte 6b - rv_asm_get\n"
    "  .8byte 5b - 4b\n"
    "  .text\n");

int rv_asm_entry(int x) {
  rv_asm_put(x);
  return rv_asm_get() + rv_asm_table[0];
}
