/* tests/cross_objects/xtensa/literals.c: the Xtensa forms R_XTENSA_SLOT0_OP patches. Constants
 * and addresses too wide for MOVI are loaded with L32R from the literal pool (R_XTENSA_32 in
 * .literal, SLOT0_OP on each L32R); calls are CALL0 (SLOT0_OP) or, with -mlongcalls, L32R +
 * CALLX0 marked R_XTENSA_ASM_EXPAND; loops and conditions give J, BRI12, RRI8 and density
 * BEQZ.N/BNEZ.N branches; a dense switch gives a jump table of R_XTENSA_32 entries. */
#include "firmware.h"

static unsigned lt_state = 0x12345678u;
const unsigned lt_keys[4] = {0xdeadbeefu, 0xcafef00du, 0x8badf00du, 0x0badc0deu};

unsigned lt_hash(unsigned x) { return fw_mix(x * 0x9e3779b9u, lt_state) ^ 0x85ebca6bu; }

int lt_count_bits(unsigned v) {
  int n = 0;
  while (v != 0) {
    if (v & 1u) ++n;
    v >>= 1;
  }
  return n;
}

int lt_find(unsigned key) {
  for (int i = 0; i < 4; ++i)
    if (lt_keys[i] == key) return i;
  return -1;
}

int lt_dispatch(int k, int x) {
  switch (k) {
  case 0: return fw_add(x, 1);
  case 1: return x * 7;
  case 2: return fw_table[x & 15];
  case 3: return lt_count_bits((unsigned)x);
  case 4: return (int)lt_hash((unsigned)x);
  case 5: return lt_find((unsigned)x);
  case 6: return fw_counter;
  default: return 0;
  }
}

unsigned lt_step(void) { return lt_state = lt_hash(lt_state) + fw_words[lt_state & 63]; }
