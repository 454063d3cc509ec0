/* tests/cross_objects/aarch64/relocs.c: the AArch64 relocation types compilers rarely emit, from
 * hand-written instructions (top-level asm), so that real objects exercise every non-GOT, non-TLS
 * type of include/extload/arch/aarch64.hpp (but MOVW_SABS, which needs an absolute symbol within
 * ±64 KiB: see the GNU ld vectors in tests/arch/aarch64.test.cpp): MOVW_UABS/PREL groups (clang -mcmodel=large
 * style sequences), LD_PREL_LO19 and ADR_PREL_LO21 across sections, TSTBR14/CONDBR19 to another
 * section, ADR_PREL_PG_HI21_NC, the LDST8/16 forms and 16/32/64-bit data words. Each function
 * computes something checkable (an address or a distance) and is callable from C. */
#include "firmware.h"

/* Data the asm below addresses: aligned for every LDST size. */
__attribute__((aligned(16))) unsigned char a64_bytes[64] = {1, 2, 3, 4, 5, 6, 7, 8};
__attribute__((aligned(16))) const unsigned long a64_literal = 0x0123456789abcdefUL;

/* Defined in asm (below). */
void *a64_movw_abs(void);        /* &fw_counter through MOVZ/MOVK G3..G0 (UABS) */
long a64_movw_prel(void);        /* &a64_bytes - label, rebuilt with MOVW_PREL G1 + G0_NC, plus label */
unsigned long a64_ldr_literal(void); /* a64_literal through LDR (literal) into .rodata: LD_PREL_LO19 */
void *a64_adr(void);             /* &a64_literal + 8 through ADR: ADR_PREL_LO21 */
int a64_test_bit(int x);         /* TBZ/CBZ into .text.a64_far: TSTBR14, CONDBR19 */
int a64_ldst(void);              /* a64_bytes[1] + a64_bytes[2] + ... via LDST8/16 + ADRP _NC */

__asm__(
    "  .section .text.a64_asm,\"ax\",%progbits\n"
    "  .p2align 2\n"
    "  .globl a64_movw_abs\n"
    "  .type a64_movw_abs, %function\n"
    "a64_movw_abs:\n"
    "  movz x0, #:abs_g3:fw_counter\n"
    "  movk x0, #:abs_g2_nc:fw_counter\n"
    "  movk x0, #:abs_g1_nc:fw_counter\n"
    "  movk x0, #:abs_g0_nc:fw_counter\n"
    "  ret\n"
    "  .size a64_movw_abs, .-a64_movw_abs\n"
    "  .globl a64_movw_prel\n"
    "  .type a64_movw_prel, %function\n"
    "a64_movw_prel:\n"
    "1:movz x0, #:prel_g1:a64_bytes\n"
    "  movk x0, #:prel_g0_nc:a64_bytes+4\n"
    "  adr x1, 1b\n"
    "  add x0, x0, x1\n"
    "  ret\n"
    "  .size a64_movw_prel, .-a64_movw_prel\n"
    "  .globl a64_ldr_literal\n"
    "  .type a64_ldr_literal, %function\n"
    "a64_ldr_literal:\n"
    "  ldr x0, a64_literal\n"
    "  ret\n"
    "  .size a64_ldr_literal, .-a64_ldr_literal\n"
    "  .globl a64_adr\n"
    "  .type a64_adr, %function\n"
    "a64_adr:\n"
    "  adr x0, a64_literal+8\n"
    "  ret\n"
    "  .size a64_adr, .-a64_adr\n"
    "  .globl a64_test_bit\n"
    "  .type a64_test_bit, %function\n"
    "a64_test_bit:\n"
    "  tbz w0, #3, a64_bit_clear\n"
    "  cbz w0, a64_bit_clear\n"
    "  mov w0, #1\n"
    "  ret\n"
    "  .size a64_test_bit, .-a64_test_bit\n"
    "  .globl a64_ldst\n"
    "  .type a64_ldst, %function\n"
    "a64_ldst:\n"
    "  adrp x1, :pg_hi21_nc:a64_bytes\n"
    "  ldrb w0, [x1, #:lo12:a64_bytes+1]\n"
    "  ldrh w2, [x1, #:lo12:a64_bytes+2]\n"
    "  add w0, w0, w2\n"
    "  ret\n"
    "  .size a64_ldst, .-a64_ldst\n"
    "  .section .text.a64_far,\"ax\",%progbits\n"
    "  .p2align 2\n"
    "a64_bit_clear:\n"
    "  mov w0, #0\n"
    "  ret\n"
    "  .section .data.a64_words,\"aw\",%progbits\n"
    "  .p2align 3\n"
    "  .globl a64_words\n"
    "a64_words:\n"
    "  .xword fw_counter + 8\n"     /* ABS64 */
    "  .xword a64_bytes - .\n"      /* PREL64 */
    "  .word a64_bytes - .\n"       /* PREL32 */
    "  .word a64_words + 4\n"       /* ABS32: fits only when the image is below 4 GiB */
    "  .hword a64_words_tail - .\n" /* PREL16, to another section */
    "  .hword 0x1234\n"
    "  .size a64_words, .-a64_words\n"
    "  .section .data.a64_tail,\"aw\",%progbits\n"
    "  .globl a64_words_tail\n"
    "a64_words_tail:\n"
    "  .xword 0\n"
    /* Back to .text: gcc -O2 emits the C functions below without a section directive of its own,
       so without this a64_sum would land in .data.a64_tail (an STT_FUNC in a writable,
       non-executable section, which the loader rejects). */
    "  .text\n");

/* C callers, so the optimiser's own relocations (CALL26, JUMP26) appear too. */
long a64_sum(void) {
  long s = (long)a64_ldr_literal() + a64_test_bit(8) + a64_test_bit(0) + a64_ldst();
  s += (char *)a64_movw_abs() - (char *)&fw_counter;
  s += (char *)a64_movw_prel() - (char *)a64_bytes;
  s += (char *)a64_adr() - (char *)&a64_literal;
  return s + fw_add(1, 2);
}
