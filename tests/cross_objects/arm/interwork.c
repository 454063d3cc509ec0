/* tests/cross_objects/arm/interwork.c: the ARM/Thumb constructs the relocation set must get
 * right on a real object: calls and tail calls into the firmware (R_ARM_CALL/JUMP24 in ARM
 * state, R_ARM_THM_CALL/THM_JUMP24 in Thumb; BL <-> BLX by the target's state), conditional tail
 * calls (THM_JUMP19 on Thumb-2), function pointers to local and firmware functions (ABS32 with
 * the Thumb bit, or MOVW/MOVT with -mpure-code), a jump table, data imports, and a cold section
 * reached by a branch across sections. */
#include "firmware.h"

static int twice(int x) { return 2 * x; }
int iw_local(int x) { return twice(x) + 1; }

/* Function pointers: the Thumb bit of a Thumb function must survive (ABS32 = (S + A) | T). */
int (*const iw_callbacks[3])(int) = {twice, iw_local, 0};
int iw_apply_local(int x) { return fw_apply(twice, x); }

/* Tail calls into the firmware: B / B.W (JUMP24 / THM_JUMP24), conditional ones B<c>.W. */
int iw_tail(int a, int b) { return fw_add(a, b); }
int iw_cond_tail(int a, int b) {
  if (a > b) return fw_add(a, b);
  return a - b;
}

/* Data imports and a local table of firmware addresses. */
int iw_bump(void) { return ++fw_counter + fw_table[3]; }
const void* const iw_addresses[3] = {&fw_counter, fw_table, fw_name};

/* A switch dense enough for a jump table (TBB/TBH in Thumb-2, ADD PC in ARM). */
int iw_switch(int k) {
  switch (k) {
  case 0: return fw_add(k, 10);
  case 1: return 11;
  case 2: return fw_mix(3u, 4u);
  case 3: return 13;
  case 4: return fw_add(k, k);
  case 5: return 15;
  case 6: return 16;
  default: return -1;
  }
}

/* A cold path in .text.unlikely: a branch (or call) across sections. */
__attribute__((cold, noinline)) static int iw_cold(int x) { fw_log(x); return -x; }
int iw_maybe_cold(int x) { return x < 0 ? iw_cold(x) : x; }
