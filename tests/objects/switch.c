/* tests/objects/switch.c: indirect control flow. A dense switch whose cases do different work
 * (so -O2 emits a jump table in .rodata with relative or absolute entries, not a value table),
 * a const table of function pointers mixing extension and firmware functions, and a writable
 * one the firmware may patch. */
#include "firmware.h"

int sw_dense(int x) {
  switch (x) {
  case 0: return fw_add(x, 10);
  case 1: fw_log(1); return 11;
  case 2: return fw_add(x, x) * 3;
  case 3: return 17;
  case 4: fw_log(4); return fw_add(4, 40);
  case 5: return x * x * x;
  case 6: return fw_add(-6, 0);
  case 7: fw_log(7); return 77;
  case 8: return fw_add(8, 1) + 2;
  case 9: return 909;
  case 10: fw_log(10); return -10;
  case 11: return fw_add(11, 11) - 1;
  case 12: fw_log(12); return fw_counter;
  case 13: return fw_table[13];
  default: return -1;
  }
}

static int op_sub(int a, int b) { return a - b; }
static int op_mul(int a, int b) { return a * b; }
static int op_xor(int a, int b) { return a ^ b; }
int sw_op_max(int a, int b) { return a > b ? a : b; }

int (*const sw_ops[])(int, int) = {op_sub, op_mul, fw_add, op_xor, sw_op_max};
int (*sw_ops_mut[4])(int, int) = {op_mul, fw_add, 0, sw_op_max};

int sw_apply(unsigned i, int a, int b) { return i < 5 ? sw_ops[i](a, b) : -1; }

int sw_apply_mut(unsigned i, int a, int b) { return i < 4 && sw_ops_mut[i] ? sw_ops_mut[i](a, b) : -1; }
